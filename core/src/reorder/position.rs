//! The inventory position of one item at one location.
//!
//! This module decides what counts toward the position and how often:
//!
//! ```text
//! position = on hand + on order − reserved − backordered
//! on order = open purchase orders + draft proposals + in transit
//! ```
//!
//! Every supply and demand line has an id, and an id may appear only once per item, so a
//! purchase order line cannot be counted twice (the cause of most duplicate-order bugs
//! in the ERPs studied). Negative stock on hand is refused unless the host says its
//! system allows it (`allow_negative_on_hand`), and then it is counted as it is.
//! With a horizon the position is time-phased: lines dated after the horizon are left
//! out and listed; undated lines and overdue lines always count. It never decides
//! whether the position is low (that is [`crate::reorder::policy`]).
//!
//! ```
//! use salesops::reorder::StockSpec;
//! let stock: StockSpec = serde_json::from_str(r#"{"on_hand": "20",
//!   "supply": [{"id": "PO-1", "kind": "purchase_order", "quantity": "10"}],
//!   "demand": [{"id": "SO-7", "kind": "reserved", "quantity": "12"}]}"#).unwrap();
//! let p = stock.check().unwrap().position(None).unwrap();
//! assert_eq!(p.position.to_string(), "18");
//! ```

use super::{add, norm, sub};
use crate::error::{Error, Result};
use crate::id::Id;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Where incoming stock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyKind {
    /// A confirmed purchase order (or production order) not yet received.
    PurchaseOrder,
    /// A proposal or request for quotation not yet confirmed: Odoo's draft RFQ, ERPNext's
    /// material request, or a proposal of this engine the host has recorded.
    DraftProposal,
    /// Shipped by the supplier or another location, not yet received here.
    InTransit,
}

/// Why stock is already spoken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandKind {
    /// Committed to a confirmed sales order and still on hand.
    Reserved,
    /// Committed to a confirmed sales order that stock on hand could not cover.
    Backordered,
}

/// An incoming line: `{"id": "PO-1/3", "kind": "purchase_order", "quantity": "10",
/// "date": "2026-04-10"}` (`date`, the expected receipt, is optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyLine {
    /// The host's id of the line; unique within the item.
    pub id: Id,
    /// Its state.
    pub kind: SupplyKind,
    /// Quantity in stock units, not negative.
    pub quantity: Decimal,
    /// Expected receipt date; undated lines always count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// An outgoing line: `{"id": "SO-7/1", "kind": "reserved", "quantity": "12"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandLine {
    /// The host's id of the line; unique within the item.
    pub id: Id,
    /// Its state.
    pub kind: DemandKind,
    /// Quantity in stock units, not negative.
    pub quantity: Decimal,
    /// Date the stock is needed; undated lines always count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// The stock of one item at one location, as the host sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StockSpec {
    /// Physically on hand, in stock units.
    pub on_hand: Decimal,
    /// Set when the host's system lets stock go negative; otherwise a negative
    /// `on_hand` is refused.
    #[serde(default)]
    pub allow_negative_on_hand: bool,
    /// Incoming lines.
    #[serde(default)]
    pub supply: Vec<SupplyLine>,
    /// Outgoing lines.
    #[serde(default)]
    pub demand: Vec<DemandLine>,
}

/// A checked [`StockSpec`]: quantities not negative, ids present and unique. It
/// borrows the spec's lines: checking copies none of them, and the host keeps (and
/// frees) its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stock<'a> {
    on_hand: Decimal,
    supply: &'a [SupplyLine],
    demand: &'a [DemandLine],
}

impl StockSpec {
    /// Add a draft proposal line (what the host records when it accepts a proposal);
    /// it is checked with the others.
    ///
    /// ```
    /// use salesops::reorder::position::{StockSpec, SupplyKind, SupplyLine};
    /// let stock: StockSpec = serde_json::from_str(r#"{"on_hand": "8"}"#).unwrap();
    /// let line = |id: &str| SupplyLine {
    ///     id: id.into(),
    ///     kind: SupplyKind::DraftProposal,
    ///     quantity: "36".parse().unwrap(),
    ///     date: None,
    /// };
    /// let stock = stock.with_supply(line("P-1"));
    /// let pos = stock.check().unwrap().position(None).unwrap();
    /// assert_eq!((pos.draft_proposal.to_string(), pos.position.to_string()), ("36".into(), "44".into()));
    /// // Recorded twice, it would count twice: the check refuses it.
    /// let err = stock.with_supply(line("P-1")).check().unwrap_err();
    /// assert_eq!(err.field(), Some("supply[1].id"));
    /// ```
    pub fn with_supply(mut self, line: SupplyLine) -> Self {
        self.supply.push(line);
        self
    }

