//! Assignment: who gets a new lead or task, and the shared lead pool.
//!
//! This module decides, deterministically for the same inputs, which rep each new item
//! goes to under one strategy: round-robin (continuing after the last rep served),
//! territory (district first, then region), least open load, or product skill; ties go to
//! the lower open load and then to the rep listed first. Reps at capacity or unavailable
//! are skipped. It also decides claims from and releases to the shared lead pool (公海):
//! a rep may claim an unowned open lead while holding fewer than the limit. It never
//! draws a random number, never reads a clock and never stores the round-robin cursor
//! (the caller passes `last_assigned` back in).

use super::definition::Pipeline;
use super::record::Record;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How items are distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// In list order, continuing after `last_assigned`.
    RoundRobin,
    /// The rep covering the item's district, else its region.
    Territory,
    /// The rep with the fewest open items.
    LeastLoad,
    /// A rep with the item's product among their skills.
    Skill,
}

/// A rep who can receive items.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    /// Rep id.
    pub id: String,
    /// Regions covered.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Districts covered (more specific than regions).
    #[serde(default)]
    pub districts: Vec<String>,
    /// Products the rep is skilled in.
    #[serde(default)]
    pub skills: Vec<String>,
    /// Open items the rep holds now.
    #[serde(default)]
    pub open_load: u32,
    /// Most open items the rep may hold; unlimited when absent.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Whether the rep takes new items (on leave: false).
    #[serde(default = "yes")]
    pub available: bool,
}

fn yes() -> bool {
    true
}

/// An item to assign (a lead or a task).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignItem {
    /// Item id.
    pub id: String,
    /// Region.
    #[serde(default)]
    pub region: Option<String>,
    /// District.
    #[serde(default)]
    pub district: Option<String>,
    /// Product of interest.
    #[serde(default)]
    pub product: Option<String>,
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Item id.
    pub item: String,
    /// The rep, or `None` when no rep qualifies.
    pub rep: Option<String>,
    /// What decided it: `round_robin`, `least_load`, `district`, `region`, `skill`, or
    /// `none`.
    pub by: &'static str,
}

/// A rep's open load after the assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepLoad {
    /// Rep id.
    pub rep: String,
    /// Open items after this batch.
    pub open_load: u32,
}

/// The result of [`assign`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignOutcome {
    /// One decision per item, in item order.
    pub assignments: Vec<Assignment>,
    /// Each rep's load afterwards, in rep order.
    pub loads: Vec<RepLoad>,
    /// The last rep assigned: the next round-robin cursor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_assigned: Option<String>,
}

