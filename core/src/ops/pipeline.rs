//! `pipeline.*`: definitions, moves, history, time rules, assignment and duplicates.
//!
//! Every op that needs a pipeline takes either `"pipeline": "<default name>"` or
//! `"definition": {…}` (a full definition), never both.

use super::{Op, op};
use crate::error::{Error, Result};
use crate::pipeline::{
    self, Actor, Applied, Context, ForecastCategory, Move, MoveMode, Pipeline, PipelineSpec,
    ProbabilityOnMove, Record, RecordSpec, StageDuration, StageKind, defaults,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub(super) const OPS: &[Op] = &[
    op!(
        "pipeline.defaults",
        "The names of the default pipelines, or one default's definition document.",
        defaults_op,
        r#"{"name":"deal"}"#
    ),
    op!(
        "pipeline.validate",
        "Check a pipeline definition; returns its stages and every allowed move.",
        validate,
        r#"{"definition":{"id":"saas_deal","initial":"discovery","mode":"any_open","stages":[{"id":"discovery","kind":"open","probability":10},{"id":"demo","kind":"open","probability":30},{"id":"trial","kind":"open","probability":60},{"id":"won","kind":"won"},{"id":"lost","kind":"lost","reason_required":true}],"transitions":[{"from":"*","to":"won","guards":[{"kind":"amount_positive"}]},{"from":"lost","to":"discovery","reopen":true}]}}"#
    ),
    op!(
        "pipeline.apply",
        "Move one record to a stage: checks the move and its guards, returns the new record, the history entry and the effects.",
        apply_op,
        r#"{"pipeline":"deal","record":{"id":"D-1042","stage":"negotiation","owner":"rep-ana","amount":{"amount":"48000.00","currency":"EUR"},"customer":"ACME GmbH","created_at":"2026-01-05T09:00:00Z","close_date":"2026-03-20","history":[{"at":"2026-02-10T14:30:00Z","by":"rep-ana","from":"prospecting","to":"negotiation"}]},"move":{"to":"won"},"actor":{"id":"rep-ana","roles":["sales_rep"]},"now":"2026-03-18T16:00:00Z"}"#
    ),
    op!(
        "pipeline.durations",
        "Time a record spent in each stage up to an as-of instant, replayed from its history.",
        durations_op,
        r#"{"pipeline":"deal","record":{"id":"D-1042","stage":"negotiation","created_at":"2026-01-05T09:00:00Z","history":[{"at":"2026-01-12T09:00:00Z","by":"rep-ana","from":"prospecting","to":"proposal"},{"at":"2026-02-10T14:30:00Z","by":"rep-ana","from":"proposal","to":"negotiation"}]},"as_of":"2026-03-01T00:00:00Z"}"#
    ),
    op!(
        "pipeline.stage_at",
        "The stage a record was in at a past instant (null before it existed).",
        stage_at_op,
        r#"{"pipeline":"deal","record":{"id":"D-1042","stage":"negotiation","created_at":"2026-01-05T09:00:00Z","history":[{"at":"2026-02-10T14:30:00Z","by":"rep-ana","from":"prospecting","to":"negotiation"}]},"at":"2026-02-01T00:00:00Z"}"#
    ),
];

/// Resolve `pipeline` (a default's name) or `definition` (a full document).
pub(crate) fn resolve(name: Option<String>, definition: Option<PipelineSpec>) -> Result<Pipeline> {
    match (name, definition) {
        (Some(n), None) => defaults::load(&n),
        (None, Some(d)) => Pipeline::from_spec(d).map_err(|e| e.within("definition")),
        _ => Err(Error::invalid(
            "pipeline",
            "give exactly one of `pipeline` (a default's name) and `definition`",
        )),
    }
}

fn record(spec: RecordSpec, p: &Pipeline, at: &str) -> Result<Record> {
    Record::parse(spec, p).map_err(|e| e.within(at))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DefaultsIn {
    #[serde(default)]
    name: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum DefaultsOut {
    Names { names: [&'static str; 8] },
    Definition { definition: PipelineSpec },
}

fn defaults_op(i: DefaultsIn) -> Result<DefaultsOut> {
    Ok(match i.name {
        None => DefaultsOut::Names {
            names: defaults::NAMES,
        },
        Some(n) => {
            // Loading checks it, so what is returned is a valid definition.
            defaults::load(&n).map_err(|e| match e {
                Error::NotFound { what, .. } => Error::not_found("name", what),
                other => other,
            })?;
            DefaultsOut::Definition {
                definition: defaults::spec(&n)?,
            }
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateIn {
    definition: PipelineSpec,
}

#[derive(Serialize)]
struct StageOut {
    id: String,
    label: String,
    kind: StageKind,
    order: usize,
    probability: u8,
    forecast_category: ForecastCategory,
    #[serde(skip_serializing_if = "Option::is_none")]
    stale_after_days: Option<u32>,
    reason_required: bool,
}

#[derive(Serialize)]
struct MoveOut {
    from: String,
    to: String,
    /// Whether a declared transition governs it (else `any_open` mode allows it).
    declared: bool,
    reopen: bool,
    guards: usize,
    effects: usize,
}

#[derive(Serialize)]
struct ValidateOut {
    id: String,
    initial: String,
    mode: MoveMode,
    probability_on_move: ProbabilityOnMove,
    stages: Vec<StageOut>,
    moves: Vec<MoveOut>,
}

fn validate(i: ValidateIn) -> Result<ValidateOut> {
    let p = Pipeline::from_spec(i.definition).map_err(|e| e.within("definition"))?;
    Ok(ValidateOut {
        id: p.id().to_string(),
        initial: p.initial().id.clone(),
        mode: p.mode(),
        probability_on_move: p.probability_on_move(),
        stages: p
            .stages()
            .iter()
            .map(|s| StageOut {
                id: s.id.clone(),
                label: s.label.clone(),
                kind: s.kind,
                order: s.order,
                probability: s.probability,
                forecast_category: s.forecast_category,
                stale_after_days: s.stale_after_days,
                reason_required: s.reason_required,
            })
            .collect(),
        moves: p
            .moves()
            .map(|(f, t, tr)| MoveOut {
                from: f.id.clone(),
                to: t.id.clone(),
                declared: tr.is_some(),
                reopen: tr.is_some_and(|t| t.reopen),
                guards: tr.map_or(0, |t| t.guards.len()),
                effects: tr.map_or(0, |t| t.effects.len()),
            })
            .collect(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApplyIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    record: RecordSpec,
    #[serde(rename = "move")]
    mv: Move,
    actor: Actor,
    now: DateTime<Utc>,
    #[serde(default)]
    context: Context,
}

fn apply_op(i: ApplyIn) -> Result<Applied> {
    let p = resolve(i.pipeline, i.definition)?;
    let r = record(i.record, &p, "record")?;
    pipeline::apply(&p, &r, &i.mv, &i.actor, i.now, &i.context)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DurationsIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    record: RecordSpec,
    as_of: DateTime<Utc>,
}

#[derive(Serialize)]
struct DurationsOut {
    record: String,
    /// The stage at `as_of`.
    stage: String,
    stages: Vec<StageDuration>,
    /// Seconds from creation to `as_of`; the stages' seconds add up to it.
    age_seconds: Decimal,
}

fn durations_op(i: DurationsIn) -> Result<DurationsOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let r = record(i.record, &p, "record")?;
    let (stages, age) = pipeline::durations(&p, &r, i.as_of)?;
    let stage = pipeline::stage_at(&r, i.as_of)
        .unwrap_or(r.stage())
        .to_string();
    Ok(DurationsOut {
        record: r.id.clone(),
        stage,
        stages,
        age_seconds: age,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StageAtIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    record: RecordSpec,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct StageAtOut {
    stage: Option<String>,
}

fn stage_at_op(i: StageAtIn) -> Result<StageAtOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let r = record(i.record, &p, "record")?;
    Ok(StageAtOut {
        stage: pipeline::stage_at(&r, i.at).map(str::to_string),
    })
}
