//! Crediting: who is credited how much of which sale, in which currency, and when it
//! becomes payable.
//!
//! This module decides how a credit is split among payees (percentages summing to
//! exactly 100, amounts conserved to the cent by largest-remainder allocation), how it
//! is converted into the plan currency (at the rate in force on the credit's date,
//! before splitting, so the parts add up in the plan currency too), and how its base is
//! released: once on booking, once on invoice, or pro rata with each payment (down
//! payments and partial payments included, again conserved by allocation). A credit
//! note is simply a credit with a negative amount: it reduces the base. It never
//! decides rates or tiers.

use super::num;
use super::plan::{DealKind, Filter, PayOn, Plan};
use super::statement::Id;
use crate::error::{Error, Result};
use crate::money::{Currency, Money, RateTable, allocate};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One share of a split as written.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// The payee credited.
    pub payee: String,
    /// Percent of the credit; all splits of a credit add up to exactly 100.
    pub percent: Decimal,
}

/// A payment received against a credit, in the credit's currency.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentSpec {
    /// When it was received.
    pub date: NaiveDate,
    /// How much (same sign as the credit; all payments at most the credit's amount).
    pub amount: Money,
}

/// A credit as written by the host: a sale (or, with a negative amount, a credit note)
/// credited to one payee or split among several.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditSpec {
    /// Unique id (an invoice line, an order line), named by every line it produces.
    pub id: String,
    /// Booking date; picks the plan version and the exchange rate.
    pub date: NaiveDate,
    /// Credited amount, net of tax; negative for a credit note.
    pub amount: Money,
    /// Cost, for margin bases (0 when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Money>,
    /// Units, for quantity bases and SPIFF thresholds (0 when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Product id, for filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Product category, for filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// New business or renewal, for filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<DealKind>,
    /// Region, for filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Channel, for filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Deal id, for per-deal caps and minimums (the credit is its own deal when omitted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deal: Option<String>,
    /// The one payee credited with 100 % (give this or `splits`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<String>,
    /// Several payees' shares (give this or `payee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub splits: Option<Vec<SplitSpec>>,
    /// Invoice date, for plans paying on invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_date: Option<NaiveDate>,
    /// Payments, for plans paying on payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<PaymentSpec>>,
}

/// A validated credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    /// Id.
    pub id: Id,
    /// Booking date.
    pub date: NaiveDate,
    /// Amount.
    pub amount: Money,
    /// Cost (zero when not given), in the credit's currency.
    pub cost: Money,
    /// Quantity.
    pub quantity: Decimal,
    /// Product.
    pub product: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// New or renewal.
    pub kind: Option<DealKind>,
    /// Region.
    pub region: Option<String>,
    /// Channel.
    pub channel: Option<String>,
    /// Deal id (the credit id when none was given).
    pub deal: Id,
    /// (payee index, percent), percentages adding up to exactly 100.
    pub splits: Splits,
    /// Invoice date.
    pub invoice_date: Option<NaiveDate>,
    /// Payments (date, amount in the credit's currency).
    pub payments: Vec<(NaiveDate, Decimal)>,
}

/// The most splits a credit holds in place, without a heap block of their own.
const INLINE_SPLITS: usize = 2;

/// A credit's splits: (payee index, percent), read as a slice.
///
/// Up to two are held in place (nearly every credit has one or two): the share index
/// reads every credit's splits in input order, and a heap block of their own was a cache
/// miss on each credit. Wider splits live on the heap.
#[derive(Clone)]
pub struct Splits(SplitsRepr);

#[derive(Clone)]
enum SplitsRepr {
    /// The first `len` of `items`.
    Inline {
        len: u8,
        items: [(usize, Decimal); INLINE_SPLITS],
    },
    Heap(Vec<(usize, Decimal)>),
}

impl Splits {
    /// One payee credited with 100 %.
    pub fn one(payee: usize) -> Splits {
        Splits(SplitsRepr::Inline {
            len: 1,
            items: [(payee, Decimal::ONE_HUNDRED), (0, Decimal::ZERO)],
        })
    }
}

