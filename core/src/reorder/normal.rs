//! The inverse of the standard normal distribution, the square root and the natural
//! logarithm, in exact decimal arithmetic.
//!
//! This module decides the service factor `z` for a service level: the `z` such that a
//! standard normal variable is below `z` with probability `level`. It uses Wichura's
//! algorithm AS241 (`PPND16`, Applied Statistics 37(3), 1988, pp. 477–484), whose
//! rational approximations are accurate to about 1e-16, evaluated in
//! [`Decimal`] arithmetic with this module's own [`ln`] and [`sqrt`]. No floating point is
//! involved, so the result has the same digits natively and in WebAssembly; it is
//! reported rounded to [`Z_SCALE`] decimals. It never decides how a service level is
//! chosen or quoted (that is the host's business, see [`crate::reorder::safety`]).
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesops::reorder::normal::inverse_normal;
//! let z = inverse_normal(Decimal::new(95, 2)).unwrap();
//! assert_eq!(z.to_string(), "1.644853627");
//! ```

use crate::error::{Error, Result};
use rust_decimal::Decimal;

/// Decimals kept in a computed service factor (1e-9, the accuracy promised).
pub const Z_SCALE: u32 = 9;

const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

/// ln 2 to 28 significant digits.
const LN_2: Decimal = Decimal::from_parts(0xaa7a_65bf, 0x81f5_2f01, 0x1665_943f, false, 28);

fn internal(what: &str) -> Error {
    Error::Internal {
        reason: format!("decimal arithmetic failed in {what}"),
    }
}

/// The square root of `x` (Newton's method in decimal arithmetic); `None` for a negative
/// `x`. Accurate to the last of Decimal's 28 digits.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::reorder::normal::sqrt;
/// assert_eq!(sqrt(Decimal::from(40_000)), Some(Decimal::from(200)));
/// ```
pub fn sqrt(x: Decimal) -> Option<Decimal> {
    if x.is_sign_negative() && !x.is_zero() {
        return None;
    }
    if x.is_zero() {
        return Some(Decimal::ZERO);
    }
    // The integer square root of the mantissa scaled to about 37 digits holds the root's
    // first 18 digits (all of them when the root has no more); one Newton step then
    // takes it beyond Decimal's 28.
    if let Some((g, exact)) = first_guess(x) {
        if exact {
            return Some(g.normalize());
        }
        // (g + x/g) / 2, halving by multiplication (much cheaper than a decimal division).
        return g.checked_add(x.checked_div(g)?)?.checked_mul(HALF);
    }
    // Fallback (not reached for positive decimals): Newton's method from above.
    let mut g = if x > Decimal::ONE { x } else { Decimal::ONE };
    let mut prev = Decimal::ZERO;
    for _ in 0..400 {
        // g/2 + (x/g)/2 rather than (g + x/g)/2, which could overflow near Decimal::MAX.
        let next = (g / Decimal::TWO).checked_add(x.checked_div(g)?.checked_div(Decimal::TWO)?)?;
        // Stop when it settles, or when rounding makes it alternate between two values.
        if next == g || next == prev {
            g = next.min(g);
            break;
        }
        prev = g;
        g = next;
    }
    Some(g)
}

/// `isqrt(m · 10^k) / 10^((k + s) / 2)` for `x = m / 10^s`, with `k + s` even, and
/// whether it is the exact root (found in integers: no decimal multiplication needed).
fn first_guess(x: Decimal) -> Option<(Decimal, bool)> {
    let m = x.mantissa().unsigned_abs();
    let s = x.scale();
    let digits = m.checked_ilog10()? + 1;
    let mut k = 37u32.checked_sub(digits)?;
    if (k + s) % 2 == 1 {
        k = k.checked_sub(1)?;
    }
    let big = m.checked_mul(10u128.checked_pow(k)?)?;
    let mut r = big.isqrt();
    let mut exact = r.checked_mul(r) == Some(big);
    let mut scale = (k + s) / 2;
    while scale > 28 {
        exact &= r % 10 == 0;
        r /= 10;
        scale -= 1;
    }
    let g = Decimal::try_from_i128_with_scale(i128::try_from(r).ok()?, scale).ok()?;
    (!g.is_zero()).then_some((g, exact))
}

