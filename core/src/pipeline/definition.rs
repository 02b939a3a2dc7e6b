//! Pipeline definitions: a raw [`PipelineSpec`] document checked once into a [`Pipeline`].
//!
//! This module decides what a well-formed pipeline is (stages with unique ids, kinds and
//! probabilities in 0..=100; transitions between known stages; every stage reachable from
//! the initial one; terminal stages left only through a declared reopen; guards and
//! effects of known kinds naming known fields) and precomputes, for every pair of stages,
//! whether a move exists and which declared transition governs it. It never looks at a
//! record or decides a move; [`apply`](super::apply) does that.

use super::effect::{Effect, EffectSpec};
use super::guard::{Guard, GuardSpec};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// What a stage means for the record sitting in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Work in progress; the record may move on.
    Open,
    /// Terminal success (deal won, quote accepted, invoice paid).
    Won,
    /// Terminal failure (deal lost, lead disqualified, order cancelled).
    Lost,
    /// Terminal and neither won nor lost (lead recycled, contract expired, ticket closed).
    Closed,
}

impl StageKind {
    /// Won, lost and closed stages are terminal: only a declared reopen leaves them.
    pub fn is_terminal(self) -> bool {
        self != StageKind::Open
    }
}

/// Salesforce's forecast categories, which forecasts roll stages up into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastCategory {
    /// Early, uncommitted pipeline.
    Pipeline,
    /// Could close this period.
    BestCase,
    /// The rep commits to it.
    Commit,
    /// Left out of the forecast.
    Omitted,
    /// Closed (won).
    Closed,
}

/// Which moves exist besides the declared transitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveMode {
    /// Only the declared transitions (Frappe Workflow, order and invoice lifecycles).
    #[default]
    Explicit,
    /// Any open stage to any other stage, as Odoo and Salesforce allow; declared
    /// transitions add guards and effects to particular moves, and reopens are still the
    /// only way out of a terminal stage.
    AnyOpen,
}

/// What happens to a record's probability when it changes stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilityOnMove {
    /// The new stage's default replaces any override (Salesforce, EspoCRM).
    #[default]
    ResetToStage,
    /// An override survives every move (Frappe CRM).
    KeepOverride,
    /// An override survives moves between open stages, but a won stage forces its default
    /// and a lost or closed stage forces its default (Odoo: won 100, lost 0).
    KeepOverrideUntilClosed,
}

/// The type of a custom field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Any string.
    Text,
    /// An exact decimal, written as a string.
    Decimal,
    /// A whole number (a JSON integer).
    Integer,
    /// An ISO 8601 date.
    Date,
    /// `true` or `false`.
    Bool,
    /// One of a fixed list of strings.
    Enum(Vec<String>),
}

/// Raw custom-field declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Field name (not one of the standard record fields).
    pub name: String,
    /// `text`, `decimal`, `integer`, `date`, `bool` or `enum`.
    #[serde(rename = "type")]
    pub kind: FieldKindName,
    /// The allowed values of an `enum` field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// What the field is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The names of the custom-field types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum FieldKindName {
    Text,
    Decimal,
    Integer,
    Date,
    Bool,
    Enum,
}

/// Raw stage document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageSpec {
    /// Unique id, e.g. `"negotiation"`.
    pub id: String,
    /// Human label; the id when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the stage means for the record.
    pub kind: StageKind,
    /// Default win probability 0..=100; 100 for won stages and 0 otherwise when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<u32>,
    /// Forecast category; by kind when absent (open: pipeline, won: closed, else omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forecast_category: Option<ForecastCategory>,
    /// Days without a stage change after which a record here counts as stale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_after_days: Option<u32>,
    /// Whether every move into this stage needs a reason.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reason_required: bool,
    /// What the stage is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Raw transition document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    /// Source stage id, or `"*"` for every open stage.
    pub from: String,
    /// Target stage id.
    pub to: String,
    /// Guards that must all hold.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guards: Vec<GuardSpec>,
    /// Effects the move produces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<EffectSpec>,
    /// Whether the move needs a reason.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reason_required: bool,
    /// Marks the one kind of move allowed out of a terminal stage.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reopen: bool,
    /// What the move means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Raw pipeline document, as hosts write it and as the defaults ship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSpec {
    /// Pipeline id, e.g. `"deal"`.
    pub id: String,
    /// Human label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// What the pipeline is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The stage new records start in.
    pub initial: String,
    /// Stages in funnel order.
    pub stages: Vec<StageSpec>,
    /// `explicit` (default) or `any_open`.
    #[serde(default)]
    pub mode: MoveMode,
    /// Declared transitions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transitions: Vec<TransitionSpec>,
    /// Allowed reasons for moves into lost stages; any reason when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lost_reasons: Vec<String>,
    /// Typed custom fields records of this pipeline may carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSpec>,
    /// What a move does to an overridden probability.
    #[serde(default)]
    pub probability_on_move: ProbabilityOnMove,
}

