//! Evaluation: replenishment proposals with their reasons, and alerts.
//!
//! This module decides, for every item of a request and on the day given, in this
//! order: the position (time-phased up to `today + lead time + visibility days` when
//! `time_phased` is set), the demand rate and safety stock, the policy's levels, whether
//! it fires, the need, the sized order, the dates, and the alerts. A proposal is due
//! the day it is made (`order_by = today`, since the policy only fires once the position
//! is at its line) and arrives after the lead time (`arrival = today + lead time`).
//!
//! Re-evaluating after the host recorded a proposal as an open order (a
//! `draft_proposal` supply line dated on its arrival) proposes nothing more, because the
//! order lifted the position to the policy's level or above. The exceptions are stated
//! where they arise: a manual override is proposed every time, a maximum order quantity
//! can leave the position short, rounding down can too, and with an `at_or_below`
//! trigger a position that lands exactly on the level fires again (ERPNext's behaviour).
//! It never places orders, merges proposals of different items or reads the clock.

use super::constraints::{OrderConstraints, OrderSpec, Step};
use super::demand::HistorySpec;
use super::fx::FxBuild;
use super::lead_time::{LeadTime, LeadTimeSpec};
use super::policy::{Context, Policy, PolicySpec, Resolved};
use super::position::{Stock, StockSpec};
use super::safety::{SafetyStock, SafetyStockSpec, plan, plan_over};
use super::{
    QuantityRounding, above_zero, add, add_days, below_zero, mul, non_negative, norm, push_num, sub,
};
use crate::error::{Error, Result};
use crate::id::Id;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A demand rate given directly: `{"daily": "5", "std_dev": "2"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateSpec {
    /// Units per day.
    pub daily: Decimal,
    /// Standard deviation of daily demand.
    pub std_dev: Option<Decimal>,
}

/// An item's demand: `{"rate": {...}}` or `{"history": {...}}` (see
/// [`crate::reorder::demand`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DemandSpec {
    /// Given.
    Rate(RateSpec),
    /// Estimated from sales history.
    History(HistorySpec),
}

/// A manual quantity: proposed as given (in purchase units), whatever the policy says;
/// `"0"` suppresses the proposal. It must satisfy the order constraints.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideSpec {
    /// Quantity in purchase units.
    pub quantity: Decimal,
    /// Why, shown in the proposal's reason.
    pub reason: Option<String>,
}

/// One item at one location.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    /// The host's item id.
    pub item: Id,
    /// The host's location id.
    pub location: Id,
    /// The preferred supplier, copied into proposals.
    pub supplier: Option<Id>,
    /// Stock and open lines.
    pub stock: StockSpec,
    /// The policy.
    pub policy: PolicySpec,
    /// Order constraints.
    #[serde(default)]
    pub order: OrderSpec,
    /// Lead time.
    #[serde(default)]
    pub lead_time: LeadTimeSpec,
    /// Demand, when a level is computed from it.
    pub demand: Option<DemandSpec>,
    /// Safety stock.
    pub safety_stock: Option<SafetyStockSpec>,
    /// Manual quantity (boxed: rarely given, and every item carries the field).
    #[serde(rename = "override")]
    pub manual: Option<Box<OverrideSpec>>,
    /// Rounding of computed quantities (default up to whole units).
    pub rounding: Option<QuantityRounding>,
}

/// Look-ahead of a time-phased evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimePhasedSpec {
    /// Days counted beyond the lead time (Odoo's visibility or horizon days).
    pub visibility_days: u32,
}

/// `reorder.evaluate`'s input.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluateSpec {
    /// The day of the evaluation.
    pub today: NaiveDate,
    /// The items.
    pub items: Vec<ItemSpec>,
    /// Count only lines dated up to `today + lead time + visibility_days`; without it
    /// every line counts whatever its date.
    pub time_phased: Option<TimePhasedSpec>,
}

/// A checked item. It borrows the spec's names, stock lines and override note: checking
/// neither moves nor copies them, and the host keeps (and frees) its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    item: &'a Id,
    location: &'a Id,
    supplier: Option<&'a Id>,
    stock: Stock<'a>,
    policy: Policy,
    order: OrderConstraints,
    max_quantity: Option<Decimal>,
    lead: LeadTime,
    demand: Option<(Decimal, Option<Decimal>)>,
    safety: Option<SafetyStock>,
    manual: Option<(Decimal, Option<&'a str>)>,
}

impl ItemSpec {
    /// Check the item; errors name the field relative to the item.
    pub fn check(&self) -> Result<Item<'_>> {
        self.check_with(&mut ZCache::default())
    }

    /// [`ItemSpec::check`], reusing service factors already computed for other items
    /// (the inverse normal is the costliest step of a check).
    fn check_with(&self, z_cache: &mut ZCache) -> Result<Item<'_>> {
        if self.item.is_empty() {
            return Err(Error::invalid("item", "must not be empty"));
        }
        if self.location.is_empty() {
            return Err(Error::invalid("location", "must not be empty"));
        }
        let rounding = self.rounding.unwrap_or_default().check("rounding")?;
        let stock = self.stock.check().map_err(|e| e.within("stock"))?;
        let policy = self.policy.check().map_err(|e| e.within("policy"))?;
        let max_quantity = self.order.max_quantity;
        let order = self.order.check(rounding).map_err(|e| e.within("order"))?;
        let lead = self.lead_time.check().map_err(|e| e.within("lead_time"))?;
        let demand = match &self.demand {
            None => None,
            Some(DemandSpec::Rate(r)) => Some((
                non_negative(r.daily, "demand.rate.daily")?,
                r.std_dev
                    .map(|s| non_negative(s, "demand.rate.std_dev"))
                    .transpose()?,
            )),
            Some(DemandSpec::History(h)) => {
                let e = h.estimate().map_err(|e| e.within("demand.history"))?;
                Some((e.daily, Some(e.std_dev)))
            }
        };
        let safety = match self.safety_stock {
            None => None,
            Some(SafetyStockSpec::ServiceLevel(level)) if z_cache.get(level).is_some() => {
                z_cache.get(level).map(|z| SafetyStock::Service { z })
            }
            Some(spec) => {
                let rule = spec.check().map_err(|e| e.within("safety_stock"))?;
                if let (SafetyStockSpec::ServiceLevel(level), SafetyStock::Service { z }) =
                    (spec, rule)
                {
                    z_cache.put(level, z);
                }
                Some(rule)
            }
        };
        if demand.is_none() {
            if let Some(field) = policy.needs_demand() {
                return Err(Error::invalid(
                    format!("policy.{field}"),
                    "this level is computed from demand; give the item a `demand` or the level itself",
                ));
            }
            if safety.as_ref().is_some_and(SafetyStock::needs_demand) {
                return Err(Error::invalid(
                    "safety_stock",
                    "this safety stock is computed from demand; give the item a `demand`",
                ));
            }
        }
        if safety.as_ref().is_some_and(SafetyStock::needs_std_dev)
            && demand.is_some_and(|(_, sd)| sd.is_none())
        {
            return Err(Error::invalid(
                "demand.rate.std_dev",
                "a service-level safety stock needs the demand's standard deviation",
            ));
        }
        let manual = match &self.manual {
            None => None,
            Some(o) => {
                let q = non_negative(o.quantity, "override.quantity")?;
                if !order.admits(q) {
                    return Err(Error::invalid(
                        "override.quantity",
                        format!(
                            "{q} does not satisfy the order constraints (minimum, multiple, maximum, rounding)"
                        ),
                    ));
                }
                Some((q, o.reason.as_deref()))
            }
        };
        Ok(Item {
            item: &self.item,
            location: &self.location,
            supplier: self.supplier.as_ref(),
            stock,
            policy,
            order,
            max_quantity: max_quantity.map(norm),
            lead,
            demand,
            safety,
            manual,
        })
    }
}

/// Service factors already computed in one request, by service level (requests use a
/// handful of levels; the list is short and bounded).
#[derive(Debug, Default)]
struct ZCache(Vec<(Decimal, Decimal)>);

impl ZCache {
    fn get(&self, level: Decimal) -> Option<Decimal> {
        self.0.iter().find(|(l, _)| *l == level).map(|(_, z)| *z)
    }

    fn put(&mut self, level: Decimal, z: Decimal) {
        if self.0.len() < 64 {
            self.0.push((level, z));
        }
    }
}

/// Why a proposal was made, with the numbers.
///
/// Its one line of text ([`Reason::text`], also its `Display` and the `text` of its
/// JSON document) is written when asked for, from the parts the evaluation kept: a
/// large evaluation's proposals are mostly read as numbers, and writing every line as
/// it went cost about a tenth of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The position compared.
    pub position: Decimal,
    /// The level it was compared with.
    pub trigger_level: Decimal,
    /// What the policy needed, in stock units, before order constraints.
    pub need: Decimal,
    /// The constraint steps that changed the quantity (purchase units).
    pub steps: Vec<Step>,
    why: Why,
}

/// What a reason's text is written from, besides its numbers.
// Held in place: boxed, the policy's parts cost an allocation per proposal, more than
// moving them (callgrind, daily values: 5 186 instructions per SKU against 5 077).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    /// A manual override, and its note.
    Manual {
        quantity: Decimal,
        note: Option<String>,
    },
    /// The policy fired: its levels, how many multiples a rule of multiples took, and
    /// the constraints that name the steps.
    Policy {
        levels: Resolved,
        multiples: Decimal,
        order: OrderConstraints,
    },
}

impl Reason {
    /// One line a person can read:
    /// `"position 8 < min 10; order up to max 40: 32; multiple of 6 (up): 36"`.
    ///
    /// ```
    /// # use salesops::reorder::{evaluate, EvaluateSpec};
    /// let spec: EvaluateSpec = serde_json::from_str(r#"{"today": "2026-04-01", "items": [{
    ///     "item": "A", "location": "WH", "stock": {"on_hand": "8"},
    ///     "policy": {"min_max": {"min": "10", "max": "40"}},
    ///     "order": {"multiple": "6"}, "lead_time": {"supplier_days": 3}}]}"#).unwrap();
    /// let out = evaluate(&spec).unwrap();
    /// assert_eq!(
    ///     out.proposals[0].reason.text(),
    ///     "position 8 < min 10; order up to max 40: 32; multiple of 6 (up): 36"
    /// );
    /// ```
    pub fn text(&self) -> String {
        match &self.why {
            Why::Manual {
                quantity,
                note: Some(note),
            } => format!("manual override: {quantity} ({note})"),
            Why::Manual {
                quantity,
                note: None,
            } => format!("manual override: {quantity}"),
            Why::Policy {
                levels,
                multiples,
                order,
            } => {
                let mut text = levels.trigger_text(self.position);
                text.push_str("; ");
                levels.write_need(self.position, self.need, *multiples, &mut text);
                for s in &self.steps {
                    text.push_str("; ");
                    order.write_step(&mut text, s.rule);
                    text.push_str(": ");
                    push_num(&mut text, s.quantity);
                }
                text
            }
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut doc = serializer.serialize_struct("Reason", 5)?;
        doc.serialize_field("text", &self.text())?;
        doc.serialize_field("position", &self.position)?;
        doc.serialize_field("trigger_level", &self.trigger_level)?;
        doc.serialize_field("need", &self.need)?;
        doc.serialize_field("steps", &self.steps)?;
        doc.end()
    }
}

