//! Unit tests of the C door's Rust side (the C side is tests/c).

use super::*;

#[test]
fn status_numbers_match_the_core_codes() {
    for code in ErrorCode::ALL {
        assert_eq!(salesops_status::from(code) as u32, code.number());
        // SAFETY: status names are static C strings.
        let name = unsafe { CStr::from_ptr(salesops_status_name(code.number())) };
        assert_eq!(name.to_str().unwrap(), code.as_str());
    }
}

#[test]
fn a_panic_becomes_an_internal_status() {
    let status = boundary(salesops_status::Internal, || -> salesops_status {
        panic!("boom")
    });
    assert_eq!(status, salesops_status::Internal);
    // SAFETY: last_error is never NULL.
    let msg = unsafe { CStr::from_ptr(salesops_last_error()) };
    assert!(msg.to_str().unwrap().contains("boom"));
}

#[test]
fn messages_with_nul_survive() {
    set_last_error("a\0b");
    // SAFETY: last_error is never NULL.
    let msg = unsafe { CStr::from_ptr(salesops_last_error()) };
    assert_eq!(msg.to_str().unwrap(), "a\\0b");
}
