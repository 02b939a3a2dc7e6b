//! Named rounding modes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// `10^k` for every `k` whose power fits in a `u128` (`k` ≤ 38: every scale a decimal
/// can have, and the fixed-point lifts of the reorder engine), looked up rather than
/// computed by repeated 128-bit multiplication on every rounding or comparison.
pub(crate) const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut k = 1;
    while k < 39 {
        t[k] = t[k - 1] * 10;
        k += 1;
    }
    t
};

/// How to round an amount that falls between two representable values.
///
/// In JSON: `"half_even"` (the default, banker's rounding), `"half_up"` (ties away
/// from zero, what most people learned at school), `"half_down"` (ties toward zero),
/// `"up"` (away from zero), `"down"` (toward zero, truncation), `"ceiling"` (toward
/// +∞) and `"floor"` (toward −∞).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::money::Rounding;
/// let x = Decimal::new(-25, 1); // -2.5
/// assert_eq!(Rounding::HalfEven.apply(x, 0), Decimal::from(-2));
/// assert_eq!(Rounding::HalfUp.apply(x, 0), Decimal::from(-3));
/// assert_eq!(Rounding::Ceiling.apply(x, 0), Decimal::from(-2));
/// assert_eq!(Rounding::Floor.apply(x, 0), Decimal::from(-3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Ties to the even neighbour.
    #[default]
    HalfEven,
    /// Ties away from zero.
    HalfUp,
    /// Ties toward zero.
    HalfDown,
    /// Always away from zero.
    Up,
    /// Always toward zero.
    Down,
    /// Always toward positive infinity.
    Ceiling,
    /// Always toward negative infinity.
    Floor,
}

impl Rounding {
    /// Every mode, in declaration order.
    pub const ALL: [Rounding; 7] = [
        Rounding::HalfEven,
        Rounding::HalfUp,
        Rounding::HalfDown,
        Rounding::Up,
        Rounding::Down,
        Rounding::Ceiling,
        Rounding::Floor,
    ];

    /// Round `value` to `scale` digits after the point. The result carries exactly
    /// `scale` digits (`2.5` to scale 2 is `2.50`), so documents show the unit they
    /// were rounded to.
    pub fn apply(self, value: Decimal, scale: u32) -> Decimal {
        let scale = scale.min(28);
        let mut r = self.round(value, scale);
        // round_dp never adds digits; pad so that "2.5" rounded to cents reads "2.50".
        if r.scale() < scale {
            r.rescale(scale);
        }
        r
    }

    /// `value.round_dp_with_strategy(dp, strategy)` with this mode's strategy, in one `u128` division: the
    /// same quotient, the same tie rules and the same sign (a negative value that rounds
    /// to zero stays `-0`, as there), at a fraction of the cost. Lines are rounded one by
    /// one, millions of times in a large statement run.
    pub(crate) fn round(self, value: Decimal, dp: u32) -> Decimal {
        let old = value.scale();
        if old <= dp {
            return value;
        }
        self.round_signed(value.mantissa(), value.is_sign_negative(), old - dp, dp)
    }

    /// [`Rounding::round`] of the number with mantissa `m` (at most 96 bits) and sign
    /// `negative` at `dp + digits` decimals (`digits` ≥ 1), for a caller that has the
    /// mantissa at hand and would otherwise build a decimal only to take it apart.
    #[inline]
    pub(crate) fn round_signed(self, m: i128, negative: bool, digits: u32, dp: u32) -> Decimal {
        let q = self.round_mantissa(m.unsigned_abs(), digits, negative);
        // `q` is at most the 96-bit mantissa divided by ten, plus one: it fits.
        let part = |k: u32| ((q >> (32 * k)) & 0xFFFF_FFFF) as u32;
        Decimal::from_parts(part(0), part(1), part(2), negative, dp)
    }

    /// The magnitude `m` of a number with `digits` (at most 38) fewer decimals, rounded
    /// with this mode: `m / 10^digits` and one up or not. `negative` is the number's sign,
    /// for the directed modes (`ceiling`, `floor`).
    pub(crate) fn round_mantissa(self, m: u128, digits: u32, negative: bool) -> u128 {
        // On 64 bits when they suffice: a 128-bit division is a library call, several
        // times slower, and most amounts fit.
        if let (Ok(m), true) = (u64::try_from(m), digits < 20) {
            let p = POW10[digits as usize] as u64;
            let (q, r) = (m / p, m % p);
            return u128::from(q) + u128::from(self.rounds_up(negative, q % 2 == 1, r, p - r));
        }
        let p = POW10[digits as usize];
        let (q, r) = (m / p, m % p);
        q + u128::from(self.rounds_up(negative, q % 2 == 1, r, p - r))
    }

    /// `m` and `m + width` (non-negative magnitudes with `digits` fewer decimals) rounded
    /// with this mode, when both round alike; `None` when they do not (or `m + width`
    /// overflows). The same as two [`Rounding::round_mantissa`]s compared, in one 64-bit
    /// division when the two share their quotient (a bracket of a few units at the
    /// smallest scale, as the reorder engine's safety stock, almost always does).
    pub(crate) fn round_span(self, m: u128, width: u128, digits: u32) -> Option<u128> {
        if let Some(alike) = self.round_span_u64(m, width, digits) {
            return alike;
        }
        let a = self.round_mantissa(m, digits, false);
        (a == self.round_mantissa(m.checked_add(width)?, digits, false)).then_some(a)
    }