    /// Check the document once; errors name the field (`supply[2].quantity`).
    pub fn check(&self) -> Result<Stock<'_>> {
        if self.on_hand.is_sign_negative()
            && !self.on_hand.is_zero()
            && !self.allow_negative_on_hand
        {
            return Err(Error::invalid(
                "on_hand",
                format!(
                    "{} is negative; set `allow_negative_on_hand` if your system allows negative stock",
                    self.on_hand
                ),
            ));
        }
        // Up to 16 lines, each id is compared with the ids before it (no allocation, no
        // table to set up per item); beyond, a hash set of their bytes.
        const FEW: usize = 16;
        // Made only when needed: even an empty set seeds its hasher from a thread-local.
        let mut many: Option<HashSet<&[u8]>> =
            (self.supply.len() + self.demand.len() > FEW).then(HashSet::default);
        // The supply lines, then the demand lines, each array in a loop of its own: one
        // loop over both picked the array and bounded the slices line by line.
        for (i, l) in self.supply.iter().enumerate() {
            check_line("supply", i, &l.id, l.quantity, || match many.as_mut() {
                Some(set) => !set.insert(l.id.as_bytes()),
                None => self.supply[..i].iter().any(|e| e.id == l.id),
            })?;
        }
        for (i, l) in self.demand.iter().enumerate() {
            check_line("demand", i, &l.id, l.quantity, || match many.as_mut() {
                Some(set) => !set.insert(l.id.as_bytes()),
                None => {
                    self.supply.iter().any(|e| e.id == l.id)
                        || self.demand[..i].iter().any(|e| e.id == l.id)
                }
            })?;
        }
        Ok(Stock {
            on_hand: norm(self.on_hand),
            supply: &self.supply,
            demand: &self.demand,
        })
    }
}

/// The checks of one line: an id, a quantity not negative, and the id not listed
/// before, which `repeated` tells once the rest holds (`kind[i]` names it in errors).
#[inline]
fn check_line(
    kind: &str,
    i: usize,
    id: &Id,
    q: Decimal,
    repeated: impl FnOnce() -> bool,
) -> Result<()> {
    if id.is_empty() {
        return Err(line_error(kind, i, "id", format_args!("must not be empty")));
    }
    if q.is_sign_negative() && !q.is_zero() {
        let why = format_args!("{q} must not be negative");
        return Err(line_error(kind, i, "quantity", why));
    }
    if repeated() {
        let why = format_args!("`{id}` is listed twice; each line counts exactly once");
        return Err(line_error(kind, i, "id", why));
    }
    Ok(())
}

/// The error at `kind[i].field`, formatted out of line: this is checked for every line
/// of every item.
#[cold]
#[inline(never)]
fn line_error(kind: &str, i: usize, field: &str, why: std::fmt::Arguments<'_>) -> Error {
    Error::invalid(format!("{kind}[{i}].{field}"), why.to_string())
}

/// The position and its parts. Quantities are in stock units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// On hand.
    pub on_hand: Decimal,
    /// Confirmed purchase orders counted.
    pub purchase_order: Decimal,
    /// Draft proposals counted.
    pub draft_proposal: Decimal,
    /// In transit counted.
    pub in_transit: Decimal,
    /// `purchase_order + draft_proposal + in_transit`.
    pub on_order: Decimal,
    /// Reserved for confirmed sales orders, counted.
    pub reserved: Decimal,
    /// Backordered, counted.
    pub backordered: Decimal,
    /// `on_hand − reserved − backordered`: what is free now, ignoring what is on order.
    pub available: Decimal,
    /// `on_hand + on_order − reserved − backordered`.
    pub position: Decimal,
    /// The last date counted, when time-phased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon: Option<NaiveDate>,
    /// Ids of the lines left out because they are dated after the horizon.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub beyond_horizon: Vec<String>,
}

/// The sums of a position, before normalisation.
struct Sums {
    po: Decimal,
    draft: Decimal,
    transit: Decimal,
    on_order: Decimal,
    reserved: Decimal,
    back: Decimal,
}

/// Available stock and position, normalised (as in [`Position`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Level {
    /// `on_hand − reserved − backordered`.
    pub(crate) available: Decimal,
    /// `on_hand + on_order − reserved − backordered`.
    pub(crate) position: Decimal,
}

/// `a + b`, skipping the decimal addition when one side is zero (most of the sums of a
/// position are); the same value, and every result of [`Stock::position`] is normalised.
#[inline]
fn plus(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    if b.is_zero() {
        Ok(a)
    } else if a.is_zero() {
        Ok(b)
    } else {
        add(a, b, field)
    }
}

