//! Property tests of the commission engine: the invariants a rep relies on when checking
//! their own statement.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesops::commission::recalc::adjustments;
use salesops::commission::tiers::{TierTable, TierTableSpec};
use salesops::commission::{Compute, ComputeSpec, Statement, compute};
use serde_json::{Value, json};

fn cents(c: i64) -> String {
    Decimal::new(c, 2).to_string()
}

/// Ascending tier bounds (in whole units) and non-decreasing rates: no decelerator.
fn ascending_tiers() -> impl Strategy<Value = Vec<(i64, i64)>> {
    prop::collection::vec((1i64..50_000, 0i64..500), 1..5).prop_map(|steps| {
        let mut from = 0;
        let mut rate = 0;
        steps
            .into_iter()
            .map(|(w, r)| {
                let t = (from, rate + r);
                from += w;
                rate += r;
                t
            })
            .collect()
    })
}

/// Rates are hundredths of a percent (0 to 100 %).
fn tier_json(tiers: &[(i64, i64)]) -> Value {
    let n = tiers.len();
    Value::Array(
        tiers
            .iter()
            .enumerate()
            .map(|(i, (from, rate))| {
                let rate = Decimal::new((*rate).min(10_000), 2).to_string();
                if i + 1 < n {
                    json!({"from": from.to_string(), "to": tiers[i + 1].0.to_string(), "rate": rate})
                } else {
                    json!({"from": from.to_string(), "rate": rate})
                }
            })
            .collect(),
    )
}

fn mode() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("band"), Just("marginal"), Just("retroactive")]
}

fn scope() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("transaction"), Just("period")]
}

fn run(doc: Value) -> Vec<Statement> {
    let spec: ComputeSpec = serde_json::from_value(doc).expect("spec");
    compute(&Compute::new(spec).expect("valid")).expect("computes")
}

fn doc(rules: Value, credits: &[(i64, &str)], extra_plan: Value) -> Value {
    let mut plan = json!({"id": "p", "currency": "USD",
        "versions": [{"id": "v1", "effective": {"start": "2026-01-01"}, "rules": rules}]});
    if let (Some(p), Some(e)) = (plan.as_object_mut(), extra_plan.as_object()) {
        for (k, v) in e {
            if k == "version" {
                if let Some(v0) = p["versions"][0].as_object_mut() {
                    for (k2, v2) in v.as_object().into_iter().flatten() {
                        v0.insert(k2.clone(), v2.clone());
                    }
                }
            } else {
                p.insert(k.clone(), v.clone());
            }
        }
    }
    let credits: Vec<Value> = credits
        .iter()
        .enumerate()
        .map(|(i, (c, payee))| {
            json!({"id": format!("c-{i:04}"), "date": format!("2026-01-{:02}", 1 + i % 28),
                   "amount": {"amount": cents(*c), "currency": "USD"}, "payee": payee})
        })
        .collect();
    json!({"period": {"start": "2026-01-01", "end": "2026-02-01"}, "plans": [plan],
           "payees": [{"id": "ana", "plan": "p"}, {"id": "ben", "plan": "p"}], "credits": credits})
}

fn payout(s: &Statement) -> Decimal {
    s.totals.payout
}

