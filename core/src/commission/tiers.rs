//! Tier tables: how an amount (or an attainment) is turned into pay.
//!
//! This module decides the four tier modes, which tier a boundary amount belongs to and
//! how a transaction is walked through a table from a starting point (zero, or the
//! period-to-date or year-to-date total). It never decides what the base is, which
//! credits count or when they are paid; [`crate::commission::plan`] and the statement
//! builder do.
//!
//! Every mode is defined by where a transaction starts (`s`, the cumulative measure
//! before it) and ends (`e = s + b`):
//!
//! - **band**: the whole transaction at the rate of the tier that `max(s, e)` falls in;
//! - **marginal** (step): each slice of `[s, e)` at the rate of the tier it lies in;
//! - **retroactive**: the total to date is worth `e × rate(e)`; the transaction pays
//!   `e × rate(e) − s × rate(s)`, shown as the transaction at the reached rate plus a
//!   re-rating line for the earlier `s` when the tier changed;
//! - **interpolated**: a payout curve through `points`, linear between them and flat
//!   outside them; the transaction pays `curve(e) − curve(s)`.
//!
//! Below zero (a period whose credit notes exceed its sales) the first tier's rate
//! applies, so every mode stays defined for negative totals.
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesops::commission::tiers::{TierTable, TierTableSpec};
//! let spec: TierTableSpec = serde_json::from_str(r#"{"mode":"marginal","tiers":[
//!   {"from":"0","to":"100000","rate":"50"},{"from":"100000","rate":"60"}]}"#).unwrap();
//! let table = TierTable::new(spec).unwrap();
//! let pay: Decimal = table.walk(Decimal::ZERO, Decimal::from(180_000), Decimal::ONE_HUNDRED)
//!     .unwrap().iter().map(|p| p.amount).sum();
//! assert_eq!(pay, Decimal::from(98_000));
//! ```

use super::num;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a tier table turns an amount into pay. See the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// The whole amount at the rate of the tier it falls in ("not split", "slab").
    Band,
    /// Each slice at its own tier's rate ("step", "incremental").
    Marginal,
    /// Everything to date re-rated at the reached tier; pays the delta.
    Retroactive,
    /// A payout curve, linear between `points`.
    Interpolated,
}

/// Which tier an amount exactly on a boundary belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// The boundary amount stays in the lower tier (Spiff's default tie-break; the
    /// "up to 5,000" reading). Tiers are `(from, to]`.
    #[default]
    Lower,
    /// The boundary amount starts the upper tier (Oracle OIC). Tiers are `[from, to)`.
    Upper,
}

/// What a table's `from`/`to`/`at` values measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// The base itself (revenue, margin or quantity).
    #[default]
    Amount,
    /// Quota attainment in percent (`"100"` is the quota); needs a quota.
    Attainment,
}

/// Where each transaction's walk through the table starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Each transaction walked from zero on its own.
    #[default]
    Transaction,
    /// Walked from the statement period's total so far.
    Period,
    /// Walked from the (fiscal) year's total so far.
    Year,
}

/// One row of a tier table as written in a plan.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierSpec {
    /// Lower bound; the first tier starts at `"0"`, every other at the previous `to`.
    pub from: Decimal,
    /// Upper bound; omitted on the last tier only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Decimal>,
    /// Percent of the base (or amount per unit for a quantity base); at least 0.
    pub rate: Decimal,
}

/// One point of an interpolated payout curve.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PointSpec {
    /// Where on the measure (amount, or attainment percent).
    pub at: Decimal,
    /// Payout reached at that point, in the plan currency.
    pub amount: Decimal,
}

/// A tier table as written in a plan (`"table"` of a `tiered` rule).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierTableSpec {
    /// The tier mode.
    pub mode: TierMode,
    /// Which tier a boundary amount belongs to (default `lower`).
    #[serde(default)]
    pub boundary: Boundary,
    /// What the bounds measure (default `amount`).
    #[serde(default)]
    pub measure: Measure,
    /// Where each walk starts (default `transaction`).
    #[serde(default)]
    pub scope: Scope,
    /// Rows, for every mode but `interpolated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<TierSpec>>,
    /// Curve points, for `interpolated` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PointSpec>>,
}

