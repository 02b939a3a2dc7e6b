//! Generates the C header into OUT_DIR; `tests/header.rs` compares it with the committed
//! `include/salesops.h`, so a stale header fails the tests instead of shipping.

use std::env;
use std::path::PathBuf;

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let mut config =
        cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n#define SALESOPS_VERSION \"{}\"\n",
        env::var("CARGO_PKG_VERSION").unwrap()
    ));
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header")
        .write_to_file(out.join("salesops.h"));
    // The committed header is what C code includes.
    println!("cargo:include={}", crate_dir.join("include").display());
}
