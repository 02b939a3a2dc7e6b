//! Checked decimal arithmetic for the commission engine: every operation either gives
//! the exact result or an [`Error::Overflow`] naming the field, never a panic.

use crate::error::{Error, Result};
use crate::money::POW10;
use rust_decimal::Decimal;
use std::cmp::Ordering;

// The walk adds and multiplies amounts at the plan's scale millions of times. Where the
// operands' mantissas give the exact result in `i128` (same scale for a sum, a product
// within 96 bits), that result is `rust_decimal`'s own, digit for digit and scale for
// scale; anything else (a zero, whose sign `rust_decimal` decides, an overflow, mixed
// scales) goes through `rust_decimal`.

/// `a + b` as `checked_add` gives it.
#[inline]
pub(crate) fn add(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    match add_exact(a, b) {
        Some(x) => Ok(x),
        None => add_decimal(a, b, field),
    }
}

/// `a + b` when the mantissas give it (see above), else `None`: for a caller to take the
/// sum in registers and call [`add`] only otherwise, as a `Result<Decimal>` returned
/// through memory and read back whole waits for its parts to be stored.
#[inline]
pub(crate) fn add_exact(a: Decimal, b: Decimal) -> Option<Decimal> {
    if a.scale() == b.scale() {
        // Both mantissas are below 2^96 in magnitude: their sum cannot overflow `i128`.
        return exact(a.mantissa() + b.mantissa(), a.scale());
    }
    None
}

#[inline(never)]
fn add_decimal(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_add(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} + {b}")))
}

/// The decimal of mantissa `m` at `scale`, when `m` is not zero and fits in 96 bits.
#[inline]
fn exact(m: i128, scale: u32) -> Option<Decimal> {
    if m == 0 {
        return None;
    }
    Decimal::try_from_i128_with_scale(m, scale).ok()
}

pub(crate) fn sub(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_sub(b)
        .ok_or_else(|| Error::overflow(field, format!("{a} - {b}")))
}

/// `a × b` as `checked_mul` gives it.
#[inline]
pub(crate) fn mul(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    if a.is_zero() || b.is_zero() {
        // What `rust_decimal` gives for any product with a zero (of any scale or sign).
        return Ok(Decimal::ZERO);
    }
    let scale = a.scale() + b.scale();
    if scale <= 28 {
        // Money mantissas fit in 64 bits, and a product of two never overflows `i128`.
        let (x, y) = (i64::try_from(a.mantissa()), i64::try_from(b.mantissa()));
        if let (Ok(x), Ok(y)) = (x, y) {
            if let Some(p) = exact(i128::from(x) * i128::from(y), scale) {
                return Ok(p);
            }
        }
    }
    mul_decimal(a, b, field)
}