/// One validated tier: `from` up to `to` (open-ended when `None`) at `rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tier {
    /// Lower bound.
    pub from: Decimal,
    /// Upper bound, `None` on the last tier.
    pub to: Option<Decimal>,
    /// Rate (percent, or amount per unit).
    pub rate: Decimal,
}

/// One validated curve point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Position on the measure.
    pub at: Decimal,
    /// Payout at that position.
    pub amount: Decimal,
}

/// A validated tier table: contiguous tiers from 0, no gaps, no overlaps, the last one
/// open-ended, rates ≥ 0; or at least two strictly ascending curve points. Read-only
/// once built (its fields are read through methods), so that it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierTable {
    mode: TierMode,
    boundary: Boundary,
    measure: Measure,
    scope: Scope,
    /// Empty for `interpolated`.
    tiers: Vec<Tier>,
    /// Empty unless `interpolated`.
    points: Vec<Point>,
    /// The tiers' lower bounds as integers, for [`TierTable::tier_of`].
    grid: Option<Grid>,
}

/// Every tier's lower bound as a mantissa at one common scale (`from × 10^scale`), when
/// all of them are exact there. A walk looks up two tiers per transaction, millions of
/// times in a large statement run: comparing integers costs a fraction of comparing
/// decimals, and gives the same order.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Grid {
    scale: u32,
    from: Vec<i128>,
}

impl Grid {
    /// The bounds of `tiers` at their largest scale, when it is small enough for every
    /// amount compared with them to be rescaled exactly in `i128`.
    fn of(tiers: &[Tier]) -> Option<Grid> {
        let scale = tiers.iter().map(|t| t.from.scale()).max()?;
        if scale > 18 {
            return None;
        }
        let from = tiers
            .iter()
            .map(|t| up(t.from.mantissa(), scale - t.from.scale()))
            .collect::<Option<Vec<i128>>>()?;
        Some(Grid { scale, from })
    }

    /// `x` at the grid's scale, when it fits there exactly.
    #[inline]
    fn at(&self, x: Decimal) -> Option<i128> {
        match self.scale.checked_sub(x.scale())? {
            0 => Some(x.mantissa()),
            d => up(x.mantissa(), d),
        }
    }
}

/// `m × 10^d`, when it fits.
#[inline]
fn up(m: i128, d: u32) -> Option<i128> {
    let p = i128::try_from(*crate::money::POW10.get(usize::try_from(d).ok()?)?).ok()?;
    m.checked_mul(p)
}

/// One piece of pay produced by walking a transaction through a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// What produced it.
    pub kind: PieceKind,
    /// 1-based tier (or curve segment) number.
    pub tier: usize,
    /// The part of the base this piece pays on (the earlier total for a re-rating).
    pub base: Decimal,
    /// The rate applied (`None` for an interpolated piece).
    pub rate: Option<Decimal>,
    /// Exact, unrounded pay.
    pub amount: Decimal,
}

/// The kinds of [`Piece`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PieceKind {
    /// Pay on the transaction itself.
    Transaction,
    /// Re-rating of the earlier total when a retroactive table reached a new tier.
    Retro,
}

impl TierTable {
    /// The mode.
    pub fn mode(&self) -> TierMode {
        self.mode
    }

    /// The boundary rule.
    pub fn boundary(&self) -> Boundary {
        self.boundary
    }

    /// What the bounds measure.
    pub fn measure(&self) -> Measure {
        self.measure
    }

    /// Where walks start.
    pub fn scope(&self) -> Scope {
        self.scope
    }

