//! The operation table: every public operation as a stable name, a JSON input document and
//! a JSON output document.
//!
//! This is the one contract the three doors share. The C and WASM bindings and the
//! command line only hand a name and a document to [`call`] and return what it gives, so
//! the same document yields the same bytes everywhere. The table decides the wire form
//! (decimals as strings, ISO dates, snake_case enums, unknown fields rejected, errors with
//! the path of the offending field) and that outputs are canonical JSON: compact, object
//! keys sorted, so two correct implementations agree byte for byte. It never holds
//! domain logic; each entry calls a typed function of an engine.
//!
//! ```
//! use salesops::ops;
//! let out = ops::call("money.allocate", r#"{"total":{"amount":"100.00","currency":"USD"},"weights":["1","1","1"]}"#).unwrap();
//! assert!(out.starts_with(r#"{"parts":[{"amount":"33.34""#));
//! let err = ops::call("money.allocate", r#"{"total":{"amount":"100.00","currency":"USD"},"weights":["1",2]}"#).unwrap_err();
//! assert_eq!(err.code().as_str(), "invalid_input");
//! assert_eq!(err.field(), Some("weights[1]"));
//! ```

mod canonical;
mod commission;
mod meta;
mod money;
mod period;
mod pipeline;
mod reorder;

use crate::error::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// One entry of the operation table.
#[derive(Clone, Copy)]
pub struct Op {
    /// Stable name, `engine.verb` (`money.allocate`).
    pub name: &'static str,
    /// One line saying what it does.
    pub summary: &'static str,
    /// A valid input document, shown by `salesops --example OP` and in `docs/ops.md`.
    pub example: &'static str,
    run: fn(&str) -> Result<String>,
}

impl Op {
    /// Run this operation on a JSON input document.
    pub fn call(&self, input: &str) -> Result<String> {
        (self.run)(input)
    }
}

impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Op")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Declare a table entry from a typed function `fn(Input) -> Result<Output>`.
macro_rules! op {
    ($name:literal, $summary:literal, $f:path, $example:expr) => {
        $crate::ops::Op {
            name: $name,
            summary: $summary,
            example: $example,
            run: |input| $crate::ops::typed(input, $f),
        }
    };
}
pub(crate) use op;

/// Every operation, grouped by engine; names are unique (a test checks).
pub fn table() -> impl Iterator<Item = &'static Op> {
    [
        meta::OPS,
        money::OPS,
        period::OPS,
        pipeline::OPS,
        commission::OPS,
        reorder::OPS,
    ]
    .into_iter()
    .flatten()
}

/// Look an operation up by name.
pub fn find(name: &str) -> Result<&'static Op> {
    table()
        .find(|op| op.name == name)
        .ok_or_else(|| Error::UnknownOp {
            op: name.to_string(),
        })
}

/// Run operation `name` on the JSON document `input`; returns the canonical output
/// document or the error.
pub fn call(name: &str, input: &str) -> Result<String> {
    find(name)?.call(input)
}

/// Parse `input` as `I` (naming the failing field), run `f`, render canonically.
pub(crate) fn typed<I: DeserializeOwned, O: Serialize>(
    input: &str,
    f: fn(I) -> Result<O>,
) -> Result<String> {
    let value = parse::<I>(input)?;
    let output = f(value)?;
    to_canonical(&output)
}

/// Parse a JSON document into `T`; errors are `invalid_input` with the field path.
pub fn parse<T: DeserializeOwned>(input: &str) -> Result<T> {
    // Tracking the field path costs about a third of reading a large document. Valid
    // documents, the common case, are read without it; a failure is read again with it,
    // which gives the same error as reading with it from the start.
    match serde_json::from_str(input) {
        Ok(value) => Ok(value),
        Err(_) => parse_naming_the_field(input),
    }
}

fn parse_naming_the_field<T: DeserializeOwned>(input: &str) -> Result<T> {
    let mut de = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        Error::invalid(field, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| Error::invalid(".", e.to_string()))?;
    Ok(value)
}

/// Render `value` as canonical JSON: compact, object keys sorted by byte order at every
/// level (a duplicated key keeps its last value).
///
/// Written directly by a serializer of its own, byte for byte what
/// `serde_json::to_value(value)?.to_string()` gives (a `Value` keeps object keys in a
/// `BTreeMap`) without building the tree; a property test compares the two.
pub fn to_canonical<T: ?Sized + Serialize>(value: &T) -> Result<String> {
    canonical::to_string(value).map_err(|e| Error::Internal {
        reason: format!("cannot render output: {e}"),
    })
}

/// The former rendering through a `serde_json::Value` tree, kept to compare with.
#[cfg(test)]
pub(crate) fn to_canonical_via_value<T: ?Sized + Serialize>(value: &T) -> Result<String> {
    // The `preserve_order` feature is never enabled in this workspace, so a `Value`'s
    // objects are BTreeMaps and print their keys sorted.
    let tree = serde_json::to_value(value).map_err(|e| Error::Internal {
        reason: format!("cannot render output: {e}"),
    })?;
    Ok(tree.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn names_are_unique_and_well_formed() {
        let mut seen = BTreeSet::new();
        for op in table() {
            assert!(seen.insert(op.name), "duplicate op {}", op.name);
            let (engine, verb) = op.name.split_once('.').expect("engine.verb");
            assert!(!engine.is_empty() && !verb.is_empty());
            assert!(
                op.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'.' || b == b'_'),
                "{}",
                op.name
            );
        }
    }

    #[test]
    fn every_example_runs() {
        for op in table() {
            let out = op
                .call(op.example)
                .unwrap_or_else(|e| panic!("{}: {e}", op.name));
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(out, to_canonical_via_value(&v).unwrap(), "{}", op.name);
        }
    }

    #[test]
    fn output_keys_are_sorted() {
        #[derive(Serialize)]
        struct S {
            b: u8,
            a: u8,
        }
        assert_eq!(to_canonical(&S { b: 1, a: 2 }).unwrap(), r#"{"a":2,"b":1}"#);
    }

    #[test]
    fn parse_errors_name_the_field() {
        let e = call(
            "money.round",
            r#"{"money":{"amount":"1","currency":"USD"},"mdoe":"up"}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("mdoe"));
        let e = call(
            "money.round",
            r#"{"money":{"amount":"1","currency":"USD"}} x"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidInput);
        let e = call("money.nope", "{}").unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::UnknownOp);
    }
}
