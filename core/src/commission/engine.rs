//! The walk that turns one payee's credits and events into statement lines.
//!
//! Items (credit releases and clawback events) are taken in date order (releases before
//! events on the same day, then input order), each rule of the version in force on the
//! credit's date is applied, cumulative tier tables carry their running total from item
//! to item, and period-level adjustments (deal and period caps and minimums, thresholds,
//! milestone bonuses, overrides) follow. Draws and rounding close the statement.
//!
//! This module decides the order of work and which rule applies to what. It never parses
//! documents (the caller hands it a validated [`Compute`]), never reads anything but its
//! arguments, and leaves the arithmetic of tiers, splits, draws and clawbacks to their
//! modules.

use super::clawback::{self, Event};
use super::credit::{Release, releases, releases_into};
use super::draw::draw_lines;
use super::index::{Entries, Entry, Index, Share};
use super::num;
use super::plan::{Base, ClawbackBasis, Frequency, PayOn, Plan, Rule, RuleKind, Version};
use super::statement::{self, Attainment, DrawBalance, Id, Line, LineKind, Statement};
use super::tiers::{Measure, Piece, PieceKind, Scope, TierTable};
use super::{Compute, name_of};
use crate::error::{Error, Result};
use crate::money::{Money, allocate};
use crate::period::{DateRange, Period, PeriodKind, prorate};
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashMap};

mod plain;

struct Quotas {
    /// Prorated period quota (zero when the payee has no active day in the period).
    period: Option<Decimal>,
    /// The quotas attainment tables are scaled by: prorated, or the full quota when
    /// proration leaves nothing (a payee who left before the period still has late
    /// credits rated on a real table).
    period_scale: Option<Decimal>,
    year_scale: Option<Decimal>,
}

/// One step of a walk: a release of one of the payee's shares, or a clawback event.
#[derive(Clone, Copy)]
enum Item<'e> {
    /// A release; `track` when an event of this walk reads the credit's lines back.
    Release {
        s: &'e Share,
        track: bool,
    },
    Claw {
        e: usize,
        vi: usize,
        pos: usize,
    },
}

struct Walk<'a> {
    c: &'a Compute,
    ix: &'a Index,
    /// The payee's shares (the index's entries for `p`).
    entries: Entries<'a>,
    p: usize,
    plan: &'a Plan,
    /// The plan's rounding scale (its currency's minor unit), looked up once.
    scale: u32,
    range: DateRange,
    quotas: Quotas,
    lines: Vec<Line>,
    credited: Decimal,
    /// Running cumulative totals, one per distinct rule id (`slots` maps a version's
    /// rule to its slot: a total carries across versions by rule id).
    cum: Vec<Decimal>,
    /// Whether a `once` fixed rule has paid, per slot.
    once: Vec<bool>,
    /// Slot of each version's rules.
    slots: Vec<Vec<usize>>,
    /// Scratch for the pieces of one tier walk.
    pieces: Vec<Piece>,
    /// Each version's rules' tables in amount space (attainment scaled by the quota).
    tables: Vec<Vec<Option<TierTable>>>,
    /// Per version, whether its releases may take the common lane ([`plain`]).
    plain: Vec<bool>,
    /// Indices into `lines` of each in-period credit's own lines (not clawbacks).
    credit_lines: HashMap<usize, Vec<usize>>,
    /// Lines of each earlier walk (events excluded), by period and credit id.
    originals: HashMap<(NaiveDate, NaiveDate), HashMap<Id, Vec<Line>>>,
}

#[cfg(not(test))]
#[inline(always)]
fn lane_open() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    /// Tests close the common lane to compare it with the general path.
    static LANE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

#[cfg(test)]
fn lane_open() -> bool {
    LANE.with(std::cell::Cell::get)
}

/// The table of rule `ri` of version `vi` among a walk's `tables` (in amount space).
fn table_at<'t>(
    tables: &'t [Vec<Option<TierTable>>],
    vi: usize,
    ri: usize,
    rule: &Rule,
) -> Result<&'t TierTable> {
    tables
        .get(vi)
        .and_then(|row| row.get(ri))
        .and_then(Option::as_ref)
        .ok_or_else(|| Error::Internal {
            reason: format!("no table for rule `{}`", rule.id),
        })
}

/// A date as a number that orders like it: 366 numbers a year, so that a year's days
/// stay dense for the walk's counting sort without the cost of counting days.
#[inline]
fn day_key(d: NaiveDate) -> u32 {
    // Dates reach back to year -262 143 at most: shifted, every key is positive.
    let year = u32::try_from(d.year() + 262_144).unwrap_or(0);
    year * 366 + d.ordinal0()
}

fn last_day(range: DateRange) -> NaiveDate {
    range
        .end
        .checked_sub_days(Days::new(1))
        .unwrap_or(range.start)
}

#[inline]
fn base_of(rule: &Rule, r: &Release) -> Result<Decimal> {
    Ok(match rule.base {
        Base::Revenue => r.revenue,
        Base::Quantity => r.quantity,
        Base::Margin => {
            let m = num::sub(r.revenue, r.cost, "cost")?;
            if !rule.margin_floor {
                m
            } else if num::is_negative(r.revenue) {
                m.min(Decimal::ZERO)
            } else {
                m.max(Decimal::ZERO)
            }
        }
    })
}