/// The natural logarithm of `x > 0`; `None` otherwise.
///
/// `x = m · 2^k` with `m` in [1, 2), then `ln m = 2 atanh((m − 1)/(m + 1))` by its series,
/// which converges by a factor of at least 9 per term.
pub fn ln(x: Decimal) -> Option<Decimal> {
    if x <= Decimal::ZERO {
        return None;
    }
    let mut m = x;
    let mut k: i64 = 0;
    while m >= Decimal::TWO {
        m = m.checked_div(Decimal::TWO)?;
        k += 1;
    }
    while m < Decimal::ONE {
        m = m.checked_mul(Decimal::TWO)?;
        k -= 1;
    }
    let t = m
        .checked_sub(Decimal::ONE)?
        .checked_div(m.checked_add(Decimal::ONE)?)?;
    let t2 = t.checked_mul(t)?;
    let mut term = t;
    let mut sum = t;
    let mut n = Decimal::ONE;
    for _ in 0..200 {
        term = term.checked_mul(t2)?;
        n = n.checked_add(Decimal::TWO)?;
        let add = term.checked_div(n)?;
        if add.is_zero() {
            break;
        }
        sum = sum.checked_add(add)?;
    }
    let series = sum.checked_mul(Decimal::TWO)?;
    series.checked_add(LN_2.checked_mul(Decimal::from(k))?)
}

/// Read `"d.ddd…e±n"`; the smallest coefficients have more than 28 decimals, so they are
/// read as mantissa and power of ten and rounded to Decimal's 28 places.
fn coefficient(text: &str) -> Option<Decimal> {
    let (mantissa, exp) = text.split_once('e')?;
    let mut v: Decimal = mantissa.parse().ok()?;
    let exp: i32 = exp.parse().ok()?;
    let ten = Decimal::TEN;
    for _ in 0..exp.unsigned_abs() {
        v = if exp > 0 {
            v.checked_mul(ten)?
        } else {
            v.checked_div(ten)?
        };
    }
    Some(v)
}

/// Evaluate a polynomial with coefficients from the highest degree down.
fn poly(coeffs: &[&str], r: Decimal) -> Result<Decimal> {
    let mut acc = Decimal::ZERO;
    for c in coeffs {
        let c = coefficient(c).ok_or_else(|| internal("an AS241 coefficient"))?;
        acc = acc
            .checked_mul(r)
            .and_then(|a| a.checked_add(c))
            .ok_or_else(|| internal("AS241"))?;
    }
    Ok(acc)
}

// AS241 PPND16 coefficients (Wichura 1988), highest degree first.
const A: [&str; 8] = [
    "2.5090809287301226727e3",
    "3.3430575583588128105e4",
    "6.7265770927008700853e4",
    "4.5921953931549871457e4",
    "1.3731693765509461125e4",
    "1.9715909503065514427e3",
    "1.3314166789178437745e2",
    "3.3871328727963666080e0",
];
const B: [&str; 8] = [
    "5.2264952788528545610e3",
    "2.8729085735721942674e4",
    "3.9307895800092710610e4",
    "2.1213794301586595867e4",
    "5.3941960214247511077e3",
    "6.8718700749205790830e2",
    "4.2313330701600911252e1",
    "1e0",
];
const C: [&str; 8] = [
    "7.74545014278341407640e-4",
    "2.27238449892691845833e-2",
    "2.41780725177450611770e-1",
    "1.27045825245236838258e0",
    "3.64784832476320460504e0",
    "5.76949722146069140550e0",
    "4.63033784615654529590e0",
    "1.42343711074968357734e0",
];
const D: [&str; 8] = [
    "1.05075007164441684324e-9",
    "5.47593808499534494600e-4",
    "1.51986665636164571966e-2",
    "1.48103976427480074590e-1",
    "6.89767334985100004550e-1",
    "1.67638483018380384940e0",
    "2.05319162663775882187e0",
    "1e0",
];
const E: [&str; 8] = [
    "2.01033439929228813265e-7",
    "2.71155556874348757815e-5",
    "1.24266094738807843860e-3",
    "2.65321895265761230930e-2",
    "2.96560571828504891230e-1",
    "1.78482653991729133580e0",
    "5.46378491116411436990e0",
    "6.65790464350110377720e0",
];
const F: [&str; 8] = [
    "2.04426310338993978564e-15",
    "1.42151175831644588870e-7",
    "1.84631831751005468180e-5",
    "7.86869131145613259100e-4",
    "1.48753612908506148525e-2",
    "1.36929880922735805310e-1",
    "5.99832206555887937690e-1",
    "1e0",
];

