//! Records: the things that move through a pipeline, and their stage history.
//!
//! This module decides what a well-formed record of a given pipeline is: it sits in a
//! known stage; its history is chronological, starts no earlier than its creation, chains
//! (each entry leaves the stage the previous one entered) and ends in the current stage;
//! its probability says whether it is the stage default or an override; its custom fields
//! have the types the pipeline declares; a lost reason appears only on a lost record. A
//! raw [`RecordSpec`] is checked once into a [`Record`]. It never moves a record; see
//! [`apply`](super::apply).

use super::definition::{FieldType, Pipeline, StageKind};
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Whether a probability is the stage's default or set by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilitySource {
    /// The current stage's default.
    Stage,
    /// Set by a person (or a scoring model) and kept until a move resets it.
    Override,
}

/// A win probability in percent with its source. `value` is always 0..=100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Probability {
    /// Percent, 0..=100.
    pub value: u8,
    /// Stage default or override.
    pub source: ProbabilitySource,
}

/// Raw probability document; `value` is checked against 0..=100 and, for a stage
/// default, against the stage.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbabilitySpec {
    /// Percent.
    pub value: u32,
    /// Stage default or override.
    pub source: ProbabilitySource,
}

/// One stage change: who moved the record from where to where, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// The actor's id.
    pub by: Arc<str>,
    /// The stage left.
    pub from: Arc<str>,
    /// The stage entered.
    pub to: Arc<str>,
    /// The reason given, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Arc<str>>,
}

/// A record's stage history: append-only and shared.
///
/// A record made from another by a move shares every older entry with it (a persistent
/// list), so taking a record by reference and returning a new one costs the same whatever
/// the length of its history, and the original keeps exactly the entries it had.
/// Iteration is oldest first; JSON is an array, oldest first.
#[derive(Clone, Default)]
pub struct History {
    first: Option<Arc<Node>>,
    last: Option<Arc<Node>>,
    len: usize,
}

struct Node {
    entry: HistoryEntry,
    prev: Option<Arc<Node>>,
}

impl Drop for Node {
    // Unlink iteratively: dropping a long chain recursively would exhaust the stack.
    fn drop(&mut self) {
        let mut prev = self.prev.take();
        while let Some(node) = prev {
            match Arc::try_unwrap(node) {
                Ok(mut n) => prev = n.prev.take(),
                Err(_) => break,
            }
        }
    }
}

impl History {
    /// Append an entry.
    pub(crate) fn push(&mut self, entry: HistoryEntry) {
        let node = Arc::new(Node {
            entry,
            prev: self.last.take(),
        });
        if self.first.is_none() {
            self.first = Some(Arc::clone(&node));
        }
        self.last = Some(node);
        self.len += 1;
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The oldest entry.
    pub fn first(&self) -> Option<&HistoryEntry> {
        self.first.as_deref().map(|n| &n.entry)
    }

    /// The newest entry.
    pub fn last(&self) -> Option<&HistoryEntry> {
        self.last.as_deref().map(|n| &n.entry)
    }

    /// The entries, oldest first.
    pub fn iter(&self) -> std::vec::IntoIter<&HistoryEntry> {
        let mut out = Vec::with_capacity(self.len);
        let mut at = self.last.as_deref();
        while let Some(n) = at {
            out.push(&n.entry);
            at = n.prev.as_deref();
        }
        out.reverse();
        out.into_iter()
    }

    /// The entries, oldest first, as owned values.
    pub fn to_vec(&self) -> Vec<HistoryEntry> {
        self.iter().cloned().collect()
    }
}

impl FromIterator<HistoryEntry> for History {
    fn from_iter<I: IntoIterator<Item = HistoryEntry>>(iter: I) -> Self {
        let mut h = History::default();
        for e in iter {
            h.push(e);
        }
        h
    }
}

impl<'a> IntoIterator for &'a History {
    type Item = &'a HistoryEntry;
    type IntoIter = std::vec::IntoIter<&'a HistoryEntry>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for History {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Eq for History {}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for History {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// A typed custom-field value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Text.
    Text(String),
    /// Exact decimal (a string in JSON).
    Decimal(Decimal),
    /// Whole number.
    Integer(i64),
    /// Date.
    Date(NaiveDate),
    /// Boolean.
    Bool(bool),
    /// One of the enum's values.
    Enum(String),
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            FieldValue::Text(t) | FieldValue::Enum(t) => s.serialize_str(t),
            FieldValue::Decimal(d) => s.serialize_str(&d.to_string()),
            FieldValue::Integer(i) => s.serialize_i64(*i),
            FieldValue::Date(d) => s.serialize_str(&d.to_string()),
            FieldValue::Bool(b) => s.serialize_bool(*b),
        }
    }
}

