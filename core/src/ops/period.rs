//! `period.*`: which period a date is in, the periods of a range, proration by days.

use super::{Op, op};
use crate::error::{Error, Result};
use crate::money::{Money, Rounding};
use crate::period::{Calendar, DateRange, Period, PeriodKind, Proration, prorate};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub(super) const OPS: &[Op] = &[
    op!(
        "period.of",
        "The period of a kind (day, week, month, quarter, year, fiscal_quarter, fiscal_year) containing a date.",
        of,
        r#"{"date":"2026-05-20","kind":"fiscal_quarter","calendar":{"fiscal_year_start_month":4}}"#
    ),
    op!(
        "period.range",
        "Every period of a kind that overlaps the half-open range [from, to).",
        range,
        r#"{"from":"2026-01-01","to":"2026-04-01","kind":"month"}"#
    ),
    op!(
        "period.prorate",
        "Prorate an amount by the days of a period that fall in an active range.",
        prorate_op,
        r#"{"amount":{"amount":"90000.00","currency":"USD"},"period":{"start":"2026-01-01","end":"2026-04-01"},"active":{"start":"2026-02-15","end":"2026-04-01"}}"#
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfIn {
    date: NaiveDate,
    kind: PeriodKind,
    #[serde(default)]
    calendar: Calendar,
}

#[derive(Serialize)]
struct PeriodOut {
    period: Period,
}

fn of(i: OfIn) -> Result<PeriodOut> {
    Ok(PeriodOut {
        period: Period::containing(i.date, i.kind, &i.calendar)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeIn {
    from: NaiveDate,
    to: NaiveDate,
    kind: PeriodKind,
    #[serde(default)]
    calendar: Calendar,
}

#[derive(Serialize)]
struct RangeOut {
    periods: Vec<Period>,
}

fn range(i: RangeIn) -> Result<RangeOut> {
    let r = DateRange::new(i.from, i.to).map_err(|_| {
        Error::invalid(
            "to",
            format!(
                "{} must be after from {} (ranges are [from, to))",
                i.to, i.from
            ),
        )
    })?;
    Ok(RangeOut {
        periods: Period::covering(r, i.kind, &i.calendar)?,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProrateIn {
    amount: Money,
    period: DateRange,
    active: DateRange,
    #[serde(default)]
    mode: Rounding,
    scale: Option<u32>,
}

fn prorate_op(i: ProrateIn) -> Result<Proration> {
    if let Some(s) = i.scale.filter(|s| *s > 28) {
        return Err(Error::invalid(
            "scale",
            format!("{s} is above the maximum of 28"),
        ));
    }
    prorate(i.amount, i.period, i.active, i.mode, i.scale)
}
