//! Guards: what must be true before a move.
//!
//! This module decides whether a record, the acting person and the context the host
//! supplies (approvals granted, the customer's credit position) satisfy a guard, and
//! names the guard and the field when they do not. It never changes a record, never
//! fetches anything (the credit position is an input) and never decides whether the move
//! itself exists; [`apply`](super::apply) checks that first.

use super::apply::{Actor, Context};
use super::definition::FieldType;
use super::record::Record;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Raw guard document, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum GuardSpec {
    /// These fields must be set (standard names such as `close_date`, or custom fields).
    Required {
        /// Field names.
        fields: Vec<String>,
    },
    /// The amount must be set and greater than zero.
    AmountPositive {},
    /// The expected close date must be set.
    CloseDateSet {},
    /// The customer's open receivables plus this record's amount must not exceed the
    /// customer's credit limit (both from `context.credit`).
    CreditLimit {},
    /// A discount above `threshold` percent needs the approval named `approval` in
    /// `context.approvals`.
    DiscountApproval {
        /// Percent, 0..=100; a discount strictly above it needs the approval.
        threshold: Decimal,
        /// The approval's name, e.g. `"discount"`.
        approval: String,
    },
    /// The actor must hold one of these roles.
    Role {
        /// Role names.
        roles: Vec<String>,
    },
    /// Every inner guard must hold.
    All {
        /// Inner guards.
        guards: Vec<GuardSpec>,
    },
    /// At least one inner guard must hold.
    Any {
        /// Inner guards.
        guards: Vec<GuardSpec>,
    },
}

/// A record field a guard can require.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRef {
    /// `owner`.
    Owner,
    /// `amount`.
    Amount,
    /// `customer`.
    Customer,
    /// `close_date`.
    CloseDate,
    /// `due_date`.
    DueDate,
    /// `valid_until`.
    ValidUntil,
    /// `renewal_date`.
    RenewalDate,
    /// `discount_percent`.
    DiscountPercent,
    /// A declared custom field.
    Custom(String),
}

impl FieldRef {
    fn parse(name: &str, fields: &BTreeMap<String, FieldType>) -> Option<Self> {
        Some(match name {
            "owner" => FieldRef::Owner,
            "amount" => FieldRef::Amount,
            "customer" => FieldRef::Customer,
            "close_date" => FieldRef::CloseDate,
            "due_date" => FieldRef::DueDate,
            "valid_until" => FieldRef::ValidUntil,
            "renewal_date" => FieldRef::RenewalDate,
            "discount_percent" => FieldRef::DiscountPercent,
            custom if fields.contains_key(custom) => FieldRef::Custom(custom.to_string()),
            _ => return None,
        })
    }

    /// The path of this field in an `apply` input (`record.close_date`, `record.fields.x`).
    pub fn path(&self) -> String {
        match self {
            FieldRef::Owner => "record.owner".into(),
            FieldRef::Amount => "record.amount".into(),
            FieldRef::Customer => "record.customer".into(),
            FieldRef::CloseDate => "record.close_date".into(),
            FieldRef::DueDate => "record.due_date".into(),
            FieldRef::ValidUntil => "record.valid_until".into(),
            FieldRef::RenewalDate => "record.renewal_date".into(),
            FieldRef::DiscountPercent => "record.discount_percent".into(),
            FieldRef::Custom(name) => format!("record.fields.{name}"),
        }
    }

    fn is_set(&self, r: &Record) -> bool {
        match self {
            FieldRef::Owner => r.owner.is_some(),
            FieldRef::Amount => r.amount.is_some(),
            FieldRef::Customer => r.customer.is_some(),
            FieldRef::CloseDate => r.close_date.is_some(),
            FieldRef::DueDate => r.due_date.is_some(),
            FieldRef::ValidUntil => r.valid_until.is_some(),
            FieldRef::RenewalDate => r.renewal_date.is_some(),
            FieldRef::DiscountPercent => r.discount_percent.is_some(),
            FieldRef::Custom(name) => r.fields.contains_key(name),
        }
    }
}

/// A validated guard.
#[derive(Debug, Clone, PartialEq)]
pub enum Guard {
    /// These fields must be set.
    Required(Vec<FieldRef>),
    /// Amount set and > 0.
    AmountPositive,
    /// Close date set.
    CloseDateSet,
    /// Open receivables + amount ≤ credit limit.
    CreditLimit,
    /// A discount above `threshold` percent needs `approval`.
    DiscountApproval {
        /// Percent threshold.
        threshold: Decimal,
        /// Approval name.
        approval: String,
    },
    /// The actor holds one of these roles.
    Role(Vec<String>),
    /// All hold.
    All(Vec<Guard>),
    /// At least one holds.
    Any(Vec<Guard>),
}

