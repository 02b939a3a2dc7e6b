//! Lead time: how many days from deciding to order until the stock can be used here.
//!
//! This module decides that the lead time is the **sum of its parts**: the supplier's
//! delivery delay, the days purchasing needs to place the order, and internal transfer
//! days (Odoo's route rule delays). Its optional standard deviation feeds the safety
//! stock. It never decides calendars of working days: days are calendar days, and a
//! host that counts working days converts before calling.
//!
//! ```
//! use salesops::reorder::LeadTimeSpec;
//! let lt: LeadTimeSpec = serde_json::from_str(r#"{"supplier_days": 4, "purchase_days": 2}"#).unwrap();
//! assert_eq!(lt.check().unwrap().days(), 6);
//! ```

use super::non_negative;
use crate::error::{Error, Result};
use rust_decimal::Decimal;
use serde::Deserialize;

/// The lead time's parts, in calendar days; every field is optional (0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeadTimeSpec {
    /// The supplier's delivery delay.
    pub supplier_days: u32,
    /// Days purchasing needs to place the order (Odoo's "days to purchase").
    pub purchase_days: u32,
    /// Internal transfer days (receipt to stock, warehouse to shop).
    pub transfer_days: u32,
    /// Standard deviation of the total lead time, in days (for safety stock).
    pub std_dev_days: Option<Decimal>,
}

/// A checked lead time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LeadTime {
    days: u32,
    std_dev: Decimal,
}

impl LeadTimeSpec {
    /// Add the parts up (an overflow is an error) and check the deviation.
    pub fn check(&self) -> Result<LeadTime> {
        let days = self
            .supplier_days
            .checked_add(self.purchase_days)
            .and_then(|d| d.checked_add(self.transfer_days))
            .ok_or_else(|| Error::overflow("supplier_days", "the lead time's parts do not fit"))?;
        let std_dev = match self.std_dev_days {
            Some(s) => non_negative(s, "std_dev_days")?,
            None => Decimal::ZERO,
        };
        Ok(LeadTime { days, std_dev })
    }
}

impl LeadTime {
    /// Total days.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// Standard deviation of the total, in days (0 when not given).
    pub fn std_dev(&self) -> Decimal {
        self.std_dev
    }
}
