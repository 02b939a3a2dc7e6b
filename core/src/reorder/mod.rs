//! Reorder: which items are at or below their line, how much to order, when, and why.
//!
//! This engine decides, for one item at one location at a time, the **inventory
//! position** ([`position`]), whether a **policy** ([`policy`]) is triggered by it, the
//! quantity the policy asks for, how the supplier's **order constraints**
//! ([`constraints`]) shape that quantity, and the **alerts** worth raising
//! ([`mod@evaluate`]). Around that it estimates **demand** from sales history
//! ([`demand`]), **safety stock** from a service level ([`safety`], with the exact
//! inverse normal of [`normal`]) and the **economic order quantity** ([`eoq`]), and
//! adds up **lead times** ([`lead_time`]).
//!
//! It never reads a clock (today is an argument), never stores anything and never
//! places an order: a proposal is a value the host may turn into a purchase order, and
//! when it does, the host passes it back as an open order so the next evaluation does
//! not propose it again.
//!
//! Quantities are exact [`Decimal`]s. The only approximation in the engine is the
//! inverse normal for a service level, which is computed in decimal arithmetic too
//! (no floating point), so every door gives the same digits.
//!
//! ```
//! let out = salesops::ops::call("reorder.evaluate", r#"{
//!   "today": "2026-04-01",
//!   "items": [{"item": "SKU-1", "location": "WH",
//!              "stock": {"on_hand": "8"},
//!              "policy": {"min_max": {"min": "10", "max": "40"}},
//!              "order": {"multiple": "6"}}]}"#).unwrap();
//! assert!(out.contains(r#""quantity":"36""#));
//! ```
//!
//! The semantics, and every choice made where the sources disagree, are written down in
//! `docs/reorder.md`.

pub mod constraints;
pub mod demand;
pub mod eoq;
pub mod evaluate;
mod fx;
pub mod lead_time;
pub mod normal;
pub mod policy;
pub mod position;
pub mod safety;

pub use constraints::{OrderConstraints, OrderSpec, PackRounding, Sized, Step};
pub use demand::{DailyValues, DemandEstimate, HistorySpec, Sales};
pub use eoq::{Eoq, EoqSpec};
pub use evaluate::{Alert, AlertKind, EvaluateSpec, Evaluation, Proposal, evaluate};
pub use lead_time::{LeadTime, LeadTimeSpec};
pub use policy::{Policy, PolicySpec};
pub use position::{Position, Stock, StockSpec};
pub use safety::{SafetyPlan, SafetyStock, SafetyStockSpec};

use crate::error::{Error, Result};
use crate::money::Rounding;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a computed quantity is rounded: to `scale` digits after the point with a named
/// [`Rounding`] mode. The default is **up to whole units** (`scale` 0, mode `up`).
///
/// It applies to every quantity the engine computes (safety stock, reorder points,
/// order-up-to levels from demand, the EOQ) and, once, to the order quantity in
/// purchase units.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::reorder::QuantityRounding;
/// assert_eq!(QuantityRounding::default().apply(Decimal::new(1281, 2)), Decimal::from(13));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuantityRounding {
    /// Digits after the point (0 to 28).
    pub scale: u32,
    /// The rounding mode.
    pub mode: Rounding,
}

impl Default for QuantityRounding {
    fn default() -> Self {
        QuantityRounding {
            scale: 0,
            mode: Rounding::Up,
        }
    }
}

impl QuantityRounding {
    /// Refuse a scale above 28; `field` names the setting.
    pub fn check(self, field: &str) -> Result<Self> {
        if self.scale > 28 {
            return Err(Error::invalid(
                format!("{field}.scale"),
                format!("{} is above the maximum of 28", self.scale),
            ));
        }
        Ok(self)
    }

    /// Round `value`; the result is written without trailing zeros.
    pub fn apply(self, value: Decimal) -> Decimal {
        round_norm(value, self.scale, self.mode)
    }

    /// Whether `value` lies on this rounding's grid (has at most `scale` decimals).
    #[inline]
    pub fn holds(self, value: Decimal) -> bool {
        // Whole numbers (most) are on every grid, without normalising.
        value.scale() == 0 || norm(value).scale() <= self.scale
    }

