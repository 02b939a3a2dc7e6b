//! Apply: decide one move of one record.
//!
//! This module decides whether a record may move to a stage now (the move exists, the
//! reason rules hold, every guard holds) and, if so, what the record becomes: its new
//! stage, its probability under the pipeline's probability rule, its close instant, its
//! lost reason and the stage it was lost from, the appended history entry, and the effects
//! that follow. It never mutates its input (a refused move leaves the record exactly as it
//! was), never reads a clock (`now` is an argument) and never carries an effect out.

use super::definition::{Cell, Pipeline, ProbabilityOnMove, StageKind};
use super::effect::PlannedEffect;
use super::record::{HistoryEntry, Probability, ProbabilitySource, Record};
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A requested move.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// Target stage id.
    pub to: String,
    /// Why (required into some stages; a lost reason from the pipeline's list).
    #[serde(default)]
    pub reason: Option<Arc<str>>,
    /// Override the probability with this move (0..=100).
    #[serde(default)]
    pub probability: Option<u32>,
}

impl Move {
    /// A move to `stage` with no reason.
    pub fn to(stage: impl Into<String>) -> Self {
        Move {
            to: stage.into(),
            reason: None,
            probability: None,
        }
    }

    /// The same move with a reason.
    pub fn because(mut self, reason: impl Into<Arc<str>>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// Who makes the move.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The person's id, written into the history (shared with every entry it writes).
    pub id: Arc<str>,
    /// Their roles, for `role` guards.
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Actor {
    /// An actor with no roles.
    pub fn new(id: impl Into<Arc<str>>) -> Self {
        Actor {
            id: id.into(),
            roles: Vec::new(),
        }
    }

    /// The same actor with one more role.
    pub fn with_role(mut self, role: impl Into<String>) -> Self {
        self.roles.push(role.into());
        self
    }
}

/// A customer's credit position, for `credit_limit` guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// The customer's credit limit.
    pub limit: Money,
    /// What the customer already owes on open invoices and confirmed orders.
    pub open_receivables: Money,
}

/// What the host knows beyond the record: granted approvals, credit, the owner's manager.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Names of the approvals granted for this move (e.g. `"discount"`).
    #[serde(default)]
    pub approvals: Vec<String>,
    /// The customer's credit position.
    #[serde(default)]
    pub credit: Option<Credit>,
    /// The owner's manager, for tasks assigned to `manager`.
    #[serde(default)]
    pub manager: Option<Arc<str>>,
}

/// The result of an accepted move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The record after the move.
    pub record: Record,
    /// The history entry appended.
    pub entry: HistoryEntry,
    /// What the host should now do.
    pub effects: Vec<PlannedEffect>,
}

