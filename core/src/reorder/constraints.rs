//! Order constraints: how a needed quantity becomes an orderable one.
//!
//! This module decides, in this order and nothing else:
//!
//! 1. **units**: the need (stock units) is converted to purchase units at full precision
//!    (`need / factor`, where one purchase unit holds `factor` stock units) and rounded
//!    **once** with the item's [`QuantityRounding`] (up to whole units by default);
//! 2. **minimum order quantity**: raised to the MOQ;
//! 3. **pack multiple**, with an explicit [`PackRounding`];
//! 4. **MOQ again**: a quantity rounded below the MOQ is raised to the smallest
//!    multiple at or above it;
//! 5. **maximum order quantity**: lowered to the largest multiple at or below it.
//!
//! MOQ, multiple and maximum are in purchase units. A configuration in which no
//! quantity can satisfy them all (a maximum below the MOQ, no multiple between them, a
//! multiple finer than the rounding) is refused when it is read. It never decides
//! whether to order (that is the policy).
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesops::reorder::{OrderSpec, QuantityRounding};
//! let spec: OrderSpec = serde_json::from_str(r#"{"min_quantity": "50", "multiple": "12"}"#).unwrap();
//! let c = spec.check(QuantityRounding::default()).unwrap();
//! let sized = c.apply(Decimal::from(7), false).unwrap();
//! assert_eq!(sized.quantity, Decimal::from(60)); // 7 → MOQ 50 → multiple of 12 → 60
//! ```

use super::{
    Num, QuantityRounding, above_zero, div, mul, non_negative, norm, positive, push_num, sub,
};
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a quantity that is not a multiple of the pack is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackRounding {
    /// Up to the next multiple (Odoo 17 and 19): the order may lift the position above
    /// the policy's maximum.
    #[default]
    Up,
    /// Down to the previous multiple when the policy has a maximum above zero, so the
    /// order never lifts the position above it, possibly down to nothing; up when there
    /// is no maximum (Odoo 18).
    DownCapAtMax,
    /// Down to the previous multiple, but never to zero: at least one multiple.
    DownNeverZero,
}

impl PackRounding {
    fn name(self) -> &'static str {
        match self {
            PackRounding::Up => "up",
            PackRounding::DownCapAtMax => "down_cap_at_max",
            PackRounding::DownNeverZero => "down_never_zero",
        }
    }
}

/// A purchase unit: `{"name": "box of 12", "factor": "12"}`; one purchase unit holds
/// `factor` stock units.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseUnitSpec {
    /// The unit's name, shown in proposals.
    pub name: String,
    /// Stock units per purchase unit, above zero.
    pub factor: Decimal,
}

/// The supplier's constraints, as the host sends them. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderSpec {
    /// Minimum order quantity (purchase units); `0` means none.
    pub min_quantity: Option<Decimal>,
    /// Pack multiple (purchase units); `0` means none.
    pub multiple: Option<Decimal>,
    /// How to round to the multiple (default `up`).
    #[serde(default)]
    pub pack_rounding: PackRounding,
    /// Maximum order quantity (purchase units).
    pub max_quantity: Option<Decimal>,
    /// The unit the supplier sells in, when not the stock unit (boxed: rarely given,
    /// and every item carries the field).
    pub purchase_unit: Option<Box<PurchaseUnitSpec>>,
}

/// Checked constraints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderConstraints {
    moq: Option<Decimal>,
    multiple: Option<Decimal>,
    pack: PackRounding,
    max: Option<Decimal>,
    unit: Option<(String, Decimal)>,
    rounding: QuantityRounding,
}

/// What one sizing step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRule {
    /// Converted to purchase units and rounded once.
    Convert,
    /// Rounded (no unit conversion).
    Round,
    /// Raised to the minimum order quantity.
    MinQuantity,
    /// Rounded to the pack multiple.
    Multiple,
    /// Lowered to the maximum order quantity.
    MaxQuantity,
}

/// One step that changed the quantity, and the quantity after it (purchase units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Which constraint.
    pub rule: StepRule,
    /// The quantity after the step.
    pub quantity: Decimal,
}

