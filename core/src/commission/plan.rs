//! Plans: the documents that say how a payee is paid, checked once into typed values.
//!
//! A plan has a currency, a rounding policy, a statement period and one or more
//! effective-dated **versions**; the version in force on a credit's date applies to that
//! credit. A version holds **rules** (flat rates, tier tables, fixed amounts and SPIFFs,
//! attainment milestones, manager overrides), the timing of payment (on booking, invoice
//! or payment), the clawback policy and the draw.
//!
//! This module decides what a valid plan is (tiers ascending without gaps or overlaps,
//! rates ≥ 0 and at most 100 % of a money base, versions not overlapping, ids unique,
//! fields that make sense for the rule type) and names the offending field when it is not.
//! It never computes pay.
//!
//! ```
//! use salesops::commission::plan::{Plan, PlanSpec};
//! let spec: PlanSpec = serde_json::from_str(r#"{"id":"ae","currency":"USD","versions":[
//!   {"id":"2026","effective":{"start":"2026-01-01"},"rules":[{"id":"base","type":"rate","rate":"-5"}]}]}"#).unwrap();
//! let err = Plan::new(spec).unwrap_err();
//! assert_eq!(err.field(), Some("versions[0].rules[0].rate"));
//! ```

use super::num::is_negative;
use super::statement::Id;
use super::tiers::{Scope, TierTable, TierTableSpec};
use crate::error::{Error, Result};
use crate::money::{Currency, Rounding};
use crate::period::{Calendar, DateRange, PeriodKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A plan as written by the host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSpec {
    /// Plan id, referenced by payees.
    pub id: String,
    /// The currency pay is computed and stated in.
    pub currency: Currency,
    /// Rounding mode and level (default: half-even, per line).
    #[serde(default)]
    pub rounding: RoundingPolicy,
    /// The statement period kind (default `month`); used to find the period of an
    /// original credit when a clawback re-reads it.
    #[serde(default = "default_period")]
    pub period: PeriodKind,
    /// Fiscal calendar for `year` accumulation (default: calendar year).
    #[serde(default)]
    pub calendar: Calendar,
    /// Effective-dated versions; at least one.
    pub versions: Vec<VersionSpec>,
}

fn default_period() -> PeriodKind {
    PeriodKind::Month
}

/// Where amounts are rounded and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RoundingPolicy {
    /// The named rounding mode (default `half_even`).
    #[serde(default)]
    pub mode: Rounding,
    /// Per line or once per statement (default `line`).
    #[serde(default)]
    pub level: RoundingLevel,
}

/// At which point amounts are rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundingLevel {
    /// Every line is rounded; totals are sums of rounded lines (OCA).
    #[default]
    Line,
    /// Lines stay exact; the statement adds one `rounding` line so its total is rounded
    /// and still equals the sum of its lines.
    Statement,
}

/// A version's validity as written: `end` is exclusive and optional (open-ended).
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EffectiveSpec {
    /// First day in force.
    pub start: NaiveDate,
    /// First day no longer in force; open-ended when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

/// When a credit's commission becomes payable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayOn {
    /// On the credit's date.
    #[default]
    Booking,
    /// On the credit's `invoice_date`; a credit without one is not yet payable.
    Invoice,
    /// On each of the credit's `payments`, pro rata.
    Payment,
}

/// One version of a plan as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VersionSpec {
    /// Version id, shown on every line it produced.
    pub id: String,
    /// Validity.
    pub effective: EffectiveSpec,
    /// Payment timing (default `booking`).
    #[serde(default)]
    pub pay_on: PayOn,
    /// The rules, evaluated in order.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Clawback policy; without one, refunds and cancellations claw nothing back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clawback: Option<ClawbackPolicySpec>,
    /// Draw; without one, no draw is paid or recovered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw: Option<DrawSpec>,
}

/// The kinds of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleType {
    /// `rate` percent of the base (or `rate` per unit of quantity).
    Rate,
    /// A tier table (`table`).
    Tiered,
    /// A fixed `amount` per qualifying credit (SPIFF), optionally above `min_quantity`.
    Fixed,
    /// A fixed `amount` once when attainment reaches `attainment` percent.
    Bonus,
    /// `rate` percent of the base credited to the payee's team.
    Override,
}

/// What a rule's rate applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// Credited revenue (net of credit notes).
    #[default]
    Revenue,
    /// Revenue minus cost, floored at zero per line unless `margin_floor` is false.
    Margin,
    /// Units sold; rates are then amounts per unit.
    Quantity,
}