    /// "rounded up to whole units", "rounded half_up to 2 decimals".
    pub fn describe(self) -> String {
        let mode = mode_name(self.mode);
        match self.scale {
            0 => format!("rounded {mode} to whole units"),
            s => format!("rounded {mode} to {s} decimals"),
        }
    }
}

pub(crate) fn mode_name(mode: Rounding) -> &'static str {
    match mode {
        Rounding::HalfEven => "half_even",
        Rounding::HalfUp => "half_up",
        Rounding::HalfDown => "half_down",
        Rounding::Up => "up",
        Rounding::Down => "down",
        Rounding::Ceiling => "ceiling",
        Rounding::Floor => "floor",
    }
}

/// When a policy fires: when the position is strictly **below** its level (Odoo's
/// `forecast < min`, the default) or **at or below** it (ERPNext's
/// `projected <= reorder_level`, most textbooks' `IP <= s`).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::reorder::Trigger;
/// let ten = Decimal::from(10);
/// assert!(!Trigger::Below.fires(ten, ten));
/// assert!(Trigger::AtOrBelow.fires(ten, ten));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// `position < level`.
    #[default]
    Below,
    /// `position <= level`.
    AtOrBelow,
}

impl Trigger {
    /// Whether `position` triggers against `level`.
    pub fn fires(self, position: Decimal, level: Decimal) -> bool {
        match self {
            Trigger::Below => position < level,
            Trigger::AtOrBelow => position <= level,
        }
    }

    /// `<` or `<=`, as the reason text writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Trigger::Below => "<",
            Trigger::AtOrBelow => "<=",
        }
    }
}

/// `norm(mode.apply(value, scale))`: the money module's one-division rounding, without
/// the padding to `scale` that `norm` would strip again.
pub(crate) fn round_norm(value: Decimal, scale: u32, mode: Rounding) -> Decimal {
    norm(mode.round(value, scale.min(28)))
}

/// `⌊√n⌋`, on 64 bits when `n` fits (much cheaper than the 128-bit root).
pub(crate) fn isqrt(n: u128) -> u128 {
    match u64::try_from(n) {
        Ok(n) => u128::from(n.isqrt()),
        Err(_) => n.isqrt(),
    }
}

/// `⌊a / b⌋` for `b > 0`, on 64 bits when both fit (a 128-bit division is a library
/// call, several times slower).
pub(crate) fn div_floor_u128(a: u128, b: u128) -> u128 {
    match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) => u128::from(a / b),
        _ => a / b,
    }
}

/// A decimal written as [`Decimal`]'s `Display` writes it, faster for the common case
/// (a mantissa below 2^64; others go through `Display`). For the reasons' text.
#[derive(Clone, Copy)]
pub(crate) struct Num(pub Decimal);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.width().is_some() || f.precision().is_some() {
            return std::fmt::Display::fmt(&self.0, f);
        }
        let mut buf = [0u8; NUM_ROOM];
        match Num::write(self.0, &mut buf).and_then(|s| std::str::from_utf8(s).ok()) {
            Some(s) => f.write_str(s),
            None => std::fmt::Display::fmt(&self.0, f),
        }
    }
}

/// Append `d` to `out` as [`Decimal`]'s `Display` writes it.
pub(crate) fn push_num(out: &mut String, d: Decimal) {
    if push_small_whole(out, d) {
        return;
    }
    let mut buf = [0u8; NUM_ROOM];
    match Num::write(d, &mut buf) {
        // ASCII pushed as chars: a few instructions a byte where validating the bytes
        // as UTF-8 and copying them costs more than the digits (numbers are short). The
        // mask changes nothing and tells the compiler each char is one byte.
        Some(s) => out.extend(s.iter().map(|&b| char::from(b & 0x7f))),
        None => out.push_str(&d.to_string()),
    }
}

