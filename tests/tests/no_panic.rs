//! No document makes salesops panic: every op's example, mutated at random (leaves
//! replaced by hostile values, keys dropped, arrays emptied or blown up), must come back as
//! an output or an error, through the same entry point every door uses.

use proptest::prelude::*;
use serde_json::{Value, json};

/// Values that tend to break naive code: extremes, wrong types, odd dates and codes.
fn hostile() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(1e308),
        json!(18446744073709551615u64),
        json!(""),
        json!("0"),
        json!("-0.000000000000000000000000001"),
        json!("79228162514264337593543950335"),
        json!("-79228162514264337593543950335"),
        json!("0.0000000000000000000000000001"),
        json!("1e28"),
        json!("NaN"),
        json!("2026-02-29"),
        json!("+262142-12-31"),
        json!("-262143-01-01"),
        json!("2026-12-31T23:59:59Z"),
        json!("9999-12-31T23:59:59Z"),
        json!("XAU"),
        json!("JPY"),
        json!("BHD"),
        json!([]),
        json!({}),
        json!(["1", "2", "3"]),
        json!(4294967295u64),
        json!(-2147483648i64),
    ])
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), hostile()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => any::<usize>().prop_map(Mutation::Remove),
        1 => (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Repeat(i, n)),
    ]
}

/// Every node of a document, as a path of object keys and array indices, depth first.
fn paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                here.push(PathStep::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                here.push(PathStep::Index(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Debug, Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn node<'a>(v: &'a mut Value, path: &[PathStep]) -> &'a mut Value {
    path.iter().fold(v, |v, step| match step {
        PathStep::Key(k) => &mut v[k.as_str()],
        PathStep::Index(i) => &mut v[*i],
    })
}

fn apply(doc: &mut Value, m: &Mutation) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    match m {
        Mutation::Replace(i, v) => *node(doc, &all[i % all.len()]) = v.clone(),
        Mutation::Remove(i) => {
            let path = &all[i % all.len()];
            if let Some((last, parent)) = path.split_last() {
                match (node(doc, parent), last) {
                    (Value::Object(m), PathStep::Key(k)) => {
                        m.remove(k);
                    }
                    (Value::Array(a), PathStep::Index(i)) => {
                        a.remove(*i);
                    }
                    _ => {}
                }
            }
        }
        Mutation::Repeat(i, n) => {
            if let Value::Array(a) = node(doc, &all[i % all.len()]) {
                if let Some(first) = a.first().cloned() {
                    a.extend(std::iter::repeat_n(first, *n));
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]
    #[test]
    fn mutated_examples_never_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        for op in salesops::ops::table() {
            let mut doc: Value = serde_json::from_str(op.example).unwrap();
            for m in &mutations {
                apply(&mut doc, m);
            }
            let text = doc.to_string();
            let result = std::panic::catch_unwind(|| salesops::ops::call(op.name, &text));
            prop_assert!(result.is_ok(), "{} panicked on {}", op.name, text);
        }
    }
}
