//! Which credits and events concern each payee, laid out for the walk.
//!
//! A payee's credits are spread over the whole input (one credit in a thousand, say), so
//! a walk that read each credit where it lies would miss the cache on nearly every one.
//! The index reads the credits once, in input order, and copies each payee's share of
//! each credit (its releases, the plan version in force, the ids its lines name) into
//! that payee's own vector: a walk then reads contiguous memory and goes back to the
//! credit itself only for what few lines need (filters, fixed amounts).

use super::Compute;
use super::credit::{Credit, Release, plain_releases, releases_into};
use super::plan::{PayOn, Plan};
use super::statement::Id;
use crate::error::Result;
use crate::money::Currency;
use chrono::NaiveDate;
use std::collections::HashMap;

/// One release of a payee's share of a credit: what the walk needs to rate it and to
/// name it on a line.
#[derive(Debug, Clone)]
pub(super) struct Share {
    /// The release, in the plan currency.
    pub r: Release,
    /// The plan version in force on the credit's date.
    pub vi: usize,
    /// The credit's id.
    pub id: Id,
    /// The credit's deal, when it names one other than itself.
    pub deal: Option<Id>,
}

impl Share {
    pub(super) fn of(r: Release, vi: usize, credit: &Credit) -> Share {
        Share {
            r,
            vi,
            id: credit.id.clone(),
            deal: (credit.deal != credit.id).then(|| credit.deal.clone()),
        }
    }
}

/// What the index found for one credit of a payee, in input order.
#[derive(Debug, Clone)]
pub(super) enum Entry {
    /// One release of the payee's share (a credit has none, one, or one per payment).
    Release(Share),
    /// No version of the payee's plan is in force on the credit's date: an error only if
    /// a walk's range reaches the credit, which the walk decides.
    Unversioned { credit: usize, date: NaiveDate },
    /// Releasing the share failed (a missing rate, an amount too large to split). The
    /// walk releases it again to report the error where it always has: in payee order.
    Failed {
        credit: usize,
        pos: usize,
        vi: usize,
    },
}

/// One payee's entries as the index built them: one vector per range of credits, read
/// one after the other (that is the input order). Read in place: joining them would copy
/// every share once more when the index was built on several threads.
#[derive(Clone, Copy)]
pub(super) struct Entries<'a> {
    /// The first part: with one thread, the only one.
    first: &'a [Entry],
    rest: &'a [Vec<Entry>],
}

impl<'a> Entries<'a> {
    pub(super) fn new(parts: &'a [Vec<Entry>]) -> Entries<'a> {
        match parts.split_first() {
            Some((first, rest)) => Entries { first, rest },
            None => Entries {
                first: &[],
                rest: &[],
            },
        }
    }

    /// How many entries there are.
    pub(super) fn len(self) -> usize {
        self.first.len() + self.rest.iter().map(Vec::len).sum::<usize>()
    }

    /// The parts, in order.
    pub(super) fn parts(self) -> impl Iterator<Item = &'a [Entry]> {
        std::iter::once(self.first).chain(self.rest.iter().map(Vec::as_slice))
    }
}

/// Which credits and events concern each payee, built once per computation.
pub(super) struct Index {
    /// Credit indices per payee, in input order; empty unless some plan has team
    /// overrides (the only rules that read them).
    pub by_payee: Vec<Vec<usize>>,
    /// Each payee's shares of its credits, in input order: one vector per range of
    /// credits the index was built in, to be read one after the other.
    pub entries: Vec<Vec<Vec<Entry>>>,
    /// Event indices per payee (events on credits the payee is credited on).
    pub events_by_payee: Vec<Vec<usize>>,
    /// Event indices per credit.
    pub events_by_credit: HashMap<usize, Vec<usize>>,
}