    /// [`Rounding::round_span`] in one 64-bit division: `None` when that does not decide
    /// (`m`, `width` or `10^digits` beyond 64 bits, or `m + width` past the next
    /// multiple of `10^digits`), else whether and how both round alike.
    #[inline]
    fn round_span_u64(self, m: u128, width: u128, digits: u32) -> Option<Option<u128>> {
        let (m, width) = (u64::try_from(m).ok()?, u64::try_from(width).ok()?);
        if digits >= 20 {
            return None;
        }
        let p = POW10[digits as usize] as u64;
        let (q, r) = (m / p, m % p);
        // Same quotient at both ends: whether each rounds up decides.
        let r2 = r.checked_add(width).filter(|r2| *r2 < p)?;
        let odd = q % 2 == 1;
        let up = self.rounds_up(false, odd, r, p - r);
        Some((up == self.rounds_up(false, odd, r2, p - r2)).then(|| u128::from(q) + u128::from(up)))
    }

    /// Whether a quotient (odd or not) with remainder `r` rounds away from zero, where
    /// `rest` is what the remainder lacks to the divisor (`r` against `rest` is the
    /// remainder against half the divisor, without doubling it).
    #[inline]
    fn rounds_up<T: Ord + Default>(self, negative: bool, odd: bool, r: T, rest: T) -> bool {
        r != T::default()
            && match self {
                Rounding::Up => true,
                Rounding::Down => false,
                Rounding::Ceiling => !negative,
                Rounding::Floor => negative,
                Rounding::HalfUp => r >= rest,
                Rounding::HalfDown => r > rest,
                Rounding::HalfEven => r > rest || (r == rest && odd),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::XorShift;
    use proptest::prelude::*;
    use rust_decimal::RoundingStrategy;

    /// The `rust_decimal` strategy each mode is checked against.
    fn strategy(mode: Rounding) -> RoundingStrategy {
        match mode {
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfDown => RoundingStrategy::MidpointTowardZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
        }
    }

    proptest! {
        /// The integer rounding is `rust_decimal`'s, digit for digit and sign for sign.
        #[test]
        fn round_is_round_dp(lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28, dp in 0u32..=28, small: bool) {
            let x = if small {
                Decimal::from_parts(lo, 0, 0, negative, scale)
            } else {
                Decimal::from_parts(lo, mid, hi, negative, scale)
            };
            for mode in Rounding::ALL {
                let want = x.round_dp_with_strategy(dp, strategy(mode));
                let got = mode.round(x, dp);
                prop_assert_eq!(got, want);
                prop_assert_eq!(got.to_string(), want.to_string());
                prop_assert_eq!(got.is_sign_negative(), want.is_sign_negative());
            }
        }
    }

    proptest! {
        /// The mantissa rounding on the whole `u128` range and up to 38 digits (beyond
        /// what a decimal holds, as the reorder engine's fixed point uses it) is the
        /// quotient rounded by the remainder against half the divisor.
        #[test]
        fn round_mantissa_is_division(m: u128, small: bool, digits in 0u32..=38, negative: bool) {
            let m = if small { m % (1 << 64) } else { m };
            let p = POW10[digits as usize];
            let (q, r) = (m / p, m % p);
            // 2r < 2·10^38 < 2^128: the doubled remainder fits.
            let half = (2 * r).cmp(&p);
            for mode in Rounding::ALL {
                let up = r != 0 && match mode {
                    Rounding::Up => true,
                    Rounding::Down => false,
                    Rounding::Ceiling => !negative,
                    Rounding::Floor => negative,
                    Rounding::HalfUp => half.is_ge(),
                    Rounding::HalfDown => half.is_gt(),
                    Rounding::HalfEven => half.is_gt() || (half.is_eq() && q % 2 == 1),
                };
                prop_assert_eq!(mode.round_mantissa(m, digits, negative), q + u128::from(up));
            }
        }
    }

    /// `round_span` is two `round_mantissa`s compared, and decides in one division in
    /// most brackets of a few units (it would fail if that path were wrong or unused).
    #[test]
    fn round_span_is_two_roundings() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let mut next = |m: u64| rng.next() % m;
        let mut one_division = 0;
        for case in 0..300_000u32 {
            let digits = next(24) as u32;
            let p = POW10[digits as usize];
            let m = match case % 4 {
                // Near a multiple of the divisor or its midpoint, where ends differ.
                0 => (u128::from(next(1 << 40)) * p).saturating_sub(u128::from(next(4))),
                1 => (u128::from(next(1 << 40)) * p + p / 2).saturating_sub(u128::from(next(4))),
                2 => u128::from(next(u64::MAX)),
                _ => u128::from(next(u64::MAX)) << 40,
            };
            let width = u128::from(next(4));
            let mode = Rounding::ALL[next(7) as usize];
            let a = mode.round_mantissa(m, digits, false);
            let want = m
                .checked_add(width)
                .and_then(|hi| (mode.round_mantissa(hi, digits, false) == a).then_some(a));
            assert_eq!(
                mode.round_span(m, width, digits),
                want,
                "{m} {width} {digits} {mode:?}"
            );
            if let Some(fast) = mode.round_span_u64(m, width, digits) {
                one_division += 1;
                assert_eq!(fast, want, "{m} {width} {digits} {mode:?}");
            }
        }
        assert!(one_division > 80_000, "{one_division}");
    }

    #[test]
    fn ties_and_signs() {
        for (x, dp) in [
            ("2.5", 0),
            ("-2.5", 0),
            ("0.125", 2),
            ("-0.125", 2),
            ("-0.004", 2),
            ("0.005", 2),
            ("1.0000", 2),
        ] {
            let x: Decimal = x.parse().unwrap();
            for mode in Rounding::ALL {
                let want = x.round_dp_with_strategy(dp, strategy(mode));
                let got = mode.round(x, dp);
                assert_eq!(got.to_string(), want.to_string(), "{x} {mode:?}");
                assert_eq!(
                    got.is_sign_negative(),
                    want.is_sign_negative(),
                    "{x} {mode:?}"
                );
            }
        }
    }
}
