//! Statements: what one payee earns in one period, line by line.
//!
//! This module decides the shape of a statement and its arithmetic invariants: every
//! line names the rule and plan version that produced it, the source credit (where
//! there is one), the base, the rate or tier and the amount; the totals are sums of the
//! lines, so a rep can add them up themselves; rounding happens per line or once per
//! statement (as an explicit `rounding` line), with the mode named. It never decides
//! what a line's amount should be; the engine does.

use super::credit::Fx;
use super::num;
use super::plan::{RoundingLevel, RoundingPolicy};
use crate::error::Result;
use crate::money::Currency;
use crate::period::DateRange;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::id::Id;

/// What produced a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A rate or tier applied to a credit's base.
    Commission,
    /// Re-rating of the earlier period total when a retroactive table reached a new tier.
    Retro,
    /// A fixed amount or SPIFF for a qualifying credit.
    Fixed,
    /// An attainment milestone bonus.
    Bonus,
    /// A manager or team override on a team member's credit.
    Override,
    /// A top-up to a minimum (per line, deal or period).
    Minimum,
    /// A reduction to a cap (per line, deal or period).
    Cap,
    /// Reversal of a rule's pay because attainment is below its threshold.
    Threshold,
    /// A clawback of an earlier credit's pay (refund, cancellation, churn).
    Clawback,
    /// The difference between the exact lines and the rounded total (statement rounding).
    Rounding,
    /// A draw paid in advance.
    DrawAdvance,
    /// A guarantee top-up.
    DrawTopUp,
    /// Recovery of an outstanding recoverable draw.
    DrawRecovery,
}

impl LineKind {
    /// Whether this is a draw line (counted in `totals.draws`, not `earnings`).
    pub fn is_draw(self) -> bool {
        matches!(
            self,
            LineKind::DrawAdvance | LineKind::DrawTopUp | LineKind::DrawRecovery
        )
    }
}

/// One line of a statement. Amounts are in the statement's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// What produced it.
    pub kind: LineKind,
    /// The rule id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Id>,
    /// The plan version id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Id>,
    /// The source credit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Id>,
    /// The deal id (per-deal caps and minimums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Id>,
    /// The date it was earned (booking, invoice, payment or event date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// The payee's percent of a split credit, when below 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Decimal>,
    /// The conversion into the plan currency, when the credit was in another one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fx: Option<Fx>,
    /// The base the rate applied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Decimal>,
    /// The rate (percent, or per unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    /// The 1-based tier (or curve segment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<usize>,
    /// The amount.
    pub amount: Decimal,
    /// Why, in words, where the fields above do not say it all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Line {
    /// A line of `kind` for `amount` with every reference empty.
    pub fn new(kind: LineKind, amount: Decimal) -> Line {
        Line {
            kind,
            rule: None,
            version: None,
            credit: None,
            deal: None,
            date: None,
            split: None,
            fx: None,
            base: None,
            rate: None,
            tier: None,
            amount,
            note: None,
        }
    }
}

/// Statement totals; each is a sum of lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    /// Every line that is not a draw line.
    pub earnings: Decimal,
    /// The draw lines.
    pub draws: Decimal,
    /// Every line: `earnings + draws`.
    pub payout: Decimal,
}

/// Quota attainment for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attainment {
    /// Revenue credited in the period (less clawbacks that reduce attainment).
    pub credited: Decimal,
    /// The period quota, prorated for a partial period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Decimal>,
    /// `credited / quota × 100`, rounded to 2 decimals with the plan's mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Decimal>,
}

/// The recoverable draw balance owed by the payee, before and after this period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawBalance {
    /// Carried in.
    pub opening: Decimal,
    /// Carried out to the next period.
    pub closing: Decimal,
}

/// One payee's statement for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// Payee id.
    pub payee: String,
    /// Plan id.
    pub plan: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// The statement period `[start, end)`.
    pub period: DateRange,
    /// How it was rounded.
    pub rounding: RoundingPolicy,
    /// The lines, in the order they were earned.
    pub lines: Vec<Line>,
    /// Sums of the lines.
    pub totals: Totals,
    /// Attainment.
    pub attainment: Attainment,
    /// Draw balance, when the plan has a draw or a balance was carried in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw_balance: Option<DrawBalance>,
}

/// Round `x` as the policy says for a line: to the unit in `line` mode, exact (and
/// normalised) in `statement` mode.
pub(crate) fn round_line(x: Decimal, policy: RoundingPolicy, scale: u32) -> Decimal {
    match policy.level {
        RoundingLevel::Line => policy.mode.apply(x, scale),
        RoundingLevel::Statement => x.normalize(),
    }
}

/// Sum the non-draw lines; in `statement` rounding, append the `rounding` line that
/// brings the exact sum to the rounded one. Returns the earnings total: the rounded sum,
/// which is also the sum of the lines (in `line` rounding every line is already at the
/// unit, in `statement` rounding the rounding line makes up the difference).
pub(crate) fn close_earnings(
    lines: &mut Vec<Line>,
    policy: RoundingPolicy,
    scale: u32,
) -> Result<Decimal> {
    let exact = num::sum(
        lines
            .iter()
            .filter(|l| !l.kind.is_draw())
            .map(|l| &l.amount),
        "lines",
    )?;
    let rounded = policy.mode.apply(exact, scale);
    if policy.level == RoundingLevel::Statement && !lines.is_empty() {
        let diff = num::sub(rounded, exact, "lines")?;
        let mut l = Line::new(LineKind::Rounding, diff.normalize());
        l.note = Some(format!(
            "exact total {} rounded {} to {rounded}",
            exact.normalize(),
            super::name_of(policy.mode)
        ));
        lines.push(l);
    }
    Ok(rounded)
}

/// Totals of a statement whose non-draw lines up to some point were closed by
/// [`close_earnings`] into `earnings`, and `after` are the lines added since (draws):
/// earnings, draws and payout, each the sum of its lines (the closed lines are not
/// summed again: `earnings` is their sum, the rounding line included).
pub(crate) fn totals(earnings: Decimal, after: &[Line], scale: u32) -> Result<Totals> {
    let (mut earnings, mut draws) = (earnings, Decimal::ZERO);
    for l in after {
        let sum = if l.kind.is_draw() {
            &mut draws
        } else {
            &mut earnings
        };
        *sum = num::add(*sum, l.amount, "lines")?;
    }
    let payout = num::add(earnings, draws, "lines")?;
    let show = |x: Decimal| num::show(x, scale);
    Ok(Totals {
        earnings: show(earnings),
        draws: show(draws),
        payout: show(payout),
    })
}
