//! Every operation's example document through the Rust op table and through the C ABI,
//! timed on the same input in one run; the ratio is the C door's overhead. The medians are
//! written to `target/bench/doors-native.json`, where `benches/wasm/doors.cjs` reads them to
//! print the WASM door's ratio to native.
//!
//! `cargo bench -p salesops-benches --bench doors`

use salesops_ffi::{salesops_buffer, salesops_buffer_free, salesops_call, salesops_status};
use std::ffi::CString;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median per-call time over `runs` batches sized to take about 5 ms each.
fn median(mut f: impl FnMut()) -> Duration {
    let t = Instant::now();
    f();
    let once = t.elapsed().max(Duration::from_nanos(50));
    let per = (Duration::from_millis(5).as_nanos() / once.as_nanos()).clamp(1, 100_000) as u32;
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per {
                f();
            }
            t.elapsed() / per
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument limits the ops measured.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let mut rows = Vec::new();
    println!(
        "{:<26} {:>12} {:>12} {:>8}",
        "op (its example)", "Rust µs", "C ABI µs", "C/Rust"
    );
    for op in salesops::ops::table() {
        if filter.as_deref().is_some_and(|f| !op.name.contains(f)) {
            continue;
        }
        let name = CString::new(op.name).unwrap();
        let input = op.example;
        let rust = median(|| {
            black_box(salesops::ops::call(op.name, black_box(input)).unwrap());
        });
        let c = median(|| {
            let mut out = salesops_buffer {
                data: std::ptr::null(),
                len: 0,
            };
            // SAFETY: valid C string, valid input slice, valid out-pointer; freed once.
            unsafe {
                let st = salesops_call(name.as_ptr(), input.as_ptr(), input.len(), &mut out);
                assert_eq!(st, salesops_status::Ok);
                salesops_buffer_free(out);
            }
        });
        let (r, c) = (rust.as_secs_f64() * 1e6, c.as_secs_f64() * 1e6);
        println!("{:<26} {r:>12.2} {c:>12.2} {:>8.3}", op.name, c / r);
        rows.push(format!(
            "\"{}\":{{\"rust_us\":{r:.4},\"c_us\":{c:.4}}}",
            op.name
        ));
    }
    // The same pipeline moves the WASM module's `benchPipelineMoves` applies.
    if filter
        .as_deref()
        .is_none_or(|f| "workload.pipeline_moves".contains(f))
    {
        let w = salesops_workloads::PipelineMoves::new().unwrap();
        let t = median(|| {
            black_box(w.run(black_box(1)));
        });
        let us = t.as_secs_f64() * 1e6;
        println!(
            "{:<26} {us:>12.3} µs per guarded move ({:.2} M moves/s)",
            "workload.pipeline_moves",
            1.0 / us
        );
        rows.push(format!(
            "\"workload.pipeline_moves\":{{\"rust_us\":{us:.5},\"c_us\":null}}"
        ));
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("doors-native.json"),
        format!("{{{}}}", rows.join(",")),
    )
    .unwrap();
}
