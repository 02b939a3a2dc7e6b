//! Pipelines: the sales process as data-defined state machines.
//!
//! A [`Pipeline`] is a validated set of stages and allowed moves, with guards that must
//! hold before a move and effects that follow from it. A [`Record`] (a lead, deal, quote,
//! order, invoice, contract, task or ticket) sits in one stage and carries an append-only
//! stage history. [`apply`] decides one move; [`sweep`] finds the events time alone
//! triggers; [`durations`], [`stage_at`] and [`funnel`] replay the history; [`forecast`]
//! weighs open records by probability; [`assign`] and [`dedupe`] decide who gets a new
//! lead and whether it is already someone's.
//!
//! Everything here is a pure function: `now` is always an argument, nothing reads a clock,
//! draws a random number or touches storage. A refused move is an error and leaves the
//! record exactly as it was: functions take the record by reference and return a new one.
//!
//! ```
//! use salesops::pipeline::{self, Actor, Context, Move, Record};
//! let deal = pipeline::defaults::load("deal").unwrap();
//! let record = Record::parse_json(r#"{"id":"D-1","stage":"prospecting","created_at":"2026-01-05T09:00:00Z"}"#, &deal).unwrap();
//! let now = "2026-01-12T09:00:00Z".parse().unwrap();
//! let out = pipeline::apply(&deal, &record, &Move::to("qualification"), &Actor::new("rep-1"), now, &Context::default()).unwrap();
//! assert_eq!(out.record.stage(), "qualification");
//! assert_eq!(out.record.probability().value, 20);
//! assert_eq!(record.stage(), "prospecting"); // the input is untouched
//! ```

mod apply;
mod assign;
mod bulk;
mod dedupe;
pub mod defaults;
mod definition;
mod effect;
mod forecast;
mod funnel;
mod guard;
mod history;
mod record;
mod sweep;

pub use apply::{Actor, Applied, Context, Credit, Move, apply, apply_owned};
pub use assign::{
    AssignItem, AssignOutcome, Assignment, ClaimRules, Rep, RepLoad, Strategy, assign, claim,
    release,
};
pub use bulk::{
    Batch, BulkItem, BulkOutcome, BulkResult, ItemError, ItemResult, Moved, Reassign,
    ReassignOutcome, ReassignResult, Reassigned, apply_bulk, reassign_bulk,
};
pub use dedupe::{
    Contact, DedupeMatch, Keys, dedupe, normalize_company, normalize_email, normalize_phone,
};
pub use definition::{
    Extension, FieldKindName, FieldSpec, FieldType, ForecastCategory, InsertStage, MAX_STAGES,
    MoveMode, Pipeline, PipelineSpec, ProbabilityOnMove, Stage, StageKind, StageSpec, Transition,
    TransitionSpec,
};
pub use effect::{Assignee, CreditEvent, Effect, EffectSpec, PlannedEffect};
pub use forecast::{ForecastGroup, forecast};
pub use funnel::{FunnelStage, Reach, funnel};
pub use guard::{FieldRef, Guard, GuardSpec};
pub use history::{StageDuration, durations, stage_at};
pub use record::{
    FieldValue, History, HistoryEntry, Probability, ProbabilitySource, ProbabilitySpec, Record,
    RecordSpec,
};
pub use sweep::{SweepEvent, SweepRules, sweep};
