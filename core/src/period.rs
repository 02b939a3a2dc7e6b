//! Periods and calendars: the time buckets quotas, statements and KPIs are reported in.
//!
//! This module decides which period a date falls in, how periods follow each other and
//! how an amount is prorated by days. Every period is a half-open range of dates
//! `[start, end)`, so consecutive periods share no day and a date falls in exactly one
//! period of each kind. It never reads the clock: the date is always an argument.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesops::period::{Calendar, Period, PeriodKind};
//! let d = NaiveDate::from_ymd_opt(2026, 5, 20).unwrap();
//! let q = Period::containing(d, PeriodKind::Quarter, &Calendar::default()).unwrap();
//! assert_eq!((q.label.as_str(), q.start.to_string(), q.end.to_string()), ("2026-Q2", "2026-04-01".into(), "2026-07-01".into()));
//! let fiscal = Calendar::new(chrono::Weekday::Mon, 4, salesops::period::FiscalYearName::EndYear).unwrap();
//! let fy = Period::containing(d, PeriodKind::FiscalYear, &fiscal).unwrap();
//! assert_eq!(fy.label, "FY2027");
//! ```

use crate::error::{Error, Result};
use crate::money::{Money, Rounding};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The kinds of period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// One day; label `2026-02-14`.
    Day,
    /// Seven days from the calendar's first weekday; label `2026-02-09/P1W` (ISO 8601
    /// start and duration, since week numbers depend on the first weekday).
    Week,
    /// A calendar month; label `2026-02`.
    Month,
    /// A calendar quarter starting in January, April, July, October; label `2026-Q1`.
    Quarter,
    /// A calendar year; label `2026`.
    Year,
    /// A quarter of the fiscal year; label `FY2027-Q1`.
    FiscalQuarter,
    /// The fiscal year starting in the calendar's first fiscal month; label `FY2027`.
    FiscalYear,
}

/// Which calendar year names a fiscal year that spans two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiscalYearName {
    /// The year in which it ends (April 2026 – March 2027 is FY2027): the US federal,
    /// Japanese and most corporate usage.
    #[default]
    EndYear,
    /// The year in which it starts (April 2026 – March 2027 is FY2026).
    StartYear,
}

/// Week and fiscal-year conventions. Defaults: weeks start on Monday, the fiscal year
/// is the calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct Calendar {
    week_start: Weekday,
    fiscal_year_start_month: u32,
    fiscal_year_name: FiscalYearName,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            week_start: Weekday::Mon,
            fiscal_year_start_month: 1,
            fiscal_year_name: FiscalYearName::EndYear,
        }
    }
}

impl Calendar {
    /// A calendar; `fiscal_year_start_month` is 1 (January) to 12.
    pub fn new(
        week_start: Weekday,
        fiscal_year_start_month: u32,
        fiscal_year_name: FiscalYearName,
    ) -> Result<Self> {
        if !(1..=12).contains(&fiscal_year_start_month) {
            return Err(Error::invalid(
                "calendar.fiscal_year_start_month",
                format!("{fiscal_year_start_month} is not a month (1 to 12)"),
            ));
        }
        Ok(Calendar {
            week_start,
            fiscal_year_start_month,
            fiscal_year_name,
        })
    }

    /// The first day of every week.
    pub fn week_start(&self) -> Weekday {
        self.week_start
    }

    /// The month (1–12) the fiscal year starts in.
    pub fn fiscal_year_start_month(&self) -> u32 {
        self.fiscal_year_start_month
    }
}

/// The JSON form of a [`Calendar`]: `{"week_start": "monday", "fiscal_year_start_month": 4,
/// "fiscal_year_name": "end_year"}`, every field optional.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct CalendarSpec {
    week_start: WeekdayName,
    fiscal_year_start_month: u32,
    fiscal_year_name: FiscalYearName,
}

impl Default for CalendarSpec {
    fn default() -> Self {
        Calendar::default().into()
    }
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = String;
    fn try_from(s: CalendarSpec) -> std::result::Result<Self, String> {
        Calendar::new(
            s.week_start.into(),
            s.fiscal_year_start_month,
            s.fiscal_year_name,
        )
        .map_err(|_| {
            format!(
                "fiscal_year_start_month: {} is not a month (1 to 12)",
                s.fiscal_year_start_month
            )
        })
    }
}

impl From<Calendar> for CalendarSpec {
    fn from(c: Calendar) -> Self {
        CalendarSpec {
            week_start: c.week_start.into(),
            fiscal_year_start_month: c.fiscal_year_start_month,
            fiscal_year_name: c.fiscal_year_name,
        }
    }
}