/// How often a fixed amount is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// For every qualifying credit.
    #[default]
    EveryTime,
    /// For the first qualifying credit of the statement period only.
    Once,
}

/// Whose credits a manager override covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// Payees whose `manager` is this payee.
    #[default]
    Direct,
    /// Every payee below this one in the `manager` hierarchy.
    All,
}

/// Which credits a rule applies to; every list given must contain the credit's value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// Product ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<Vec<String>>,
    /// Product categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    /// `new` and/or `renewal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds: Option<Vec<DealKind>>,
    /// Regions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<String>>,
    /// Channels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels: Option<Vec<String>>,
}

impl Filter {
    /// Whether every credit passes (no list given): checked first, since most rules
    /// filter nothing and the walk asks for every credit.
    #[inline]
    pub fn is_all(&self) -> bool {
        self.products.is_none()
            && self.categories.is_none()
            && self.kinds.is_none()
            && self.regions.is_none()
            && self.channels.is_none()
    }
}

/// New business or a renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DealKind {
    /// New business.
    New,
    /// A renewal.
    Renewal,
}

/// Caps or minimums at three levels, in the plan currency.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Per credit (each credit's pay under the rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<Decimal>,
    /// Per deal (credits sharing a `deal` id; a credit without one is its own deal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Decimal>,
    /// Per statement period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Decimal>,
}

/// One rule as written. Which fields apply depends on `type`; a field that does not
/// apply is an error rather than silently ignored.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Rule id, unique in its version, shown on every line it produced.
    pub id: String,
    /// The kind of rule.
    #[serde(rename = "type")]
    pub kind: RuleType,
    /// What the rate applies to (`rate`, `tiered`, `override`; default `revenue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Base>,
    /// Percent (or per unit) for `rate` and `override`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    /// The table of a `tiered` rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<TierTableSpec>,
    /// The amount of a `fixed` or `bonus` rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Decimal>,
    /// A `fixed` rule pays only when the credit's quantity is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_quantity: Option<Decimal>,
    /// How often a `fixed` rule pays (default `every_time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    /// The attainment percent a `bonus` rule pays at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attainment: Option<Decimal>,
    /// Which credits count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// Only credits dated in this range count (a SPIFF's window).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<DateRange>,
    /// Caps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Limits>,
    /// Minimums.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Limits>,
    /// Nothing is paid under this rule unless period attainment reaches this percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Decimal>,
    /// Floor the margin at zero per line (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_floor: Option<bool>,
    /// Whose credits an `override` covers (default `direct`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth: Option<Depth>,
}

/// How a refund, cancellation or churn event is clawed back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClawbackBasis {
    /// The original lines' base × rate, without line minimums or caps (Xactly).
    #[default]
    OriginalRate,
    /// Everything the credit originally paid, line minimums and caps included.
    OriginalAmount,
    /// The refunded base walked through the tables again in the event's period, like
    /// a credit note.
    Retier,
}

/// A clawback policy as written.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClawbackPolicySpec {
    /// Events more than this many days after the credit's date claw nothing back.
    pub window_days: u32,
    /// How the amount is found (default `original_rate`).
    #[serde(default)]
    pub basis: ClawbackBasis,
    /// Whether the clawed base is taken off the period's attainment (default: only for
    /// `retier`, which always does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reduces_attainment: Option<bool>,
}

/// A validated clawback policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClawbackPolicy {
    /// Window in days.
    pub window_days: u32,
    /// Basis.
    pub basis: ClawbackBasis,
    /// Whether attainment is reduced.
    pub reduces_attainment: bool,
}

/// The two independent choices of a draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawKind {
    /// Paid every period on top of earnings.
    Advance,
    /// Tops earnings up to the draw amount.
    Guarantee,
}

/// A draw as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DrawSpec {
    /// Amount per statement period (prorated for partial periods); > 0.
    pub amount: Decimal,
    /// Advance or guarantee.
    pub kind: DrawKind,
    /// Whether what was paid is recovered from later earnings.
    pub recoverable: bool,
}

/// A validated rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Rule id.
    pub id: Id,
    /// What it does.
    pub kind: RuleKind,
    /// Its base.
    pub base: Base,
    /// Its filter (empty matches everything).
    pub filter: Filter,
    /// Its date window.
    pub window: Option<DateRange>,
    /// Caps.
    pub cap: Limits,
    /// Minimums.
    pub minimum: Limits,
    /// Attainment gate in percent.
    pub threshold: Option<Decimal>,
    /// Floor margins at zero.
    pub margin_floor: bool,
}

