//! The commission engine: what each rep and manager earns for a period under an
//! effective-dated plan, line by line, with the reason for every number.
//!
//! A [`ComputeSpec`] holds the plans, the payees (with quotas, employment ranges,
//! managers and draw balances), the credits (sales and credit notes, split and in any
//! currency), the clawback events, the exchange rates and the statement period. It is
//! checked once into a [`Compute`] whose invariants then hold, and [`compute`] turns it
//! into one [`Statement`] per payee.
//!
//! The engine is pure: no clock (every date is an argument), no I/O, exact decimals
//! only, checked arithmetic (an overflow is an [`Error::Overflow`], never a panic).
//!
//! - [`plan`]: plan documents and their validation;
//! - [`tiers`]: band, marginal, retroactive and interpolated tables;
//! - [`credit`]: splits, currency conversion, timing of release;
//! - [`statement`]: lines, totals, rounding;
//! - [`clawback`]: refund, cancellation and churn events;
//! - [`draw`]: advances, guarantees and their recovery;
//! - [`recalc`]: adjustments when a closed period is recomputed.
//!
//! ```
//! use salesops::ops;
//! let input = r#"{"period":{"start":"2026-01-01","end":"2026-02-01"},
//!   "plans":[{"id":"ae","currency":"USD","versions":[{"id":"v1","effective":{"start":"2026-01-01"},
//!     "rules":[{"id":"base","type":"rate","rate":"5"}]}]}],
//!   "payees":[{"id":"ana","plan":"ae"}],
//!   "credits":[{"id":"inv-1","date":"2026-01-15","amount":{"amount":"1000.00","currency":"USD"},"payee":"ana"}]}"#;
//! let out = ops::call("commission.compute", input).unwrap();
//! assert!(out.contains(r#""payout":"50.00""#));
//! ```

pub mod clawback;
pub mod credit;
pub mod draw;
mod engine;
mod index;
pub(crate) mod num;
pub mod plan;
pub mod recalc;
pub mod statement;
pub mod tiers;

pub use clawback::{Event, EventSpec};
pub use credit::{Credit, CreditSpec};
pub use plan::{Plan, PlanSpec};
pub use statement::{Line, LineKind, Statement};

use crate::error::{Error, Result};
use crate::money::{Currency, Money, Rate, RateTable};
use crate::period::DateRange;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A payee as written by the host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PayeeSpec {
    /// Payee id, referenced by credits and managers.
    pub id: String,
    /// The plan id.
    pub plan: String,
    /// Quota for the statement period, in the plan currency (prorated when `active`
    /// covers only part of the period).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<Money>,
    /// Quota for the (fiscal) year, for `year` tables (prorated by `active` days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_quota: Option<Money>,
    /// Employment `[start, end)`; quotas and draws are prorated by its days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<DateRange>,
    /// The payee's manager, for overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// Recoverable draw balance carried in (≥ 0; default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draw_balance: Option<Decimal>,
}

/// A validated payee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payee {
    /// Id.
    pub id: String,
    /// Index of the plan.
    pub plan: usize,
    /// Period quota.
    pub quota: Option<Decimal>,
    /// Annual quota.
    pub annual_quota: Option<Decimal>,
    /// Employment range.
    pub active: Option<DateRange>,
    /// Index of the manager.
    pub manager: Option<usize>,
    /// Draw balance carried in.
    pub draw_balance: Decimal,
}

/// The input of [`compute`] as written by the host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ComputeSpec {
    /// The statement period `[start, end)`.
    pub period: DateRange,
    /// Plans.
    pub plans: Vec<PlanSpec>,
    /// Payees; one statement each, in this order.
    pub payees: Vec<PayeeSpec>,
    /// Credits, including earlier ones that give context (year-to-date totals, the
    /// originals of clawed-back credits).
    #[serde(default)]
    pub credits: Vec<CreditSpec>,
    /// Refund, cancellation and churn events.
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// Exchange rates for credits in other currencies.
    #[serde(default)]
    pub rates: Vec<Rate>,
    /// How many threads [`compute`] may use (default 1: the library starts none unless
    /// asked). The statements are the same for any value; where threads cannot be
    /// started (WebAssembly), one is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
}

/// A validated [`ComputeSpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compute {
    /// The statement period.
    pub period: DateRange,
    /// Plans.
    pub plans: Vec<Plan>,
    /// Payees.
    pub payees: Vec<Payee>,
    /// Credits.
    pub credits: Vec<Credit>,
    /// Events.
    pub events: Vec<Event>,
    /// Rates.
    pub rates: RateTable,
    /// Threads [`compute`] may use (at least 1).
    pub threads: usize,
    /// How many shares of the credits each payee holds, counted while the credits were
    /// checked: what the index sizes each payee's vector by, without reading every
    /// credit a second time. A hint only (credits changed since are indexed all the
    /// same, into vectors that grow).
    shares: Vec<usize>,
}

fn quota_in(m: Option<Money>, currency: Currency, field: &str) -> Result<Option<Decimal>> {
    match m {
        None => Ok(None),
        Some(m) => {
            m.expect_currency(currency, &format!("{field}.currency"))?;
            if m.amount <= Decimal::ZERO {
                return Err(Error::invalid(
                    format!("{field}.amount"),
                    "a quota must be above zero",
                ));
            }
            Ok(Some(m.amount))
        }
    }
}