#[inline(never)]
fn mul_decimal(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
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
#[inline]
pub(crate) fn pct(base: Decimal, rate: Decimal, per: Decimal, field: &str) -> Result<Decimal> {
    // Per 1 or per 100 of two money-sized operands (the walk's every line): the product
    // of the mantissas, its point moved two places for a percentage. That is `mul` then
    // `set_scale` below, digit for digit, without the intermediate decimal.
    if per.scale() == 0 && !base.is_zero() && !rate.is_zero() {
        let shift = match per.mantissa() {
            1 => Some(0),
            100 => Some(2),
            _ => None,
        };
        let (x, y) = (
            i64::try_from(base.mantissa()),
            i64::try_from(rate.mantissa()),
        );
        if let (Some(shift), Ok(x), Ok(y)) = (shift, x, y) {
            let scale = base.scale() + rate.scale() + shift;
            if scale <= 28 {
                if let Some(p) = exact(i128::from(x) * i128::from(y), scale) {
                    return Ok(p);
                }
            }
        }
    }
    pct_decimal(base, rate, per, field)
}

#[inline(never)]
fn pct_decimal(base: Decimal, rate: Decimal, per: Decimal, field: &str) -> Result<Decimal> {
    let product = mul(base, rate, field)?;
    if is_int(per, 1) {
        return Ok(product);
    }
    if is_int(per, 100) && product.scale() <= 26 {
        // Dividing by 100 is moving the point: exact, and much cheaper than a division.
        let mut x = product;
        x.set_scale(product.scale() + 2)
            .map_err(|e| Error::overflow(field, e.to_string()))?;
        return Ok(x);
    }
    div(product, per, field)
}

/// `a.cmp(&b)`, comparing mantissas directly when the scales are equal or close.
#[inline(always)]
pub(crate) fn cmp(a: Decimal, b: Decimal) -> Ordering {
    let (sa, sb) = (a.scale(), b.scale());
    // A 96-bit mantissa times 10^9 stays well within `i128`.
    let up = |m: i128, d: u32| m * POW10[d as usize] as i128;
    match sa.abs_diff(sb) {
        0 => a.mantissa().cmp(&b.mantissa()),
        d @ 1..=9 if sa < sb => up(a.mantissa(), d).cmp(&b.mantissa()),
        d @ 1..=9 => a.mantissa().cmp(&up(b.mantissa(), d)),
        _ => a.cmp(&b),
    }
}

/// `x == n`, without `rust_decimal`'s general comparison when `x` is a whole number.
#[inline]
fn is_int(x: Decimal, n: i128) -> bool {
    if x.scale() == 0 {
        x.mantissa() == n
    } else {
        x == Decimal::from_i128_with_scale(n, 0)
    }
}

/// The sum of `items` as [`add`] folds it from zero, left to right.
///
/// A statement's lines usually share one scale: a run of them is added on the mantissas
/// and the decimal built once, where each [`add`] would take its operands apart and build
/// a decimal per line. A run stops wherever `add` would leave its integer path (a partial
/// sum of zero or beyond 96 bits), and that step is `add`'s own.
pub(crate) fn sum<'a>(
    items: impl IntoIterator<Item = &'a Decimal>,
    field: &str,
) -> Result<Decimal> {
    const LIMIT: u128 = 1 << 96;
    let mut items = items.into_iter().peekable();
    let mut acc = Decimal::ZERO;
    while let Some(x) = items.next() {
        acc = add(acc, *x, field)?;
        let (scale, mut m) = (acc.scale(), acc.mantissa());
        let mut ran = false;
        while let Some(x) = items.next_if(|x| x.scale() == scale) {
            let n = m + x.mantissa();
            if n == 0 || n.unsigned_abs() >= LIMIT {
                if ran {
                    acc = Decimal::from_i128_with_scale(m, scale);
                }
                acc = add(acc, *x, field)?;
                (m, ran) = (acc.mantissa(), false);
                if acc.scale() != scale {
                    break;
                }
                continue;
            }
            (m, ran) = (n, true);
        }
        if ran {
            acc = Decimal::from_i128_with_scale(m, scale);
        }
    }
    Ok(acc)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(lo: u32, mid: u32, hi: u32, negative: bool, scale: u32, wide: u8) -> Decimal {
        // Mostly small mantissas (money), sometimes the full 96 bits, sometimes zeros.
        match wide % 5 {
            0 => Decimal::from_parts(lo, mid, hi, negative, scale),
            1 => Decimal::from_parts(lo, mid % 4, 0, negative, scale),
            2 => Decimal::from_parts(0, 0, 0, negative, scale),
            _ => Decimal::from_parts(lo % 1_000_000, 0, 0, negative, scale),
        }
    }

    proptest! {
        /// The integer paths give `rust_decimal`'s results, scale and sign included.
        #[test]
        fn fast_paths_are_rust_decimal(
            a in (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28, any::<u8>()),
            b in (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28, any::<u8>()),
            same: bool,
        ) {
            let x = dec(a.0, a.1, a.2, a.3, a.4, a.5);
            let y = dec(b.0, b.1, b.2, b.3, if same { a.4 } else { b.4 }, b.5);
            let show = |r: Option<Decimal>| r.map(|d| (d.to_string(), d.scale(), d.is_sign_negative()));
            prop_assert_eq!(show(add(x, y, "x").ok()), show(x.checked_add(y)));
            prop_assert_eq!(show(mul(x, y, "x").ok()), show(x.checked_mul(y)));
            prop_assert_eq!(cmp(x, y), x.cmp(&y));
            // Sums of runs at one scale (with zeros, cancellations and large values in
            // them) are the fold of `add`, or its error.
            for items in [&[x, -x, y, x, y, -y, -x, x, x][..], &[y, x, -x, -y], &[x, x, x, y]] {
                let fold = items.iter().try_fold(Decimal::ZERO, |acc, v| add(acc, *v, "x"));
                prop_assert_eq!(show(sum(items, "x").ok()), show(fold.ok()));
            }
            for per in [Decimal::ONE, Decimal::ONE_HUNDRED, Decimal::new(1000, 1)] {
                prop_assert_eq!(show(pct(x, y, per, "x").ok()), show(pct_decimal(x, y, per, "x").ok()));
            }
        }
    }
}