impl Index {
    /// The index, built on up to `threads` threads: each takes a contiguous range of
    /// the credits (a payee's shares stay in input order: range after range).
    // Not inlined into `compute`, so that a profile shows the index phase on its own.
    #[inline(never)]
    pub(super) fn new(c: &Compute, threads: usize) -> Result<Index> {
        let n = c.credits.len();
        // Below this many credits a range is not worth a thread.
        const RANGE: usize = 50_000;
        Index::in_parts(c, threads.min(n / RANGE).max(1))
    }

    /// The index, the credits cut into `parts` ranges built on as many threads.
    fn in_parts(c: &Compute, parts: usize) -> Result<Index> {
        let n = c.credits.len();
        let ranges = (0..parts)
            .map(|k| k * n / parts..(k + 1) * n / parts)
            .collect();
        let shares = crate::parallel::map(ranges, parts, |r| Shares::of(c, true, r))?;
        Ok(Index::from_shares(c, shares))
    }

    /// The index in one range, with the common credits taken by [`index_plain`] when
    /// `plain` (the property test compares the two).
    #[cfg(test)]
    fn build(c: &Compute, plain: bool) -> Index {
        Index::from_shares(c, vec![Shares::of(c, plain, 0..c.credits.len())])
    }

    /// The index of the credits' shares, range by range, and of the events.
    fn from_shares(c: &Compute, ranges: Vec<Shares>) -> Index {
        let mut by_payee: Vec<Vec<usize>> = vec![Vec::new(); c.payees.len()];
        let mut entries: Vec<Vec<Vec<Entry>>> = vec![Vec::new(); c.payees.len()];
        for r in ranges {
            for (p, (list, e)) in r.by_payee.into_iter().zip(r.entries).enumerate() {
                if let (Some(all), Some(parts)) = (by_payee.get_mut(p), entries.get_mut(p)) {
                    if all.is_empty() {
                        *all = list;
                    } else {
                        all.extend(list);
                    }
                    parts.push(e);
                }
            }
        }
        let mut events_by_payee = vec![Vec::new(); c.payees.len()];
        // Sized for one credit per event (refunds rarely share a credit): no rehashing.
        let mut events_by_credit: HashMap<usize, Vec<usize>> =
            HashMap::with_capacity(c.events.len());
        for (i, e) in c.events.iter().enumerate() {
            events_by_credit.entry(e.credit).or_default().push(i);
            if let Some(credit) = c.credits.get(e.credit) {
                for (p, _) in &credit.splits {
                    if let Some(v) = events_by_payee.get_mut(*p) {
                        v.push(i);
                    }
                }
            }
        }
        Index {
            by_payee,
            entries,
            events_by_payee,
            events_by_credit,
        }
    }
}

/// Each payee's shares of the credits in one range of the input.
struct Shares {
    /// Credit indices per payee, in input order.
    by_payee: Vec<Vec<usize>>,
    /// Entries per payee, in input order.
    entries: Vec<Vec<Entry>>,
}