    /// The tiers, ascending (empty for `interpolated`).
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The curve points, ascending (empty unless `interpolated`).
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// Check a spec; errors name the field relative to the table (`tiers[2].from`).
    pub fn new(spec: TierTableSpec) -> Result<TierTable> {
        let mut table = TierTable {
            mode: spec.mode,
            boundary: spec.boundary,
            measure: spec.measure,
            scope: spec.scope,
            tiers: Vec::new(),
            points: Vec::new(),
            grid: None,
        };
        if spec.mode == TierMode::Interpolated {
            if spec.tiers.is_some() {
                return Err(Error::invalid(
                    "tiers",
                    "an interpolated table is given by `points`, not `tiers`",
                ));
            }
            let points = spec
                .points
                .ok_or_else(|| Error::invalid("points", "an interpolated table needs `points`"))?;
            if points.len() < 2 {
                return Err(Error::invalid("points", "give at least two points"));
            }
            for (i, p) in points.iter().enumerate() {
                if p.at.is_sign_negative() && !p.at.is_zero() {
                    return Err(Error::invalid(
                        format!("points[{i}].at"),
                        "must not be negative",
                    ));
                }
                if p.amount.is_sign_negative() && !p.amount.is_zero() {
                    return Err(Error::invalid(
                        format!("points[{i}].amount"),
                        "must not be negative",
                    ));
                }
                if i > 0 && p.at <= points[i - 1].at {
                    return Err(Error::invalid(
                        format!("points[{i}].at"),
                        format!(
                            "{} must be above the previous point's {}",
                            p.at,
                            points[i - 1].at
                        ),
                    ));
                }
                table.points.push(Point {
                    at: p.at,
                    amount: p.amount,
                });
            }
            return Ok(table);
        }
        if spec.points.is_some() {
            return Err(Error::invalid(
                "points",
                "`points` belong to an interpolated table; this one takes `tiers`",
            ));
        }
        let tiers = spec
            .tiers
            .ok_or_else(|| Error::invalid("tiers", "a tier table needs `tiers`"))?;
        if tiers.is_empty() {
            return Err(Error::invalid("tiers", "give at least one tier"));
        }
        let last = tiers.len() - 1;
        for (i, t) in tiers.iter().enumerate() {
            if i == 0 && !t.from.is_zero() {
                return Err(Error::invalid(
                    "tiers[0].from",
                    format!("the first tier must start at 0, not {}", t.from),
                ));
            }
            if i > 0 {
                // The previous tier has a `to` (checked below on its own turn).
                let prev_to = tiers[i - 1].to.unwrap_or(Decimal::MAX);
                if t.from > prev_to {
                    return Err(Error::invalid(
                        format!("tiers[{i}].from"),
                        format!(
                            "gap: the previous tier ends at {prev_to} but this one starts at {}",
                            t.from
                        ),
                    ));
                }
                if t.from < prev_to {
                    return Err(Error::invalid(
                        format!("tiers[{i}].from"),
                        format!(
                            "overlap: the previous tier ends at {prev_to} but this one starts at {}",
                            t.from
                        ),
                    ));
                }
            }
            match t.to {
                Some(to) if to <= t.from => {
                    return Err(Error::invalid(
                        format!("tiers[{i}].to"),
                        format!("{to} must be above `from` {}", t.from),
                    ));
                }
                Some(_) if i == last => {
                    return Err(Error::invalid(
                        format!("tiers[{i}].to"),
                        "the last tier must be open-ended (omit `to`) so every amount has a tier",
                    ));
                }
                None if i != last => {
                    return Err(Error::invalid(
                        format!("tiers[{i}].to"),
                        "only the last tier may be open-ended",
                    ));
                }
                _ => {}
            }
            if t.rate.is_sign_negative() && !t.rate.is_zero() {
                return Err(Error::invalid(
                    format!("tiers[{i}].rate"),
                    "must not be negative",
                ));
            }
            table.tiers.push(Tier {
                from: t.from,
                to: t.to,
                rate: t.rate,
            });
        }
        table.grid = Grid::of(&table.tiers);
        Ok(table)
    }

    /// The highest rate of the table (0 for a curve), for range checks.
    pub fn max_rate(&self) -> Decimal {
        self.tiers
            .iter()
            .map(|t| t.rate)
            .max()
            .unwrap_or(Decimal::ZERO)
    }

