//! Replenishment policies: when an item is low, and how much it then needs.
//!
//! This module decides, from a position, whether a policy fires and the quantity it
//! needs before order constraints. Each policy is one key of the `policy` document:
//!
//! | key | fires when | needs |
//! |---|---|---|
//! | `min_max` (Odoo) | position vs `min` | `max − position` |
//! | `reorder_level` (ERPNext) | position vs `level` | `max(level − position, quantity)` |
//! | `s_q` | position vs reorder point `s` | the fewest multiples of `Q` that bring the position to `s` or above (at least one) |
//! | `s_s` | position vs reorder point `s` | `S − position` |
//! | `periodic` (R, S) | on review days, position vs `S` | `S − position` |
//! | `days_of_cover` | position vs `min_days` of demand | `max_days` of demand `− position` |
//!
//! Every policy takes a `trigger`, `below` (default) or `at_or_below`. Reorder points and
//! order-up-to levels left out are computed from the item's demand, lead time and safety
//! stock: `s = round(d · L + safety stock)`, for (R, S) `S = round(d · (R + L) + safety
//! stock over R + L)`; an `s_q` quantity can be the EOQ. It never decides order
//! constraints or dates.
//!
//! ```
//! use salesops::reorder::PolicySpec;
//! let p: PolicySpec = serde_json::from_str(r#"{"min_max": {"min": "10", "max": "40"}}"#).unwrap();
//! assert_eq!(p.check().unwrap().name(), "min_max");
//! ```

use super::eoq::{Eoq, EoqSpec};
use super::safety::{SafetyStock, plan};
use super::{Num, QuantityRounding, Trigger, mul, non_negative, norm, positive, push_num, sub};
use crate::error::{Error, Result};
use crate::money::Rounding;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

/// Odoo's min/max rule: `{"min": "10", "max": "40"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinMaxSpec {
    /// Fires below (or at) this position.
    pub min: Decimal,
    /// Orders up to this position; not below `min` (`0`/`0` means "cover what is
    /// committed").
    pub max: Decimal,
    /// Comparison (default `below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// ERPNext's reorder level: `{"level": "100", "quantity": "110"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReorderLevelSpec {
    /// The reorder level.
    pub level: Decimal,
    /// The reorder quantity, topped up to cover the deficiency.
    pub quantity: Decimal,
    /// Comparison (default `below`; ERPNext uses `at_or_below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// (s, Q): give `quantity` or `eoq`; `reorder_point` is computed when left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedQuantitySpec {
    /// s.
    pub reorder_point: Option<Decimal>,
    /// Q.
    pub quantity: Option<Decimal>,
    /// Q as the economic order quantity (boxed: rarely given, and it would make every
    /// item's policy, of any kind, twice as large).
    pub eoq: Option<Box<EoqSpec>>,
    /// Comparison (default `below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// (s, S); `reorder_point` is computed when left out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderUpToSpec {
    /// s.
    pub reorder_point: Option<Decimal>,
    /// S.
    pub order_up_to: Decimal,
    /// Comparison (default `below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// (R, S): reviewed every `every_days` days counted from `anchor`, or on the days of a
/// review calendar (`review_dates`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodicSpec {
    /// R, in days (at least 1), with `anchor`.
    pub every_days: Option<u32>,
    /// A review day; the others are `anchor ± k · every_days`.
    pub anchor: Option<NaiveDate>,
    /// Instead of `every_days` and `anchor`: the review days, in ascending order. R is
    /// then the number of days to the next review day after today.
    pub review_dates: Option<Vec<NaiveDate>>,
    /// S; computed when left out.
    pub order_up_to: Option<Decimal>,
    /// Comparison (default `below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// Days of cover: `{"min_days": "14", "max_days": "30"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaysOfCoverSpec {
    /// Fires below (or at) this many days of demand.
    pub min_days: Decimal,
    /// Orders up to this many days of demand; not below `min_days`.
    pub max_days: Decimal,
    /// Comparison (default `below`).
    #[serde(default)]
    pub trigger: Trigger,
}

/// A policy document: exactly one key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicySpec {
    /// Odoo's min/max.
    MinMax(MinMaxSpec),
    /// ERPNext's reorder level and quantity.
    ReorderLevel(ReorderLevelSpec),
    /// (s, Q).
    #[serde(rename = "s_q")]
    FixedQuantity(FixedQuantitySpec),
    /// (s, S).
    #[serde(rename = "s_s")]
    OrderUpTo(OrderUpToSpec),
    /// (R, S).
    Periodic(PeriodicSpec),
    /// Days of cover.
    DaysOfCover(DaysOfCoverSpec),
}

