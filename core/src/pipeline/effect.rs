//! Effects: what follows from a move, returned as data.
//!
//! This module decides what a declared effect becomes once a move has been accepted:
//! the concrete task, reminder, lead conversion, order draft, stock reservation or
//! commission credit, with its dates computed from `now` and its people taken from the
//! record and the context. It never carries an effect out: the host or the service layer
//! creates the task, sends the reminder or books the credit.

use super::record::Record;
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Who a follow-up task goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    /// The record's owner.
    Owner,
    /// The owner's manager (`context.manager`).
    Manager,
}

/// The booking event a commission credit is earned on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditEvent {
    /// The deal or order is booked.
    Booking,
    /// The invoice is issued.
    Invoice,
    /// The invoice is paid.
    Payment,
}

/// Raw effect document, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EffectSpec {
    /// Create a follow-up task.
    CreateTask {
        /// Task title.
        title: Arc<str>,
        /// Owner or manager.
        assignee: Assignee,
        /// Due this many days after the move.
        due_in_days: u32,
    },
    /// Schedule a reminder.
    Reminder {
        /// What to remind of.
        message: Arc<str>,
        /// This many days after the move.
        in_days: u32,
    },
    /// Convert the lead into a customer and a deal.
    ConvertLead {},
    /// Create an order draft from the won deal or accepted quote.
    CreateOrderDraft {},
    /// Reserve stock for the confirmed order.
    ReserveStock {},
    /// Emit a commission credit for the record's owner.
    CommissionCredit {
        /// Booking, invoice or payment.
        event: CreditEvent,
    },
}

/// A validated effect (the same shape as its spec, checked).
pub type Effect = EffectSpec;

/// Longest delay an effect may declare (ten years), so dates stay in range.
const MAX_DAYS: u32 = 3660;

impl EffectSpec {
    /// Check a raw effect; errors name the field relative to the effect.
    pub fn from_spec(spec: &EffectSpec) -> Result<Effect> {
        match spec {
            EffectSpec::CreateTask {
                title, due_in_days, ..
            } => {
                if title.is_empty() {
                    return Err(Error::invalid("title", "must not be empty"));
                }
                if *due_in_days > MAX_DAYS {
                    return Err(Error::invalid(
                        "due_in_days",
                        format!("{due_in_days} is above {MAX_DAYS}"),
                    ));
                }
            }
            EffectSpec::Reminder { message, in_days } => {
                if message.is_empty() {
                    return Err(Error::invalid("message", "must not be empty"));
                }
                if *in_days > MAX_DAYS {
                    return Err(Error::invalid(
                        "in_days",
                        format!("{in_days} is above {MAX_DAYS}"),
                    ));
                }
            }
            _ => {}
        }
        Ok(spec.clone())
    }

    /// What this effect becomes for `record` (already moved) at `now`.
    pub(crate) fn plan(
        &self,
        record: &Record,
        now: DateTime<Utc>,
        manager: Option<&Arc<str>>,
    ) -> Result<PlannedEffect> {
        let later = |days: u32| {
            now.checked_add_signed(TimeDelta::days(i64::from(days)))
                .ok_or_else(|| {
                    Error::overflow("now", format!("{now} + {days} days is out of range"))
                })
        };
        let id = record.id.clone();
        Ok(match self {
            EffectSpec::CreateTask {
                title,
                assignee,
                due_in_days,
            } => PlannedEffect::CreateTask {
                record: id,
                title: title.clone(),
                assignee: *assignee,
                assignee_id: match assignee {
                    Assignee::Owner => record.owner.clone(),
                    Assignee::Manager => manager.cloned(),
                },
                due_at: later(*due_in_days)?,
            },
            EffectSpec::Reminder { message, in_days } => PlannedEffect::Reminder {
                record: id,
                message: message.clone(),
                at: later(*in_days)?,
                to: record.owner.clone(),
            },
            EffectSpec::ConvertLead {} => PlannedEffect::ConvertLead {
                record: id,
                customer: record.customer.clone(),
                amount: record.amount,
                owner: record.owner.clone(),
            },
            EffectSpec::CreateOrderDraft {} => PlannedEffect::CreateOrderDraft {
                record: id,
                customer: record.customer.clone(),
                amount: record.amount,
                owner: record.owner.clone(),
            },
            EffectSpec::ReserveStock {} => PlannedEffect::ReserveStock { record: id },
            EffectSpec::CommissionCredit { event } => PlannedEffect::CommissionCredit {
                record: id,
                event: *event,
                payee: record.owner.clone(),
                amount: record.amount,
            },
        })
    }
}

/// An effect to carry out, as data: what, for which record, for whom, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlannedEffect {
    /// Create a task.
    CreateTask {
        /// The record the task follows up.
        record: Arc<str>,
        /// Title.
        title: Arc<str>,
        /// Owner or manager.
        assignee: Assignee,
        /// The person, when known (the owner, or `context.manager`).
        #[serde(skip_serializing_if = "Option::is_none")]
        assignee_id: Option<Arc<str>>,
        /// Due instant.
        due_at: DateTime<Utc>,
    },
    /// Remind someone.
    Reminder {
        /// The record.
        record: Arc<str>,
        /// What of.
        message: Arc<str>,
        /// When.
        at: DateTime<Utc>,
        /// The owner, when the record has one.
        #[serde(skip_serializing_if = "Option::is_none")]
        to: Option<Arc<str>>,
    },
    /// Create a customer and a deal from this lead.
    ConvertLead {
        /// The lead.
        record: Arc<str>,
        /// The customer named on the lead.
        #[serde(skip_serializing_if = "Option::is_none")]
        customer: Option<Arc<str>>,
        /// The deal's amount.
        #[serde(skip_serializing_if = "Option::is_none")]
        amount: Option<Money>,
        /// The deal's owner.
        #[serde(skip_serializing_if = "Option::is_none")]
        owner: Option<Arc<str>>,
    },
    /// Create an order draft.
    CreateOrderDraft {
        /// The won deal or accepted quote.
        record: Arc<str>,
        /// Customer.
        #[serde(skip_serializing_if = "Option::is_none")]
        customer: Option<Arc<str>>,
        /// Amount.
        #[serde(skip_serializing_if = "Option::is_none")]
        amount: Option<Money>,
        /// Owner.
        #[serde(skip_serializing_if = "Option::is_none")]
        owner: Option<Arc<str>>,
    },
    /// Reserve stock for this order.
    ReserveStock {
        /// The order.
        record: Arc<str>,
    },
    /// Credit commission.
    CommissionCredit {
        /// The record earning it.
        record: Arc<str>,
        /// Booking, invoice or payment.
        event: CreditEvent,
        /// The owner.
        #[serde(skip_serializing_if = "Option::is_none")]
        payee: Option<Arc<str>>,
        /// The credited amount.
        #[serde(skip_serializing_if = "Option::is_none")]
        amount: Option<Money>,
    },
}
