//! The one error type of salesops.
//!
//! Every failure anywhere in the library, in any engine and through any door, is an
//! [`Error`], and every `Error` has a stable [`ErrorCode`]: a snake_case string that
//! hosts match on and a fixed number that the C door returns as its status. Codes are
//! never renumbered or reused; new ones are appended.
//!
//! This module decides what kinds of failure exist and how they are named. It never
//! decides how a binding reports them (C status, JS exception); the doors translate.

use std::fmt;

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Stable identifier of an error kind.
///
/// The string form ([`ErrorCode::as_str`]) is what JSON documents, the command line and
/// the WASM door's `Error.code` carry; the number ([`ErrorCode::number`]) is the C
/// door's status value. Both are part of the public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorCode {
    /// A document or argument is malformed or violates a rule; the error names the field.
    InvalidInput,
    /// A record may not move between these two stages (no such transition, or terminal).
    InvalidTransition,
    /// A transition exists but one of its guards refused it; the error names the guard.
    GuardFailed,
    /// Two amounts in different currencies were combined without an explicit conversion.
    CurrencyMismatch,
    /// An arithmetic result does not fit (decimal overflow, a date out of range).
    Overflow,
    /// Something the input refers to does not exist (a record, an exchange rate, a plan).
    NotFound,
    /// A write was based on a stale version of a record (optimistic concurrency).
    Conflict,
    /// The actor is not allowed to see or change the record.
    PermissionDenied,
    /// The operation name is not in the operation table.
    UnknownOp,
    /// A bug in salesops (for instance a panic caught at a boundary). Please report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in numeric order.
    pub const ALL: [ErrorCode; 10] = [
        ErrorCode::InvalidInput,
        ErrorCode::InvalidTransition,
        ErrorCode::GuardFailed,
        ErrorCode::CurrencyMismatch,
        ErrorCode::Overflow,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::PermissionDenied,
        ErrorCode::UnknownOp,
        ErrorCode::Internal,
    ];

    /// The stable snake_case name, e.g. `"invalid_input"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidTransition => "invalid_transition",
            ErrorCode::GuardFailed => "guard_failed",
            ErrorCode::CurrencyMismatch => "currency_mismatch",
            ErrorCode::Overflow => "overflow",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PermissionDenied => "permission_denied",
            ErrorCode::UnknownOp => "unknown_op",
            ErrorCode::Internal => "internal",
        }
    }

    /// The stable number (the C door's status; `0` is reserved for success).
    pub const fn number(self) -> u32 {
        match self {
            ErrorCode::InvalidInput => 1,
            ErrorCode::InvalidTransition => 2,
            ErrorCode::GuardFailed => 3,
            ErrorCode::CurrencyMismatch => 4,
            ErrorCode::Overflow => 5,
            ErrorCode::NotFound => 6,
            ErrorCode::Conflict => 7,
            ErrorCode::PermissionDenied => 8,
            ErrorCode::UnknownOp => 9,
            ErrorCode::Internal => 10,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from salesops. Match on [`Error::code`]; the message is for people.
///
/// ```
/// use salesops::{Error, ErrorCode};
/// let e = Error::invalid("plan.tiers[2].rate", "must not be negative");
/// assert_eq!(e.code(), ErrorCode::InvalidInput);
/// assert_eq!(e.to_string(), "invalid input at `plan.tiers[2].rate`: must not be negative");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// See [`ErrorCode::InvalidInput`]. `field` is a path such as `plan.tiers[2].rate`
    /// (`.` for the document itself).
    #[error("invalid input at `{field}`: {reason}")]
    InvalidInput {
        /// Path of the offending field.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// See [`ErrorCode::InvalidTransition`].
    #[error("invalid transition from `{from}` to `{to}`: {reason}")]
    InvalidTransition {
        /// Current stage.
        from: String,
        /// Requested stage.
        to: String,
        /// Why the move does not exist.
        reason: String,
    },
    /// See [`ErrorCode::GuardFailed`].
    #[error("guard `{guard}` failed on `{field}`: {reason}")]
    GuardFailed {
        /// The guard kind that refused.
        guard: String,
        /// The field it checked.
        field: String,
        /// Why it refused.
        reason: String,
    },
    /// See [`ErrorCode::CurrencyMismatch`].
    #[error("currency mismatch at `{field}`: expected {expected}, found {found}")]
    CurrencyMismatch {
        /// Where the mismatch was found.
        field: String,
        /// The currency required there.
        expected: String,
        /// The currency supplied.
        found: String,
    },
    /// See [`ErrorCode::Overflow`].
    #[error("overflow at `{field}`: {reason}")]
    Overflow {
        /// Where the overflow happened.
        field: String,
        /// The computation that overflowed.
        reason: String,
    },
    /// See [`ErrorCode::NotFound`].
    #[error("not found at `{field}`: {what}")]
    NotFound {
        /// The field holding the reference.
        field: String,
        /// What was looked for.
        what: String,
    },
    /// See [`ErrorCode::Conflict`].
    #[error("conflict on `{id}`: expected version {expected}, found {found}")]
    Conflict {
        /// The record.
        id: String,
        /// Version the caller based its change on.
        expected: u64,
        /// Version currently stored.
        found: u64,
    },
    /// See [`ErrorCode::PermissionDenied`].
    #[error("permission denied: {reason}")]
    PermissionDenied {
        /// Why.
        reason: String,
    },
    /// See [`ErrorCode::UnknownOp`].
    #[error("unknown operation `{op}` (salesops --list shows them)")]
    UnknownOp {
        /// The name that was asked for.
        op: String,
    },
    /// See [`ErrorCode::Internal`].
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

impl Error {
    /// An [`Error::InvalidInput`] naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::Overflow`] at `field`.
    pub fn overflow(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Overflow {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// An [`Error::NotFound`] at `field`.
    pub fn not_found(field: impl Into<String>, what: impl Into<String>) -> Self {
        Error::NotFound {
            field: field.into(),
            what: what.into(),
        }
    }

    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::InvalidTransition { .. } => ErrorCode::InvalidTransition,
            Error::GuardFailed { .. } => ErrorCode::GuardFailed,
            Error::CurrencyMismatch { .. } => ErrorCode::CurrencyMismatch,
            Error::Overflow { .. } => ErrorCode::Overflow,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::PermissionDenied { .. } => ErrorCode::PermissionDenied,
            Error::UnknownOp { .. } => ErrorCode::UnknownOp,
            Error::Internal { .. } => ErrorCode::Internal,
        }
    }

    /// The field path this error names, where it names one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { field, .. }
            | Error::GuardFailed { field, .. }
            | Error::CurrencyMismatch { field, .. }
            | Error::Overflow { field, .. }
            | Error::NotFound { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Prefix the field path with `parent` (`rates[3]` under `input` gives `input.rates[3]`).
    ///
    /// Engines validate a sub-document on its own and let the caller say where it sits.
    pub fn within(mut self, parent: &str) -> Self {
        if let Error::InvalidInput { field, .. }
        | Error::GuardFailed { field, .. }
        | Error::CurrencyMismatch { field, .. }
        | Error::Overflow { field, .. }
        | Error::NotFound { field, .. } = &mut self
        {
            *field = join_path(parent, field);
        }
        self
    }
}

/// Join two field paths: `a` + `b` = `a.b`, `a` + `[2]` = `a[2]`, `.` is the root.
pub(crate) fn join_path(parent: &str, child: &str) -> String {
    match (parent, child) {
        ("" | ".", c) => c.to_string(),
        (p, "" | ".") => p.to_string(),
        (p, c) if c.starts_with('[') => format!("{p}{c}"),
        (p, c) => format!("{p}.{c}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_stable() {
        let mut names: Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        let mut numbers: Vec<_> = ErrorCode::ALL.iter().map(|c| c.number()).collect();
        names.dedup();
        numbers.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        assert_eq!(
            numbers,
            (1..=ErrorCode::ALL.len() as u32).collect::<Vec<_>>()
        );
    }

    #[test]
    fn within_prefixes_paths() {
        let e = Error::invalid("[2].rate", "negative")
            .within("tiers")
            .within("plan");
        assert_eq!(e.field(), Some("plan.tiers[2].rate"));
        assert_eq!(
            Error::invalid(".", "x").within("input").field(),
            Some("input")
        );
    }
}