impl Compute {
    /// Check a spec; errors name the field from the document root
    /// (`plans[0].versions[1].rules[2].table.tiers[1].from`, `credits[4].splits`).
    pub fn new(spec: ComputeSpec) -> Result<Compute> {
        let mut plans: Vec<Plan> = Vec::with_capacity(spec.plans.len());
        for (i, p) in spec.plans.into_iter().enumerate() {
            let at = format!("plans[{i}]");
            if plans.iter().any(|x| x.id == p.id) {
                return Err(Error::invalid(
                    format!("{at}.id"),
                    format!("duplicate plan `{}`", p.id),
                ));
            }
            plans.push(Plan::new(p).map_err(|e| e.within(&at))?);
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, p) in spec.payees.iter().enumerate() {
            if p.id.is_empty() || index.insert(p.id.as_str(), i).is_some() {
                return Err(Error::invalid(
                    format!("payees[{i}].id"),
                    format!("`{}` is empty or repeated", p.id),
                ));
            }
        }
        let mut payees = Vec::with_capacity(spec.payees.len());
        for (i, p) in spec.payees.iter().enumerate() {
            let at = |f: &str| format!("payees[{i}].{f}");
            let plan = plans
                .iter()
                .position(|x| x.id == p.plan)
                .ok_or_else(|| Error::not_found(at("plan"), format!("no plan `{}`", p.plan)))?;
            let currency = plans[plan].currency;
            let manager =
                match &p.manager {
                    None => None,
                    Some(m) => Some(*index.get(m.as_str()).ok_or_else(|| {
                        Error::not_found(at("manager"), format!("no payee `{m}`"))
                    })?),
                };
            let draw_balance = p.draw_balance.unwrap_or_default();
            if num::is_negative(draw_balance) {
                return Err(Error::invalid(
                    at("draw_balance"),
                    "a draw balance is what the payee owes; it must not be negative",
                ));
            }
            payees.push(Payee {
                id: p.id.clone(),
                plan,
                quota: quota_in(p.quota, currency, &at("quota"))?,
                annual_quota: quota_in(p.annual_quota, currency, &at("annual_quota"))?,
                active: p.active,
                manager,
                draw_balance,
            });
        }
        // The manager relation must be a forest: walking up from anyone ends.
        for (i, _) in payees.iter().enumerate() {
            let mut seen = 0;
            let mut at = payees[i].manager;
            while let Some(m) = at {
                seen += 1;
                if m == i || seen > payees.len() {
                    return Err(Error::invalid(
                        format!("payees[{i}].manager"),
                        "the manager chain loops back to this payee",
                    ));
                }
                at = payees[m].manager;
            }
        }
        let mut credits = Vec::with_capacity(spec.credits.len());
        let mut shares = vec![0usize; payees.len()];
        for (i, c) in spec.credits.into_iter().enumerate() {
            let credit = Credit::new(c, &index).map_err(|e| e.within(&format!("credits[{i}]")))?;
            for (p, _) in &credit.splits {
                if let Some(n) = shares.get_mut(*p) {
                    *n += 1;
                }
            }
            credits.push(credit);
        }
        let mut by_id: HashMap<&str, (usize, Money, chrono::NaiveDate)> =
            HashMap::with_capacity(credits.len());
        for (i, c) in credits.iter().enumerate() {
            if by_id.insert(c.id.as_str(), (i, c.amount, c.date)).is_some() {
                return Err(Error::invalid(
                    format!("credits[{i}].id"),
                    format!("duplicate credit `{}`", c.id),
                ));
            }
        }
        let mut events = Vec::with_capacity(spec.events.len());
        for (i, e) in spec.events.iter().enumerate() {
            events.push(Event::new(e, &by_id).map_err(|e| e.within(&format!("events[{i}]")))?);
        }
        let rates = RateTable::new(spec.rates)?;
        let threads = match spec.threads {
            None => 1,
            Some(n @ 1..=MAX_THREADS) => n,
            Some(n) => {
                return Err(Error::invalid(
                    "threads",
                    format!("{n} threads: give 1 to {MAX_THREADS}"),
                ));
            }
        };
        Ok(Compute {
            threads,
            period: spec.period,
            plans,
            payees,
            credits,
            events,
            rates,
            shares,
        })
    }
}

/// The name a unit variant has in JSON (`"retro"`, `"period"`): what notes and errors
/// print, so that they use the documents' words.
pub(crate) fn name_of<T: serde::Serialize>(x: T) -> String {
    serde_json::to_value(x)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The most threads a computation may ask for.
const MAX_THREADS: usize = 256;

/// One statement per payee, in the order of `input.payees`.
///
/// With `threads` above 1 the payees are shared among that many threads (the calling
/// one included), a block at a time; the statements, and the error when there is one,
/// are those of computing them one after the other.
///
/// Errors: a credit dated in the period (or its year-to-date context) when no version
/// of the payee's plan is in force (`not_found` naming `credits[i].date`), a missing
/// exchange rate (`not_found`), an attainment rule for a payee without a quota
/// (`invalid_input` naming `payees[i].quota`), and overflow.
pub fn compute(input: &Compute) -> Result<Vec<Statement>> {
    let mut index = index::Index::new(input, input.threads)?;
    // Each payee's shares are read by its own walks only: a block of payees takes its
    // shares along to whichever thread computes it, which frees them statement by
    // statement.
    let n = input.payees.len();
    let block = n.div_ceil(input.threads * 8).clamp(1, 64);
    let mut entries = std::mem::take(&mut index.entries).into_iter();
    let blocks: Vec<(usize, Vec<Vec<Vec<index::Entry>>>)> = (0..n)
        .step_by(block)
        .map(|start| (start, entries.by_ref().take(block).collect()))
        .collect();
    let done = crate::parallel::map(blocks, input.threads, |(start, parts)| {
        (start..)
            .zip(parts)
            .map(|(p, parts)| engine::statement(input, &index, index::Entries::new(&parts), p))
            .collect::<Result<Vec<Statement>>>()
    })?;
    let mut out = Vec::with_capacity(n);
    for statements in done {
        out.extend(statements?);
    }
    Ok(out)
}
