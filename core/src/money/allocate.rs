//! Largest-remainder allocation: split an amount by weights so no unit is created or lost.

use super::Money;
use crate::error::{Error, Result};
use rust_decimal::Decimal;

/// Split `total` into parts proportional to `weights`, each rounded to `scale` digits
/// (the currency's minor unit when `None`), such that the parts add up exactly to `total`.
///
/// The method is largest remainder (Hamilton): every part first gets the floor of its
/// exact share in whole units; the units left over go one each to the parts with the
/// largest remainders, and between equal remainders to the earlier part. A negative total
/// is split as its absolute value and negated, so `allocate(-x)` mirrors `allocate(x)`.
/// Each part is therefore within one unit of its exact share, and a zero weight gets zero.
///
/// Errors: weights that are negative, empty or all zero (`invalid_input` naming the
/// weight), a total with more digits than `scale` (round it first; splitting it could not
/// conserve it), and amounts too large to split exactly (`overflow`).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::money::{allocate, Money};
/// let deal = Money::parse("100.00", "USD").unwrap();
/// let parts = allocate(deal, &[Decimal::ONE; 3], None).unwrap();
/// let shown: Vec<String> = parts.iter().map(|p| p.amount.to_string()).collect();
/// assert_eq!(shown, ["33.34", "33.33", "33.33"]);
/// ```
pub fn allocate(total: Money, weights: &[Decimal], scale: Option<u32>) -> Result<Vec<Money>> {
    let scale = match scale {
        Some(s) => s,
        None => total.currency.scale("total.currency")?,
    };
    if scale > 28 {
        return Err(Error::invalid("scale", "must be at most 28"));
    }
    let mut units_total = total.amount;
    if units_total.scale() > scale {
        let normal = units_total.normalize();
        if normal.scale() > scale {
            return Err(Error::invalid(
                "total.amount",
                format!(
                    "{} has more than {scale} decimal places; round it before splitting",
                    total.amount
                ),
            ));
        }
        units_total = normal;
    }
    // The total in whole units of 10^-scale, exactly. `rescale` leaves the value alone
    // when the extra digits do not fit in 28, so check that it took.
    units_total.rescale(scale);
    if units_total.scale() != scale {
        return Err(Error::overflow(
            "total.amount",
            format!(
                "{} has too many digits to express in units of 10^-{scale}",
                total.amount
            ),
        ));
    }
    let units = units_total.mantissa();
    let parts = allocate_units(units, weights)?;
    Ok(parts
        .into_iter()
        .map(|u| Money::new(Decimal::from_i128_with_scale(u, scale), total.currency))
        .collect())
}

/// [`allocate`] on whole units: split the integer `units` by `weights`; the result sums
/// to `units` exactly.
pub fn allocate_units(units: i128, weights: &[Decimal]) -> Result<Vec<i128>> {
    if weights.is_empty() {
        return Err(Error::invalid("weights", "must not be empty"));
    }
    // Bring every weight to one common scale so that they become exact integers.
    let common = weights.iter().map(|w| w.scale()).max().unwrap_or(0);
    let mut ints = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        if w.is_sign_negative() && !w.is_zero() {
            return Err(Error::invalid(
                format!("weights[{i}]"),
                format!("{w} is negative"),
            ));
        }
        let mut w = *w;
        w.rescale(common);
        ints.push(w.mantissa());
    }
    let sum: i128 = ints.iter().sum(); // at most 2^96 × len: no overflow for any real list
    if sum == 0 {
        return Err(Error::invalid("weights", "must not all be zero"));
    }
    let negative = units < 0;
    let n = units.abs();
    let too_big = || Error::overflow("total", "amount × weight is too large to split exactly");
    let mut parts = Vec::with_capacity(ints.len());
    let mut remainders = Vec::with_capacity(ints.len());
    let mut given: i128 = 0;
    for &w in &ints {
        let product = n.checked_mul(w).ok_or_else(too_big)?;
        parts.push(product / sum);
        remainders.push(product % sum);
        given += product / sum;
    }
    let mut order: Vec<usize> = (0..ints.len()).collect();
    // Largest remainder first; the stable sort keeps the earlier part first on ties.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]));
    let left = usize::try_from(n - given).map_err(|_| too_big())?;
    for &i in order.iter().take(left) {
        parts[i] += 1;
    }
    if negative {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ties_go_to_the_earlier_part() {
        assert_eq!(
            allocate_units(2, &[d("1"), d("1"), d("1")]).unwrap(),
            [1, 1, 0]
        );
        assert_eq!(
            allocate_units(-2, &[d("1"), d("1"), d("1")]).unwrap(),
            [-1, -1, 0]
        );
    }

    #[test]
    fn largest_remainder_wins() {
        // 10 by 0.3/0.3/0.4: 3, 3, 4 exactly.
        assert_eq!(
            allocate_units(10, &[d("0.3"), d("0.3"), d("0.4")]).unwrap(),
            [3, 3, 4]
        );
        // 5 by 1/2/2: exact shares 1, 2, 2.
        assert_eq!(
            allocate_units(5, &[d("1"), d("2"), d("2")]).unwrap(),
            [1, 2, 2]
        );
        // 7 by 1/1/1: 2.33 each → remainders equal → first gets the extra.
        assert_eq!(
            allocate_units(7, &[d("1"), d("1"), d("1")]).unwrap(),
            [3, 2, 2]
        );
        // 1 by 1/3: exact 0.25/0.75 → the larger remainder takes it.
        assert_eq!(allocate_units(1, &[d("1"), d("3")]).unwrap(), [0, 1]);
    }

    #[test]
    fn refuses_bad_weights() {
        assert_eq!(allocate_units(1, &[]).unwrap_err().field(), Some("weights"));
        assert_eq!(
            allocate_units(1, &[d("0"), d("0")]).unwrap_err().field(),
            Some("weights")
        );
        assert_eq!(
            allocate_units(1, &[d("1"), d("-1")]).unwrap_err().field(),
            Some("weights[1]")
        );
    }

    #[test]
    fn refuses_totals_too_large_for_the_unit() {
        // 29 digits of yen fit; the same digits as dollars need two more for the cents.
        let m = Money::parse("79228162514264337593543950335", "USD").unwrap();
        let e = allocate(m, &[d("1"), d("1")], None).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Overflow);
    }

    #[test]
    fn refuses_totals_finer_than_the_unit() {
        let m = Money::parse("10.005", "USD").unwrap();
        assert_eq!(
            allocate(m, &[d("1")], None).unwrap_err().field(),
            Some("total.amount")
        );
        // Trailing zeros are not extra precision.
        let m = Money::parse("10.5000", "USD").unwrap();
        assert_eq!(
            allocate(m, &[d("1")], None).unwrap()[0].amount.to_string(),
            "10.50"
        );
    }
}
