//! The committed header must equal what cbindgen generates from the current source.

use std::path::Path;

#[test]
fn header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/salesops.h"));
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include/salesops.h");
    if std::env::var_os("SALESOPS_BLESS").is_some() {
        std::fs::write(&committed_path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "ffi/include/salesops.h is stale: run `SALESOPS_BLESS=1 cargo test -p salesops-ffi --test header` and commit it"
    );
}