/// Decide one move. Errors (and the unchanged input) when the move is refused:
///
/// - `invalid_input` at `move.to` for an unknown stage, at `now` for an instant before
///   the record's last move, at `move.probability` outside 0..=100, at `actor.id` when
///   empty;
/// - `invalid_transition` when no such move exists (including out of a terminal stage
///   without a declared reopen, and to the current stage);
/// - `guard_failed` naming the guard and the field: `reason_required` and `lost_reason`
///   at `move.reason`, then the transition's guards in order.
pub fn apply(
    pipeline: &Pipeline,
    record: &Record,
    mv: &Move,
    actor: &Actor,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<Applied> {
    let d = decide(pipeline, record, mv, actor, now, ctx)?;
    Ok(commit(pipeline, d, record.clone(), mv, actor, now))
}

/// [`apply`] taking the record by value, so not even its small fields are copied: on success the
/// record is moved into the result, on refusal it is handed back unchanged with the error.
/// Hosts that own their records (and the bench) use this; it decides exactly like `apply`.
#[allow(clippy::result_large_err)]
pub fn apply_owned(
    pipeline: &Pipeline,
    record: Record,
    mv: &Move,
    actor: &Actor,
    now: DateTime<Utc>,
    ctx: &Context,
) -> std::result::Result<Applied, (Error, Record)> {
    match decide(pipeline, &record, mv, actor, now, ctx) {
        Ok(d) => Ok(commit(pipeline, d, record, mv, actor, now)),
        Err(e) => Err((e, record)),
    }
}

/// What `decide` found: the stage indices and the governing transition.
struct Decision {
    from: usize,
    to: usize,
    effects: Vec<PlannedEffect>,
}

fn decide(
    pipeline: &Pipeline,
    record: &Record,
    mv: &Move,
    actor: &Actor,
    now: DateTime<Utc>,
    ctx: &Context,
) -> Result<Decision> {
    let from = pipeline.stage_index(&record.stage).ok_or_else(|| {
        Error::invalid(
            "record.stage",
            format!(
                "unknown stage `{}` in pipeline `{}`",
                record.stage,
                pipeline.id()
            ),
        )
    })?;
    let to = pipeline.stage_index(&mv.to).ok_or_else(|| {
        Error::invalid(
            "move.to",
            format!("unknown stage `{}` in pipeline `{}`", mv.to, pipeline.id()),
        )
    })?;
    if actor.id.is_empty() {
        return Err(Error::invalid("actor.id", "must not be empty"));
    }
    let entered = record.stage_entered_at();
    if now < entered {
        return Err(Error::invalid(
            "now",
            format!("{now} is before the record entered its stage ({entered})"),
        ));
    }
    if let Some(p) = mv.probability {
        if p > 100 {
            return Err(Error::invalid(
                "move.probability",
                format!("{p} is outside 0..=100"),
            ));
        }
    }
    let stages = pipeline.stages();
    let (src, dst) = (&stages[from], &stages[to]);
    let refuse = |reason: String| Error::InvalidTransition {
        from: src.id.to_string(),
        to: dst.id.to_string(),
        reason,
    };
    if from == to {
        return Err(refuse("the record is already in this stage".into()));
    }
    let transition = match pipeline.cell(from, to) {
        Cell::None if src.kind.is_terminal() => {
            return Err(refuse(format!(
                "`{}` is terminal and no reopen to `{}` is declared",
                src.id, dst.id
            )));
        }
        Cell::None => return Err(refuse("no such transition is declared".into())),
        Cell::Free => None,
        Cell::Declared(i) => pipeline.transitions().get(i),
    };

    let reason = mv.reason.as_deref().filter(|r| !r.is_empty());
    let needs_reason = dst.reason_required || transition.is_some_and(|t| t.reason_required);
    if needs_reason && reason.is_none() {
        return Err(Error::GuardFailed {
            guard: "reason_required".into(),
            field: "move.reason".into(),
            reason: format!("a move into `{}` needs a reason", dst.id),
        });
    }
    if let (StageKind::Lost, Some(r)) = (dst.kind, reason) {
        let allowed = pipeline.lost_reasons();
        if !allowed.is_empty() && !allowed.iter().any(|a| a == r) {
            return Err(Error::GuardFailed {
                guard: "lost_reason".into(),
                field: "move.reason".into(),
                reason: format!("`{r}` is not one of the pipeline's lost reasons {allowed:?}"),
            });
        }
    }
    if let Some(t) = transition {
        for g in &t.guards {
            g.check(record, actor, ctx)?;
        }
    }

    // Effects read only what a move does not change (id, owner, customer, amount), so
    // they are planned here, before anything is committed.
    // A plain loop into an exactly sized Vec: `collect::<Result<Vec<_>>>()` builds an
    // adapter chain that the WASM module (opt-level "s") does not inline, which cost about a
    // quarter of a move there.
    let declared = transition.map_or(&[][..], |t| &t.effects);
    let mut effects = Vec::with_capacity(declared.len());
    for e in declared {
        effects.push(e.plan(record, now, ctx.manager.as_ref())?);
    }
    Ok(Decision { from, to, effects })
}

/// Carry out a decided move; cannot fail (everything fallible happened in `decide`).
fn commit(
    pipeline: &Pipeline,
    d: Decision,
    mut next: Record,
    mv: &Move,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Applied {
    let stages = pipeline.stages();
    let (src, dst) = (&stages[d.from], &stages[d.to]);
    let reason = mv.reason.as_ref().filter(|r| !r.is_empty());
    let previous = next.probability;
    next.stage = dst.id.clone();
    let stage_default = Probability {
        value: dst.probability,
        source: ProbabilitySource::Stage,
    };
    let keep = previous.source == ProbabilitySource::Override;
    next.probability = match (mv.probability, pipeline.probability_on_move()) {
        (Some(p), _) => Probability {
            value: p as u8,
            source: ProbabilitySource::Override,
        },
        (None, ProbabilityOnMove::ResetToStage) => stage_default,
        (None, ProbabilityOnMove::KeepOverride) if keep => previous,
        (None, ProbabilityOnMove::KeepOverrideUntilClosed) if keep && !dst.kind.is_terminal() => {
            previous
        }
        (None, _) => stage_default,
    };
    next.closed_at = dst.kind.is_terminal().then_some(now);
    if dst.kind == StageKind::Lost {
        next.lost_reason = reason.cloned();
        next.lost_at_stage = Some(src.id.clone());
    } else {
        next.lost_reason = None;
        next.lost_at_stage = None;
    }
    let entry = HistoryEntry {
        at: now,
        by: actor.id.clone(),
        from: src.id.clone(),
        to: dst.id.clone(),
        reason: reason.cloned(),
    };
    next.history.push(entry.clone());
    Applied {
        record: next,
        entry,
        effects: d.effects,
    }
}