/// The review calendar of an (R, S) policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// Every `days` days from `anchor` (before and after it).
    Every {
        /// R.
        days: u32,
        /// A review day.
        anchor: NaiveDate,
    },
    /// On these days (ascending, no repeats).
    Dates(Vec<NaiveDate>),
}

impl Review {
    /// Whether `today` is a review day.
    pub fn is_review_day(&self, today: NaiveDate) -> bool {
        match self {
            Review::Every { days, anchor } => {
                (today - *anchor).num_days().rem_euclid(i64::from(*days)) == 0
            }
            Review::Dates(dates) => dates.binary_search(&today).is_ok(),
        }
    }

    /// R seen from `today`: the period, or the days to the next review day after today.
    pub fn period(&self, today: NaiveDate) -> Option<u32> {
        match self {
            Review::Every { days, .. } => Some(*days),
            Review::Dates(dates) => dates
                .iter()
                .find(|d| **d > today)
                .and_then(|d| u32::try_from((*d - today).num_days()).ok()),
        }
    }
}

/// The order quantity of an (s, Q) policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderQuantity {
    /// A fixed Q.
    Fixed(Decimal),
    /// The economic order quantity.
    Eoq(Eoq),
}

/// A checked policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// See [`MinMaxSpec`].
    MinMax {
        /// min.
        min: Decimal,
        /// max.
        max: Decimal,
        /// trigger.
        trigger: Trigger,
    },
    /// See [`ReorderLevelSpec`].
    ReorderLevel {
        /// level.
        level: Decimal,
        /// quantity.
        quantity: Decimal,
        /// trigger.
        trigger: Trigger,
    },
    /// See [`FixedQuantitySpec`].
    FixedQuantity {
        /// s, or computed.
        reorder_point: Option<Decimal>,
        /// Q, or the EOQ.
        quantity: OrderQuantity,
        /// trigger.
        trigger: Trigger,
    },
    /// See [`OrderUpToSpec`].
    OrderUpTo {
        /// s, or computed.
        reorder_point: Option<Decimal>,
        /// S.
        order_up_to: Decimal,
        /// trigger.
        trigger: Trigger,
    },
    /// See [`PeriodicSpec`].
    Periodic {
        /// When reviews happen.
        review: Review,
        /// S, or computed.
        order_up_to: Option<Decimal>,
        /// trigger.
        trigger: Trigger,
    },
    /// See [`DaysOfCoverSpec`].
    DaysOfCover {
        /// min days.
        min_days: Decimal,
        /// max days.
        max_days: Decimal,
        /// trigger.
        trigger: Trigger,
    },
}

