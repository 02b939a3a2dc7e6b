//! The C door of salesops.
//!
//! It translates and nothing else: a C string names the operation, a byte buffer holds the
//! JSON input, and [`salesops::ops::call`] does the work. This crate decides only the C
//! conventions: status numbers, who owns which buffer, the per-thread error message, and
//! that no panic and no bad pointer ever turns into undefined behaviour in the host.
//! The header `include/salesops.h` is generated from this file by cbindgen.

#![allow(non_camel_case_types)]
#![warn(missing_docs)]

use salesops::{Error, ErrorCode};
use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The result of every fallible call. `SALESOPS_STATUS_OK` is 0; every other value is one
/// of the library's stable error codes (the same numbers in every release), and
/// `salesops_status_name` gives its snake_case name.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum salesops_status {
    /// Success.
    Ok = 0,
    /// A document or argument is malformed or breaks a rule; the message names the field.
    /// Invalid UTF-8 input is reported here too.
    InvalidInput = 1,
    /// A record may not move between these two stages.
    InvalidTransition = 2,
    /// A transition's guard refused the move; the message names the guard.
    GuardFailed = 3,
    /// Amounts in different currencies were combined without a conversion.
    CurrencyMismatch = 4,
    /// A result does not fit (decimal overflow, a date out of range).
    Overflow = 5,
    /// Something referred to does not exist (an exchange rate, a record).
    NotFound = 6,
    /// A write was based on a stale version.
    Conflict = 7,
    /// The actor may not do this.
    PermissionDenied = 8,
    /// The operation name is not known.
    UnknownOp = 9,
    /// A bug in salesops, such as a caught panic.
    Internal = 10,
    /// A required pointer argument was NULL.
    NullArgument = 100,
}

impl From<ErrorCode> for salesops_status {
    fn from(code: ErrorCode) -> Self {
        match code {
            ErrorCode::InvalidInput => salesops_status::InvalidInput,
            ErrorCode::InvalidTransition => salesops_status::InvalidTransition,
            ErrorCode::GuardFailed => salesops_status::GuardFailed,
            ErrorCode::CurrencyMismatch => salesops_status::CurrencyMismatch,
            ErrorCode::Overflow => salesops_status::Overflow,
            ErrorCode::NotFound => salesops_status::NotFound,
            ErrorCode::Conflict => salesops_status::Conflict,
            ErrorCode::PermissionDenied => salesops_status::PermissionDenied,
            ErrorCode::UnknownOp => salesops_status::UnknownOp,
            ErrorCode::Internal => salesops_status::Internal,
        }
    }
}

/// A UTF-8 byte buffer owned by the library: `data[len]` is a NUL byte, so `data` is also a
/// C string. Release it with `salesops_buffer_free`, never with `free()`.
#[repr(C)]
#[derive(Debug)]
pub struct salesops_buffer {
    /// The bytes; NULL only in a buffer that was never filled.
    pub data: *const c_char,
    /// Number of bytes before the terminating NUL.
    pub len: usize,
}

impl salesops_buffer {
    fn from_string(s: String) -> Self {
        let mut bytes = s.into_bytes();
        bytes.push(0);
        let len = bytes.len() - 1;
        let data = Box::into_raw(bytes.into_boxed_slice()) as *const c_char;
        salesops_buffer { data, len }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    // A message quoting the caller's input may hold a NUL; C strings cannot.
    let clean = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = clean);
}

fn fail(status: salesops_status, message: &str) -> salesops_status {
    set_last_error(message);
    status
}

fn fail_with(e: &Error) -> salesops_status {
    fail(e.code().into(), &e.to_string())
}

/// Run a body, turning a panic into a fallback value and an internal-error message, so
/// that unwinding never crosses into C (rustls-ffi's `ffi_panic_boundary`).
fn boundary<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(v) => v,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            set_last_error(&format!(
                "internal error: panic: {what} (please report this bug)"
            ));
            fallback
        }
    }
}

