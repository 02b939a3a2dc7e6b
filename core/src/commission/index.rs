//! Which credits and events concern each payee, laid out for the walk.
//!
//! A payee's credits are spread over the whole input (one credit in a thousand, say), so
//! a walk that read each credit where it lies would miss the cache on nearly every one.
//! The index reads the credits once, in input order, and copies each payee's share of
//! each credit (its releases, the plan version in force, the ids its lines name) into
//! that payee's own vector: a walk then reads contiguous memory and goes back to the
//! credit itself only for what few lines need (filters, fixed amounts).

use super::Compute;
use super::credit::{Credit, Release, releases_into};
use super::statement::Id;
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
    /// The credit's (booking) date, which rule windows are checked against.
    pub booked: NaiveDate,
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
            booked: credit.date,
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

/// Which credits and events concern each payee, built once per computation.
pub(super) struct Index {
    /// Credit indices per payee, in input order.
    pub by_payee: Vec<Vec<usize>>,
    /// Each payee's shares of its credits, in input order.
    pub entries: Vec<Vec<Entry>>,
    /// Event indices per payee (events on credits the payee is credited on).
    pub events_by_payee: Vec<Vec<usize>>,
    /// Event indices per credit.
    pub events_by_credit: HashMap<usize, Vec<usize>>,
}

impl Index {
    pub(super) fn new(c: &Compute) -> Index {
        // Sized first (a share usually has one release), so that no payee's vector
        // grows by doubling and leaves half of it unused.
        let mut shares = vec![0usize; c.payees.len()];
        for credit in &c.credits {
            for (p, _) in &credit.splits {
                if let Some(n) = shares.get_mut(*p) {
                    *n += 1;
                }
            }
        }
        let mut by_payee: Vec<Vec<usize>> = shares.iter().map(|&n| Vec::with_capacity(n)).collect();
        let mut entries: Vec<Vec<Entry>> = shares.iter().map(|&n| Vec::with_capacity(n)).collect();
        let mut rels = Vec::new();
        for (i, credit) in c.credits.iter().enumerate() {
            for (pos, (p, _)) in credit.splits.iter().enumerate() {
                let (Some(list), Some(out), Some(payee)) =
                    (by_payee.get_mut(*p), entries.get_mut(*p), c.payees.get(*p))
                else {
                    continue;
                };
                list.push(i);
                let plan = &c.plans[payee.plan];
                let Some(vi) = plan.version_at(credit.date) else {
                    out.push(Entry::Unversioned {
                        credit: i,
                        date: credit.date,
                    });
                    continue;
                };
                rels.clear();
                let pay_on = plan.versions[vi].pay_on;
                if releases_into(i, credit, plan, pay_on, &c.rates, &[pos], &mut rels).is_err() {
                    out.push(Entry::Failed { credit: i, pos, vi });
                    continue;
                }
                out.extend(
                    rels.iter()
                        .map(|&r| Entry::Release(Share::of(r, vi, credit))),
                );
            }
        }
        let mut events_by_payee = vec![Vec::new(); c.payees.len()];
        let mut events_by_credit: HashMap<usize, Vec<usize>> = HashMap::new();
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
