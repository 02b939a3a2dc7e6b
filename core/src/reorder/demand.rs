//! Demand from sales history: the daily rate and its deviation.
//!
//! This module decides how a history of dated sales becomes a daily demand rate. Sales
//! are summed per day over a half-open window `[from, to)`; days without a sale count as
//! zero demand; days the host marks as stock-outs are left out when asked
//! (`exclude_stockout_days`), because a day with no stock says nothing about demand. The
//! rate is the plain average or single exponential smoothing, optionally on
//! seasonally adjusted days (monthly factors); the deviation is the sample (default) or
//! population standard deviation of the daily values. Results are rounded half-even
//! to `scale` decimals (4 by default) before anyone uses them, so the rate a host sees
//! is the rate the policy used. It never forecasts trends or intermittent demand.
//!
//! ```
//! use salesops::reorder::HistorySpec;
//! let h: HistorySpec = serde_json::from_str(r#"{"from": "2026-03-01", "to": "2026-03-05",
//!   "sales": [{"date": "2026-03-01", "quantity": "4"}, {"date": "2026-03-03", "quantity": "8"}]}"#).unwrap();
//! let e = h.estimate().unwrap();
//! assert_eq!((e.daily.to_string(), e.std_dev.to_string()), ("3".into(), "3.8297".into()));
//! ```

use super::{add, div, mul, norm, positive, sub};
use crate::error::{Error, Result};
use crate::money::POW10;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Sale quantities below this take the integer fast path.
const SMALL: i128 = 1_000_000_000_000;

/// The longest window accepted, in days (ten years).
pub const MAX_WINDOW_DAYS: i64 = 3660;

/// One sale (or shipment) of the item: `{"date": "2026-03-02", "quantity": "3"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sale {
    /// The day it was sold.
    pub date: NaiveDate,
    /// Quantity in stock units, not negative (net returns out before sending).
    pub quantity: Decimal,
}

/// The dated sales of a history: `[{"date": "2026-03-02", "quantity": "3"}, ...]` in JSON.
///
/// Sales of whole quantities below 2^32 (what most histories hold) are kept as a date and
/// a 32-bit count, 8 bytes a sale instead of a [`Sale`]'s 20, and the estimate reads the
/// counts directly; a history with any other quantity (fractional, negative, larger)
/// keeps every sale as given (boxed: rare, and every history carries the field). Both
/// read the same through [`Sales::iter`]. Build it from sales with `From<Vec<Sale>>` or
/// by collecting them (which keeps them compact when it can). A vector it builds itself
/// (collecting, converting, reading JSON) is fitted to its length.
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesops::reorder::demand::{Sale, Sales};
/// let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
/// let sales: Sales = vec![Sale { date, quantity: Decimal::from(3) }].into();
/// assert_eq!(sales.len(), 1);
/// assert_eq!(sales.iter().next().unwrap().quantity, Decimal::from(3));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Sales(Dated);

/// How [`Sales`] holds its sales.
#[derive(Debug, Clone)]
enum Dated {
    /// Every quantity a whole number of units (scale 0, not negative, below 2^32), on
    /// strictly increasing dates: one sale a day, in order, as the estimate's integer
    /// path needs them. Found once, when the sales are read (they never change after),
    /// so that an estimate compares only the first and last dates with its window
    /// instead of every pair of dates each time (about 270 instructions a history of
    /// 83 sales).
    Units(Vec<(NaiveDate, u32)>),
    /// Whole units whose dates do not strictly increase (several sales on a day, or out
    /// of order): as compact, estimated by the decimal path (boxed: the enum stays 24
    /// bytes).
    #[allow(clippy::box_collection)]
    Unordered(Box<Vec<(NaiveDate, u32)>>),
    /// Any quantities (boxed so that the enum stays a `Vec`'s 24 bytes in every item).
    #[allow(clippy::box_collection)]
    Decimals(Box<Vec<Sale>>),
}

impl Default for Dated {
    fn default() -> Self {
        Dated::Units(Vec::new())
    }
}

impl Sales {
    /// The number of sales.
    pub fn len(&self) -> usize {
        match &self.0 {
            Dated::Units(u) => u.len(),
            Dated::Unordered(u) => u.len(),
            Dated::Decimals(d) => d.len(),
        }
    }

    /// Whether there are no sales.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sales in the order given (whole units as decimals of scale 0).
    pub fn iter(&self) -> impl Iterator<Item = Sale> + '_ {
        let (units, decimals) = match &self.0 {
            Dated::Units(u) => (&u[..], &[][..]),
            Dated::Unordered(u) => (&u[..], &[][..]),
            Dated::Decimals(d) => (&[][..], &d[..]),
        };
        units
            .iter()
            .map(|(date, u)| Sale {
                date: *date,
                quantity: Decimal::from(*u),
            })
            .chain(decimals.iter().cloned())
    }
}

impl From<Vec<Sale>> for Sales {
    /// Compact when every quantity is a whole number below 2^32 written without
    /// decimals; otherwise the sales as given.
    fn from(sales: Vec<Sale>) -> Self {
        match sales
            .iter()
            .map(|s| Some((s.date, unit(&s.quantity)?)))
            .collect::<Option<Vec<_>>>()
        {
            Some(units) => Sales::of_units(units),
            None => Sales(Dated::Decimals(Box::new(sales))),
        }
    }
}

impl FromIterator<Sale> for Sales {
    fn from_iter<I: IntoIterator<Item = Sale>>(iter: I) -> Self {
        let mut units = Vec::new();
        let mut iter = iter.into_iter();
        for s in iter.by_ref() {
            match unit(&s.quantity) {
                Some(u) => units.push((s.date, u)),
                None => return Sales::decimals(units, s, iter),
            }
        }
        Sales::of_units(units)
    }
}

impl Sales {
    /// Whole-unit sales, fitted and classified: [`Dated::Units`] when their dates
    /// strictly increase (tested for all pairs at once, without a branch per sale),
    /// [`Dated::Unordered`] otherwise.
    fn of_units(units: Vec<(NaiveDate, u32)>) -> Self {
        let units = fitted(units);
        if units.windows(2).fold(true, |ok, w| ok & (w[0].0 < w[1].0)) {
            Sales(Dated::Units(units))
        } else {
            Sales(Dated::Unordered(Box::new(units)))
        }
    }