impl Shares {
    fn of(c: &Compute, plain: bool, range: std::ops::Range<usize>) -> Shares {
        let credits = c.credits.get(range.clone()).unwrap_or_default();
        // Sized first (a share usually has one release), so that no payee's vector
        // grows by doubling and leaves half of it unused: by the payee's shares counted
        // when the credits were checked, this range's part of them (a range of the
        // input holds about its part of everyone's credits; a vector that fills up
        // grows as any does).
        let (part, n) = (credits.len(), c.credits.len().max(1));
        let shares: Vec<usize> = (0..c.payees.len())
            .map(|p| {
                let k = c.shares.get(p).copied().unwrap_or(0);
                // All of them when the product would not fit (32-bit targets).
                k.checked_mul(part).map_or(k, |x| x / n)
            })
            .collect();
        // Only team overrides read which credits each payee holds: without them the
        // lists stay empty (1.2 M indices and their pages, at a million credits).
        let listed = c.plans.iter().any(Plan::has_overrides);
        let mut by_payee: Vec<Vec<usize>> = shares
            .iter()
            .map(|&n| Vec::with_capacity(if listed { n } else { 0 }))
            .collect();
        // Each payee's block is freed once its statement is written, while later payees'
        // lines are being allocated: a line (208 bytes, about 1.06 per share) needs 1.5
        // times a share's 144. Sized at 1.6 times its shares, a freed block can hold a
        // later payee's lines, and the allocator hands it back instead of fresh pages
        // (a third faster at a million credits with glibc); the part never written is
        // address space, not memory.
        let out = shares
            .iter()
            .map(|&n| Vec::with_capacity(n * 8 / 5 + 8))
            .collect();
        let mut entries = Staged::new(out, &shares);
        // Each plan's currency and scale, read once rather than once per share.
        let units: Vec<(Currency, u32)> = c.plans.iter().map(|p| (p.currency, p.scale())).collect();
        let mut rels = Vec::new();
        for (i, credit) in (range.start..).zip(credits) {
            let lists = listed.then_some(&mut by_payee[..]);
            if plain && index_plain(c, &units, i, credit, lists, &mut entries, &mut rels) {
                continue;
            }
            for pos in 0..credit.splits.len() {
                let Some(&(p, _)) = credit.splits.get(pos) else {
                    continue;
                };
                if c.payees.get(p).is_none() {
                    continue;
                }
                let Some(out) = entries.stage(p) else {
                    continue;
                };
                if let Some(list) = by_payee.get_mut(p).filter(|_| listed) {
                    list.push(i);
                }
                index_share(c, i, credit, pos, &mut rels, out);
            }
        }
        Shares {
            by_payee,
            entries: entries.finish(),
        }
    }
}

/// Each payee's entries, written through a small stage per payee.
///
/// A range's credits go to a thousand payees in turn, so each entry lands in a different
/// payee's vector, on cache lines no one has touched since the last computation. Written
/// there field by field, a few entries fill the store buffer while their lines are
/// fetched, and the index ran at half the walk's instructions per cycle. A stage of a few
/// entries per payee stays in cache and is moved on, when full, in one copy of whole
/// lines, which keeps many fetches in flight: at a million credits and a thousand payees,
/// a fifth less time for the whole computation.
struct Staged {
    out: Vec<Vec<Entry>>,
    /// Empty, unless the payee is staged and has had an entry.
    stages: Vec<Vec<Entry>>,
    /// Which payees are staged: those expecting many entries in this range (a stage
    /// only delays the few entries of the others).
    staged: Vec<bool>,
    /// Entries a stage holds before it moves on.
    depth: usize,
}

impl Staged {
    /// The most entries a stage holds: past sixteen (2.3 KB), a deeper stage measured no
    /// faster.
    const DEPTH: usize = 16;
    /// Below this depth a stage measured slower than none.
    const SHALLOWEST: usize = 4;
    /// What the stages may take per range, so that they stay in cache.
    const BYTES: usize = 8 << 20;

    /// The stages for `out`, the payees expecting `shares` entries each.
    fn new(out: Vec<Vec<Entry>>, shares: &[usize]) -> Staged {
        let staged: Vec<bool> = shares.iter().map(|&n| n >= 4 * Self::DEPTH).collect();
        let many = staged.iter().filter(|&&s| s).count().max(1);
        let depth = (Self::BYTES / size_of::<Entry>() / many).min(Self::DEPTH);
        let depth = if depth < Self::SHALLOWEST || !stages_open() {
            0
        } else {
            depth
        };
        Staged {
            stages: out.iter().map(|_| Vec::new()).collect(),
            out,
            staged,
            depth,
        }
    }

    /// Where payee `p`'s next entries go: its stage, with room for one more (more are
    /// kept, in order, until the next call), or its vector when it is not staged.
    fn stage(&mut self, p: usize) -> Option<&mut Vec<Entry>> {
        let out = self.out.get_mut(p)?;
        if self.depth == 0 || !self.staged.get(p).copied().unwrap_or(false) {
            return Some(out);
        }
        let stage = self.stages.get_mut(p)?;
        if stage.len() >= self.depth {
            out.append(stage);
        } else if stage.capacity() == 0 {
            stage.reserve_exact(self.depth);
        }
        Some(stage)
    }

