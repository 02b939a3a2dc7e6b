//! `meta.*`: what this build of salesops offers.

use super::{Op, op};
use crate::error::Result;
use serde::{Deserialize, Serialize};

pub(super) const OPS: &[Op] = &[op!(
    "meta.version",
    "The library version and the list of operations.",
    version,
    "{}"
)];

/// `meta.version` input: an empty object.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionIn {}

#[derive(Serialize)]
struct VersionOut {
    name: &'static str,
    version: &'static str,
    ops: Vec<OpInfo>,
}

#[derive(Serialize)]
struct OpInfo {
    name: &'static str,
    summary: &'static str,
}

fn version(_: VersionIn) -> Result<VersionOut> {
    Ok(VersionOut {
        name: "salesops",
        version: env!("CARGO_PKG_VERSION"),
        ops: super::table()
            .map(|op| OpInfo {
                name: op.name,
                summary: op.summary,
            })
            .collect(),
    })
}