    /// Whether pay can fall as the measure rises (a decelerating table: a later tier
    /// with a lower rate, or a falling curve).
    pub fn decelerates(&self) -> bool {
        self.tiers.windows(2).any(|w| w[1].rate < w[0].rate)
            || self.points.windows(2).any(|w| w[1].amount < w[0].amount)
    }

    /// The same table with every bound multiplied by `factor / 100` (attainment percent
    /// to amount: `factor` is the quota). Curve amounts are not scaled.
    pub fn scaled(&self, quota: Decimal) -> Result<TierTable> {
        let scale = |x: Decimal| num::pct(x, quota, Decimal::ONE_HUNDRED, "quota");
        let mut t = self.clone();
        for tier in &mut t.tiers {
            tier.from = scale(tier.from)?;
            tier.to = tier.to.map(scale).transpose()?;
        }
        for p in &mut t.points {
            p.at = scale(p.at)?;
        }
        t.grid = Grid::of(&t.tiers);
        t.measure = Measure::Amount;
        Ok(t)
    }

    /// Index of the tier `x` belongs to, under the boundary rule.
    #[inline]
    pub fn tier_of(&self, x: Decimal) -> usize {
        // Tiers are contiguous and ascending: the tier is the last one `x` is inside.
        if let Some((g, x)) = self.grid.as_ref().and_then(|g| Some((g, g.at(x)?))) {
            // A bound equal to `x` takes it into its tier under the upper rule only.
            let x = match self.boundary {
                Boundary::Upper => x,
                Boundary::Lower => x - 1,
            };
            return g.from.iter().skip(1).take_while(|&&f| f <= x).count();
        }
        self.tier_of_decimal(x)
    }

    /// [`TierTable::tier_of`] on the decimals themselves.
    fn tier_of_decimal(&self, x: Decimal) -> usize {
        let mut idx = 0;
        for (i, t) in self.tiers.iter().enumerate().skip(1) {
            let inside = match self.boundary {
                Boundary::Upper => num::cmp(t.from, x).is_le(),
                Boundary::Lower => num::cmp(t.from, x).is_lt(),
            };
            if !inside {
                break;
            }
            idx = i;
        }
        idx
    }

    fn rate_at(&self, x: Decimal) -> Decimal {
        self.tiers
            .get(self.tier_of(x))
            .map_or(Decimal::ZERO, |t| t.rate)
    }

    /// The curve's value at `x` and the 1-based segment `x` lies in.
    fn curve(&self, x: Decimal) -> Result<(Decimal, usize)> {
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else {
            return Ok((Decimal::ZERO, 1));
        };
        if x <= first.at {
            return Ok((first.amount, 1));
        }
        if x >= last.at {
            return Ok((last.amount, self.points.len().saturating_sub(1)));
        }
        for (i, w) in self.points.windows(2).enumerate() {
            if x < w[1].at {
                let span = num::sub(w[1].at, w[0].at, "points")?;
                let rise = num::sub(w[1].amount, w[0].amount, "points")?;
                let into = num::sub(x, w[0].at, "points")?;
                let part = num::div(num::mul(rise, into, "points")?, span, "points")?;
                return Ok((num::add(w[0].amount, part, "points")?, i + 1));
            }
        }
        Ok((last.amount, self.points.len().saturating_sub(1)))
    }

    /// Walk one transaction of `base` from the cumulative measure `start`, all in amount
    /// space (call [`TierTable::scaled`] first for an attainment table). `per` is 100 for
    /// percent rates and 1 for per-unit rates. Amounts are exact; the caller rounds.
    ///
    /// For [`Scope::Transaction`] the caller passes `start = 0`; a negative base (a credit
    /// note) then pays the negative of what the same positive base would.
    pub fn walk(&self, start: Decimal, base: Decimal, per: Decimal) -> Result<Vec<Piece>> {
        let mut out = Vec::new();
        self.walk_into(start, base, per, &mut out)?;
        Ok(out)
    }

