//! Checked decimal arithmetic for the commission engine: every operation either gives
//! the exact result or an [`Error::Overflow`] naming the field, never a panic.

use crate::error::{Error, Result};
use rust_decimal::Decimal;

pub(crate) fn add(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} + {b}")))
}

pub(crate) fn sub(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_sub(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} - {b}")))
}

pub(crate) fn mul(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_mul(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} × {b}")))
}

pub(crate) fn div(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    if b.is_zero() {
        return Err(Error::invalid(field, format!("{a} / 0")));
    }
    a.checked_div(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} / {b}")))
}

/// `base × rate / per` (per = 100 for a percentage), multiplying first.
pub(crate) fn pct(base: Decimal, rate: Decimal, per: Decimal, field: &str) -> Result<Decimal> {
    let product = mul(base, rate, field)?;
    if per == Decimal::ONE {
        return Ok(product);
    }
    if per == Decimal::ONE_HUNDRED && product.scale() <= 26 {
        // Dividing by 100 is moving the point: exact, and much cheaper than a division.
        let mut x = product;
        x.set_scale(product.scale() + 2)
            .map_err(|e| Error::overflow(field, e.to_string()))?;
        return Ok(x);
    }
    div(product, per, field)
}

pub(crate) fn sum<'a>(
    items: impl IntoIterator<Item = &'a Decimal>,
    field: &str,
) -> Result<Decimal> {
    items
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, x| add(acc, *x, field))
}

pub(crate) fn is_negative(x: Decimal) -> bool {
    x.is_sign_negative() && !x.is_zero()
}

/// `x` without trailing zeros beyond `scale`, padded to `scale` digits (`3.000` → `3.00`,
/// `0.3333` stays `0.3333`): how exact amounts are shown.
pub(crate) fn show(x: Decimal, scale: u32) -> Decimal {
    if x.scale() == scale && !x.is_zero() {
        // Already shown: stripping trailing zeros and padding back gives `x` itself.
        return x;
    }
    let mut x = x.normalize();
    if x.scale() < scale {
        x.rescale(scale);
    }
    x
}

/// `x.normalize()`, without the work when there is nothing to strip (a whole number).
pub(crate) fn normal(x: Decimal) -> Decimal {
    if x.scale() == 0 && !x.is_zero() {
        x
    } else {
        x.normalize()
    }
}