/// Additions to an existing pipeline: custom stages per industry, extra transitions,
/// lost reasons and custom fields. See [`PipelineSpec::extend`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// A new id for the extended pipeline (the base's when absent).
    #[serde(default)]
    pub id: Option<String>,
    /// Stages to insert, each right after the named stage.
    #[serde(default)]
    pub insert: Vec<InsertStage>,
    /// Transitions appended to the base's.
    #[serde(default)]
    pub transitions: Vec<TransitionSpec>,
    /// Lost reasons appended to the base's.
    #[serde(default)]
    pub lost_reasons: Vec<String>,
    /// Custom fields appended to the base's.
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
}

/// One stage to insert into a pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsertStage {
    /// The stage it follows in funnel order.
    pub after: String,
    /// The new stage.
    pub stage: StageSpec,
}

impl PipelineSpec {
    /// This document with `ext` applied: stages inserted after the stages they name (in
    /// the order given, so two stages inserted after the same one keep their order),
    /// transitions, lost reasons and fields appended. The result is a document, not yet
    /// checked; `invalid_input` at `insert[i].after` when the stage to follow is unknown.
    ///
    /// ```
    /// use salesops::pipeline::{defaults, Extension, Pipeline};
    /// let ext: Extension = serde_json::from_str(r#"{"id":"deal_saas","insert":[{"after":"needs_analysis",
    ///   "stage":{"id":"trial","kind":"open","probability":40}}]}"#).unwrap();
    /// let p = Pipeline::from_spec(defaults::spec("deal").unwrap().extend(ext).unwrap()).unwrap();
    /// assert_eq!(&*p.stages()[3].id, "trial");
    /// assert!(p.allows("prospecting", "trial"));
    /// ```
    pub fn extend(mut self, ext: Extension) -> Result<PipelineSpec> {
        let mut inserted_after: Vec<String> = Vec::new();
        for (i, ins) in ext.insert.into_iter().enumerate() {
            let Some(pos) = self.stages.iter().position(|s| s.id == ins.after) else {
                return Err(Error::invalid(
                    format!("insert[{i}].after"),
                    format!("unknown stage `{}`", ins.after),
                ));
            };
            // Keep insertions after the same stage in the order given.
            let extra = inserted_after.iter().filter(|a| **a == ins.after).count();
            inserted_after.push(ins.after.clone());
            let at = (pos + 1 + extra).min(self.stages.len());
            self.stages.insert(at, ins.stage);
        }
        if let Some(id) = ext.id {
            self.id = id;
        }
        self.transitions.extend(ext.transitions);
        self.lost_reasons.extend(ext.lost_reasons);
        self.fields.extend(ext.fields);
        Ok(self)
    }
}

/// A validated stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Unique id (shared: records in this stage and their history hold the same string).
    pub id: Arc<str>,
    /// Human label.
    pub label: String,
    /// Position in the funnel (0 = first).
    pub order: usize,
    /// Kind.
    pub kind: StageKind,
    /// Default win probability 0..=100.
    pub probability: u8,
    /// Forecast category.
    pub forecast_category: ForecastCategory,
    /// Days without a stage change after which a record here is stale.
    pub stale_after_days: Option<u32>,
    /// Whether moves into this stage need a reason.
    pub reason_required: bool,
}

/// A validated transition.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// Source stage index, or `None` for every open stage.
    pub from: Option<usize>,
    /// Target stage index.
    pub to: usize,
    /// Guards that must all hold.
    pub guards: Vec<Guard>,
    /// Effects of the move.
    pub effects: Vec<Effect>,
    /// Whether the move needs a reason.
    pub reason_required: bool,
    /// Whether this is a reopen out of a terminal stage.
    pub reopen: bool,
}

/// How a move between two stages is governed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cell {
    /// No such move.
    None,
    /// Allowed by `any_open` mode, with no guards or effects.
    Free,
    /// Governed by the declared transition at this index.
    Declared(usize),
}

