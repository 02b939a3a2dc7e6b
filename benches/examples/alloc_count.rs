//! Heap allocations per guarded won move (the `PipelineMoves` workload that `--bench doors`
//! and the WASM module's `benchPipelineMoves` time), counted by a global allocator wrapping
//! the system one: allocations are what a move costs most inside WASM (docs/pipeline.md).
//!
//! `cargo run --release -p salesops-benches --example alloc_count`
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(l.size(), Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(n, Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

fn main() {
    let w = salesops_workloads::PipelineMoves::new().unwrap();
    let n = 1000;
    let (a0, b0) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    std::hint::black_box(w.run(n));
    let (a, b) = (ALLOCS.load(Relaxed) - a0, BYTES.load(Relaxed) - b0);
    println!(
        "per guarded won move: {} allocations, {} bytes",
        a as f64 / n as f64,
        b as f64 / n as f64
    );
}