proptest! {
    // 64 cases by default; PROPTEST_CASES=N runs more.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64)
    ))]

    /// More credited revenue never pays less when the table has no decelerator and the
    /// plan has no clawbacks.
    #[test]
    fn payout_non_decreasing_in_revenue(
        tiers in ascending_tiers(), mode in mode(), scope in scope(),
        credits in prop::collection::vec(1i64..5_000_000, 0..6), extra in 1i64..5_000_000,
    ) {
        let rules = json!([{"id": "t", "type": "tiered",
            "table": {"mode": mode, "scope": scope, "tiers": tier_json(&tiers)}}]);
        let base: Vec<(i64, &str)> = credits.iter().map(|c| (*c, "ana")).collect();
        let before = payout(&run(doc(rules.clone(), &base, json!({})))[0]);
        // One more credit.
        let mut more = base.clone();
        more.push((extra, "ana"));
        let after = payout(&run(doc(rules.clone(), &more, json!({})))[0]);
        prop_assert!(after >= before, "{after} < {before}");
        // A larger last credit.
        if let Some(last) = base.last() {
            let mut bigger = base.clone();
            let n = bigger.len() - 1;
            bigger[n] = (last.0 + extra, "ana");
            let after = payout(&run(doc(rules, &bigger, json!({})))[0]);
            prop_assert!(after >= before, "{after} < {before}");
        }
    }

    /// Marginal tables are continuous: just below and just above a boundary differ by at
    /// most the slice between them at the highest rate, and the boundary rule does not
    /// matter.
    #[test]
    fn marginal_tiers_are_continuous(tiers in ascending_tiers(), pick in 0usize..5, eps in 1i64..100) {
        let bound = tiers[pick % tiers.len()].0;
        let eval = |boundary: &str, x: Decimal| -> Decimal {
            let spec: TierTableSpec = serde_json::from_value(json!(
                {"mode": "marginal", "boundary": boundary, "tiers": tier_json(&tiers)})).unwrap();
            let t = TierTable::new(spec).unwrap();
            t.walk(Decimal::ZERO, x, Decimal::ONE_HUNDRED).unwrap().iter().map(|p| p.amount).sum()
        };
        let b = Decimal::from(bound);
        let e = Decimal::new(eps, 2);
        let lo = eval("lower", (b - e).max(Decimal::ZERO));
        let hi = eval("lower", b + e);
        let max_rate = Decimal::from(tiers.iter().map(|t| t.1.min(10_000)).max().unwrap_or(0)) / Decimal::from(100);
        prop_assert!(hi - lo <= (e + e) * max_rate / Decimal::ONE_HUNDRED, "jump {}", hi - lo);
        prop_assert_eq!(eval("lower", b), eval("upper", b));
    }

    /// Split credits conserve the total to the cent, whatever the percentages.
    #[test]
    fn split_credits_conserve_the_total(amount in -10_000_000i64..10_000_000, a in 1u32..9_999) {
        let pa = Decimal::new(i64::from(a), 2);
        let pb = Decimal::ONE_HUNDRED - pa;
        let d = json!({"period": {"start": "2026-01-01", "end": "2026-02-01"},
            "plans": [{"id": "p", "currency": "USD", "versions": [{"id": "v1", "effective": {"start": "2026-01-01"},
                "rules": [{"id": "all", "type": "rate", "rate": "100"}]}]}],
            "payees": [{"id": "ana", "plan": "p"}, {"id": "ben", "plan": "p"}],
            "credits": [{"id": "s", "date": "2026-01-10", "amount": {"amount": cents(amount), "currency": "USD"},
                "splits": [{"payee": "ana", "percent": pa.to_string()}, {"payee": "ben", "percent": pb.to_string()}]}]});
        let s = run(d);
        let credited: Decimal = s.iter().map(|s| s.attainment.credited).sum();
        let paid: Decimal = s.iter().map(|s| s.totals.payout).sum();
        prop_assert_eq!(credited, Decimal::new(amount, 2));
        prop_assert_eq!(paid, Decimal::new(amount, 2));
    }

    /// Totals are sums of the lines, whatever the rounding level, caps, minimums and
    /// draws.
    #[test]
    fn totals_equal_the_sum_of_lines(
        tiers in ascending_tiers(), mode in mode(), scope in scope(),
        credits in prop::collection::vec((-500_000i64..5_000_000, prop::bool::ANY), 0..8),
        statement_level in prop::bool::ANY, cap in prop::option::of(1i64..2_000_000),
        min in prop::option::of(1i64..10_000), draw in prop::option::of((1i64..500_000, prop::bool::ANY, prop::bool::ANY)),
    ) {
        let mut rule = json!({"id": "t", "type": "tiered", "table": {"mode": mode, "scope": scope, "tiers": tier_json(&tiers)}});
        if let Some(c) = cap { rule["cap"] = json!({"period": cents(c)}); }
        if let Some(m) = min { rule["minimum"] = json!({"line": cents(m.min(cap.unwrap_or(m)))}); }
        let rules = json!([rule, {"id": "flat", "type": "rate", "rate": "3.3333"}]);
        let mut extra = json!({"rounding": {"level": if statement_level { "statement" } else { "line" }}});
        if let Some((amount, advance, recoverable)) = draw {
            extra["version"] = json!({"draw": {"amount": cents(amount), "kind": if advance { "advance" } else { "guarantee" }, "recoverable": recoverable}});
        }
        let cs: Vec<(i64, &str)> = credits.iter().map(|(c, who)| (*c, if *who { "ana" } else { "ben" })).collect();
        for s in run(doc(rules, &cs, extra)) {
            let lines: Decimal = s.lines.iter().map(|l| l.amount).sum();
            let draws: Decimal = s.lines.iter().filter(|l| l.kind.is_draw()).map(|l| l.amount).sum();
            prop_assert_eq!(s.totals.payout, lines);
            prop_assert_eq!(s.totals.draws, draws);
            prop_assert_eq!(s.totals.earnings + s.totals.draws, s.totals.payout);
            // The total is always in whole cents.
            prop_assert_eq!(s.totals.payout.round_dp(2), s.totals.payout);
        }
    }

    /// Recomputing unchanged inputs yields no adjustment.
    #[test]
    fn recomputation_is_idempotent(
        tiers in ascending_tiers(), mode in mode(), scope in scope(),
        credits in prop::collection::vec((1i64..5_000_000, prop::bool::ANY), 0..8),
    ) {
        let rules = json!([{"id": "t", "type": "tiered", "table": {"mode": mode, "scope": scope, "tiers": tier_json(&tiers)}}]);
        let cs: Vec<(i64, &str)> = credits.iter().map(|(c, who)| (*c, if *who { "ana" } else { "ben" })).collect();
        let d = doc(rules, &cs, json!({}));
        let first = run(d.clone());
        let second = run(d);
        prop_assert!(adjustments(&first, &second).unwrap().is_empty());
        prop_assert_eq!(first, second);
    }

    /// Clawing back every credit in full under a flat plan nets the period to zero.
    #[test]
    fn clawback_of_everything_nets_to_zero(
        credits in prop::collection::vec(1i64..5_000_000, 1..8), rate in 0i64..10_000,
        statement_level in prop::bool::ANY,
    ) {
        let rules = json!([{"id": "flat", "type": "rate", "rate": Decimal::new(rate, 2).to_string()}]);
        let extra = json!({"rounding": {"level": if statement_level { "statement" } else { "line" }},
                           "version": {"clawback": {"window_days": 60}}});
        let cs: Vec<(i64, &str)> = credits.iter().map(|c| (*c, "ana")).collect();
        let mut d = doc(rules, &cs, extra);
        let events: Vec<Value> = (0..credits.len())
            .map(|i| json!({"credit": format!("c-{i:04}"), "date": "2026-01-31", "type": "refund"}))
            .collect();
        d["events"] = Value::Array(events);
        let s = run(d);
        prop_assert_eq!(s[0].totals.payout, Decimal::ZERO);
    }

    /// An interpolated curve whose amounts never fall pays more for more revenue too.
    #[test]
    fn curve_payout_non_decreasing(
        steps in prop::collection::vec((1i64..50_000, 0i64..1_000_000), 2..6), scope in scope(),
        credits in prop::collection::vec(1i64..5_000_000, 0..6), extra in 1i64..5_000_000,
    ) {
        let (mut at, mut amount) = (0i64, 0i64);
        let points: Vec<Value> = steps.iter().map(|(w, a)| {
            at += w; amount += a;
            json!({"at": at.to_string(), "amount": cents(amount)})
        }).collect();
        let rules = json!([{"id": "curve", "type": "tiered", "table": {"mode": "interpolated", "scope": scope, "points": points}}]);
        let base: Vec<(i64, &str)> = credits.iter().map(|c| (*c, "ana")).collect();
        let before = payout(&run(doc(rules.clone(), &base, json!({})))[0]);
        let mut more = base.clone();
        more.push((extra, "ana"));
        let after = payout(&run(doc(rules, &more, json!({})))[0]);
        prop_assert!(after >= before, "{after} < {before}");
    }
}