    /// The decimal form, from the whole-unit sales read so far, the first sale that is
    /// not one, and the rest.
    fn decimals(
        units: Vec<(NaiveDate, u32)>,
        first: Sale,
        rest: impl Iterator<Item = Sale>,
    ) -> Self {
        let mut sales: Vec<Sale> = units
            .into_iter()
            .map(|(date, u)| Sale {
                date,
                quantity: Decimal::from(u),
            })
            .collect();
        sales.push(first);
        sales.extend(rest);
        Sales(Dated::Decimals(Box::new(fitted(sales))))
    }
}

/// Equal when they hold equal sales in the same order, however they are held (as
/// decimals compare: `1.0` equals `1`).
impl PartialEq for Sales {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Dated::Units(a), Dated::Units(b)) => a == b,
            (Dated::Unordered(a), Dated::Unordered(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for Sales {}

impl<'de> Deserialize<'de> for Sales {
    /// An array of sales, read into whole units until a quantity that is not one (then
    /// as given from there on), so a whole-unit history never holds its decimals.
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Sales;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of sales")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Sales, A::Error> {
                // serde's own cap on a preallocation from a size hint.
                let hint = seq.size_hint().unwrap_or(0).min(4096);
                let mut units = Vec::with_capacity(hint);
                while let Some(s) = seq.next_element::<Sale>()? {
                    match unit(&s.quantity) {
                        Some(u) => units.push((s.date, u)),
                        None => {
                            let mut rest = Vec::new();
                            while let Some(s) = seq.next_element::<Sale>()? {
                                rest.push(s);
                            }
                            return Ok(Sales::decimals(units, s, rest.into_iter()));
                        }
                    }
                }
                Ok(Sales::of_units(units))
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// The quantity of every day of a window, in order: `["3", "0", "5.5"]` in JSON.
///
/// Whole quantities below 2^32 (what most histories hold: units sold per day) are kept
/// as 32-bit integers, 4 bytes a day instead of a [`Decimal`]'s 16; a history with any
/// other value (fractional, negative, larger) keeps every value as a decimal. Both
/// read the same: the integer estimate sums the integers directly, and the decimal path
/// sees the same decimals either way. Build it from whole units with
/// [`DailyValues::from_units`] (or `From<Vec<u32>>`), from decimals with
/// `From<Vec<Decimal>>` (which keeps them compact when it can).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesops::reorder::demand::DailyValues;
/// let units = DailyValues::from_units(vec![3, 0, 5]);
/// let decimals = DailyValues::from(vec![Decimal::from(3), Decimal::ZERO, Decimal::from(5)]);
/// assert_eq!(units, decimals);
/// assert_eq!(units.units(), Some(&[3, 0, 5][..]));
/// ```
#[derive(Debug, Clone)]
pub struct DailyValues(Daily);

/// How [`DailyValues`] holds its values.
#[derive(Debug, Clone)]
enum Daily {
    /// Every value a whole number of units (scale 0, not negative).
    Units(Vec<u32>),
    /// Any values.
    Decimals(Vec<Decimal>),
}

impl DailyValues {
    /// Whole units per day.
    pub fn from_units(units: Vec<u32>) -> Self {
        DailyValues(Daily::Units(units))
    }

    /// The number of days.
    pub fn len(&self) -> usize {
        match &self.0 {
            Daily::Units(u) => u.len(),
            Daily::Decimals(d) => d.len(),
        }
    }

    /// Whether there are no days.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values as whole units, when they are held so.
    pub fn units(&self) -> Option<&[u32]> {
        match &self.0 {
            Daily::Units(u) => Some(u),
            Daily::Decimals(_) => None,
        }
    }

    /// The values as decimals (whole units as decimals of scale 0).
    pub fn iter(&self) -> impl Iterator<Item = Decimal> + '_ {
        let (units, decimals) = match &self.0 {
            Daily::Units(u) => (&u[..], &[][..]),
            Daily::Decimals(d) => (&[][..], &d[..]),
        };
        units
            .iter()
            .map(|u| Decimal::from(*u))
            .chain(decimals.iter().copied())
    }

    /// The values as decimals, in a new vector.
    pub fn to_decimals(&self) -> Vec<Decimal> {
        match &self.0 {
            Daily::Units(u) => u.iter().map(|u| Decimal::from(*u)).collect(),
            Daily::Decimals(d) => d.clone(),
        }
    }
}

/// `v` without the room its growth left: a history this module builds itself (by
/// collecting, converting or reading JSON, where the length is not known ahead) would
/// otherwise keep up to half its capacity unused, 128 sales' room for 83 say, for as
/// long as the host holds it; fitted, it also lies denser on the heap, and evaluating a
/// million dated-sales histories ran 7 % faster (7 of 7 alternating pairs at 1M SKUs).
/// Vectors the host hands over (`from_units`, `From<Vec<Sale>>` when kept as given)
/// keep the capacity the host chose.
fn fitted<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

/// The whole number of units `q` holds, if it is written with scale 0, is not negative
/// and fits 32 bits (read from the decimal's parts: flags, high and middle words zero).
fn unit(q: &Decimal) -> Option<u32> {
    let b = q.serialize();
    let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (word(0) == 0 && word(8) == 0 && word(12) == 0).then(|| word(4))
}

impl From<Vec<u32>> for DailyValues {
    fn from(units: Vec<u32>) -> Self {
        DailyValues::from_units(units)
    }
}

impl From<Vec<Decimal>> for DailyValues {
    /// Compact (whole units) when every value is a whole number below 2^32 written
    /// without decimals; otherwise the decimals as given.
    fn from(values: Vec<Decimal>) -> Self {
        match values.iter().map(unit).collect::<Option<Vec<u32>>>() {
            Some(units) => DailyValues(Daily::Units(fitted(units))),
            None => DailyValues(Daily::Decimals(values)),
        }
    }
}

/// Equal when they hold equal values day by day, however they are held (as decimals
/// compare: `1.0` equals `1`).
impl PartialEq for DailyValues {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Daily::Units(a), Daily::Units(b)) => a == b,
            (Daily::Decimals(a), Daily::Decimals(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for DailyValues {}

impl<'de> Deserialize<'de> for DailyValues {
    /// An array of decimals, read into whole units until a value that is not one (then
    /// into decimals from there on), so a whole-unit history never holds its decimals.
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        struct Values;
        impl<'de> serde::de::Visitor<'de> for Values {
            type Value = DailyValues;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of decimal strings")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<DailyValues, A::Error> {
                // serde's own cap on a preallocation from a size hint.
                let hint = seq.size_hint().unwrap_or(0).min(4096);
                let mut units: Vec<u32> = Vec::with_capacity(hint);
                while let Some(q) = seq.next_element::<Decimal>()? {
                    match unit(&q) {
                        Some(u) => units.push(u),
                        None => {
                            let mut decimals: Vec<Decimal> =
                                Vec::with_capacity(hint.max(units.len() + 1));
                            decimals.extend(units.iter().map(|u| Decimal::from(*u)));
                            decimals.push(q);
                            while let Some(q) = seq.next_element::<Decimal>()? {
                                decimals.push(q);
                            }
                            return Ok(DailyValues(Daily::Decimals(fitted(decimals))));
                        }
                    }
                }
                Ok(DailyValues(Daily::Units(fitted(units))))
            }
        }
        deserializer.deserialize_seq(Values)
    }
}

/// How the daily rate is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The mean of the counted days.
    #[default]
    Average,
    /// Single exponential smoothing over the counted days in date order, starting from
    /// the first day's value: `level = alpha · x + (1 − alpha) · level`.
    ExponentialSmoothing,
}

/// Which standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deviation {
    /// Divide by `n − 1` (an estimate from a sample; textbooks' σ_d).
    #[default]
    Sample,
    /// Divide by `n`.
    Population,
}