impl FieldValue {
    fn parse(ty: &FieldType, v: &serde_json::Value) -> std::result::Result<Self, String> {
        use serde_json::Value as J;
        match (ty, v) {
            (FieldType::Text, J::String(s)) => Ok(FieldValue::Text(s.clone())),
            (FieldType::Decimal, J::String(s)) => Decimal::from_str_exact(s)
                .map(FieldValue::Decimal)
                .map_err(|e| format!("`{s}` is not a decimal: {e}")),
            (FieldType::Integer, J::Number(n)) => n
                .as_i64()
                .map(FieldValue::Integer)
                .ok_or_else(|| format!("{n} is not a whole number")),
            (FieldType::Date, J::String(s)) => s
                .parse::<NaiveDate>()
                .map(FieldValue::Date)
                .map_err(|e| format!("`{s}` is not an ISO 8601 date: {e}")),
            (FieldType::Bool, J::Bool(b)) => Ok(FieldValue::Bool(*b)),
            (FieldType::Enum(values), J::String(s)) if values.contains(s) => {
                Ok(FieldValue::Enum(s.clone()))
            }
            (FieldType::Enum(values), J::String(s)) => {
                Err(format!("`{s}` is not one of {values:?}"))
            }
            (ty, _) => Err(format!(
                "expected {}",
                match ty {
                    FieldType::Text => "a string",
                    FieldType::Decimal => "a decimal written as a string",
                    FieldType::Integer => "a whole number",
                    FieldType::Date => "an ISO 8601 date string",
                    FieldType::Bool => "true or false",
                    FieldType::Enum(_) => "a string",
                }
            )),
        }
    }
}

/// Raw record document, as hosts send it and as [`Record`] serializes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSpec {
    /// Host-chosen id.
    pub id: String,
    /// Current stage id.
    pub stage: String,
    /// Owner (a rep id).
    #[serde(default)]
    pub owner: Option<String>,
    /// Amount and currency.
    #[serde(default)]
    pub amount: Option<Money>,
    /// Customer id or name.
    #[serde(default)]
    pub customer: Option<String>,
    /// When the record was created (it entered its first stage then).
    pub created_at: DateTime<Utc>,
    /// Expected (or actual) close date.
    #[serde(default)]
    pub close_date: Option<NaiveDate>,
    /// Due date (tasks, invoices).
    #[serde(default)]
    pub due_date: Option<NaiveDate>,
    /// Validity end (quotes).
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    /// Renewal date (contracts).
    #[serde(default)]
    pub renewal_date: Option<NaiveDate>,
    /// Discount in percent (quotes, orders).
    #[serde(default)]
    pub discount_percent: Option<Decimal>,
    /// Probability and its source; the stage default when absent.
    #[serde(default)]
    pub probability: Option<ProbabilitySpec>,
    /// Why it was lost (only on a lost record).
    #[serde(default)]
    pub lost_reason: Option<String>,
    /// The open stage it was lost from (only on a lost record).
    #[serde(default)]
    pub lost_at_stage: Option<String>,
    /// When it entered a terminal stage.
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// Last time someone worked it (a call, an email); the lead pool uses it.
    #[serde(default)]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Custom fields, typed by the pipeline's declarations.
    #[serde(default)]
    pub fields: BTreeMap<String, serde_json::Value>,
    /// Stage history, oldest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
}

/// A checked record of one pipeline.
///
/// The stage and history are private so that they only change through
/// [`apply`](super::apply), which keeps them consistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// Host-chosen id.
    pub id: Arc<str>,
    pub(crate) stage: Arc<str>,
    /// Owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Arc<str>>,
    /// Amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer: Option<Arc<str>>,
    pub(crate) created_at: DateTime<Utc>,
    /// Expected close date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub close_date: Option<NaiveDate>,
    /// Due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// Validity end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<NaiveDate>,
    /// Renewal date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renewal_date: Option<NaiveDate>,
    /// Discount percent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_percent: Option<Decimal>,
    pub(crate) probability: Probability,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lost_reason: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lost_at_stage: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) closed_at: Option<DateTime<Utc>>,
    /// Last time someone worked it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Custom fields.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldValue>,
    #[serde(skip_serializing_if = "History::is_empty")]
    pub(crate) history: History,
}