fn non_empty<T>(v: &[T], field: &str) -> Result<()> {
    if v.is_empty() {
        Err(Error::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

impl Guard {
    /// Check a raw guard against the pipeline's custom fields; errors name the field
    /// relative to the guard.
    pub fn from_spec(spec: &GuardSpec, fields: &BTreeMap<String, FieldType>) -> Result<Self> {
        Ok(match spec {
            GuardSpec::Required { fields: names } => {
                non_empty(names, "fields")?;
                let refs = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        FieldRef::parse(n, fields).ok_or_else(|| {
                            Error::invalid(
                                format!("fields[{i}]"),
                                format!(
                                    "`{n}` is neither a standard field nor a declared custom field"
                                ),
                            )
                        })
                    })
                    .collect::<Result<_>>()?;
                Guard::Required(refs)
            }
            GuardSpec::AmountPositive {} => Guard::AmountPositive,
            GuardSpec::CloseDateSet {} => Guard::CloseDateSet,
            GuardSpec::CreditLimit {} => Guard::CreditLimit,
            GuardSpec::DiscountApproval {
                threshold,
                approval,
            } => {
                if *threshold < Decimal::ZERO || *threshold > Decimal::ONE_HUNDRED {
                    return Err(Error::invalid(
                        "threshold",
                        format!("{threshold} is outside 0..=100"),
                    ));
                }
                if approval.is_empty() {
                    return Err(Error::invalid("approval", "must not be empty"));
                }
                Guard::DiscountApproval {
                    threshold: *threshold,
                    approval: approval.clone(),
                }
            }
            GuardSpec::Role { roles } => {
                non_empty(roles, "roles")?;
                Guard::Role(roles.clone())
            }
            GuardSpec::All { guards } | GuardSpec::Any { guards } => {
                non_empty(guards, "guards")?;
                let inner = guards
                    .iter()
                    .enumerate()
                    .map(|(i, g)| {
                        Guard::from_spec(g, fields).map_err(|e| e.within(&format!("guards[{i}]")))
                    })
                    .collect::<Result<Vec<_>>>()?;
                if matches!(spec, GuardSpec::All { .. }) {
                    Guard::All(inner)
                } else {
                    Guard::Any(inner)
                }
            }
        })
    }

    /// The guard's kind as written in documents (`credit_limit`).
    pub fn kind(&self) -> &'static str {
        match self {
            Guard::Required(_) => "required",
            Guard::AmountPositive => "amount_positive",
            Guard::CloseDateSet => "close_date_set",
            Guard::CreditLimit => "credit_limit",
            Guard::DiscountApproval { .. } => "discount_approval",
            Guard::Role(_) => "role",
            Guard::All(_) => "all",
            Guard::Any(_) => "any",
        }
    }

    /// `Ok(())` when the guard holds, else [`Error::GuardFailed`] naming the guard and the
    /// field (as a path in the `apply` input); a currency mismatch between the credit
    /// position and the amount is an [`Error::CurrencyMismatch`].
    pub fn check(&self, record: &Record, actor: &Actor, ctx: &Context) -> Result<()> {
        let fail = |field: &str, reason: String| {
            Err(Error::GuardFailed {
                guard: self.kind().to_string(),
                field: field.to_string(),
                reason,
            })
        };
        match self {
            Guard::Required(refs) => match refs.iter().find(|f| !f.is_set(record)) {
                Some(missing) => fail(&missing.path(), "required field is not set".into()),
                None => Ok(()),
            },
            Guard::AmountPositive => match record.amount {
                Some(m) if m.amount > Decimal::ZERO => Ok(()),
                Some(m) => fail(
                    "record.amount",
                    format!("amount {m} is not greater than zero"),
                ),
                None => fail("record.amount", "amount is not set".into()),
            },
            Guard::CloseDateSet => match record.close_date {
                Some(_) => Ok(()),
                None => fail("record.close_date", "close date is not set".into()),
            },
            Guard::CreditLimit => {
                let Some(credit) = &ctx.credit else {
                    return fail(
                        "context.credit",
                        "the customer's credit position is not given".into(),
                    );
                };
                let Some(amount) = record.amount else {
                    return fail("record.amount", "amount is not set".into());
                };
                let exposure =
                    credit
                        .open_receivables
                        .checked_add(amount)
                        .map_err(|e| match e {
                            Error::CurrencyMismatch {
                                expected, found, ..
                            } => Error::CurrencyMismatch {
                                field: "record.amount.currency".into(),
                                expected,
                                found,
                            },
                            other => other,
                        })?;
                credit
                    .limit
                    .expect_currency(exposure.currency, "context.credit.limit.currency")?;
                if exposure.amount > credit.limit.amount {
                    fail(
                        "record.amount",
                        format!(
                            "open receivables {} + amount {amount} = {exposure} exceeds the credit limit {}",
                            credit.open_receivables, credit.limit
                        ),
                    )
                } else {
                    Ok(())
                }
            }
            Guard::DiscountApproval {
                threshold,
                approval,
            } => match record.discount_percent {
                Some(d) if d > *threshold && !ctx.approvals.iter().any(|a| a == approval) => fail(
                    "record.discount_percent",
                    format!(
                        "a discount of {d}% is above {threshold}% and needs the `{approval}` approval"
                    ),
                ),
                _ => Ok(()),
            },
            Guard::Role(roles) => {
                if actor.roles.iter().any(|r| roles.contains(r)) {
                    Ok(())
                } else {
                    fail(
                        "actor.roles",
                        format!("the move needs one of the roles {roles:?}"),
                    )
                }
            }
            Guard::All(inner) => inner.iter().try_for_each(|g| g.check(record, actor, ctx)),
            Guard::Any(inner) => {
                let mut first = None;
                for g in inner {
                    match g.check(record, actor, ctx) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first.get_or_insert(e);
                        }
                    }
                }
                match first {
                    Some(Error::GuardFailed {
                        guard,
                        field,
                        reason,
                    }) => fail(
                        &field,
                        format!("none of the alternatives holds; first: `{guard}`: {reason}"),
                    ),
                    Some(other) => Err(other),
                    None => Ok(()),
                }
            }
        }
    }
}