/// Monthly seasonal factors: each day's demand is divided by its month's factor before
/// estimating, and the rate is multiplied by the factor of the month of `target`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonalitySpec {
    /// Twelve factors, January first, each above zero.
    pub monthly: Vec<Decimal>,
    /// The day the rate is wanted for.
    pub target: NaiveDate,
}

/// A sales history and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistorySpec {
    /// First day of the window.
    pub from: NaiveDate,
    /// First day after the window.
    pub to: NaiveDate,
    /// The sales; those outside the window are ignored and counted.
    #[serde(default)]
    pub sales: Sales,
    /// Instead of `sales`: the quantity of every day of the window, in order (the dense
    /// form a data warehouse exports; no dates to read).
    pub daily: Option<DailyValues>,
    /// Days the item was out of stock.
    #[serde(default)]
    pub stockout_days: Vec<NaiveDate>,
    /// Leave the stock-out days out of the estimate.
    #[serde(default)]
    pub exclude_stockout_days: bool,
    /// Average (default) or exponential smoothing.
    #[serde(default)]
    pub method: Method,
    /// Smoothing factor, 0 < alpha ≤ 1; required with exponential smoothing only.
    pub alpha: Option<Decimal>,
    /// Sample (default) or population standard deviation.
    #[serde(default)]
    pub deviation: Deviation,
    /// Optional monthly seasonality (boxed: rarely given, and every item carries the
    /// field).
    pub seasonality: Option<Box<SeasonalitySpec>>,
    /// Decimals of the results (default 4, half-even).
    pub scale: Option<u32>,
}

/// The estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemandEstimate {
    /// Days in the window.
    pub days: u32,
    /// Days counted (the window less excluded stock-out days).
    pub counted_days: u32,
    /// Quantity sold on the counted days.
    pub total: Decimal,
    /// Mean daily demand of the counted days (seasonally adjusted when seasonal).
    pub mean: Decimal,
    /// The daily rate to plan with: the mean or the smoothed level, times the target
    /// month's factor when seasonal.
    pub daily: Decimal,
    /// Standard deviation of daily demand (times the target factor when seasonal); 0 with
    /// fewer than two counted days under `sample`.
    pub std_dev: Decimal,
    /// Sales outside the window, ignored.
    pub ignored_sales: u32,
}