/// `threads` never changes the statements, nor which error a computation ends with:
/// every `commission.compute` golden vector's input (teams with overrides, draws,
/// clawbacks, refusals), computed on one thread and on several.
#[test]
fn threads_do_not_change_the_statements() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/commission.json"
    );
    let text = std::fs::read_to_string(path).expect("the commission vectors");
    let vectors: Vec<Value> = serde_json::from_str(&text).expect("vectors are JSON");
    let mut computed = 0;
    for v in vectors {
        let Ok(mut spec) = serde_json::from_value::<ComputeSpec>(v["input"].clone()) else {
            continue;
        };
        let mut results = Vec::new();
        for threads in [1, 2, 3, 8] {
            spec.threads = Some(threads);
            let Ok(c) = Compute::new(spec.clone()) else {
                continue;
            };
            results.push(compute(&c).map_err(|e| e.to_string()));
        }
        computed += 1;
        assert!(
            results.windows(2).all(|w| w[0] == w[1]),
            "{}: threads changed the result",
            v["name"]
        );
    }
    assert!(computed > 80, "only {computed} vectors computed");
}

/// Many payees in teams, shared among threads a block at a time: the same statements
/// as one thread, and an error in a late payee is the error one thread meets first.
#[test]
fn threads_share_many_payees_in_order() {
    let payees: Vec<Value> = (0..150)
        .map(|i| {
            let mut p = json!({"id": format!("p{i}"), "plan": "p", "quota": {"amount": "50000", "currency": "USD"}});
            if i % 10 != 0 {
                p["manager"] = json!(format!("p{}", i - i % 10));
            }
            p
        })
        .collect();
    let credits: Vec<Value> = (0..3000)
        .map(|i| {
            let c = json!({"id": format!("c{i}"), "date": format!("2026-01-{:02}", 1 + i % 28),
                "amount": {"amount": cents(10_000 + (i as i64 * 7919) % 900_000), "currency": "USD"}});
            let mut c = c;
            if i % 5 == 0 {
                c["splits"] = json!([{"payee": format!("p{}", i % 150), "percent": "60"},
                                     {"payee": format!("p{}", (i + 7) % 150), "percent": "40"}]);
            } else {
                c["payee"] = json!(format!("p{}", (i * 31) % 150));
            }
            c
        })
        .collect();
    let events: Vec<Value> = (0..3000)
        .step_by(37)
        .map(|i| json!({"credit": format!("c{i}"), "date": "2026-01-29", "type": "refund"}))
        .collect();
    let mut doc = json!({"period": {"start": "2026-01-01", "end": "2026-02-01"},
        "plans": [{"id": "p", "currency": "USD", "versions": [{"id": "v1", "effective": {"start": "2026-01-01"},
            "rules": [{"id": "retro", "type": "tiered", "table": {"mode": "retroactive", "measure": "attainment",
                "scope": "period", "tiers": [{"from": "0", "to": "100", "rate": "5"}, {"from": "100", "rate": "9"}]}},
                {"id": "team", "type": "override", "rate": "1"}],
            "clawback": {"window_days": 90}}]}],
        "payees": payees, "credits": credits, "events": events});
    let run = |doc: &Value, threads: usize| {
        let mut spec: ComputeSpec = serde_json::from_value(doc.clone()).expect("spec");
        spec.threads = Some(threads);
        compute(&Compute::new(spec).expect("valid")).map_err(|e| e.to_string())
    };
    let one = run(&doc, 1);
    assert_eq!(one.as_ref().map(Vec::len), Ok(150));
    for threads in [2, 4, 7] {
        assert_eq!(run(&doc, threads), one, "{threads} threads");
    }
    // Two payees without the quota their attainment table needs: one thread stops at
    // the first of them, and so must several.
    for p in [149, 97] {
        doc["payees"][p].as_object_mut().map(|o| o.remove("quota"));
    }
    let one = run(&doc, 1);
    assert!(
        one.as_ref().is_err_and(|e| e.contains("payees[97].quota")),
        "{one:?}"
    );
    for threads in [2, 4, 7] {
        assert_eq!(run(&doc, threads), one, "{threads} threads");
    }
}
