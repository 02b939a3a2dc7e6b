//! Safety stock and the reorder point it raises.
//!
//! This module decides the safety stock from one of four rules and the reorder point
//! `lead-time demand + safety stock`:
//!
//! - `{"quantity": "20"}`: a fixed quantity;
//! - `{"days": "1"}`: that many days of demand (NetSuite's "safety stock days");
//! - `{"z": "1.65"}`: a service factor as textbooks and planners quote it;
//! - `{"service_level": "0.95"}`: a cycle service level, turned into `z` by the exact
//!   inverse normal ([`crate::reorder::normal`]).
//!
//! With a service factor, `safety stock = z · √(L · σ_d² + d² · σ_L²)` (demand `d` with
//! deviation `σ_d` per period, lead time `L` with deviation `σ_L` in the same periods);
//! without lead-time variability this is the familiar `z · σ_d · √L`. Each result is
//! rounded once from the exact value with the chosen [`QuantityRounding`], so
//! `reorder_point = round(d · L + exact safety stock)`. It never decides the demand
//! itself ([`crate::reorder::demand`]).
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesops::reorder::{QuantityRounding, SafetyStockSpec, safety::plan};
//! let rule = SafetyStockSpec::Z(Decimal::new(128, 2)).check().unwrap();
//! // d = 15/day, σ_d = 5, L = 4 days: 1.28 · 5 · 2 = 12.8, rounded up to 13.
//! let p = plan(Some(&rule), 15.into(), Some(5.into()), 4.into(), 0.into(), QuantityRounding::default()).unwrap();
//! assert_eq!((p.safety_stock, p.reorder_point), (13.into(), 73.into()));
//! ```

use super::{QuantityRounding, add, mul, non_negative, norm};
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How safety stock is set (exactly one key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyStockSpec {
    /// A fixed quantity in stock units.
    Quantity(Decimal),
    /// Days of demand.
    Days(Decimal),
    /// A service factor, not negative.
    Z(Decimal),
    /// A cycle service level, at least 0.5 and below 1.
    ServiceLevel(Decimal),
}

/// A checked safety-stock rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafetyStock {
    /// A fixed quantity.
    Quantity(Decimal),
    /// Days of demand.
    Days(Decimal),
    /// A service factor (given, or computed from a level).
    Service {
        /// The factor.
        z: Decimal,
    },
}

impl SafetyStockSpec {
    /// Check the rule; a service level is turned into its factor here, once.
    pub fn check(self) -> Result<SafetyStock> {
        Ok(match self {
            SafetyStockSpec::Quantity(q) => SafetyStock::Quantity(non_negative(q, "quantity")?),
            SafetyStockSpec::Days(d) => SafetyStock::Days(non_negative(d, "days")?),
            SafetyStockSpec::Z(z) => SafetyStock::Service {
                z: non_negative(z, "z")?,
            },
            SafetyStockSpec::ServiceLevel(l) => {
                if l < Decimal::new(5, 1) || l >= Decimal::ONE {
                    return Err(Error::invalid(
                        "service_level",
                        format!(
                            "{l} is not a service level from 0.5 up to (not including) 1; write 95 % as \"0.95\""
                        ),
                    ));
                }
                SafetyStock::Service {
                    z: super::normal::inverse_normal(l).map_err(|e| e.within("service_level"))?,
                }
            }
        })
    }
}

impl SafetyStock {
    /// Whether the rule needs a demand rate.
    pub fn needs_demand(&self) -> bool {
        !matches!(self, SafetyStock::Quantity(_))
    }

    /// Whether the rule needs the demand's standard deviation.
    pub fn needs_std_dev(&self) -> bool {
        matches!(self, SafetyStock::Service { .. })
    }
}

/// Safety stock and reorder point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SafetyPlan {
    /// The service factor used, when the rule has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub z: Option<Decimal>,
    /// Safety stock, rounded.
    pub safety_stock: Decimal,
    /// `d · L`, exact.
    pub lead_time_demand: Decimal,
    /// `round(d · L + exact safety stock)`.
    pub reorder_point: Decimal,
    /// The safety stock before rounding (not written in documents).
    #[serde(skip)]
    pub exact_safety_stock: Decimal,
}

/// Compute safety stock and reorder point for demand `mean` (deviation `std_dev`) per
/// period over a lead time of `lead` periods (deviation `lead_std_dev`). Without a rule
/// the safety stock is zero.
pub fn plan(
    rule: Option<&SafetyStock>,
    mean: Decimal,
    std_dev: Option<Decimal>,
    lead: Decimal,
    lead_std_dev: Decimal,
    rounding: QuantityRounding,
) -> Result<SafetyPlan> {
    let ltd = mul(mean, lead, "lead_time")?;
    let (z, exact) = match rule {
        None => (None, Decimal::ZERO),
        Some(SafetyStock::Quantity(q)) => (None, *q),
        Some(SafetyStock::Days(d)) => (None, mul(mean, *d, "safety_stock.days")?),
        Some(SafetyStock::Service { z }) => {
            let sd = std_dev.ok_or_else(|| {
                Error::invalid(
                    "demand.std_dev",
                    "a service-level safety stock needs the demand's standard deviation",
                )
            })?;
            // L·σ_d² + d²·σ_L²
            let var = add(
                mul(lead, mul(sd, sd, "demand.std_dev")?, "demand.std_dev")?,
                mul(
                    mul(mean, mean, "demand.mean")?,
                    mul(lead_std_dev, lead_std_dev, "lead_time.std_dev")?,
                    "lead_time.std_dev",
                )?,
                "demand.std_dev",
            )?;
            let root = super::normal::sqrt(var)
                .ok_or_else(|| Error::overflow("demand.std_dev", "square root"))?;
            (Some(*z), mul(*z, root, "safety_stock")?)
        }
    };
    let rop = add(ltd, exact, "safety_stock")?;
    Ok(SafetyPlan {
        z,
        safety_stock: rounding.apply(exact),
        lead_time_demand: norm(ltd),
        reorder_point: rounding.apply(rop),
        exact_safety_stock: exact,
    })
}
