//! What every tokio server model of the suite (io/tcp_echo, io/http_plaintext,
//! mixed/blocking_in_loop) does around its connections: the command line corio-bench gives it
//! (common/built_server.hpp), the soft descriptor limit raised, the runtime its row asks for,
//! 127.0.0.1:PORT and the accept loop with a task per connection. A server program is
//!
//! ```text
//! fn main() {
//!     let flags = server::flags(&["variant"]);          // its own flags beside --port, --threads
//!     server::run(&flags, |stream| serve(stream, ...)); // serve: one connection's task
//! }
//! ```
//!
//! and runs until SIGTERM ends it. Unlike the models `serve` (model_protocol.rs) answers, a
//! server says nothing on stdout: a wrong flag is one line on stderr and exit status 2.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// The flags by name, without their "--".
pub type Flags = HashMap<String, String>;

/// The command line: --port PORT (or --port=PORT), --threads=N, then `extra` names; refuses
/// any other.
pub fn flags(extra: &[&str]) -> Flags {
    let mut values = HashMap::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let name_value = arg.strip_prefix("--").unwrap_or_else(|| refuse(&format!("{arg}?")));
        let (name, value) = match name_value.split_once('=') {
            Some((name, value)) => (name.to_string(), value.to_string()),
            None => (name_value.to_string(), args.next().unwrap_or_default()),
        };
        if name != "port" && name != "threads" && !extra.contains(&name.as_str()) {
            refuse(&format!("unknown flag --{name}"));
        }
        values.insert(name, value);
    }
    values
}

/// The server cannot start: says why on stderr (corio-bench shows it) and exits with 2.
pub fn refuse(reason: &str) -> ! {
    eprintln!("{}: {reason}", std::env::args().next().unwrap_or_default());
    std::process::exit(2);
}

/// Raises the descriptor limit, builds the runtime `flags` ask for, listens on 127.0.0.1:PORT
/// and accepts connections until the process is killed, running `session(stream)` as a task
/// per connection.
pub fn run<S, Session>(flags: &Flags, session: S)
where
    S: Fn(TcpStream) -> Session + Send + 'static,
    Session: Future<Output = ()> + Send + 'static,
{
    raise_descriptor_limit();
    let runtime = runtime(flags);
    // The accept loop runs as a spawned task, not in block_on's own future: a task spawned on
    // the runtime is woken by the scheduler, block_on's future through the I/O driver (an
    // eventfd write and an epoll_wait per wake-up).
    runtime.block_on(async move {
        let listener = listen(flags);
        let _ = tokio::spawn(accept_connections(listener, session)).await;
    });
}

async fn accept_connections<S, Session>(listener: TcpListener, session: S)
where
    S: Fn(TcpStream) -> Session,
    Session: Future<Output = ()> + Send + 'static,
{
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(session(stream));
            }
            // Out of descriptors (EMFILE) or a connection reset before it was accepted: wait a
            // moment and accept again.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

/// Raises the soft limit on open descriptors to the hard one (1,024 connections need more
/// than the usual soft 1,024). Through the C library std already links: the package has no
/// libc crate.
fn raise_descriptor_limit() {
    #[repr(C)]
    struct RLimit {
        current: u64,
        maximum: u64,
    }
    extern "C" {
        fn getrlimit(resource: i32, limit: *mut RLimit) -> i32;
        fn setrlimit(resource: i32, limit: *const RLimit) -> i32;
    }
    const RLIMIT_NOFILE: i32 = 7;
    let mut limit = RLimit { current: 0, maximum: 0 };
    // SAFETY: plain system calls on a struct laid out as the C library's struct rlimit.
    unsafe {
        if getrlimit(RLIMIT_NOFILE, &mut limit) == 0 && limit.current < limit.maximum {
            limit.current = limit.maximum;
            setrlimit(RLIMIT_NOFILE, &limit);
        }
    }
}

/// The runtime the row asks for: --threads=1 current_thread, 0 multi_thread over every core.
fn runtime(flags: &Flags) -> tokio::runtime::Runtime {
    let threads: usize = flags
        .get("threads")
        .map_or(Some(1), |t| t.parse().ok())
        .unwrap_or_else(|| refuse("--threads wants a number"));
    let mut builder = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    if threads > 1 {
        builder.worker_threads(threads);
    }
    builder.enable_all().build().unwrap_or_else(|e| refuse(&format!("runtime: {e}")))
}

/// 127.0.0.1:PORT with a backlog of 4,096 (TcpListener::bind's is 1,024: 1,024 clients connect
/// at once here). Inside the runtime: the listener registers with its I/O driver.
fn listen(flags: &Flags) -> TcpListener {
    let port: u16 = flags
        .get("port")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| refuse("--port PORT is required"));
    let socket = TcpSocket::new_v4().unwrap_or_else(|e| refuse(&format!("socket: {e}")));
    let _ = socket.set_reuseaddr(true);
    socket
        .bind(([127, 0, 0, 1], port).into())
        .and_then(|()| socket.listen(4096))
        .unwrap_or_else(|e| refuse(&format!("listen on 127.0.0.1:{port}: {e}")))
}
