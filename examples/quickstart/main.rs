//! The quickstart: one fiscal quarter of a small sales team, played through every engine
//! salesops has, printed the way a sales manager reads it.
//!
//! `cargo run --example quickstart`

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesops::Result;
use salesops::money::{Currency, Money, Rate, RateTable, Rounding, allocate};
use salesops::period::{Calendar, DateRange, FiscalYearName, Period, PeriodKind, prorate};

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a literal date")
}

fn dec(s: &str) -> Decimal {
    s.parse().expect("a literal decimal")
}

fn main() -> Result<()> {
    let usd = Currency::parse("USD")?;
    let eur = Currency::parse("EUR")?;
    // Northwind's fiscal year starts in April: the quarter below is FY2027-Q1.
    let calendar = Calendar::new(chrono::Weekday::Mon, 4, FiscalYearName::EndYear)?;
    let quarter = Period::containing(date("2026-05-15"), PeriodKind::FiscalQuarter, &calendar)?;

    println!(
        "NORTHWIND SALES: {} ({} to {}, {} days)",
        quarter.label, quarter.start, quarter.end, quarter.days
    );
    let months = Period::covering(quarter.range(), PeriodKind::Month, &calendar)?;
    let weeks = Period::covering(quarter.range(), PeriodKind::Week, &calendar)?;
    let labels: Vec<&str> = months.iter().map(|m| m.label.as_str()).collect();
    println!(
        "  months: {}   weeks touched: {}",
        labels.join(", "),
        weeks.len()
    );

    println!("\nBOOKINGS (reported in USD at the rate in force on the close date)");
    let rates = RateTable::new(vec![
        Rate {
            from: eur,
            to: usd,
            rate: dec("1.0840"),
            effective: date("2026-04-01"),
        },
        Rate {
            from: eur,
            to: usd,
            rate: dec("1.0712"),
            effective: date("2026-05-01"),
        },
        Rate {
            from: eur,
            to: usd,
            rate: dec("1.0925"),
            effective: date("2026-06-01"),
        },
    ])?;
    let deals = [
        ("Acme Corp renewal", "2026-04-17", "48000.00", usd),
        ("Globex expansion", "2026-05-08", "36500.00", eur),
        ("Initech new logo", "2026-05-29", "22750.00", usd),
        ("Umbrella GmbH", "2026-06-12", "61200.00", eur),
    ];
    let mut total = Money::zero(usd);
    for (name, closed, amount, currency) in deals {
        let booked = Money::new(dec(amount), currency);
        let c = rates.convert(booked, usd, date(closed), Rounding::HalfEven, None)?;
        total = total.checked_add(c.money)?;
        let via = if currency == usd {
            String::new()
        } else {
            format!("  ({booked} at {})", c.rate)
        };
        println!("  {closed}  {name:<20} {:>12}{via}", c.money.amount);
    }
    println!("  {:<32} {:>12} USD", "quarter total", total.amount);

    println!("\nTEAM DEAL SPLIT (Globex, three reps in equal thirds, to the cent)");
    let globex = rates.convert(
        Money::new(dec("36500.00"), eur),
        usd,
        date("2026-05-08"),
        Rounding::HalfEven,
        None,
    )?;
    let parts = allocate(globex.money, &[Decimal::ONE; 3], None)?;
    for (rep, part) in ["Alice (AE)", "Bikram (SE)", "Chen (SDR)"]
        .iter()
        .zip(&parts)
    {
        println!("  {rep:<12} {:>10}", part.amount);
    }
    let sum = Money::sum(usd, &parts, "parts")?;
    println!(
        "  {:<12} {:>10}  (= {} exactly)",
        "total", sum.amount, globex.money.amount
    );

    println!("\nQUOTAS (Chen joined on 2026-05-11: quota prorated by days)");
    let full_quota = Money::new(dec("150000.00"), usd);
    let hired = DateRange::new(date("2026-05-11"), quarter.end)?;
    let chen = prorate(full_quota, quarter.range(), hired, Rounding::HalfUp, None)?;
    println!("  Alice, Bikram  {:>10} each", full_quota.amount);
    println!(
        "  Chen           {:>10}  ({} of {} days)",
        chen.amount.amount, chen.active_days, chen.period_days
    );
    Ok(())
}