/// A replenishment proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// Item id.
    pub item: Id,
    /// Location id.
    pub location: Id,
    /// Supplier, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Id>,
    /// The policy's key.
    pub policy: &'static str,
    /// Quantity in purchase units.
    pub quantity: Decimal,
    /// The purchase unit, when not the stock unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Quantity in stock units.
    pub stock_quantity: Decimal,
    /// Latest day to place the order: today.
    pub order_by: NaiveDate,
    /// Expected arrival: `order_by + lead time`.
    pub arrival: NaiveDate,
    /// Why.
    pub reason: Reason,
}

/// Kinds of alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// Stock on hand is negative (`quantity` = on hand, `level` = 0).
    NegativeOnHand,
    /// Available stock (on hand − reserved − backordered) is below the safety stock.
    BelowSafetyStock,
    /// The position at the end of the lead time, less the demand forecast over it, is
    /// negative (`quantity`), by `date`.
    StockoutProjected,
    /// The policy fired but pack rounding left nothing to order (`quantity` = need).
    RoundedToZero,
    /// The maximum order quantity lowered the order (`quantity` = before, `level` = the
    /// maximum).
    Capped,
    /// The position, with the proposal, is above the policy's maximum.
    AboveMax,
}

/// An alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Item id.
    pub item: Id,
    /// Location id.
    pub location: Id,
    /// What.
    pub kind: AlertKind,
    /// The quantity that crossed the line.
    pub quantity: Decimal,
    /// The line.
    pub level: Decimal,
    /// When, for projections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
}