impl HistorySpec {
    /// Estimate the daily rate; errors name the field.
    pub fn estimate(&self) -> Result<DemandEstimate> {
        let span = (self.to - self.from).num_days();
        if span <= 0 {
            return Err(Error::invalid(
                "to",
                format!(
                    "{} must be after from {} (the window is [from, to))",
                    self.to, self.from
                ),
            ));
        }
        if span > MAX_WINDOW_DAYS {
            return Err(Error::invalid(
                "to",
                format!("the window has {span} days, more than the {MAX_WINDOW_DAYS} accepted"),
            ));
        }
        let scale = match self.scale {
            Some(s) if s > 28 => {
                return Err(Error::invalid(
                    "scale",
                    format!("{s} is above the maximum of 28"),
                ));
            }
            Some(s) => s,
            None => 4,
        };
        let alpha = match (self.method, self.alpha) {
            (Method::ExponentialSmoothing, Some(a)) => {
                let a = positive(a, "alpha")?;
                if a > Decimal::ONE {
                    return Err(Error::invalid("alpha", format!("{a} is above 1")));
                }
                Some(a)
            }
            (Method::ExponentialSmoothing, None) => {
                return Err(Error::invalid(
                    "alpha",
                    "exponential smoothing needs a smoothing factor alpha",
                ));
            }
            (Method::Average, Some(_)) => {
                return Err(Error::invalid(
                    "alpha",
                    "alpha is for exponential smoothing; the method is average",
                ));
            }
            (Method::Average, None) => None,
        };
        let factors = match &self.seasonality {
            None => None,
            Some(s) => {
                if s.monthly.len() != 12 {
                    return Err(Error::invalid(
                        "seasonality.monthly",
                        format!("needs 12 factors (January first), not {}", s.monthly.len()),
                    ));
                }
                for (i, f) in s.monthly.iter().enumerate() {
                    positive(*f, &format!("seasonality.monthly[{i}]"))?;
                }
                Some((&s.monthly, s.monthly[s.target.month0() as usize]))
            }
        };
        let n_days = span as usize;
        if let Some(e) = self.whole_estimate(n_days, scale, factors.is_some()) {
            return Ok(e);
        }
        // Daily totals, on 64-bit integers while every quantity is a whole number below
        // 1e12 (the common case, and much faster), in decimals from the first one that is
        // not. Both give the same exact totals.
        let mut whole: Option<Vec<i64>> = Some(vec![0; n_days]);
        let mut daily: Vec<Decimal> = Vec::new();
        let mut ignored = 0u32;
        if let Some(values) = &self.daily {
            if !self.sales.is_empty() {
                return Err(Error::invalid("daily", "give `sales` or `daily`, not both"));
            }
            if values.len() != n_days {
                return Err(Error::invalid(
                    "daily",
                    format!("has {} values for a window of {n_days} days", values.len()),
                ));
            }
            match &values.0 {
                Daily::Units(u) => whole = Some(u.iter().map(|u| i64::from(*u)).collect()),
                Daily::Decimals(values) => {
                    let mut fast = Vec::with_capacity(n_days);
                    for (i, q) in values.iter().enumerate() {
                        if q.is_sign_negative() && !q.is_zero() {
                            return Err(Error::invalid(
                                format!("daily[{i}]"),
                                format!("{q} must not be negative"),
                            ));
                        }
                        if fast.len() == i && q.scale() == 0 && q.mantissa() < SMALL {
                            fast.push(q.mantissa() as i64);
                        }
                    }
                    if fast.len() == n_days {
                        whole = Some(fast);
                    } else {
                        whole = None;
                        daily = values.clone();
                    }
                }
            }
        }
        for (i, s) in self.sales.iter().enumerate() {
            // Field names are only formatted on the error path: this loop is hot.
            let q = s.quantity;
            if q.is_sign_negative() && !q.is_zero() {
                return Err(Error::invalid(
                    format!("sales[{i}].quantity"),
                    format!("{q} must not be negative"),
                ));
            }
            let idx = (s.date - self.from).num_days();
            if idx < 0 || idx >= span {
                ignored = ignored.saturating_add(1);
                continue;
            }
            let idx = idx as usize;
            if let Some(w) = whole.as_mut() {
                let m = q.mantissa();
                if q.scale() == 0 && m < SMALL {
                    if let Some(v) = w[idx].checked_add(m as i64) {
                        w[idx] = v;
                        continue;
                    }
                }
                daily = w.iter().map(|v| Decimal::from(*v)).collect();
                whole = None;
            }
            daily[idx] = daily[idx]
                .checked_add(q)
                .ok_or_else(|| Error::overflow(format!("sales[{i}].quantity"), "daily total"))?;
        }
        let counted: Option<Vec<bool>> = if self.exclude_stockout_days {
            let mut c = vec![true; n_days];
            for d in &self.stockout_days {
                let idx = (*d - self.from).num_days();
                if (0..span).contains(&idx) {
                    c[idx as usize] = false;
                }
            }
            Some(c)
        } else {
            None
        };
        let keep = |i: usize| counted.as_ref().is_none_or(|c| c[i]);
        let n_counted = (0..n_days).filter(|i| keep(*i)).count();
        if n_counted == 0 {
            return Err(Error::invalid(
                "stockout_days",
                "every day of the window is an excluded stock-out day; nothing is left to estimate from",
            ));
        }
        // The counted values (seasonally adjusted when asked), unless the integer sums
        // alone will do.
        let need_values = whole.is_none() || factors.is_some() || alpha.is_some();
        let mut values = Vec::new();
        let (total, sum, sum_sq) = match (whole.as_deref(), need_values) {
            (Some(w), false) => {
                let (mut t, mut t2) = (0i128, 0i128);
                for (i, v) in w.iter().enumerate() {
                    if keep(i) {
                        t += i128::from(*v);
                        t2 += i128::from(*v) * i128::from(*v);
                    }
                }
                let t = Decimal::try_from_i128_with_scale(t, 0)
                    .map_err(|_| Error::overflow("sales", "total"))?;
                let t2 = Decimal::try_from_i128_with_scale(t2, 0)
                    .map_err(|_| Error::overflow("sales", "sum of squares"))?;
                (t, t, t2)
            }
            _ => {
                if let Some(w) = whole.take() {
                    daily = w.iter().map(|v| Decimal::from(*v)).collect();
                }
                let mut total = Decimal::ZERO;
                values.reserve(n_counted);
                for (i, x) in daily.iter().enumerate() {
                    if !keep(i) {
                        continue;
                    }
                    total = add(total, *x, "sales")?;
                    let v = match factors {
                        None => *x,
                        Some((monthly, _)) => {
                            let day = self.from + chrono::Days::new(i as u64);
                            div(*x, monthly[day.month0() as usize], "seasonality.monthly")?
                        }
                    };
                    values.push(v);
                }
                let (sum, sum_sq) = sums(&values)?;
                (total, sum, sum_sq)
            }
        };
        let n = Decimal::from(n_counted);
        let mean = div(sum, n, "sales")?;
        // Σ(x − mean)² · n = n·Σx² − (Σx)², exact in decimal arithmetic for decimal
        // inputs; one division at the end.
        let scaled_ss =
            sub(mul(n, sum_sq, "sales")?, mul(sum, sum, "sales")?, "sales")?.max(Decimal::ZERO);
        let denom = match self.deviation {
            Deviation::Sample => n - Decimal::ONE,
            Deviation::Population => n,
        };
        let std_dev = if denom.is_zero() {
            Decimal::ZERO
        } else {
            super::normal::sqrt(div(scaled_ss, mul(n, denom, "sales")?, "sales")?)
                .ok_or_else(|| Error::overflow("sales", "standard deviation"))?
        };
        let level = match alpha {
            None => mean,
            Some(a) => {
                let keep = Decimal::ONE - a;
                let (first, rest) = values.split_first().unwrap_or((&mean, &[]));
                let mut level = *first;
                for x in rest {
                    level = add(mul(a, *x, "alpha")?, mul(keep, level, "alpha")?, "alpha")?;
                }
                level
            }
        };
        let (rate, std_dev) = match factors {
            None => (level, std_dev),
            Some((_, f)) => (
                mul(level, f, "seasonality.monthly")?,
                mul(std_dev, f, "seasonality.monthly")?,
            ),
        };
        let r = |d: Decimal| norm(d.round_dp(scale));
        Ok(DemandEstimate {
            days: n_days as u32,
            counted_days: n_counted as u32,
            total: norm(total),
            mean: r(mean),
            daily: r(rate),
            std_dev: r(std_dev),
            ignored_sales: ignored,
        })
    }
}

/// The largest scale the integer estimate handles (beyond it, the decimal path).
const WHOLE_MAX_SCALE: u32 = 8;

/// `round_half_even(num / den)` for `den > 0`.
fn div_half_even(num: u128, den: u128) -> u128 {
    let q = super::div_floor_u128(num, den);
    let r = num - q * den;
    match (2 * r).cmp(&den) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => q + (q & 1),
    }
}

/// `round_half_even(sqrt(num / den))` for `den > 0`, exactly, where the root is a
/// deviation times `pow` (10^scale); `None` when the decimal path's 28-digit result
/// could round differently (the root would have to lie closer to a rounding midpoint
/// than that path's error, which the bound rules out) or on overflow.
fn sqrt_half_even(num: u128, den: u128, pow: u128) -> Option<u128> {
    // t = floor(2·√(num/den)) = isqrt(floor(4·num/den)).
    let four = num.checked_mul(4)?;
    let t = super::isqrt(super::div_floor_u128(four, den));
    // Unless it is exactly a midpoint, √(num/den) lies at least 1/(4·den·(t + 2)) from
    // the nearest one (a non-zero integer numerator over 4·den, divided by v + m). The
    // decimal path (one division and Newton's square root in 28 digits) errs by less
    // than 1e-24 · (deviation + 1), that is 1e-24 · (t/2 + pow) here; with a margin of
    // 100 the condition is 2·den·(t + 2)·(t + 1 + 2·pow) < 1e22.
    if margin(den, t, pow)? >= 10u128.pow(22) {
        return None;
    }
    let k = t / 2;
    if t % 2 == 0 {
        return Some(k);
    }
    let midpoint = t.checked_mul(t)?.checked_mul(den) == Some(four);
    Some(if midpoint { k + (k & 1) } else { k + 1 })
}

