//! Moves applied per second, with guards and history, on the default deal pipeline.
//!
//! `*_owned` variants use `apply_owned`, which moves the record in instead of cloning it.
//! `apply/won_with_guards_and_effects`: a negotiation deal with a 20-entry history moves
//! to won (two guards checked, three effects planned, the history cloned and extended).
//! `apply/open_move`: an any-open move without guards. `walk/quarter`: one deal walked
//! through five stages to won, as a quarter's funnel does. `op/pipeline.apply`: the same
//! won move through the JSON operation table (parse, validate definition, render), which
//! is what the C and WASM doors pay per call.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use salesops::money::Money;
use salesops::pipeline::{self, Actor, Context, Move, Record, defaults};
use std::hint::black_box;

fn deal_with_history(p: &pipeline::Pipeline, n: usize) -> Record {
    let t0: chrono::DateTime<chrono::Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
    let mut r = Record::new("D-1", p, t0);
    r.amount = Some(Money::parse("48000.00", "EUR").unwrap());
    r.owner = Some("ana".into());
    r.customer = Some("ACME".into());
    r.close_date = Some("2026-03-31".parse().unwrap());
    let actor = Actor::new("ana");
    let ctx = Context::default();
    for i in 0..n {
        let now = t0 + chrono::TimeDelta::hours(i as i64 + 1);
        let to = if i % 2 == 0 {
            "proposal"
        } else {
            "qualification"
        };
        r = pipeline::apply(p, &r, &Move::to(to), &actor, now, &ctx)
            .unwrap()
            .record;
    }
    if n > 0 {
        let now = t0 + chrono::TimeDelta::hours(n as i64 + 1);
        r = pipeline::apply(p, &r, &Move::to("negotiation"), &actor, now, &ctx)
            .unwrap()
            .record;
    }
    r
}

fn bench(c: &mut Criterion) {
    let p = defaults::load("deal").unwrap();
    let actor = Actor::new("ana");
    let ctx = Context::default();
    let now: chrono::DateTime<chrono::Utc> = "2026-03-30T00:00:00Z".parse().unwrap();
    let record = deal_with_history(&p, 20);
    let won = Move::to("won");
    let open = Move::to("proposal");

    let mut g = c.benchmark_group("apply");
    g.throughput(Throughput::Elements(1));
    g.bench_function("won_with_guards_and_effects", |b| {
        b.iter(|| {
            pipeline::apply(&p, black_box(&record), black_box(&won), &actor, now, &ctx).unwrap()
        })
    });
    g.bench_function("won_owned", |b| {
        b.iter_batched(
            || record.clone(),
            |r| pipeline::apply_owned(&p, r, black_box(&won), &actor, now, &ctx).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("open_move_owned", |b| {
        b.iter_batched(
            || record.clone(),
            |r| pipeline::apply_owned(&p, r, black_box(&open), &actor, now, &ctx).unwrap(),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("open_move", |b| {
        b.iter(|| {
            pipeline::apply(&p, black_box(&record), black_box(&open), &actor, now, &ctx).unwrap()
        })
    });
    g.finish();

    let fresh = deal_with_history(&p, 0);
    let path = ["qualification", "needs_analysis", "proposal", "won"];
    let moves: Vec<Move> = path.iter().map(|s| Move::to(*s)).collect();
    let mut g = c.benchmark_group("walk");
    g.throughput(Throughput::Elements(moves.len() as u64));
    g.bench_function("quarter", |b| {
        b.iter(|| {
            let mut r = fresh.clone();
            for m in &moves {
                r = pipeline::apply(&p, &r, m, &actor, now, &ctx)
                    .unwrap()
                    .record;
            }
            r
        })
    });
    g.bench_function("quarter_owned", |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut r| {
                for m in &moves {
                    r = pipeline::apply_owned(&p, r, m, &actor, now, &ctx)
                        .unwrap()
                        .record;
                }
                r
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();

    let input = salesops::ops::find("pipeline.apply").unwrap().example;
    let mut g = c.benchmark_group("op");
    g.throughput(Throughput::Elements(1));
    g.bench_function("pipeline.apply", |b| {
        b.iter(|| salesops::ops::call("pipeline.apply", black_box(input)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