impl Record {
    /// A new record in the pipeline's initial stage, created at `created_at`.
    pub fn new(id: impl Into<Arc<str>>, pipeline: &Pipeline, created_at: DateTime<Utc>) -> Self {
        let initial = pipeline.initial();
        Record {
            id: id.into(),
            stage: initial.id.clone(),
            owner: None,
            amount: None,
            customer: None,
            created_at,
            close_date: None,
            due_date: None,
            valid_until: None,
            renewal_date: None,
            discount_percent: None,
            probability: Probability {
                value: initial.probability,
                source: ProbabilitySource::Stage,
            },
            lost_reason: None,
            lost_at_stage: None,
            closed_at: None,
            last_activity_at: None,
            fields: BTreeMap::new(),
            history: History::default(),
        }
    }

    /// Check a raw record against `pipeline`; errors name the field relative to the record.
    pub fn parse(spec: RecordSpec, pipeline: &Pipeline) -> Result<Self> {
        if spec.id.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        let stage = pipeline
            .stage(&spec.stage)
            .ok_or_else(|| Error::invalid("stage", format!("unknown stage `{}`", spec.stage)))?;
        let mut last = spec.created_at;
        for (i, h) in spec.history.iter().enumerate() {
            let at = format!("history[{i}]");
            if pipeline.stage(&h.from).is_none() {
                return Err(Error::invalid(
                    format!("{at}.from"),
                    format!("unknown stage `{}`", h.from),
                ));
            }
            if pipeline.stage(&h.to).is_none() {
                return Err(Error::invalid(
                    format!("{at}.to"),
                    format!("unknown stage `{}`", h.to),
                ));
            }
            if h.from == h.to {
                return Err(Error::invalid(
                    format!("{at}.to"),
                    "an entry must change the stage",
                ));
            }
            if i > 0 && spec.history[i - 1].to != h.from {
                return Err(Error::invalid(
                    format!("{at}.from"),
                    format!(
                        "`{}` is not the stage the previous entry entered (`{}`)",
                        h.from,
                        spec.history[i - 1].to
                    ),
                ));
            }
            if h.at < last {
                return Err(Error::invalid(
                    format!("{at}.at"),
                    format!(
                        "{} is before {} (the record's creation or the previous move)",
                        h.at, last
                    ),
                ));
            }
            last = h.at;
        }
        if let Some(h) = spec.history.last() {
            if *h.to != *spec.stage {
                return Err(Error::invalid(
                    "stage",
                    format!(
                        "`{}` is not the stage the last history entry entered (`{}`)",
                        spec.stage, h.to
                    ),
                ));
            }
        }
        let probability = match spec.probability {
            None => Probability {
                value: stage.probability,
                source: ProbabilitySource::Stage,
            },
            Some(p) if p.value > 100 => {
                return Err(Error::invalid(
                    "probability.value",
                    format!("{} is outside 0..=100", p.value),
                ));
            }
            Some(p)
                if p.source == ProbabilitySource::Stage
                    && p.value != u32::from(stage.probability) =>
            {
                return Err(Error::invalid(
                    "probability.value",
                    format!(
                        "{} is not the default {} of stage `{}`; say \"source\": \"override\"",
                        p.value, stage.probability, stage.id
                    ),
                ));
            }
            Some(p) => Probability {
                value: p.value as u8,
                source: p.source,
            },
        };
        if stage.kind != StageKind::Lost {
            if spec.lost_reason.is_some() {
                return Err(Error::invalid(
                    "lost_reason",
                    format!("stage `{}` is not a lost stage", stage.id),
                ));
            }
            if spec.lost_at_stage.is_some() {
                return Err(Error::invalid(
                    "lost_at_stage",
                    format!("stage `{}` is not a lost stage", stage.id),
                ));
            }
        }
        if let Some(s) = &spec.lost_at_stage {
            match pipeline.stage(s) {
                Some(st) if st.kind == StageKind::Open => {}
                _ => {
                    return Err(Error::invalid(
                        "lost_at_stage",
                        format!("`{s}` is not an open stage"),
                    ));
                }
            }
        }
        if spec.closed_at.is_some() && !stage.kind.is_terminal() {
            return Err(Error::invalid(
                "closed_at",
                format!("stage `{}` is open", stage.id),
            ));
        }
        if let Some(d) = spec.discount_percent {
            if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED {
                return Err(Error::invalid(
                    "discount_percent",
                    format!("{d} is outside 0..=100"),
                ));
            }
        }
        let mut fields = BTreeMap::new();
        for (name, value) in spec.fields {
            let ty = pipeline.fields().get(&name).ok_or_else(|| {
                Error::invalid(
                    format!("fields.{name}"),
                    format!("pipeline `{}` declares no field `{name}`", pipeline.id()),
                )
            })?;
            let v = FieldValue::parse(ty, &value)
                .map_err(|r| Error::invalid(format!("fields.{name}"), r))?;
            fields.insert(name, v);
        }
        Ok(Record {
            id: spec.id.into(),
            // The pipeline's own id: every record in this stage shares the one string.
            stage: Arc::clone(&stage.id),
            owner: spec.owner.map(Into::into),
            amount: spec.amount,
            customer: spec.customer.map(Into::into),
            created_at: spec.created_at,
            close_date: spec.close_date,
            due_date: spec.due_date,
            valid_until: spec.valid_until,
            renewal_date: spec.renewal_date,
            discount_percent: spec.discount_percent,
            probability,
            lost_reason: spec.lost_reason.map(Into::into),
            lost_at_stage: spec.lost_at_stage.map(Into::into),
            closed_at: spec.closed_at,
            last_activity_at: spec.last_activity_at,
            fields,
            history: spec.history.into_iter().collect(),
        })
    }

