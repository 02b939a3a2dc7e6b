//! The walk's lane for the common case: a share of non-negative revenue under a plan
//! version whose rules are flat rates and band or retroactive tier tables on revenue,
//! without filters, windows or line limits.
//!
//! Such a share gives at most two lines per rule (the commission, and the re-rating when
//! a retroactive table reaches a new tier), and [`Walk::apply_release`]'s generality
//! (filters, fixed amounts, line caps and minimums, marginal slices, clawbacks, the
//! pieces of a tier walk gathered in a vector) is most of its cost. This lane writes the
//! same lines with the same arithmetic (`num::pct`, `num::add`, [`TierTable::tier_of`],
//! [`Walk::line`]) and nothing else; a property test runs random plans and credits
//! through both and compares the statements. It decides nothing the general path does
//! not: where a rule or share is outside the common case, the general path runs.

use super::{Walk, table_at};
use crate::commission::index::Share;
use crate::commission::name_of;
use crate::commission::num;
use crate::commission::plan::{Base, RoundingLevel, RuleKind, Version};
use crate::commission::statement::LineKind;
use crate::commission::tiers::{Scope, TierMode, TierTable};
use crate::error::Result;
use rust_decimal::Decimal;

/// Whether every rule of `version` is one the lane handles, given the version's tables
/// in amount space (`tables[i]` for rule `i`, as the walk holds them).
pub(super) fn version_is_plain(version: &Version, tables: &[Option<TierTable>]) -> bool {
    version.rules.iter().enumerate().all(|(i, rule)| {
        let simple = rule.base == Base::Revenue
            && rule.filter.is_all()
            && rule.window.is_none()
            && rule.minimum.line.is_none()
            && rule.cap.line.is_none();
        match &rule.kind {
            // Period-level rules: a release never reads them.
            RuleKind::Bonus { .. } | RuleKind::Override { .. } => true,
            RuleKind::Rate { .. } => simple,
            RuleKind::Tiered { .. } => {
                simple
                    && tables
                        .get(i)
                        .and_then(Option::as_ref)
                        .is_some_and(|t| matches!(t.mode(), TierMode::Band | TierMode::Retroactive))
            }
            RuleKind::Fixed { .. } => false,
        }
    })
}

