//! Forecast: open pipeline and weighted pipeline by close period, from the records'
//! probabilities.
//!
//! This module decides what an open record contributes to a period's forecast: its
//! amount, and its amount × probability / 100 rounded half-even to the currency's minor
//! unit per record (the rounding point Odoo and EspoCRM use), grouped by the period of its
//! close date, its currency (amounts in different currencies are never summed) and, on
//! request, its owner. Won records are reported beside it as closed business. It never
//! converts currencies, never reads a clock and never guesses a close date: open or won
//! records without an amount or a close date are listed as unscheduled.

use super::definition::{Pipeline, StageKind};
use super::record::Record;
use crate::error::{Error, Result};
use crate::money::{Currency, Money, Rounding};
use crate::period::{Calendar, Period, PeriodKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One period × currency (× owner) of the forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForecastGroup {
    /// Period label (`2026-06`, `2026-Q3`).
    pub period: String,
    /// First day of the period.
    pub start: NaiveDate,
    /// First day after it.
    pub end: NaiveDate,
    /// The owner (`null`: unassigned); present only when grouping by owner.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Option<String>>,
    /// Open records closing in the period.
    pub count: u32,
    /// Their amounts, unweighted.
    pub amount: Money,
    /// Their amounts weighted by probability.
    pub weighted: Money,
    /// Won records closing in the period.
    pub won_count: u32,
    /// Their amounts.
    pub won_amount: Money,
}

#[derive(Default)]
struct Acc {
    count: u32,
    amount: Decimal,
    weighted: Decimal,
    won_count: u32,
    won_amount: Decimal,
}

type Key = (NaiveDate, Option<String>, Currency);

/// The forecast of `records` by `kind` periods of their close dates, in period, owner,
/// currency order, and the ids of open or won records without an amount or close date.
pub fn forecast(
    pipeline: &Pipeline,
    records: &[Record],
    kind: PeriodKind,
    calendar: &Calendar,
    by_owner: bool,
) -> Result<(Vec<ForecastGroup>, Vec<String>)> {
    let mut groups: BTreeMap<Key, (Period, Acc)> = BTreeMap::new();
    let mut unscheduled = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let at = format!("records[{i}]");
        let Some(stage) = pipeline.stage(r.stage()) else {
            return Err(Error::invalid(format!("{at}.stage"), "unknown stage"));
        };
        let won = match stage.kind {
            StageKind::Open => false,
            StageKind::Won => true,
            StageKind::Lost | StageKind::Closed => continue,
        };
        let (Some(amount), Some(close)) = (r.amount, r.close_date) else {
            unscheduled.push(r.id.to_string());
            continue;
        };
        let period = Period::containing(close, kind, calendar)
            .map_err(|e| e.within(&format!("{at}.close_date")))?;
        let owner = if by_owner {
            r.owner.as_deref().map(str::to_string)
        } else {
            None
        };
        let (_, acc) = groups
            .entry((period.start, owner, amount.currency))
            .or_insert_with(|| (period, Acc::default()));
        let overflow = || Error::overflow(format!("{at}.amount"), "the forecast sum does not fit");
        if won {
            acc.won_count += 1;
            acc.won_amount = acc
                .won_amount
                .checked_add(amount.amount)
                .ok_or_else(overflow)?;
        } else {
            let weighted = amount
                .checked_mul(Decimal::from(r.probability().value) / Decimal::ONE_HUNDRED)
                .map_err(|e| e.within(&at))?
                .round(Rounding::HalfEven)
                .map_err(|e| e.within(&format!("{at}.amount")))?;
            acc.count += 1;
            acc.amount = acc.amount.checked_add(amount.amount).ok_or_else(overflow)?;
            acc.weighted = acc
                .weighted
                .checked_add(weighted.amount)
                .ok_or_else(overflow)?;
        }
    }
    let out = groups
        .into_iter()
        .map(|((_, owner, currency), (period, acc))| {
            // Exact sums; padded (never rounded) to the currency's minor unit.
            let money = |mut d: Decimal| {
                if let Some(s) = currency.minor_units() {
                    if d.scale() < s {
                        d.rescale(s);
                    }
                }
                Money::new(d, currency)
            };
            ForecastGroup {
                period: period.label,
                start: period.start,
                end: period.end,
                owner: by_owner.then_some(owner),
                count: acc.count,
                amount: money(acc.amount),
                weighted: money(acc.weighted),
                won_count: acc.won_count,
                won_amount: money(acc.won_amount),
            }
        })
        .collect();
    Ok((out, unscheduled))
}