/// `2·den·(t + 2)·(t + 1 + 2·pow)`, the bound of [`sqrt_half_even`]; `None` on overflow.
/// One 64 × 64 → 128-bit product when `den`, `t` and `pow` are below 2^31 (every
/// everyday history: then `2·den·(t + 2)` fits 64 bits and `t + 1 + 2·pow` 34),
/// instead of three checked 128-bit products.
#[inline]
fn margin(den: u128, t: u128, pow: u128) -> Option<u128> {
    const SMALL: u128 = 1 << 31;
    if den < SMALL && t < SMALL && pow < SMALL {
        let (den, t, pow) = (den as u64, t as u64, pow as u64);
        return Some(u128::from(2 * den * (t + 2)) * u128::from(t + 1 + 2 * pow));
    }
    margin_u128(den, t, pow)
}

/// [`margin`] in checked 128-bit products.
fn margin_u128(den: u128, t: u128, pow: u128) -> Option<u128> {
    den.checked_mul(2)?
        .checked_mul(t.checked_add(2)?)?
        .checked_mul(t.checked_add(1)?.checked_add(pow.checked_mul(2)?)?)
}

impl HistorySpec {
    /// The estimate in integer arithmetic, for the common case: the plain average of
    /// every day of the window, whole quantities below 2^40 (about 1.1e12), daily values or sales on
    /// strictly increasing dates inside the window (so each sale is its own day), and
    /// results to at most [`WHOLE_MAX_SCALE`] decimals. Σx and Σx² are exact integers,
    /// and the mean and deviation are rounded half-even exactly, which gives the same
    /// digits as the decimal path (see [`sqrt_half_even`]). `None` sends the history to
    /// the decimal path, which also reports errors. The window and settings are checked.
    fn whole_estimate(&self, n_days: usize, scale: u32, seasonal: bool) -> Option<DemandEstimate> {
        if seasonal
            || self.alpha.is_some()
            || self.method != Method::Average
            || (self.exclude_stockout_days && !self.stockout_days.is_empty())
            || scale > WHOLE_MAX_SCALE
        {
            return None;
        }
        // A whole quantity, not negative, below 2^40 (about 1.1e12), read from the
        // decimal's parts: flags (scale and sign) zero, high word zero, mid word < 2^8.
        let whole = |q: &Decimal| -> Option<u64> {
            let b = q.serialize();
            let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
            let (flags, lo, mid, hi) = (word(0), word(4), word(8), word(12));
            (flags == 0 && hi == 0 && mid < 256).then_some((u64::from(mid) << 32) | u64::from(lo))
        };
        // Σx on 64 bits (below 3660 · 2^40), Σx² on 128.
        let (mut s1, mut s2) = (0u64, 0u128);
        match &self.daily {
            Some(values) => {
                if !self.sales.is_empty() || values.len() != n_days {
                    return None;
                }
                match &values.0 {
                    Daily::Units(u) => (s1, s2) = unit_sums(u, |x| *x),
                    Daily::Decimals(d) => {
                        for q in d {
                            let x = whole(q)?;
                            s1 += x;
                            s2 += u128::from(x) * u128::from(x);
                        }
                    }
                }
            }
            None => {
                match &self.sales.0 {
                    Dated::Units(u) => {
                        // Strictly increasing dates (as read): inside the window when
                        // the first is on or after its first day and the last before
                        // its end.
                        let inside = u.first().is_none_or(|f| f.0 >= self.from)
                            && u.last().is_none_or(|l| l.0 < self.to);
                        if !inside {
                            return None;
                        }
                        (s1, s2) = unit_sums(u, |&(_, x)| x);
                    }
                    Dated::Unordered(_) => return None,
                    Dated::Decimals(d) => {
                        let mut after = self.from.pred_opt()?;
                        for s in d.iter() {
                            if s.date <= after || s.date >= self.to {
                                return None;
                            }
                            after = s.date;
                            let x = whole(&s.quantity)?;
                            s1 += x;
                            s2 += u128::from(x) * u128::from(x);
                        }
                    }
                }
            }
        }
        // At most 3660 days of values below 2^40: Σx < 5e15 and Σx² < 5e27.
        let s1 = u128::from(s1);
        let n = n_days as u128;
        let pow = POW10[scale as usize];
        let dec = |m: u128| -> Option<Decimal> {
            Decimal::try_from_i128_with_scale(i128::try_from(m).ok()?, scale)
                .ok()
                .map(norm)
        };
        let mean = dec(div_half_even(s1.checked_mul(pow)?, n))?;
        let denom = match self.deviation {
            Deviation::Sample => n - 1,
            Deviation::Population => n,
        };
        let std_dev = if denom == 0 {
            Decimal::ZERO
        } else {
            // Σ(x − mean)² · n = n·Σx² − (Σx)², exact.
            let ss = n.checked_mul(s2)?.checked_sub(s1.checked_mul(s1)?)?;
            dec(sqrt_half_even(ss.checked_mul(pow * pow)?, n * denom, pow)?)?
        };
        Some(DemandEstimate {
            days: n_days as u32,
            counted_days: n_days as u32,
            total: norm(Decimal::try_from_i128_with_scale(i128::try_from(s1).ok()?, 0).ok()?),
            mean,
            daily: mean,
            std_dev,
            ignored_sales: 0,
        })
    }
}

/// Whole units below this (12 bits) square below 2^24, so that [`NARROW_RUN`] of
/// their squares sum below 2^32.
const NARROW: u32 = 1 << 12;

/// The values summed on 32 bits before the sums are widened: 256 · (2^12 − 1)² < 2^32.
const NARROW_RUN: usize = 256;