/// [`push_num`] of a whole number of at most four digits (most positions, levels and
/// quantities in reasons), digit by digit without a buffer; `false`, writing nothing,
/// for any other number (and for `-0`).
#[inline]
fn push_small_whole(out: &mut String, d: Decimal) -> bool {
    let m = d.mantissa();
    if d.scale() != 0 || !(-9_999..=9_999).contains(&m) || (m == 0 && d.is_sign_negative()) {
        return false;
    }
    if m < 0 {
        out.push('-');
    }
    let m = m.unsigned_abs() as u32;
    let digit = |unit: u32| char::from(b'0' + (m / unit % 10) as u8);
    if m >= 1000 {
        out.push(digit(1000));
    }
    if m >= 100 {
        out.push(digit(100));
    }
    if m >= 10 {
        out.push(digit(10));
    }
    out.push(digit(1));
    true
}

/// The two digits of each number below 100, for writing numbers two digits at a time.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Room for [`Num::write`]'s text: 28 decimals, the point, a zero before it and the
/// sign (a mantissa below 2^64 has at most 20 digits).
const NUM_ROOM: usize = 32;

impl Num {
    /// `d`'s text in ASCII, written from the end of `buf`, two digits per division by a
    /// constant; `None` for zero and mantissas of 2^64 or more (left to `Display`).
    fn write(d: Decimal, buf: &mut [u8; NUM_ROOM]) -> Option<&[u8]> {
        let mut m = u64::try_from(d.mantissa().unsigned_abs()).ok()?;
        if m == 0 {
            return None;
        }
        // The last two digits of `m`, or its last one, before `at`.
        fn pair(buf: &mut [u8], at: &mut usize, m: &mut u64) {
            let p = 2 * (*m % 100) as usize;
            *at -= 2;
            buf[*at..*at + 2].copy_from_slice(&PAIRS[p..p + 2]);
            *m /= 100;
        }
        fn digit(buf: &mut [u8], at: &mut usize, m: &mut u64) {
            *at -= 1;
            buf[*at] = b'0' + (*m % 10) as u8;
            *m /= 10;
        }
        let mut at = buf.len();
        // The `scale` decimals (zeros once the mantissa runs out) and the point.
        let scale = d.scale();
        for _ in 0..scale / 2 {
            pair(buf, &mut at, &mut m);
        }
        if scale % 2 == 1 {
            digit(buf, &mut at, &mut m);
        }
        if scale > 0 {
            at -= 1;
            buf[at] = b'.';
        }
        // At least one digit before the point.
        while m >= 100 {
            pair(buf, &mut at, &mut m);
        }
        if m >= 10 {
            pair(buf, &mut at, &mut m);
        } else {
            digit(buf, &mut at, &mut m);
        }
        if d.is_sign_negative() {
            at -= 1;
            buf[at] = b'-';
        }
        Some(&buf[at..])
    }
}

/// A decimal without trailing zeros, and never a negative zero: how quantities are
/// written in every output document.
#[inline]
pub(crate) fn norm(d: Decimal) -> Decimal {
    if d.is_zero() {
        Decimal::ZERO
    } else if d.scale() == 0 {
        // Nothing to strip: most quantities are whole, and `normalize` is not free.
        d
    } else {
        norm_scaled(d)
    }
}

/// [`norm`] of a non-zero decimal with decimals, out of line: inlined, its loops made
/// every caller save registers and grow its frame, on the whole numbers too.
#[inline(never)]
fn norm_scaled(d: Decimal) -> Decimal {
    let Ok(mut m) = u64::try_from(d.mantissa().unsigned_abs()) else {
        return normalize_wide(d);
    };
    if m % 10 != 0 {
        // Nothing to strip (most rates and deviations): `d` as it is, not rebuilt.
        return d;
    }
    // `normalize` divides the 96-bit mantissa; most fit in 64 bits, where stripping a
    // zero is one division by a constant. Same mantissa, scale and sign.
    let mut scale = d.scale();
    while scale > 0 && m % 10 == 0 {
        m /= 10;
        scale -= 1;
    }
    Decimal::from_parts(m as u32, (m >> 32) as u32, 0, d.is_sign_negative(), scale)
}

/// `d > 0` from its sign and the zero test: a decimal comparison rescales and orders
/// (about 30 instructions), and these tests run several times per item.
#[inline]
pub(crate) fn above_zero(d: Decimal) -> bool {
    !d.is_sign_negative() && !d.is_zero()
}