/// A validated pipeline: every stage reachable, every reference resolved.
///
/// Build one with [`Pipeline::from_spec`] (or [`super::defaults::load`]); its invariants
/// then hold for as long as it lives.
#[derive(Debug, Clone)]
pub struct Pipeline {
    id: String,
    initial: usize,
    stages: Vec<Stage>,
    index: HashMap<String, usize>,
    mode: MoveMode,
    transitions: Vec<Transition>,
    cells: Vec<Cell>,
    lost_reasons: Vec<String>,
    fields: BTreeMap<String, FieldType>,
    probability_on_move: ProbabilityOnMove,
    spec: PipelineSpec,
}

/// Most stages a pipeline may have (the move table is stages × stages).
pub const MAX_STAGES: usize = 256;

/// Record fields every pipeline knows; custom fields may not reuse these names.
pub(crate) const STANDARD_FIELDS: &[&str] = &[
    "id",
    "stage",
    "owner",
    "amount",
    "customer",
    "created_at",
    "close_date",
    "due_date",
    "valid_until",
    "renewal_date",
    "discount_percent",
    "probability",
    "lost_reason",
    "lost_at_stage",
    "closed_at",
    "last_activity_at",
    "fields",
    "history",
];

impl Pipeline {
    /// Check a raw document once; errors name the field relative to the document
    /// (`stages[2].probability`).
    ///
    /// ```
    /// use salesops::pipeline::{Pipeline, PipelineSpec};
    /// let spec: PipelineSpec = serde_json::from_str(r#"{"id":"p","initial":"a",
    ///   "stages":[{"id":"a","kind":"open"},{"id":"b","kind":"won","probability":101}],
    ///   "transitions":[{"from":"a","to":"b"}]}"#).unwrap();
    /// let e = Pipeline::from_spec(spec).unwrap_err();
    /// assert_eq!(e.field(), Some("stages[1].probability"));
    /// ```
    pub fn from_spec(spec: PipelineSpec) -> Result<Self> {
        if spec.id.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        if spec.stages.is_empty() {
            return Err(Error::invalid(
                "stages",
                "a pipeline needs at least one stage",
            ));
        }
        if spec.stages.len() > MAX_STAGES {
            return Err(Error::invalid(
                "stages",
                format!(
                    "{} stages is more than the maximum of {MAX_STAGES}",
                    spec.stages.len()
                ),
            ));
        }
        let mut fields = BTreeMap::new();
        for (i, f) in spec.fields.iter().enumerate() {
            let at = format!("fields[{i}]");
            if f.name.is_empty() {
                return Err(Error::invalid(format!("{at}.name"), "must not be empty"));
            }
            if STANDARD_FIELDS.contains(&f.name.as_str()) {
                return Err(Error::invalid(
                    format!("{at}.name"),
                    format!("`{}` is a standard record field", f.name),
                ));
            }
            let ty = match (f.kind, &f.values) {
                (FieldKindName::Enum, Some(v)) if !v.is_empty() => FieldType::Enum(v.clone()),
                (FieldKindName::Enum, _) => {
                    return Err(Error::invalid(
                        format!("{at}.values"),
                        "an enum field needs a non-empty list of values",
                    ));
                }
                (_, Some(_)) => {
                    return Err(Error::invalid(
                        format!("{at}.values"),
                        "only enum fields take values",
                    ));
                }
                (FieldKindName::Text, None) => FieldType::Text,
                (FieldKindName::Decimal, None) => FieldType::Decimal,
                (FieldKindName::Integer, None) => FieldType::Integer,
                (FieldKindName::Date, None) => FieldType::Date,
                (FieldKindName::Bool, None) => FieldType::Bool,
            };
            if fields.insert(f.name.clone(), ty).is_some() {
                return Err(Error::invalid(
                    format!("{at}.name"),
                    format!("duplicate field `{}`", f.name),
                ));
            }
        }

        let mut stages = Vec::with_capacity(spec.stages.len());
        let mut index = HashMap::with_capacity(spec.stages.len());
        for (i, s) in spec.stages.iter().enumerate() {
            let at = format!("stages[{i}]");
            if s.id.is_empty() || s.id == "*" {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    "a stage id must be non-empty and not `*`",
                ));
            }
            if index.insert(s.id.clone(), i).is_some() {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!("duplicate stage id `{}`", s.id),
                ));
            }
            let probability = match s.probability {
                Some(p) if p > 100 => {
                    return Err(Error::invalid(
                        format!("{at}.probability"),
                        format!("{p} is outside 0..=100"),
                    ));
                }
                Some(p) => p as u8,
                None if s.kind == StageKind::Won => 100,
                None => 0,
            };
            let forecast_category = s.forecast_category.unwrap_or(match s.kind {
                StageKind::Open => ForecastCategory::Pipeline,
                StageKind::Won => ForecastCategory::Closed,
                StageKind::Lost | StageKind::Closed => ForecastCategory::Omitted,
            });
            stages.push(Stage {
                id: s.id.as_str().into(),
                label: s.label.clone().unwrap_or_else(|| s.id.clone()),
                order: i,
                kind: s.kind,
                probability,
                forecast_category,
                stale_after_days: s.stale_after_days,
                reason_required: s.reason_required,
            });
        }
        let initial = *index.get(&spec.initial).ok_or_else(|| {
            Error::invalid("initial", format!("unknown stage `{}`", spec.initial))
        })?;
        if stages[initial].kind.is_terminal() {
            return Err(Error::invalid(
                "initial",
                format!("the initial stage `{}` must be open", spec.initial),
            ));
        }
        for (i, r) in spec.lost_reasons.iter().enumerate() {
            if r.is_empty() || spec.lost_reasons[..i].contains(r) {
                return Err(Error::invalid(
                    format!("lost_reasons[{i}]"),
                    "reasons must be non-empty and distinct",
                ));
            }
        }

        let n = stages.len();
        let mut transitions = Vec::with_capacity(spec.transitions.len());
        let mut cells = vec![Cell::None; n * n];
        let lookup = |id: &str, at: String| -> Result<usize> {
            index
                .get(id)
                .copied()
                .ok_or_else(|| Error::invalid(at, format!("unknown stage `{id}`")))
        };
        // Specific transitions first, then `*` ones fill the cells they leave.
        let mut wildcard = Vec::new();
        for (i, t) in spec.transitions.iter().enumerate() {
            let at = format!("transitions[{i}]");
            let from = if t.from == "*" {
                None
            } else {
                Some(lookup(&t.from, format!("{at}.from"))?)
            };
            let to = lookup(&t.to, format!("{at}.to"))?;
            if from == Some(to) {
                return Err(Error::invalid(
                    format!("{at}.to"),
                    "a transition must lead to another stage",
                ));
            }
            match from {
                Some(f) if stages[f].kind.is_terminal() && !t.reopen => {
                    return Err(Error::invalid(
                        format!("{at}.from"),
                        format!(
                            "`{}` is terminal; only a declared reopen (\"reopen\": true) may leave it",
                            t.from
                        ),
                    ));
                }
                Some(f) if t.reopen && !stages[f].kind.is_terminal() => {
                    return Err(Error::invalid(
                        format!("{at}.reopen"),
                        format!("`{}` is open; a reopen must leave a terminal stage", t.from),
                    ));
                }
                None if t.reopen => {
                    return Err(Error::invalid(
                        format!("{at}.reopen"),
                        "a reopen must name the terminal stage it leaves, not `*`",
                    ));
                }
                _ => {}
            }
            if t.reopen && stages[to].kind.is_terminal() {
                return Err(Error::invalid(
                    format!("{at}.to"),
                    format!("a reopen must lead to an open stage, not `{}`", t.to),
                ));
            }
            let guards = t
                .guards
                .iter()
                .enumerate()
                .map(|(g, spec)| {
                    Guard::from_spec(spec, &fields)
                        .map_err(|e| e.within(&format!("{at}.guards[{g}]")))
                })
                .collect::<Result<Vec<_>>>()?;
            let effects = t
                .effects
                .iter()
                .enumerate()
                .map(|(k, spec)| {
                    Effect::from_spec(spec).map_err(|e| e.within(&format!("{at}.effects[{k}]")))
                })
                .collect::<Result<Vec<_>>>()?;
            match from {
                Some(f) => {
                    let cell = &mut cells[f * n + to];
                    if *cell != Cell::None {
                        return Err(Error::invalid(
                            at,
                            format!("duplicate transition from `{}` to `{}`", t.from, t.to),
                        ));
                    }
                    *cell = Cell::Declared(i);
                }
                None => {
                    if wildcard.contains(&to) {
                        return Err(Error::invalid(
                            at,
                            format!("duplicate transition from `*` to `{}`", t.to),
                        ));
                    }
                    wildcard.push(to);
                }
            }
            transitions.push(Transition {
                from,
                to,
                guards,
                effects,
                reason_required: t.reason_required,
                reopen: t.reopen,
            });
        }
        for (i, t) in transitions.iter().enumerate() {
            if t.from.is_some() {
                continue;
            }
            for f in 0..n {
                if f != t.to
                    && stages[f].kind == StageKind::Open
                    && cells[f * n + t.to] == Cell::None
                {
                    cells[f * n + t.to] = Cell::Declared(i);
                }
            }
        }
        if spec.mode == MoveMode::AnyOpen {
            for f in (0..n).filter(|&f| stages[f].kind == StageKind::Open) {
                for t in (0..n).filter(|&t| t != f) {
                    if cells[f * n + t] == Cell::None {
                        cells[f * n + t] = Cell::Free;
                    }
                }
            }
        }

        // Every stage must be reachable from the initial one.
        let mut seen = vec![false; n];
        let mut queue = vec![initial];
        seen[initial] = true;
        while let Some(f) = queue.pop() {
            for t in 0..n {
                if !seen[t] && cells[f * n + t] != Cell::None {
                    seen[t] = true;
                    queue.push(t);
                }
            }
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(Error::invalid(
                format!("stages[{i}].id"),
                format!(
                    "stage `{}` cannot be reached from the initial stage `{}`",
                    stages[i].id, spec.initial
                ),
            ));
        }

        Ok(Pipeline {
            id: spec.id.clone(),
            initial,
            stages,
            index,
            mode: spec.mode,
            transitions,
            cells,
            lost_reasons: spec.lost_reasons.clone(),
            fields,
            probability_on_move: spec.probability_on_move,
            spec,
        })
    }

    /// Parse and check a JSON definition; errors name the field.
    pub fn from_json(json: &str) -> Result<Self> {
        Pipeline::from_spec(crate::ops::parse(json)?)
    }

    /// The pipeline id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The document this pipeline was built from.
    pub fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    /// The stage new records start in.
    pub fn initial(&self) -> &Stage {
        &self.stages[self.initial]
    }

    /// Every stage, in funnel order.
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }

    /// The declared transitions, in document order.
    pub fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    /// `explicit` or `any_open`.
    pub fn mode(&self) -> MoveMode {
        self.mode
    }

    /// What a move does to an overridden probability.
    pub fn probability_on_move(&self) -> ProbabilityOnMove {
        self.probability_on_move
    }

    /// The allowed lost reasons (empty: any).
    pub fn lost_reasons(&self) -> &[String] {
        &self.lost_reasons
    }

    /// The declared custom fields and their types.
    pub fn fields(&self) -> &BTreeMap<String, FieldType> {
        &self.fields
    }

    /// The index of stage `id`.
    pub fn stage_index(&self, id: &str) -> Option<usize> {
        // Pipelines are small; comparing a few short strings beats hashing one.
        if self.stages.len() <= 16 {
            self.stages.iter().position(|s| *s.id == *id)
        } else {
            self.index.get(id).copied()
        }
    }

    /// Stage `id`.
    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stage_index(id).map(|i| &self.stages[i])
    }

    /// How the move from stage index `from` to `to` is governed.
    pub(crate) fn cell(&self, from: usize, to: usize) -> Cell {
        self.cells
            .get(from * self.stages.len() + to)
            .copied()
            .unwrap_or(Cell::None)
    }

    /// Whether a move from `from` to `to` exists (ignoring guards).
    pub fn allows(&self, from: &str, to: &str) -> bool {
        match (self.stage_index(from), self.stage_index(to)) {
            (Some(f), Some(t)) => self.cell(f, t) != Cell::None,
            _ => false,
        }
    }

    /// Every allowed move as `(from, to, transition)`, in stage order.
    pub fn moves(&self) -> impl Iterator<Item = (&Stage, &Stage, Option<&Transition>)> {
        let n = self.stages.len();
        (0..n * n).filter_map(move |c| {
            let (f, t) = (c / n, c % n);
            match self.cells[c] {
                Cell::None => None,
                Cell::Free => Some((&self.stages[f], &self.stages[t], None)),
                Cell::Declared(i) => {
                    Some((&self.stages[f], &self.stages[t], self.transitions.get(i)))
                }
            }
        })
    }
}
