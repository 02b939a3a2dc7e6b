//! Effective-dated exchange rates.

use super::{Currency, Money, Rounding};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One exchange rate: `1 from = rate to`, in force from `effective` until the next rate
/// for the same pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rate {
    /// Currency converted from.
    pub from: Currency,
    /// Currency converted to.
    pub to: Currency,
    /// Units of `to` per unit of `from`; strictly positive.
    pub rate: Decimal,
    /// First day the rate applies.
    pub effective: NaiveDate,
}

/// A validated table of effective-dated rates.
///
/// The rate for a pair on a date is the one with the latest `effective` date on or
/// before it. When only the reverse pair is listed, its reciprocal is used (computed to
/// 28 significant digits) and the conversion says so. Two rates for the same pair and
/// day are refused as ambiguous.
///
/// ```
/// use chrono::NaiveDate;
/// use salesops::money::{Money, Rate, RateTable, Rounding};
/// let usd = "USD".parse().unwrap();
/// let eur = "EUR".parse().unwrap();
/// let table = RateTable::new(vec![
///     Rate { from: usd, to: eur, rate: "0.90".parse().unwrap(), effective: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() },
///     Rate { from: usd, to: eur, rate: "0.92".parse().unwrap(), effective: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() },
/// ]).unwrap();
/// let on = NaiveDate::from_ymd_opt(2026, 2, 15).unwrap();
/// let c = table.convert(Money::parse("100", "USD").unwrap(), eur, on, Rounding::HalfEven, None).unwrap();
/// assert_eq!(c.money.to_string(), "90.00 EUR");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateTable {
    // Sorted by (from, to, effective) so a lookup is a binary search.
    rates: Vec<Rate>,
}

/// The result of a conversion, with the rate that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Conversion {
    /// The converted, rounded amount.
    pub money: Money,
    /// The rate applied (`1` for a same-currency conversion).
    pub rate: Decimal,
    /// The effective date of the rate used (`None` for a same-currency conversion).
    pub effective: Option<NaiveDate>,
    /// Whether the rate is the reciprocal of a listed reverse pair.
    pub inverted: bool,
}

impl RateTable {
    /// Validate and index `rates`; errors name `rates[i]`.
    pub fn new(mut rates: Vec<Rate>) -> Result<Self> {
        for (i, r) in rates.iter().enumerate() {
            if r.rate <= Decimal::ZERO {
                return Err(Error::invalid(
                    format!("rates[{i}].rate"),
                    "must be greater than zero",
                ));
            }
            if r.from == r.to {
                return Err(Error::invalid(
                    format!("rates[{i}].to"),
                    "a rate must convert between two different currencies",
                ));
            }
        }
        let key = |r: &Rate| (r.from, r.to, r.effective);
        rates.sort_by_key(key);
        if let Some(w) = rates.windows(2).find(|w| key(&w[0]) == key(&w[1])) {
            return Err(Error::invalid(
                "rates",
                format!(
                    "two rates for {}→{} effective {}",
                    w[0].from, w[0].to, w[0].effective
                ),
            ));
        }
        Ok(RateTable { rates })
    }

    /// The rates, sorted by pair and date.
    pub fn rates(&self) -> &[Rate] {
        &self.rates
    }

    fn direct(&self, from: Currency, to: Currency, on: NaiveDate) -> Option<&Rate> {
        let end = self
            .rates
            .partition_point(|r| (r.from, r.to, r.effective) <= (from, to, on));
        let r = self.rates.get(end.checked_sub(1)?)?;
        (r.from == from && r.to == to).then_some(r)
    }

    /// The rate for `from → to` in force `on`, as (rate, effective date, inverted).
    pub fn rate_on(
        &self,
        from: Currency,
        to: Currency,
        on: NaiveDate,
    ) -> Result<(Decimal, NaiveDate, bool)> {
        if let Some(r) = self.direct(from, to, on) {
            return Ok((r.rate, r.effective, false));
        }
        if let Some(r) = self.direct(to, from, on) {
            let inv = Decimal::ONE
                .checked_div(r.rate)
                .ok_or_else(|| Error::overflow("rates", format!("1 / {}", r.rate)))?;
            return Ok((inv, r.effective, true));
        }
        Err(Error::not_found(
            "rates",
            format!("no {from}→{to} rate in force on {on}"),
        ))
    }

    /// Convert `money` into `to` at the rate in force `on`, rounded with `mode` to `scale`
    /// (the target currency's minor unit when `None`).
    pub fn convert(
        &self,
        money: Money,
        to: Currency,
        on: NaiveDate,
        mode: Rounding,
        scale: Option<u32>,
    ) -> Result<Conversion> {
        let scale = match scale {
            Some(s) => s,
            None => to.scale("to")?,
        };
        if money.currency == to {
            return Ok(Conversion {
                money: money.round_to(scale, mode),
                rate: Decimal::ONE,
                effective: None,
                inverted: false,
            });
        }
        let (rate, effective, inverted) = self.rate_on(money.currency, to, on)?;
        let amount = money
            .amount
            .checked_mul(rate)
            .ok_or_else(|| Error::overflow("money.amount", format!("{money} × {rate}")))?;
        Ok(Conversion {
            money: Money::new(amount, to).round_to(scale, mode),
            rate,
            effective: Some(effective),
            inverted,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn cur(s: &str) -> Currency {
        s.parse().unwrap()
    }
    fn rate(from: &str, to: &str, r: &str, eff: &str) -> Rate {
        Rate {
            from: cur(from),
            to: cur(to),
            rate: r.parse().unwrap(),
            effective: date(eff),
        }
    }

    #[test]
    fn picks_the_rate_in_force() {
        let t = RateTable::new(vec![
            rate("USD", "EUR", "0.92", "2026-03-01"),
            rate("USD", "EUR", "0.90", "2026-01-01"),
        ])
        .unwrap();
        assert_eq!(
            t.rate_on(cur("USD"), cur("EUR"), date("2026-02-28"))
                .unwrap()
                .0
                .to_string(),
            "0.90"
        );
        assert_eq!(
            t.rate_on(cur("USD"), cur("EUR"), date("2026-03-01"))
                .unwrap()
                .0
                .to_string(),
            "0.92"
        );
        let e = t
            .rate_on(cur("USD"), cur("EUR"), date("2025-12-31"))
            .unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::NotFound);
        assert!(e.to_string().contains("USD→EUR") && e.to_string().contains("2025-12-31"));
        // A pair sorted between others is not confused with its neighbours.
        let e = t
            .rate_on(cur("USD"), cur("GBP"), date("2026-12-31"))
            .unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::NotFound);
    }

    #[test]
    fn reverse_pairs_are_inverted() {
        let t = RateTable::new(vec![rate("EUR", "USD", "1.25", "2026-01-01")]).unwrap();
        let c = t
            .convert(
                Money::parse("100", "USD").unwrap(),
                cur("EUR"),
                date("2026-06-30"),
                Rounding::HalfEven,
                None,
            )
            .unwrap();
        assert_eq!(c.money.to_string(), "80.00 EUR");
        assert!(c.inverted);
    }

    #[test]
    fn refuses_ambiguous_and_nonpositive_rates() {
        assert_eq!(
            RateTable::new(vec![rate("USD", "EUR", "0", "2026-01-01")])
                .unwrap_err()
                .field(),
            Some("rates[0].rate")
        );
        let dup = vec![
            rate("USD", "EUR", "0.9", "2026-01-01"),
            rate("USD", "EUR", "0.91", "2026-01-01"),
        ];
        assert_eq!(RateTable::new(dup).unwrap_err().field(), Some("rates"));
    }
}