/// `d < 0`, as [`above_zero`] (`-0` is not below zero).
#[inline]
pub(crate) fn below_zero(d: Decimal) -> bool {
    d.is_sign_negative() && !d.is_zero()
}

/// `normalize` of a mantissa of 2^64 or more (rare), out of [`norm_scaled`]: inlined,
/// its 96-bit loop had every call save registers.
#[cold]
#[inline(never)]
fn normalize_wide(d: Decimal) -> Decimal {
    d.normalize()
}

#[inline]
pub(crate) fn non_negative(v: Decimal, field: &str) -> Result<Decimal> {
    if below_zero(v) {
        return Err(refused(field, v, "must not be negative"));
    }
    Ok(norm(v))
}

#[inline]
pub(crate) fn positive(v: Decimal, field: &str) -> Result<Decimal> {
    if !above_zero(v) {
        return Err(refused(field, v, "must be above zero"));
    }
    Ok(norm(v))
}

#[inline]
pub(crate) fn add(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| overflowed(field, a, "+", b))
}

#[inline]
pub(crate) fn sub(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_sub(b).ok_or_else(|| overflowed(field, a, "-", b))
}

#[inline]
pub(crate) fn mul(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| overflowed(field, a, "×", b))
}

#[inline]
pub(crate) fn div(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    a.checked_div(b).ok_or_else(|| overflowed(field, a, "/", b))
}

// The errors of the helpers above, out of line: formatting a message inlined into them
// gave each call a large stack frame and register saves (about 40 instructions per
// call on the way in and out), paid on every call although errors are rare.

/// `"{v} {what}"` at `field`.
#[cold]
#[inline(never)]
fn refused(field: &str, v: Decimal, what: &str) -> Error {
    Error::invalid(field, format!("{v} {what}"))
}

/// `"{a} {op} {b}"` overflowed at `field`.
#[cold]
#[inline(never)]
fn overflowed(field: &str, a: Decimal, op: &str, b: Decimal) -> Error {
    Error::overflow(field, format!("{a} {op} {b}"))
}

/// Both operands as integers, when they are whole numbers written without decimals and
/// the divisor is positive: the fast path of [`div_ceil`], [`div_floor`] and [`rem`]
/// (decimal division is by far the costliest decimal operation).
#[inline]
fn whole_pair(a: Decimal, b: Decimal) -> Option<(i128, i128)> {
    (a.scale() == 0 && b.scale() == 0 && above_zero(b)).then(|| (a.mantissa(), b.mantissa()))
}

/// `⌊x / y⌋` for `y > 0`, on 64 bits when both fit (a 128-bit division is a library
/// call, several times slower, and everyday quantities fit).
#[inline]
fn floor_div_i128(x: i128, y: i128) -> i128 {
    match (i64::try_from(x), i64::try_from(y)) {
        (Ok(a), Ok(b)) => i128::from(a.div_euclid(b)),
        _ => x.div_euclid(y),
    }
}

/// `x % y` (the sign of `x`) for `y > 0`, on 64 bits when both fit.
#[inline]
fn rem_i128(x: i128, y: i128) -> i128 {
    match (i64::try_from(x), i64::try_from(y)) {
        (Ok(a), Ok(b)) => i128::from(a % b),
        _ => x % y,
    }
}

/// `ceil(a / b)`.
pub(crate) fn div_ceil(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    if let Some((x, y)) = whole_pair(a, b) {
        if let Ok(d) = Decimal::try_from_i128_with_scale(floor_div_i128(x + y - 1, y), 0) {
            return Ok(d);
        }
    }
    Ok(div(a, b, field)?.ceil())
}

/// `floor(a / b)`.
pub(crate) fn div_floor(a: Decimal, b: Decimal, field: &str) -> Result<Decimal> {
    if let Some((x, y)) = whole_pair(a, b) {
        if let Ok(d) = Decimal::try_from_i128_with_scale(floor_div_i128(x, y), 0) {
            return Ok(d);
        }
    }
    Ok(div(a, b, field)?.floor())
}

