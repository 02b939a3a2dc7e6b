//! History replay: time in each stage, and the stage at any past instant.
//!
//! This module decides how long a record spent in each stage up to a caller-supplied
//! `as_of` instant, counting the initial stage from the record's creation (nothing is
//! lost or fabricated, unlike a log whose first entry is invented), and which stage the
//! record was in at a given instant. Each stage is a half-open interval `[entered, left)`,
//! so at the very instant of a move the record is in the new stage, and the durations of
//! all stages add up exactly to the record's age. It never reads the ambient clock.

use super::definition::Pipeline;
use super::record::Record;
use crate::error::{Error, Result};
use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

/// Time spent in one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageDuration {
    /// Stage id.
    pub stage: String,
    /// Exact seconds (a decimal: sub-second instants stay exact).
    pub seconds: Decimal,
    /// Days, rounded half-even to 2 places (for display; sum the seconds, not these).
    pub days: Decimal,
    /// How many times the record entered the stage (the initial stage counts once).
    pub visits: u32,
}

fn seconds(d: TimeDelta) -> Result<Decimal> {
    d.num_nanoseconds()
        .map(|n| Decimal::new(n, 9).normalize())
        .ok_or_else(|| Error::overflow("as_of", "the record's age does not fit in nanoseconds"))
}

fn days(secs: Decimal) -> Decimal {
    let mut d = (secs / Decimal::from(86_400))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    d.rescale(2);
    d
}

/// Time in each stage up to `as_of`, in the pipeline's stage order (stages never entered
/// are left out), plus the record's age; errors at `as_of` when it is before the record
/// was created.
///
/// ```
/// use salesops::pipeline::{self, Record};
/// let deal = pipeline::defaults::load("deal").unwrap();
/// let r = Record::parse_json(r#"{"id":"D","stage":"qualification","created_at":"2026-01-01T00:00:00Z",
///   "history":[{"at":"2026-01-03T00:00:00Z","by":"u","from":"prospecting","to":"qualification"}]}"#, &deal).unwrap();
/// let (d, age) = pipeline::durations(&deal, &r, "2026-01-04T12:00:00Z".parse().unwrap()).unwrap();
/// assert_eq!(age.to_string(), "302400");
/// assert_eq!((d[0].stage.as_str(), d[0].seconds.to_string()), ("prospecting", "172800".into()));
/// ```
pub fn durations(
    pipeline: &Pipeline,
    record: &Record,
    as_of: DateTime<Utc>,
) -> Result<(Vec<StageDuration>, Decimal)> {
    if as_of < record.created_at() {
        return Err(Error::invalid(
            "as_of",
            format!(
                "{as_of} is before the record was created ({})",
                record.created_at()
            ),
        ));
    }
    let n = pipeline.stages().len();
    let mut total = vec![TimeDelta::zero(); n];
    let mut visits = vec![0u32; n];
    let index = |id: &str| {
        pipeline
            .stage_index(id)
            .ok_or_else(|| Error::invalid("record.stage", format!("unknown stage `{id}`")))
    };
    let mut current = index(record.first_stage())?;
    let mut since = record.created_at();
    visits[current] += 1;
    for h in record.history() {
        if h.at > as_of {
            break;
        }
        total[current] += h.at - since;
        current = index(&h.to)?;
        visits[current] += 1;
        since = h.at;
    }
    total[current] += as_of - since;
    let mut out = Vec::new();
    for (i, stage) in pipeline.stages().iter().enumerate() {
        if visits[i] > 0 {
            let s = seconds(total[i])?;
            out.push(StageDuration {
                stage: stage.id.to_string(),
                seconds: s,
                days: days(s),
                visits: visits[i],
            });
        }
    }
    Ok((out, seconds(as_of - record.created_at())?))
}

/// The stage the record was in at `at`, or `None` before it was created.
///
/// ```
/// use salesops::pipeline::{self, Record};
/// let deal = pipeline::defaults::load("deal").unwrap();
/// let r = Record::parse_json(r#"{"id":"D","stage":"qualification","created_at":"2026-01-01T00:00:00Z",
///   "history":[{"at":"2026-01-03T00:00:00Z","by":"u","from":"prospecting","to":"qualification"}]}"#, &deal).unwrap();
/// assert_eq!(pipeline::stage_at(&r, "2026-01-02T00:00:00Z".parse().unwrap()), Some("prospecting"));
/// assert_eq!(pipeline::stage_at(&r, "2026-01-03T00:00:00Z".parse().unwrap()), Some("qualification"));
/// assert_eq!(pipeline::stage_at(&r, "2025-12-31T00:00:00Z".parse().unwrap()), None);
/// ```
pub fn stage_at(record: &Record, at: DateTime<Utc>) -> Option<&str> {
    if at < record.created_at() {
        return None;
    }
    let mut stage = record.first_stage();
    for h in record.history() {
        if h.at > at {
            break;
        }
        stage = &h.to;
    }
    Some(stage)
}
