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

use super::{QuantityRounding, add, mul, non_negative, norm, round_norm};
use crate::error::{Error, Result};
use crate::money::{POW10, Rounding};
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
    /// The safety stock before rounding, to 4 decimals (half-even): what a reason shows
    /// as part of a computed level (not written in documents).
    #[serde(skip)]
    pub shown_safety_stock: Decimal,
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
    plan_over(rule, mean, std_dev, lead, ltd, lead_std_dev, rounding)
}

/// [`plan`] for a caller that has the lead-time demand `ltd = mean · lead` at hand
/// (computed as `plan` computes it, with the same error), so that it is not multiplied
/// twice per item.
pub(crate) fn plan_over(
    rule: Option<&SafetyStock>,
    mean: Decimal,
    std_dev: Option<Decimal>,
    lead: Decimal,
    ltd: Decimal,
    lead_std_dev: Decimal,
    rounding: QuantityRounding,
) -> Result<SafetyPlan> {
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
            let service = Service {
                z: *z,
                std_dev: sd,
                mean,
                lead,
                lead_std_dev,
            };
            if let Some(p) = service.rounded(ltd, rounding) {
                return Ok(p);
            }
            (Some(*z), service.exact()?)
        }
    };
    let rop = add(ltd, exact, "safety_stock")?;
    Ok(SafetyPlan {
        z,
        safety_stock: rounding.apply(exact),
        lead_time_demand: norm(ltd),
        reorder_point: rounding.apply(rop),
        shown_safety_stock: round_norm(exact, SHOWN_SCALE, Rounding::HalfEven),
    })
}

/// Decimals of the safety stock shown in reasons.
const SHOWN_SCALE: u32 = 4;

/// The inputs of a service-factor safety stock, `z · √(L · σ_d² + d² · σ_L²)`.
struct Service {
    z: Decimal,
    std_dev: Decimal,
    mean: Decimal,
    lead: Decimal,
    lead_std_dev: Decimal,
}

/// Decimals of the fixed point on which [`Service::rounded`] brackets the safety stock.
const FIXED_SCALE: u32 = 8;

impl Service {
    /// The safety stock in decimal arithmetic (Newton's square root in 28 digits): the
    /// reference whose roundings every result reproduces.
    fn exact(&self) -> Result<Decimal> {
        let (z, sd, lead) = (self.z, self.std_dev, self.lead);
        let var = add(
            mul(lead, mul(sd, sd, "demand.std_dev")?, "demand.std_dev")?,
            mul(
                mul(self.mean, self.mean, "demand.mean")?,
                mul(self.lead_std_dev, self.lead_std_dev, "lead_time.std_dev")?,
                "lead_time.std_dev",
            )?,
            "demand.std_dev",
        )?;
        let root = super::normal::sqrt(var)
            .ok_or_else(|| Error::overflow("demand.std_dev", "square root"))?;
        mul(z, root, "safety_stock")
    }

    /// The plan in integers, without a decimal square root or division: the rounded
    /// results of [`Service::exact`] whenever they are certain, `None` otherwise (the
    /// caller then computes them in decimals).
    ///
    /// The variance is exact in both (every product below checked to fit a decimal's
    /// 96-bit mantissa at a scale of at most 24, so the decimal products are exact too).
    /// `t = isqrt(z² · var · 10^16)` brackets the true safety stock in
    /// `[t, t + 1) · 10^-8` (8 decimals keep the root on 64 bits for everyday
    /// quantities). The decimal path errs from it by less than
    /// `1e-26 · (z + 1) · (√var + 1)` (a Newton step from an 18-digit guess, then three
    /// roundings to 28 digits), below `1e-15` with `z < 100` and `var ≤ 10^16`, so its
    /// value lies in `[t − 1, t + 2] · 10^-8`. Rounding is monotone: when both ends of
    /// that bracket round alike, so does the decimal path's value, for the safety stock,
    /// the reorder point (`d · L` below 10^12, so adding it rounds nothing that matters)
    /// and the 4 decimals shown in reasons.
    fn rounded(&self, ltd: Decimal, rounding: QuantityRounding) -> Option<SafetyPlan> {
        // Everyday magnitudes fit 64 bits, where every product is one instruction
        // (about 1,000 instructions per plan less than on 128 bits, most of it checks).
        let radicand = match self.radicand_u64() {
            Some(r) => u128::from(r),
            None => self.radicand_u128()?,
        };
        let t = super::isqrt(radicand);
        let (lo, hi) = if radicand == 0 {
            (0, 0)
        } else {
            (t.saturating_sub(1), t.checked_add(2)?)
        };
        let ltd_fixed = match (u64::try_from(ltd.mantissa()), ltd.scale()) {
            // Below 2^64 · 10^-8 < 10^12.
            (Ok(m), s) if s <= FIXED_SCALE => {
                u128::from(m.checked_mul(pow10_u64(FIXED_SCALE - s)?)?)
            }
            _ => {
                let ltd_parts = Fixed::of(ltd)?;
                if ltd_parts.1 > FIXED_SCALE || !ltd_parts.below(10u128.pow(12))? {
                    return None;
                }
                ltd_parts.0 * POW10[(FIXED_SCALE - ltd_parts.1) as usize]
            }
        };
        // Both ends of the bracket rounded to `scale` decimals with `mode`, if alike (in
        // one division when they share a quotient, as they almost always do).
        let round = |offset: u128, scale: u32, mode: Rounding| -> Option<Decimal> {
            let digits = FIXED_SCALE.checked_sub(scale)?;
            let a = mode.round_span(offset.checked_add(lo)?, hi - lo, digits)?;
            let d = Decimal::try_from_i128_with_scale(i128::try_from(a).ok()?, scale).ok()?;
            Some(norm(d))
        };
        Some(SafetyPlan {
            z: Some(self.z),
            safety_stock: round(0, rounding.scale, rounding.mode)?,
            lead_time_demand: norm(ltd),
            reorder_point: round(ltd_fixed, rounding.scale, rounding.mode)?,
            shown_safety_stock: round(0, SHOWN_SCALE, Rounding::HalfEven)?,
        })
    }

