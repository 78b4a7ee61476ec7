//! runtime/gather on tokio: each round `tokio::spawn`s `children` tasks, child i returning i,
//! into a Vec of JoinHandles, then awaits every handle in order and sums the results: tokio's
//! gather as its users write it (futures' join_all is not a dependency here, and a JoinSet
//! yields in completion order, which a gather does not). `rounds` rounds one after the other,
//! so a dropped child or round fails the check. The current_thread runtime (the row beside
//! corio): tokio::spawn only schedules, so a round's children all run when the parent first
//! waits, as py_asyncio's do.

use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Params {
    children: i64,
    rounds: i64,
}

#[derive(Serialize)]
struct Result {
    completed: i64,
    sum: i64,
}

async fn gather(params: Params) -> std::result::Result<Result, String> {
    let mut result = Result {
        completed: 0,
        sum: 0,
    };
    for _ in 0..params.rounds {
        let children: Vec<_> = (0..params.children)
            .map(|i| tokio::spawn(async move { i }))
            .collect();
        for child in children {
            result.sum += child.await.map_err(|e| e.to_string())?;
            result.completed += 1;
        }
    }
    Ok(result)
}

fn main() {
    corio_model::serve_tokio(gather);
}
