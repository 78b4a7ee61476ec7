//! runtime/spawn on tokio: `tokio::spawn` each child and await its JoinHandle before the next,
//! summing what the children return (0 + 1 + ... + tasks-1), so a skipped spawn or join fails
//! the check. The same shape as corio.cpp.

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Params {
    tasks: i64,
}

#[derive(Serialize)]
struct Result {
    joined: i64,
    sum: i64,
}

async fn spawn_and_join(params: Params) -> std::result::Result<Result, String> {
    let mut result = Result { joined: 0, sum: 0 };
    for i in 0..params.tasks {
        result.sum += tokio::spawn(async move { i }).await.map_err(|e| e.to_string())?;
        result.joined += 1;
    }
    Ok(result)
}

fn main() {
    corio_model::serve_tokio(spawn_and_join);
}
