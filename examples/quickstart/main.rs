//! The quickstart: the first quarter of 2026 at a small sales team, played through every
//! engine salesops has, and printed the way a sales manager reads it.
//!
//! `cargo run --example quickstart`
//!
//! The engines are driven through the operation table with JSON documents, exactly as a
//! host does through the C door, WebAssembly or the command line. The data live in
//! `examples/data/`: six deals and the moves made on them, the commission plans and the
//! quarter's other sales orders, and the op examples for stock.

use salesops::Result;
use serde_json::{Value, json};

const PIPELINE: &str = include_str!("../data/pipeline_quarter.json");
const COMMISSION: &str = include_str!("../data/commission_q1.json");

/// Run one operation on a document, as every door does.
fn call(op: &str, input: &Value) -> Result<Value> {
    let out = salesops::ops::call(op, &input.to_string())?;
    serde_json::from_str(&out).map_err(|e| salesops::Error::Internal {
        reason: e.to_string(),
    })
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn doc(json: &str) -> Value {
    serde_json::from_str(json).expect("the example data are valid JSON")
}

fn main() -> Result<()> {
    let quarter = call(
        "period.of",
        &json!({"date": "2026-02-15", "kind": "quarter"}),
    )?["period"]
        .clone();
    let months = call(
        "period.range",
        &json!({"from": quarter["start"], "to": quarter["end"], "kind": "month"}),
    )?;
    let labels: Vec<&str> = months["periods"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| text(&p["label"]))
        .collect();
    println!(
        "NORTHWIND SALES, {}: {} to {} ({} days; {})",
        text(&quarter["label"]),
        text(&quarter["start"]),
        text(&quarter["end"]),
        quarter["days"],
        labels.join(", ")
    );

    let won = pipeline()?;
    let statements = commission(&won)?;
    split_deal(&statements)?;
    stock()?;
    Ok(())
}

/// Play the quarter's moves through `pipeline.apply`; print them, the funnel and the
/// forecast; return the commission credits the won deals emitted.
fn pipeline() -> Result<Vec<Value>> {
    let data = doc(PIPELINE);
    let mut records: Vec<Value> = data["deals"].as_array().cloned().unwrap_or_default();
    let mut credits = Vec::new();
    println!("\nPIPELINE: every move, as the reps made them");
    for m in data["moves"].as_array().into_iter().flatten() {
        let Some(i) = records.iter().position(|r| r["id"] == m["record"]) else {
            continue;
        };
        let input = json!({"pipeline": data["pipeline"], "record": records[i], "move": m["move"], "actor": m["actor"], "now": m["now"]});
        let (from, to, day) = (
            text(&records[i]["stage"]).to_string(),
            text(&m["move"]["to"]),
            &text(&m["now"])[..10],
        );
        match call("pipeline.apply", &input) {
            Ok(out) => {
                let effects: Vec<&str> = out["effects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| text(&e["kind"]))
                    .collect();
                println!(
                    "  {day}  {:<6} {from:>14} -> {to:<14} {}",
                    text(&m["record"]),
                    effects.join(", ")
                );
                for e in out["effects"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|e| e["kind"] == "commission_credit")
                {
                    credits.push(json!({"id": e["record"], "date": day, "amount": e["amount"], "payee": e["payee"], "product": "platform"}));
                }
                records[i] = out["record"].clone();
            }
            Err(e) => println!(
                "  {day}  {:<6} {from:>14} -> {to:<14} REFUSED [{}] {e}",
                text(&m["record"]),
                e.code()
            ),
        }
    }
    let funnel = call(
        "pipeline.funnel",
        &json!({"pipeline": data["pipeline"], "records": records, "as_of": data["as_of"], "reach": "strict"}),
    )?;
    println!("\n  funnel at the end of the quarter      reached  still there  lost here");
    for s in funnel["stages"].as_array().into_iter().flatten() {
        let n = |k: &str| s[k].to_string();
        println!(
            "    {:<32} {:>9} {:>12} {:>10}",
            text(&s["stage"]),
            n("reached"),
            n("current"),
            n("lost_from")
        );
    }
    let open: Vec<&Value> = records
        .iter()
        .filter(|r| r["stage"] != "won" && r["stage"] != "lost")
        .collect();
    let forecast = call(
        "pipeline.forecast",
        &json!({"pipeline": data["pipeline"], "records": open, "period": "month"}),
    )?;
    println!("\n  open deals by expected close month    deals         open     weighted");
    for g in forecast["groups"].as_array().into_iter().flatten() {
        println!(
            "    {:<32} {:>8} {:>12} {:>12} {}",
            text(&g["period"]),
            g["count"].to_string(),
            amount(&g["amount"]),
            amount(&g["weighted"]),
            currency(&g["amount"])
        );
    }
    let unscheduled = forecast["unscheduled"].as_array().map_or(0, Vec::len);
    if unscheduled > 0 {
        println!(
            "    {unscheduled} open deal(s) without a close date are left out of the forecast"
        );
    }
    Ok(credits)
}

fn amount(m: &Value) -> &str {
    text(&m["amount"])
}

fn currency(m: &Value) -> &str {
    text(&m["currency"])
}

/// The quarter's statements: the sales orders from the ERP plus the deals won above.
fn commission(won: &[Value]) -> Result<Vec<Value>> {
    let mut input = doc(COMMISSION);
    if let Some(credits) = input["credits"].as_array_mut() {
        credits.extend(won.iter().cloned());
    }
    let out = call("commission.compute", &input)?;
    println!("\nCOMMISSION STATEMENTS (USD; the ERP's sales orders plus the deals won above)");
    println!("    payee       quota      credited  attainment     earned      draws     payout");
    let statements = out["statements"].as_array().cloned().unwrap_or_default();
    for s in &statements {
        let a = &s["attainment"];
        let t = &s["totals"];
        let pct = if a["percent"].is_null() {
            "-".to_string()
        } else {
            format!("{}%", text(&a["percent"]))
        };
        println!(
            "    {:<8} {:>10} {:>13} {:>11} {:>10} {:>10} {:>10}",
            text(&s["payee"]),
            text(&a["quota"]),
            text(&a["credited"]),
            pct,
            text(&t["earnings"]),
            text(&t["draws"]),
            text(&t["payout"])
        );
    }
    if let Some(s) = statements.first() {
        println!("\n  {}'s lines:", text(&s["payee"]));
        for l in s["lines"].as_array().into_iter().flatten() {
            let rate = if l["rate"].is_null() {
                String::new()
            } else {
                format!("at {}%", text(&l["rate"]))
            };
            println!(
                "    {} {:<8} {:<12} {:<10} base {:>10} {:<9} = {:>9}",
                text(&l["date"]),
                text(&l["credit"]),
                text(&l["kind"]),
                text(&l["rule"]),
                text(&l["base"]),
                rate,
                text(&l["amount"])
            );
        }
    }
    Ok(statements)
}

/// A team bonus split three ways to the cent.
fn split_deal(statements: &[Value]) -> Result<()> {
    let pool = json!({"amount": "10000.00", "currency": "USD"});
    let payees: Vec<&str> = statements
        .iter()
        .map(|s| text(&s["payee"]))
        .filter(|p| *p != "mia")
        .collect();
    let out = call(
        "money.allocate",
        &json!({"total": pool, "weights": vec!["1"; payees.len()]}),
    )?;
    println!(
        "\nTEAM BONUS POOL of {} USD split equally, to the cent",
        amount(&pool)
    );
    let parts = out["parts"].as_array().cloned().unwrap_or_default();
    for (p, part) in payees.iter().zip(&parts) {
        println!("    {p:<8} {:>10}", amount(part));
    }
    Ok(())
}

/// What the quarter's sales did to stock: the replenishment proposals and alerts.
fn stock() -> Result<()> {
    let input: Value = doc(salesops::ops::find("reorder.evaluate")?.example);
    let out = call("reorder.evaluate", &input)?;
    println!(
        "\nREPLENISHMENT on {} (after the quarter's sales)",
        text(&input["today"])
    );
    for p in out["proposals"].as_array().into_iter().flatten() {
        println!(
            "    order {:>5} x {:<14} from {:<16} by {}, arriving {}",
            text(&p["quantity"]),
            text(&p["item"]),
            text(&p["supplier"]),
            text(&p["order_by"]),
            text(&p["arrival"])
        );
        println!("        because {}", text(&p["reason"]["text"]));
    }
    for a in out["alerts"].as_array().into_iter().flatten() {
        println!(
            "    alert: {:<18} {:<14} {} vs level {}",
            text(&a["kind"]),
            text(&a["item"]),
            text(&a["quantity"]),
            text(&a["level"])
        );
    }
    Ok(())
}
