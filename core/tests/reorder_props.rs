//! Properties of the reorder engine, through the operation table (the documents every
//! door speaks):
//!
//! 1. a proposed quantity respects the MOQ, the pack multiple, the maximum order quantity
//!    and the whole-unit rounding, and its stock quantity is quantity × factor;
//! 2. after receiving the proposal the position is at or above the policy's trigger
//!    level, unless a maximum order quantity capped it or pack rounding went down;
//! 3. evaluation is idempotent: evaluating again with the proposals recorded as open
//!    orders proposes again exactly when the recorded position still fires the policy,
//!    which never happens with the defaults (trigger `below`, pack rounding `up`) unless
//!    the order was capped.

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::str::FromStr;

const TODAY: &str = "2026-04-01";

fn d(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().expect("a decimal string")).expect("a decimal")
}

fn s(n: i64) -> Value {
    Value::String(n.to_string())
}

/// A policy, and its trigger name.
fn policy() -> impl Strategy<Value = Value> {
    let trigger = prop_oneof![Just("below"), Just("at_or_below")];
    (
        0i64..7,
        0i64..300,
        0i64..300,
        1i64..120,
        1i64..15,
        0i64..20,
        trigger,
    )
        .prop_map(|(kind, a, b, q, every, back, trig)| {
            let (lo, hi) = (a.min(b), a.max(b));
            match kind {
                0 => json!({"min_max": {"min": s(lo), "max": s(hi), "trigger": trig}}),
                1 => json!({"reorder_level": {"level": s(lo), "quantity": s(q), "trigger": trig}}),
                2 => json!({"s_q": {"reorder_point": s(lo), "quantity": s(q), "trigger": trig}}),
                3 => {
                    json!({"s_s": {"reorder_point": s(lo), "order_up_to": s(hi), "trigger": trig}})
                }
                4 => {
                    // A review day: the anchor is a whole number of periods back.
                    let anchor = chrono::NaiveDate::from_str(TODAY).unwrap()
                        - chrono::Days::new((every * back) as u64);
                    json!({"periodic": {"every_days": every, "anchor": anchor.to_string(),
                                         "order_up_to": s(hi), "trigger": trig}})
                }
                5 => {
                    // A review calendar with today on it; S computed up to the next day.
                    let today = chrono::NaiveDate::from_str(TODAY).unwrap();
                    let days = chrono::Days::new(every as u64);
                    let dates = [today - days, today, today + days].map(|d| d.to_string());
                    json!({"periodic": {"review_dates": dates, "trigger": trig}})
                }
                _ => json!({"days_of_cover": {"min_days": s(lo / 10), "max_days": s(hi / 10 + 1),
                                              "trigger": trig}}),
            }
        })
}

/// Order constraints that can always be met.
fn order() -> impl Strategy<Value = Value> {
    let pack = prop_oneof![Just("up"), Just("down_cap_at_max"), Just("down_never_zero")];
    (
        proptest::option::of(1i64..60),
        proptest::option::of(1i64..25),
        proptest::option::of(0i64..200),
        proptest::option::of(1i64..13),
        pack,
    )
        .prop_map(|(moq, mult, extra, factor, pack)| {
            let mut o = serde_json::Map::new();
            if let Some(m) = moq {
                o.insert("min_quantity".into(), s(m));
            }
            if let Some(k) = mult {
                o.insert("multiple".into(), s(k));
            }
            if let Some(e) = extra {
                // The smallest admissible order, plus some room.
                let smallest = match (moq, mult) {
                    (Some(m), Some(k)) => (m + k - 1) / k * k,
                    (None, Some(k)) => k,
                    (Some(m), None) => m,
                    (None, None) => 1,
                };
                o.insert("max_quantity".into(), s(smallest + e));
            }
            if let Some(f) = factor {
                o.insert(
                    "purchase_unit".into(),
                    json!({"name": format!("pack of {f}"), "factor": s(f)}),
                );
            }
            o.insert("pack_rounding".into(), json!(pack));
            Value::Object(o)
        })
}