/// Proposals and alerts, in the order of the items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The proposals.
    pub proposals: Vec<Proposal>,
    /// The alerts.
    pub alerts: Vec<Alert>,
}

/// A checked evaluation request, borrowing its items from the spec (see [`Item`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'a> {
    today: NaiveDate,
    visibility: Option<u32>,
    items: Vec<Item<'a>>,
}

impl EvaluateSpec {
    /// Check every item (errors name `items[3]....`); an item and location pair may
    /// appear once.
    pub fn check(&self) -> Result<Request<'_>> {
        let duplicate = first_duplicate(&self.items);
        let mut items = Vec::with_capacity(self.items.len());
        let mut z_cache = ZCache::default();
        for (i, spec) in self.items.iter().enumerate() {
            items.push(
                spec.check_with(&mut z_cache)
                    .map_err(|e| e.within(&format!("items[{i}]")))?,
            );
        }
        if let Some(e) = duplicate {
            return Err(e);
        }
        Ok(Request {
            today: self.today,
            visibility: self.time_phased.map(|t| t.visibility_days),
            items,
        })
    }
}

/// The error for the first item and location pair listed a second time, if any.
fn first_duplicate(items: &[ItemSpec]) -> Option<Error> {
    // Bytes, not `str`: equal exactly when the texts are, without validating each id.
    let mut seen: HashSet<(&[u8], &[u8]), FxBuild> =
        HashSet::with_capacity_and_hasher(items.len(), FxBuild::default());
    let i = items
        .iter()
        .position(|s| !seen.insert((s.item.as_bytes(), s.location.as_bytes())))?;
    Some(Error::invalid(
        format!("items[{i}].location"),
        format!(
            "item `{}` at `{}` is listed twice; one policy per item and location",
            items[i].item, items[i].location
        ),
    ))
}