/// Σx and Σx² of the whole units `unit` reads from `items` (at most
/// [`MAX_WINDOW_DAYS`] of them, so Σx < 2^44).
///
/// Everyday daily units are small: below [`NARROW`] the sums of each run of
/// [`NARROW_RUN`] values fit 32 bits, four values to an SSE2 register instead of
/// two on 64 bits, and the squares of values known to fit 16 bits take one 16-bit
/// multiply-add for four (`pmaddwd`; baseline x86-64 has no 32-bit vector multiply).
/// The sums are exact only when every value is below `NARROW`, which the same pass
/// finds out; otherwise [`wide_sums`] sums again.
fn unit_sums<T>(items: &[T], unit: impl Fn(&T) -> u32 + Copy) -> (u64, u128) {
    let (mut s1, mut s2, mut any) = (0u64, 0u64, 0u32);
    for run in items.chunks(NARROW_RUN) {
        let (mut r1, mut r2) = (0u32, 0u32);
        for t in run {
            let x = unit(t);
            any |= x;
            // Masked so that the compiler knows the square fits 16-bit multiplies; it
            // changes nothing when the sums are kept.
            let m = x & (NARROW - 1);
            r1 = r1.wrapping_add(x);
            r2 = r2.wrapping_add(m * m);
        }
        s1 += u64::from(r1);
        s2 += u64::from(r2);
    }
    if any < NARROW {
        return (s1, u128::from(s2));
    }
    wide_sums(items.iter().map(unit))
}

/// [`unit_sums`] for any 32-bit units. Below 2^26 each square is below 2^52 and 3660
/// of them stay below 2^64: the sums are then taken on 64 bits in one pass the
/// compiler can vectorise, and on 128 bits only when a value is larger.
fn wide_sums(units: impl Iterator<Item = u32> + Clone) -> (u64, u128) {
    let (mut s1, mut s2, mut any, mut n) = (0u64, 0u64, 0u32, 0usize);
    for x in units.clone() {
        let x64 = u64::from(x);
        s1 += x64;
        s2 = s2.wrapping_add(x64 * x64);
        any |= x;
        n += 1;
    }
    if any < 1 << 26 && n <= MAX_WINDOW_DAYS as usize {
        return (s1, u128::from(s2));
    }
    let s2 = units.map(|x| u128::from(x) * u128::from(x)).sum();
    (s1, s2)
}

/// Σx and Σx², on 64-bit integers when every value is a whole number that fits (the
/// common case, and much faster), in decimal arithmetic otherwise. Both give the same
/// exact result.
fn sums(values: &[Decimal]) -> Result<(Decimal, Decimal)> {
    let mut s: i128 = 0;
    let mut s2: i128 = 0;
    let mut fast = true;
    for v in values {
        let m = v.mantissa();
        if v.scale() != 0 || m.abs() > 1_000_000_000_000 {
            fast = false;
            break;
        }
        s += m;
        s2 += m * m;
    }
    // At most 3660 values below 1e12 each: the sums stay far below i128's range and
    // below Decimal's 7.9e28.
    if fast {
        let s = Decimal::try_from_i128_with_scale(s, 0);
        let s2 = Decimal::try_from_i128_with_scale(s2, 0);
        if let (Ok(s), Ok(s2)) = (s, s2) {
            return Ok((s, s2));
        }
    }
    let mut sum = Decimal::ZERO;
    let mut sum_sq = Decimal::ZERO;
    for v in values {
        sum = add(sum, *v, "sales")?;
        sum_sq = add(sum_sq, mul(*v, *v, "sales")?, "sales")?;
    }
    Ok((sum, sum_sq))
}

#[cfg(test)]
mod tests {
    use crate::test_rng::XorShift;
    /// The bound of `sqrt_half_even` on 64 bits is the checked 128-bit one, on random
    /// inputs on both sides of 2^31 (this fails if the short path is wrong or unused).
    #[test]
    fn margin_on_64_bits_is_margin_on_128() {
        let mut rng = XorShift(0xd1b5_4a32_d192_ed03);
        let mut next = || rng.next();
        let mut short = 0;
        for _ in 0..200_000u32 {
            // Mostly below 2^31 (up to 2^31 − 1), some up to 2^104.
            let mut draw = || match next() % 5 {
                0 => u128::from(next()) << (next() % 41),
                _ => u128::from(next() >> (33 + next() % 31)),
            };
            let (den, t, pow) = (draw(), draw(), draw());
            if den < 1 << 31 && t < 1 << 31 && pow < 1 << 31 {
                short += 1;
            }
            assert_eq!(
                super::margin(den, t, pow),
                super::margin_u128(den, t, pow),
                "{den} {t} {pow}"
            );
        }
        assert!(short > 40_000, "{short}");
    }

    use super::*;

    fn history(quantities: &[&str], alpha: Option<&str>) -> HistorySpec {
        let from = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        HistorySpec {
            from,
            to: from + chrono::Days::new(quantities.len() as u64 + 2),
            sales: quantities
                .iter()
                .enumerate()
                .map(|(i, q)| Sale {
                    date: from + chrono::Days::new(i as u64),
                    quantity: q.parse().unwrap(),
                })
                .collect(),
            daily: None,
            stockout_days: vec![from + chrono::Days::new(1)],
            exclude_stockout_days: true,
            method: if alpha.is_some() {
                Method::ExponentialSmoothing
            } else {
                Method::Average
            },
            alpha: alpha.map(|a| a.parse().unwrap()),
            deviation: Deviation::Sample,
            seasonality: None,
            scale: Some(10),
        }
    }

    #[test]
    fn integer_and_decimal_paths_agree() {
        let ints = ["4", "9", "0", "13", "2", "7"];
        let decs = ["4.0", "9", "0.00", "13", "2.0", "7"];
        for alpha in [None, Some("0.3")] {
            let a = history(&ints, alpha).estimate().unwrap();
            let b = history(&decs, alpha).estimate().unwrap();
            assert_eq!(a, b);
        }
        // A quantity too large for the fast path switches to decimals mid-way.
        let big = ["4", "9", "0", "13", "2000000000000", "7"];
        let e = history(&big, None).estimate().unwrap();
        // The stock-out day (the 9) is left out.
        assert_eq!(e.total.to_string(), "2000000000024");
    }

    /// A deterministic generator of numbers below `m` (xorshift64).
    fn xorshift(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut rng = XorShift(seed);
        move |m| rng.next() % m
    }

