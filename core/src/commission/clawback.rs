//! Clawbacks: taking back pay for a sale that was refunded, cancelled or churned.
//!
//! This module decides what an event looks like, which share of the credit it takes
//! back, and how an original line turns into its negative clawback line: in the period
//! of the event (never by rewriting the old statement), referencing the original credit,
//! rule and version, at the original rate or for the original amount as the plan's
//! policy says. Re-tiered clawbacks are walked through the tables by the engine like a
//! credit note. It never decides whether a clawback applies (window, policy); the engine
//! does, with the plan.

use super::num;
use super::statement::{Line, LineKind};
use crate::error::{Error, Result};
use crate::money::{Money, Rounding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What happened to the sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Money returned to the customer.
    Refund,
    /// The order or contract was cancelled.
    Cancellation,
    /// The customer left within the window.
    Churn,
}

/// An event as written by the host.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// The credit it concerns.
    pub credit: String,
    /// When it happened; its statement period carries the clawback.
    pub date: NaiveDate,
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// How much of the credit, in the credit's currency (all of it when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

/// A validated event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// Index of the credit.
    pub credit: usize,
    /// Date.
    pub date: NaiveDate,
    /// Kind.
    pub kind: EventKind,
    /// Share of the credit taken back, in (0, 1].
    pub fraction: Decimal,
}

impl Event {
    /// Check an event against the credits (`credits` maps id → (index, amount, date)).
    pub fn new(
        spec: &EventSpec,
        credits: &HashMap<&str, (usize, Money, NaiveDate)>,
    ) -> Result<Event> {
        let &(index, amount, date) = credits
            .get(spec.credit.as_str())
            .ok_or_else(|| Error::not_found("credit", format!("no credit `{}`", spec.credit)))?;
        if spec.date < date {
            return Err(Error::invalid(
                "date",
                format!("{} is before the credit's date {date}", spec.date),
            ));
        }
        let fraction = match spec.amount {
            None => Decimal::ONE,
            Some(m) => {
                m.expect_currency(amount.currency, "amount.currency")?;
                if amount.amount.is_zero()
                    || m.amount.is_zero()
                    || num::is_negative(m.amount) != num::is_negative(amount.amount)
                    || m.amount.abs() > amount.amount.abs()
                {
                    return Err(Error::invalid(
                        "amount",
                        format!(
                            "{} must be non-zero, of the credit's sign and at most its {}",
                            m.amount, amount.amount
                        ),
                    ));
                }
                num::div(m.amount, amount.amount, "amount")?
            }
        };
        Ok(Event {
            credit: index,
            date: spec.date,
            kind: spec.kind,
            fraction,
        })
    }
}

/// The clawback line for one original line: `−fraction` of its base and amount, in the
/// event's period, keeping the rule, version, rate and tier it was earned under.
pub fn reverse(original: &Line, event: &Event, mode: Rounding, scale: Option<u32>) -> Result<Line> {
    let neg = -event.fraction;
    let base = original
        .base
        .map(|b| num::mul(b, neg, "base"))
        .transpose()?;
    let exact = num::mul(original.amount, neg, "amount")?;
    let amount = match scale {
        Some(s) => mode.apply(exact, s),
        None => exact.normalize(),
    };
    let kind = match event.kind {
        EventKind::Refund => "refund",
        EventKind::Cancellation => "cancellation",
        EventKind::Churn => "churn",
    };
    let mut l = original.clone();
    l.kind = LineKind::Clawback;
    // The base keeps the unit it was shown in (cents of money, units of quantity).
    l.base = base.map(|b| num::show(b, original.base.map_or(0, |o| o.scale())));
    l.amount = amount;
    l.date = Some(event.date);
    // Written piece by piece: a statement run writes one such note per clawback line.
    let percent = if event.fraction == Decimal::ONE {
        "100".to_owned()
    } else {
        num::mul(event.fraction, Decimal::ONE_HUNDRED, "fraction")?
            .normalize()
            .to_string()
    };
    let credit = original.credit.as_deref().unwrap_or("?");
    let mut note = String::with_capacity(80 + credit.len());
    for part in [kind, " of ", &percent, "% of credit ", credit, " earned "] {
        note.push_str(part);
    }
    match original.date {
        Some(d) => crate::period::push_date(&mut note, d),
        None => note.push('?'),
    }
    for part in [": reverses its ", &super::name_of(original.kind), " line"] {
        note.push_str(part);
    }
    l.note = Some(note);
    Ok(l)
}
