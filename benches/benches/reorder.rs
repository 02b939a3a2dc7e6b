//! `reorder.evaluate` over generated SKUs, each with 90 days of sales history.
//!
//! The size is `REORDER_SKUS` (default 10 000; the issue's goal is 1 000 000):
//!
//! ```text
//! REORDER_SKUS=1000000 cargo bench -p salesops-benches --bench reorder
//! ```
//!
//! Three runs are timed: dated sale lines (`Sales`, one per day with a sale) and one
//! value per day (`Daily`), both through the typed API, and the daily form as JSON text
//! through the operation table (`Json`, what the C and WASM doors pay). Data are
//! generated in chunks of 10 000 SKUs outside the timed region, so the time is the
//! engine's (reading the documents and evaluating) and memory stays bounded. The data
//! follow simple integer formulas that `benches/compare/reorder_duckdb.py` reproduces in
//! SQL, so the same evaluation can be timed in DuckDB. After the bench the number of
//! proposals, their total quantity and the peak resident memory are printed;
//! `REORDER_ONCE=1` skips the criterion statistics and only times one run of each
//! (`REORDER_BEST=k`: the best of k runs of each);
//! `REORDER_FORMS=daily` (a comma-separated list of `sales`, `daily`, `json`) runs only
//! those forms, for profiling one of them.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use salesops::reorder::demand::{DailyValues, Deviation, HistorySpec, Method, Sale, Sales};
use salesops::reorder::evaluate::{DemandSpec, EvaluateSpec, ItemSpec};
use salesops::reorder::position::{DemandKind, DemandLine, SupplyKind, SupplyLine};
use salesops::reorder::{LeadTimeSpec, OrderSpec, PolicySpec, SafetyStockSpec, StockSpec};
use std::hint::black_box;
use std::time::{Duration, Instant};

const CHUNK: usize = 10_000;
const DAYS: i64 = 90;

fn skus() -> usize {
    std::env::var("REORDER_SKUS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000)
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 1).unwrap_or_default()
}

/// Units sold by SKU `i` on day `day` (0-based): the formula the DuckDB script uses.
pub fn sold(i: i64, day: i64) -> i64 {
    (i * 7919 + day * 104_729) % 13
}

/// How the history is written.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// Dated sale lines (the days with a sale).
    Sales,
    /// One value per day of the window.
    Daily,
    /// One value per day, through the operation table: JSON text in and out, what the C
    /// and WASM doors pay.
    Json,
}

/// The JSON document of SKU `i`, daily form (the same as `item(i, Form::Daily)`).
fn item_json(i: i64) -> String {
    let daily: Vec<String> = (0..DAYS)
        .map(|day| format!("\"{}\"", sold(i, day)))
        .collect();
    format!(
        concat!(
            r#"{{"item":"SKU-{i}","location":"WH","stock":{{"on_hand":"{oh}","#,
            r#""supply":[{{"id":"PO","kind":"purchase_order","quantity":"{po}"}}],"#,
            r#""demand":[{{"id":"SO","kind":"reserved","quantity":"{so}"}}]}},"#,
            r#""policy":{{"s_q":{{"quantity":"{q}"}}}},"order":{{"min_quantity":"12","multiple":"6"}},"#,
            r#""lead_time":{{"supplier_days":{lt}}},"#,
            r#""demand":{{"history":{{"from":"2026-01-01","to":"2026-04-01","daily":[{daily}]}}}},"#,
            r#""safety_stock":{{"z":"1.65"}}}}"#
        ),
        i = i,
        oh = (i * 31) % 200,
        po = (i * 17) % 50,
        so = (i * 13) % 30,
        q = 50 + (i % 5) * 10,
        lt = 3 + i % 12,
        daily = daily.join(","),
    )
}