/// Assign `items` in order; each assignment adds one to the rep's load for the items
/// after it.
///
/// ```
/// use salesops::pipeline::{assign, AssignItem, Rep, Strategy};
/// let rep = |id: &str| Rep { id: id.into(), regions: vec![], districts: vec![], skills: vec![], open_load: 0, capacity: None, available: true };
/// let item = |id: &str| AssignItem { id: id.into(), region: None, district: None, product: None };
/// let out = assign(Strategy::RoundRobin, &[rep("ana"), rep("bo")], &[item("L1"), item("L2"), item("L3")], Some("ana")).unwrap();
/// let reps: Vec<_> = out.assignments.iter().map(|x| x.rep.clone().unwrap()).collect();
/// assert_eq!(reps, ["bo", "ana", "bo"]);
/// assert_eq!(out.last_assigned.as_deref(), Some("bo"));
/// ```
pub fn assign(
    strategy: Strategy,
    reps: &[Rep],
    items: &[AssignItem],
    last_assigned: Option<&str>,
) -> Result<AssignOutcome> {
    if reps.is_empty() {
        return Err(Error::invalid("reps", "give at least one rep"));
    }
    for (i, r) in reps.iter().enumerate() {
        if r.id.is_empty() || reps[..i].iter().any(|o| o.id == r.id) {
            return Err(Error::invalid(
                format!("reps[{i}].id"),
                "rep ids must be non-empty and distinct",
            ));
        }
    }
    let mut load: Vec<u32> = reps.iter().map(|r| r.open_load).collect();
    let eligible =
        |i: usize, load: &[u32]| reps[i].available && reps[i].capacity.is_none_or(|c| load[i] < c);
    // Round-robin starts after the last rep served; a cursor naming a rep no longer in the
    // list starts from the top.
    let mut cursor = last_assigned
        .and_then(|id| reps.iter().position(|r| r.id == id))
        .map_or(0, |p| p + 1);
    let mut last = last_assigned.map(str::to_string);
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let least = |cands: &mut dyn Iterator<Item = usize>, load: &[u32]| {
            cands
                .filter(|&i| eligible(i, load))
                .min_by_key(|&i| (load[i], i))
        };
        let (pick, by) = match strategy {
            Strategy::RoundRobin => {
                let n = reps.len();
                let pick = (0..n)
                    .map(|k| (cursor + k) % n)
                    .find(|&i| eligible(i, &load));
                if let Some(p) = pick {
                    cursor = p + 1;
                }
                (pick, "round_robin")
            }
            Strategy::LeastLoad => (least(&mut (0..reps.len()), &load), "least_load"),
            Strategy::Territory => {
                let by_district = item.district.as_ref().and_then(|d| {
                    least(
                        &mut (0..reps.len()).filter(|&i| reps[i].districts.contains(d)),
                        &load,
                    )
                });
                match by_district {
                    Some(p) => (Some(p), "district"),
                    None => match item.region.as_ref().and_then(|g| {
                        least(
                            &mut (0..reps.len()).filter(|&i| reps[i].regions.contains(g)),
                            &load,
                        )
                    }) {
                        Some(p) => (Some(p), "region"),
                        None => (None, "none"),
                    },
                }
            }
            Strategy::Skill => match item.product.as_ref().and_then(|p| {
                least(
                    &mut (0..reps.len()).filter(|&i| reps[i].skills.contains(p)),
                    &load,
                )
            }) {
                Some(p) => (Some(p), "skill"),
                None => (None, "none"),
            },
        };
        if let Some(p) = pick {
            load[p] = load[p].saturating_add(1);
            last = Some(reps[p].id.clone());
        }
        out.push(Assignment {
            item: item.id.clone(),
            rep: pick.map(|p| reps[p].id.clone()),
            by: if pick.is_some() { by } else { "none" },
        });
    }
    let loads = reps
        .iter()
        .zip(load)
        .map(|(r, l)| RepLoad {
            rep: r.id.clone(),
            open_load: l,
        })
        .collect();
    Ok(AssignOutcome {
        assignments: out,
        loads,
        last_assigned: last,
    })
}

/// How many pool leads a rep may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRules {
    /// Leads the rep holds now.
    pub held: u32,
    /// Most leads a rep may hold.
    pub limit: u32,
}

/// Claim an unowned open record from the shared pool for `rep` at `now`: the record gets
/// the owner and `last_activity_at = now` (a claim restarts the pool clock).
///
/// Refusals are `guard_failed`: `pool` at `record.stage` (terminal records are not in the
/// pool), `pool` at `record.owner` (someone owns it: two reps must not chase the same
/// customer), `claim_limit` at `held` (the rep holds the limit already).
pub fn claim(
    pipeline: &Pipeline,
    record: &Record,
    rep: &str,
    rules: ClaimRules,
    now: DateTime<Utc>,
) -> Result<Record> {
    if rep.is_empty() {
        return Err(Error::invalid("rep", "must not be empty"));
    }
    let pool = |field: &str, reason: String| Error::GuardFailed {
        guard: "pool".into(),
        field: field.into(),
        reason,
    };
    match pipeline.stage(record.stage()) {
        Some(s) if !s.kind.is_terminal() => {}
        _ => {
            return Err(pool(
                "record.stage",
                format!(
                    "`{}` is not an open stage; only open records sit in the pool",
                    record.stage()
                ),
            ));
        }
    }
    if let Some(owner) = &record.owner {
        return Err(pool("record.owner", format!("already owned by `{owner}`")));
    }
    if rules.held >= rules.limit {
        return Err(Error::GuardFailed {
            guard: "claim_limit".into(),
            field: "held".into(),
            reason: format!(
                "the rep holds {} of at most {} pool leads",
                rules.held, rules.limit
            ),
        });
    }
    if now < record.stage_entered_at() {
        return Err(Error::invalid(
            "now",
            format!("{now} is before the record's last move"),
        ));
    }
    let mut next = record.clone();
    next.owner = Some(rep.into());
    next.last_activity_at = Some(now);
    Ok(next)
}

/// Release an owned record back to the pool (the owner is cleared). `guard_failed`
/// `pool` at `record.owner` when nobody owns it.
pub fn release(record: &Record) -> Result<Record> {
    if record.owner.is_none() {
        return Err(Error::GuardFailed {
            guard: "pool".into(),
            field: "record.owner".into(),
            reason: "the record is already in the pool".into(),
        });
    }
    let mut next = record.clone();
    next.owner = None;
    Ok(next)
}