impl PolicySpec {
    /// Check the policy; errors name the field under the policy's key
    /// (`min_max.max`).
    pub fn check(&self) -> Result<Policy> {
        Ok(match self {
            PolicySpec::MinMax(s) => {
                let min = non_negative(s.min, "min_max.min")?;
                let max = non_negative(s.max, "min_max.max")?;
                if max < min {
                    return Err(Error::invalid(
                        "min_max.max",
                        format!("{max} is below min {min}"),
                    ));
                }
                Policy::MinMax {
                    min,
                    max,
                    trigger: s.trigger,
                }
            }
            PolicySpec::ReorderLevel(s) => {
                let level = non_negative(s.level, "reorder_level.level")?;
                let quantity = non_negative(s.quantity, "reorder_level.quantity")?;
                if level.is_zero() && quantity.is_zero() {
                    return Err(Error::invalid(
                        "reorder_level.quantity",
                        "a reorder level and a reorder quantity of zero never order anything",
                    ));
                }
                Policy::ReorderLevel {
                    level,
                    quantity,
                    trigger: s.trigger,
                }
            }
            PolicySpec::FixedQuantity(s) => {
                let reorder_point = s
                    .reorder_point
                    .map(|r| non_negative(r, "s_q.reorder_point"))
                    .transpose()?;
                let quantity = match (s.quantity, &s.eoq) {
                    (Some(q), None) => OrderQuantity::Fixed(positive(q, "s_q.quantity")?),
                    (None, Some(e)) => {
                        OrderQuantity::Eoq(e.check().map_err(|e| e.within("s_q.eoq"))?)
                    }
                    _ => {
                        return Err(Error::invalid(
                            "s_q.quantity",
                            "give exactly one of `quantity` and `eoq`",
                        ));
                    }
                };
                Policy::FixedQuantity {
                    reorder_point,
                    quantity,
                    trigger: s.trigger,
                }
            }
            PolicySpec::OrderUpTo(s) => {
                let reorder_point = s
                    .reorder_point
                    .map(|r| non_negative(r, "s_s.reorder_point"))
                    .transpose()?;
                let order_up_to = non_negative(s.order_up_to, "s_s.order_up_to")?;
                if let Some(r) = reorder_point.filter(|r| *r > order_up_to) {
                    return Err(Error::invalid(
                        "s_s.order_up_to",
                        format!("{order_up_to} is below the reorder point {r}"),
                    ));
                }
                Policy::OrderUpTo {
                    reorder_point,
                    order_up_to,
                    trigger: s.trigger,
                }
            }
            PolicySpec::Periodic(s) => {
                // The review dates are copied: a calendar is rarely given.
                let review = match (s.every_days, s.anchor, &s.review_dates) {
                    (Some(0), _, _) => {
                        return Err(Error::invalid(
                            "periodic.every_days",
                            "the review period must be at least one day",
                        ));
                    }
                    (Some(days), Some(anchor), None) => Review::Every { days, anchor },
                    (Some(_), None, None) => {
                        return Err(Error::invalid(
                            "periodic.anchor",
                            "`every_days` needs an `anchor`, a review day",
                        ));
                    }
                    (None, None, Some(dates)) => {
                        if dates.is_empty() {
                            return Err(Error::invalid(
                                "periodic.review_dates",
                                "needs at least one review day",
                            ));
                        }
                        if let Some(i) = dates.windows(2).position(|w| w[1] <= w[0]) {
                            return Err(Error::invalid(
                                format!("periodic.review_dates[{}]", i + 1),
                                "review dates must be in ascending order, each once",
                            ));
                        }
                        Review::Dates(dates.clone())
                    }
                    _ => {
                        return Err(Error::invalid(
                            "periodic.every_days",
                            "give `every_days` with `anchor`, or `review_dates`",
                        ));
                    }
                };
                Policy::Periodic {
                    review,
                    order_up_to: s
                        .order_up_to
                        .map(|r| non_negative(r, "periodic.order_up_to"))
                        .transpose()?,
                    trigger: s.trigger,
                }
            }
            PolicySpec::DaysOfCover(s) => {
                let min_days = non_negative(s.min_days, "days_of_cover.min_days")?;
                let max_days = non_negative(s.max_days, "days_of_cover.max_days")?;
                if max_days < min_days {
                    return Err(Error::invalid(
                        "days_of_cover.max_days",
                        format!("{max_days} is below min_days {min_days}"),
                    ));
                }
                Policy::DaysOfCover {
                    min_days,
                    max_days,
                    trigger: s.trigger,
                }
            }
        })
    }
}

/// What a policy needs to know about the item to resolve its levels.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Today.
    pub today: NaiveDate,
    /// Daily demand and its deviation.
    pub demand: Option<(Decimal, Option<Decimal>)>,
    /// Lead time in days and its deviation.
    pub lead: (u32, Decimal),
    /// The safety-stock rule.
    pub safety: Option<&'a SafetyStock>,
    /// Rounding of computed quantities.
    pub rounding: QuantityRounding,
    /// The reorder point over the lead time and the safety stock in it as reasons show
    /// it, when the caller has computed them already.
    pub reorder_point: Option<(Decimal, Decimal)>,
}

/// How a computed level came about: `days` of demand at `daily`, plus the safety stock
/// (before rounding, shown to 4 decimals) when the item has a safety-stock rule. Reasons
/// show it after the level: `reorder point 128 (3 days x 32/day + safety stock 32)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Basis {
    /// Days of demand covered.
    pub days: Decimal,
    /// Daily demand.
    pub daily: Decimal,
    /// The safety stock added, if the item has a rule (before rounding; written to 4
    /// decimals).
    pub safety_stock: Option<Decimal>,
}

impl std::fmt::Display for Basis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} days x {}/day", Num(self.days), Num(self.daily))?;
        if let Some(ss) = self.safety_stock {
            write!(f, " + safety stock {}", Num(shown(ss)))?;
        }
        Ok(())
    }
}