/// Weekday names as JSON spells them (`"monday"` … `"sunday"`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum WeekdayName {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

impl From<WeekdayName> for Weekday {
    fn from(w: WeekdayName) -> Self {
        match w {
            WeekdayName::Monday => Weekday::Mon,
            WeekdayName::Tuesday => Weekday::Tue,
            WeekdayName::Wednesday => Weekday::Wed,
            WeekdayName::Thursday => Weekday::Thu,
            WeekdayName::Friday => Weekday::Fri,
            WeekdayName::Saturday => Weekday::Sat,
            WeekdayName::Sunday => Weekday::Sun,
        }
    }
}

impl From<Weekday> for WeekdayName {
    fn from(w: Weekday) -> Self {
        match w {
            Weekday::Mon => WeekdayName::Monday,
            Weekday::Tue => WeekdayName::Tuesday,
            Weekday::Wed => WeekdayName::Wednesday,
            Weekday::Thu => WeekdayName::Thursday,
            Weekday::Fri => WeekdayName::Friday,
            Weekday::Sat => WeekdayName::Saturday,
            Weekday::Sun => WeekdayName::Sunday,
        }
    }
}

/// A half-open range of dates `[start, end)` with `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DateRangeSpec")]
pub struct DateRange {
    /// First day in the range.
    pub start: NaiveDate,
    /// First day after the range.
    pub end: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DateRangeSpec {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<DateRangeSpec> for DateRange {
    type Error = String;
    fn try_from(s: DateRangeSpec) -> std::result::Result<Self, String> {
        DateRange::new(s.start, s.end).map_err(|_| {
            format!(
                "end {} must be after start {} (ranges are [start, end))",
                s.end, s.start
            )
        })
    }
}

impl DateRange {
    /// `[start, end)`; an empty or reversed range is an error.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self> {
        if end <= start {
            return Err(Error::invalid(
                "end",
                format!("{end} must be after start {start} (ranges are [start, end))"),
            ));
        }
        Ok(DateRange { start, end })
    }

    /// Number of days in the range.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days()
    }

    /// Whether `date` is in `[start, end)`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// Days shared with `other` (0 when disjoint).
    pub fn overlap_days(&self, other: &DateRange) -> i64 {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (end - start).num_days().max(0)
    }
}

/// One period: a kind, its label and its half-open date range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The kind of period.
    pub kind: PeriodKind,
    /// Human-readable, sortable label (`2026-Q1`, `FY2027`, …).
    pub label: String,
    /// First day of the period.
    pub start: NaiveDate,
    /// First day after the period.
    pub end: NaiveDate,
    /// Number of days in the period.
    pub days: i64,
}

fn out_of_range(date: NaiveDate) -> Error {
    Error::overflow(
        "date",
        format!("the period around {date} reaches past the last representable date"),
    )
}

fn first_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// Append `d` as its `Display` writes it (`2026-04-01`), without the formatting
/// machinery for the years of four digits: notes written once per line name dates.
pub(crate) fn push_date(out: &mut String, d: NaiveDate) {
    let y = match u32::try_from(d.year()) {
        Ok(y) if y <= 9999 => y,
        _ => return out.push_str(&d.to_string()),
    };
    let (m, day) = (d.month(), d.day());
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    for n in [y / 1000, y / 100, y / 10, y] {
        out.push(digit(n));
    }
    for n in [m, day] {
        out.push('-');
        out.push(digit(n / 10));
        out.push(digit(n));
    }
}

impl Period {
    /// The period of `kind` that contains `date`.
    pub fn containing(date: NaiveDate, kind: PeriodKind, cal: &Calendar) -> Result<Period> {
        let DateRange { start, end } = Period::range_containing(date, kind, cal)?;
        Ok(Period {
            kind,
            label: label(kind, start, cal),
            start,
            end,
            days: (end - start).num_days(),
        })
    }