    /// Every payee's entries, in the order they came.
    fn finish(mut self) -> Vec<Vec<Entry>> {
        for (out, stage) in self.out.iter_mut().zip(&mut self.stages) {
            out.append(stage);
        }
        self.out
    }
}

#[cfg(not(test))]
#[inline(always)]
fn stages_open() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    /// Tests close the stages to compare the index with and without them.
    static STAGES: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

#[cfg(test)]
fn stages_open() -> bool {
    STAGES.with(std::cell::Cell::get)
}

/// Index split position `pos` of credit `i` (credited to a payee that exists) through
/// the general path: [`releases_into`], or the entry saying why it gave nothing.
fn index_share(
    c: &Compute,
    i: usize,
    credit: &Credit,
    pos: usize,
    rels: &mut Vec<Release>,
    out: &mut Vec<Entry>,
) {
    let Some(payee) = credit.splits.get(pos).and_then(|(p, _)| c.payees.get(*p)) else {
        return;
    };
    let plan = &c.plans[payee.plan];
    let Some(vi) = plan.version_at(credit.date) else {
        out.push(Entry::Unversioned {
            credit: i,
            date: credit.date,
        });
        return;
    };
    rels.clear();
    let pay_on = plan.versions[vi].pay_on;
    if releases_into(i, credit, plan, pay_on, &c.rates, &[pos], rels).is_err() {
        out.push(Entry::Failed { credit: i, pos, vi });
        return;
    }
    out.extend(
        rels.iter()
            .map(|&r| Entry::Release(Share::of(r, vi, credit))),
    );
}

