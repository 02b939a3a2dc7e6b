//! `commission.*`: validate plans, compute statements, recompute closed periods,
//! explain a credit's pay, evaluate a tier table.

use super::{Op, op};
use crate::commission::recalc::{Adjustment, adjustments};
use crate::commission::tiers::{Measure, Scope, TierTable, TierTableSpec};
use crate::commission::{Compute, ComputeSpec, Line, Plan, PlanSpec, Statement, compute};
use crate::error::{Error, Result};
use crate::money::Rounding;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

macro_rules! plan_example {
    () => {
        r#"{"id":"ae-2026","currency":"USD","rounding":{"mode":"half_even","level":"line"},"period":"quarter","versions":[{"id":"2026","effective":{"start":"2026-01-01"},"rules":[{"id":"base","type":"tiered","table":{"mode":"marginal","measure":"attainment","scope":"period","tiers":[{"from":"0","to":"100","rate":"8"},{"from":"100","rate":"12"}]}},{"id":"spiff-xscan","type":"fixed","amount":"250","min_quantity":"10","filter":{"products":["xscan-400"]}}],"clawback":{"window_days":90}}]}"#
    };
}

macro_rules! compute_example {
    () => {
        r#"{"period":{"start":"2026-01-01","end":"2026-04-01"},"plans":[{"id":"ae-2026","currency":"USD","period":"quarter","versions":[{"id":"2026","effective":{"start":"2026-01-01"},"rules":[{"id":"base","type":"tiered","table":{"mode":"marginal","measure":"attainment","scope":"period","tiers":[{"from":"0","to":"100","rate":"8"},{"from":"100","rate":"12"}]}}],"clawback":{"window_days":90}}]}],"payees":[{"id":"ana","plan":"ae-2026","quota":{"amount":"100000.00","currency":"USD"}},{"id":"ben","plan":"ae-2026","quota":{"amount":"80000.00","currency":"USD"}}],"credits":[{"id":"so-1","date":"2026-01-20","amount":{"amount":"60000.00","currency":"USD"},"payee":"ana"},{"id":"so-2","date":"2026-02-11","amount":{"amount":"50000.00","currency":"USD"},"splits":[{"payee":"ana","percent":"60"},{"payee":"ben","percent":"40"}]},{"id":"so-3","date":"2026-03-05","amount":{"amount":"20000.00","currency":"EUR"},"payee":"ben"}],"events":[{"credit":"so-1","date":"2026-03-20","type":"refund","amount":{"amount":"6000.00","currency":"USD"}}],"rates":[{"from":"EUR","to":"USD","rate":"1.08","effective":"2026-01-01"}]}"#
    };
}

pub(super) const OPS: &[Op] = &[
    op!(
        "commission.validate_plan",
        "Check a commission plan (versions, rules, tier tables) and summarise it; errors name the field.",
        validate_plan,
        concat!(r#"{"plan":"#, plan_example!(), "}")
    ),
    op!(
        "commission.compute",
        "Compute each payee's statement for a period: every line with its credit, plan version, rule, base, rate and amount.",
        compute_op,
        compute_example!()
    ),
    op!(
        "commission.recalculate",
        "Recompute a closed period and return adjustment lines against the earlier statements (none when nothing changed).",
        recalculate,
        concat!(
            r#"{"previous":{"statements":[]},"input":"#,
            compute_example!(),
            "}"
        )
    ),
    op!(
        "commission.explain",
        "Explain, step by step, how a payee's pay for a period (or for one credit) was computed.",
        explain,
        concat!(
            r#"{"payee":"ana","credit":"so-2","input":"#,
            compute_example!(),
            "}"
        )
    ),
    op!(
        "commission.evaluate_tiers",
        "Walk amounts through a tier table (band, marginal, retroactive, interpolated) and return the pay for each.",
        evaluate_tiers,
        r#"{"table":{"mode":"marginal","tiers":[{"from":"0","to":"100000","rate":"50"},{"from":"100000","rate":"60"}]},"amounts":["180000"]}"#
    ),
];

/// `commission.validate_plan` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidateIn {
    plan: PlanSpec,
}

#[derive(Serialize)]
struct ValidateOut {
    plan: String,
    currency: crate::money::Currency,
    versions: Vec<VersionSummary>,
}

#[derive(Serialize)]
struct VersionSummary {
    id: String,
    start: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<NaiveDate>,
    pay_on: crate::commission::plan::PayOn,
    rules: Vec<RuleSummary>,
}