/// The standard normal quantile of `p` (0 < `p` < 1), rounded to [`Z_SCALE`] decimals
/// half-even. Errors are `invalid_input` at `.` for `p` outside (0, 1).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::reorder::normal::inverse_normal;
/// assert_eq!(inverse_normal(Decimal::new(9, 1)).unwrap().to_string(), "1.281551566");
/// assert_eq!(inverse_normal(Decimal::new(5, 1)).unwrap().to_string(), "0");
/// assert_eq!(inverse_normal(Decimal::new(1, 1)).unwrap().to_string(), "-1.281551566");
/// ```
pub fn inverse_normal(p: Decimal) -> Result<Decimal> {
    if p <= Decimal::ZERO || p >= Decimal::ONE {
        return Err(Error::invalid(
            ".",
            format!("{p} is not a probability strictly between 0 and 1"),
        ));
    }
    let half = Decimal::new(5, 1);
    let q = p - half;
    let x = if q.abs() <= Decimal::new(425, 3) {
        let r = Decimal::new(180625, 6) - q * q;
        let num = poly(&A, r)?
            .checked_mul(q)
            .ok_or_else(|| internal("AS241"))?;
        num.checked_div(poly(&B, r)?)
            .ok_or_else(|| internal("AS241"))?
    } else {
        let tail = if q < Decimal::ZERO {
            p
        } else {
            Decimal::ONE - p
        };
        let r = ln(tail)
            .map(|l| -l)
            .and_then(sqrt)
            .ok_or_else(|| internal("AS241 tail"))?;
        let five = Decimal::from(5);
        let x = if r <= five {
            let r = r - Decimal::new(16, 1);
            poly(&C, r)?.checked_div(poly(&D, r)?)
        } else {
            let r = r - five;
            poly(&E, r)?.checked_div(poly(&F, r)?)
        }
        .ok_or_else(|| internal("AS241"))?;
        if q < Decimal::ZERO { -x } else { x }
    };
    Ok(crate::reorder::norm(x.round_dp(Z_SCALE)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ln_2_constant_is_right() {
        assert_eq!(LN_2.to_string(), "0.6931471805599453094172321215");
    }

    #[test]
    fn ln_matches_known_values() {
        // ln 10 = 2.302585092994045684017991454684...
        let l = ln(d("10")).unwrap();
        assert!(
            (l - d("2.3025850929940456840179914547")).abs() < d("1e-25"),
            "{l}"
        );
        assert_eq!(ln(Decimal::ONE), Some(Decimal::ZERO));
        assert!(ln(Decimal::ZERO).is_none());
        // ln 0.0001 = -9.210340371976182736...
        let l = ln(d("0.0001")).unwrap();
        assert!(
            (l - d("-9.2103403719761827360719658187")).abs() < d("1e-24"),
            "{l}"
        );
    }

    #[test]
    fn sqrt_is_exact_where_it_can_be() {
        assert_eq!(sqrt(d("40000")), Some(d("200")));
        assert_eq!(sqrt(d("2.25")), Some(d("1.5")));
        let s = sqrt(d("2")).unwrap();
        assert!(
            (s - d("1.4142135623730950488016887242")).abs() < d("1e-26"),
            "{s}"
        );
        assert!(sqrt(d("-1")).is_none());
        assert!(sqrt(Decimal::MAX).is_some());
        assert!(sqrt(d("0.0000000000000000000000000001")).is_some());
    }

    #[test]
    fn sqrt_squares_back_over_every_magnitude() {
        for x in [
            "0.0000000000000000000000000003",
            "0.000123",
            "0.5",
            "3",
            "2395.6179775280898876404494382",
            "123456789.123456789",
            "7922816251426433759354395033",
        ] {
            let x = d(x);
            let r = sqrt(x).unwrap();
            let back = r * r;
            let rel = ((back - x) / x).abs();
            assert!(rel < d("1e-20"), "sqrt({x}) = {r}, squared {back}");
        }
    }

    #[test]
    fn quantiles_match_published_values() {
        // Reference values: the standard normal quantiles to 12+ digits.
        for (p, z) in [
            ("0.5", "0"),
            ("0.8", "0.841621234"),
            ("0.9", "1.281551566"),
            ("0.95", "1.644853627"),
            ("0.975", "1.959963985"),
            ("0.98", "2.053748911"),
            ("0.99", "2.326347874"),
            ("0.999", "3.090232306"),
            ("0.9999", "3.719016485"),
            ("0.999999999", "5.997807015"),
            ("0.01", "-2.326347874"),
        ] {
            assert_eq!(inverse_normal(d(p)).unwrap(), d(z), "p = {p}");
        }
        for bad in ["0", "1", "-0.5", "1.5"] {
            assert!(inverse_normal(d(bad)).is_err(), "{bad}");
        }
    }
}
