//! Recalculation: what changes when a closed period is computed again.
//!
//! A statement that was issued is never rewritten. When a period is recomputed (late
//! credits, corrected splits, a changed plan version), this module compares the earlier
//! statements with the new ones line by line and yields **adjustment lines**: for each
//! line key (kind, rule, version, credit, deal, tier) the difference between what is now
//! due and what was stated. Unchanged inputs give no adjustment at all. It never decides
//! amounts itself; it only subtracts.

use super::num;
use super::statement::{Id, LineKind, Statement};
use crate::error::{Error, Result};
use crate::period::DateRange;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One adjustment: what a line key was, what it is now, and the difference to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentLine {
    /// The kind of the adjusted lines.
    pub kind: LineKind,
    /// Rule id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Id>,
    /// Plan version id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Id>,
    /// Source credit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Id>,
    /// Deal id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<Id>,
    /// Tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<usize>,
    /// The amount the earlier statement showed for this key.
    pub previous: Decimal,
    /// The amount due now.
    pub current: Decimal,
    /// `current − previous`.
    pub amount: Decimal,
}

/// The adjustments of one payee's statement for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Payee id.
    pub payee: String,
    /// The recomputed period.
    pub period: DateRange,
    /// The adjustment lines.
    pub lines: Vec<AdjustmentLine>,
    /// Their sum: the new payout minus the old.
    pub total: Decimal,
}

type Key = (
    LineKind,
    Option<Id>,
    Option<Id>,
    Option<Id>,
    Option<Id>,
    Option<usize>,
);

/// Sums per key, in order of first appearance, with an index by key.
/// Per-key sums in order of first appearance, and where each key is.
type Sums = (Vec<(Key, Decimal)>, HashMap<Key, usize>);

fn sums(s: Option<&Statement>) -> Result<Sums> {
    let mut out: Vec<(Key, Decimal)> = Vec::new();
    let mut at: HashMap<Key, usize> = HashMap::new();
    for l in s.map(|s| s.lines.as_slice()).unwrap_or_default() {
        let key = (
            l.kind,
            l.rule.clone(),
            l.version.clone(),
            l.credit.clone(),
            l.deal.clone(),
            l.tier,
        );
        match at.get(&key) {
            Some(&i) => out[i].1 = num::add(out[i].1, l.amount, "lines")?,
            None => {
                at.insert(key.clone(), out.len());
                out.push((key, l.amount));
            }
        }
    }
    Ok((out, at))
}

/// Adjustments taking `previous` statements to `current` ones (matched by payee). Only
/// payees with a non-zero difference on some line key appear.
///
/// Errors: an earlier statement for another period (`invalid_input` naming
/// `previous.statements[i].period`) or in another currency (`currency_mismatch`).
pub fn adjustments(previous: &[Statement], current: &[Statement]) -> Result<Vec<Adjustment>> {
    let mut out = Vec::new();
    let mut payees: Vec<&str> = current.iter().map(|s| s.payee.as_str()).collect();
    for (i, s) in previous.iter().enumerate() {
        if let Some(now) = current.iter().find(|c| c.payee == s.payee) {
            if now.period != s.period {
                return Err(Error::invalid(
                    format!("previous.statements[{i}].period"),
                    format!(
                        "this statement is for [{}, {}), not the recomputed period [{}, {})",
                        s.period.start, s.period.end, now.period.start, now.period.end
                    ),
                ));
            }
            if now.currency != s.currency {
                return Err(Error::CurrencyMismatch {
                    field: format!("previous.statements[{i}].currency"),
                    expected: now.currency.code().to_string(),
                    found: s.currency.code().to_string(),
                });
            }
        }
        if !payees.contains(&s.payee.as_str()) {
            payees.push(s.payee.as_str());
        }
    }
    for payee in payees {
        let old = previous.iter().find(|s| s.payee == payee);
        let new = current.iter().find(|s| s.payee == payee);
        let (old_sums, old_at) = sums(old)?;
        let (new_sums, new_at) = sums(new)?;
        let mut keys: Vec<&Key> = old_sums.iter().map(|(k, _)| k).collect();
        keys.extend(
            new_sums
                .iter()
                .map(|(k, _)| k)
                .filter(|k| !old_at.contains_key(*k)),
        );
        let get = |v: &[(Key, Decimal)], at: &HashMap<Key, usize>, k: &Key| {
            at.get(k).map_or(Decimal::ZERO, |&i| v[i].1)
        };
        let mut lines = Vec::new();
        for k in keys {
            let (p, c) = (get(&old_sums, &old_at, k), get(&new_sums, &new_at, k));
            let amount = num::sub(c, p, "lines")?;
            if amount.is_zero() {
                continue;
            }
            lines.push(AdjustmentLine {
                kind: k.0,
                rule: k.1.clone(),
                version: k.2.clone(),
                credit: k.3.clone(),
                deal: k.4.clone(),
                tier: k.5,
                previous: p,
                current: c,
                amount,
            });
        }
        if lines.is_empty() {
            continue;
        }
        let total = num::sum(lines.iter().map(|l| &l.amount), "lines")?;
        let period = match (new, old) {
            (Some(s), _) | (None, Some(s)) => s.period,
            (None, None) => continue,
        };
        out.push(Adjustment {
            payee: payee.to_string(),
            period,
            lines,
            total,
        });
    }
    Ok(out)
}