/// What a validated rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// Flat rate.
    Rate {
        /// Percent (per unit for quantity).
        rate: Decimal,
    },
    /// Tier table.
    Tiered {
        /// The table.
        table: TierTable,
    },
    /// Fixed amount per qualifying credit.
    Fixed {
        /// Amount.
        amount: Decimal,
        /// Minimum quantity.
        min_quantity: Option<Decimal>,
        /// Frequency.
        frequency: Frequency,
    },
    /// Attainment milestone bonus.
    Bonus {
        /// Milestone in percent.
        attainment: Decimal,
        /// Amount.
        amount: Decimal,
    },
    /// Manager override.
    Override {
        /// Percent of the team's base.
        rate: Decimal,
        /// Direct reports or the whole hierarchy.
        depth: Depth,
    },
}

impl Rule {
    /// The divisor of the rule's rates: 100 for percentages, 1 for per-unit rates.
    pub fn per(&self) -> Decimal {
        if self.base == Base::Quantity {
            Decimal::ONE
        } else {
            Decimal::ONE_HUNDRED
        }
    }

    /// Whether the rule walks cumulative totals (a period or year tier table).
    pub fn scope(&self) -> Scope {
        match &self.kind {
            RuleKind::Tiered { table } => table.scope(),
            _ => Scope::Transaction,
        }
    }
}

/// A validated version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// Version id.
    pub id: Id,
    /// First day in force.
    pub start: NaiveDate,
    /// First day no longer in force.
    pub end: Option<NaiveDate>,
    /// Timing.
    pub pay_on: PayOn,
    /// Rules in order.
    pub rules: Vec<Rule>,
    /// Clawback policy.
    pub clawback: Option<ClawbackPolicy>,
    /// Draw.
    pub draw: Option<DrawSpec>,
}

impl Version {
    /// Whether the version is in force on `date`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|e| date < e)
    }
}

/// A validated plan: versions sorted by start and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Plan id.
    pub id: String,
    /// Plan currency.
    pub currency: Currency,
    /// Rounding policy.
    pub rounding: RoundingPolicy,
    /// Statement period kind.
    pub period: PeriodKind,
    /// Calendar.
    pub calendar: Calendar,
    /// Versions, by start date.
    pub versions: Vec<Version>,
}

fn forbid(present: bool, field: &str, kind: RuleType) -> Result<()> {
    if present {
        let kind = super::name_of(kind);
        return Err(Error::invalid(
            field,
            format!("does not apply to a `{kind}` rule"),
        ));
    }
    Ok(())
}

fn non_negative(x: Decimal, field: &str) -> Result<Decimal> {
    if is_negative(x) {
        return Err(Error::invalid(field, format!("{x} must not be negative")));
    }
    Ok(x)
}

fn rate_in_range(rate: Decimal, base: Base, field: &str) -> Result<Decimal> {
    non_negative(rate, field)?;
    if base != Base::Quantity && rate > Decimal::ONE_HUNDRED {
        return Err(Error::invalid(
            field,
            format!("{rate} % is more than the whole base; rates are percentages from 0 to 100"),
        ));
    }
    Ok(rate)
}

fn check_limits(l: Limits, field: &str) -> Result<Limits> {
    for (v, name) in [(l.line, "line"), (l.deal, "deal"), (l.period, "period")] {
        if let Some(v) = v {
            non_negative(v, &format!("{field}.{name}"))?;
        }
    }
    Ok(l)
}

fn check_filter(f: Filter) -> Result<Filter> {
    let lists = [
        ("filter.products", f.products.as_ref().map(Vec::len)),
        ("filter.categories", f.categories.as_ref().map(Vec::len)),
        ("filter.kinds", f.kinds.as_ref().map(Vec::len)),
        ("filter.regions", f.regions.as_ref().map(Vec::len)),
        ("filter.channels", f.channels.as_ref().map(Vec::len)),
    ];
    for (field, len) in lists {
        if len == Some(0) {
            return Err(Error::invalid(
                field,
                "an empty list matches nothing; omit it to match everything",
            ));
        }
    }
    Ok(f)
}