/// A basis's safety stock as reasons write it, to 4 decimals; as it is (normalised)
/// when it has no more, as the one computed with the reorder point already has.
fn shown(ss: Decimal) -> Decimal {
    if ss.scale() <= 4 {
        norm(ss)
    } else {
        super::round_norm(ss, 4, Rounding::HalfEven)
    }
}

/// `label value`, followed by ` (basis)` when the value was computed, appended to `out`
/// (the same text as the `Display`s, without the formatting machinery: this runs for
/// every proposal).
fn write_level(out: &mut String, label: &str, value: Decimal, basis: Option<Basis>) {
    out.push_str(label);
    out.push(' ');
    push_num(out, value);
    if let Some(b) = basis {
        out.push_str(" (");
        push_num(out, b.days);
        out.push_str(" days x ");
        push_num(out, b.daily);
        out.push_str("/day");
        if let Some(ss) = b.safety_stock {
            out.push_str(" + safety stock ");
            push_num(out, shown(ss));
        }
        out.push(')');
    }
}

impl Context<'_> {
    fn daily(&self, field: &str) -> Result<(Decimal, Option<Decimal>)> {
        self.demand.ok_or_else(|| {
            Error::invalid(
                field,
                "this level is computed from demand; give the item a `demand`",
            )
        })
    }

    /// `round(d · L + safety stock)` over a lead time of `lead` days, and its basis.
    fn reorder_point(&self, lead: u32, field: &str) -> Result<(Decimal, Basis)> {
        let (d, sd) = self.daily(field)?;
        let (rop, ss) = match self.reorder_point.filter(|_| lead == self.lead.0) {
            Some(cached) => cached,
            None => {
                let p = plan(
                    self.safety,
                    d,
                    sd,
                    Decimal::from(lead),
                    self.lead.1,
                    self.rounding,
                )?;
                (p.reorder_point, p.shown_safety_stock)
            }
        };
        let basis = Basis {
            days: Decimal::from(lead),
            daily: d,
            safety_stock: self.safety.map(|_| ss),
        };
        Ok((rop, basis))
    }
}

/// How the need is computed once the policy fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `target − position`.
    UpTo {
        /// The level ordered up to.
        target: Decimal,
        /// Its name in reasons.
        label: &'static str,
        /// How it was computed, if it was.
        basis: Option<Basis>,
    },
    /// `max(level − position, quantity)`.
    TopUp {
        /// The reorder quantity.
        quantity: Decimal,
    },
    /// The fewest multiples of `quantity` reaching the trigger level (at least one).
    Multiples {
        /// Q.
        quantity: Decimal,
        /// Whether Q is the EOQ.
        eoq: bool,
    },
}

/// A policy's levels for one item on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    /// The comparison.
    pub trigger: Trigger,
    /// The level the position is compared with.
    pub level: Decimal,
    /// Its name in reasons.
    pub label: &'static str,
    /// How the level was computed, if it was.
    pub basis: Option<Basis>,
    /// False on days a periodic policy is not reviewed.
    pub active: bool,
    /// How much it needs.
    pub rule: Rule,
    /// The policy's maximum position, if it has one.
    pub max: Option<Decimal>,
}

impl Resolved {
    /// `position 8 < min 10`, with the basis of a computed level.
    pub fn trigger_text(&self, position: Decimal) -> String {
        // Room for the whole reason of a typical proposal, which is appended to it.
        let mut out = String::with_capacity(160);
        out.push_str("position ");
        push_num(&mut out, position);
        out.push(' ');
        out.push_str(self.trigger.symbol());
        out.push(' ');
        write_level(&mut out, self.label, self.level, self.basis);
        out
    }

    /// Whether `position` fires the policy.
    pub fn fires(&self, position: Decimal) -> bool {
        self.active && self.trigger.fires(position, self.level)
    }

    /// The need at `position` and the reason clause that explains it.
    pub fn need(&self, position: Decimal) -> Result<(Decimal, String)> {
        let (n, multiples) = self.need_at(position)?;
        let mut text = String::with_capacity(64);
        self.write_need(position, n, multiples, &mut text);
        Ok((n, text))
    }

