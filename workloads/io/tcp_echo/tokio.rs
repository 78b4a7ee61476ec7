//! io/tcp_echo's tokio server: a task per connection, as tokio's own echo example and a tokio
//! expert's benchmark server do it: a `TcpListener` accepting in a loop, `tokio::spawn` of one
//! task per connection, and in each task a `read` into the connection's own 16 KiB buffer
//! (params.hpp's kEchoBufferBytes, as every model) followed by `write_all` of exactly the bytes
//! read. TCP_NODELAY on every accepted socket and the soft descriptor limit raised to the hard
//! one, as the C++ servers do.
//!
//!     tokio --port PORT --threads=1|0    (corio-bench starts it: common/built_server.hpp)
//!
//! --threads=1 is the tokio row (the current_thread runtime: one thread, beside corio, asio,
//! libuv); --threads=0 the tokio_mt row (the multi_thread runtime, one worker per core,
//! beside corio_mt and asio_mt). It listens on 127.0.0.1:PORT until SIGTERM ends it.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

const ECHO_BUFFER_BYTES: usize = 16 * 1024;

async fn echo(mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut buffer = vec![0u8; ECHO_BUFFER_BYTES];
    loop {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if stream.write_all(&buffer[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

async fn accept_connections(listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tokio::spawn(echo(stream));
            }
            // Out of descriptors (EMFILE) or a connection reset before it was accepted: wait a
            // moment and accept again.
            Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
        }
    }
}

// --- What every server program of the suite does around its sessions (the same lines in
// io/http_plaintext/tokio.rs and mixed/blocking_in_loop/tokio.rs: one file per model). ---

/// The command line: --port PORT (or --port=PORT), --threads=N, then `extra` names.
fn flags(extra: &[&str]) -> std::collections::HashMap<String, String> {
    let mut values = std::collections::HashMap::new();
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

fn refuse(reason: &str) -> ! {
    eprintln!("{}: {reason}", std::env::args().next().unwrap_or_default());
    std::process::exit(2);
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
fn runtime(flags: &std::collections::HashMap<String, String>) -> tokio::runtime::Runtime {
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
/// at once here).
fn listen(flags: &std::collections::HashMap<String, String>) -> TcpListener {
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

fn main() {
    let flags = flags(&[]);
    raise_descriptor_limit();
    let runtime = runtime(&flags);
    // The accept loop runs as a spawned task, not in block_on's own future: a task spawned on
    // the runtime is woken by the scheduler, block_on's future through the I/O driver.
    runtime.block_on(async move {
        let listener = listen(&flags);
        let _ = tokio::spawn(accept_connections(listener)).await;
    });
}
