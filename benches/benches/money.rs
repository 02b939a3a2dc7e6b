//! Money benches: largest-remainder allocation at volume.
//!
//! `cargo bench -p salesops-benches --bench money`

use criterion::{BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;
use salesops::money::{Currency, Money, allocate};
use std::hint::black_box;

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
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
