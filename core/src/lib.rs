//! # salesops
//!
//! The pure core of an embeddable sales-operations engine. Every engine is a function of
//! (configuration, state, input, `now`) to (new state, outputs) or an [`Error`]: no clock,
//! no randomness, no I/O, no floats for money. The same input gives byte-identical output
//! natively, through the C door and in WebAssembly.
//!
//! - [`money`]: exact amounts with a currency, named rounding, conserving splits, rates.
//! - [`period`]: calendars, half-open periods, proration.
//! - [`pipeline`]: data-defined state machines for leads, deals, quotes, orders, invoices, contracts, tasks, tickets.
//! - [`commission`]: commission plans, statements line by line, clawbacks, draws.
//! - [`reorder`]: inventory positions, replenishment policies, proposals and alerts.
//! - [`id`]: the host's ids, held in place when short.
//! - [`ops`]: the operation table, the JSON documents every door speaks.
//!
//! ```
//! let out = salesops::ops::call("money.round", r#"{"money":{"amount":"2.345","currency":"USD"}}"#).unwrap();
//! assert_eq!(out, r#"{"money":{"amount":"2.34","currency":"USD"}}"#);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod commission;
pub mod error;
pub mod id;
pub mod money;
pub mod ops;
mod parallel;
pub mod period;
pub mod pipeline;
pub mod reorder;
#[cfg(test)]
mod test_rng;

pub use error::{Error, ErrorCode, Result};
