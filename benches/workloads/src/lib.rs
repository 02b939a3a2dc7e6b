//! Workloads timed the same way natively (`benches/benches/doors.rs`) and inside the WASM
//! module (its `bench` feature), so the two figures compare the same code on the same data.

pub mod commission;

use chrono::{DateTime, TimeDelta, Utc};
use salesops::money::Money;
use salesops::pipeline::{self, Actor, Context, Move, Pipeline, Record, defaults};

/// Moves applied with guards and history: a negotiation deal with a 20-entry history moves
/// to won (two guards checked, three effects planned, history extended), as the pipeline
/// bench's `apply/won_with_guards_and_effects` does.
pub struct PipelineMoves {
    pipeline: Pipeline,
    record: Record,
    actor: Actor,
    ctx: Context,
    now: DateTime<Utc>,
    won: Move,
}

impl PipelineMoves {
    /// Build the deal and its history.
    pub fn new() -> salesops::Result<Self> {
        let pipeline = defaults::load("deal")?;
        let t0: DateTime<Utc> = DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default(); // 2026-01-01
        let actor = Actor::new("ana");
        let ctx = Context::default();
        let mut r = Record::new("D-1", &pipeline, t0);
        r.amount = Some(Money::parse("48000.00", "EUR")?);
        r.owner = Some("ana".into());
        r.customer = Some("ACME".into());
        r.close_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 31);
        for i in 0..21 {
            let to = match i {
                20 => "negotiation",
                i if i % 2 == 0 => "proposal",
                _ => "qualification",
            };
            let now = t0 + TimeDelta::hours(i + 1);
            r = pipeline::apply(&pipeline, &r, &Move::to(to), &actor, now, &ctx)?.record;
        }
        let now = t0 + TimeDelta::days(88);
        Ok(PipelineMoves {
            pipeline,
            record: r,
            actor,
            ctx,
            now,
            won: Move::to("won"),
        })
    }

    /// Apply the won move `n` times; returns the number of effects planned.
    pub fn run(&self, n: u32) -> usize {
        (0..n)
            .filter_map(|_| {
                pipeline::apply(
                    &self.pipeline,
                    &self.record,
                    &self.won,
                    &self.actor,
                    self.now,
                    &self.ctx,
                )
                .ok()
            })
            .map(|a| a.effects.len())
            .sum()
    }
}