/// Index every share of credit `i` when it is a common one: all its payees under one
/// plan, a version in force, paid on booking or invoice, and [`plain_releases`] taking
/// it. False, with nothing indexed, for any other credit.
fn index_plain(
    c: &Compute,
    units: &[(Currency, u32)],
    i: usize,
    credit: &Credit,
    mut by_payee: Option<&mut [Vec<usize>]>,
    entries: &mut Staged,
    rels: &mut Vec<Release>,
) -> bool {
    let splits = &credit.splits[..];
    let Some(plan_ix) = splits
        .first()
        .and_then(|(p, _)| c.payees.get(*p))
        .map(|p| p.plan)
    else {
        return false;
    };
    // All under one plan: one version, one currency and scale, one split for them all.
    let one_plan = splits
        .iter()
        .all(|(p, _)| c.payees.get(*p).is_some_and(|x| x.plan == plan_ix));
    if !one_plan {
        return false;
    }
    let (Some(plan), Some(&(currency, scale))) = (c.plans.get(plan_ix), units.get(plan_ix)) else {
        return false;
    };
    let Some(vi) = plan.version_at(credit.date) else {
        return false;
    };
    let date = match plan.versions[vi].pay_on {
        PayOn::Booking => Some(credit.date),
        PayOn::Invoice => credit.invoice_date,
        PayOn::Payment => return false,
    };
    let deal = (credit.deal != credit.id).then(|| credit.deal.clone());
    plain_releases(credit, currency, scale, |pos, p, part| {
        let Some(out) = entries.stage(p) else {
            return;
        };
        if let Some(list) = by_payee.as_deref_mut().and_then(|b| b.get_mut(p)) {
            list.push(i);
        }
        let Some(part) = part else {
            index_share(c, i, credit, pos, rels, out);
            return;
        };
        // Released on booking or on the invoice date; not yet without an invoice date.
        if let Some(date) = date {
            // Built where it is stored (`push` builds the entry aside and copies it).
            out.extend(std::iter::once_with(|| {
                Entry::Release(Share {
                    r: part.release(i, date),
                    vi,
                    id: credit.id.clone(),
                    deal: deal.clone(),
                })
            }));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commission::ComputeSpec;
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use serde_json::{Value, json};

    /// A decimal's 16 bytes: value, scale and sign, which lines print.
    fn bits(d: Decimal) -> [u8; 16] {
        d.serialize()
    }

    fn key(e: &Entry) -> String {
        match e {
            Entry::Release(s) => {
                let r = &s.r;
                format!(
                    "R {} {} {} {:?} {:?} {:?} {:?} {:?} {} {} {:?}",
                    r.credit,
                    r.date,
                    r.seq,
                    bits(r.revenue),
                    bits(r.cost),
                    bits(r.quantity),
                    bits(r.percent),
                    r.fx.map(|f| (bits(f.rate), f.effective)),
                    s.vi,
                    s.id.as_str(),
                    s.deal.as_ref().map(Id::as_str),
                )
            }
            Entry::Unversioned { credit, date } => format!("U {credit} {date}"),
            Entry::Failed { credit, pos, vi } => format!("F {credit} {pos} {vi}"),
        }
    }

    fn dec(m: i128, scale: u32) -> String {
        Decimal::from_i128_with_scale(m, scale).to_string()
    }

    const CURRENCIES: [&str; 3] = ["USD", "JPY", "EUR"];
    const PAY_ON: [&str; 3] = ["booking", "invoice", "payment"];

    /// One credit: (payees and percent tenths, amount, scale, currency, cost, quantity,
    /// invoice, payments, deal).
    type CreditGen = (
        Vec<(usize, u32)>,
        (i64, bool, u32, usize),
        (u8, i64),
        (u8, i64, u32),
        (bool, u8, bool),
    );

    fn credit() -> impl Strategy<Value = CreditGen> {
        (
            prop::collection::vec((0usize..6, 1u32..1000), 1..4),
            (any::<i64>(), any::<bool>(), 0u32..3, 0usize..3),
            (0u8..4, any::<i64>()),
            (0u8..4, 0i64..1000, 0u32..3),
            (any::<bool>(), 0u8..3, any::<bool>()),
        )
    }

    fn credit_json(i: usize, g: &CreditGen, wide: bool) -> Value {
        let (splits, (amount, big, scale, cur), (cost_kind, cost), (qk, q, qs), (inv, pays, deal)) =
            g;
        let cur = CURRENCIES[*cur];
        let unit = if cur == "JPY" { 0 } else { 2 };
        let scale = (*scale).min(unit);
        // Mostly cents; sometimes near the top of what a credit may carry.
        let mut m = i128::from(*amount % 10_000_000);
        if *big {
            m = i128::from(*amount) << 24;
        }
        let negative = m < 0;
        let sign = if negative { -1 } else { 1 };
        let mut c = json!({"id": format!("c{i}"), "date": format!("2026-0{}-1{}", 1 + i % 3, i % 10),
            "amount": {"amount": dec(m, scale), "currency": cur}});
        match cost_kind {
            1 => c["cost"] = json!({"amount": dec(0, 0), "currency": cur}),
            2 => c["cost"] = json!({"amount": dec(0, unit), "currency": cur}),
            3 => {
                c["cost"] = json!({"amount": dec(i128::from(*cost % 100_000).abs() * sign, unit), "currency": cur})
            }
            _ => {}
        }
        match qk {
            1 => c["quantity"] = json!(dec(0, *qs)),
            2 | 3 => c["quantity"] = json!(dec(i128::from(*q + 1) * sign, *qs)),
            _ => {}
        }
        if *inv {
            c["invoice_date"] = json!("2026-02-20");
        }
        if *pays > 0 && m != 0 {
            let part = (m.abs() / 3).max(1) * sign;
            let list: Vec<Value> = (0..*pays)
                .map(|k| json!({"date": format!("2026-03-0{}", k + 1), "amount": {"amount": dec(part, scale), "currency": cur}}))
                .collect();
            c["payments"] = Value::Array(list);
        }
        if *deal {
            c["deal"] = json!(format!("d{}", i % 4));
        }
        // Distinct payees; percent tenths made to add up to exactly 100 on the last one.
        let mut seen = Vec::new();
        for (p, t) in splits {
            if !seen.iter().any(|(q, _)| q == p) {
                seen.push((*p, *t));
            }
        }
        if wide {
            seen = (0..6).map(|p| (p, 100)).collect();
        }
        if seen.len() == 1 {
            c["payee"] = json!(format!("p{}", seen[0].0));
        } else {
            let mut left = 1000i128;
            let n = seen.len();
            let list: Vec<Value> = seen
                .iter()
                .enumerate()
                .map(|(k, (p, t))| {
                    let share = if k + 1 == n {
                        left
                    } else {
                        (i128::from(*t) % (left - (n - k - 1) as i128)).max(1)
                    };
                    left -= share;
                    // Whole percents when they are, tenths otherwise.
                    let pct = if share % 10 == 0 {
                        dec(share / 10, 0)
                    } else {
                        dec(share, 1)
                    };
                    json!({"payee": format!("p{p}"), "percent": pct})
                })
                .collect();
            c["splits"] = Value::Array(list);
        }
        c
    }

    fn doc(plans: &[(usize, usize)], owner: &[usize], credits: &[CreditGen], wide: usize) -> Value {
        let plans: Vec<Value> = plans
            .iter()
            .enumerate()
            .map(|(k, (cur, pay))| {
                // Team overrides on some plans: then the index lists each payee's credits.
                let rules = if k % 2 == 1 {
                    json!([{"id": "team", "type": "override", "rate": "2"}])
                } else {
                    json!([])
                };
                let mut versions = vec![json!({"id": "a", "effective": {"start": "2026-01-01", "end": "2026-02-15"},
                    "pay_on": PAY_ON[*pay], "rules": rules})];
                // The second version starts after a gap on some plans (no version in force).
                let start = if k % 2 == 0 { "2026-02-15" } else { "2026-02-18" };
                versions.push(json!({"id": "b", "effective": {"start": start},
                    "pay_on": PAY_ON[(*pay + k) % 3], "rules": []}));
                json!({"id": format!("plan{k}"), "currency": CURRENCIES[*cur], "versions": versions})
            })
            .collect();
        let payees: Vec<Value> = owner
            .iter()
            .enumerate()
            .map(
                |(p, k)| json!({"id": format!("p{p}"), "plan": format!("plan{}", k % plans.len())}),
            )
            .collect();
        let credits: Vec<Value> = credits
            .iter()
            .enumerate()
            .map(|(i, g)| credit_json(i, g, i == wide))
            .collect();
        json!({"period": {"start": "2026-01-01", "end": "2026-04-01"}, "plans": plans,
            "payees": payees, "credits": credits,
            "rates": [{"from": "EUR", "to": "USD", "rate": "1.0825", "effective": "2025-12-01"},
                      {"from": "USD", "to": "JPY", "rate": "151.37", "effective": "2026-02-01"}]})
    }

    /// An entry is written for every share of every credit (1.2 M at a million credits,
    /// to fresh pages): its size is a cost of the whole index.
    #[test]
    fn an_entry_stays_small() {
        assert!(
            std::mem::size_of::<Entry>() <= 144,
            "{}",
            std::mem::size_of::<Entry>()
        );
    }

    proptest! {
        /// The common credits indexed without `releases_into` give exactly the entries
        /// the general path gives, decimals bit for bit, in the same order.
        #[test]
        fn plain_credits_index_as_the_general_path(
            plans in prop::collection::vec((0usize..3, 0usize..3), 1..4),
            owner in prop::collection::vec(0usize..4, 6),
            credits in prop::collection::vec(credit(), 1..12),
            wide in 0usize..24,
        ) {
            let spec: ComputeSpec = serde_json::from_value(doc(&plans, &owner, &credits, wide))
                .expect("spec");
            // Amounts the generator makes too large for a credit are refused by the
            // checks; those inputs say nothing about the index.
            let Ok(c) = Compute::new(spec) else {
                return Ok(());
            };
            let (fast, general) = (Index::build(&c, true), Index::build(&c, false));
            // Each payee's credits are listed exactly when some plan pays overrides.
            let listed = c.plans.iter().any(Plan::has_overrides);
            prop_assert_eq!(general.by_payee.iter().any(|l| !l.is_empty()), listed);
            // Cut into ranges (on threads), the index reads the same.
            let cut = Index::in_parts(&c, 1 + wide % 4).expect("no job lost");
            prop_assert_eq!(&cut.by_payee, &general.by_payee);
            for (f, g) in cut.entries.iter().zip(&general.entries) {
                let (f, g): (Vec<String>, Vec<String>) =
                    (f.concat().iter().map(key).collect(), g.concat().iter().map(key).collect());
                prop_assert_eq!(f, g);
            }
            prop_assert_eq!(&fast.by_payee, &general.by_payee);
            prop_assert_eq!(&fast.events_by_payee, &general.events_by_payee);
            for (f, g) in fast.entries.iter().zip(&general.entries) {
                let (f, g) = (f.concat(), g.concat());
                let (f, g): (Vec<String>, Vec<String>) =
                    (f.iter().map(key).collect(), g.iter().map(key).collect());
                prop_assert_eq!(f, g);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// With enough credits for payees to be staged, the index holds the same entries
        /// in the same order as without stages.
        #[test]
        fn staged_index_is_the_unstaged_index(
            plans in prop::collection::vec((0usize..3, 0usize..3), 1..4),
            owner in prop::collection::vec(0usize..4, 6),
            credits in prop::collection::vec(credit(), 300..400),
        ) {
            let spec: ComputeSpec = serde_json::from_value(doc(&plans, &owner, &credits, usize::MAX))
                .expect("spec");
            let Ok(c) = Compute::new(spec) else {
                return Ok(());
            };
            prop_assert!(c.shares.iter().any(|&n| n >= 4 * Staged::DEPTH), "some payee is staged");
            let staged = Index::build(&c, true);
            STAGES.with(|s| s.set(false));
            let direct = Index::build(&c, true);
            STAGES.with(|s| s.set(true));
            for (f, g) in staged.entries.iter().zip(&direct.entries) {
                let (f, g): (Vec<String>, Vec<String>) =
                    (f.concat().iter().map(key).collect(), g.concat().iter().map(key).collect());
                prop_assert_eq!(f, g);
            }
        }
    }

    proptest! {
        /// A staged payee's entries come out in the order they went in, as an unstaged
        /// payee's do, however the calls interleave and however many entries a call adds.
        #[test]
        fn stages_keep_each_payees_order(
            calls in prop::collection::vec((0usize..3, 1usize..3), 0..400),
        ) {
            let day = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
            // Payees 0 and 1 expect many entries and are staged; payee 2 is not.
            let mut staged = Staged::new(vec![Vec::new(); 3], &[1_000, 100, 3]);
            prop_assert_eq!(staged.depth, Staged::DEPTH);
            prop_assert_eq!(&staged.staged, &vec![true, true, false]);
            let mut want = vec![Vec::new(); 3];
            for (n, (p, k)) in calls.into_iter().enumerate() {
                let stage = staged.stage(p).expect("a payee");
                for j in 0..k {
                    stage.push(Entry::Unversioned { credit: n * 2 + j, date: day });
                    want[p].push(n * 2 + j);
                }
            }
            let got: Vec<Vec<usize>> = staged
                .finish()
                .iter()
                .map(|v| v.iter().map(|e| match e {
                    Entry::Unversioned { credit, .. } => *credit,
                    _ => usize::MAX,
                }).collect())
                .collect();
            prop_assert_eq!(got, want);
        }
    }
}