fn stock() -> impl Strategy<Value = Value> {
    (
        -50i64..400,
        proptest::collection::vec((0usize..3, 0i64..150, 0i64..30), 0..4),
        proptest::collection::vec((0usize..2, 0i64..150, 0i64..30), 0..4),
    )
        .prop_map(|(on_hand, supply, demand)| {
            let kinds = ["purchase_order", "draft_proposal", "in_transit"];
            let date = |k: i64| {
                (chrono::NaiveDate::from_str(TODAY).unwrap() + chrono::Days::new(k as u64))
                    .to_string()
            };
            let supply: Vec<Value> = supply
                .iter()
                .enumerate()
                .map(|(i, (k, q, day))| {
                    json!({"id": format!("S{i}"), "kind": kinds[*k], "quantity": s(*q), "date": date(*day)})
                })
                .collect();
            let demand: Vec<Value> = demand
                .iter()
                .enumerate()
                .map(|(i, (k, q, day))| {
                    let kind = ["reserved", "backordered"][*k];
                    json!({"id": format!("D{i}"), "kind": kind, "quantity": s(*q), "date": date(*day)})
                })
                .collect();
            json!({"on_hand": s(on_hand), "allow_negative_on_hand": true,
                   "supply": supply, "demand": demand})
        })
}

fn item() -> impl Strategy<Value = Value> {
    (stock(), policy(), order(), 0u32..15, 0i64..40).prop_map(
        |(stock, policy, order, lead, rate)| {
            json!({"item": "X", "location": "WH", "stock": stock, "policy": policy, "order": order,
               "lead_time": {"supplier_days": lead}, "demand": {"rate": {"daily": s(rate)}}})
        },
    )
}

fn request() -> impl Strategy<Value = Value> {
    (
        proptest::collection::vec(item(), 1..5),
        proptest::option::of(0u32..10),
    )
        .prop_map(|(mut items, visibility)| {
            for (i, it) in items.iter_mut().enumerate() {
                it["item"] = json!(format!("X{i}"));
            }
            let mut r = json!({"today": TODAY, "items": items});
            if let Some(v) = visibility {
                r["time_phased"] = json!({"visibility_days": v});
            }
            r
        })
}

fn evaluate(req: &Value) -> Value {
    let out = salesops::ops::call("reorder.evaluate", &req.to_string())
        .unwrap_or_else(|e| panic!("{e}\n{req}"));
    serde_json::from_str(&out).unwrap()
}

fn index(items: &[Value], name: &str) -> usize {
    items.iter().position(|i| i["item"] == name).unwrap()
}

fn trigger_of(policy: &Value) -> &str {
    policy
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|p| p["trigger"].as_str())
        .unwrap_or("below")
}