    /// Parse a JSON record and check it against `pipeline`.
    pub fn parse_json(json: &str, pipeline: &Pipeline) -> Result<Self> {
        Record::parse(crate::ops::parse(json)?, pipeline)
    }

    /// The current stage id.
    pub fn stage(&self) -> &str {
        &self.stage
    }

    /// When the record was created (entered its first stage).
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// The win probability and whether it is the stage default.
    pub fn probability(&self) -> Probability {
        self.probability
    }

    /// Why the record was lost, while it is lost.
    pub fn lost_reason(&self) -> Option<&str> {
        self.lost_reason.as_deref()
    }

    /// The open stage the record was lost from, while it is lost (funnel attribution).
    pub fn lost_at_stage(&self) -> Option<&str> {
        self.lost_at_stage.as_deref()
    }

    /// When the record entered its current terminal stage.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.closed_at
    }

    /// The stage history, oldest first (append-only).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The stage the record was in first: the first entry's `from`, or the current stage.
    pub fn first_stage(&self) -> &str {
        self.history.first().map_or(&self.stage, |h| &h.from)
    }

    /// When the record entered its current stage.
    pub fn stage_entered_at(&self) -> DateTime<Utc> {
        self.history.last().map_or(self.created_at, |h| h.at)
    }

    /// Override the probability (0..=100).
    pub fn set_probability(&mut self, value: u8) -> Result<()> {
        if value > 100 {
            return Err(Error::invalid(
                "probability",
                format!("{value} is outside 0..=100"),
            ));
        }
        self.probability = Probability {
            value,
            source: ProbabilitySource::Override,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(i: i64) -> HistoryEntry {
        HistoryEntry {
            at: DateTime::from_timestamp(i, 0).unwrap_or_default(),
            by: "u".into(),
            from: "a".into(),
            to: "b".into(),
            reason: None,
        }
    }

    #[test]
    fn a_shared_history_keeps_each_records_entries() {
        let base: History = (0..3).map(entry).collect();
        let mut longer = base.clone();
        longer.push(entry(3));
        assert_eq!(base.len(), 3);
        assert_eq!(longer.len(), 4);
        assert!(longer.iter().take(3).eq(base.iter()));
        assert_eq!(base.last(), Some(&entry(2)));
        assert_eq!(longer.first(), Some(&entry(0)));
        assert_eq!(
            serde_json::to_value(&base)
                .unwrap()
                .as_array()
                .map(Vec::len),
            Some(3)
        );
    }

    #[test]
    fn a_very_long_history_drops_without_recursion() {
        let h: History = (0..500_000).map(entry).collect();
        assert_eq!(h.len(), 500_000);
        drop(h);
    }
}
