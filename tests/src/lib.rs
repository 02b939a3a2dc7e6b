//! The golden-vector harness: loads `tests/vectors/*.json`, and writes the flat file the
//! C runner reads (C has no JSON parser of its own, so Rust prepares the cases and the C
//! program compares the library's output bytes with the expected canonical bytes).
//!
//! A case is `{name, source?, op, input | input_raw, expected | error, field?}`:
//! `input` is a JSON document, `input_raw` a string sent as-is (malformed JSON),
//! `expected` the output document, `error` the stable error code, `field` the path the
//! error must name.

use serde::Deserialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One golden vector.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Unique, descriptive name.
    pub name: String,
    /// Where a worked example came from, if it came from somewhere.
    #[serde(default)]
    pub source: Option<String>,
    /// Operation name.
    pub op: String,
    /// Input document.
    #[serde(default)]
    pub input: Option<serde_json::Value>,
    /// Input sent as raw text (for malformed documents).
    #[serde(default)]
    pub input_raw: Option<String>,
    /// Expected output document.
    #[serde(default)]
    pub expected: Option<serde_json::Value>,
    /// Expected error code.
    #[serde(default)]
    pub error: Option<String>,
    /// The field path the error must name.
    #[serde(default)]
    pub field: Option<String>,
}

/// What a case expects.
pub enum Expect {
    /// This exact canonical output document.
    Output(String),
    /// This error code, naming this field if given.
    Error(String, Option<String>),
}

impl Case {
    /// The input text sent to the library.
    pub fn input_text(&self) -> String {
        match (&self.input, &self.input_raw) {
            (Some(v), None) => v.to_string(),
            (None, Some(raw)) => raw.clone(),
            _ => panic!(
                "case `{}`: give exactly one of input and input_raw",
                self.name
            ),
        }
    }

    /// What the case expects, with the output in canonical form.
    pub fn expect(&self) -> Expect {
        match (&self.expected, &self.error) {
            (Some(v), None) => {
                assert!(
                    self.field.is_none(),
                    "case `{}`: `field` goes with `error`",
                    self.name
                );
                Expect::Output(v.to_string())
            }
            (None, Some(code)) => Expect::Error(code.clone(), self.field.clone()),
            _ => panic!(
                "case `{}`: give exactly one of expected and error",
                self.name
            ),
        }
    }
}

/// The vectors directory.
pub fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// Every case of every vector file, with its file name, in file-name order.
pub fn load_all() -> Vec<(String, Case)> {
    let mut files: Vec<_> = std::fs::read_dir(vectors_dir())
        .expect("tests/vectors")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for f in files {
        let file = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        let cases: Vec<Case> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for c in cases {
            assert!(
                names.insert(c.name.clone()),
                "duplicate case name `{}`",
                c.name
            );
            assert!(!c.name.contains('\t'), "case name `{}` has a tab", c.name);
            all.push((file.clone(), c));
        }
    }
    all
}

fn hex(s: &str) -> String {
    s.bytes()
        .fold(String::with_capacity(s.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

/// Write the cases as the flat file the C runner reads: one case per line,
/// `name \t op \t hex(input) \t =|! \t hex(expected output | error code) \t hex(field)`.
pub fn write_flat(cases: &[(String, Case)], path: &Path) {
    let mut out = String::new();
    for (_, c) in cases {
        let (kind, want, field) = match c.expect() {
            Expect::Output(doc) => ('=', doc, String::new()),
            Expect::Error(code, field) => ('!', code, field.unwrap_or_default()),
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{kind}\t{}\t{}",
            c.name,
            c.op,
            hex(&c.input_text()),
            hex(&want),
            hex(&field)
        );
    }
    std::fs::write(path, out).unwrap();
}

/// Where the runners leave their reports and the flat case file (`target/vectors`).
pub fn report_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/vectors");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

unsafe extern "C" {
    /// C runner (c/runner.c): runs every case of a flat file; returns failures, or -1 if
    /// the file cannot be read; writes the number of cases run to `*ran`.
    pub fn salesops_c_run_vectors(path: *const std::ffi::c_char, ran: *mut i32) -> i32;
    /// C edge tests (c/edge.c): NULL arguments, invalid UTF-8, ownership; returns failures.
    pub fn salesops_c_edge_tests() -> i32;
}

// The C code calls the library's exported symbols; make sure they are linked in.
use salesops_ffi as _;