    /// The days of [`Period::containing`], without its label (which costs most of it).
    pub fn range_containing(
        date: NaiveDate,
        kind: PeriodKind,
        cal: &Calendar,
    ) -> Result<DateRange> {
        let oor = || out_of_range(date);
        let (start, end) = match kind {
            PeriodKind::Day => (date, date.checked_add_days(Days::new(1)).ok_or_else(oor)?),
            PeriodKind::Week => {
                let back = date.weekday().days_since(cal.week_start);
                let start = date
                    .checked_sub_days(Days::new(back.into()))
                    .ok_or_else(oor)?;
                (start, start.checked_add_days(Days::new(7)).ok_or_else(oor)?)
            }
            PeriodKind::Month
            | PeriodKind::Quarter
            | PeriodKind::Year
            | PeriodKind::FiscalQuarter
            | PeriodKind::FiscalYear => {
                let (anchor, months) = match kind {
                    PeriodKind::Month => (1, 1),
                    PeriodKind::Quarter => (1, 3),
                    PeriodKind::Year => (1, 12),
                    PeriodKind::FiscalQuarter => (cal.fiscal_year_start_month, 3),
                    _ => (cal.fiscal_year_start_month, 12),
                };
                // Months since the anchor month, then back to the start of the block.
                let since = (date.month() + 12 - anchor) % 12;
                let back = since % months;
                let first = first_of_month(date.year(), date.month()).ok_or_else(oor)?;
                let start = first
                    .checked_sub_months(Months::new(back))
                    .ok_or_else(oor)?;
                (
                    start,
                    start
                        .checked_add_months(Months::new(months))
                        .ok_or_else(oor)?,
                )
            }
        };
        Ok(DateRange { start, end })
    }

    /// The period right after this one.
    pub fn next(&self, cal: &Calendar) -> Result<Period> {
        Period::containing(self.end, self.kind, cal)
    }

    /// This period as a [`DateRange`].
    pub fn range(&self) -> DateRange {
        DateRange {
            start: self.start,
            end: self.end,
        }
    }

    /// Every period of `kind` that shares at least one day with `[from, to)`, in order.
    /// At most [`Period::MAX_RANGE`] periods; a longer range is an error.
    pub fn covering(range: DateRange, kind: PeriodKind, cal: &Calendar) -> Result<Vec<Period>> {
        let mut out = Vec::new();
        let mut p = Period::containing(range.start, kind, cal)?;
        loop {
            if out.len() == Self::MAX_RANGE {
                return Err(Error::invalid(
                    "to",
                    format!("the range spans more than {} periods", Self::MAX_RANGE),
                ));
            }
            let end = p.end;
            out.push(p);
            if end >= range.end {
                return Ok(out);
            }
            p = Period::containing(end, kind, cal)?;
        }
    }

    /// The most periods [`Period::covering`] returns.
    pub const MAX_RANGE: usize = 100_000;
}

fn label(kind: PeriodKind, start: NaiveDate, cal: &Calendar) -> String {
    let fiscal_year = || {
        let fy_start_year = if start.month() >= cal.fiscal_year_start_month {
            start.year()
        } else {
            start.year() - 1
        };
        match cal.fiscal_year_name {
            // A fiscal year that starts in January lies in one calendar year.
            FiscalYearName::EndYear if cal.fiscal_year_start_month > 1 => fy_start_year + 1,
            _ => fy_start_year,
        }
    };
    match kind {
        PeriodKind::Day => start.to_string(),
        PeriodKind::Week => format!("{start}/P1W"),
        PeriodKind::Month => format!("{:04}-{:02}", start.year(), start.month()),
        PeriodKind::Quarter => format!("{:04}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
        PeriodKind::Year => format!("{:04}", start.year()),
        PeriodKind::FiscalYear => format!("FY{:04}", fiscal_year()),
        PeriodKind::FiscalQuarter => {
            let q = (start.month() + 12 - cal.fiscal_year_start_month) % 12 / 3 + 1;
            format!("FY{:04}-Q{q}", fiscal_year())
        }
    }
}

/// The share of `amount` that falls in `active` days of `period`, by days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proration {
    /// `amount × active_days / period_days`, rounded.
    pub amount: Money,
    /// Days of the period that are active.
    pub active_days: i64,
    /// Days in the period.
    pub period_days: i64,
}

