//! `pipeline.*`: definitions, moves, history, time rules, assignment and duplicates.
//!
//! Every op that needs a pipeline takes either `"pipeline": "<default name>"` or
//! `"definition": {…}` (a full definition), never both.

use super::{Op, op};
use crate::error::{Error, Result};
use crate::period::{Calendar, PeriodKind};
use crate::pipeline::{
    self, Actor, Applied, AssignItem, AssignOutcome, BulkItem, BulkOutcome, ClaimRules, Contact,
    Context, DedupeMatch, ForecastCategory, Keys, Move, MoveMode, Pipeline, PipelineSpec,
    ProbabilityOnMove, Record, RecordSpec, Rep, StageDuration, StageKind, Strategy, SweepEvent,
    SweepRules, defaults,
};
use crate::pipeline::{Extension, ForecastGroup, FunnelStage, Reach, Reassign, ReassignOutcome};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::sync::Arc;

pub(super) const OPS: &[Op] = &[
    op!(
        "pipeline.defaults",
        "The names of the default pipelines, or one default's definition document.",
        defaults_op,
        r#"{"name":"deal"}"#
    ),
    op!(
        "pipeline.extend",
        "A default or given pipeline with custom stages, transitions, lost reasons and fields added; checked.",
        extend_op,
        r#"{"pipeline":"deal","extend":{"id":"deal_manufacturing","insert":[{"after":"needs_analysis","stage":{"id":"sample_testing","label":"Sample testing","kind":"open","probability":40,"stale_after_days":30}}],"lost_reasons":["failed_sample"]}}"#
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
    op!(
        "pipeline.funnel",
        "How many records reached, sit in and were lost from each stage, replayed as of an instant.",
        funnel_op,
        r#"{"pipeline":"deal","as_of":"2026-04-01T00:00:00Z","reach":"strict","records":[{"id":"D-1","stage":"won","created_at":"2026-01-05T09:00:00Z","closed_at":"2026-03-18T16:00:00Z","history":[{"at":"2026-02-02T09:00:00Z","by":"ana","from":"prospecting","to":"proposal"},{"at":"2026-03-18T16:00:00Z","by":"ana","from":"proposal","to":"won"}]},{"id":"D-2","stage":"lost","created_at":"2026-01-08T10:00:00Z","closed_at":"2026-02-25T17:00:00Z","lost_reason":"competitor","lost_at_stage":"qualification","history":[{"at":"2026-01-20T15:00:00Z","by":"bo","from":"prospecting","to":"qualification"},{"at":"2026-02-25T17:00:00Z","by":"bo","from":"qualification","to":"lost","reason":"competitor"}]},{"id":"D-3","stage":"prospecting","created_at":"2026-03-01T09:00:00Z"}]}"#
    ),
    op!(
        "pipeline.forecast",
        "Open and probability-weighted pipeline, and won business, by period of close date.",
        forecast_op,
        r#"{"pipeline":"deal","period":"month","records":[{"id":"D-1","stage":"proposal","amount":{"amount":"40000.00","currency":"EUR"},"close_date":"2026-04-20","created_at":"2026-02-01T09:00:00Z"},{"id":"D-2","stage":"negotiation","amount":{"amount":"25000.00","currency":"EUR"},"close_date":"2026-04-28","created_at":"2026-02-03T09:00:00Z"},{"id":"D-3","stage":"qualification","amount":{"amount":"12000.00","currency":"EUR"},"close_date":"2026-05-15","probability":{"value":35,"source":"override"},"created_at":"2026-03-01T09:00:00Z"}]}"#
    ),
    op!(
        "pipeline.apply_bulk",
        "Move many records in one request: per-item results, or all-or-nothing with \"atomic\": true.",
        bulk_op,
        r#"{"pipeline":"deal","items":[{"record":{"id":"D-1","stage":"proposal","owner":"rep-ana","created_at":"2026-01-05T09:00:00Z"},"move":{"to":"negotiation"}},{"record":{"id":"D-2","stage":"qualification","owner":"rep-bo","created_at":"2026-01-07T09:00:00Z"},"move":{"to":"lost","reason":"no_budget"}}],"actor":{"id":"mgr-max","roles":["sales_manager"]},"now":"2026-02-02T09:00:00Z","atomic":false}"#
    ),
    op!(
        "pipeline.reassign",
        "Give many open records a new owner at once (batch assignment); closed ones keep theirs.",
        reassign_op,
        r#"{"pipeline":"lead","now":"2026-02-02T09:00:00Z","items":[{"record":{"id":"L-1","stage":"new","owner":"rep-wang","created_at":"2026-01-20T09:00:00Z"},"owner":"rep-li"},{"record":{"id":"L-2","stage":"contacted","created_at":"2026-01-21T09:00:00Z","history":[{"at":"2026-01-22T09:00:00Z","by":"rep-wang","from":"new","to":"contacted"}]},"owner":"rep-li"}]}"#
    ),
    op!(
        "pipeline.sweep",
        "The time-triggered events at an instant: overdue, expired, renewal due, stale, back to the lead pool.",
        sweep_op,
        r#"{"pipeline":"invoice","now":"2026-03-10T06:00:00Z","records":[{"id":"INV-1","stage":"issued","owner":"rep-ana","created_at":"2026-02-01T09:00:00Z","due_date":"2026-03-03"},{"id":"INV-2","stage":"paid","created_at":"2026-02-01T09:00:00Z","due_date":"2026-03-03","closed_at":"2026-03-01T10:00:00Z","history":[{"at":"2026-03-01T10:00:00Z","by":"rep-ana","from":"issued","to":"paid"}]}]}"#
    ),
    op!(
        "pipeline.assign",
        "Assign new leads or tasks to reps: round_robin, territory, least_load or skill; deterministic.",
        assign_op,
        r#"{"strategy":"territory","reps":[{"id":"rep-wang","regions":["east"],"districts":["pudong"],"open_load":12},{"id":"rep-li","regions":["east"],"open_load":3},{"id":"rep-zhao","regions":["north"]}],"items":[{"id":"L-1","region":"east","district":"pudong"},{"id":"L-2","region":"east","district":"minhang"},{"id":"L-3","region":"south"}]}"#
    ),
    op!(
        "pipeline.claim",
        "A rep claims an unowned lead from the shared pool (公海), up to a limit.",
        claim_op,
        r#"{"pipeline":"lead","record":{"id":"L-77","stage":"contacted","created_at":"2026-01-05T09:00:00Z","history":[{"at":"2026-01-06T09:00:00Z","by":"rep-wang","from":"new","to":"contacted"}]},"rep":"rep-li","held":18,"limit":20,"now":"2026-02-01T09:00:00Z"}"#
    ),
    op!(
        "pipeline.release",
        "Release an owned lead back to the shared pool.",
        release_op,
        r#"{"pipeline":"lead","record":{"id":"L-77","stage":"contacted","owner":"rep-li","created_at":"2026-01-05T09:00:00Z"}}"#
    ),
    op!(
        "pipeline.dedupe",
        "Find existing leads or customers with the same normalised e-mail, phone or company name.",
        dedupe_op,
        r#"{"candidate":{"phone":"138 0013 8000","email":"Wang.Lei@Example.cn","company":"上海示例科技有限公司"},"existing":[{"id":"C-9","owner":"rep-li","phone":"+86 138-0013-8000"},{"id":"C-12","owner":"rep-zhao","company":"上海示例科技"},{"id":"C-15","email":"li@other.cn"}],"default_country_code":"86"}"#
    ),
];

/// Resolve `pipeline` (a default's name) or `definition` (a full document).
pub(crate) fn resolve(
    name: Option<String>,
    definition: Option<PipelineSpec>,
) -> Result<Cow<'static, Pipeline>> {
    match (name, definition) {
        (Some(n), None) => defaults::get(&n).map(Cow::Borrowed),
        (None, Some(d)) => Pipeline::from_spec(d)
            .map(Cow::Owned)
            .map_err(|e| e.within("definition")),
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
    id: Arc<str>,
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
    from: Arc<str>,
    to: Arc<str>,
    /// Whether a declared transition governs it (else `any_open` mode allows it).
    declared: bool,
    reopen: bool,
    guards: usize,
    effects: usize,
}

#[derive(Serialize)]
struct ValidateOut {
    id: String,
    initial: Arc<str>,
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
    record: Arc<str>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkItemIn {
    record: RecordSpec,
    #[serde(rename = "move")]
    mv: Move,
    #[serde(default)]
    context: Option<Context>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BulkIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    items: Vec<BulkItemIn>,
    actor: Actor,
    now: DateTime<Utc>,
    #[serde(default)]
    context: Context,
    #[serde(default)]
    atomic: bool,
}

fn bulk_op(i: BulkIn) -> Result<BulkOutcome> {
    let p = resolve(i.pipeline, i.definition)?;
    let items = i
        .items
        .into_iter()
        .enumerate()
        .map(|(k, it)| {
            Ok(BulkItem {
                record: record(it.record, &p, &format!("items[{k}].record"))?,
                mv: it.mv,
                context: it.context,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    pipeline::apply_bulk(&p, &items, &i.actor, i.now, &i.context, i.atomic)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    records: Vec<RecordSpec>,
    now: DateTime<Utc>,
    #[serde(default)]
    rules: SweepRules,
}

#[derive(Serialize)]
struct SweepOut {
    events: Vec<SweepEvent>,
}

fn sweep_op(i: SweepIn) -> Result<SweepOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let records = i
        .records
        .into_iter()
        .enumerate()
        .map(|(k, r)| record(r, &p, &format!("records[{k}]")))
        .collect::<Result<Vec<_>>>()?;
    Ok(SweepOut {
        events: pipeline::sweep(&p, &records, i.now, &i.rules)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignIn {
    strategy: Strategy,
    reps: Vec<Rep>,
    items: Vec<AssignItem>,
    #[serde(default)]
    last_assigned: Option<String>,
}

fn assign_op(i: AssignIn) -> Result<AssignOutcome> {
    pipeline::assign(i.strategy, &i.reps, &i.items, i.last_assigned.as_deref())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    record: RecordSpec,
    rep: String,
    held: u32,
    limit: u32,
    now: DateTime<Utc>,
}

#[derive(Serialize)]
struct RecordOut {
    record: Record,
}

fn claim_op(i: ClaimIn) -> Result<RecordOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let r = record(i.record, &p, "record")?;
    let rules = ClaimRules {
        held: i.held,
        limit: i.limit,
    };
    Ok(RecordOut {
        record: pipeline::claim(&p, &r, &i.rep, rules, i.now)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    record: RecordSpec,
}

fn release_op(i: ReleaseIn) -> Result<RecordOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let r = record(i.record, &p, "record")?;
    Ok(RecordOut {
        record: pipeline::release(&r)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DedupeIn {
    candidate: Contact,
    existing: Vec<Contact>,
    #[serde(default)]
    default_country_code: Option<String>,
}

#[derive(Serialize)]
struct DedupeOut {
    duplicate: bool,
    matches: Vec<DedupeMatch>,
    normalized: Keys,
}

fn dedupe_op(i: DedupeIn) -> Result<DedupeOut> {
    let (matches, normalized) =
        pipeline::dedupe(&i.candidate, &i.existing, i.default_country_code.as_deref())?;
    Ok(DedupeOut {
        duplicate: !matches.is_empty(),
        matches,
        normalized,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FunnelIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    records: Vec<RecordSpec>,
    as_of: DateTime<Utc>,
    #[serde(default)]
    reach: Reach,
}

#[derive(Serialize)]
struct FunnelOut {
    records: u32,
    stages: Vec<FunnelStage>,
}

fn records(specs: Vec<RecordSpec>, p: &Pipeline) -> Result<Vec<Record>> {
    specs
        .into_iter()
        .enumerate()
        .map(|(k, r)| record(r, p, &format!("records[{k}]")))
        .collect()
}

fn funnel_op(i: FunnelIn) -> Result<FunnelOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let rs = records(i.records, &p)?;
    let (stages, n) = pipeline::funnel(&p, &rs, i.as_of, i.reach)?;
    Ok(FunnelOut { records: n, stages })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForecastIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    records: Vec<RecordSpec>,
    #[serde(default = "month")]
    period: PeriodKind,
    #[serde(default)]
    calendar: Calendar,
    #[serde(default)]
    by_owner: bool,
}

fn month() -> PeriodKind {
    PeriodKind::Month
}

#[derive(Serialize)]
struct ForecastOut {
    groups: Vec<ForecastGroup>,
    unscheduled: Vec<String>,
}

fn forecast_op(i: ForecastIn) -> Result<ForecastOut> {
    let p = resolve(i.pipeline, i.definition)?;
    let rs = records(i.records, &p)?;
    let (groups, unscheduled) = pipeline::forecast(&p, &rs, i.period, &i.calendar, i.by_owner)?;
    Ok(ForecastOut {
        groups,
        unscheduled,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExtendIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    extend: Extension,
}

#[derive(Serialize)]
struct DefinitionOut {
    definition: PipelineSpec,
}

fn extend_op(i: ExtendIn) -> Result<DefinitionOut> {
    let base = match (i.pipeline, i.definition) {
        (Some(n), None) => defaults::spec(&n)?,
        (None, Some(d)) => {
            // The base must itself be valid, so errors in it are reported where they are.
            Pipeline::from_spec(d.clone()).map_err(|e| e.within("definition"))?;
            d
        }
        _ => {
            return Err(Error::invalid(
                "pipeline",
                "give exactly one of `pipeline` (a default's name) and `definition`",
            ));
        }
    };
    let extended = base.extend(i.extend).map_err(|e| e.within("extend"))?;
    // Errors in the result name the field of the extended document.
    Pipeline::from_spec(extended.clone()).map_err(|e| e.within("extended"))?;
    Ok(DefinitionOut {
        definition: extended,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReassignItemIn {
    record: RecordSpec,
    owner: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReassignIn {
    #[serde(default)]
    pipeline: Option<String>,
    #[serde(default)]
    definition: Option<PipelineSpec>,
    items: Vec<ReassignItemIn>,
    now: DateTime<Utc>,
    #[serde(default)]
    atomic: bool,
}

fn reassign_op(i: ReassignIn) -> Result<ReassignOutcome> {
    let p = resolve(i.pipeline, i.definition)?;
    let items = i
        .items
        .into_iter()
        .enumerate()
        .map(|(k, it)| {
            Ok(Reassign {
                record: record(it.record, &p, &format!("items[{k}].record"))?,
                owner: it.owner,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    pipeline::reassign_bulk(&p, &items, i.now, i.atomic)
}
