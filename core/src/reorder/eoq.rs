//! The economic order quantity.
//!
//! This module decides the order quantity that balances ordering and holding costs,
//! `EOQ = √(2 · D · S / H)` for annual demand `D`, cost per order `S` and holding cost
//! per unit per year `H` (given directly, or as a rate of the unit cost, `H = i · C`).
//! The square root is taken in decimal arithmetic; the EOQ is then rounded with the
//! chosen [`QuantityRounding`] (up to whole units by default, so 219.09 becomes 220), and
//! the yearly costs are computed from the rounded quantity and rounded half-even to the
//! currency's minor unit. Costs in different currencies are refused. It never decides
//! when to order (that is the reorder point's job).
//!
//! ```
//! let out = salesops::ops::call("reorder.eoq", r#"{"annual_demand": "1000",
//!   "order_cost": {"amount": "10", "currency": "USD"},
//!   "holding_cost": {"amount": "0.50", "currency": "USD"}}"#).unwrap();
//! assert!(out.contains(r#""eoq":"200""#));
//! ```

use super::{QuantityRounding, div, mul, norm, positive};
use crate::error::{Error, Result};
use crate::money::{Money, Rounding};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The EOQ's inputs. Give `holding_cost`, or `holding_rate` with `unit_cost`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EoqSpec {
    /// Annual demand in stock units. Inside a policy it may be left out: the item's daily
    /// demand × 365 is used.
    pub annual_demand: Option<Decimal>,
    /// Cost of placing one order.
    pub order_cost: Money,
    /// Cost of holding one unit for a year.
    pub holding_cost: Option<Money>,
    /// Yearly holding cost as a fraction of the unit cost (`"0.25"` for 25 %).
    pub holding_rate: Option<Decimal>,
    /// Unit cost, with `holding_rate`.
    pub unit_cost: Option<Money>,
    /// How the EOQ is rounded (default: up to whole units).
    pub rounding: Option<QuantityRounding>,
}

/// Checked EOQ inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eoq {
    annual_demand: Option<Decimal>,
    order_cost: Money,
    holding_cost: Money,
    rounding: Option<QuantityRounding>,
}

/// The EOQ and the yearly costs it leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EoqResult {
    /// The rounded economic order quantity.
    pub eoq: Decimal,
    /// `D / EOQ`, to 4 decimals half-even.
    pub orders_per_year: Decimal,
    /// `H`, the holding cost per unit per year (exact).
    pub holding_cost: Money,
    /// `D / EOQ · S`.
    pub annual_ordering_cost: Money,
    /// `EOQ / 2 · H`.
    pub annual_holding_cost: Money,
    /// Their sum (rounded once from the exact sum).
    pub total_annual_cost: Money,
}

impl EoqSpec {
    /// Check the inputs; errors name the field.
    pub fn check(&self) -> Result<Eoq> {
        let annual_demand = self
            .annual_demand
            .map(|d| positive(d, "annual_demand"))
            .transpose()?;
        let order_cost = self.order_cost;
        positive(order_cost.amount, "order_cost.amount")?;
        let currency = order_cost.currency;
        let holding_cost = match (self.holding_cost, self.holding_rate, self.unit_cost) {
            (Some(h), None, None) => {
                h.expect_currency(currency, "holding_cost.currency")?;
                positive(h.amount, "holding_cost.amount")?;
                h
            }
            (None, Some(rate), Some(cost)) => {
                positive(rate, "holding_rate")?;
                cost.expect_currency(currency, "unit_cost.currency")?;
                positive(cost.amount, "unit_cost.amount")?;
                cost.checked_mul(rate).map_err(|e| e.within("unit_cost"))?
            }
            _ => {
                return Err(Error::invalid(
                    ".",
                    "give `holding_cost`, or `holding_rate` with `unit_cost`",
                ));
            }
        };
        let rounding = self.rounding.map(|r| r.check("rounding")).transpose()?;
        Ok(Eoq {
            annual_demand,
            order_cost,
            holding_cost,
            rounding,
        })
    }
}

impl Eoq {
    /// The annual demand given, if any.
    pub fn annual_demand(&self) -> Option<Decimal> {
        self.annual_demand
    }

    /// Compute with the given annual demand (or the one in the spec) and rounding (or
    /// the one in the spec).
    pub fn compute(
        &self,
        annual_demand: Option<Decimal>,
        rounding: QuantityRounding,
    ) -> Result<EoqResult> {
        let d = self
            .annual_demand
            .or(annual_demand)
            .ok_or_else(|| Error::invalid("annual_demand", "the EOQ needs an annual demand"))?;
        let rounding = self.rounding.unwrap_or(rounding);
        let s = self.order_cost.amount;
        let h = self.holding_cost.amount;
        let x = div(
            mul(mul(Decimal::TWO, d, "annual_demand")?, s, "order_cost")?,
            h,
            "holding_cost",
        )?;
        let root = super::normal::sqrt(x)
            .ok_or_else(|| Error::overflow("annual_demand", "square root"))?;
        let q = rounding.apply(root);
        if q <= Decimal::ZERO {
            return Err(Error::invalid(
                "rounding",
                format!("rounds the EOQ {} to zero", root.round_dp(4)),
            ));
        }
        let orders = div(d, q, "annual_demand")?;
        let ordering = mul(orders, s, "order_cost")?;
        let holding = mul(div(q, Decimal::TWO, "holding_cost")?, h, "holding_cost")?;
        let total = super::add(ordering, holding, "order_cost")?;
        let cur = self.order_cost.currency;
        let money = |a: Decimal| {
            Money::new(a, cur)
                .round(Rounding::HalfEven)
                .map_err(|e| e.within("order_cost"))
        };
        Ok(EoqResult {
            eoq: q,
            orders_per_year: norm(orders.round_dp(4)),
            holding_cost: Money::new(norm(h), cur),
            annual_ordering_cost: money(ordering)?,
            annual_holding_cost: money(holding)?,
            total_annual_cost: money(total)?,
        })
    }
}
