//! The command-line door: every op's example runs, errors go to stderr with the code.

use std::io::Write;
use std::process::{Command, Stdio};

fn salesops(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_salesops"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn every_example_runs_through_the_cli() {
    for op in salesops::ops::table() {
        let (code, example, _) = salesops(&["--example", op.name], b"");
        assert_eq!(code, 0);
        let (code, out, err) = salesops(&[op.name], example.as_bytes());
        assert_eq!(code, 0, "{}: {err}", op.name);
        assert_eq!(
            out.trim_end(),
            salesops::ops::call(op.name, &example).unwrap()
        );
    }
}

#[test]
fn list_names_every_op() {
    let (code, out, _) = salesops(&["--list"], b"");
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), salesops::ops::table().count());
}

#[test]
fn errors_go_to_stderr_with_their_code() {
    let (code, out, err) = salesops(
        &["money.round"],
        br#"{"money":{"amount":"1","currency":"usd"}}"#,
    );
    assert_eq!((code, out.as_str()), (1, ""));
    assert!(
        err.starts_with("error[invalid_input]: invalid input at `money.currency`"),
        "{err}"
    );
    let (code, _, err) = salesops(&["money.round"], b"{\"money\":\xff}");
    assert_eq!(code, 1);
    assert!(err.contains("UTF-8"), "{err}");
    let (code, _, err) = salesops(&["no.such"], b"{}");
    assert_eq!(code, 1);
    assert!(err.starts_with("error[unknown_op]"), "{err}");
    let (code, _, _) = salesops(&[], b"");
    assert_eq!(code, 2);
}

#[test]
fn pretty_output_is_the_same_document() {
    let input = br#"{"date":"2026-05-20","kind":"quarter"}"#;
    let (_, compact, _) = salesops(&["period.of"], input);
    let (_, pretty, _) = salesops(&["period.of", "--pretty"], input);
    let a: serde_json::Value = serde_json::from_str(&compact).unwrap();
    let b: serde_json::Value = serde_json::from_str(&pretty).unwrap();
    assert_eq!(a, b);
    assert!(pretty.lines().count() > 1);
}
