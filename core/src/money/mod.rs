//! Money: an exact decimal amount with its ISO 4217 currency.
//!
//! This module decides how amounts are represented, combined, rounded, split and
//! converted. It never guesses: two currencies never add up without an explicit
//! [`RateTable`], rounding always names its [`Rounding`] mode and its scale, and a split
//! always returns parts that add up to the whole ([`allocate`]). Arithmetic is checked:
//! an overflow is an [`Error::Overflow`], never a panic or a wrap.
//!
//! ```
//! use salesops::money::{Money, Rounding};
//! let price = Money::parse("1234.565", "EUR").unwrap();
//! assert_eq!(price.round(Rounding::HalfEven).unwrap().to_string(), "1234.56 EUR");
//! assert_eq!(price.round(Rounding::HalfUp).unwrap().to_string(), "1234.57 EUR");
//! ```

mod allocate;
mod fx;
mod rounding;

pub use allocate::{allocate, allocate_units};
pub use fx::{Conversion, Rate, RateTable};
pub(crate) use rounding::POW10;
pub use rounding::Rounding;

use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An ISO 4217 currency (`"USD"`, `"JPY"`, `"BHD"`), with its minor unit.
///
/// Parsing accepts only current, known alphabetic codes in upper case, so `"usd"` and
/// `"USX"` are errors rather than silently different currencies.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Parse an upper-case ISO 4217 alphabetic code.
    ///
    /// ```
    /// use salesops::money::Currency;
    /// assert_eq!(Currency::parse("JPY").unwrap().minor_units(), Some(0));
    /// assert!(Currency::parse("usd").is_err());
    /// ```
    pub fn parse(code: &str) -> Result<Self> {
        let upper = code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase());
        match iso_currency::Currency::from_code(code) {
            Some(c) if upper => Ok(Currency(c)),
            _ => Err(Error::invalid(
                "currency",
                format!(
                    "`{code}` is not an ISO 4217 currency code (three upper-case letters, e.g. USD)"
                ),
            )),
        }
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Digits after the decimal point of the currency's minor unit (2 for USD, 0 for JPY,
    /// 3 for BHD), or `None` for units without one (gold, test codes).
    pub fn minor_units(self) -> Option<u32> {
        self.0.exponent().map(u32::from)
    }

    /// The minor-unit scale, or an error naming `field` when the currency has none.
    pub(crate) fn scale(self, field: &str) -> Result<u32> {
        self.minor_units().ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "{} has no minor unit; give an explicit `scale`",
                    self.code()
                ),
            )
        })
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Currency::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Currency::parse(&code).map_err(|_| {
            serde::de::Error::custom(format_args!(
                "`{code}` is not an ISO 4217 currency code (three upper-case letters, e.g. USD)"
            ))
        })
    }
}

/// An amount of money: an exact [`Decimal`] and its [`Currency`].
///
/// In JSON: `{"amount": "1234.50", "currency": "USD"}`; the amount is always a string.
/// The amount keeps the scale it was given (`"10.5"` stays `10.5` until rounded).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// Money from parts.
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Money { amount, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Money::new(Decimal::ZERO, currency)
    }

    /// Parse an amount string and a currency code.
    pub fn parse(amount: &str, currency: &str) -> Result<Self> {
        let value = Decimal::from_str_exact(amount)
            .map_err(|e| Error::invalid("amount", format!("`{amount}` is not a decimal: {e}")))?;
        Ok(Money::new(value, Currency::parse(currency)?))
    }

    /// Fail with [`Error::CurrencyMismatch`] unless `other` is in the same currency.
    pub fn expect_currency(&self, currency: Currency, field: &str) -> Result<()> {
        if self.currency == currency {
            Ok(())
        } else {
            Err(Error::CurrencyMismatch {
                field: field.to_string(),
                expected: currency.code().to_string(),
                found: self.currency.code().to_string(),
            })
        }
    }

    /// `self + other`; different currencies are an error, never a silent sum.
    ///
    /// ```
    /// use salesops::money::Money;
    /// let a = Money::parse("10.00", "USD").unwrap();
    /// assert!(a.checked_add(Money::parse("1", "EUR").unwrap()).is_err());
    /// assert_eq!(a.checked_add(a).unwrap().to_string(), "20.00 USD");
    /// ```
    pub fn checked_add(self, other: Money) -> Result<Money> {
        other.expect_currency(self.currency, "amount")?;
        self.map_amount(self.amount.checked_add(other.amount), || {
            format!("{self} + {other}")
        })
    }

    /// `self - other`; different currencies are an error.
    pub fn checked_sub(self, other: Money) -> Result<Money> {
        other.expect_currency(self.currency, "amount")?;
        self.map_amount(self.amount.checked_sub(other.amount), || {
            format!("{self} - {other}")
        })
    }

    /// `self × factor`, exact (no rounding; round afterwards at the point you choose).
    pub fn checked_mul(self, factor: Decimal) -> Result<Money> {
        self.map_amount(self.amount.checked_mul(factor), || {
            format!("{self} × {factor}")
        })
    }

    /// The checked result in this currency, or an overflow error describing the operation.
    fn map_amount(self, amount: Option<Decimal>, what: impl FnOnce() -> String) -> Result<Money> {
        amount
            .map(|a| Money::new(a, self.currency))
            .ok_or_else(|| Error::overflow("amount", what()))
    }

    /// Round to the currency's minor unit.
    pub fn round(self, mode: Rounding) -> Result<Money> {
        let scale = self.currency.scale("currency")?;
        Ok(self.round_to(scale, mode))
    }

    /// Round to `scale` digits after the point (a scale above 28 is treated as 28).
    pub fn round_to(self, scale: u32, mode: Rounding) -> Money {
        Money::new(mode.apply(self.amount, scale), self.currency)
    }

    /// Sum amounts that must all be in `currency`; `field` names the list in errors.
    pub fn sum<'a>(
        currency: Currency,
        items: impl IntoIterator<Item = &'a Money>,
        field: &str,
    ) -> Result<Money> {
        items
            .into_iter()
            .enumerate()
            .try_fold(Money::zero(currency), |acc, (i, m)| {
                acc.checked_add(*m)
                    .map_err(|e| e.within(&format!("{field}[{i}]")))
            })
    }
}

/// The same amount with the opposite sign (never overflows: decimals are sign-magnitude).
impl std::ops::Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::new(-self.amount, self.currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_are_strict() {
        assert_eq!(Currency::parse("BHD").unwrap().minor_units(), Some(3));
        assert_eq!(Currency::parse("XAU").unwrap().minor_units(), None);
        for bad in ["usd", "USX", "US", "USDD", ""] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = Money::new(Decimal::MAX, Currency::parse("USD").unwrap());
        let e = max.checked_add(max).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Overflow);
        let e = max.checked_mul(Decimal::TWO).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Overflow);
        let usd = Money::parse("1", "USD").unwrap();
        let eur = Money::parse("1", "EUR").unwrap();
        assert_eq!(
            usd.checked_sub(eur).unwrap_err().code(),
            crate::ErrorCode::CurrencyMismatch
        );
        let e = Money::sum(usd.currency, &[usd, eur], "lines").unwrap_err();
        assert_eq!(e.field(), Some("lines[1].amount"));
    }

    #[test]
    fn json_amounts_are_strings() {
        let m: Money = serde_json::from_str(r#"{"amount":"10.50","currency":"USD"}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"amount":"10.50","currency":"USD"}"#
        );
        assert!(serde_json::from_str::<Money>(r#"{"amount":10.5,"currency":"USD"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"USD","x":1}"#).is_err());
    }
}