    #[test]
    fn integer_estimate_equals_decimal_estimate() {
        // A stock-out day outside the window changes nothing but sends the history to
        // the decimal path.
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for case in 0..4000 {
            let days = 1 + next(if case % 10 == 0 { 400 } else { 95 });
            let top = [2, 3, 13, 1000, 1_000_000, 999_999_999_999][next(6) as usize];
            let values: Vec<Decimal> = (0..days).map(|_| Decimal::from(next(top))).collect();
            let dated = case % 2 == 0;
            let h = HistorySpec {
                from,
                to: from + chrono::Days::new(days),
                sales: if dated {
                    (0..days)
                        .filter(|d| !values[*d as usize].is_zero())
                        .map(|d| Sale {
                            date: from + chrono::Days::new(d),
                            quantity: values[d as usize],
                        })
                        .collect()
                } else {
                    Sales::default()
                },
                daily: (!dated).then(|| {
                    if case % 4 == 1 {
                        DailyValues(Daily::Decimals(values.clone()))
                    } else {
                        values.clone().into()
                    }
                }),
                stockout_days: Vec::new(),
                exclude_stockout_days: false,
                method: Method::Average,
                alpha: None,
                deviation: if next(2) == 0 {
                    Deviation::Sample
                } else {
                    Deviation::Population
                },
                seasonality: None,
                scale: Some(next(9) as u32),
            };
            let scale = h.scale.unwrap_or(4);
            // Small demands at the default scales take the integer path.
            if top <= 1000 && scale <= 4 {
                assert!(h.whole_estimate(days as usize, scale, false).is_some());
            }
            let fast = h.estimate().unwrap();
            let mut slow = h.clone();
            slow.exclude_stockout_days = true;
            slow.stockout_days = vec![from - chrono::Days::new(1)];
            assert_eq!(fast, slow.estimate().unwrap(), "case {case}: {h:?}");
        }
    }