impl Stock<'_> {
    /// On hand, in stock units.
    pub fn on_hand(&self) -> Decimal {
        self.on_hand
    }

    /// The position, counting lines dated up to `horizon` (inclusive) when given.
    pub fn position(&self, horizon: Option<NaiveDate>) -> Result<Position> {
        let mut beyond = Vec::new();
        let (sums, level) = self.sums(horizon, |id| beyond.push(id.to_owned()))?;
        Ok(Position {
            on_hand: self.on_hand,
            purchase_order: norm(sums.po),
            draft_proposal: norm(sums.draft),
            in_transit: norm(sums.transit),
            on_order: norm(sums.on_order),
            reserved: norm(sums.reserved),
            backordered: norm(sums.back),
            available: level.available,
            position: level.position,
            horizon,
            beyond_horizon: beyond,
        })
    }

    /// What an evaluation reads of [`Stock::position`]: the same available stock and
    /// position (same errors), without building the parts or listing the lines left
    /// out (this runs for every item, twice when time-phased).
    pub(crate) fn level(&self, horizon: Option<NaiveDate>) -> Result<Level> {
        match self.whole_level(horizon) {
            Some(level) => Ok(level),
            None => Ok(self.sums(horizon, |_| {})?.1),
        }
    }

    /// [`Stock::level`] when every quantity counted is a whole number written without
    /// decimals below 2^63 in magnitude (most are) and every sum fits 64 bits: the
    /// same values in integers, where the decimal additions and the normalising cost
    /// about 300 instructions per item. `None` otherwise, to take the decimal path (and
    /// its errors: none can occur here, every sum being far below a decimal's 2^96).
    #[inline]
    fn whole_level(&self, horizon: Option<NaiveDate>) -> Option<Level> {
        let whole = |d: Decimal| {
            if d.scale() == 0 {
                i64::try_from(d.mantissa()).ok()
            } else {
                None
            }
        };
        let within = |d: Option<NaiveDate>| match (d, horizon) {
            (Some(d), Some(h)) => d <= h,
            _ => true,
        };
        let mut on_order = 0i64;
        for l in self.supply.iter().filter(|l| within(l.date)) {
            on_order = on_order.checked_add(whole(l.quantity)?)?;
        }
        let mut committed = 0i64;
        for l in self.demand.iter().filter(|l| within(l.date)) {
            committed = committed.checked_add(whole(l.quantity)?)?;
        }
        let available = whole(self.on_hand)?.checked_sub(committed)?;
        // As `Decimal::from`, without its general conversion.
        let decimal = |v: i64| {
            let m = v.unsigned_abs();
            Decimal::from_parts(m as u32, (m >> 32) as u32, 0, v < 0, 0)
        };
        Some(Level {
            available: decimal(available),
            position: decimal(available.checked_add(on_order)?),
        })
    }

    /// The sums of the lines counted up to `horizon` (calling `beyond` with the id of
    /// each line left out), and the levels they give.
    #[inline]
    fn sums(
        &self,
        horizon: Option<NaiveDate>,
        mut beyond: impl FnMut(&str),
    ) -> Result<(Sums, Level)> {
        let within = |d: Option<NaiveDate>| match (d, horizon) {
            (Some(d), Some(h)) => d <= h,
            _ => true,
        };
        let (mut po, mut draft, mut transit) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for l in self.supply {
            if !within(l.date) {
                beyond(&l.id);
                continue;
            }
            let slot = match l.kind {
                SupplyKind::PurchaseOrder => &mut po,
                SupplyKind::DraftProposal => &mut draft,
                SupplyKind::InTransit => &mut transit,
            };
            *slot = plus(*slot, l.quantity, "supply")?;
        }
        let (mut reserved, mut back) = (Decimal::ZERO, Decimal::ZERO);
        for l in self.demand {
            if !within(l.date) {
                beyond(&l.id);
                continue;
            }
            let slot = match l.kind {
                DemandKind::Reserved => &mut reserved,
                DemandKind::Backordered => &mut back,
            };
            *slot = plus(*slot, l.quantity, "demand")?;
        }
        let on_order = plus(plus(po, draft, "supply")?, transit, "supply")?;
        let committed = plus(reserved, back, "demand")?;
        let available = if committed.is_zero() {
            self.on_hand
        } else {
            sub(self.on_hand, committed, "on_hand")?
        };
        let position = plus(available, on_order, "on_hand")?;
        Ok((
            Sums {
                po,
                draft,
                transit,
                on_order,
                reserved,
                back,
            },
            Level {
                available: norm(available),
                position: norm(position),
            },
        ))
    }

    /// Whether some line is dated after `date` (so a position up to `date` differs from
    /// one without a horizon).
    pub fn has_lines_after(&self, date: NaiveDate) -> bool {
        self.supply
            .iter()
            .filter_map(|l| l.date)
            .chain(self.demand.iter().filter_map(|l| l.date))
            .any(|d| d > date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::XorShift;

    /// The 64-bit level is the decimal one on random stocks (whole or not, small or
    /// across 2^63 and 2^64, negative on hand, dated lines and horizons), and is taken
    /// for most of them: this fails if that path is wrong or unused.
    #[test]
    fn whole_level_is_the_decimal_level() {
        let mut rng = XorShift(0x1405_7b7e_f767_814f);
        let mut next = |m: u64| rng.next() % m;
        let day = |d: u64| NaiveDate::from_ymd_opt(2026, 4, 1).unwrap() + chrono::Days::new(d);
        let mut whole = 0;
        for case in 0..60_000u32 {
            let quantity = |next: &mut dyn FnMut(u64) -> u64| {
                let m = match next(10) {
                    0 => u64::MAX >> next(3),
                    1 => (1 << 62) + next(1 << 62),
                    2 => next(1_000_000_000),
                    _ => next(500),
                };
                let hi = if next(20) == 0 {
                    next(1 << 20) as u32
                } else {
                    0
                };
                let scale = if next(8) == 0 { next(4) as u32 } else { 0 };
                Decimal::from_parts(m as u32, (m >> 32) as u32, hi, false, scale)
            };
            let dated = |next: &mut dyn FnMut(u64) -> u64| (next(3) == 0).then(|| day(next(20)));
            let supply = (0..next(4))
                .map(|i| SupplyLine {
                    id: format!("S{i}").into(),
                    kind: [
                        SupplyKind::PurchaseOrder,
                        SupplyKind::DraftProposal,
                        SupplyKind::InTransit,
                    ][next(3) as usize],
                    quantity: quantity(&mut next),
                    date: dated(&mut next),
                })
                .collect();
            let demand = (0..next(4))
                .map(|i| DemandLine {
                    id: format!("D{i}").into(),
                    kind: [DemandKind::Reserved, DemandKind::Backordered][next(2) as usize],
                    quantity: quantity(&mut next),
                    date: dated(&mut next),
                })
                .collect();
            let mut on_hand = quantity(&mut next);
            on_hand.set_sign_negative(next(4) == 0);
            let spec = StockSpec {
                on_hand,
                allow_negative_on_hand: true,
                supply,
                demand,
            };
            let stock = spec.check().unwrap();
            let horizon = (case % 2 == 0).then(|| day(next(20)));
            let bits = |l: Level| (l.available.serialize(), l.position.serialize());
            let decimal = stock.sums(horizon, |_| {}).map(|(_, l)| bits(l));
            if let Some(fast) = stock.whole_level(horizon) {
                whole += 1;
                assert_eq!(Ok(bits(fast)), decimal, "{stock:?} {horizon:?}");
            }
            assert_eq!(stock.level(horizon).map(bits), decimal);
        }
        assert!(whole > 20_000, "{whole}");
    }

    /// A line listed twice is refused whether the ids are compared in the array (up to
    /// 16 lines) or in the hash set (beyond), among the supply lines, among the demand
    /// lines or across them.
    #[test]
    fn a_repeated_id_is_refused_at_any_number_of_lines() {
        for n in [2usize, 15, 16, 17, 40] {
            let line = |i: usize| SupplyLine {
                id: format!("L-{i}").into(),
                kind: SupplyKind::PurchaseOrder,
                quantity: Decimal::ONE,
                date: None,
            };
            let mut supply: Vec<SupplyLine> = (0..n - 1).map(line).collect();
            let stock = |supply: Vec<SupplyLine>| StockSpec {
                on_hand: Decimal::ZERO,
                allow_negative_on_hand: false,
                supply,
                demand: Vec::new(),
            };
            assert!(stock(supply.clone()).check().is_ok(), "{n} lines");
            // A demand line repeating a supply line's id, or an earlier demand line's.
            let reserve = |id: &str| DemandLine {
                id: id.into(),
                kind: DemandKind::Reserved,
                quantity: Decimal::ONE,
                date: None,
            };
            for (demand, field) in [
                (vec![reserve("D"), reserve("L-0")], "demand[1].id"),
                (
                    vec![reserve("D"), reserve("E"), reserve("D")],
                    "demand[2].id",
                ),
            ] {
                let mut s = stock(supply.clone());
                s.demand = demand;
                assert_eq!(s.check().unwrap_err().field(), Some(field), "{n} lines");
            }
            supply.push(line(0));
            let err = stock(supply).check().unwrap_err();
            assert_eq!(err.field(), Some(format!("supply[{}].id", n - 1).as_str()));
        }
    }
}