impl Rule {
    /// Check a rule spec; errors name fields relative to the rule.
    pub fn new(spec: RuleSpec) -> Result<Rule> {
        let t = spec.kind;
        if spec.id.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        let base = spec.base.unwrap_or_default();
        let needs = |v: Option<Decimal>, field: &str| {
            v.ok_or_else(|| Error::invalid(field, "is required for this rule type"))
        };
        let kind = match t {
            RuleType::Rate | RuleType::Override => {
                forbid(spec.table.is_some(), "table", t)?;
                forbid(spec.amount.is_some(), "amount", t)?;
                forbid(spec.min_quantity.is_some(), "min_quantity", t)?;
                forbid(spec.frequency.is_some(), "frequency", t)?;
                forbid(spec.attainment.is_some(), "attainment", t)?;
                let rate = rate_in_range(needs(spec.rate, "rate")?, base, "rate")?;
                if t == RuleType::Rate {
                    forbid(spec.depth.is_some(), "depth", t)?;
                    RuleKind::Rate { rate }
                } else {
                    forbid(spec.cap.is_some(), "cap", t)?;
                    forbid(spec.minimum.is_some(), "minimum", t)?;
                    forbid(spec.threshold.is_some(), "threshold", t)?;
                    RuleKind::Override {
                        rate,
                        depth: spec.depth.unwrap_or_default(),
                    }
                }
            }
            RuleType::Tiered => {
                forbid(spec.rate.is_some(), "rate", t)?;
                forbid(spec.amount.is_some(), "amount", t)?;
                forbid(spec.min_quantity.is_some(), "min_quantity", t)?;
                forbid(spec.frequency.is_some(), "frequency", t)?;
                forbid(spec.attainment.is_some(), "attainment", t)?;
                forbid(spec.depth.is_some(), "depth", t)?;
                let table = spec
                    .table
                    .ok_or_else(|| Error::invalid("table", "a tiered rule needs a `table`"))?;
                let table = TierTable::new(table).map_err(|e| e.within("table"))?;
                for (i, tier) in table.tiers().iter().enumerate() {
                    rate_in_range(tier.rate, base, &format!("table.tiers[{i}].rate"))?;
                }
                RuleKind::Tiered { table }
            }
            RuleType::Fixed | RuleType::Bonus => {
                forbid(spec.rate.is_some(), "rate", t)?;
                forbid(spec.table.is_some(), "table", t)?;
                forbid(spec.base.is_some(), "base", t)?;
                forbid(spec.depth.is_some(), "depth", t)?;
                forbid(spec.margin_floor.is_some(), "margin_floor", t)?;
                let amount = non_negative(needs(spec.amount, "amount")?, "amount")?;
                if t == RuleType::Fixed {
                    forbid(spec.attainment.is_some(), "attainment", t)?;
                    let min_quantity = spec
                        .min_quantity
                        .map(|q| non_negative(q, "min_quantity"))
                        .transpose()?;
                    RuleKind::Fixed {
                        amount,
                        min_quantity,
                        frequency: spec.frequency.unwrap_or_default(),
                    }
                } else {
                    forbid(spec.min_quantity.is_some(), "min_quantity", t)?;
                    forbid(spec.frequency.is_some(), "frequency", t)?;
                    forbid(spec.filter.is_some(), "filter", t)?;
                    forbid(spec.window.is_some(), "window", t)?;
                    forbid(spec.cap.is_some(), "cap", t)?;
                    forbid(spec.minimum.is_some(), "minimum", t)?;
                    forbid(spec.threshold.is_some(), "threshold", t)?;
                    let attainment = needs(spec.attainment, "attainment")?;
                    if attainment <= Decimal::ZERO {
                        return Err(Error::invalid(
                            "attainment",
                            "a milestone must be above 0 %",
                        ));
                    }
                    RuleKind::Bonus { attainment, amount }
                }
            }
        };
        if let Some(th) = spec.threshold {
            non_negative(th, "threshold")?;
        }
        let cap = check_limits(spec.cap.unwrap_or_default(), "cap")?;
        let minimum = check_limits(spec.minimum.unwrap_or_default(), "minimum")?;
        for (c, m, name) in [
            (cap.line, minimum.line, "line"),
            (cap.deal, minimum.deal, "deal"),
            (cap.period, minimum.period, "period"),
        ] {
            if let (Some(c), Some(m)) = (c, m) {
                if m > c {
                    return Err(Error::invalid(
                        format!("minimum.{name}"),
                        format!("{m} is above the cap {c}"),
                    ));
                }
            }
        }
        Ok(Rule {
            id: Id::from(spec.id),
            kind,
            base,
            filter: check_filter(spec.filter.unwrap_or_default())?,
            window: spec.window,
            cap,
            minimum,
            threshold: spec.threshold,
            margin_floor: spec.margin_floor.unwrap_or(true),
        })
    }
}

