//! A profile harness for `commission::compute` (not a bench: timings live in
//! `benches/benches/commission.rs`). Checks the commission bench's input once, then runs
//! `compute` `LOOPS` times (default 10), printing each run's time, so that a profiler sees
//! mostly `compute`:
//!
//! ```sh
//! cargo build --release -p salesops-benches --example commission_profile
//! perf record -g target/release/examples/commission_profile
//! N=20000 P=20 LOOPS=3 valgrind --tool=callgrind \
//!   --toggle-collect='salesops::commission::compute*' target/release/examples/commission_profile
//! ```
//!
//! `N` credits and `P` payees size the input (default 1,000,000 and 1,000); `THREADS`
//! sets the computation's `threads` (default 1).

use salesops::commission::{Compute, compute};
use salesops_workloads::commission::commission_quarter;
use std::hint::black_box;
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let mut spec = commission_quarter(env("N", 1_000_000), env("P", 1_000));
    spec.threads = Some(env("THREADS", 1));
    let checked = Compute::new(spec).expect("the bench input is valid");
    for _ in 0..env("LOOPS", 10) {
        let t = Instant::now();
        let statements = compute(black_box(&checked)).expect("the bench input computes");
        let elapsed = t.elapsed();
        let lines: usize = statements.iter().map(|s| s.lines.len()).sum();
        println!(
            "compute {elapsed:?}: {} statements, {lines} lines",
            statements.len()
        );
    }
}