/// Prorate `amount` over the days of `period` that fall in `active` (for a rep hired or
/// leaving mid-period), rounded with `mode` to `scale` (the currency's minor unit when
/// `None`). The multiplication is done before the division, so `amount × d / n` is exact
/// until the one final rounding.
///
/// ```
/// use salesops::money::{Money, Rounding};
/// use salesops::period::{prorate, DateRange};
/// let q1 = DateRange::new("2026-01-01".parse().unwrap(), "2026-04-01".parse().unwrap()).unwrap();
/// let hired = DateRange::new("2026-02-15".parse().unwrap(), "2026-04-01".parse().unwrap()).unwrap();
/// let quota = Money::parse("90000", "USD").unwrap();
/// let p = prorate(quota, q1, hired, Rounding::HalfEven, None).unwrap();
/// assert_eq!((p.active_days, p.period_days), (45, 90));
/// assert_eq!(p.amount.to_string(), "45000.00 USD");
/// ```
pub fn prorate(
    amount: Money,
    period: DateRange,
    active: DateRange,
    mode: Rounding,
    scale: Option<u32>,
) -> Result<Proration> {
    let scale = match scale {
        Some(s) => s,
        None => amount.currency.scale("amount.currency")?,
    };
    let active_days = period.overlap_days(&active);
    let period_days = period.days();
    let exact = amount
        .amount
        .checked_mul(Decimal::from(active_days))
        .and_then(|x| x.checked_div(Decimal::from(period_days)))
        .ok_or_else(|| {
            Error::overflow(
                "amount",
                format!("{amount} × {active_days} / {period_days}"),
            )
        })?;
    Ok(Proration {
        amount: Money::new(exact, amount.currency).round_to(scale, mode),
        active_days,
        period_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_date_writes_what_display_writes() {
        // Every day of a few years, the ends of the four-digit years, and the years
        // that Display writes with a sign or more digits.
        let mut days: Vec<NaiveDate> = [1, 999, 1000, 1999, 2026, 2028, 9999]
            .iter()
            .filter_map(|&y| NaiveDate::from_ymd_opt(y, 1, 1))
            .flat_map(|d| d.iter_days().take(366))
            .collect();
        days.extend(
            [-1, 0, 10_000, 262_142]
                .iter()
                .filter_map(|&y| NaiveDate::from_ymd_opt(y, 12, 31)),
        );
        days.extend([NaiveDate::MIN, NaiveDate::MAX]);
        assert!(days.len() > 2_500);
        for d in days {
            let mut s = String::from("on ");
            push_date(&mut s, d);
            assert_eq!(s, format!("on {d}"));
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn labels_and_bounds() {
        let cal = Calendar::default();
        let of = |date, kind| Period::containing(d(date), kind, &cal).unwrap();
        let p = of("2026-02-14", PeriodKind::Week);
        assert_eq!(
            (p.label.as_str(), p.start, p.end),
            ("2026-02-09/P1W", d("2026-02-09"), d("2026-02-16"))
        );
        assert_eq!(of("2026-12-31", PeriodKind::Quarter).label, "2026-Q4");
        assert_eq!(of("2026-12-31", PeriodKind::Quarter).end, d("2027-01-01"));
        assert_eq!(of("2028-02-29", PeriodKind::Month).days, 29);
        assert_eq!(of("2026-07-04", PeriodKind::Year).days, 365);
    }

    #[test]
    fn fiscal_periods() {
        let cal = Calendar::new(Weekday::Sun, 7, FiscalYearName::EndYear).unwrap();
        let q = Period::containing(d("2026-06-30"), PeriodKind::FiscalQuarter, &cal).unwrap();
        assert_eq!(
            (q.label.as_str(), q.start, q.end),
            ("FY2026-Q4", d("2026-04-01"), d("2026-07-01"))
        );
        let q = Period::containing(d("2026-07-01"), PeriodKind::FiscalQuarter, &cal).unwrap();
        assert_eq!(q.label, "FY2027-Q1");
        let start_named = Calendar::new(Weekday::Sun, 7, FiscalYearName::StartYear).unwrap();
        assert_eq!(
            Period::containing(d("2026-07-01"), PeriodKind::FiscalYear, &start_named)
                .unwrap()
                .label,
            "FY2026"
        );
        let w = Period::containing(d("2026-02-14"), PeriodKind::Week, &cal).unwrap();
        assert_eq!(w.start, d("2026-02-08"));
    }

    #[test]
    fn covering_and_overflow() {
        let cal = Calendar::default();
        let r = DateRange::new(d("2026-01-15"), d("2026-04-01")).unwrap();
        let months = Period::covering(r, PeriodKind::Month, &cal).unwrap();
        assert_eq!(
            months.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(),
            ["2026-01", "2026-02", "2026-03"]
        );
        let e = Period::containing(NaiveDate::MAX, PeriodKind::Year, &cal).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Overflow);
        assert!(Calendar::new(Weekday::Mon, 13, FiscalYearName::EndYear).is_err());
        assert!(DateRange::new(d("2026-01-02"), d("2026-01-02")).is_err());
    }
}
