//! The Rust door and the C door run every golden vector.

use salesops_tests::{Expect, load_all, report_dir, write_flat};
use std::ffi::CString;

#[test]
fn rust_door_runs_every_vector() {
    let cases = load_all();
    let mut failures = Vec::new();
    for (file, c) in &cases {
        let got = salesops::ops::call(&c.op, &c.input_text());
        match (c.expect(), got) {
            (Expect::Output(want), Ok(out)) if want == out => {}
            (Expect::Error(code, field), Err(e))
                if e.code().as_str() == code
                    && (field.is_none() || e.field() == field.as_deref()) => {}
            (Expect::Output(want), got) => {
                failures.push(format!("{file}: {}\n  want {want}\n  got  {got:?}", c.name))
            }
            (Expect::Error(code, field), got) => {
                let got = got.map_err(|e| {
                    (
                        e.code().as_str(),
                        e.field().map(str::to_owned),
                        e.to_string(),
                    )
                });
                failures.push(format!(
                    "{file}: {}\n  want error {code} at {field:?}\n  got  {got:?}",
                    c.name
                ))
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    std::fs::write(report_dir().join("rust.count"), cases.len().to_string()).unwrap();
    println!("rust door: {} vectors passed", cases.len());
}

#[test]
fn c_door_runs_every_vector() {
    let cases = load_all();
    let flat = report_dir().join("cases.tsv");
    write_flat(&cases, &flat);
    let path = CString::new(flat.to_str().unwrap()).unwrap();
    let mut ran = 0;
    // SAFETY: a valid NUL-terminated path and a valid out-pointer.
    let failed = unsafe { salesops_tests::salesops_c_run_vectors(path.as_ptr(), &mut ran) };
    assert_eq!(
        failed, 0,
        "the C runner reported failures (see its output above)"
    );
    assert_eq!(
        ran as usize,
        cases.len(),
        "the C runner did not run every case"
    );
    std::fs::write(report_dir().join("c.count"), ran.to_string()).unwrap();
}

#[test]
fn c_edge_cases() {
    // SAFETY: takes no arguments.
    assert_eq!(unsafe { salesops_tests::salesops_c_edge_tests() }, 0);
}

#[test]
fn every_op_has_vectors() {
    let cases = load_all();
    for op in salesops::ops::table() {
        let ok = cases
            .iter()
            .filter(|(_, c)| c.op == op.name && c.expected.is_some())
            .count();
        let bad = cases
            .iter()
            .filter(|(_, c)| c.op == op.name && c.error.is_some())
            .count();
        // meta.version lists every op, so its vector is written once the op list settles.
        assert!(
            ok >= 1 || op.name == "meta.version",
            "no golden vector for {}",
            op.name
        );
        assert!(
            bad >= 1 || op.name == "meta.version",
            "no refusal vector for {}",
            op.name
        );
    }
}