impl Plan {
    /// Whether some version pays team overrides.
    pub fn has_overrides(&self) -> bool {
        self.versions.iter().any(|v| {
            v.rules
                .iter()
                .any(|r| matches!(r.kind, RuleKind::Override { .. }))
        })
    }

    /// Check a plan spec; errors name fields relative to the plan (`versions[0].rules[2].rate`).
    pub fn new(spec: PlanSpec) -> Result<Plan> {
        if spec.id.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        spec.currency.scale("currency")?;
        if spec.versions.is_empty() {
            return Err(Error::invalid(
                "versions",
                "a plan needs at least one version",
            ));
        }
        let mut versions = Vec::with_capacity(spec.versions.len());
        for (vi, v) in spec.versions.into_iter().enumerate() {
            let at = |f: &str| format!("versions[{vi}].{f}");
            if v.id.is_empty() {
                return Err(Error::invalid(at("id"), "must not be empty"));
            }
            if versions.iter().any(|x: &(usize, Version)| x.1.id == v.id) {
                return Err(Error::invalid(
                    at("id"),
                    format!("duplicate version `{}`", v.id),
                ));
            }
            if let Some(end) = v.effective.end.filter(|e| *e <= v.effective.start) {
                return Err(Error::invalid(
                    at("effective.end"),
                    format!("{end} must be after start {}", v.effective.start),
                ));
            }
            let mut rules: Vec<Rule> = Vec::with_capacity(v.rules.len());
            for (ri, r) in v.rules.into_iter().enumerate() {
                let rule = Rule::new(r).map_err(|e| e.within(&at(&format!("rules[{ri}]"))))?;
                if rules.iter().any(|x| x.id == rule.id) {
                    return Err(Error::invalid(
                        at(&format!("rules[{ri}].id")),
                        format!("duplicate rule `{}`", rule.id),
                    ));
                }
                rules.push(rule);
            }
            let clawback = match v.clawback {
                None => None,
                Some(c) => {
                    let reduces = match (c.basis, c.reduces_attainment) {
                        (ClawbackBasis::Retier, Some(false)) => {
                            return Err(Error::invalid(
                                at("clawback.reduces_attainment"),
                                "a re-tiered clawback is walked through the tables, so it always reduces attainment",
                            ));
                        }
                        (ClawbackBasis::Retier, _) => true,
                        (_, r) => r.unwrap_or(false),
                    };
                    Some(ClawbackPolicy {
                        window_days: c.window_days,
                        basis: c.basis,
                        reduces_attainment: reduces,
                    })
                }
            };
            if v.draw.is_some_and(|d| d.amount <= Decimal::ZERO) {
                return Err(Error::invalid(at("draw.amount"), "must be above zero"));
            }
            versions.push((
                vi,
                Version {
                    id: Id::from(v.id),
                    start: v.effective.start,
                    end: v.effective.end,
                    pay_on: v.pay_on,
                    rules,
                    clawback,
                    draw: v.draw,
                },
            ));
        }
        versions.sort_by_key(|(_, v)| v.start);
        for w in versions.windows(2) {
            let (_, a) = &w[0];
            let (bi, b) = &w[1];
            if a.end.is_none_or(|end| end > b.start) {
                return Err(Error::invalid(
                    format!("versions[{bi}].effective.start"),
                    format!(
                        "version `{}` starting {} overlaps version `{}` (in force from {})",
                        b.id, b.start, a.id, a.start
                    ),
                ));
            }
        }
        Ok(Plan {
            id: spec.id,
            currency: spec.currency,
            rounding: spec.rounding,
            period: spec.period,
            calendar: spec.calendar,
            versions: versions.into_iter().map(|(_, v)| v).collect(),
        })
    }

    /// Index of the version in force on `date`.
    pub fn version_at(&self, date: NaiveDate) -> Option<usize> {
        self.versions.iter().position(|v| v.contains(date))
    }

    /// The rounding scale (the currency's minor unit).
    pub fn scale(&self) -> u32 {
        self.currency.minor_units().unwrap_or(2)
    }
}
