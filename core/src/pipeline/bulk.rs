//! Bulk moves: many records, one request, per-item results or all-or-nothing.
//!
//! This module decides how a batch of moves (a sales manager's batch status update)
//! reports: every item is decided independently by [`apply`](super::apply) against the
//! same pipeline, actor and `now`; in per-item mode each accepted move stands and each
//! refusal is reported with its code and field; in all-or-nothing mode a single refusal
//! means nothing is applied. It never decides a move differently from `apply`, and never
//! lets one item see another's result (two moves of the same record in one batch are
//! refused as bad input).

use super::apply::{Actor, Context, Move, apply};
use super::effect::PlannedEffect;
use super::record::{HistoryEntry, Record};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashSet;

/// One move of a batch.
#[derive(Debug, Clone)]
pub struct BulkItem {
    /// The record.
    pub record: Record,
    /// The move.
    pub mv: Move,
    /// This item's context (credit position, approvals); the batch's when `None`.
    pub context: Option<Context>,
}

/// Why an item was refused: the error's stable parts, without the human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemError {
    /// Stable error code.
    pub code: &'static str,
    /// The field the error names, if any (`record.close_date`, `move.reason`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The guard that refused, for `guard_failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guard: Option<String>,
    /// The stages of a refused transition, for `invalid_transition`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// See `from`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl From<&Error> for ItemError {
    fn from(e: &Error) -> Self {
        let (guard, from, to) = match e {
            Error::GuardFailed { guard, .. } => (Some(guard.clone()), None, None),
            Error::InvalidTransition { from, to, .. } => {
                (None, Some(from.clone()), Some(to.clone()))
            }
            _ => (None, None, None),
        };
        ItemError {
            code: e.code().as_str(),
            field: e.field().map(str::to_string),
            guard,
            from,
            to,
        }
    }
}

/// What an applied move carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Moved {
    /// The moved record.
    pub record: Box<Record>,
    /// The appended history entry.
    pub entry: HistoryEntry,
    /// Effects to carry out.
    pub effects: Vec<PlannedEffect>,
}

/// What an applied reassignment carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reassigned {
    /// The record with its new owner.
    pub record: Box<Record>,
}

/// The result of one item of a batch; `T` is what an applied item carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemResult<T> {
    /// The item was accepted.
    Applied {
        /// Position in the batch.
        index: usize,
        /// The result.
        #[serde(flatten)]
        done: T,
    },
    /// The item was refused.
    Refused {
        /// Position in the batch.
        index: usize,
        /// Why.
        error: ItemError,
    },
    /// The item would have been accepted, but another item was refused in an
    /// all-or-nothing batch, so nothing was applied.
    NotApplied {
        /// Position in the batch.
        index: usize,
    },
}

/// The outcome of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Batch<T> {
    /// Whether the host should save the `applied` results: always in per-item mode; in
    /// all-or-nothing mode only when every item was accepted.
    pub committed: bool,
    /// Items applied.
    pub applied: usize,
    /// Items refused.
    pub refused: usize,
    /// One result per item, in batch order.
    pub results: Vec<ItemResult<T>>,
}

/// The result of one move of a batch.
pub type BulkResult = ItemResult<Moved>;
/// The outcome of a batch of moves.
pub type BulkOutcome = Batch<Moved>;
/// The result of one reassignment of a batch.
pub type ReassignResult = ItemResult<Reassigned>;
/// The outcome of a batch reassignment.
pub type ReassignOutcome = Batch<Reassigned>;

/// Refuse a batch that names a record twice: no item may see another's result.
fn check_unique<'a>(ids: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            return Err(Error::invalid(
                format!("items[{i}].record.id"),
                format!("record `{id}` appears more than once in the batch"),
            ));
        }
    }
    Ok(())
}

/// Decide every item independently, then apply the batch mode: per item, or
/// all-or-nothing (`atomic`), where one refusal turns every accepted item into
/// `not_applied`.
fn run<I, T>(items: &[I], atomic: bool, mut decide: impl FnMut(&I) -> Result<T>) -> Batch<T> {
    let mut refused = 0;
    let mut results: Vec<ItemResult<T>> = items
        .iter()
        .enumerate()
        .map(|(index, it)| match decide(it) {
            Ok(done) => ItemResult::Applied { index, done },
            Err(e) => {
                refused += 1;
                ItemResult::Refused {
                    index,
                    error: ItemError::from(&e),
                }
            }
        })
        .collect();
    let committed = !(atomic && refused > 0);
    if !committed {
        for r in &mut results {
            if let ItemResult::Applied { index, .. } = r {
                *r = ItemResult::NotApplied { index: *index };
            }
        }
    }
    Batch {
        committed,
        applied: if committed { items.len() - refused } else { 0 },
        refused,
        results,
    }
}

/// Decide a batch of moves. `atomic` asks for all-or-nothing. Errors only for bad input
/// (`invalid_input` at `items[i].record.id` when a record appears twice).
pub fn apply_bulk(
    pipeline: &super::Pipeline,
    items: &[BulkItem],
    actor: &Actor,
    now: DateTime<Utc>,
    ctx: &Context,
    atomic: bool,
) -> Result<BulkOutcome> {
    check_unique(items.iter().map(|it| &*it.record.id))?;
    Ok(run(items, atomic, |it| {
        let c = it.context.as_ref().unwrap_or(ctx);
        apply(pipeline, &it.record, &it.mv, actor, now, c).map(|a| Moved {
            record: Box::new(a.record),
            entry: a.entry,
            effects: a.effects,
        })
    }))
}

/// One reassignment of a batch.
#[derive(Debug, Clone)]
pub struct Reassign {
    /// The record.
    pub record: Record,
    /// Its new owner.
    pub owner: String,
}

/// Give each record of a batch a new owner (a sales manager's batch assignment). Only
/// records in open stages move between owners: a won, lost or closed record keeps the
/// owner it was closed under, since commissions and win rates are credited to it
/// (`guard_failed`, guard `reassign`, field `record.stage`). A reassignment counts as
/// work on the record (`last_activity_at = now`, restarting the lead-pool clock).
/// Errors only for bad input: an empty owner (`items[i].owner`), a record twice, `now`
/// before a record's last move.
pub fn reassign_bulk(
    pipeline: &super::Pipeline,
    items: &[Reassign],
    now: DateTime<Utc>,
    atomic: bool,
) -> Result<ReassignOutcome> {
    for (i, it) in items.iter().enumerate() {
        if it.owner.is_empty() {
            return Err(Error::invalid(
                format!("items[{i}].owner"),
                "must not be empty",
            ));
        }
        if now < it.record.stage_entered_at() {
            return Err(Error::invalid(
                "now",
                format!(
                    "{now} is before record `{}` entered its stage",
                    it.record.id
                ),
            ));
        }
    }
    check_unique(items.iter().map(|it| &*it.record.id))?;
    Ok(run(items, atomic, |it| {
        let stage = it.record.stage();
        if pipeline.stage(stage).is_none_or(|s| s.kind.is_terminal()) {
            return Err(Error::GuardFailed {
                guard: "reassign".into(),
                field: "record.stage".into(),
                reason: format!("`{stage}` is closed; a closed record keeps its owner"),
            });
        }
        let mut r = it.record.clone();
        r.owner = Some(it.owner.as_str().into());
        r.last_activity_at = Some(now);
        Ok(Reassigned {
            record: Box::new(r),
        })
    }))
}