/// `a % b` with the sign of `a` (as [`Decimal::checked_rem`]).
pub(crate) fn rem(a: Decimal, b: Decimal) -> Option<Decimal> {
    if let Some((x, y)) = whole_pair(a, b) {
        return Decimal::try_from_i128_with_scale(rem_i128(x, y), 0).ok();
    }
    a.checked_rem(b)
}

/// `today + days`, or an overflow error naming `field`.
#[inline]
pub(crate) fn add_days(
    today: chrono::NaiveDate,
    days: u64,
    field: &str,
) -> Result<chrono::NaiveDate> {
    today
        .checked_add_days(chrono::Days::new(days))
        .ok_or_else(|| past_the_calendar(today, days, field))
}

/// [`add_days`]'s error, out of line as [`overflowed`] is.
#[cold]
#[inline(never)]
fn past_the_calendar(today: chrono::NaiveDate, days: u64, field: &str) -> Error {
    Error::overflow(field, format!("{today} + {days} days is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::XorShift;

    #[test]
    fn integer_rounding_and_writing_agree_with_rust_decimal() {
        let modes = Rounding::ALL;
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.next();
        let mut written = 0;
        for i in 0..20_000u32 {
            let hi = if i % 3 == 0 { next() as u32 } else { 0 };
            let mid = if i % 2 == 0 { next() as u32 } else { 0 };
            let lo = match i % 5 {
                0 => 5,
                1 => 25,
                _ => next() as u32,
            };
            let scale = (next() % 29) as u32;
            let d = Decimal::from_parts(lo, mid, hi, next() % 2 == 0, scale);
            let to = (next() % 30) as u32;
            for mode in modes {
                assert_eq!(
                    round_norm(d, to, mode),
                    norm(mode.apply(d, to)),
                    "{d} {to} {mode:?}"
                );
                let n = norm(mode.apply(d, to));
                assert_eq!(round_norm(d, to, mode).to_string(), n.to_string());
            }
            assert_eq!(Num(d).to_string(), d.to_string(), "{d:?}");
            let mut pushed = String::new();
            push_num(&mut pushed, d);
            assert_eq!(pushed, d.to_string(), "{d:?}");
            if Num::write(d, &mut [0; NUM_ROOM]).is_some() {
                written += 1;
            }
        }
        // Most are written by `Num::write`, not left to `Display`.
        assert!(written > 10_000, "{written}");
        for s in [
            "0",
            "-0",
            "0.00",
            "1",
            "-1.5",
            "0.001",
            "-0.0000000000000000000000000001",
        ] {
            let d: Decimal = s.parse().unwrap();
            assert_eq!(Num(d).to_string(), d.to_string());
        }
    }

    /// The short path of `push_num` (whole numbers of up to four digits) writes what
    /// `Display` writes, and is taken for most such numbers (this fails if it is wrong or
    /// unused).
    #[test]
    fn small_whole_numbers_are_written_as_display_writes_them() {
        let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
        let mut next = |m: u64| rng.next() % m;
        let mut short = 0;
        for i in 0..50_000u32 {
            let negative = next(3) == 0;
            let d = match i % 4 {
                // Whole, across the four-digit bound, either sign, zero and -0 included.
                0 | 1 => Decimal::from_parts(next(12_000) as u32, 0, 0, negative, 0),
                2 => Decimal::from_parts(next(20) as u32, 0, 0, negative, 0),
                // With decimals, or wide: never the short path.
                _ => Decimal::from_parts(
                    next(u64::from(u32::MAX)) as u32,
                    0,
                    0,
                    negative,
                    next(5) as u32,
                ),
            };
            let mut fast = String::from("x");
            if push_small_whole(&mut fast, d) {
                short += 1;
                assert_eq!(fast, format!("x{d}"), "{d:?}");
            } else {
                assert_eq!(fast, "x", "{d:?}");
            }
            let mut pushed = String::new();
            push_num(&mut pushed, d);
            assert_eq!(pushed, d.to_string(), "{d:?}");
        }
        assert!(short > 25_000, "{short}");
    }

    /// The sign tests are the comparisons with zero they replace, `-0` included.
    #[test]
    fn sign_tests_are_comparisons_with_zero() {
        let mut rng = XorShift(0x94d0_49bb_1331_11eb);
        for _ in 0..10_000 {
            let (lo, negative, scale) = (rng.next() % 3, rng.next() % 2 == 0, rng.next() % 29);
            let d = Decimal::from_parts(lo as u32, 0, 0, negative, scale as u32);
            assert_eq!(above_zero(d), d > Decimal::ZERO, "{d:?}");
            assert_eq!(below_zero(d), d < Decimal::ZERO, "{d:?}");
        }
    }

    proptest::proptest! {
        /// `norm` is `normalize` (zero aside, which it writes unsigned), bit for bit.
        #[test]
        fn norm_is_normalize(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28, zeros in 0u32..=20, narrow: bool) {
            let (mid, hi) = if narrow { (mid, 0) } else { (mid, hi) };
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            // Trailing zeros to strip, when the mantissa has room for them.
            let d = d.checked_mul(Decimal::from_i128_with_scale(10i128.pow(zeros), zeros)).unwrap_or(d);
            let want = if d.is_zero() { Decimal::ZERO } else { d.normalize() };
            proptest::prop_assert_eq!(norm(d).serialize(), want.serialize());
        }
    }

    /// The 64-bit division and remainder are the 128-bit ones, on random whole numbers
    /// on both sides of the 64-bit bound (most of them on 64 bits: this fails if that
    /// path is wrong or unused), and so are `div_ceil`, `div_floor` and `rem`.
    #[test]
    fn division_on_64_bits_is_division_on_128() {
        let mut rng = XorShift(0x5851_f42d_4c95_7f2d);
        let mut next = || rng.next();
        let mut narrow = 0;
        for i in 0..100_000u32 {
            // Any magnitude below 2^64, lifted past it in some cases.
            let (mx, sx, my, sy, negative) = (next(), next() % 64, next(), next() % 64, next());
            let x = i128::from(mx >> sx) << if i % 5 == 0 { 40 } else { 0 };
            let x = if negative % 2 == 0 { x } else { -x };
            let y = (i128::from(my >> sy) << if i % 7 == 0 { 40 } else { 0 }).max(1);
            if i64::try_from(x).is_ok() && i64::try_from(y).is_ok() {
                narrow += 1;
            }
            assert_eq!(floor_div_i128(x, y), x.div_euclid(y), "{x} {y}");
            assert_eq!(rem_i128(x, y), x % y, "{x} {y}");
            if let (Ok(a), Ok(b), Ok(f), Ok(c), Ok(r)) = (
                Decimal::try_from_i128_with_scale(x, 0),
                Decimal::try_from_i128_with_scale(y, 0),
                Decimal::try_from_i128_with_scale(x.div_euclid(y), 0),
                Decimal::try_from_i128_with_scale((x + y - 1).div_euclid(y), 0),
                Decimal::try_from_i128_with_scale(x % y, 0),
            ) {
                assert_eq!(div_floor(a, b, "f").unwrap(), f, "{x} {y}");
                assert_eq!(div_ceil(a, b, "f").unwrap(), c, "{x} {y}");
                assert_eq!(rem(a, b), Some(r), "{x} {y}");
            }
        }
        assert!(narrow > 50_000, "{narrow}");
    }

    #[test]
    fn integer_fast_paths_agree_with_decimal_division() {
        for a in -25i64..=25 {
            for b in 1i64..=7 {
                let (x, y) = (Decimal::from(a), Decimal::from(b));
                // The same values with a decimal place take the decimal path.
                let (xd, yd) = (Decimal::new(a * 10, 1), Decimal::new(b * 10, 1));
                assert_eq!(div_ceil(x, y, "f").unwrap(), (xd / yd).ceil(), "{a}/{b}");
                assert_eq!(div_floor(x, y, "f").unwrap(), (xd / yd).floor(), "{a}/{b}");
                assert_eq!(rem(x, y).unwrap(), xd.checked_rem(yd).unwrap(), "{a}%{b}");
            }
        }
    }
}