/// Run the operation named `op` (a NUL-terminated string such as `"money.allocate"`) on
/// the JSON document `input[0..input_len]`.
///
/// On success returns `SALESOPS_STATUS_OK` and writes the output document (canonical
/// JSON) into `*out`, which the caller then owns and releases with
/// `salesops_buffer_free`. On failure returns the error's status, leaves `*out` untouched
/// and sets the message returned by `salesops_last_error`.
///
/// `op`, `input` and `out` must not be NULL (`input` may be NULL only when `input_len` is
/// 0); NULL gives `SALESOPS_STATUS_NULL_ARGUMENT`. `input` need not be NUL-terminated and
/// must be valid UTF-8. Safe to call from several threads at once.
///
/// # Safety
/// `op` must point to a NUL-terminated string, `input` to `input_len` readable bytes and
/// `out` to writable memory for one `salesops_buffer`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn salesops_call(
    op: *const c_char,
    input: *const u8,
    input_len: usize,
    out: *mut salesops_buffer,
) -> salesops_status {
    boundary(salesops_status::Internal, || {
        set_last_error("");
        if op.is_null() {
            return fail(salesops_status::NullArgument, "argument `op` is NULL");
        }
        if out.is_null() {
            return fail(salesops_status::NullArgument, "argument `out` is NULL");
        }
        if input.is_null() && input_len > 0 {
            return fail(salesops_status::NullArgument, "argument `input` is NULL");
        }
        // SAFETY: op is non-NULL and NUL-terminated by contract.
        let op = unsafe { CStr::from_ptr(op) };
        let Ok(op) = op.to_str() else {
            return fail_with(&Error::invalid("op", "operation name is not valid UTF-8"));
        };
        let bytes: &[u8] = if input_len == 0 {
            &[]
        } else {
            // SAFETY: input is non-NULL and points to input_len readable bytes by contract.
            unsafe { std::slice::from_raw_parts(input, input_len) }
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                return fail_with(&Error::invalid(
                    "input",
                    format!(
                        "not valid UTF-8 (first bad byte at offset {})",
                        e.valid_up_to()
                    ),
                ));
            }
        };
        match salesops::ops::call(op, text) {
            Ok(doc) => {
                // SAFETY: out is non-NULL and writable by contract.
                unsafe { out.write(salesops_buffer::from_string(doc)) };
                salesops_status::Ok
            }
            Err(e) => fail_with(&e),
        }
    })
}

/// Release a buffer returned by this library. A buffer whose `data` is NULL is ignored.
///
/// # Safety
/// `buf` must come from this library and not have been freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn salesops_buffer_free(buf: salesops_buffer) {
    boundary((), || {
        if buf.data.is_null() {
            return;
        }
        let slice = std::ptr::slice_from_raw_parts_mut(buf.data as *mut u8, buf.len + 1);
        // SAFETY: data/len+1 are exactly the boxed slice made by salesops_buffer::from_string.
        drop(unsafe { Box::from_raw(slice) });
    })
}

/// The message of the last failed call on this thread, or `""` when the last call
/// succeeded. The string is owned by the library and stays valid until the next salesops
/// call on the same thread; copy it to keep it. Never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn salesops_last_error() -> *const c_char {
    static EMPTY: &CStr = c"";
    boundary(EMPTY.as_ptr(), || LAST_ERROR.with(|e| e.borrow().as_ptr()))
}

/// The stable snake_case name of a status (`"ok"`, `"invalid_input"`, …), or `"unknown"`
/// for a number that is not a status. Static storage; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn salesops_status_name(status: u32) -> *const c_char {
    let name: &'static CStr = match status {
        0 => c"ok",
        100 => c"null_argument",
        n => match ErrorCode::ALL.iter().find(|c| c.number() == n) {
            Some(c) => code_cstr(*c),
            None => c"unknown",
        },
    };
    name.as_ptr()
}

fn code_cstr(code: ErrorCode) -> &'static CStr {
    match code {
        ErrorCode::InvalidInput => c"invalid_input",
        ErrorCode::InvalidTransition => c"invalid_transition",
        ErrorCode::GuardFailed => c"guard_failed",
        ErrorCode::CurrencyMismatch => c"currency_mismatch",
        ErrorCode::Overflow => c"overflow",
        ErrorCode::NotFound => c"not_found",
        ErrorCode::Conflict => c"conflict",
        ErrorCode::PermissionDenied => c"permission_denied",
        ErrorCode::UnknownOp => c"unknown_op",
        ErrorCode::Internal => c"internal",
    }
}

/// The library version, e.g. `"0.1.0"` (equal to `SALESOPS_VERSION` in a matching
/// header). Static storage; never NULL.
#[unsafe(no_mangle)]
pub extern "C" fn salesops_version() -> *const c_char {
    static VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");
    VERSION.as_ptr().cast()
}

#[cfg(test)]
mod tests;