    /// [`TierTable::walk`], appending the pieces to `out` (which the engine reuses from
    /// transaction to transaction instead of allocating a vector each time). Returns
    /// `start + base`, the cumulative measure after the transaction.
    pub(crate) fn walk_into(
        &self,
        start: Decimal,
        base: Decimal,
        per: Decimal,
        out: &mut Vec<Piece>,
    ) -> Result<Decimal> {
        if self.scope == Scope::Transaction && base.is_sign_negative() && !base.is_zero() {
            let first = out.len();
            self.walk_into(start, -base, per, out)?;
            for p in &mut out[first..] {
                p.base = -p.base;
                p.amount = -p.amount;
            }
            return num::add(start, base, "base");
        }
        let end = num::add(start, base, "base")?;
        let first = out.len();
        match self.mode {
            TierMode::Band => {
                let i = self.tier_of(start.max(end));
                let rate = self.tiers.get(i).map_or(Decimal::ZERO, |t| t.rate);
                out.push(Piece {
                    kind: PieceKind::Transaction,
                    tier: i + 1,
                    base,
                    rate: Some(rate),
                    amount: num::pct(base, rate, per, "base")?,
                });
            }
            TierMode::Marginal => {
                let (lo, hi) = (start.min(end), start.max(end));
                let negative = end < start;
                for (i, t) in self.tiers.iter().enumerate() {
                    let from = if i == 0 { lo.min(t.from) } else { t.from };
                    let a = lo.max(from);
                    let b = match t.to {
                        Some(to) => hi.min(to),
                        None => hi,
                    };
                    if b <= a {
                        continue;
                    }
                    let slice = num::sub(b, a, "base")?;
                    let slice = if negative { -slice } else { slice };
                    out.push(Piece {
                        kind: PieceKind::Transaction,
                        tier: i + 1,
                        base: slice,
                        rate: Some(t.rate),
                        amount: num::pct(slice, t.rate, per, "base")?,
                    });
                }
                if out.len() == first {
                    // A zero base still names the tier it sits in.
                    let i = self.tier_of(start);
                    out.push(Piece {
                        kind: PieceKind::Transaction,
                        tier: i + 1,
                        base,
                        rate: Some(self.rate_at(start)),
                        amount: Decimal::ZERO,
                    });
                }
            }
            TierMode::Retroactive => {
                let (is, ie) = (self.tier_of(start), self.tier_of(end));
                let rate = |i: usize| self.tiers.get(i).map_or(Decimal::ZERO, |t| t.rate);
                let (rs, re) = (rate(is), rate(ie));
                out.push(Piece {
                    kind: PieceKind::Transaction,
                    tier: ie + 1,
                    base,
                    rate: Some(re),
                    amount: num::pct(base, re, per, "base")?,
                });
                if is != ie && !start.is_zero() {
                    let delta = num::sub(re, rs, "rate")?;
                    out.push(Piece {
                        kind: PieceKind::Retro,
                        tier: ie + 1,
                        base: start,
                        rate: Some(delta),
                        amount: num::pct(start, delta, per, "base")?,
                    });
                }
            }
            TierMode::Interpolated => {
                let (cs, _) = self.curve(start)?;
                let (ce, seg) = self.curve(end)?;
                out.push(Piece {
                    kind: PieceKind::Transaction,
                    tier: seg,
                    base,
                    rate: None,
                    amount: num::sub(ce, cs, "base")?,
                });
            }
        }
        Ok(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The integer grid finds the tier the decimals do, on and around every bound,
        /// at every scale on either side, under both boundary rules.
        #[test]
        fn grid_tiers_are_decimal_tiers(
            steps in prop::collection::vec((1i64..1_000_000, 0u32..4), 1..5),
            quota in 1i64..10_000_000_000,
            quota_scale in 0u32..3,
            probe in prop::collection::vec((any::<i64>(), 0u32..8, -2i64..=2, 0usize..5), 1..20),
            upper: bool,
        ) {
            let mut from = 0i64;
            let mut tiers = Vec::new();
            for (i, (w, sc)) in steps.iter().enumerate() {
                let to = from + w;
                let to_json = if i + 1 < steps.len() {
                    format!(r#","to":"{}""#, Decimal::new(to, *sc))
                } else {
                    String::new()
                };
                tiers.push(format!(r#"{{"from":"{}"{to_json},"rate":"{}"}}"#, Decimal::new(from, steps.get(i.wrapping_sub(1)).map_or(0, |s| s.1)), i + 1));
                from = to;
            }
            let boundary = if upper { "upper" } else { "lower" };
            let spec = format!(r#"{{"mode":"band","boundary":"{boundary}","measure":"attainment","tiers":[{}]}}"#, tiers.join(","));
            let Ok(t) = TierTable::new(serde_json::from_str(&spec).unwrap()) else {
                return Ok(());
            };
            let t = t.scaled(Decimal::new(quota, quota_scale)).unwrap();
            for (m, scale, nudge, at) in probe {
                let x = match t.tiers().get(at) {
                    Some(tier) => tier.from + Decimal::new(nudge, scale),
                    None => Decimal::new(m, scale),
                };
                prop_assert_eq!(t.tier_of(x), t.tier_of_decimal(x), "{} in {:?}", x, t.tiers());
            }
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn table(json: &str) -> TierTable {
        TierTable::new(serde_json::from_str(json).unwrap()).unwrap()
    }

    fn total(t: &TierTable, start: &str, base: &str) -> Decimal {
        t.walk(d(start), d(base), Decimal::ONE_HUNDRED)
            .unwrap()
            .iter()
            .map(|p| p.amount)
            .sum()
    }

    const TWO: &str =
        r#"{"tiers":[{"from":"0","to":"5000","rate":"10"},{"from":"5000","rate":"12"}],"#;

    #[test]
    fn boundaries_follow_the_rule() {
        let lower = table(&format!(r#"{TWO}"mode":"band"}}"#));
        let upper = table(&format!(r#"{TWO}"mode":"band","boundary":"upper"}}"#));
        assert_eq!(total(&lower, "0", "5000"), d("500"));
        assert_eq!(total(&upper, "0", "5000"), d("600"));
        assert_eq!(total(&lower, "0", "5000.01"), d("600.0012"));
    }

    #[test]
    fn retroactive_re_rates_the_earlier_total() {
        let t = table(
            r#"{"mode":"retroactive","scope":"period","tiers":[{"from":"0","to":"100000","rate":"50"},{"from":"100000","rate":"60"}]}"#,
        );
        let first = total(&t, "0", "100000");
        let second = total(&t, "100000", "80000");
        assert_eq!(first + second, d("108000"));
    }

    #[test]
    fn curve_is_linear_between_points() {
        let t = table(
            r#"{"mode":"interpolated","points":[{"at":"50","amount":"0"},{"at":"100","amount":"10000"},{"at":"150","amount":"20000"}]}"#,
        );
        assert_eq!(total(&t, "0", "75"), d("5000"));
        assert_eq!(total(&t, "0", "40"), d("0"));
        assert_eq!(total(&t, "0", "200"), d("20000"));
    }

    #[test]
    fn refuses_gaps_overlaps_and_open_middles() {
        let bad = |json: &str| {
            TierTable::new(serde_json::from_str(json).unwrap())
                .unwrap_err()
                .field()
                .map(str::to_owned)
        };
        assert_eq!(
            bad(
                r#"{"mode":"band","tiers":[{"from":"0","to":"10","rate":"1"},{"from":"11","rate":"2"}]}"#
            )
            .as_deref(),
            Some("tiers[1].from")
        );
        assert_eq!(
            bad(
                r#"{"mode":"band","tiers":[{"from":"0","to":"10","rate":"1"},{"from":"9","rate":"2"}]}"#
            )
            .as_deref(),
            Some("tiers[1].from")
        );
        assert_eq!(
            bad(r#"{"mode":"band","tiers":[{"from":"0","to":"10","rate":"1"}]}"#).as_deref(),
            Some("tiers[0].to")
        );
        assert_eq!(
            bad(r#"{"mode":"band","tiers":[{"from":"0","rate":"-1"}]}"#).as_deref(),
            Some("tiers[0].rate")
        );
    }
}
