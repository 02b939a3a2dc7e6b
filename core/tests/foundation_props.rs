//! Property tests of the shared vocabulary: money, rounding, allocation, periods, and the
//! JSON documents of the operation table.

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesops::money::{Currency, Money, Rounding, allocate};
use salesops::period::{Calendar, DateRange, FiscalYearName, Period, PeriodKind, prorate};

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(vec!["USD", "EUR", "JPY", "BHD", "CLF"])
        .prop_map(|c| Currency::parse(c).unwrap())
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop::sample::select(Rounding::ALL.to_vec())
}

/// Amounts of magnitude below 10^18 with up to 6 decimals.
fn amount() -> impl Strategy<Value = Decimal> {
    (
        -1_000_000_000_000_000_000i64..1_000_000_000_000_000_000,
        0u32..=6,
    )
        .prop_map(|(m, s)| Decimal::new(m, s))
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-200_000i64..200_000)
        .prop_map(|d| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + TimeDelta::days(d))
}

fn kind() -> impl Strategy<Value = PeriodKind> {
    prop::sample::select(vec![
        PeriodKind::Day,
        PeriodKind::Week,
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Year,
        PeriodKind::FiscalQuarter,
        PeriodKind::FiscalYear,
    ])
}

fn calendar() -> impl Strategy<Value = Calendar> {
    (0u8..7, 1u32..=12, any::<bool>()).prop_map(|(w, m, end)| {
        let week = Weekday::try_from(w).unwrap();
        let name = if end {
            FiscalYearName::EndYear
        } else {
            FiscalYearName::StartYear
        };
        Calendar::new(week, m, name).unwrap()
    })
}

proptest! {
    #[test]
    fn allocation_conserves_the_total_and_stays_within_one_unit(
        units in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec((0u32..1_000_000, 0u32..4), 1..12),
        cur in currency(),
    ) {
        let scale = cur.minor_units().unwrap();
        let weights: Vec<Decimal> = weights.into_iter().map(|(m, s)| Decimal::new(m.into(), s)).collect();
        prop_assume!(weights.iter().any(|w| !w.is_zero()));
        let total = Money::new(Decimal::new(units, scale), cur);
        let parts = allocate(total, &weights, None).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        let sum = Money::sum(cur, &parts, "parts").unwrap();
        prop_assert_eq!(sum.amount, total.amount);
        let wsum: Decimal = weights.iter().sum();
        let unit = Decimal::new(1, scale);
        for (p, w) in parts.iter().zip(&weights) {
            let exact = total.amount * *w / wsum;
            prop_assert!((p.amount - exact).abs() < unit, "part {} vs exact share {}", p.amount, exact);
            prop_assert_eq!(p.amount.scale(), scale);
            if w.is_zero() {
                prop_assert!(p.amount.is_zero());
            }
        }
    }

    #[test]
    fn rounding_is_idempotent_and_close(x in amount(), mode in rounding(), scale in 0u32..6) {
        let once = mode.apply(x, scale);
        prop_assert_eq!(mode.apply(once, scale), once);
        prop_assert_eq!(once.scale(), scale);
        prop_assert!((once - x).abs() < Decimal::new(1, scale));
    }

    #[test]
    fn a_date_falls_in_exactly_one_period_of_each_kind(d in date(), k in kind(), cal in calendar()) {
        let p = Period::containing(d, k, &cal).unwrap();
        prop_assert!(p.start <= d && d < p.end);
        prop_assert_eq!(p.days, (p.end - p.start).num_days());
        // The neighbours tile the line with no gap and do not contain the date.
        let next = p.next(&cal).unwrap();
        prop_assert_eq!(next.start, p.end);
        prop_assert!(!next.range().contains(d));
        let before = Period::containing(p.start.pred_opt().unwrap(), k, &cal).unwrap();
        prop_assert_eq!(before.end, p.start);
        // The period of its last day is itself.
        prop_assert_eq!(Period::containing(p.end.pred_opt().unwrap(), k, &cal).unwrap(), p.clone());
        if k == PeriodKind::Week {
            prop_assert_eq!(p.start.weekday(), cal.week_start());
        }
    }

    #[test]
    fn proration_never_exceeds_the_amount(x in amount(), a in 0i64..400, b in 1i64..400, c in 1i64..400) {
        let cur = Currency::parse("USD").unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let period = DateRange::new(start, start + TimeDelta::days(b)).unwrap();
        let active = DateRange::new(start + TimeDelta::days(a), start + TimeDelta::days(a + c)).unwrap();
        let p = prorate(Money::new(x, cur), period, active, Rounding::HalfEven, None).unwrap();
        prop_assert!(p.active_days <= p.period_days);
        prop_assert!(p.amount.amount.abs() <= Rounding::Up.apply(x.abs(), 2));
        if p.active_days == p.period_days {
            prop_assert_eq!(p.amount.amount, Rounding::HalfEven.apply(x, 2));
        }
    }

    #[test]
    fn documents_survive_a_json_round_trip(x in amount(), cur in currency(), d in date(), k in kind(), cal in calendar()) {
        let m = Money::new(x, cur);
        let text = serde_json::to_string(&m).unwrap();
        prop_assert_eq!(serde_json::from_str::<Money>(&text).unwrap(), m);
        let p = Period::containing(d, k, &cal).unwrap();
        let text = serde_json::to_string(&p).unwrap();
        prop_assert_eq!(serde_json::from_str::<Period>(&text).unwrap(), p);
        let text = serde_json::to_string(&cal).unwrap();
        prop_assert_eq!(serde_json::from_str::<Calendar>(&text).unwrap(), cal);
        // Through the op table: an output document read back gives the same output.
        let out = salesops::ops::call("period.of", &format!(r#"{{"date":"{d}","kind":{},"calendar":{}}}"#,
            serde_json::to_string(&k).unwrap(), serde_json::to_string(&cal).unwrap())).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let back: Period = serde_json::from_value(v["period"].clone()).unwrap();
        prop_assert_eq!(salesops::ops::to_canonical(&back).unwrap(), v["period"].to_string());
    }
}