impl From<Vec<(usize, Decimal)>> for Splits {
    fn from(v: Vec<(usize, Decimal)>) -> Splits {
        let unused = (0, Decimal::ZERO);
        Splits(match *v.as_slice() {
            [a] => SplitsRepr::Inline {
                len: 1,
                items: [a, unused],
            },
            [a, b] => SplitsRepr::Inline {
                len: 2,
                items: [a, b],
            },
            _ => SplitsRepr::Heap(v),
        })
    }
}

impl std::ops::Deref for Splits {
    type Target = [(usize, Decimal)];

    fn deref(&self) -> &[(usize, Decimal)] {
        match &self.0 {
            SplitsRepr::Inline { len, items } => &items[..usize::from(*len)],
            SplitsRepr::Heap(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Splits {
    type Item = &'a (usize, Decimal);
    type IntoIter = std::slice::Iter<'a, (usize, Decimal)>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Splits {
    fn eq(&self, other: &Splits) -> bool {
        **self == **other
    }
}

impl Eq for Splits {}

impl std::fmt::Debug for Splits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

fn fits_unit(m: &Money) -> bool {
    match m.currency.minor_units() {
        Some(u) => m.amount.normalize().scale() <= u,
        None => true,
    }
}

/// Whether `m` can be written with its currency's minor unit without losing digits (a
/// 29-digit amount cannot carry two more decimals).
fn carries_unit(m: &Money) -> bool {
    let unit = m.currency.minor_units().unwrap_or(0);
    let mut x = m.amount;
    x.rescale(unit);
    x == m.amount && x.scale() == unit
}

impl Credit {
    /// Check a credit; `payees` maps payee ids to their index. Errors name fields
    /// relative to the credit.
    pub fn new(spec: CreditSpec, payees: &HashMap<&str, usize>) -> Result<Credit> {
        if spec.id.is_empty() {
            return Err(Error::invalid("id", "must not be empty"));
        }
        if !fits_unit(&spec.amount) {
            return Err(Error::invalid(
                "amount.amount",
                format!(
                    "{} has more decimals than a {} minor unit",
                    spec.amount.amount, spec.amount.currency
                ),
            ));
        }
        if !carries_unit(&spec.amount) {
            return Err(Error::overflow(
                "amount.amount",
                format!("{} is too large to carry cents", spec.amount.amount),
            ));
        }
        let cost = match spec.cost {
            Some(c) => {
                c.expect_currency(spec.amount.currency, "cost.currency")?;
                if !fits_unit(&c) || !carries_unit(&c) {
                    return Err(Error::invalid(
                        "cost.amount",
                        "has more decimals than the currency's minor unit",
                    ));
                }
                c
            }
            None => Money::zero(spec.amount.currency),
        };
        let quantity = spec.quantity.unwrap_or_default();
        if num::is_negative(quantity) != num::is_negative(spec.amount.amount) && !quantity.is_zero()
        {
            return Err(Error::invalid(
                "quantity",
                "must have the same sign as the amount (negative only on a credit note)",
            ));
        }
        let splits = match (spec.payee, spec.splits) {
            (Some(p), None) => {
                let i = *payees
                    .get(p.as_str())
                    .ok_or_else(|| Error::not_found("payee", format!("no payee `{p}`")))?;
                Splits::one(i)
            }
            (None, Some(list)) => {
                if list.is_empty() {
                    return Err(Error::invalid("splits", "must not be empty"));
                }
                let mut out: Vec<(usize, Decimal)> = Vec::with_capacity(list.len());
                let mut total = Decimal::ZERO;
                for (j, s) in list.iter().enumerate() {
                    let i = *payees.get(s.payee.as_str()).ok_or_else(|| {
                        Error::not_found(
                            format!("splits[{j}].payee"),
                            format!("no payee `{}`", s.payee),
                        )
                    })?;
                    if s.percent <= Decimal::ZERO {
                        return Err(Error::invalid(
                            format!("splits[{j}].percent"),
                            "must be above 0",
                        ));
                    }
                    if out.iter().any(|(k, _)| *k == i) {
                        return Err(Error::invalid(
                            format!("splits[{j}].payee"),
                            format!("`{}` is credited twice", s.payee),
                        ));
                    }
                    total = num::add(total, s.percent, "splits")?;
                    out.push((i, s.percent));
                }
                if total != Decimal::ONE_HUNDRED {
                    return Err(Error::invalid(
                        "splits",
                        format!("percentages must add up to exactly 100, not {total}"),
                    ));
                }
                Splits::from(out)
            }
            _ => {
                return Err(Error::invalid(
                    "payee",
                    "give exactly one of `payee` and `splits`",
                ));
            }
        };
        let mut payments = Vec::new();
        let mut paid = Decimal::ZERO;
        for (k, p) in spec.payments.unwrap_or_default().iter().enumerate() {
            p.amount.expect_currency(
                spec.amount.currency,
                &format!("payments[{k}].amount.currency"),
            )?;
            let a = p.amount.amount;
            if a.is_zero() || num::is_negative(a) != num::is_negative(spec.amount.amount) {
                return Err(Error::invalid(
                    format!("payments[{k}].amount"),
                    "must be non-zero and have the credit's sign",
                ));
            }
            paid = num::add(paid, a, "payments")?;
            if paid.abs() > spec.amount.amount.abs() {
                return Err(Error::invalid(
                    format!("payments[{k}].amount"),
                    format!(
                        "payments add up to {paid}, more than the credit's {}",
                        spec.amount.amount
                    ),
                ));
            }
            payments.push((p.date, a));
        }
        let id = Id::from(spec.id);
        Ok(Credit {
            deal: spec.deal.map(Id::from).unwrap_or_else(|| id.clone()),
            id,
            date: spec.date,
            amount: spec.amount,
            cost,
            quantity,
            product: spec.product,
            category: spec.category,
            kind: spec.kind,
            region: spec.region,
            channel: spec.channel,
            splits,
            invoice_date: spec.invoice_date,
            payments,
        })
    }

    /// Whether the credit passes `filter`.
    #[inline]
    pub fn matches(&self, f: &Filter) -> bool {
        fn has(list: &Option<Vec<String>>, v: &Option<String>) -> bool {
            match list {
                None => true,
                Some(l) => v.as_ref().is_some_and(|v| l.contains(v)),
            }
        }
        has(&f.products, &self.product)
            && has(&f.categories, &self.category)
            && has(&f.regions, &self.region)
            && has(&f.channels, &self.channel)
            && match &f.kinds {
                None => true,
                Some(l) => self.kind.is_some_and(|k| l.contains(&k)),
            }
    }

    /// Index of `payee` in the splits.
    pub fn split_of(&self, payee: usize) -> Option<usize> {
        self.splits.iter().position(|(p, _)| *p == payee)
    }
}

/// The exchange rate a credit was converted at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fx {
    /// Units of plan currency per unit of credit currency.
    pub rate: Decimal,
    /// The rate's effective date.
    pub effective: NaiveDate,
}

/// A part of a credit that becomes payable to some payees on one date, in the plan
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// Index of the credit.
    pub credit: usize,
    /// When it is payable (booking, invoice or payment date).
    pub date: NaiveDate,
    /// Position among the credit's releases.
    pub seq: usize,
    /// Revenue share released.
    pub revenue: Decimal,
    /// Cost share released.
    pub cost: Decimal,
    /// Quantity share released.
    pub quantity: Decimal,
    /// Percent of the credit these payees hold.
    pub percent: Decimal,
    /// Conversion, when the credit is in another currency.
    pub fx: Option<Fx>,
}

/// The most split positions [`split_small`] handles without allocating.
const SMALL_SPLIT: usize = 8;

/// [`allocate`] of `amount` (already at `scale`) by the split percentages, on the stack:
/// the same largest-remainder rule (ties to the earlier part). `None` when the split is
/// too wide or the arithmetic does not fit, and the caller uses [`allocate`] itself.
fn split_small(
    amount: Decimal,
    scale: u32,
    splits: &[(usize, Decimal)],
) -> Option<[i128; SMALL_SPLIT]> {
    if splits.len() > SMALL_SPLIT || amount.scale() != scale || scale > 28 {
        return None;
    }
    let common = splits.iter().map(|(_, w)| w.scale()).max().unwrap_or(0);
    let mut ints = [0i128; SMALL_SPLIT];
    for (k, (_, w)) in splits.iter().enumerate() {
        if w.is_sign_negative() {
            return None;
        }
        let mut w = *w;
        // Percentages usually share one scale (60 and 40): nothing to bring together.
        if w.scale() != common {
            w.rescale(common);
            if w.scale() != common {
                return None;
            }
        }
        ints[k] = w.mantissa();
    }
    let sum: i128 = ints.iter().sum();
    if sum == 0 {
        return None;
    }
    let units = amount.mantissa();
    let n = units.checked_abs()?;
    let mut parts = [0i128; SMALL_SPLIT];
    let mut rems = [0i128; SMALL_SPLIT];
    let mut given: i128 = 0;
    // An amount in cents times a percentage fits in 64 bits: the hardware divides it,
    // where an `i128` division is a call into the runtime.
    let narrow = u64::try_from(sum).ok();
    for k in 0..splits.len() {
        let product = n.checked_mul(ints[k])?;
        (parts[k], rems[k]) = match (narrow, u64::try_from(product)) {
            (Some(s), Ok(p)) => (i128::from(p / s), i128::from(p % s)),
            _ => (product / sum, product % sum),
        };
        given += parts[k];
    }
    let left = n - given;
    for k in 0..splits.len() {
        // Rank in a stable sort by remainder, largest first.
        let rank = (0..splits.len())
            .filter(|&j| rems[j] > rems[k] || (j < k && rems[j] == rems[k]))
            .count();
        if (rank as i128) < left {
            parts[k] += 1;
        }
    }
    if units < 0 {
        parts.iter_mut().for_each(|p| *p = -*p);
    }
    Some(parts)
}

/// `pct` of a zero quantity: `Decimal::ZERO` with the point moved two places for the
/// percentage.
const NO_QUANTITY: Decimal = Decimal::from_parts(0, 0, 0, false, 2);

/// The decimal of `u` whole units of 10^-`scale`, as `Decimal::from_i128_with_scale`
/// gives it (a zero is positive), without its checks of scale and range: `None` beyond 96
/// bits. The caller keeps `scale` at most 28.
fn of_units(u: i128, scale: u32) -> Option<Decimal> {
    let n = u.unsigned_abs();
    if n >> 96 != 0 {
        return None;
    }
    // The three 32-bit words of the mantissa: truncating is the point.
    Some(Decimal::from_parts(
        n as u32,
        (n >> 32) as u32,
        (n >> 64) as u32,
        u < 0,
        scale,
    ))
}

/// [`split_small`] of `amount` between two positions weighing `a` and `b`, in 64-bit
/// arithmetic: `None` when the weights differ in scale or the products exceed 64 bits (the
/// caller then uses [`split_small`] itself). Between two parts at most one unit is left
/// over, and it goes to the larger remainder, the earlier part on a tie.
fn split_pair(amount: Decimal, a: Decimal, b: Decimal) -> Option<(i128, i128)> {
    if a.scale() != b.scale() || a.is_sign_negative() || b.is_sign_negative() {
        return None;
    }
    let (a, b) = (
        u64::try_from(a.mantissa()).ok()?,
        u64::try_from(b.mantissa()).ok()?,
    );
    let sum = a.checked_add(b)?;
    if sum == 0 {
        return None;
    }
    let units = amount.mantissa();
    let n = u64::try_from(units.unsigned_abs()).ok()?;
    let (x, y) = (n.checked_mul(a)?, n.checked_mul(b)?);
    let (mut p, mut q) = (x / sum, y / sum);
    if n - p - q > 0 {
        if x % sum >= y % sum {
            p += 1;
        } else {
            q += 1;
        }
    }
    let (p, q) = (i128::from(p), i128::from(q));
    Some(if units < 0 { (-p, -q) } else { (p, q) })
}

/// One payee's share of a common credit, to be released whole on one date: what
/// [`plain_releases`] hands each split position (the index builds the release in place,
/// rather than copying one through).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part {
    /// Revenue share.
    pub revenue: Decimal,
    /// Cost share.
    pub cost: Decimal,
    /// Quantity share.
    pub quantity: Decimal,
    /// Percent of the credit.
    pub percent: Decimal,
}

impl Part {
    /// The release of this share of credit `index` on `date`.
    #[inline]
    pub(crate) fn release(self, index: usize, date: NaiveDate) -> Release {
        Release {
            credit: index,
            date,
            seq: 0,
            revenue: self.revenue,
            cost: self.cost,
            quantity: self.quantity,
            percent: self.percent,
            fx: None,
        }
    }
}

/// The shares of every split position of a common credit paid whole on one date: its
/// amount already in the plan currency (`currency`) at the plan's `scale` and a zero
/// cost, so that no rate, no rounding, no check of digits and no allocation of the cost
/// is needed, and the amount is split once for all its payees (the general path splits
/// it again for each).
///
/// Calls `each(position, payee, part)` for every position in order, where
/// `part.release(i, date)` is what [`releases_into`] gives that position alone of credit
/// `i` paid on booking (`date` = `credit.date`) or on invoice (the same decimals, scale
/// and sign included), or `None` where its quantity share does not fit (the general path
/// then reports the error). False, without calling `each`, for any other credit, which
/// [`releases_into`] releases instead.
#[inline]
pub(crate) fn plain_releases(
    credit: &Credit,
    currency: Currency,
    scale: u32,
    mut each: impl FnMut(usize, usize, Option<Part>),
) -> bool {
    let (amount, cost) = (&credit.amount, &credit.cost);
    if amount.currency != currency
        || amount.amount.scale() != scale
        || cost.currency != currency
        || !cost.amount.is_zero()
        || scale > 28
    {
        return false;
    }
    let splits = &credit.splits[..];
    let zero = Decimal::from_parts(0, 0, 0, false, scale);
    // Each position's revenue in units of 10^-scale; unused for one payee, who gets the
    // amount as it is.
    let units = match splits {
        [_] => [0; SMALL_SPLIT],
        [(_, p), (_, q)] => match split_pair(amount.amount, *p, *q) {
            Some((a, b)) => {
                let mut units = [0; SMALL_SPLIT];
                (units[0], units[1]) = (a, b);
                units
            }
            None => match split_small(amount.amount, scale, splits) {
                Some(units) => units,
                None => return false,
            },
        },
        _ => match split_small(amount.amount, scale, splits) {
            Some(units) => units,
            None => return false,
        },
    };
    // The general path sums a position's part, cost and percent from `Decimal::ZERO`; a
    // sum of one term is that term itself, as `rust_decimal` gives `0 + x` (the index's
    // property test holds this against `releases_into`).
    let (one, cost) = match splits {
        // One payee: the amount and the cost as they are (a zero cost at another scale
        // is converted to zero at the plan's scale).
        [_] if cost.amount.scale() == scale => (true, cost.amount),
        [_] => (true, zero),
        _ => (false, zero),
    };
    // One call of `each` (per position), so that it is inlined here.
    for (k, (&(payee, percent), &u)) in splits.iter().zip(&units).enumerate() {
        let revenue = if one {
            Some(amount.amount)
        } else {
            of_units(u, scale)
        };
        let quantity = if credit.quantity.is_zero() {
            Some(NO_QUANTITY)
        } else {
            num::pct(credit.quantity, percent, Decimal::ONE_HUNDRED, "quantity").ok()
        };
        let part = match (revenue, quantity) {
            (Some(revenue), Some(quantity)) => Some(Part {
                revenue,
                cost,
                quantity,
                percent,
            }),
            _ => None,
        };
        each(k, payee, part);
    }
    true
}

/// A credit's shares for the split positions `members`, converted into `plan`'s
/// currency at the credit date's rate and released as `pay_on` says.
pub fn releases(
    index: usize,
    credit: &Credit,
    plan: &Plan,
    pay_on: PayOn,
    rates: &RateTable,
    members: &[usize],
) -> Result<Vec<Release>> {
    let mut out = Vec::new();
    releases_into(index, credit, plan, pay_on, rates, members, &mut out)?;
    Ok(out)
}

/// [`releases`], appending to `out` (the engine reuses one vector for every credit).
pub(crate) fn releases_into(
    index: usize,
    credit: &Credit,
    plan: &Plan,
    pay_on: PayOn,
    rates: &RateTable,
    members: &[usize],
    out: &mut Vec<Release>,
) -> Result<()> {
    let mode = plan.rounding.mode;
    let scale = plan.scale();
    let convert = |m: Money, field: &str| {
        rates
            .convert(m, plan.currency, credit.date, mode, Some(scale))
            .map_err(|e| match e {
                Error::NotFound { what, .. } => Error::not_found(field, what),
                other => other.within(field),
            })
    };
    // An amount already in the plan currency at its unit's scale converts to itself
    // (same currency, nothing to round): skip the rate table.
    let as_is = |m: &Money| m.currency == plan.currency && m.amount.scale() == scale;
    let (amount, fx) = if as_is(&credit.amount) {
        (credit.amount, None)
    } else {
        let a = convert(credit.amount, "amount.currency")?;
        let fx = a.effective.map(|effective| Fx {
            rate: a.rate,
            effective,
        });
        (a.money, fx)
    };
    let cost = if as_is(&credit.cost) {
        credit.cost
    } else if credit.cost.amount.is_zero() {
        // Zero converts to zero at the unit's scale whatever the rate (the amount, in
        // the same currency, was converted above, so the rate exists).
        Money::new(Decimal::from_i128_with_scale(0, scale), plan.currency)
    } else {
        convert(credit.cost, "cost.currency")?.money
    };
    for (m, field) in [(amount.amount, "amount"), (cost.amount, "cost")] {
        if m.scale() == scale {
            continue;
        }
        // Splitting works in whole minor units; an amount too large to carry them would
        // silently lose digits, so it is refused instead.
        let mut units = m;
        units.rescale(scale);
        if units != m || units.scale() != scale {
            return Err(Error::overflow(
                field,
                format!("{m} is too large to split in units of 10^-{scale}"),
            ));
        }
    }
    let mut revenue = Decimal::ZERO;
    let mut cost_share = Decimal::ZERO;
    let mut percent = Decimal::ZERO;
    if let [(_, p)] = &credit.splits[..] {
        // One payee: the whole amount, no allocation needed.
        if members.contains(&0) {
            revenue = amount.amount;
            cost_share = cost.amount;
            percent = *p;
        }
    } else {
        let weights = || {
            credit
                .splits
                .iter()
                .map(|(_, p)| *p)
                .collect::<Vec<Decimal>>()
        };
        let small = split_small(amount.amount, scale, &credit.splits);
        let rev_parts = match small {
            Some(_) => None,
            None => Some(allocate(amount, &weights(), Some(scale))?),
        };
        let rev_at = |m: usize| match (&small, &rev_parts) {
            (Some(parts), _) => (m < credit.splits.len())
                .then(|| {
                    parts
                        .get(m)
                        .map(|&u| Decimal::from_i128_with_scale(u, scale))
                })
                .flatten(),
            (None, Some(parts)) => parts.get(m).map(|r| r.amount),
            (None, None) => None,
        };
        // A zero cost splits into zeros at the unit's scale: no allocation needed.
        let cost_parts = if cost.amount.is_zero() {
            None
        } else {
            Some(allocate(cost, &weights(), Some(scale))?)
        };
        let zero = Decimal::from_i128_with_scale(0, scale);
        for &m in members {
            let c = match &cost_parts {
                None => Some(zero),
                Some(parts) => parts.get(m).map(|c| c.amount),
            };
            if let (Some(r), Some(c), Some((_, p))) = (rev_at(m), c, credit.splits.get(m)) {
                revenue = num::add(revenue, r, "amount")?;
                cost_share = num::add(cost_share, c, "cost")?;
                percent = num::add(percent, *p, "splits")?;
            }
        }
    }
    let quantity = num::pct(credit.quantity, percent, Decimal::ONE_HUNDRED, "quantity")?;
    let whole = |date| Release {
        credit: index,
        date,
        seq: 0,
        revenue,
        cost: cost_share,
        quantity,
        percent,
        fx,
    };
    match pay_on {
        PayOn::Booking => {
            out.push(whole(credit.date));
            Ok(())
        }
        PayOn::Invoice => {
            out.extend(credit.invoice_date.map(whole));
            Ok(())
        }
        PayOn::Payment => {
            if credit.payments.is_empty() || credit.amount.amount.is_zero() {
                return Ok(());
            }
            let mut w: Vec<Decimal> = credit.payments.iter().map(|(_, a)| a.abs()).collect();
            let paid = num::sum(&w, "payments")?;
            let unpaid = num::sub(credit.amount.amount.abs(), paid, "payments")?;
            w.push(unpaid);
            let in_plan = |x: Decimal| crate::money::Money::new(x, plan.currency);
            let rev = allocate(in_plan(revenue), &w, Some(scale))?;
            let cst = allocate(in_plan(cost_share), &w, Some(scale))?;
            let total_w = num::add(paid, unpaid, "payments")?;
            out.reserve(credit.payments.len());
            for (k, (date, a)) in credit.payments.iter().enumerate() {
                let q = num::div(
                    num::mul(quantity, a.abs(), "quantity")?,
                    total_w,
                    "quantity",
                )?;
                out.push(Release {
                    credit: index,
                    date: *date,
                    seq: k,
                    revenue: rev.get(k).map_or(Decimal::ZERO, |m| m.amount),
                    cost: cst.get(k).map_or(Decimal::ZERO, |m| m.amount),
                    quantity: q,
                    percent,
                    fx,
                });
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_read_as_the_list_they_were_made_from() {
        for n in 1..=4 {
            let list: Vec<(usize, Decimal)> = (0..n).map(|p| (p, Decimal::from(p + 1))).collect();
            let splits = Splits::from(list.clone());
            assert_eq!(&splits[..], list.as_slice());
            assert_eq!(splits.clone(), splits);
            assert_eq!(format!("{splits:?}"), format!("{list:?}"));
        }
        assert_eq!(&Splits::one(7)[..], &[(7, Decimal::ONE_HUNDRED)]);
        assert_ne!(
            Splits::one(7),
            Splits::from(vec![(7, Decimal::ONE_HUNDRED), (8, Decimal::ONE)])
        );
    }

    proptest::proptest! {
        /// The small splits (on the stack, in 64 bits where they fit, and the two-way
        /// one) give `allocate_units`' parts: largest remainder, ties to the earlier part.
        #[test]
        fn small_splits_are_allocate(
            units in proptest::prelude::any::<i64>(),
            size in 0u8..3,
            tie in proptest::prelude::any::<bool>(),
            weights in proptest::collection::vec((0i64..100_000, 0u32..3), 1..=SMALL_SPLIT),
        ) {
            // Mostly small (equal remainders, ties), sometimes beyond 64 bits, where the
            // 64-bit paths give way.
            let units = match size {
                0 => i128::from(units % 1_000),
                1 => i128::from(units),
                _ => i128::from(units) << 30,
            };
            let mut weights: Vec<(i64, u32)> = weights
                .iter()
                .map(|&(w, s)| if size == 0 { (w % 10, s % 2) } else { (w, s) })
                .collect();
            if tie {
                // Equal weights leave equal remainders: the earlier part gets the unit.
                let first = weights[0];
                weights.iter_mut().for_each(|w| *w = first);
            }
            let weights: Vec<(usize, Decimal)> = weights
                .iter()
                .enumerate()
                .map(|(k, &(w, s))| (k, Decimal::new(w, s)))
                .collect();
            let amount = Decimal::from_i128_with_scale(units, 2);
            let w: Vec<Decimal> = weights.iter().map(|(_, w)| *w).collect();
            let expected = crate::money::allocate_units(units, &w).ok();
            let small = split_small(amount, 2, &weights).map(|p| p[..weights.len()].to_vec());
            if let Some(parts) = &small {
                proptest::prop_assert_eq!(Some(parts), expected.as_ref());
            }
            if let [(_, a), (_, b)] = weights[..] {
                if let Some((x, y)) = split_pair(amount, a, b) {
                    proptest::prop_assert_eq!(Some(vec![x, y]), expected);
                }
            }
        }
    }
}
