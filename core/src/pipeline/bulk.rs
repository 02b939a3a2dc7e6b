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

/// The result of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BulkResult {
    /// The move was accepted.
    Applied {
        /// Position in the batch.
        index: usize,
        /// The moved record.
        record: Box<Record>,
        /// The appended history entry.
        entry: HistoryEntry,
        /// Effects to carry out.
        effects: Vec<PlannedEffect>,
    },
    /// The move was refused.
    Refused {
        /// Position in the batch.
        index: usize,
        /// Why.
        error: ItemError,
    },
    /// The move would have been accepted, but another item was refused in an
    /// all-or-nothing batch, so nothing was applied.
    NotApplied {
        /// Position in the batch.
        index: usize,
    },
}

/// The outcome of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkOutcome {
    /// Whether the host should save the `applied` results: always in per-item mode; in
    /// all-or-nothing mode only when every item was accepted.
    pub committed: bool,
    /// Items whose move is applied.
    pub applied: usize,
    /// Items refused.
    pub refused: usize,
    /// One result per item, in batch order.
    pub results: Vec<BulkResult>,
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
    let mut seen = HashSet::with_capacity(items.len());
    for (i, it) in items.iter().enumerate() {
        if !seen.insert(it.record.id.as_str()) {
            return Err(Error::invalid(
                format!("items[{i}].record.id"),
                format!(
                    "record `{}` appears more than once in the batch",
                    it.record.id
                ),
            ));
        }
    }
    let mut results = Vec::with_capacity(items.len());
    let mut refused = 0;
    for (index, it) in items.iter().enumerate() {
        let c = it.context.as_ref().unwrap_or(ctx);
        results.push(match apply(pipeline, &it.record, &it.mv, actor, now, c) {
            Ok(a) => BulkResult::Applied {
                index,
                record: Box::new(a.record),
                entry: a.entry,
                effects: a.effects,
            },
            Err(e) => {
                refused += 1;
                BulkResult::Refused {
                    index,
                    error: ItemError::from(&e),
                }
            }
        });
    }
    if atomic && refused > 0 {
        for r in &mut results {
            if let BulkResult::Applied { index, .. } = r {
                *r = BulkResult::NotApplied { index: *index };
            }
        }
    }
    let committed = !(atomic && refused > 0);
    Ok(BulkOutcome {
        committed,
        applied: if committed { items.len() - refused } else { 0 },
        refused,
        results,
    })
}

/// One reassignment of a batch.
#[derive(Debug, Clone)]
pub struct Reassign {
    /// The record.
    pub record: Record,
    /// Its new owner.
    pub owner: String,
}

/// The result of one reassignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReassignResult {
    /// The record has its new owner.
    Applied {
        /// Position in the batch.
        index: usize,
        /// The record with its new owner.
        record: Box<Record>,
    },
    /// Refused (the record is in a terminal stage).
    Refused {
        /// Position in the batch.
        index: usize,
        /// Why.
        error: ItemError,
    },
    /// Would have been applied, but the all-or-nothing batch had a refusal.
    NotApplied {
        /// Position in the batch.
        index: usize,
    },
}

/// The outcome of a batch reassignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReassignOutcome {
    /// Whether the host should save the applied results (see [`BulkOutcome::committed`]).
    pub committed: bool,
    /// Items applied.
    pub applied: usize,
    /// Items refused.
    pub refused: usize,
    /// One result per item.
    pub results: Vec<ReassignResult>,
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
    let mut seen = HashSet::with_capacity(items.len());
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
        if !seen.insert(it.record.id.as_str()) {
            return Err(Error::invalid(
                format!("items[{i}].record.id"),
                format!(
                    "record `{}` appears more than once in the batch",
                    it.record.id
                ),
            ));
        }
    }
    let mut refused = 0;
    let mut results = Vec::with_capacity(items.len());
    for (index, it) in items.iter().enumerate() {
        let open = pipeline
            .stage(it.record.stage())
            .is_some_and(|s| !s.kind.is_terminal());
        results.push(if open {
            let mut r = it.record.clone();
            r.owner = Some(it.owner.clone());
            r.last_activity_at = Some(now);
            ReassignResult::Applied {
                index,
                record: Box::new(r),
            }
        } else {
            refused += 1;
            ReassignResult::Refused {
                index,
                error: ItemError {
                    code: "guard_failed",
                    field: Some("record.stage".into()),
                    guard: Some("reassign".into()),
                    from: None,
                    to: None,
                },
            }
        });
    }
    if atomic && refused > 0 {
        for r in &mut results {
            if let ReassignResult::Applied { index, .. } = r {
                *r = ReassignResult::NotApplied { index: *index };
            }
        }
    }
    let committed = !(atomic && refused > 0);
    Ok(ReassignOutcome {
        committed,
        applied: if committed { items.len() - refused } else { 0 },
        refused,
        results,
    })
}