fn quotas(c: &Compute, p: usize, range: DateRange) -> Result<Quotas> {
    let payee = &c.payees[p];
    let plan = &c.plans[payee.plan];
    let mode = plan.rounding.mode;
    let scale = Some(plan.scale());
    let pro = |q: Option<Decimal>, over: DateRange| -> Result<Option<Decimal>> {
        match (q, payee.active) {
            (Some(q), Some(active)) => Ok(Some(
                prorate(Money::new(q, plan.currency), over, active, mode, scale)?
                    .amount
                    .amount,
            )),
            (q, _) => Ok(q),
        }
    };
    let year = Period::range_containing(range.start, PeriodKind::FiscalYear, &plan.calendar)?;
    let period = pro(payee.quota, range)?;
    let year = pro(payee.annual_quota, year)?;
    let or_full = |pro: Option<Decimal>, full: Option<Decimal>| match pro {
        Some(q) if q.is_zero() => full,
        q => q,
    };
    Ok(Quotas {
        period_scale: or_full(period, payee.quota),
        year_scale: or_full(year, payee.annual_quota),
        period,
    })
}

impl<'a> Walk<'a> {
    fn new(
        c: &'a Compute,
        ix: &'a Index,
        entries: Entries<'a>,
        p: usize,
        range: DateRange,
    ) -> Result<Walk<'a>> {
        let plan = &c.plans[c.payees[p].plan];
        let mut w = Walk {
            c,
            ix,
            entries,
            p,
            plan,
            scale: plan.scale(),
            range,
            quotas: quotas(c, p, range)?,
            lines: Vec::new(),
            credited: Decimal::ZERO,
            cum: Vec::new(),
            once: Vec::new(),
            slots: Vec::new(),
            pieces: Vec::new(),
            tables: Vec::new(),
            plain: Vec::new(),
            credit_lines: HashMap::new(),
            originals: HashMap::new(),
        };
        // Every rule that measures attainment needs its quota, whether or not a credit
        // reaches it this period: a plan that cannot be computed is refused up front.
        let mut tables = Vec::with_capacity(plan.versions.len());
        for v in &plan.versions {
            let mut row = Vec::with_capacity(v.rules.len());
            for r in &v.rules {
                row.push(match &r.kind {
                    RuleKind::Tiered { table } => Some(match table.measure() {
                        Measure::Amount => table.clone(),
                        Measure::Attainment => {
                            table.scaled(w.quota(table.scope() == Scope::Year)?)?
                        }
                    }),
                    RuleKind::Bonus { .. } => {
                        w.quota(false)?;
                        None
                    }
                    _ => {
                        if r.threshold.is_some() {
                            w.quota(false)?;
                        }
                        None
                    }
                });
            }
            tables.push(row);
        }
        w.plain = plan
            .versions
            .iter()
            .zip(&tables)
            .map(|(v, t)| plain::version_is_plain(v, t) && lane_open())
            .collect();
        w.tables = tables;
        let mut ids: Vec<&str> = Vec::new();
        w.slots = plan
            .versions
            .iter()
            .map(|v| {
                v.rules
                    .iter()
                    .map(|r| match ids.iter().position(|x| *x == r.id.as_str()) {
                        Some(k) => k,
                        None => {
                            ids.push(r.id.as_str());
                            ids.len() - 1
                        }
                    })
                    .collect()
            })
            .collect();
        w.cum = vec![Decimal::ZERO; ids.len()];
        w.once = vec![false; ids.len()];
        Ok(w)
    }

    fn payee_field(&self, f: &str) -> String {
        format!("payees[{}].{f}", self.p)
    }

    #[inline]
    fn round(&self, x: Decimal) -> Decimal {
        statement::round_line(x, self.plan.rounding, self.scale)
    }

    fn show_base(&self, rule: &Rule, x: Decimal) -> Decimal {
        if rule.base == Base::Quantity {
            x.normalize()
        } else {
            num::show(x, self.scale)
        }
    }

    /// The quota attainment tables are scaled by.
    fn quota(&self, year: bool) -> Result<Decimal> {
        let (q, f) = if year {
            (self.quotas.year_scale, "annual_quota")
        } else {
            (self.quotas.period_scale, "quota")
        };
        q.ok_or_else(|| {
            Error::invalid(
                self.payee_field(f),
                format!(
                    "plan `{}` measures attainment; give this payee a `{f}`",
                    self.plan.id
                ),
            )
        })
    }

    /// Period attainment in percent, exact; zero when the prorated quota is zero.
    fn attainment(&self) -> Result<Decimal> {
        self.quota(false)?;
        match self.quotas.period {
            Some(q) if !q.is_zero() => num::div(
                num::mul(self.credited, Decimal::ONE_HUNDRED, "attainment")?,
                q,
                "attainment",
            ),
            _ => Ok(Decimal::ZERO),
        }
    }

    /// A line of `kind` for share `s` under `rule` of `version`, paying `amount` (rounded
    /// by the caller as the plan says: [`Walk::round`]).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn line(
        &self,
        kind: LineKind,
        rule: &Rule,
        version: &Version,
        s: &Share,
        base: Option<Decimal>,
        rate: Option<Decimal>,
        tier: Option<usize>,
        amount: Decimal,
    ) -> Line {
        let r = &s.r;
        // The common case first: a whole credit is exactly the integer 100.
        let whole = r.percent.scale() == 0 && r.percent.mantissa() == 100;
        let split = (!whole && num::cmp(r.percent, Decimal::ONE_HUNDRED).is_ne())
            .then(|| num::normal(r.percent));
        Line {
            kind,
            rule: Some(rule.id.clone()),
            version: Some(version.id.clone()),
            credit: Some(s.id.clone()),
            deal: s.deal.clone(),
            date: Some(r.date),
            split,
            fx: r.fx,
            base: base.map(|b| self.show_base(rule, b)),
            rate: rate.map(num::normal),
            tier,
            amount,
            note: None,
        }
    }

    /// Where a transaction starts on a table of `scope` whose running total is in `slot`:
    /// zero for a transaction table, the running total otherwise.
    #[inline]
    fn start(&self, scope: Scope, slot: Option<usize>) -> Decimal {
        match scope {
            Scope::Transaction => Decimal::ZERO,
            _ => slot
                .and_then(|k| self.cum.get(k))
                .copied()
                .unwrap_or_default(),
        }
    }

    /// Push `l` onto the statement and return it, for the caller to add a note.
    fn push(&mut self, l: Line) -> &mut Line {
        self.lines.push(l);
        let last = self.lines.len() - 1;
        &mut self.lines[last]
    }

    fn apply_release(
        &mut self,
        s: &Share,
        in_period: bool,
        clawback: Option<&Event>,
        track: bool,
    ) -> Result<()> {
        let c = self.c;
        let (r, vi) = (&s.r, s.vi);
        // Read only where a rule needs more than the share (filters, fixed amounts).
        let credit = &c.credits[r.credit];
        let plan: &'a Plan = self.plan;
        let version = &plan.versions[vi];
        if in_period {
            self.credited = num::add(self.credited, r.revenue, "credits")?;
        }
        let first_line = self.lines.len();
        for (ri, rule) in version.rules.iter().enumerate() {
            if matches!(
                rule.kind,
                RuleKind::Bonus { .. } | RuleKind::Override { .. }
            ) {
                continue;
            }
            if !(rule.filter.is_all() || credit.matches(&rule.filter))
                || rule.window.is_some_and(|w| !w.contains(credit.date))
            {
                continue;
            }
            let base = base_of(rule, r)?;
            let slot = self.slots.get(vi).and_then(|row| row.get(ri)).copied();
            let mark = self.lines.len();
            let claw_kind = |k: LineKind| {
                if clawback.is_some() {
                    LineKind::Clawback
                } else {
                    k
                }
            };
            match &rule.kind {
                RuleKind::Rate { rate } => {
                    if in_period {
                        let exact = num::pct(base, *rate, rule.per(), "base")?;
                        self.push(self.line(
                            claw_kind(LineKind::Commission),
                            rule,
                            version,
                            s,
                            Some(base),
                            Some(*rate),
                            None,
                            self.round(exact),
                        ));
                    }
                }
                RuleKind::Tiered { table } => {
                    let scope = table.scope();
                    let mut end = None;
                    let start = self.start(scope, slot);
                    if in_period {
                        let t = table_at(&self.tables, vi, ri, rule)?;
                        let mut pieces = std::mem::take(&mut self.pieces);
                        pieces.clear();
                        end = Some(t.walk_into(start, base, rule.per(), &mut pieces)?);
                        // Only a re-rating line names the tier it came from.
                        let from_tier = pieces
                            .iter()
                            .any(|p| p.kind == PieceKind::Retro)
                            .then(|| t.tier_of(start) + 1);
                        for &piece in &pieces {
                            let kind = match piece.kind {
                                PieceKind::Transaction => LineKind::Commission,
                                PieceKind::Retro => LineKind::Retro,
                            };
                            let note = match (piece.kind, from_tier) {
                                (PieceKind::Retro, Some(from)) => Some(format!(
                                    "the earlier {} of the {} re-rated from tier {from} to tier {}",
                                    self.show_base(rule, start),
                                    name_of(scope),
                                    piece.tier
                                )),
                                _ => None,
                            };
                            self.push(self.line(
                                claw_kind(kind),
                                rule,
                                version,
                                s,
                                Some(piece.base),
                                piece.rate,
                                Some(piece.tier),
                                self.round(piece.amount),
                            ))
                            .note = note;
                        }
                        self.pieces = pieces;
                    }
                    if scope == Scope::Year || (scope == Scope::Period && in_period) {
                        let total = match end {
                            Some(e) => e,
                            None => num::add(start, base, "base")?,
                        };
                        if let Some(x) = slot.and_then(|k| self.cum.get_mut(k)) {
                            *x = total;
                        }
                    }
                }
                RuleKind::Fixed {
                    amount,
                    min_quantity,
                    frequency,
                } => {
                    let qualifies = in_period
                        && clawback.is_none()
                        && r.seq == 0
                        && credit.amount.amount > Decimal::ZERO
                        && min_quantity.is_none_or(|q| credit.quantity >= q)
                        && (*frequency == Frequency::EveryTime
                            || !slot
                                .and_then(|k| self.once.get(k))
                                .copied()
                                .unwrap_or(false));
                    if qualifies {
                        let weights: Vec<Decimal> = credit.splits.iter().map(|s| s.1).collect();
                        let parts = allocate(
                            Money::new(*amount, self.plan.currency),
                            &weights,
                            Some(self.scale),
                        )?;
                        let share = credit
                            .split_of(self.p)
                            .and_then(|i| parts.get(i))
                            .map_or(Decimal::ZERO, |m| m.amount);
                        self.push(self.line(
                            LineKind::Fixed,
                            rule,
                            version,
                            s,
                            None,
                            None,
                            None,
                            self.round(share),
                        ))
                        .note = min_quantity
                            .map(|q| format!("quantity {} is at least {q}", credit.quantity));
                        if let Some(x) = slot.and_then(|k| self.once.get_mut(k)) {
                            *x = true;
                        }
                    }
                }
                RuleKind::Bonus { .. } | RuleKind::Override { .. } => {}
            }
            let limited = rule.minimum.line.is_some() || rule.cap.line.is_some();
            if limited && in_period && clawback.is_none() && self.lines.len() > mark {
                let total = num::sum(self.lines[mark..].iter().map(|l| &l.amount), "lines")?;
                let mut adjust = |kind: LineKind, amount: Decimal, note: String| {
                    self.push(self.line(
                        kind,
                        rule,
                        version,
                        s,
                        None,
                        None,
                        None,
                        self.round(amount),
                    ))
                    .note = Some(note);
                };
                if let Some(min) = rule.minimum.line {
                    if total > Decimal::ZERO && total < min {
                        adjust(
                            LineKind::Minimum,
                            num::sub(min, total, "minimum")?,
                            format!("line minimum {min}"),
                        );
                    }
                }
                if let Some(cap) = rule.cap.line {
                    if total > cap {
                        adjust(
                            LineKind::Cap,
                            num::sub(cap, total, "cap")?,
                            format!("line cap {cap}"),
                        );
                    }
                }
            }
        }
        if track && in_period && clawback.is_none() && self.lines.len() > first_line {
            self.credit_lines
                .entry(r.credit)
                .or_default()
                .extend(first_line..self.lines.len());
        }
        Ok(())
    }

    /// The lines `credit` originally earned this payee, read from the statement periods
    /// of its releases up to `until`.
    fn originals(
        &mut self,
        ci: usize,
        vi: usize,
        pos: usize,
        until: NaiveDate,
    ) -> Result<Vec<Line>> {
        let c = self.c;
        let credit = &c.credits[ci];
        let version = &self.plan.versions[vi];
        let rels = releases(ci, credit, self.plan, version.pay_on, &c.rates, &[pos])?;
        let mut periods = BTreeSet::new();
        for r in rels.iter().filter(|r| r.date <= until) {
            let p = Period::range_containing(r.date, self.plan.period, &self.plan.calendar)?;
            periods.insert((p.start, p.end));
        }
        // Within this walk's own period the credit's lines are already here, and equal to
        // an event-free walk's unless some event changed attainment before them.
        let events_move_attainment = self
            .plan
            .versions
            .iter()
            .any(|v| v.clawback.is_some_and(|p| p.reduces_attainment));
        let mut out = Vec::new();
        for (start, end) in periods {
            if !events_move_attainment && (start, end) == (self.range.start, self.range.end) {
                if let Some(ix) = self.credit_lines.get(&ci) {
                    out.extend(ix.iter().filter_map(|&i| self.lines.get(i)).cloned());
                }
                continue;
            }
            if !self.originals.contains_key(&(start, end)) {
                let range = DateRange { start, end };
                let mut w = Walk::new(c, self.ix, self.entries, self.p, range)?;
                w.run(false)?;
                let mut by_credit: HashMap<Id, Vec<Line>> = HashMap::new();
                for l in w.lines {
                    if let Some(id) = &l.credit {
                        by_credit.entry(id.clone()).or_default().push(l);
                    }
                }
                self.originals.insert((start, end), by_credit);
            }
            if let Some(lines) = self
                .originals
                .get(&(start, end))
                .and_then(|m| m.get(credit.id.as_str()))
            {
                out.extend(lines.iter().cloned());
            }
        }
        Ok(out)
    }

    fn apply_clawback(&mut self, ei: usize, vi: usize, pos: usize) -> Result<()> {
        let c = self.c;
        let e = c.events[ei];
        let credit = &c.credits[e.credit];
        let version = &self.plan.versions[vi];
        let Some(policy) = version.clawback else {
            return Ok(());
        };
        let whole = releases(
            e.credit,
            credit,
            self.plan,
            PayOn::Booking,
            &c.rates,
            &[pos],
        )?;
        let Some(share) = whole.first().copied() else {
            return Ok(());
        };
        let mode = self.plan.rounding.mode;
        let scale = self.scale;
        let neg = -e.fraction;
        let clawed = Release {
            date: e.date,
            revenue: mode.apply(num::mul(share.revenue, neg, "amount")?, scale),
            cost: mode.apply(num::mul(share.cost, neg, "cost")?, scale),
            quantity: num::mul(share.quantity, neg, "quantity")?,
            ..share
        };
        match policy.basis {
            ClawbackBasis::Retier => {
                self.apply_release(&Share::of(clawed, vi, credit), true, Some(&e), false)?;
            }
            ClawbackBasis::OriginalRate | ClawbackBasis::OriginalAmount => {
                let keep = |l: &Line| match policy.basis {
                    ClawbackBasis::OriginalRate => {
                        matches!(l.kind, LineKind::Commission | LineKind::Fixed)
                    }
                    _ => matches!(
                        l.kind,
                        LineKind::Commission | LineKind::Fixed | LineKind::Minimum | LineKind::Cap
                    ),
                };
                let originals = self.originals(e.credit, vi, pos, e.date)?;
                let rounding = match self.plan.rounding.level {
                    super::plan::RoundingLevel::Line => Some(scale),
                    super::plan::RoundingLevel::Statement => None,
                };
                for l in originals.iter().filter(|l| keep(l)) {
                    self.lines.push(clawback::reverse(l, &e, mode, rounding)?);
                }
                if policy.reduces_attainment {
                    self.credited = num::add(self.credited, clawed.revenue, "credits")?;
                    for (ri, rule) in version.rules.iter().enumerate() {
                        if rule.scope() != Scope::Transaction && credit.matches(&rule.filter) {
                            let b = base_of(rule, &clawed)?;
                            let slot = self.slots.get(vi).and_then(|row| row.get(ri)).copied();
                            if let Some(x) = slot.and_then(|k| self.cum.get_mut(k)) {
                                *x = num::add(*x, b, "base")?;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Date, then releases before events, then input order.
    fn key(&self, it: &Item) -> (NaiveDate, u8, usize, usize) {
        match *it {
            Item::Release { s, .. } => (s.r.date, 0, s.r.credit, s.r.seq),
            Item::Claw { e: ei, .. } => {
                let e = &self.c.events[ei];
                (e.date, 1, e.credit, ei)
            }
        }
    }

    /// The walk's items, in the order to take them.
    fn items(&self, events: bool) -> Result<Vec<Item<'a>>> {
        let c = self.c;
        let plan = self.plan;
        let needs_year = plan
            .versions
            .iter()
            .any(|v| v.rules.iter().any(|r| r.scope() == Scope::Year));
        let walk_from = if needs_year {
            Period::range_containing(self.range.start, PeriodKind::FiscalYear, &plan.calendar)?
                .start
                .min(self.range.start)
        } else {
            self.range.start
        };
        // Events first, so that releases know whether their lines will be read back.
        let mut claws = Vec::new();
        if events {
            for &ei in &self.ix.events_by_payee[self.p] {
                let e = &c.events[ei];
                if !self.range.contains(e.date) {
                    continue;
                }
                let credit = &c.credits[e.credit];
                let (Some(pos), Some(vi)) = (credit.split_of(self.p), plan.version_at(credit.date))
                else {
                    continue;
                };
                let Some(policy) = plan.versions[vi].clawback else {
                    continue;
                };
                if (e.date - credit.date).num_days() > i64::from(policy.window_days) {
                    continue;
                }
                claws.push(Item::Claw { e: ei, vi, pos });
            }
        }
        let mut tracked: Vec<usize> = claws
            .iter()
            .filter_map(|i| match i {
                Item::Claw { e, .. } => Some(c.events[*e].credit),
                Item::Release { .. } => None,
            })
            .collect();
        tracked.sort_unstable();
        let entries = self.entries;
        let mut items = Vec::with_capacity(entries.len() + claws.len());
        // Each item's sort bucket (its day, times two, plus one for an event), taken
        // while the entry is at hand.
        let mut buckets: Vec<u32> = Vec::with_capacity(items.capacity());
        let reached = |d: NaiveDate| walk_from <= d && d < self.range.end;
        for part in entries.parts() {
            for entry in part {
                match *entry {
                    Entry::Release(ref s) => {
                        if reached(s.r.date) {
                            let track =
                                !tracked.is_empty() && tracked.binary_search(&s.r.credit).is_ok();
                            items.push(Item::Release { s, track });
                            buckets.push(day_key(s.r.date) * 2);
                        }
                    }
                    Entry::Unversioned { credit, date } => {
                        if reached(date) {
                            return Err(Error::not_found(
                                format!("credits[{credit}].date"),
                                format!("no version of plan `{}` is in force on {date}", plan.id),
                            ));
                        }
                    }
                    Entry::Failed { credit, pos, vi } => {
                        // Releasing is a pure function of the credit, the plan and the rates:
                        // it fails again, with the error the index set aside.
                        let mut rels = Vec::new();
                        let pay_on = plan.versions[vi].pay_on;
                        releases_into(
                            credit,
                            &c.credits[credit],
                            plan,
                            pay_on,
                            &c.rates,
                            &[pos],
                            &mut rels,
                        )
                        .map_err(|e| e.within(&format!("credits[{credit}]")))?;
                        return Err(Error::Internal {
                            reason: format!("credits[{credit}] released on the second try"),
                        });
                    }
                }
            }
        }
        claws.sort_by_key(|a| self.key(a));
        buckets.extend(claws.iter().map(|it| day_key(self.key(it).0) * 2 + 1));
        items.extend(claws);
        // Order by date, releases before events, then credit (and release or event):
        // releases were pushed in credit order and events are sorted, so a stable
        // counting sort on the bucket gives the full order without comparing keys.
        let lo = buckets.iter().copied().min().unwrap_or(0);
        let hi = buckets.iter().copied().max().unwrap_or(0);
        let span = usize::try_from(hi - lo)
            .ok()
            .map(|d| d + 1)
            .filter(|&n| n <= 4 * items.len() + 4096);
        let Some(span) = span else {
            items.sort_by_key(|a| self.key(a));
            return Ok(items);
        };
        let mut start = vec![0usize; span + 1];
        for &b in &buckets {
            if let Some(x) = start.get_mut((b - lo) as usize + 1) {
                *x += 1;
            }
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        // Every place is written once (the counts add up to the items): the filler is
        // never read.
        let filler = Item::Claw {
            e: 0,
            vi: 0,
            pos: 0,
        };
        let mut order = vec![filler; items.len()];
        for (&item, &b) in items.iter().zip(&buckets) {
            if let Some(at) = start.get_mut((b - lo) as usize) {
                if let Some(o) = order.get_mut(*at) {
                    *o = item;
                }
                *at += 1;
            }
        }
        Ok(order)
    }

    fn run(&mut self, events: bool) -> Result<()> {
        let items = self.items(events)?;
        // About one line per item; room for retro and clawback lines without regrowing.
        self.lines.reserve(items.len() + items.len() / 16 + 16);
        for item in items {
            match item {
                Item::Release { s, track } => {
                    let in_period = s.r.date >= self.range.start;
                    if self.takes(s) {
                        self.apply_plain(s, in_period, track)
                    } else {
                        self.apply_release(s, in_period, None, track)
                    }
                    .map_err(|e| e.within(&format!("credits[{}]", s.r.credit)))?;
                }
                Item::Claw { e, vi, pos } => self.apply_clawback(e, vi, pos)?,
            }
        }
        self.period_limits()?;
        self.bonuses()?;
        self.overrides()?;
        Ok(())
    }

    fn version_by_id(&self, id: Option<&str>) -> Option<&'a Version> {
        let plan: &'a Plan = self.plan;
        plan.versions.iter().find(|v| Some(v.id.as_str()) == id)
    }

    fn period_limits(&mut self) -> Result<()> {
        let counted = |l: &Line| {
            matches!(
                l.kind,
                LineKind::Commission
                    | LineKind::Retro
                    | LineKind::Fixed
                    | LineKind::Minimum
                    | LineKind::Cap
            )
        };
        let limited = |r: &Rule| {
            r.cap.deal.is_some()
                || r.cap.period.is_some()
                || r.minimum.deal.is_some()
                || r.minimum.period.is_some()
                || r.threshold.is_some()
        };
        if !self
            .plan
            .versions
            .iter()
            .any(|v| v.rules.iter().any(limited))
        {
            return Ok(());
        }
        // Rules in order of first appearance, each with the index of its last line (whose
        // version then says which definition of the rule applies).
        let mut order: Vec<(Id, usize)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (i, l) in self.lines.iter().enumerate().filter(|(_, l)| counted(l)) {
            let Some(rule) = &l.rule else { continue };
            match at.get(rule.as_str()) {
                Some(&k) => order[k].1 = i,
                None => {
                    at.insert(rule.as_str(), order.len());
                    order.push((rule.clone(), i));
                }
            }
        }
        let order: Vec<(Id, Option<Id>)> = order
            .into_iter()
            .map(|(r, i)| (r, self.lines.get(i).and_then(|l| l.version.clone())))
            .collect();
        for (rule_id, version_id) in order {
            let Some(version) = self.version_by_id(version_id.as_deref()) else {
                continue;
            };
            let Some(rule) = version.rules.iter().find(|r| r.id == rule_id) else {
                continue;
            };
            if !limited(rule) {
                continue;
            }
            let mine = |l: &Line| counted(l) && l.rule.as_deref() == Some(rule_id.as_str());
            let push = |lines: &mut Vec<Line>, kind, amount, deal: Option<Id>, note| {
                let mut l = Line::new(kind, amount);
                l.rule = Some(rule.id.clone());
                l.version = Some(version.id.clone());
                l.deal = deal;
                l.note = Some(note);
                lines.push(l);
            };
            if rule.cap.deal.is_some() || rule.minimum.deal.is_some() {
                let mut deals: Vec<(Option<Id>, Decimal)> = Vec::new();
                let mut at: HashMap<Option<Id>, usize> = HashMap::new();
                for l in self.lines.iter().filter(|l| mine(l)) {
                    let key = l.deal.clone().or_else(|| l.credit.clone());
                    match at.get(&key) {
                        Some(&i) => deals[i].1 = num::add(deals[i].1, l.amount, "lines")?,
                        None => {
                            at.insert(key.clone(), deals.len());
                            deals.push((key, l.amount));
                        }
                    }
                }
                for (deal, sum) in deals {
                    if let Some(min) = rule.minimum.deal {
                        if sum > Decimal::ZERO && sum < min {
                            push(
                                &mut self.lines,
                                LineKind::Minimum,
                                num::sub(min, sum, "minimum")?,
                                deal.clone(),
                                format!("deal minimum {min}"),
                            );
                            continue;
                        }
                    }
                    if let Some(cap) = rule.cap.deal {
                        if sum > cap {
                            push(
                                &mut self.lines,
                                LineKind::Cap,
                                num::sub(cap, sum, "cap")?,
                                deal,
                                format!("deal cap {cap}"),
                            );
                        }
                    }
                }
            }
            let total = num::sum(
                self.lines.iter().filter(|l| mine(l)).map(|l| &l.amount),
                "lines",
            )?;
            let mut total_after = total;
            if let Some(min) = rule.minimum.period {
                if total > Decimal::ZERO && total < min {
                    let add = num::sub(min, total, "minimum")?;
                    push(
                        &mut self.lines,
                        LineKind::Minimum,
                        add,
                        None,
                        format!("period minimum {min}"),
                    );
                    total_after = min;
                }
            }
            if let Some(cap) = rule.cap.period {
                if total > cap {
                    let cut = num::sub(cap, total, "cap")?;
                    push(
                        &mut self.lines,
                        LineKind::Cap,
                        cut,
                        None,
                        format!("period cap {cap}"),
                    );
                    total_after = cap;
                }
            }
            if let Some(th) = rule.threshold {
                let att = self.attainment()?;
                if att < th && !total_after.is_zero() {
                    push(
                        &mut self.lines,
                        LineKind::Threshold,
                        -total_after,
                        None,
                        format!(
                            "attainment {}% is below the threshold of {}%: nothing is paid under this rule",
                            self.plan.rounding.mode.apply(att, 2),
                            th
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    fn version_at_end(&self) -> Option<&'a Version> {
        let plan: &'a Plan = self.plan;
        plan.version_at(last_day(self.range))
            .or_else(|| plan.version_at(self.range.start))
            .map(|i| &plan.versions[i])
    }

    fn bonuses(&mut self) -> Result<()> {
        let Some(version) = self.version_at_end() else {
            return Ok(());
        };
        for rule in &version.rules {
            if let RuleKind::Bonus { attainment, amount } = rule.kind {
                let att = self.attainment()?;
                if att >= attainment {
                    let mut l = Line::new(LineKind::Bonus, self.round(amount));
                    l.rule = Some(rule.id.clone());
                    l.version = Some(version.id.clone());
                    l.note = Some(format!(
                        "attainment {}% reached the {}% milestone",
                        self.plan.rounding.mode.apply(att, 2),
                        attainment
                    ));
                    self.lines.push(l);
                }
            }
        }
        Ok(())
    }

    fn overrides(&mut self) -> Result<()> {
        let c = self.c;
        let plan = self.plan;
        if !plan.has_overrides() {
            return Ok(());
        }
        // Team members: direct reports, and everyone below.
        let below = |i: usize, all: bool| {
            let mut m = c.payees[i].manager;
            let mut first = true;
            while let Some(x) = m {
                if x == self.p {
                    return all || first;
                }
                first = false;
                m = c.payees[x].manager;
            }
            false
        };
        let mut credit_ids = BTreeSet::new();
        for (i, list) in self.ix.by_payee.iter().enumerate() {
            if i != self.p && below(i, true) {
                credit_ids.extend(list.iter().copied());
            }
        }
        let mode = plan.rounding.mode;
        let rounding = match plan.rounding.level {
            super::plan::RoundingLevel::Line => Some(plan.scale()),
            super::plan::RoundingLevel::Statement => None,
        };
        // (date, credit, override before clawback, line)
        let mut out: Vec<(NaiveDate, usize, u8, Line)> = Vec::new();
        for ci in credit_ids {
            let credit = &c.credits[ci];
            let Some(vi) = plan.version_at(credit.date) else {
                continue;
            };
            let version = &plan.versions[vi];
            for rule in &version.rules {
                let RuleKind::Override { rate, depth } = rule.kind else {
                    continue;
                };
                if !credit.matches(&rule.filter)
                    || rule.window.is_some_and(|w| !w.contains(credit.date))
                {
                    continue;
                }
                let all = depth == super::plan::Depth::All;
                let members: Vec<usize> = credit
                    .splits
                    .iter()
                    .enumerate()
                    .filter(|(_, (p, _))| *p != self.p && below(*p, all))
                    .map(|(k, _)| k)
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let names: Vec<String> = members
                    .iter()
                    .filter_map(|k| credit.splits.get(*k))
                    .map(|(p, pct)| format!("{} {}%", c.payees[*p].id, pct.normalize()))
                    .collect();
                let rels = releases(ci, credit, plan, version.pay_on, &c.rates, &members)?;
                let mut lines = Vec::with_capacity(rels.len());
                for r in &rels {
                    let base = base_of(rule, r)?;
                    let exact = num::pct(base, rate, rule.per(), "base")?;
                    let mut l = self.line(
                        LineKind::Override,
                        rule,
                        version,
                        &Share::of(*r, vi, credit),
                        Some(base),
                        Some(rate),
                        None,
                        self.round(exact),
                    );
                    l.note = Some(format!("team credit: {}", names.join(", ")));
                    if self.range.contains(r.date) {
                        out.push((r.date, ci, 0, l.clone()));
                    }
                    lines.push((r.date, l));
                }
                // Refunds of team credits take the override back too, under the
                // manager's plan's own clawback policy.
                let Some(policy) = version.clawback else {
                    continue;
                };
                for &ei in self.ix.events_by_credit.get(&ci).into_iter().flatten() {
                    let e = &c.events[ei];
                    if !self.range.contains(e.date)
                        || (e.date - credit.date).num_days() > i64::from(policy.window_days)
                    {
                        continue;
                    }
                    for (_, l) in lines.iter().filter(|(d, _)| *d <= e.date) {
                        out.push((e.date, ci, 1, clawback::reverse(l, e, mode, rounding)?));
                    }
                }
            }
        }
        out.sort_by_key(|x| (x.0, x.1, x.2));
        self.lines.extend(out.into_iter().map(|x| x.3));
        Ok(())
    }
}

/// The statement of payee `p` for the input's period, from its `entries` in the index.
pub(super) fn statement(
    c: &Compute,
    ix: &Index,
    entries: Entries<'_>,
    p: usize,
) -> Result<Statement> {
    let payee = &c.payees[p];
    let plan = &c.plans[payee.plan];
    let scale = plan.scale();
    let mut w = Walk::new(c, ix, entries, p, c.period)?;
    w.run(true)?;
    let credited = w.credited;
    let quota = w.quotas.period;
    let version = w.version_at_end();
    let mut lines = w.lines;
    let earnings = statement::close_earnings(&mut lines, plan.rounding, scale)?;
    let closed = lines.len();
    let mut draw_balance = None;
    let draw = version.and_then(|v| v.draw);
    if draw.is_some() || !payee.draw_balance.is_zero() {
        let opening = num::show(payee.draw_balance, scale);
        let mut closing = opening;
        if let Some(d) = draw {
            let amount = match payee.active {
                Some(active) => {
                    prorate(
                        Money::new(d.amount, plan.currency),
                        c.period,
                        active,
                        plan.rounding.mode,
                        Some(scale),
                    )?
                    .amount
                    .amount
                }
                None => plan.rounding.mode.apply(d.amount, scale),
            };
            let (dl, close) = draw_lines(&d, amount, earnings, opening)?;
            let version_id = version.map(|v| v.id.clone());
            lines.extend(dl.into_iter().map(|mut l| {
                l.version = version_id.clone();
                l
            }));
            closing = close;
        }
        draw_balance = Some(DrawBalance {
            opening: num::show(opening, scale),
            closing: num::show(closing, scale),
        });
    }
    let totals = statement::totals(earnings, lines.get(closed..).unwrap_or_default(), scale)?;
    let percent = match quota.filter(|q| !q.is_zero()) {
        Some(q) => Some(plan.rounding.mode.apply(
            num::div(
                num::mul(credited, Decimal::ONE_HUNDRED, "attainment")?,
                q,
                "attainment",
            )?,
            2,
        )),
        None => None,
    };
    Ok(Statement {
        payee: payee.id.clone(),
        plan: plan.id.clone(),
        currency: plan.currency,
        period: c.period,
        rounding: plan.rounding,
        lines,
        totals,
        attainment: Attainment {
            credited: num::show(credited, scale),
            quota: quota.map(|q| num::show(q, scale)),
            percent,
        },
        draw_balance,
    })
}

#[cfg(test)]
mod tests {
    use super::day_key;
    use crate::test_rng::XorShift;
    use chrono::NaiveDate;

    /// The walk's counting sort orders by `day_key`: it must order as the dates do, from
    /// the first representable date to the last, and keep a year's days within 366.
    #[test]
    fn day_keys_order_as_dates_do() {
        let (lo, hi) = (NaiveDate::MIN, NaiveDate::MAX);
        let span = u64::try_from((hi - lo).num_days()).unwrap_or(0);
        let mut rng = XorShift(0x5eed_da7e);
        let mut day = |near: Option<NaiveDate>| {
            let d = match near {
                // Neighbours, across month and year ends.
                Some(d) => d.checked_add_days(chrono::Days::new(rng.next() % 400)),
                None => lo.checked_add_days(chrono::Days::new(rng.next() % (span + 1))),
            };
            d.unwrap_or(hi)
        };
        let mut dates = vec![lo, hi];
        for _ in 0..20_000 {
            let a = day(None);
            dates.push(a);
            dates.push(day(Some(a)));
        }
        dates.sort();
        for w in dates.windows(2) {
            assert_eq!(
                day_key(w[0]).cmp(&day_key(w[1])),
                w[0].cmp(&w[1]),
                "{} {}",
                w[0],
                w[1]
            );
        }
        let year = |y| NaiveDate::from_ymd_opt(y, 1, 1).map(day_key).unwrap_or(0);
        assert_eq!(year(2027) - year(2026), 366);
        let last = day_key(hi).checked_mul(2).and_then(|k| k.checked_add(1));
        assert!(
            last.is_some(),
            "the sort's buckets (twice a key, plus one) fit a u32"
        );
    }
}