impl Walk<'_> {
    /// Whether the lane takes share `s` (of an item, not a clawback event).
    #[inline]
    pub(super) fn takes(&self, s: &Share) -> bool {
        // A negative base walks a transaction table mirrored; the general path does that.
        self.plain.get(s.vi).copied().unwrap_or(false) && !s.r.revenue.is_sign_negative()
    }

    /// `base × rate %` rounded as the plan says: `num::pct`, then [`Walk::round`]. When
    /// lines are rounded one by one and the base is at the plan's scale, the product is
    /// rounded on the mantissas, where `pct` would build the exact decimal and the
    /// rounding take it apart again (the same conditions as `pct`'s integer path: both
    /// factors nonzero and within 64 bits, the product within 96 bits and 28 decimals).
    /// `None` where the mantissas do not give it: the caller then takes
    /// [`Walk::rated_general`], so that this result stays in registers (see
    /// [`num::add_exact`]).
    #[inline]
    fn rated_exact(&self, base: Decimal, rate: Decimal) -> Option<Decimal> {
        let digits = rate.scale() + 2;
        if self.plan.rounding.level == RoundingLevel::Line
            && base.scale() == self.scale
            && self.scale + digits <= 28
        {
            if let (Ok(x), Ok(y)) = (
                i64::try_from(base.mantissa()),
                i64::try_from(rate.mantissa()),
            ) {
                let m = i128::from(x) * i128::from(y);
                if m != 0 && m.unsigned_abs() < 1 << 96 {
                    return Some(self.plan.rounding.mode.round_signed(
                        m,
                        m < 0,
                        digits,
                        self.scale,
                    ));
                }
            }
        }
        None
    }

    /// [`Walk::rated_exact`] where the mantissas do not give it.
    #[inline(never)]
    fn rated_general(&self, base: Decimal, rate: Decimal) -> Result<Decimal> {
        Ok(self.round(num::pct(base, rate, Decimal::ONE_HUNDRED, "base")?))
    }

    /// [`Walk::apply_release`] for a share the lane takes: the same lines, in the same
    /// order, from the same arithmetic.
    pub(super) fn apply_plain(&mut self, s: &Share, in_period: bool, track: bool) -> Result<()> {
        let plan = self.plan;
        let (r, vi) = (&s.r, s.vi);
        let version = &plan.versions[vi];
        let base = r.revenue;
        if in_period {
            self.credited = match num::add_exact(self.credited, base) {
                Some(x) => x,
                None => num::add(self.credited, base, "credits")?,
            };
        }
        let first_line = self.lines.len();
        for (ri, rule) in version.rules.iter().enumerate() {
            match &rule.kind {
                RuleKind::Rate { rate } => {
                    if in_period {
                        let amount = match self.rated_exact(base, *rate) {
                            Some(x) => x,
                            None => self.rated_general(base, *rate)?,
                        };
                        let line = self.line(
                            LineKind::Commission,
                            rule,
                            version,
                            s,
                            Some(base),
                            Some(*rate),
                            None,
                            amount,
                        );
                        self.lines.push(line);
                    }
                }
                RuleKind::Tiered { .. } => {
                    let t = table_at(&self.tables, vi, ri, rule)?;
                    let slot = self.slots.get(vi).and_then(|row| row.get(ri)).copied();
                    let scope = t.scope();
                    let start = self.start(scope, slot);
                    let carried = scope == Scope::Year || (scope == Scope::Period && in_period);
                    if !(in_period || carried) {
                        continue;
                    }
                    let end = match num::add_exact(start, base) {
                        Some(x) => x,
                        None => num::add(start, base, "base")?,
                    };
                    if in_period {
                        // The base is not negative: the transaction ends at the top.
                        let ie = t.tier_of(end);
                        let rate_of = |i: usize| t.tiers().get(i).map_or(Decimal::ZERO, |x| x.rate);
                        let re = rate_of(ie);
                        let amount = match self.rated_exact(base, re) {
                            Some(x) => x,
                            None => self.rated_general(base, re)?,
                        };
                        let line = self.line(
                            LineKind::Commission,
                            rule,
                            version,
                            s,
                            Some(base),
                            Some(re),
                            Some(ie + 1),
                            amount,
                        );
                        self.lines.push(line);
                        if t.mode() == TierMode::Retroactive && !start.is_zero() {
                            let is = t.tier_of(start);
                            if is != ie {
                                let delta = num::sub(re, rate_of(is), "rate")?;
                                let exact = num::pct(start, delta, Decimal::ONE_HUNDRED, "base")?;
                                let mut line = self.line(
                                    LineKind::Retro,
                                    rule,
                                    version,
                                    s,
                                    Some(start),
                                    Some(delta),
                                    Some(ie + 1),
                                    self.round(exact),
                                );
                                line.note = Some(format!(
                                    "the earlier {} of the {} re-rated from tier {} to tier {}",
                                    self.show_base(rule, start),
                                    name_of(scope),
                                    is + 1,
                                    ie + 1
                                ));
                                self.lines.push(line);
                            }
                        }
                    }
                    if carried {
                        if let Some(x) = slot.and_then(|k| self.cum.get_mut(k)) {
                            *x = end;
                        }
                    }
                }
                RuleKind::Fixed { .. } | RuleKind::Bonus { .. } | RuleKind::Override { .. } => {}
            }
        }
        if track && in_period && self.lines.len() > first_line {
            self.credit_lines
                .entry(r.credit)
                .or_default()
                .extend(first_line..self.lines.len());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::LANE;
    use crate::commission::{Compute, ComputeSpec, compute};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Rules the lane takes (rates, band and retroactive tables on revenue at every
    /// scope, measure and boundary) and rules that send a version to the general path.
    fn rule(kind: u8, k: usize, rate: u32, modifier: u8) -> Value {
        let id = format!("r{k}");
        let rate = format!("{}.{}", rate / 100, rate % 100);
        let tiers = |modifier: u8| {
            // Amount tiers in whole units or cents; attainment tiers in percent.
            let (a, b) = match modifier % 3 {
                0 => ("50", "100"),
                1 => ("1000", "2500.5"),
                _ => ("0.01", "3000"),
            };
            json!([{"from": "0", "to": a, "rate": "4"}, {"from": a, "to": b, "rate": rate},
                   {"from": b, "rate": "12.5"}])
        };
        let table = |mode: &str| {
            let measure = if modifier % 2 == 0 {
                "amount"
            } else {
                "attainment"
            };
            let scope = ["transaction", "period", "year"][usize::from(modifier / 2 % 3)];
            let boundary = if modifier / 6 % 2 == 0 {
                "lower"
            } else {
                "upper"
            };
            json!({"id": id, "type": "tiered", "table": {"mode": mode, "measure": measure,
                "scope": scope, "boundary": boundary, "tiers": tiers(modifier)}})
        };
        match kind % 8 {
            0 | 1 => json!({"id": id, "type": "rate", "rate": rate}),
            2 | 3 => table("retroactive"),
            4 => table("band"),
            5 => table("marginal"),
            6 => json!({"id": id, "type": "rate", "rate": rate, "cap": {"line": "7.5"}}),
            _ => json!({"id": id, "type": "rate", "rate": rate, "filter": {"regions": ["north"]}}),
        }
    }

    type CreditGen = (i64, u32, u8, Option<(u8, u8)>, bool, u8);

    fn doc(
        currency: usize,
        rounding: (u8, bool),
        versions: &[Vec<(u8, u32, u8)>],
        credits: &[CreditGen],
    ) -> Value {
        let (cur, unit) = [("USD", 2), ("JPY", 0)][currency];
        let n = versions.len();
        let versions: Vec<Value> = versions
            .iter()
            .enumerate()
            .map(|(v, rules)| {
                let effective = if n == 1 {
                    json!({"start": "2025-01-01"})
                } else if v == 0 {
                    json!({"start": "2025-01-01", "end": "2026-05-01"})
                } else {
                    json!({"start": "2026-05-01"})
                };
                let rules: Vec<Value> = rules
                    .iter()
                    .enumerate()
                    .map(|(k, &(kind, rate, m))| rule(kind, k, rate, m))
                    .collect();
                json!({"id": format!("v{v}"), "effective": effective, "rules": rules,
                    "clawback": {"window_days": 120}})
            })
            .collect();
        let mode = ["half_even", "half_up", "down", "ceiling"][usize::from(rounding.0 % 4)];
        let level = if rounding.1 { "statement" } else { "line" };
        let mut events = Vec::new();
        let credits: Vec<Value> = credits
            .iter()
            .enumerate()
            .map(|(i, &(amount, day, scale, split, refund, region))| {
                // Mostly positive amounts, some zero or negative (credit notes), at the
                // plan's scale or below it.
                let scale = u32::from(scale).min(unit);
                let m = match amount % 10 {
                    0 => 0,
                    1 => -(amount.abs() % 100_000),
                    _ => amount.abs() % 10_000_000,
                };
                let amount = rust_decimal::Decimal::new(m, scale).to_string();
                // January to June 2026: the quarter computed is April to June, so the
                // year's first quarter is walked for year-to-date tables.
                let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(day % 181))))
                    .unwrap_or_default();
                let mut c = json!({"id": format!("c{i}"), "date": date.to_string(),
                    "amount": {"amount": amount, "currency": cur},
                    "region": if region % 3 == 0 { "north" } else { "south" }});
                match split {
                    Some((a, b)) if a % 3 != b % 3 => {
                        c["splits"] = json!([
                            {"payee": format!("p{}", a % 3), "percent": "60"},
                            {"payee": format!("p{}", b % 3), "percent": "40"}]);
                    }
                    _ => c["payee"] = json!(format!("p{}", a_of(split, i))),
                }
                if refund {
                    let later = date
                        .checked_add_days(chrono::Days::new(u64::from(day % 40)))
                        .unwrap_or(date);
                    events.push(json!({"credit": format!("c{i}"), "date": later.to_string(),
                        "type": "refund"}));
                }
                c
            })
            .collect();
        let quota = |q: &str| json!({"amount": q, "currency": cur});
        json!({"period": {"start": "2026-04-01", "end": "2026-07-01"},
            "plans": [{"id": "plan", "currency": cur, "period": "quarter", "versions": versions,
                "rounding": {"mode": mode, "level": level}}],
            "payees": (0..3).map(|p| json!({"id": format!("p{p}"), "plan": "plan",
                "quota": quota("25000"), "annual_quota": quota("90000")})).collect::<Vec<_>>(),
            "credits": credits, "events": events})
    }

    fn a_of(split: Option<(u8, u8)>, i: usize) -> usize {
        split.map_or(i % 3, |(a, _)| usize::from(a % 3))
    }

    fn run(spec: &Value, lane: bool) -> String {
        LANE.with(|l| l.set(lane));
        let out = ComputeSpec::deserialize(spec)
            .map_err(|e| e.to_string())
            .and_then(|s| Compute::new(s).map_err(|e| e.to_string()))
            .and_then(|c| compute(&c).map_err(|e| e.to_string()))
            .map(|s| serde_json::to_string(&s).unwrap_or_default());
        LANE.with(|l| l.set(true));
        match out {
            Ok(s) => s,
            Err(e) => format!("error: {e}"),
        }
    }

    use serde::Deserialize;

    proptest! {
        /// The lane writes the statements the general path writes: every line, amount,
        /// scale, note and total, and the same error when there is one.
        #[test]
        fn the_lane_writes_what_the_general_path_writes(
            currency in 0usize..2,
            rounding in (any::<u8>(), any::<bool>()),
            versions in prop::collection::vec(
                prop::collection::vec((any::<u8>(), 0u32..3000, any::<u8>()), 1..4), 1..3),
            credits in prop::collection::vec(
                (any::<i64>(), any::<u32>(), 0u8..3, prop::option::of((any::<u8>(), any::<u8>())),
                 prop::bool::weighted(0.15), any::<u8>()),
                1..40),
        ) {
            let spec = doc(currency, rounding, &versions, &credits);
            let (lane, general) = (run(&spec, true), run(&spec, false));
            prop_assert_eq!(lane, general);
        }
    }
}
