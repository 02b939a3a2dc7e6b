//! The default pipelines salesops ships: lead, deal, quote, order, invoice, contract, task
//! and ticket.
//!
//! Each is a documented JSON file in this directory (every pipeline, stage and notable
//! transition carries a `description`), embedded at build time. This module decides only
//! which defaults exist and loads them through the same check as any host definition; a
//! host replaces or extends a default by sending its own definition (for instance the
//! default with extra stages for its industry). It never merges definitions itself.
//!
//! ```
//! use salesops::pipeline::defaults;
//! assert_eq!(defaults::NAMES.len(), 8);
//! let order = defaults::load("order").unwrap();
//! assert!(order.allows("draft", "confirmed"));
//! assert!(defaults::load("opportunity").is_err());
//! ```

use super::definition::{Pipeline, PipelineSpec};
use crate::error::{Error, Result};
use std::sync::OnceLock;

/// The names of the default pipelines, in lifecycle order.
pub const NAMES: [&str; 8] = [
    "lead", "deal", "quote", "order", "invoice", "contract", "task", "ticket",
];

/// The JSON document of default `name`, or `None`.
pub fn source(name: &str) -> Option<&'static str> {
    Some(match name {
        "lead" => include_str!("lead.json"),
        "deal" => include_str!("deal.json"),
        "quote" => include_str!("quote.json"),
        "order" => include_str!("order.json"),
        "invoice" => include_str!("invoice.json"),
        "contract" => include_str!("contract.json"),
        "task" => include_str!("task.json"),
        "ticket" => include_str!("ticket.json"),
        _ => return None,
    })
}

/// The raw document of default `name`; `not_found` at `pipeline` for an unknown name.
pub fn spec(name: &str) -> Result<PipelineSpec> {
    let text = source(name).ok_or_else(|| {
        Error::not_found(
            "pipeline",
            format!(
                "no default pipeline `{name}` (the defaults are {})",
                NAMES.join(", ")
            ),
        )
    })?;
    crate::ops::parse(text).map_err(|e| Error::Internal {
        reason: format!("default pipeline `{name}` does not parse: {e}"),
    })
}

/// Default `name`, checked; `not_found` at `pipeline` for an unknown name.
pub fn load(name: &str) -> Result<Pipeline> {
    Pipeline::from_spec(spec(name)?).map_err(|e| Error::Internal {
        reason: format!("default pipeline `{name}` is invalid: {e}"),
    })
}

/// Default `name`, checked once per process and shared afterwards (the defaults are
/// constants, so this is still a pure function of `name`); `not_found` at `pipeline` for an
/// unknown name.
pub fn get(name: &str) -> Result<&'static Pipeline> {
    static CACHE: [OnceLock<Pipeline>; 8] = [const { OnceLock::new() }; 8];
    let Some(i) = NAMES.iter().position(|n| *n == name) else {
        return Err(spec(name)
            .err()
            .unwrap_or_else(|| Error::not_found("pipeline", name)));
    };
    if let Some(p) = CACHE[i].get() {
        return Ok(p);
    }
    let p = load(name)?;
    Ok(CACHE[i].get_or_init(|| p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_loads() {
        for name in NAMES {
            let p = load(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(p.id(), name);
            assert_eq!(get(name).unwrap().spec(), p.spec());
        }
    }
}
