//! Money benches: largest-remainder allocation at volume, and the cost of each door.
//!
//! `cargo bench -p salesops-benches --bench money` prints criterion's timings and, at the
//! end, the ratio of the C ABI to the Rust op table on the same call.

use criterion::{BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;
use salesops::money::{Currency, Money, allocate};
use salesops_ffi::{salesops_buffer, salesops_buffer_free, salesops_call, salesops_status};
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 1_000_000;

/// N deal amounts between 0.01 and 99,999.99, deterministic.
fn amounts(n: usize) -> Vec<Money> {
    let usd = Currency::parse("USD").unwrap();
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Money::new(Decimal::new((x % 9_999_999 + 1) as i64, 2), usd)
        })
        .collect()
}

const DOC: &str = r#"{"total":{"amount":"1000.00","currency":"USD"},"weights":["1","1","1"]}"#;

fn via_op_table() -> usize {
    salesops::ops::call("money.allocate", black_box(DOC))
        .unwrap()
        .len()
}

fn via_c_abi() -> usize {
    let mut out = salesops_buffer {
        data: std::ptr::null(),
        len: 0,
    };
    // SAFETY: valid NUL-terminated op, valid input buffer, valid out-pointer.
    let status = unsafe {
        salesops_call(
            c"money.allocate".as_ptr(),
            DOC.as_ptr(),
            DOC.len(),
            &mut out,
        )
    };
    assert_eq!(status, salesops_status::Ok);
    let len = out.len;
    // SAFETY: `out` came from salesops_call and is freed once.
    unsafe { salesops_buffer_free(out) };
    len
}

fn bench(c: &mut Criterion) {
    let data = amounts(N);
    let thirds = [Decimal::ONE; 3];
    let mut g = c.benchmark_group("allocate");
    g.sample_size(10).throughput(Throughput::Elements(N as u64));
    g.bench_function(BenchmarkId::new("1M amounts into 3 parts", N), |b| {
        b.iter(|| {
            data.iter()
                .map(|m| allocate(*m, &thirds, None).unwrap()[0].amount)
                .sum::<Decimal>()
        })
    });
    let weights: Vec<Decimal> = (0..N).map(|i| Decimal::from(i % 97 + 1)).collect();
    let total = Money::parse("123456789.01", "USD").unwrap();
    g.bench_function(BenchmarkId::new("one amount into 1M parts", N), |b| {
        b.iter(|| allocate(black_box(total), &weights, None).unwrap().len())
    });
    g.finish();

    let mut g = c.benchmark_group("doors: money.allocate");
    g.bench_function("Rust op table", |b| b.iter(via_op_table));
    g.bench_function("C ABI", |b| b.iter(via_c_abi));
    g.finish();
}

/// Median time of `f` over `runs` batches of `per` calls.
fn median(f: fn() -> usize, runs: usize, per: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per {
                black_box(f());
            }
            t.elapsed() / per as u32
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    let rust = median(via_op_table, 31, 2_000);
    let cabi = median(via_c_abi, 31, 2_000);
    println!(
        "doors: money.allocate via the Rust op table {rust:?}, via the C ABI {cabi:?}: C/Rust ratio {:.3}",
        cabi.as_secs_f64() / rust.as_secs_f64()
    );
}