/// The item spec of SKU `i`.
fn item(i: i64, form: Form) -> ItemSpec {
    let from = start();
    let (sales, daily) = match form {
        Form::Sales => (
            (0..DAYS)
                .filter_map(|day| {
                    let q = sold(i, day);
                    (q > 0).then(|| Sale {
                        date: from + chrono::Days::new(day as u64),
                        quantity: Decimal::from(q),
                    })
                })
                .collect(),
            None,
        ),
        // Whole units per day, as a host with whole quantities builds them (4 bytes a
        // day instead of a decimal's 16).
        Form::Daily | Form::Json => (
            Sales::default(),
            Some(DailyValues::from_units(
                (0..DAYS).map(|day| sold(i, day) as u32).collect(),
            )),
        ),
    };
    let policy = format!(r#"{{"s_q": {{"quantity": "{}"}}}}"#, 50 + (i % 5) * 10);
    ItemSpec {
        item: format!("SKU-{i}").into(),
        location: "WH".into(),
        supplier: None,
        stock: StockSpec {
            on_hand: Decimal::from((i * 31) % 200),
            allow_negative_on_hand: false,
            supply: vec![SupplyLine {
                id: "PO".into(),
                kind: SupplyKind::PurchaseOrder,
                quantity: Decimal::from((i * 17) % 50),
                date: None,
            }],
            demand: vec![DemandLine {
                id: "SO".into(),
                kind: DemandKind::Reserved,
                quantity: Decimal::from((i * 13) % 30),
                date: None,
            }],
        },
        policy: serde_json::from_str::<PolicySpec>(&policy).unwrap_or_else(|e| panic!("{e}")),
        order: OrderSpec {
            min_quantity: Some(Decimal::from(12)),
            multiple: Some(Decimal::from(6)),
            ..OrderSpec::default()
        },
        lead_time: LeadTimeSpec {
            supplier_days: 3 + (i % 12) as u32,
            ..LeadTimeSpec::default()
        },
        demand: Some(DemandSpec::History(HistorySpec {
            from,
            to: today(),
            sales,
            daily,
            stockout_days: Vec::new(),
            exclude_stockout_days: false,
            method: Method::Average,
            alpha: None,
            deviation: Deviation::Sample,
            seasonality: None,
            scale: None,
        })),
        safety_stock: Some(SafetyStockSpec::Z(Decimal::new(165, 2))),
        manual: None,
        rounding: None,
    }
}

fn chunk(lo: usize, hi: usize, form: Form) -> EvaluateSpec {
    EvaluateSpec {
        today: today(),
        items: (lo..hi).map(|i| item(i as i64, form)).collect(),
        time_phased: None,
    }
}

/// Free a request: the host does it when it is done with the request, outside the
/// evaluation and its timing (as DuckDB's table outlives its query); out of line, so
/// that a profile shows what it costs.
#[inline(never)]
fn free(spec: EvaluateSpec) {
    drop(spec);
}

/// Evaluate every SKU once, chunk by chunk; returns the time spent in the engine, the
/// number of proposals and the total quantity proposed.
fn run(n: usize, form: Form) -> (Duration, usize, Decimal) {
    let mut spent = Duration::ZERO;
    let mut proposals = 0;
    let mut total = Decimal::ZERO;
    for lo in (0..n).step_by(CHUNK) {
        let hi = (lo + CHUNK).min(n);
        if let Form::Json = form {
            let items: Vec<String> = (lo..hi).map(|i| item_json(i as i64)).collect();
            let text = format!(r#"{{"today":"2026-04-01","items":[{}]}}"#, items.join(","));
            let t = Instant::now();
            let out = salesops::ops::call("reorder.evaluate", black_box(&text))
                .unwrap_or_else(|e| panic!("{e}"));
            spent += t.elapsed();
            let doc: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
            if let Some(ps) = doc["proposals"].as_array() {
                proposals += ps.len();
                for p in ps {
                    total += p["quantity"]
                        .as_str()
                        .and_then(|q| q.parse::<Decimal>().ok())
                        .unwrap_or_default();
                }
            }
            continue;
        }
        let spec = chunk(lo, hi, form);
        let t = Instant::now();
        let out = salesops::reorder::evaluate(black_box(&spec)).unwrap_or_else(|e| panic!("{e}"));
        spent += t.elapsed();
        free(spec);
        proposals += out.proposals.len();
        total += out.proposals.iter().map(|p| p.quantity).sum::<Decimal>();
        black_box(out);
    }
    (spent, proposals, total)
}

/// The forms to run: all three, or those named in `REORDER_FORMS`.
fn forms() -> Vec<Form> {
    let all = [Form::Daily, Form::Sales, Form::Json];
    match std::env::var("REORDER_FORMS") {
        Err(_) => all.to_vec(),
        Ok(names) => all
            .into_iter()
            .filter(|f| {
                let name = format!("{f:?}").to_lowercase();
                names.split(',').any(|n| n.trim() == name)
            })
            .collect(),
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn bench(c: &mut Criterion) {
    let n = skus();
    // REORDER_ONCE=1 skips the statistics and only times one run of each form (what
    // benches/compare/reorder_duckdb.py uses).
    if std::env::var_os("REORDER_ONCE").is_none() {
        let mut group = c.benchmark_group("reorder");
        group.sample_size(10);
        for form in forms() {
            group.bench_function(format!("evaluate_{n}_skus_90_days_{form:?}"), |b| {
                b.iter_custom(|iters| (0..iters).map(|_| run(n, form).0).sum())
            });
        }
        group.finish();
    }
    // REORDER_BEST=k times each form k times and prints the best (as the DuckDB script
    // times its query): one run is at the mercy of whatever else the machine is doing.
    let best_of = std::env::var("REORDER_BEST")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1usize)
        .max(1);
    for form in forms() {
        let (mut t, proposals, total) = run(n, form);
        for _ in 1..best_of {
            t = t.min(run(n, form).0);
        }
        println!(
            "reorder ({form:?}): {n} SKUs x {DAYS} days evaluated in {:.3} s, {proposals} proposals, {total} units",
            t.as_secs_f64(),
        );
    }
    println!(
        "peak RSS of the bench process: {} MiB",
        peak_rss_kib().map_or(0, |k| k / 1024)
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
