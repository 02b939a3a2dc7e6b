//! `salesops`: the command-line door. Reads a JSON document on stdin, runs one operation,
//! prints the output document on stdout; on failure prints `error[code] at field: message`
//! on stderr and exits with status 1 (2 for a usage error).
//!
//! ```text
//! salesops --list                      # every operation with a one-line summary
//! salesops --example money.allocate    # a valid input document for an operation
//! salesops money.allocate < in.json    # run it (add --pretty for indented output)
//! salesops --example money.allocate | salesops money.allocate --pretty
//! ```

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str = "usage: salesops OP [--pretty] < input.json\n       salesops --list\n       salesops --example OP\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pretty = args.iter().any(|a| a == "--pretty");
    let rest: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--pretty")
        .collect();
    let mut stdout = std::io::stdout().lock();
    match rest.as_slice() {
        ["--list"] => {
            for op in salesops::ops::table() {
                let _ = writeln!(stdout, "{:<28} {}", op.name, op.summary);
            }
            ExitCode::SUCCESS
        }
        ["--example", name] => match salesops::ops::find(name) {
            Ok(op) => {
                let _ = writeln!(stdout, "{}", op.example);
                ExitCode::SUCCESS
            }
            Err(e) => report(&e),
        },
        [name] if !name.starts_with('-') => {
            let mut input = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut input) {
                eprintln!("error: cannot read stdin: {e}");
                return ExitCode::from(2);
            }
            let text = match String::from_utf8(input) {
                Ok(t) => t,
                Err(e) => {
                    let offset = e.utf8_error().valid_up_to();
                    return report(&salesops::Error::invalid(
                        "input",
                        format!("not valid UTF-8 (first bad byte at offset {offset})"),
                    ));
                }
            };
            match salesops::ops::call(name, &text) {
                Ok(out) => {
                    let shown = if pretty { indent(&out) } else { out };
                    let _ = writeln!(stdout, "{shown}");
                    ExitCode::SUCCESS
                }
                Err(e) => report(&e),
            }
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn report(e: &salesops::Error) -> ExitCode {
    eprintln!("error[{}]: {e}", e.code());
    ExitCode::FAILURE
}

fn indent(doc: &str) -> String {
    serde_json::from_str::<serde_json::Value>(doc)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| doc.to_string())
}
