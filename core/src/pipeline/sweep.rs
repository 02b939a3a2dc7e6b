//! Sweep: the events that time alone triggers.
//!
//! This module decides, for records in open stages and a caller-supplied `now`, which
//! time rules have fired: a task or invoice past its due date, a quote past its validity,
//! a contract within its renewal notice, a record idle in its stage longer than the
//! stage's `stale_after_days`, an owned lead nobody has worked for the pool's number of
//! days. It never moves a record or reassigns it; the host (or a later
//! [`apply`](super::apply)) acts on the events. Records in terminal stages fire nothing.

use super::definition::Pipeline;
use super::record::Record;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Thresholds of the time rules that are not part of a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepRules {
    /// Report a renewal this many days before the renewal date (default 30).
    #[serde(default = "default_notice")]
    pub renewal_notice_days: u32,
    /// Return owned records to the shared pool after this many days without work
    /// (`last_activity_at` or the last move, whichever is later); off when absent.
    #[serde(default)]
    pub pool_after_days: Option<u32>,
}

fn default_notice() -> u32 {
    30
}

impl Default for SweepRules {
    fn default() -> Self {
        SweepRules {
            renewal_notice_days: default_notice(),
            pool_after_days: None,
        }
    }
}

/// One fired time rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SweepEvent {
    /// The due date has passed (tasks, invoices).
    Overdue {
        /// Record id.
        record: String,
        /// Its stage.
        stage: String,
        /// The due date.
        due_date: NaiveDate,
        /// Whole days since the due date.
        days_overdue: i64,
    },
    /// The validity date has passed (quotes).
    Expired {
        /// Record id.
        record: String,
        /// Its stage.
        stage: String,
        /// The last valid day.
        valid_until: NaiveDate,
        /// Whole days since it.
        days_past: i64,
    },
    /// The renewal date is within the notice period (or already past: negative days).
    RenewalDue {
        /// Record id.
        record: String,
        /// Its stage.
        stage: String,
        /// The renewal date.
        renewal_date: NaiveDate,
        /// Whole days until it.
        days_left: i64,
    },
    /// The record has sat in its stage longer than the stage allows.
    Stale {
        /// Record id.
        record: String,
        /// Its stage.
        stage: String,
        /// Whole days since it entered the stage.
        idle_days: i64,
        /// The stage's threshold.
        stale_after_days: u32,
    },
    /// Nobody has worked the record for the pool's number of days: back to the pool.
    ReturnToPool {
        /// Record id.
        record: String,
        /// The owner losing it.
        owner: String,
        /// Whole days since it was last worked.
        idle_days: i64,
    },
}

/// The time-triggered events for `records` at `now`, in record order and, per record,
/// in the order overdue, expired, renewal due, stale, return to pool.
///
/// Dates compare with `now`'s UTC date: a due date is overdue from the next day on. A
/// record is stale when strictly more than `stale_after_days` × 24 h have passed since it
/// entered its stage, and returns to the pool when strictly more than `pool_after_days`
/// × 24 h have passed since it was last worked. `now` before a record's last move is an
/// `invalid_input` at `now`.
pub fn sweep(
    pipeline: &Pipeline,
    records: &[Record],
    now: DateTime<Utc>,
    rules: &SweepRules,
) -> Result<Vec<SweepEvent>> {
    let today = now.date_naive();
    let mut out = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let stage = pipeline.stage(r.stage()).ok_or_else(|| {
            Error::invalid(
                format!("records[{i}].stage"),
                format!("unknown stage `{}`", r.stage()),
            )
        })?;
        let entered = r.stage_entered_at();
        if now < entered {
            return Err(Error::invalid(
                "now",
                format!(
                    "{now} is before record `{}` entered its stage ({entered})",
                    r.id
                ),
            ));
        }
        if stage.kind.is_terminal() {
            continue;
        }
        if let Some(due) = r.due_date.filter(|d| *d < today) {
            out.push(SweepEvent::Overdue {
                record: r.id.to_string(),
                stage: stage.id.to_string(),
                due_date: due,
                days_overdue: (today - due).num_days(),
            });
        }
        if let Some(v) = r.valid_until.filter(|d| *d < today) {
            out.push(SweepEvent::Expired {
                record: r.id.to_string(),
                stage: stage.id.to_string(),
                valid_until: v,
                days_past: (today - v).num_days(),
            });
        }
        if let Some(rd) = r.renewal_date {
            let left = (rd - today).num_days();
            if left <= i64::from(rules.renewal_notice_days) {
                out.push(SweepEvent::RenewalDue {
                    record: r.id.to_string(),
                    stage: stage.id.to_string(),
                    renewal_date: rd,
                    days_left: left,
                });
            }
        }
        let idle = now - entered;
        if let Some(n) = stage.stale_after_days {
            if idle > TimeDelta::days(i64::from(n)) {
                out.push(SweepEvent::Stale {
                    record: r.id.to_string(),
                    stage: stage.id.to_string(),
                    idle_days: idle.num_days(),
                    stale_after_days: n,
                });
            }
        }
        if let (Some(n), Some(owner)) = (rules.pool_after_days, &r.owner) {
            let worked = r.last_activity_at.map_or(entered, |a| a.max(entered));
            let idle = now - worked.min(now);
            if idle > TimeDelta::days(i64::from(n)) {
                out.push(SweepEvent::ReturnToPool {
                    record: r.id.to_string(),
                    owner: owner.to_string(),
                    idle_days: idle.num_days(),
                });
            }
        }
    }
    Ok(out)
}