/// Check and evaluate a request: the same result as `spec.check()?.run()`, item by item,
/// so the checked items are never gathered in memory; their names go to the proposals
/// and alerts as they are held (short ids copied in place, long ones shared).
///
/// The request is borrowed: it is neither changed nor freed, so a host can evaluate it
/// again (on another `today`, or after recording a proposal as an open order) without
/// cloning it, and frees it when it is done with it.
///
/// The errors are those of `check` first (the first item that fails it, then a
/// duplicate pair), then those of `run`: items are still checked after an evaluation
/// failed, and evaluated only while none has.
pub fn evaluate(spec: &EvaluateSpec) -> Result<Evaluation> {
    let duplicate = first_duplicate(&spec.items);
    let day = Day {
        today: spec.today,
        visibility: spec.time_phased.map(|t| t.visibility_days),
    };
    let mut z_cache = ZCache::default();
    // Not reserved for one output per item: that saves the regrowth's copies (about
    // 400 instructions per item) but costs more time than it saves, the large blocks
    // coming fresh from the system page by page (measured, 1M SKUs).
    let mut out = Evaluation::default();
    let mut failed = None;
    for (i, spec) in spec.items.iter().enumerate() {
        let within = |e: Error| e.within(&format!("items[{i}]"));
        // Read where it was checked into: taking the item out of the result copied it
        // (and the names are copied in place, or shared, either way).
        let checked = spec.check_with(&mut z_cache);
        let it = match &checked {
            Ok(it) => it,
            Err(e) => return Err(within(e.clone())),
        };
        if failed.is_some() || duplicate.is_some() {
            continue;
        }
        // Straight to the output (it is dropped if the request fails).
        if let Err(e) = day.assess(it, &mut out) {
            failed = Some(within(e));
        }
    }
    match duplicate.or(failed) {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

impl Request<'_> {
    /// Evaluate every item.
    pub fn run(&self) -> Result<Evaluation> {
        let day = Day {
            today: self.today,
            visibility: self.visibility,
        };
        let mut out = Evaluation::default();
        for (i, it) in self.items.iter().enumerate() {
            day.assess(it, &mut out)
                .map_err(|e| e.within(&format!("items[{i}]")))?;
        }
        Ok(out)
    }
}

/// The day of an evaluation and its look-ahead.
#[derive(Debug, Clone, Copy)]
struct Day {
    today: NaiveDate,
    visibility: Option<u32>,
}

/// An alert before it is given the item's names.
type AlertParts = (AlertKind, Decimal, Decimal, Option<NaiveDate>);

/// The alert `parts` of item `it`, with its names (short ids are copied in place; long
/// ones share one block).
fn alert(it: &Item<'_>, (kind, quantity, level, date): AlertParts) -> Alert {
    Alert {
        item: it.item.clone(),
        location: it.location.clone(),
        kind,
        quantity: norm(quantity),
        level: norm(level),
        date,
    }
}

impl Day {
    /// Append the item's alerts, in the order they are reported, and then its proposal,
    /// if any, to `out`: straight into the output, where an item's alerts were gathered
    /// in a vector of their own before (an allocation per item with an alert) and its
    /// proposal returned without its names, to be named and copied once more.
    /// Nothing is appended after an error, but what was appended before it stays: the
    /// callers drop the output on an error.
    fn assess(&self, it: &Item<'_>, out: &mut Evaluation) -> Result<()> {
        let alerts = &mut out.alerts;
        let today = self.today;
        let lead_days = it.lead.days();
        let arrival = add_days(today, u64::from(lead_days), "lead_time")?;
        let horizon = match self.visibility {
            None => None,
            Some(v) => Some(add_days(
                today,
                u64::from(lead_days) + u64::from(v),
                "lead_time",
            )?),
        };
        let pos = it.stock.level(horizon)?;
        let on_hand = it.stock.on_hand();
        let p = pos.position;
        let rounding = it.order.rounding();
        // Safety stock and reorder point over the lead time, computed once, and the
        // demand forecast over it (`d · L`, as `plan` computes it: the same product).
        let lead = Decimal::from(lead_days);
        let forecast = match it.demand {
            Some((d, _)) => mul(d, lead, "lead_time")?,
            None => Decimal::ZERO,
        };
        let safety = match (it.safety.as_ref(), it.demand) {
            (rule, Some((d, sd))) => Some(plan_over(
                rule,
                d,
                sd,
                lead,
                forecast,
                it.lead.std_dev(),
                rounding,
            )?),
            (Some(rule), None) => Some(plan(
                Some(rule),
                Decimal::ZERO,
                None,
                Decimal::ZERO,
                Decimal::ZERO,
                rounding,
            )?),
            (None, None) => None,
        };
        let cx = Context {
            today,
            demand: it.demand,
            lead: (lead_days, it.lead.std_dev()),
            safety: it.safety.as_ref(),
            rounding,
            reorder_point: safety
                .filter(|_| it.demand.is_some())
                .map(|s| (s.reorder_point, s.shown_safety_stock)),
        };
        // Read in place, as `evaluate` reads a checked item (200 bytes).
        let resolved = it.policy.resolve(&cx);
        let resolved = match &resolved {
            Ok(r) => r,
            Err(e) => return Err(e.clone().within("policy")),
        };
        let safety = safety.filter(|_| it.safety.is_some());

        let fired = resolved.fires(p);
        let policy_has_max = resolved.max.is_some_and(above_zero);
        // Reported after the alerts about the stock itself.
        let (mut capped, mut rounded_to_zero) = (None, None);
        let mut proposal = None;
        let mut ordered = Decimal::ZERO;

        if let Some((q, note)) = &it.manual {
            if !q.is_zero() {
                let stock_q = norm(mul(*q, it.order.factor(), "override.quantity")?);
                let why = Why::Manual {
                    quantity: *q,
                    note: note.map(str::to_owned),
                };
                ordered = stock_q;
                proposal = Some((*q, stock_q, why, stock_q, Vec::new()));
            }
        } else if fired {
            let (need, multiples) = resolved.need_at(p)?;
            let sized = it.order.apply(need, policy_has_max)?;
            if let Some(before) = sized.capped_from {
                capped = Some((
                    AlertKind::Capped,
                    before,
                    it.max_quantity.unwrap_or(before),
                    None,
                ));
            }
            if sized.rounded_to_zero && above_zero(need) {
                rounded_to_zero = Some((AlertKind::RoundedToZero, need, resolved.level, None));
            }
            if above_zero(sized.quantity) {
                ordered = sized.stock_quantity;
                let why = Why::Policy {
                    levels: *resolved,
                    multiples,
                    order: it.order.clone(),
                };
                proposal = Some((sized.quantity, sized.stock_quantity, why, need, sized.steps));
            }
        }

        // Alerts about the stock itself come first.
        if below_zero(on_hand) {
            let parts = (AlertKind::NegativeOnHand, on_hand, Decimal::ZERO, None);
            alerts.push(alert(it, parts));
        }
        if let Some(s) = safety.filter(|s| above_zero(s.safety_stock)) {
            if pos.available < s.safety_stock {
                let parts = (
                    AlertKind::BelowSafetyStock,
                    pos.available,
                    s.safety_stock,
                    None,
                );
                alerts.push(alert(it, parts));
            }
        }
        // The position up to the arrival; the same as the policy's unless a line falls
        // between the arrival and the horizon.
        let at_arrival = if it.stock.has_lines_after(arrival) {
            it.stock.level(Some(arrival))?.position
        } else {
            p
        };
        let projected = norm(sub(at_arrival, forecast, "demand")?);
        if below_zero(projected) {
            let parts = (
                AlertKind::StockoutProjected,
                projected,
                Decimal::ZERO,
                Some(arrival),
            );
            alerts.push(alert(it, parts));
        }
        // One by one: an array of both, iterated, was built for every item.
        if let Some(parts) = capped {
            alerts.push(alert(it, parts));
        }
        if let Some(parts) = rounded_to_zero {
            alerts.push(alert(it, parts));
        }
        if let Some(max) = resolved.max.filter(|m| above_zero(*m)) {
            let after = norm(add(p, ordered, "position")?);
            if after > max {
                alerts.push(alert(it, (AlertKind::AboveMax, after, max, None)));
            }
        }
        if let Some((quantity, stock_quantity, why, need, steps)) = proposal {
            out.proposals.push(Proposal {
                item: it.item.clone(),
                location: it.location.clone(),
                supplier: it.supplier.cloned(),
                policy: it.policy.name(),
                quantity,
                unit: it.order.unit().map(str::to_owned),
                stock_quantity,
                order_by: today,
                arrival,
                reason: Reason {
                    position: p,
                    trigger_level: resolved.level,
                    need,
                    steps,
                    why,
                },
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, location: &str, on_hand: &str) -> ItemSpec {
        serde_json::from_str(&format!(
            r#"{{"item": "{name}", "location": "{location}", "stock": {{"on_hand": "{on_hand}",
               "demand": [{{"id": "SO", "kind": "reserved", "quantity": "30"}}]}},
               "policy": {{"min_max": {{"min": "10", "max": "40"}}}},
               "order": {{"multiple": "6"}}, "lead_time": {{"supplier_days": 3}},
               "demand": {{"rate": {{"daily": "4", "std_dev": "2"}}}},
               "safety_stock": {{"z": "1.65"}}}}"#
        ))
        .unwrap()
    }

    fn spec(today: NaiveDate, items: Vec<ItemSpec>) -> EvaluateSpec {
        EvaluateSpec {
            today,
            items,
            time_phased: None,
        }
    }

    /// A request holds millions of items, each read, moved and freed: the rarely given
    /// parts stay boxed and short ids in place (656 bytes before).
    #[test]
    fn an_item_stays_small() {
        assert!(std::mem::size_of::<ItemSpec>() <= 456);
    }

    /// `evaluate` item by item gives what checking everything first and then running
    /// gives, errors included; both borrow the request, which stays as it was.
    #[test]
    fn streaming_equals_check_then_run() {
        let today = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        let both = |items: Vec<ItemSpec>, day: NaiveDate| {
            let request = spec(day, items);
            let before = request.clone();
            let streamed = evaluate(&request);
            let gathered = request.check().and_then(|r| r.run());
            assert_eq!(streamed, gathered);
            assert_eq!(request, before);
            streamed
        };
        // Alerts and proposals carry the names: several outputs per item.
        let out = both(
            vec![
                item("A", "WH", "5"),
                item("B", "WH", "50"),
                item("A", "X", "0"),
            ],
            today,
        )
        .unwrap();
        assert!(out.alerts.len() > out.proposals.len() && !out.proposals.is_empty());
        // A failed check wins over a duplicate listed before it, which wins over a
        // failed evaluation (here the arrival beyond the last date).
        let dup = || item("A", "WH", "5");
        let bad = item("C", "", "5");
        let err = both(vec![dup(), dup(), bad], NaiveDate::MAX).unwrap_err();
        assert_eq!(err.field(), Some("items[2].location"));
        let err = both(vec![dup(), item("B", "WH", "5"), dup()], NaiveDate::MAX).unwrap_err();
        assert_eq!(err.field(), Some("items[2].location"));
        let err = both(vec![item("B", "WH", "5"), dup()], NaiveDate::MAX).unwrap_err();
        assert_eq!(err.field(), Some("items[0].lead_time"));
    }

    /// The request is borrowed: evaluating it again, checked once and run twice, gives
    /// the same result and leaves it as it was, with every part an item borrows (long
    /// and short names, the supplier, dated stock lines, an override's note) or copies
    /// (a purchase unit's name, review dates, an EOQ) read from the host's document; on
    /// another day the same request gives what a fresh copy of it gives.
    #[test]
    fn a_borrowed_request_evaluates_again_unchanged() {
        let mut request: EvaluateSpec = serde_json::from_str(
            r#"{"today": "2026-04-01", "time_phased": {"visibility_days": 2}, "items": [
              {"item": "ESPRESSO-BEANS-1KG-DARK", "location": "WAREHOUSE-EAST-2",
               "supplier": "ROASTERY-NORTH-LTD",
               "stock": {"on_hand": "8",
                 "supply": [{"id": "PO-881/1", "kind": "purchase_order", "quantity": "24",
                             "date": "2026-04-30"}],
                 "demand": [{"id": "SO-4410/2", "kind": "reserved", "quantity": "5"}]},
               "policy": {"min_max": {"min": "10", "max": "40"}},
               "order": {"purchase_unit": {"name": "box of 12", "factor": "12"}},
               "lead_time": {"supplier_days": 3},
               "override": {"quantity": "3", "reason": "promotion in May"}},
              {"item": "FILTER", "location": "WH",
               "stock": {"on_hand": "10"},
               "policy": {"periodic": {"review_dates": ["2026-03-25", "2026-04-01", "2026-04-08"],
                                       "order_up_to": "100"}},
               "order": {"multiple": "6"}, "lead_time": {"supplier_days": 2}},
              {"item": "GRINDER", "location": "WH",
               "stock": {"on_hand": "3"},
               "policy": {"s_q": {"eoq": {"annual_demand": "1000",
                 "order_cost": {"amount": "10.00", "currency": "USD"},
                 "holding_cost": {"amount": "0.50", "currency": "USD"}}}},
               "demand": {"rate": {"daily": "4", "std_dev": "2"}},
               "safety_stock": {"service_level": "0.95"},
               "lead_time": {"supplier_days": 5}}]}"#,
        )
        .unwrap();
        let before = request.clone();
        let first = evaluate(&request).unwrap();
        assert_eq!(evaluate(&request).unwrap(), first);
        let checked = request.check().unwrap();
        assert_eq!(checked.run().unwrap(), first);
        assert_eq!(checked.run().unwrap(), first);
        assert_eq!(request, before);

        let doc = serde_json::to_value(&first).unwrap();
        let p = &doc["proposals"];
        assert_eq!(p.as_array().map(Vec::len), Some(3), "{doc}");
        assert_eq!(p[0]["item"], "ESPRESSO-BEANS-1KG-DARK");
        assert_eq!(p[0]["location"], "WAREHOUSE-EAST-2");
        assert_eq!(p[0]["supplier"], "ROASTERY-NORTH-LTD");
        assert_eq!(p[0]["unit"], "box of 12");
        assert_eq!(p[0]["stock_quantity"], "36");
        assert_eq!(
            p[0]["reason"]["text"],
            "manual override: 3 (promotion in May)"
        );
        // The line dated beyond the horizon is left out: position 8 − 5.
        assert_eq!(p[0]["reason"]["position"], "3");
        assert_eq!(p[1]["item"], "FILTER");
        assert_eq!(p[1]["quantity"], "90");
        assert_eq!(p[2]["item"], "GRINDER");
        assert_eq!(p[2]["quantity"], "200");

        // Another day, only `today` changed: no review on 2026-04-02, so no FILTER.
        request.today = NaiveDate::from_ymd_opt(2026, 4, 2).unwrap();
        let second = evaluate(&request).unwrap();
        assert_eq!(Ok(second.clone()), evaluate(&request.clone()));
        assert_eq!(second.proposals.len(), 2);
        assert_ne!(second, first);
        request.today = before.today;
        assert_eq!(request, before);
        assert_eq!(evaluate(&request).unwrap(), first);
    }
}
