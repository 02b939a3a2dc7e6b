//! `docs/ops.md` is generated from the operation table (every op, its summary, an example
//! input and the output it gives), so the reference can never drift from the code.
//! `SALESOPS_BLESS=1 cargo test -p salesops-tests --test docs` rewrites it.

use salesops::ErrorCode;
use std::fmt::Write as _;
use std::path::Path;

fn pretty(doc: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(doc).unwrap();
    serde_json::to_string_pretty(&v).unwrap()
}

fn render() -> String {
    let mut md = String::from(
        "# Operations\n\n\
         <!-- GENERATED from the operation table by tests/tests/docs.rs; do not edit.\n     \
         SALESOPS_BLESS=1 cargo test -p salesops-tests --test docs regenerates it. -->\n\n\
         Every operation takes one JSON document and returns one, identically through the Rust\n\
         API (`salesops::ops::call`), the C ABI (`salesops_call`), WebAssembly (`call` /\n\
         `callJson`) and the command line (`salesops OP < input.json`). Conventions: decimals\n\
         are strings, dates ISO 8601, enums snake_case, unknown fields are errors, outputs are\n\
         canonical JSON (compact, keys sorted). `salesops --example OP` prints the example input.\n\n",
    );
    md.push_str("| operation | what it does |\n|---|---|\n");
    for op in salesops::ops::table() {
        let _ = writeln!(
            md,
            "| [`{}`](#{}) | {} |",
            op.name,
            op.name.replace('.', ""),
            op.summary
        );
    }
    md.push_str("\n## Errors\n\nEvery failure carries one stable code (its C status number in parentheses):\n\n");
    for code in ErrorCode::ALL {
        let _ = writeln!(md, "- `{}` ({})", code.as_str(), code.number());
    }
    md.push_str("\nThe C door adds `null_argument` (100) for a NULL pointer argument.\n");
    for op in salesops::ops::table() {
        let out = op.call(op.example).unwrap();
        let _ = write!(
            md,
            "\n## {}\n\n{}\n\nExample input:\n\n```json\n{}\n```\n\nOutput:\n\n```json\n{}\n```\n",
            op.name,
            op.summary,
            pretty(op.example),
            pretty(&out)
        );
    }
    md
}

#[test]
fn ops_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/ops.md");
    let fresh = render();
    if std::env::var_os("SALESOPS_BLESS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/ops.md is stale: run `SALESOPS_BLESS=1 cargo test -p salesops-tests --test docs` and commit it"
    );
}
