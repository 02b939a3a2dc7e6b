//! `reorder.*`: positions, proposals and alerts, safety stock, EOQ, demand.

use super::{Op, op};
use crate::error::Result;
use crate::reorder::demand::{DemandEstimate, HistorySpec};
use crate::reorder::eoq::{EoqResult, EoqSpec};
use crate::reorder::evaluate::{EvaluateSpec, Evaluation};
use crate::reorder::position::{Position, StockSpec};
use crate::reorder::safety::{SafetyPlan, SafetyStockSpec, plan};
use crate::reorder::{QuantityRounding, non_negative};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

pub(super) const OPS: &[Op] = &[
    op!(
        "reorder.position",
        "Inventory position of one item: on hand + on order − reserved − backordered, optionally up to a horizon date.",
        position,
        r#"{"stock":{"on_hand":"40","supply":[{"id":"PO-881/1","kind":"purchase_order","quantity":"60","date":"2026-04-09"},{"id":"RFQ-12/3","kind":"draft_proposal","quantity":"24","date":"2026-04-30"}],"demand":[{"id":"SO-4410/2","kind":"reserved","quantity":"18","date":"2026-04-03"},{"id":"SO-4398/1","kind":"backordered","quantity":"5"}]},"horizon":"2026-04-15"}"#
    ),
    op!(
        "reorder.evaluate",
        "Replenishment proposals (quantity, dates, reason) and alerts for items under their policies.",
        evaluate,
        r#"{"today":"2026-04-01","items":[{"item":"ESPRESSO-1KG","location":"WH-EAST","supplier":"ROASTERY-NORTH","stock":{"on_hand":"38","supply":[{"id":"PO-881/1","kind":"purchase_order","quantity":"24"}],"demand":[{"id":"SO-4410/2","kind":"reserved","quantity":"30"}]},"policy":{"s_s":{"order_up_to":"400"}},"order":{"min_quantity":"48","multiple":"12"},"lead_time":{"supplier_days":5,"purchase_days":1},"demand":{"history":{"from":"2026-01-01","to":"2026-04-01","sales":[{"date":"2026-01-05","quantity":"52"},{"date":"2026-01-12","quantity":"61"},{"date":"2026-01-19","quantity":"58"},{"date":"2026-01-26","quantity":"49"},{"date":"2026-02-02","quantity":"66"},{"date":"2026-02-09","quantity":"70"},{"date":"2026-02-16","quantity":"55"},{"date":"2026-02-23","quantity":"63"},{"date":"2026-03-02","quantity":"59"},{"date":"2026-03-09","quantity":"68"},{"date":"2026-03-16","quantity":"72"},{"date":"2026-03-23","quantity":"57"},{"date":"2026-03-30","quantity":"64"}]}},"safety_stock":{"service_level":"0.95"}},{"item":"FILTER-PAPER","location":"WH-EAST","stock":{"on_hand":"8"},"policy":{"min_max":{"min":"10","max":"40"}},"order":{"multiple":"6"}}]}"#
    ),
    op!(
        "reorder.safety_stock",
        "Safety stock and reorder point from demand, lead time and a service level, a service factor z, days or a quantity.",
        safety_stock,
        r#"{"demand":{"mean":"50","std_dev":"3"},"lead_time":{"mean":"2"},"safety_stock":{"service_level":"0.90"},"rounding":{"scale":2,"mode":"half_up"}}"#
    ),
    op!(
        "reorder.eoq",
        "Economic order quantity √(2DS/H) and the yearly costs it leads to.",
        eoq,
        r#"{"annual_demand":"1000","order_cost":{"amount":"10.00","currency":"USD"},"holding_cost":{"amount":"0.50","currency":"USD"}}"#
    ),
    op!(
        "reorder.demand",
        "Daily demand and its deviation from sales history (average or exponential smoothing, stock-out days excluded, seasonality).",
        demand,
        r#"{"from":"2026-03-01","to":"2026-03-08","sales":[{"date":"2026-03-01","quantity":"4"},{"date":"2026-03-02","quantity":"6"},{"date":"2026-03-04","quantity":"5"},{"date":"2026-03-06","quantity":"7"}],"stockout_days":["2026-03-03"],"exclude_stockout_days":true}"#
    ),
];

/// `reorder.position` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PositionIn {
    stock: StockSpec,
    /// Count only lines dated up to this day (inclusive).
    horizon: Option<NaiveDate>,
}

fn position(i: PositionIn) -> Result<Position> {
    i.stock
        .check()
        .map_err(|e| e.within("stock"))?
        .position(i.horizon)
        .map_err(|e| e.within("stock"))
}

fn evaluate(i: EvaluateSpec) -> Result<Evaluation> {
    crate::reorder::evaluate(&i)
}

/// Demand per period: `{"mean": "50", "std_dev": "3"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodDemand {
    mean: Decimal,
    std_dev: Option<Decimal>,
}

/// Lead time in the same periods: `{"mean": "2", "std_dev": "0.5"}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodLeadTime {
    mean: Decimal,
    std_dev: Option<Decimal>,
}

/// `reorder.safety_stock` input.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SafetyIn {
    demand: PeriodDemand,
    lead_time: PeriodLeadTime,
    safety_stock: Option<SafetyStockSpec>,
    rounding: Option<QuantityRounding>,
}

fn safety_stock(i: SafetyIn) -> Result<SafetyPlan> {
    let mean = non_negative(i.demand.mean, "demand.mean")?;
    let sd = i
        .demand
        .std_dev
        .map(|s| non_negative(s, "demand.std_dev"))
        .transpose()?;
    let lead = non_negative(i.lead_time.mean, "lead_time.mean")?;
    let lead_sd = match i.lead_time.std_dev {
        Some(s) => non_negative(s, "lead_time.std_dev")?,
        None => Decimal::ZERO,
    };
    let rounding = i.rounding.unwrap_or_default().check("rounding")?;
    let rule = i
        .safety_stock
        .map(|s| s.check().map_err(|e| e.within("safety_stock")))
        .transpose()?;
    plan(rule.as_ref(), mean, sd, lead, lead_sd, rounding)
}

fn eoq(i: EoqSpec) -> Result<EoqResult> {
    if i.annual_demand.is_none() {
        return Err(crate::Error::invalid(
            "annual_demand",
            "the EOQ needs an annual demand",
        ));
    }
    i.check()?.compute(None, QuantityRounding::default())
}

fn demand(i: HistorySpec) -> Result<DemandEstimate> {
    i.estimate()
}