    /// Histories this module builds hold no spare room, whichever way they were built;
    /// a vector the host hands over keeps its capacity.
    #[test]
    fn built_histories_hold_no_spare_room() {
        fn room_of_sales(s: &Sales) -> (usize, usize) {
            match &s.0 {
                Dated::Units(u) => (u.len(), u.capacity()),
                Dated::Unordered(u) => (u.len(), u.capacity()),
                Dated::Decimals(d) => (d.len(), d.capacity()),
            }
        }
        fn room_of_days(d: &DailyValues) -> (usize, usize) {
            match &d.0 {
                Daily::Units(u) => (u.len(), u.capacity()),
                Daily::Decimals(d) => (d.len(), d.capacity()),
            }
        }
        let day = |k: u64| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(k);
        let sale = |k: u64, q: Decimal| Sale {
            date: day(k),
            quantity: q,
        };
        let whole: Vec<Sale> = (0..83).map(|k| sale(k, Decimal::from(k % 7))).collect();
        let mut mixed = whole.clone();
        mixed[40].quantity = Decimal::new(15, 1);
        let json = |sales: &[Sale]| {
            let items: Vec<String> = sales
                .iter()
                .map(|s| format!(r#"{{"date":"{}","quantity":"{}"}}"#, s.date, s.quantity))
                .collect();
            format!("[{}]", items.join(","))
        };
        let built: Vec<Sales> = vec![
            whole
                .iter()
                .filter(|s| s.quantity >= Decimal::ZERO)
                .cloned()
                .collect(),
            mixed
                .iter()
                .filter(|s| s.quantity >= Decimal::ZERO)
                .cloned()
                .collect(),
            Sales::from(whole.clone()),
            serde_json::from_str(&json(&whole)).unwrap(),
            serde_json::from_str(&json(&mixed)).unwrap(),
        ];
        for s in &built {
            let (len, cap) = room_of_sales(s);
            assert_eq!((len, cap), (83, 83));
        }
        let values = |q: &str| format!("[{}]", vec![format!("\"{q}\""); 90].join(","));
        let days: Vec<DailyValues> = vec![
            serde_json::from_str(&values("3")).unwrap(),
            serde_json::from_str(&values("2.5")).unwrap(),
            DailyValues::from(vec![Decimal::from(3); 90]),
        ];
        for d in &days {
            assert_eq!(room_of_days(d), (90, 90));
        }
        let mut given = Vec::with_capacity(100);
        given.extend([1u32; 90]);
        assert_eq!(room_of_days(&DailyValues::from_units(given)), (90, 100));
    }

    /// The 32-bit sums of small units equal the 64- and 128-bit ones, runs of the
    /// largest small value included (where a longer run or a wider mask would
    /// overflow), daily and dated, and larger units still take the wide sums.
    #[test]
    fn narrow_sums_equal_wide_sums() {
        let mut next = xorshift(0x94d0_49bb_1331_11eb);
        let (mut narrow, mut wide) = (0, 0);
        for case in 0..3000 {
            let days = next(if case % 4 == 0 { 3661 } else { 300 });
            let units: Vec<u32> = match next(5) {
                // Saturated: every value the largest the 32-bit sums take.
                0 => vec![NARROW - 1; days as usize],
                1 => (0..days).map(|_| NARROW - 1 - next(3) as u32).collect(),
                2 => (0..days).map(|_| next(14) as u32).collect(),
                // Small values and now and then one at or just above the limit.
                3 => (0..days)
                    .map(|_| match next(days) {
                        0 => NARROW - 1 + next(2) as u32,
                        _ => next(u64::from(NARROW)) as u32,
                    })
                    .collect(),
                _ => (0..days).map(|_| next(1 << 32) as u32).collect(),
            };
            if units.iter().all(|u| *u < NARROW) {
                narrow += 1;
            } else {
                wide += 1;
            }
            let x: Vec<u128> = units.iter().map(|u| u128::from(*u)).collect();
            let exact = (
                x.iter().sum::<u128>() as u64,
                x.iter().map(|x| x * x).sum::<u128>(),
            );
            assert_eq!(unit_sums(&units, |x| *x), exact, "case {case}");
            assert_eq!(wide_sums(units.iter().copied()), exact, "case {case}");
            let dated: Vec<(NaiveDate, u32)> = units.iter().map(|u| (NaiveDate::MIN, *u)).collect();
            assert_eq!(unit_sums(&dated, |&(_, x)| x), exact, "case {case}");
        }
        assert!(narrow > 1500 && wide > 600, "{narrow} {wide}");
    }

    /// Whole units held as integers read like the same values held as decimals, up to
    /// the largest 32-bit value (where the 64-bit sums give way to 128 bits).
    #[test]
    fn units_read_like_decimals() {
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15);
        for case in 0..500 {
            let days = 1 + next(if case % 10 == 0 { 3660 } else { 120 });
            let top = [2, 13, 1 << 26, (1 << 26) + 1, 1 << 32][next(5) as usize];
            let units: Vec<u32> = (0..days).map(|_| next(top) as u32).collect();
            let mut h = history(&[], None);
            h.exclude_stockout_days = false;
            h.to = from + chrono::Days::new(days);
            h.from = from;
            h.scale = Some(next(9) as u32);
            h.daily = Some(DailyValues::from_units(units.clone()));
            let decimals: Vec<Decimal> = units.iter().map(|u| Decimal::from(*u)).collect();
            let mut d = h.clone();
            d.daily = Some(DailyValues(Daily::Decimals(decimals.clone())));
            assert_eq!(h.daily, d.daily);
            assert_eq!(DailyValues::from(decimals).units(), Some(&units[..]));
            assert_eq!(h.estimate().unwrap(), d.estimate().unwrap(), "case {case}");
            let (s1, s2) = unit_sums(&units, |x| *x);
            let x: Vec<u128> = units.iter().map(|u| u128::from(*u)).collect();
            assert_eq!(u128::from(s1), x.iter().sum::<u128>());
            assert_eq!(s2, x.iter().map(|x| x * x).sum::<u128>());
        }
        // Fractional, negative (even a negative zero) or larger values stay decimals.
        let mut negative_zero = Decimal::ZERO;
        negative_zero.set_sign_negative(true);
        for q in ["1.0", "-1", "4294967296"]
            .map(|q| q.parse().unwrap())
            .into_iter()
            .chain([negative_zero])
        {
            let v = DailyValues::from(vec![Decimal::ONE, q]);
            assert_eq!(v.units(), None, "{q}");
        }
        let json: DailyValues = serde_json::from_str(r#"["1", "2", "3"]"#).unwrap();
        assert_eq!(json.units(), Some(&[1, 2, 3][..]));
        let json: DailyValues = serde_json::from_str(r#"["1", "2.5", "3"]"#).unwrap();
        assert_eq!(json.units(), None);
        assert_eq!(
            json.to_decimals(),
            vec![Decimal::ONE, Decimal::new(25, 1), 3.into()]
        );
    }

    /// Dated sales of whole units held compactly read like the same sales held as
    /// decimals: in order or not, on the same day or outside the window, up to the
    /// largest 32-bit quantity.
    #[test]
    fn compact_sales_read_like_decimals() {
        let from = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut next = xorshift(0x5851_f42d_4c95_7f2d);
        let mut compact = 0;
        for case in 0..2000 {
            let days = 1 + next(if case % 10 == 0 { 400 } else { 95 });
            let top = [2, 13, 1000, 1 << 26, 1 << 32][next(5) as usize];
            let sorted = next(2) == 0;
            // Some sorted histories sell twice on a day now and then: not the integer
            // path's (each sale its own day), whose sums would be wrong for them.
            let twice = sorted && case % 5 == 1;
            // Some sorted histories start the day before the window: not the integer
            // path's either (its test of the first date is the window's bound).
            let early = sorted && case % 7 == 3;
            // Sorted sales mostly inside the window (the integer path), sometimes past it.
            let n = next(if sorted && case % 4 != 0 {
                days + 1
            } else {
                days + 5
            });
            let sales: Vec<Sale> = (0..n)
                .map(|k| Sale {
                    date: match sorted {
                        true => {
                            from + chrono::Days::new(k - u64::from(twice && k > 0 && next(8) == 0))
                                - chrono::Days::new(u64::from(early))
                        }
                        false => from + chrono::Days::new(next(days + 3)) - chrono::Days::new(1),
                    },
                    quantity: Decimal::from(next(top)),
                })
                .collect();
            let mut h = history(&[], None);
            h.from = from;
            h.exclude_stockout_days = case % 3 == 0;
            h.to = from + chrono::Days::new(days);
            h.scale = Some(next(9) as u32);
            h.deviation = if next(2) == 0 {
                Deviation::Sample
            } else {
                Deviation::Population
            };
            h.sales = sales.iter().cloned().collect();
            // Held as units, classified by whether the dates strictly increase.
            let increasing = sales.windows(2).all(|w| w[0].date < w[1].date);
            match &h.sales.0 {
                Dated::Units(_) => assert!(increasing, "case {case}"),
                Dated::Unordered(_) => assert!(!increasing, "case {case}"),
                Dated::Decimals(_) => panic!("case {case}: whole units held as decimals"),
            }
            let mut d = h.clone();
            d.sales = Sales(Dated::Decimals(Box::new(sales.clone())));
            assert_eq!(h.sales, d.sales);
            assert_eq!(Sales::from(sales.clone()), h.sales);
            assert!(h.sales.iter().eq(sales.iter().cloned()));
            let (a, b) = (h.estimate(), d.estimate());
            if h.whole_estimate(days as usize, 4, false).is_some() {
                compact += 1;
            }
            assert_eq!(a, b, "case {case}");
            // And like the decimal path itself, which a stock-out day outside the window
            // forces without changing the result.
            let mut slow = h.clone();
            let outside = from - chrono::Days::new(1);
            if slow.exclude_stockout_days {
                slow.stockout_days.push(outside);
            } else {
                slow.exclude_stockout_days = true;
                slow.stockout_days = vec![outside];
            }
            assert_eq!(a, slow.estimate(), "case {case}: the decimal path");
        }
        // Enough histories take the integer path for the comparison to mean something.
        assert!(compact > 300, "{compact}");
        // Fractional, negative or larger quantities keep the sales as given, read from
        // JSON too, from the first such sale on.
        let json: Sales = serde_json::from_str(
            r#"[{"date": "2026-01-02", "quantity": "3"}, {"date": "2026-01-01", "quantity": "2.5"}]"#,
        )
        .unwrap();
        assert!(matches!(json.0, Dated::Decimals(_)));
        let json: Sales = serde_json::from_str(
            r#"[{"date": "2026-01-02", "quantity": "3"}, {"date": "2026-01-01", "quantity": "4294967295"}]"#,
        )
        .unwrap();
        assert!(matches!(json.0, Dated::Unordered(_)));
        for q in ["1.0", "-1", "4294967296"] {
            let s: Sales = vec![Sale {
                date: from,
                quantity: q.parse().unwrap(),
            }]
            .into();
            assert!(matches!(s.0, Dated::Decimals(_)), "{q}");
        }
    }

    #[test]
    fn dense_daily_values_equal_dated_sales() {
        let sales = history(&["4", "9", "0", "13", "2.5", "7"], Some("0.5"));
        let mut dense = sales.clone();
        dense.sales = Sales::default();
        let mut values: Vec<Decimal> = ["4", "9", "0", "13", "2.5", "7", "0", "0"]
            .iter()
            .map(|q| q.parse().unwrap())
            .collect();
        dense.daily = Some(values.clone().into());
        assert_eq!(sales.estimate().unwrap(), dense.estimate().unwrap());
        values.pop();
        dense.daily = Some(values.into());
        assert_eq!(dense.estimate().unwrap_err().field(), Some("daily"));
    }
}