    /// `z² · var · 10^16` (the radicand of [`Service::rounded`]) on 64 bits, when every
    /// input's mantissa is below 2^32 and every step fits; `None` otherwise (then
    /// [`Service::radicand_u128`] decides). Same value and bounds as that one.
    fn radicand_u64(&self) -> Option<u64> {
        let small = |d: Decimal| -> Option<(u64, u32)> {
            // A negative mantissa fails here, as `Fixed::of` refuses it (−0 passes).
            Some((u64::from(u32::try_from(d.mantissa()).ok()?), d.scale()))
        };
        let lift = |(m, s): (u64, u32), to: u32| m.checked_mul(pow10_u64(to - s)?);
        let (z, sd, lead) = (small(self.z)?, small(self.std_dev)?, small(self.lead)?);
        // Small, so that `d²` cannot overflow in the decimal path even when `σ_L` is 0.
        let mean = small(self.mean)?;
        let spread = (lead.0.checked_mul(sd.0 * sd.0)?, lead.1 + 2 * sd.1);
        let var = if self.lead_std_dev.is_zero() {
            spread
        } else {
            let lead_sd = small(self.lead_std_dev)?;
            let drift = (
                (mean.0 * mean.0).checked_mul(lead_sd.0 * lead_sd.0)?,
                2 * (mean.1 + lead_sd.1),
            );
            let s = spread.1.max(drift.1);
            (lift(spread, s)?.checked_add(lift(drift, s)?)?, s)
        };
        // The error bound's conditions: z ≤ 100 and var ≤ 10^16.
        let at_most = |(m, s): (u64, u32), limit: u128| {
            POW10
                .get(s as usize)
                .and_then(|p| p.checked_mul(limit))
                .is_some_and(|l| u128::from(m) <= l)
        };
        if !at_most(z, 100) || !at_most(var, 10u128.pow(16)) {
            return None;
        }
        // At most 16 decimals in `z² · var`, so at most 16 in every product above: the
        // decimal path's products are exact too (it rounds beyond 28).
        let scale = 2 * z.1 + var.1;
        (z.0 * z.0)
            .checked_mul(var.0)?
            .checked_mul(pow10_u64((2 * FIXED_SCALE).checked_sub(scale)?)?)
    }

    /// `z² · var · 10^16` on 128 bits: `None` when an input is negative, a product
    /// does not fit a decimal's 96-bit mantissa at a scale of at most 24, or `z > 100`
    /// or `var > 10^16`.
    fn radicand_u128(&self) -> Option<u128> {
        const MAX_MANTISSA: u128 = (1 << 96) - 1;
        let exact_mul = |a: Fixed, b: Fixed| -> Option<Fixed> {
            let m = a.0.checked_mul(b.0).filter(|m| *m <= MAX_MANTISSA)?;
            let s = a.1 + b.1;
            (s <= 24).then_some(Fixed(m, s))
        };
        let (z, sd, mean) = (
            Fixed::of(self.z)?,
            Fixed::of(self.std_dev)?,
            Fixed::of(self.mean)?,
        );
        let (lead, lead_sd) = (Fixed::of(self.lead)?, Fixed::of(self.lead_std_dev)?);
        let var = exact_mul(lead, exact_mul(sd, sd)?)?.add(exact_mul(
            exact_mul(mean, mean)?,
            exact_mul(lead_sd, lead_sd)?,
        )?)?;
        if var.0 > MAX_MANTISSA || !z.below(100)? || !var.below(10u128.pow(16))? {
            return None;
        }
        let product = exact_mul(exact_mul(z, z)?, var)?;
        // Lift z²·var to twice the fixed point's decimals.
        let lift = (2 * FIXED_SCALE).checked_sub(product.1)?;
        product.0.checked_mul(POW10[lift as usize])
    }
}

/// `10^k` when it fits 64 bits.
fn pow10_u64(k: u32) -> Option<u64> {
    POW10.get(k as usize).and_then(|p| u64::try_from(*p).ok())
}

