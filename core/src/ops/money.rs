//! `money.*`: rounding, splitting and converting amounts.

use super::{Op, op};
use crate::error::{Error, Result};
use crate::money::{Conversion, Currency, Money, Rate, RateTable, Rounding, allocate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub(super) const OPS: &[Op] = &[
    op!(
        "money.round",
        "Round an amount to its currency's minor unit (or a given scale) with a named mode.",
        round,
        r#"{"money":{"amount":"1234.565","currency":"EUR"},"mode":"half_up"}"#
    ),
    op!(
        "money.allocate",
        "Split an amount by weights or percentages; the parts always add up to the whole.",
        allocate_op,
        r#"{"total":{"amount":"1000.00","currency":"USD"},"percentages":["50","30","20"]}"#
    ),
    op!(
        "money.convert",
        "Convert an amount at the exchange rate in force on a date.",
        convert,
        r#"{"money":{"amount":"100.00","currency":"USD"},"to":"EUR","on":"2026-02-15","rates":[{"from":"USD","to":"EUR","rate":"0.9210","effective":"2026-01-01"}]}"#
    ),
];

/// `money.round` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundIn {
    money: Money,
    #[serde(default)]
    mode: Rounding,
    /// Digits after the point; the currency's minor unit when absent.
    scale: Option<u32>,
}

#[derive(Serialize)]
struct MoneyOut {
    money: Money,
}

fn check_scale(scale: Option<u32>) -> Result<()> {
    match scale {
        Some(s) if s > 28 => Err(Error::invalid(
            "scale",
            format!("{s} is above the maximum of 28"),
        )),
        _ => Ok(()),
    }
}

fn round(i: RoundIn) -> Result<MoneyOut> {
    check_scale(i.scale)?;
    let money = match i.scale {
        Some(s) => i.money.round_to(s, i.mode),
        None => i.money.round(i.mode).map_err(|e| e.within("money"))?,
    };
    Ok(MoneyOut { money })
}

/// `money.allocate` input: exactly one of `weights` and `percentages`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllocateIn {
    total: Money,
    weights: Option<Vec<Decimal>>,
    /// Like weights, but they must add up to exactly 100.
    percentages: Option<Vec<Decimal>>,
    scale: Option<u32>,
}

#[derive(Serialize)]
struct AllocateOut {
    parts: Vec<Money>,
}

fn allocate_op(i: AllocateIn) -> Result<AllocateOut> {
    check_scale(i.scale)?;
    let (weights, field) = match (i.weights, i.percentages) {
        (Some(w), None) => (w, "weights"),
        (None, Some(p)) => {
            let sum = p.iter().try_fold(Decimal::ZERO, |a, x| a.checked_add(*x));
            if sum != Some(Decimal::ONE_HUNDRED) {
                let shown = sum.map_or("more than can be added".to_string(), |s| s.to_string());
                return Err(Error::invalid(
                    "percentages",
                    format!("must add up to exactly 100, not {shown}"),
                ));
            }
            (p, "percentages")
        }
        _ => {
            return Err(Error::invalid(
                ".",
                "give exactly one of `weights` and `percentages`",
            ));
        }
    };
    let parts = allocate(i.total, &weights, i.scale).map_err(|e| match e {
        // The weights' errors are reported under the name the caller used.
        Error::InvalidInput { field: f, reason } if f.starts_with("weights") => {
            Error::invalid(f.replacen("weights", field, 1), reason)
        }
        other => other,
    })?;
    Ok(AllocateOut { parts })
}

/// `money.convert` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConvertIn {
    money: Money,
    to: Currency,
    on: NaiveDate,
    rates: Vec<Rate>,
    #[serde(default)]
    mode: Rounding,
    scale: Option<u32>,
}

fn convert(i: ConvertIn) -> Result<Conversion> {
    check_scale(i.scale)?;
    RateTable::new(i.rates)?.convert(i.money, i.to, i.on, i.mode, i.scale)
}