    /// The need at `position`, and for a rule of multiples how many of them (zero for
    /// the other rules): all that [`Resolved::write_need`] needs besides the levels.
    pub(crate) fn need_at(&self, position: Decimal) -> Result<(Decimal, Decimal)> {
        Ok(match self.rule {
            Rule::UpTo { target, .. } => (norm(sub(target, position, "position")?), Decimal::ZERO),
            Rule::TopUp { quantity } => {
                let deficiency = sub(self.level, position, "position")?;
                (norm(deficiency.max(quantity)), Decimal::ZERO)
            }
            Rule::Multiples { quantity, .. } => {
                let gap = sub(self.level, position, "position")?;
                let k = super::div_ceil(gap, quantity, "position")?.max(Decimal::ONE);
                (norm(mul(k, quantity, "position")?), k)
            }
        })
    }

    /// The reason clause that explains `need` (and `multiples`), as
    /// [`Resolved::need_at`] computed them at `position`, appended to `out`.
    pub(crate) fn write_need(
        &self,
        position: Decimal,
        need: Decimal,
        multiples: Decimal,
        out: &mut String,
    ) {
        match self.rule {
            Rule::UpTo {
                target,
                label,
                basis,
            } => {
                out.push_str("order up to ");
                write_level(out, label, target, basis);
            }
            Rule::TopUp { quantity } => {
                out.push_str("max(reorder level ");
                push_num(out, self.level);
                out.push_str(" - position ");
                push_num(out, position);
                out.push_str(", reorder quantity ");
                push_num(out, quantity);
                out.push(')');
            }
            Rule::Multiples { quantity, eoq } => {
                push_num(out, multiples);
                out.push_str(" x quantity ");
                push_num(out, quantity);
                if eoq {
                    out.push_str(" (EOQ)");
                }
            }
        }
        out.push_str(": ");
        push_num(out, need);
    }
}