/// A non-negative decimal as its mantissa and scale, for exact integer arithmetic.
#[derive(Clone, Copy)]
struct Fixed(u128, u32);

impl Fixed {
    /// A decimal's parts; `None` when it is negative (−0 is zero).
    fn of(d: Decimal) -> Option<Fixed> {
        (!d.is_sign_negative() || d.is_zero())
            .then(|| Fixed(d.mantissa().unsigned_abs(), d.scale()))
    }

    /// `self + other`, exactly; `None` on overflow.
    fn add(self, other: Fixed) -> Option<Fixed> {
        let s = self.1.max(other.1);
        let lift = |f: Fixed| f.0.checked_mul(*POW10.get((s - f.1) as usize)?);
        Some(Fixed(lift(self)?.checked_add(lift(other)?)?, s))
    }

    /// Whether the value is at most `limit`; `None` on overflow.
    fn below(self, limit: u128) -> Option<bool> {
        Some(self.0 <= limit.checked_mul(*POW10.get(self.1 as usize)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan in decimals only: what [`plan`] computed before the integer bracket.
    fn reference(
        z: Decimal,
        sd: Decimal,
        mean: Decimal,
        lead: Decimal,
        lead_sd: Decimal,
        rounding: QuantityRounding,
    ) -> Option<SafetyPlan> {
        let service = Service {
            z,
            std_dev: sd,
            mean,
            lead,
            lead_std_dev: lead_sd,
        };
        let exact = service.exact().ok()?;
        let ltd = mean.checked_mul(lead)?;
        Some(SafetyPlan {
            z: Some(z),
            safety_stock: rounding.apply(exact),
            lead_time_demand: norm(ltd),
            reorder_point: rounding.apply(ltd.checked_add(exact)?),
            shown_safety_stock: round_norm(exact, SHOWN_SCALE, Rounding::HalfEven),
        })
    }

    /// A xorshift step: a number below `m`.
    fn next(seed: &mut u64, m: u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed % m
    }

    /// A non-negative decimal of any size the engine meets and beyond, with up to
    /// `scale` decimals.
    fn random_decimal(seed: &mut u64, scale: u64) -> Decimal {
        let tops = [
            1,
            10,
            100,
            10_000,
            1_000_000,
            1_000_000_000_000,
            // Across the 64-bit path's bound (mantissas below 2^32).
            1 << 33,
            i64::MAX as u64,
        ];
        let top = tops[next(seed, tops.len() as u64) as usize];
        let scale = next(seed, scale + 1) as u32;
        Decimal::new(next(seed, top) as i64, scale)
    }

    #[test]
    fn integer_bracket_equals_decimal_plan() {
        let seed = &mut 0x853c_49e6_748f_ea9bu64;
        let (mut fast, mut narrow) = (0, 0);
        for case in 0..200_000u32 {
            let mut z = random_decimal(seed, 3);
            let mut sd = random_decimal(seed, 6);
            let mean = random_decimal(seed, 6);
            let lead = Decimal::from(next(seed, 40));
            let lead_sd = if case % 3 == 0 {
                random_decimal(seed, 2)
            } else {
                Decimal::ZERO
            };
            if case % 7 == 0 {
                // A root that is exact and a safety stock on the grid, to land on
                // rounding boundaries.
                sd = Decimal::new(next(seed, 1000) as i64, 2);
                z = Decimal::ONE;
            }
            let rounding = QuantityRounding {
                scale: [0, 0, 0, 1, 2, 3, 4, 8, 12, 13, 20][next(seed, 11) as usize],
                mode: Rounding::ALL[next(seed, Rounding::ALL.len() as u64) as usize],
            };
            let want = reference(z, sd, mean, lead, lead_sd, rounding);
            let service = Service {
                z,
                std_dev: sd,
                mean,
                lead,
                lead_std_dev: lead_sd,
            };
            // The two radicands agree wherever both are computed (the 128-bit one also
            // refuses `d²` beyond 16 decimals when `σ_L` is 0, a product of nothing).
            if let Some(r) = service.radicand_u64() {
                narrow += 1;
                if let Some(wide) = service.radicand_u128() {
                    assert_eq!(
                        u128::from(r),
                        wide,
                        "z {z} sd {sd} d {mean} L {lead} σL {lead_sd}"
                    );
                }
            }
            let ltd = mean.checked_mul(lead).unwrap_or_default();
            if let Some(got) = service.rounded(ltd, rounding) {
                fast += 1;
                assert_eq!(
                    Some(got),
                    want,
                    "z {z} sd {sd} d {mean} L {lead} σL {lead_sd} {rounding:?}"
                );
            }
            let rule = SafetyStock::Service { z };
            if let Some(want) = want {
                assert_eq!(
                    plan(Some(&rule), mean, Some(sd), lead, lead_sd, rounding).ok(),
                    Some(want)
                );
            }
        }
        // Many plans take the integer path, many of them on 64 bits.
        assert!(fast > 20_000 && narrow > 20_000, "{fast} {narrow}");
    }
}
