//! runtime/skynet on tokio: every node is a `tokio::spawn`ed task; an inner node spawns its 10
//! children and awaits their JoinHandles in order, summing the results; leaf i returns i. The
//! recursion goes through `node`, a plain function returning the JoinHandle, so no future
//! contains itself (no boxing). The current_thread runtime (the row beside corio): spawn only
//! schedules and the run queue is FIFO, so the tree runs breadth first and all of it is alive
//! at once, as asio's and asyncio's are.

use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;

const FAN_OUT: i64 = 10; // params.hpp's kFanOut

#[derive(Deserialize)]
struct Params {
    leaves: i64,
}

#[derive(Serialize)]
struct Result {
    sum: i64,
}

fn node(num: i64, size: i64) -> JoinHandle<i64> {
    tokio::spawn(async move {
        if size == 1 {
            return num;
        }
        let child_size = size / FAN_OUT;
        let children: Vec<_> = (0..FAN_OUT)
            .map(|i| node(num + i * child_size, child_size))
            .collect();
        let mut sum = 0;
        for child in children {
            // A child panics only if the runtime is going down: pass it on.
            sum += child.await.expect("a skynet node failed");
        }
        sum
    })
}

async fn skynet(params: Params) -> std::result::Result<Result, String> {
    let sum = node(0, params.leaves).await.map_err(|e| e.to_string())?;
    Ok(Result { sum })
}

fn main() {
    corio_model::serve_tokio(skynet);
}