fn fires(trigger: &str, position: Decimal, level: Decimal) -> bool {
    if trigger == "at_or_below" {
        position <= level
    } else {
        position < level
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn proposals_respect_the_order_constraints(req in request()) {
        let out = evaluate(&req);
        let items = req["items"].as_array().unwrap();
        for p in out["proposals"].as_array().unwrap() {
            let it = &items[index(items, p["item"].as_str().unwrap())];
            let o = &it["order"];
            let q = d(&p["quantity"]);
            prop_assert!(q > Decimal::ZERO);
            prop_assert_eq!(q.fract(), Decimal::ZERO, "whole units by default");
            if o.get("min_quantity").is_some() {
                prop_assert!(q >= d(&o["min_quantity"]));
            }
            if o.get("multiple").is_some() {
                prop_assert_eq!(q % d(&o["multiple"]), Decimal::ZERO);
            }
            if o.get("max_quantity").is_some() {
                prop_assert!(q <= d(&o["max_quantity"]));
            }
            let factor = o.get("purchase_unit").map_or(Decimal::ONE, |u| d(&u["factor"]));
            prop_assert_eq!(d(&p["stock_quantity"]), q * factor);
        }
    }

    #[test]
    fn receiving_the_proposals_reaches_the_trigger_level(req in request()) {
        let out = evaluate(&req);
        let items = req["items"].as_array().unwrap();
        let alerts = out["alerts"].as_array().unwrap();
        for p in out["proposals"].as_array().unwrap() {
            let name = p["item"].as_str().unwrap();
            let it = &items[index(items, name)];
            let capped = alerts.iter().any(|a| a["item"] == name && a["kind"] == "capped");
            let up = it["order"]["pack_rounding"] == "up";
            let after = d(&p["reason"]["position"]) + d(&p["stock_quantity"]);
            if up && !capped {
                prop_assert!(after >= d(&p["reason"]["trigger_level"]), "{p}");
            }
        }
    }

    #[test]
    fn evaluation_is_idempotent(req in request()) {
        let first = evaluate(&req);
        let mut again = req.clone();
        let alerts = first["alerts"].as_array().unwrap().clone();
        let mut expect_again = Vec::new();
        for p in first["proposals"].as_array().unwrap() {
            let name = p["item"].as_str().unwrap().to_string();
            let items = again["items"].as_array_mut().unwrap();
            let i = index(items, &name);
            let line = json!({"id": format!("PROPOSAL-{name}"), "kind": "draft_proposal",
                              "quantity": p["stock_quantity"], "date": p["arrival"]});
            items[i]["stock"]["supply"].as_array_mut().unwrap().push(line);
            let after = d(&p["reason"]["position"]) + d(&p["stock_quantity"]);
            let trig = trigger_of(&items[i]["policy"]).to_string();
            let refires = fires(&trig, after, d(&p["reason"]["trigger_level"]));
            let capped = alerts.iter().any(|a| a["item"] == *name && a["kind"] == "capped");
            let defaults = trig == "below" && items[i]["order"]["pack_rounding"] == "up";
            if defaults && !capped {
                prop_assert!(!refires, "{p}");
            }
            if refires {
                expect_again.push(name);
            }
        }
        let second = evaluate(&again);
        let mut proposed: Vec<String> = second["proposals"].as_array().unwrap().iter()
            .map(|p| p["item"].as_str().unwrap().to_string())
            .filter(|n| first["proposals"].as_array().unwrap().iter().any(|p| p["item"] == *n))
            .collect();
        proposed.sort();
        expect_again.sort();
        // Only items that still fire are proposed again (and they all are, unless their
        // constraints round the new need to nothing).
        for n in &proposed {
            prop_assert!(expect_again.contains(n), "{n} proposed again\n{again}");
        }
        // Items that proposed nothing the first time propose nothing the second time.
        let firsts: Vec<&str> = first["proposals"].as_array().unwrap().iter()
            .map(|p| p["item"].as_str().unwrap()).collect();
        for p in second["proposals"].as_array().unwrap() {
            let n = p["item"].as_str().unwrap();
            prop_assert!(firsts.contains(&n), "{n} appeared only the second time");
        }
    }
}

/// Decimals from the edges of the type: the engine must answer with an error code, never
/// panic.
fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("79228162514264337593543950335".to_string()),
        Just("-79228162514264337593543950335".to_string()),
        Just("0.0000000000000000000000000001".to_string()),
        Just("7922816251426433759354395.0335".to_string()),
        Just("0".to_string()),
        Just("1".to_string()),
        Just("0.5".to_string()),
        (0i64..1_000_000).prop_map(|n| n.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn extreme_values_never_panic(v in proptest::collection::vec(extreme(), 16), days in 0u32..5_000_000) {
        let x = |i: usize| v[i].clone();
        let eval = json!({"today": TODAY, "time_phased": {"visibility_days": days}, "items": [
            {"item": "A", "location": "WH",
             "stock": {"on_hand": x(0), "allow_negative_on_hand": true,
                       "supply": [{"id": "S", "kind": "in_transit", "quantity": x(1), "date": "2026-04-03"}],
                       "demand": [{"id": "D", "kind": "backordered", "quantity": x(2)}]},
             "policy": {"s_q": {"quantity": x(3)}},
             "order": {"min_quantity": x(4), "multiple": x(5), "purchase_unit": {"name": "p", "factor": x(6)}},
             "lead_time": {"supplier_days": days, "std_dev_days": x(7)},
             "demand": {"rate": {"daily": x(8), "std_dev": x(9)}},
             "safety_stock": {"z": x(10)},
             "rounding": {"scale": 2}},
            {"item": "B", "location": "WH", "stock": {"on_hand": x(11), "allow_negative_on_hand": true},
             "policy": {"days_of_cover": {"min_days": x(12), "max_days": x(13)}},
             "demand": {"history": {"from": "2026-01-01", "to": "2026-01-04", "daily": [x(14), x(15), x(1)],
                                    "method": "exponential_smoothing", "alpha": "0.5"}}}]});
        let _ = salesops::ops::call("reorder.evaluate", &eval.to_string());
        let eoq = json!({"annual_demand": x(0), "order_cost": {"amount": x(1), "currency": "USD"},
                         "holding_rate": x(2), "unit_cost": {"amount": x(3), "currency": "USD"},
                         "rounding": {"scale": 28, "mode": "half_even"}});
        let _ = salesops::ops::call("reorder.eoq", &eoq.to_string());
        let ss = json!({"demand": {"mean": x(4), "std_dev": x(5)}, "lead_time": {"mean": x(6), "std_dev": x(7)},
                        "safety_stock": {"z": x(8)}, "rounding": {"scale": 28}});
        let _ = salesops::ops::call("reorder.safety_stock", &ss.to_string());
        let d = json!({"from": "2026-01-01", "to": "2026-01-04", "daily": [x(9), x(10), x(11)],
                       "seasonality": {"monthly": [x(12), "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"],
                                       "target": "2026-01-02"}});
        let _ = salesops::ops::call("reorder.demand", &d.to_string());
    }
}
