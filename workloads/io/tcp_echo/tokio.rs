//! io/tcp_echo's tokio server: a task per connection, as tokio's own echo example and a tokio
//! expert's benchmark server do it: a `TcpListener` accepting in a loop, `tokio::spawn` of one
//! task per connection, and in each task a `read` into the connection's own 16 KiB buffer
//! (params.hpp's kEchoBufferBytes, as every model) followed by `write_all` of exactly the bytes
//! read. TCP_NODELAY on every accepted socket and the soft descriptor limit raised to the hard
//! one, as the C++ servers do. The flags, the runtime, the listener and the accept loop are
//! every tokio server's (common/rust/server.rs).
//!
//!     tokio --port PORT --threads=1|0    (corio-bench starts it: common/built_server.hpp)
//!
//! --threads=1 is the tokio row (the current_thread runtime: one thread, beside corio, asio,
//! libuv); --threads=0 the tokio_mt row (the multi_thread runtime, one worker per core,
//! beside corio_mt and asio_mt). It listens on 127.0.0.1:PORT until SIGTERM ends it.

use corio_model::server;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

fn main() {
    server::run(&server::flags(&[]), echo);
}