impl Policy {
    /// The policy's key: `min_max`, `reorder_level`, `s_q`, `s_s`, `periodic`,
    /// `days_of_cover`.
    pub fn name(&self) -> &'static str {
        match self {
            Policy::MinMax { .. } => "min_max",
            Policy::ReorderLevel { .. } => "reorder_level",
            Policy::FixedQuantity { .. } => "s_q",
            Policy::OrderUpTo { .. } => "s_s",
            Policy::Periodic { .. } => "periodic",
            Policy::DaysOfCover { .. } => "days_of_cover",
        }
    }

    /// The field of the policy document a missing demand is reported at, if the policy
    /// computes something from demand.
    pub fn needs_demand(&self) -> Option<&'static str> {
        match self {
            Policy::FixedQuantity {
                reorder_point: None,
                ..
            } => Some("s_q.reorder_point"),
            Policy::FixedQuantity {
                quantity: OrderQuantity::Eoq(e),
                ..
            } if e.annual_demand().is_none() => Some("s_q.eoq.annual_demand"),
            Policy::OrderUpTo {
                reorder_point: None,
                ..
            } => Some("s_s.reorder_point"),
            Policy::Periodic {
                order_up_to: None, ..
            } => Some("periodic.order_up_to"),
            Policy::DaysOfCover { .. } => Some("days_of_cover.min_days"),
            _ => None,
        }
    }

    /// Resolve the levels for one item on one day.
    pub fn resolve(&self, cx: &Context<'_>) -> Result<Resolved> {
        Ok(match self {
            Policy::MinMax { min, max, trigger } => Resolved {
                trigger: *trigger,
                level: *min,
                label: "min",
                basis: None,
                active: true,
                rule: Rule::UpTo {
                    target: *max,
                    label: "max",
                    basis: None,
                },
                max: Some(*max),
            },
            Policy::ReorderLevel {
                level,
                quantity,
                trigger,
            } => Resolved {
                trigger: *trigger,
                level: *level,
                label: "reorder level",
                basis: None,
                active: true,
                rule: Rule::TopUp {
                    quantity: *quantity,
                },
                max: None,
            },
            Policy::FixedQuantity {
                reorder_point,
                quantity,
                trigger,
            } => {
                let (level, basis) = match reorder_point {
                    Some(r) => (*r, None),
                    None => {
                        let (r, b) = cx.reorder_point(cx.lead.0, "s_q.reorder_point")?;
                        (r, Some(b))
                    }
                };
                let eoq = matches!(quantity, OrderQuantity::Eoq(_));
                let quantity = match quantity {
                    OrderQuantity::Fixed(q) => *q,
                    OrderQuantity::Eoq(eoq) => {
                        let annual = match eoq.annual_demand() {
                            Some(_) => None,
                            None => Some(mul(
                                cx.daily("s_q.eoq.annual_demand")?.0,
                                Decimal::from(365),
                                "s_q.eoq.annual_demand",
                            )?),
                        };
                        eoq.compute(annual, cx.rounding)
                            .map_err(|e| e.within("s_q.eoq"))?
                            .eoq
                    }
                };
                Resolved {
                    trigger: *trigger,
                    level,
                    label: "reorder point",
                    basis,
                    active: true,
                    rule: Rule::Multiples { quantity, eoq },
                    max: None,
                }
            }
            Policy::OrderUpTo {
                reorder_point,
                order_up_to,
                trigger,
            } => {
                let (level, basis) = match reorder_point {
                    Some(r) => (*r, None),
                    None => {
                        let (r, b) = cx.reorder_point(cx.lead.0, "s_s.reorder_point")?;
                        if r > *order_up_to {
                            return Err(Error::invalid(
                                "s_s.order_up_to",
                                format!("{order_up_to} is below the computed reorder point {r}"),
                            ));
                        }
                        (r, Some(b))
                    }
                };
                Resolved {
                    trigger: *trigger,
                    level,
                    label: "reorder point",
                    basis,
                    active: true,
                    rule: Rule::UpTo {
                        target: *order_up_to,
                        label: "S",
                        basis: None,
                    },
                    max: Some(*order_up_to),
                }
            }
            Policy::Periodic {
                review,
                order_up_to,
                trigger,
            } => {
                let (target, basis) = match order_up_to {
                    Some(s) => (*s, None),
                    None => {
                        let r = review.period(cx.today).ok_or_else(|| {
                            Error::invalid(
                                "periodic.review_dates",
                                "no review day after today: the order-up-to level cannot be sized; give `order_up_to` or a later review day",
                            )
                        })?;
                        let horizon = cx.lead.0.checked_add(r).ok_or_else(|| {
                            Error::overflow("periodic.every_days", "review period + lead time")
                        })?;
                        let (s, b) = cx.reorder_point(horizon, "periodic.order_up_to")?;
                        (s, Some(b))
                    }
                };
                let active = review.is_review_day(cx.today);
                Resolved {
                    trigger: *trigger,
                    level: target,
                    label: "S",
                    basis,
                    active,
                    // The basis is shown once, with the trigger.
                    rule: Rule::UpTo {
                        target,
                        label: "S",
                        basis: None,
                    },
                    max: Some(target),
                }
            }
            Policy::DaysOfCover {
                min_days,
                max_days,
                trigger,
            } => {
                let (d, _) = cx.daily("days_of_cover.min_days")?;
                let lo = cx
                    .rounding
                    .apply(mul(d, *min_days, "days_of_cover.min_days")?);
                let hi = cx
                    .rounding
                    .apply(mul(d, *max_days, "days_of_cover.max_days")?);
                Resolved {
                    trigger: *trigger,
                    level: lo,
                    label: "min cover",
                    basis: Some(Basis {
                        days: *min_days,
                        daily: d,
                        safety_stock: None,
                    }),
                    active: true,
                    rule: Rule::UpTo {
                        target: hi,
                        label: "max cover",
                        basis: Some(Basis {
                            days: *max_days,
                            daily: d,
                            safety_stock: None,
                        }),
                    },
                    max: Some(hi),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::XorShift;

    /// The safety stock a reason shows is the one rounded to 4 decimals, bit for bit,
    /// whether it had no more decimals (taken as it is: most, this fails unless many
    /// do) or had more.
    #[test]
    fn shown_safety_stock_is_rounded_to_4_decimals() {
        let mut rng = XorShift(0xd1b5_4a32_d192_ed03);
        let mut as_is = 0;
        for i in 0..50_000u32 {
            let m = rng.next() >> (rng.next() % 64);
            let hi = if i % 5 == 0 { rng.next() as u32 } else { 0 };
            let scale = (rng.next() % 9) as u32;
            let ss = Decimal::from_parts(m as u32, (m >> 32) as u32, hi, i % 7 == 0, scale);
            let want = super::super::round_norm(ss, 4, Rounding::HalfEven);
            assert_eq!(shown(ss).serialize(), want.serialize(), "{ss:?}");
            if ss.scale() <= 4 {
                as_is += 1;
            }
        }
        assert!(as_is > 20_000, "{as_is}");
    }
}
