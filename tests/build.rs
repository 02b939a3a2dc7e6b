//! Compiles the C golden-vector runner and the C edge-case tests against the committed
//! header, as strict C (-Wall -Wextra -Werror), into this crate, the way lol-html's
//! c-tests do; `tests/c_door.rs` calls them.

fn main() {
    let include =
        std::env::var("DEP_SALESOPS_INCLUDE").expect("salesops-ffi exports its include dir");
    println!("cargo:rerun-if-changed=c");
    cc::Build::new()
        .files(["c/runner.c", "c/edge.c"])
        .include(include)
        .std("c11")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        .flag("-pthread")
        .debug(true)
        .compile("salesops_ctests");
}