/// A sized order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sized {
    /// Quantity in purchase units (0: nothing to order).
    pub quantity: Decimal,
    /// The same in stock units.
    pub stock_quantity: Decimal,
    /// The steps that changed the quantity.
    pub steps: Vec<Step>,
    /// The quantity before the maximum order quantity lowered it, if it did.
    pub capped_from: Option<Decimal>,
    /// A positive need was rounded to nothing.
    pub rounded_to_zero: bool,
}

fn ceil_multiple(q: Decimal, m: Decimal, field: &str) -> Result<Decimal> {
    let n = super::div_ceil(q, m, field)?;
    mul(n, m, field)
}

fn floor_multiple(q: Decimal, m: Decimal, field: &str) -> Result<Decimal> {
    let n = super::div_floor(q, m, field)?;
    mul(n, m, field)
}

impl OrderSpec {
    /// Check the constraints against the order quantity's `rounding`; errors name the
    /// field.
    pub fn check(&self, rounding: QuantityRounding) -> Result<OrderConstraints> {
        let on_grid = |v: Decimal, field: &str| -> Result<()> {
            if rounding.holds(v) {
                Ok(())
            } else {
                Err(Error::invalid(
                    field,
                    format!(
                        "{v} has more decimals than the order quantity is rounded to ({})",
                        rounding.scale
                    ),
                ))
            }
        };
        let moq = match self.min_quantity {
            Some(m) => Some(non_negative(m, "min_quantity")?).filter(|m| !m.is_zero()),
            None => None,
        };
        let multiple = match self.multiple {
            Some(m) => Some(non_negative(m, "multiple")?).filter(|m| !m.is_zero()),
            None => None,
        };
        let max = self
            .max_quantity
            .map(|m| positive(m, "max_quantity"))
            .transpose()?;
        if let Some(m) = moq {
            on_grid(m, "min_quantity")?;
        }
        if let Some(m) = multiple {
            on_grid(m, "multiple")?;
        }
        if let Some(m) = max {
            on_grid(m, "max_quantity")?;
            let smallest = match (moq, multiple) {
                (Some(q), Some(k)) => ceil_multiple(q, k, "min_quantity")?,
                (None, Some(k)) => k,
                (Some(q), None) => q,
                (None, None) => Decimal::ZERO,
            };
            if smallest > m {
                return Err(Error::invalid(
                    "max_quantity",
                    format!(
                        "{m} is below the smallest order the minimum and multiple allow ({})",
                        norm(smallest)
                    ),
                ));
            }
        }
        // The name is copied: a purchase unit is rarely given.
        let unit = match &self.purchase_unit {
            None => None,
            Some(u) => {
                if u.name.is_empty() {
                    return Err(Error::invalid("purchase_unit.name", "must not be empty"));
                }
                Some((u.name.clone(), positive(u.factor, "purchase_unit.factor")?))
            }
        };
        Ok(OrderConstraints {
            moq,
            multiple,
            pack: self.pack_rounding,
            max,
            unit,
            rounding,
        })
    }
}

impl OrderConstraints {
    /// The purchase unit's name, if not the stock unit.
    pub fn unit(&self) -> Option<&str> {
        self.unit.as_ref().map(|(n, _)| n.as_str())
    }

    /// Stock units per purchase unit (1 without a purchase unit).
    pub fn factor(&self) -> Decimal {
        self.unit.as_ref().map_or(Decimal::ONE, |(_, f)| *f)
    }

    /// The rounding of the order quantity.
    pub fn rounding(&self) -> QuantityRounding {
        self.rounding
    }

    /// Whether `q` (purchase units) satisfies every constraint (0 always does).
    pub fn admits(&self, q: Decimal) -> bool {
        if q.is_zero() {
            return true;
        }
        above_zero(q)
            && self.rounding.holds(q)
            && self.moq.is_none_or(|m| q >= m)
            && self.max.is_none_or(|m| q <= m)
            && self
                .multiple
                .is_none_or(|m| super::rem(q, m).is_some_and(|r| r.is_zero()))
    }