#[derive(Serialize)]
struct RuleSummary {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<crate::commission::tiers::TierMode>,
}

fn validate_plan(i: ValidateIn) -> Result<ValidateOut> {
    use crate::commission::plan::RuleKind;
    let plan = Plan::new(i.plan).map_err(|e| e.within("plan"))?;
    Ok(ValidateOut {
        plan: plan.id,
        currency: plan.currency,
        versions: plan
            .versions
            .into_iter()
            .map(|v| VersionSummary {
                id: v.id.to_string(),
                start: v.start,
                end: v.end,
                pay_on: v.pay_on,
                rules: v
                    .rules
                    .into_iter()
                    .map(|r| {
                        let (kind, mode) = match &r.kind {
                            RuleKind::Rate { .. } => ("rate", None),
                            RuleKind::Tiered { table } => ("tiered", Some(table.mode())),
                            RuleKind::Fixed { .. } => ("fixed", None),
                            RuleKind::Bonus { .. } => ("bonus", None),
                            RuleKind::Override { .. } => ("override", None),
                        };
                        RuleSummary {
                            id: r.id.to_string(),
                            kind,
                            mode,
                        }
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[derive(Serialize)]
struct StatementsOut {
    statements: Vec<Statement>,
}

fn compute_op(i: ComputeSpec) -> Result<StatementsOut> {
    Ok(StatementsOut {
        statements: compute(&Compute::new(i)?)?,
    })
}

/// The earlier statements, as `commission.compute` returned them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Previous {
    statements: Vec<Statement>,
}

/// `commission.recalculate` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecalcIn {
    previous: Previous,
    input: ComputeSpec,
}

#[derive(Serialize)]
struct RecalcOut {
    statements: Vec<Statement>,
    adjustments: Vec<Adjustment>,
}

fn recalculate(i: RecalcIn) -> Result<RecalcOut> {
    let statements = compute(&Compute::new(i.input).map_err(|e| e.within("input"))?)
        .map_err(|e| e.within("input"))?;
    let adjustments = adjustments(&i.previous.statements, &statements)?;
    Ok(RecalcOut {
        statements,
        adjustments,
    })
}

/// `commission.explain` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainIn {
    input: ComputeSpec,
    payee: String,
    #[serde(default)]
    credit: Option<String>,
}

#[derive(Serialize)]
struct ExplainOut {
    payee: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<String>,
    lines: Vec<Line>,
    total: Decimal,
    steps: Vec<String>,
}

fn kind_name(l: &Line) -> String {
    crate::commission::name_of(l.kind)
}

fn sentence(l: &Line, currency: &str) -> String {
    let mut s = kind_name(l);
    if let Some(rule) = &l.rule {
        s.push_str(&format!(" under rule `{rule}`"));
    }
    if let Some(v) = &l.version {
        s.push_str(&format!(" (version `{v}`)"));
    }
    if let Some(c) = &l.credit {
        s.push_str(&format!(" for credit `{c}`"));
    }
    if let Some(d) = l.date {
        s.push_str(&format!(" on {d}"));
    }
    s.push(':');
    if let Some(fx) = l.fx {
        s.push_str(&format!(
            " converted at {} (rate of {}),",
            fx.rate.normalize(),
            fx.effective
        ));
    }
    if let Some(p) = l.split {
        s.push_str(&format!(" {p}% split,"));
    }
    match (l.base, l.rate, l.tier) {
        (Some(b), Some(r), Some(t)) => s.push_str(&format!(" tier {t}, rate {r} on base {b}")),
        (Some(b), Some(r), None) => s.push_str(&format!(" rate {r} on base {b}")),
        (Some(b), None, Some(t)) => s.push_str(&format!(" curve segment {t} on base {b}")),
        _ => {}
    }
    s.push_str(&format!(" = {} {currency}", l.amount));
    if let Some(n) = &l.note {
        s.push_str(&format!(" ({n})"));
    }
    s
}

fn explain(i: ExplainIn) -> Result<ExplainOut> {
    let c = Compute::new(i.input).map_err(|e| e.within("input"))?;
    let p = c
        .payees
        .iter()
        .position(|x| x.id == i.payee)
        .ok_or_else(|| Error::not_found("payee", format!("no payee `{}`", i.payee)))?;
    if let Some(id) = &i.credit {
        if !c.credits.iter().any(|x| &x.id == id) {
            return Err(Error::not_found("credit", format!("no credit `{id}`")));
        }
    }
    let statements = compute(&c).map_err(|e| e.within("input"))?;
    let s = statements
        .into_iter()
        .nth(p)
        .ok_or_else(|| Error::Internal {
            reason: "a payee without a statement".into(),
        })?;
    let currency = s.currency.code();
    let lines: Vec<Line> = match &i.credit {
        Some(id) => s
            .lines
            .into_iter()
            .filter(|l| l.credit.as_deref() == Some(id.as_str()))
            .collect(),
        None => s.lines,
    };
    let mut steps = vec![format!(
        "statement of `{}` under plan `{}` for [{}, {}), rounded {} per {}",
        s.payee,
        s.plan,
        s.period.start,
        s.period.end,
        crate::commission::name_of(s.rounding.mode),
        crate::commission::name_of(s.rounding.level),
    )];
    steps.extend(lines.iter().map(|l| sentence(l, currency)));
    let total = lines
        .iter()
        .try_fold(Decimal::ZERO, |a, l| a.checked_add(l.amount))
        .ok_or_else(|| Error::overflow("lines", "the total does not fit"))?;
    steps.push(format!("total {total} {currency}"));
    Ok(ExplainOut {
        payee: s.payee,
        credit: i.credit,
        lines,
        total,
        steps,
    })
}

/// `commission.evaluate_tiers` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TiersIn {
    table: TierTableSpec,
    /// Transactions, walked in order.
    amounts: Vec<Decimal>,
    /// Quota, for an attainment table.
    #[serde(default)]
    quota: Option<Decimal>,
    /// Cumulative total before the first amount (period or year scope).
    #[serde(default)]
    start: Option<Decimal>,
    /// Rates are amounts per unit rather than percentages.
    #[serde(default)]
    per_unit: bool,
    #[serde(default)]
    mode: Rounding,
    /// Digits of each payout (default 2).
    #[serde(default)]
    scale: Option<u32>,
}

#[derive(Serialize)]
struct TiersOut {
    payouts: Vec<Decimal>,
    total: Decimal,
}

fn evaluate_tiers(i: TiersIn) -> Result<TiersOut> {
    let scale = i.scale.unwrap_or(2);
    if scale > 28 {
        return Err(Error::invalid(
            "scale",
            format!("{scale} is above the maximum of 28"),
        ));
    }
    let table = TierTable::new(i.table).map_err(|e| e.within("table"))?;
    let table = match (table.measure(), i.quota) {
        (Measure::Amount, None) => table,
        (Measure::Amount, Some(_)) => {
            return Err(Error::invalid("quota", "an amount table takes no quota"));
        }
        (Measure::Attainment, Some(q)) if q > Decimal::ZERO => table.scaled(q)?,
        (Measure::Attainment, _) => {
            return Err(Error::invalid(
                "quota",
                "an attainment table needs a quota above zero",
            ));
        }
    };
    if table.scope() == Scope::Transaction && i.start.is_some() {
        return Err(Error::invalid(
            "start",
            "a transaction-scope table walks every amount from zero",
        ));
    }
    let per = if i.per_unit {
        Decimal::ONE
    } else {
        Decimal::ONE_HUNDRED
    };
    let mut at = i.start.unwrap_or_default();
    let mut payouts = Vec::with_capacity(i.amounts.len());
    let mut total = Decimal::ZERO;
    for (k, a) in i.amounts.iter().enumerate() {
        let exact = table
            .walk(at, *a, per)
            .map_err(|e| e.within(&format!("amounts[{k}]")))?
            .iter()
            .try_fold(Decimal::ZERO, |s, p| s.checked_add(p.amount))
            .ok_or_else(|| Error::overflow(format!("amounts[{k}]"), "the payout does not fit"))?;
        let pay = i.mode.apply(exact, scale);
        total = total
            .checked_add(pay)
            .ok_or_else(|| Error::overflow("amounts", "the total does not fit"))?;
        payouts.push(pay);
        if table.scope() != Scope::Transaction {
            at = at.checked_add(*a).ok_or_else(|| {
                Error::overflow(format!("amounts[{k}]"), "the running total does not fit")
            })?;
        }
    }
    Ok(TiersOut {
        payouts,
        total: i.mode.apply(total, scale),
    })
}