    /// Size an order for `need` stock units. `policy_has_max` says whether the policy
    /// has a maximum above zero (what [`PackRounding::DownCapAtMax`] looks at).
    pub fn apply(&self, need: Decimal, policy_has_max: bool) -> Result<Sized> {
        let mut steps = Vec::new();
        let factor = self.factor();
        let mut q = if factor == Decimal::ONE {
            let r = self.rounding.apply(need);
            if r != norm(need) {
                steps.push(Step {
                    rule: StepRule::Round,
                    quantity: r,
                });
            }
            r
        } else {
            let r = self
                .rounding
                .apply(div(need, factor, "purchase_unit.factor")?);
            steps.push(Step {
                rule: StepRule::Convert,
                quantity: r,
            });
            r
        };
        if !above_zero(q) {
            return Ok(Sized {
                quantity: Decimal::ZERO,
                stock_quantity: Decimal::ZERO,
                steps,
                capped_from: None,
                rounded_to_zero: above_zero(need),
            });
        }
        if let Some(m) = self.moq.filter(|m| q < *m) {
            q = m;
            steps.push(Step {
                rule: StepRule::MinQuantity,
                quantity: q,
            });
        }
        if let Some(m) = self.multiple {
            let rem = super::rem(q, m).unwrap_or(Decimal::ZERO);
            if !rem.is_zero() {
                let down = sub(q, rem, "multiple")?;
                let up = super::add(down, m, "multiple")?;
                q = match self.pack {
                    PackRounding::Up => up,
                    PackRounding::DownCapAtMax if policy_has_max => down,
                    PackRounding::DownCapAtMax => up,
                    PackRounding::DownNeverZero if down.is_zero() => m,
                    PackRounding::DownNeverZero => down,
                };
                q = norm(q);
                steps.push(Step {
                    rule: StepRule::Multiple,
                    quantity: q,
                });
            }
        }
        if let Some(m) = self.moq.filter(|m| above_zero(q) && q < *m) {
            q = match self.multiple {
                Some(k) => norm(ceil_multiple(m, k, "min_quantity")?),
                None => m,
            };
            steps.push(Step {
                rule: StepRule::MinQuantity,
                quantity: q,
            });
        }
        let mut capped_from = None;
        if let Some(m) = self.max.filter(|m| q > *m) {
            capped_from = Some(q);
            q = match self.multiple {
                Some(k) => norm(floor_multiple(m, k, "max_quantity")?),
                None => m,
            };
            steps.push(Step {
                rule: StepRule::MaxQuantity,
                quantity: q,
            });
        }
        // Without a purchase unit the stock quantity is the quantity (`q · 1`, normalised).
        let stock_quantity = if factor == Decimal::ONE {
            norm(q)
        } else {
            norm(mul(q, factor, "purchase_unit.factor")?)
        };
        Ok(Sized {
            quantity: q,
            stock_quantity,
            steps,
            capped_from,
            rounded_to_zero: q.is_zero(),
        })
    }

    /// [`OrderConstraints::describe`], appended to `out` (without the formatting
    /// machinery for the common steps: this runs for every proposal).
    pub(crate) fn write_step(&self, out: &mut String, rule: StepRule) {
        let (label, value) = match rule {
            StepRule::MinQuantity => ("minimum order ", self.moq),
            StepRule::MaxQuantity => ("maximum order ", self.max),
            StepRule::Multiple => {
                out.push_str("multiple of ");
                if let Some(m) = self.multiple {
                    push_num(out, m);
                }
                out.push_str(" (");
                out.push_str(self.pack.name());
                out.push(')');
                return;
            }
            StepRule::Convert | StepRule::Round => {
                out.push_str(&self.describe(rule));
                return;
            }
        };
        out.push_str(label);
        if let Some(v) = value {
            push_num(out, v);
        }
    }

    /// How a step reads in a reason: `"multiple of 6 (up)"`.
    pub fn describe(&self, rule: StepRule) -> String {
        let show = |d: Option<Decimal>| d.map_or_else(String::new, |d| Num(d).to_string());
        match rule {
            StepRule::Convert => format!(
                "in {} (/ {}, {})",
                self.unit().unwrap_or(""),
                Num(self.factor()),
                self.rounding.describe()
            ),
            StepRule::Round => self.rounding.describe(),
            StepRule::MinQuantity => format!("minimum order {}", show(self.moq)),
            StepRule::Multiple => {
                format!("multiple of {} ({})", show(self.multiple), self.pack.name())
            }
            StepRule::MaxQuantity => format!("maximum order {}", show(self.max)),
        }
    }
}
