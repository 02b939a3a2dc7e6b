//! The direct canonical JSON writer (`ops::to_canonical`) against the route it replaced,
//! `serde_json::to_value(v)?.to_string()`, byte for byte: arbitrary JSON values, maps whose
//! entries come unsorted and duplicated, and derived types using the serde attributes the
//! engines use (options, skipped fields, every enum representation, flattening, non-string
//! map keys).

use chrono::NaiveDate;
use proptest::collection::{btree_map, hash_map, vec};
use proptest::prelude::*;
use salesops::ops::to_canonical;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The former route, as `ops::to_canonical` was before the direct writer (an integration
/// test cannot see the library's `#[cfg(test)]` copy).
fn via_value<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v).ok().map(|t| t.to_string())
}

fn same<T: Serialize>(v: &T) -> Result<(), TestCaseError> {
    let new = to_canonical(v).ok();
    let old = via_value(v);
    prop_assert_eq!(new, old);
    Ok(())
}

/// Keys that collide, sort around each other, and need escaping.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-cA-C_]{0,3}",
        vec(any::<char>(), 0..5).prop_map(|v| v.into_iter().collect()),
        prop::sample::select(vec![
            "", "\u{0}", "\n", "\t", "\"", "\\", "/", "é", "😀", "\u{7f}", "\u{1f}", "\u{2028}",
            "\u{ffff}", "a", "A", "~", "a\u{0}", "aa",
        ])
        .prop_map(String::from),
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        prop::num::f64::ANY,
        prop::sample::select(vec![
            0.0,
            -0.0,
            0.1,
            1e21,
            1e-7,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            123456789.0,
        ]),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        float().prop_map(Value::from),
        key().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((key(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A document whose maps hand their entries over in the generated order, duplicates
/// included (a `Value` would already have sorted and deduplicated them).
#[derive(Debug, Clone)]
enum Doc {
    Leaf(Value),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

impl Serialize for Doc {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Doc::Leaf(v) => v.serialize(s),
            Doc::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(i)?;
                }
                seq.end()
            }
            Doc::Map(entries) => {
                let mut map = s.serialize_map(None)?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

fn doc() -> impl Strategy<Value = Doc> {
    value()
        .prop_map(Doc::Leaf)
        .prop_recursive(4, 64, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Doc::List),
                vec((key(), inner), 0..8).prop_map(Doc::Map),
            ]
        })
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
enum KeyKind {
    Zulu,
    AlphaBeta,
    Mike,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Wrapped(i16);

#[derive(Serialize, Debug, Clone)]
struct Inner {
    z: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    y: Option<String>,
    a: Vec<f32>,
}

/// Externally tagged (serde's default).
#[derive(Serialize, Debug, Clone)]
enum External {
    Unit,
    New(Inner),
    Tuple(u8, String),
    Struct {
        zed: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        alpha: Option<i64>,
        mid: Value,
    },
}

#[derive(Serialize, Debug, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Internal {
    Unit,
    Struct { zed: u8, ab: String, type_: bool },
    NewStruct(Inner),
    NewMap(BTreeMap<String, u8>),
}

#[derive(Serialize, Debug, Clone)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Unit,
    New(i64),
    Struct { b: Option<bool>, a: Vec<Internal> },
}

#[derive(Serialize, Debug, Clone)]
#[serde(untagged)]
enum Untagged {
    Num(u32),
    Text(String),
    Rec { q: Option<External>, p: Doc },
}

#[derive(Serialize, Debug, Clone)]
struct Record {
    zeta: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alpha: Option<i64>,
    #[serde(rename = "Beta")]
    beta: f64,
    single: f32,
    wide: i128,
    unsigned_wide: u128,
    ch: char,
    unit: (),
    tuple: (u8, String, Option<()>),
    bytes: Vec<u8>,
    #[serde(skip)]
    #[allow(dead_code)]
    skipped: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    external: Vec<External>,
    internal: Internal,
    adjacent: Adjacent,
    untagged: Untagged,
    int_keys: BTreeMap<i32, u8>,
    wide_keys: BTreeMap<u128, bool>,
    bool_keys: BTreeMap<bool, String>,
    char_keys: BTreeMap<char, u8>,
    enum_keys: BTreeMap<KeyKind, Inner>,
    newtype_keys: BTreeMap<Wrapped, ()>,
    hashed: HashMap<String, Option<bool>>,
    nested: BTreeMap<String, BTreeMap<String, Value>>,
    /// Serialized through `collect_str`, as a value and as a key.
    dates: BTreeMap<NaiveDate, Vec<NaiveDate>>,
    #[serde(flatten)]
    flat: BTreeMap<String, i32>,
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-400_000i32..400_000)
        .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN))
}

fn inner() -> impl Strategy<Value = Inner> {
    (
        any::<Option<u8>>(),
        prop::option::of(key()),
        vec(any::<f32>(), 0..3),
    )
        .prop_map(|(z, y, a)| Inner { z, y, a })
}

fn external() -> impl Strategy<Value = External> {
    prop_oneof![
        Just(External::Unit),
        inner().prop_map(External::New),
        (any::<u8>(), key()).prop_map(|(a, b)| External::Tuple(a, b)),
        (any::<bool>(), any::<Option<i64>>(), value())
            .prop_map(|(zed, alpha, mid)| { External::Struct { zed, alpha, mid } }),
    ]
}

fn internal() -> impl Strategy<Value = Internal> {
    prop_oneof![
        Just(Internal::Unit),
        (any::<u8>(), key(), any::<bool>()).prop_map(|(zed, ab, type_)| Internal::Struct {
            zed,
            ab,
            type_
        }),
        inner().prop_map(Internal::NewStruct),
        // Keys such as "type" collide with the tag.
        btree_map(
            prop_oneof![key(), Just("type".to_string())],
            any::<u8>(),
            0..4
        )
        .prop_map(Internal::NewMap),
    ]
}

fn adjacent() -> impl Strategy<Value = Adjacent> {
    prop_oneof![
        Just(Adjacent::Unit),
        any::<i64>().prop_map(Adjacent::New),
        (any::<Option<bool>>(), vec(internal(), 0..3)).prop_map(|(b, a)| Adjacent::Struct { b, a }),
    ]
}

fn untagged() -> impl Strategy<Value = Untagged> {
    prop_oneof![
        any::<u32>().prop_map(Untagged::Num),
        key().prop_map(Untagged::Text),
        (prop::option::of(external()), doc()).prop_map(|(q, p)| Untagged::Rec { q, p }),
    ]
}

fn record() -> impl Strategy<Value = Record> {
    let scalars = (
        prop::option::of(key()),
        any::<Option<i64>>(),
        float(),
        any::<f32>(),
        prop_oneof![
            any::<i64>().prop_map(i128::from),
            any::<u64>().prop_map(i128::from),
            any::<i128>()
        ],
        prop_oneof![any::<u64>().prop_map(u128::from), any::<u128>()],
        any::<char>(),
        (any::<u8>(), key(), any::<Option<()>>()),
        vec(any::<u8>(), 0..4),
    );
    let enums = (vec(external(), 0..3), internal(), adjacent(), untagged());
    let maps = (
        btree_map(any::<i32>(), any::<u8>(), 0..4),
        btree_map(
            prop_oneof![any::<u64>().prop_map(u128::from), any::<u128>()],
            any::<bool>(),
            0..3,
        ),
        btree_map(any::<bool>(), key(), 0..3),
        btree_map(any::<char>(), any::<u8>(), 0..3),
        btree_map(
            prop::sample::select(vec![KeyKind::Zulu, KeyKind::AlphaBeta, KeyKind::Mike]),
            inner(),
            0..3,
        ),
        btree_map(any::<i16>().prop_map(Wrapped), Just(()), 0..3),
        hash_map(key(), any::<Option<bool>>(), 0..5),
        btree_map(key(), btree_map(key(), value(), 0..3), 0..3),
        btree_map(date(), vec(date(), 0..3), 0..3),
        // Flattened keys may collide with the fields ("zeta", "Beta", "single").
        btree_map(
            prop_oneof![
                key(),
                prop::sample::select(vec!["zeta", "Beta", "single", "alpha", "flat"])
                    .prop_map(String::from)
            ],
            any::<i32>(),
            0..4,
        ),
    );
    (scalars, enums, maps).prop_map(|(s, e, m)| Record {
        zeta: s.0,
        alpha: s.1,
        beta: s.2,
        single: s.3,
        wide: s.4,
        unsigned_wide: s.5,
        ch: s.6,
        unit: (),
        tuple: s.7,
        bytes: s.8,
        skipped: 7,
        external: e.0,
        internal: e.1,
        adjacent: e.2,
        untagged: e.3,
        int_keys: m.0,
        wide_keys: m.1,
        bool_keys: m.2,
        char_keys: m.3,
        enum_keys: m.4,
        newtype_keys: m.5,
        hashed: m.6,
        nested: m.7,
        dates: m.8,
        flat: m.9,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn values_render_as_through_a_value(v in value()) {
        same(&v)?;
    }

    #[test]
    fn unsorted_and_duplicated_maps_render_as_through_a_value(d in doc()) {
        same(&d)?;
    }

    #[test]
    fn derived_types_render_as_through_a_value(r in record()) {
        same(&r)?;
    }

    #[test]
    fn float_map_keys_render_as_through_a_value(k in vec((float(), any::<f32>()), 0..4)) {
        struct Keys(Vec<(f64, f32)>);
        impl Serialize for Keys {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(None)?;
                for (a, b) in &self.0 {
                    m.serialize_entry(a, b)?;
                    m.serialize_entry(b, a)?;
                }
                m.end()
            }
        }
        same(&Keys(k))?;
    }
}

#[test]
fn what_a_value_refuses_is_refused() {
    #[derive(Serialize)]
    struct Big {
        n: u128,
    }
    assert!(to_canonical(&Big { n: u128::MAX }).is_err());
    assert!(to_canonical(&i128::MIN).is_err());
    let mut m = BTreeMap::new();
    m.insert(vec![1u8], 1u8);
    assert!(to_canonical(&m).is_err());
    let mut m = BTreeMap::new();
    m.insert(Some(1u8), 1u8);
    assert!(to_canonical(&m).is_err());
    let mut m = BTreeMap::new();
    m.insert((), 1u8);
    assert!(to_canonical(&m).is_err());
    struct NanKey;
    impl Serialize for NanKey {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry(&f64::NAN, &1)?;
            m.end()
        }
    }
    assert!(to_canonical(&NanKey).is_err());
    assert!(serde_json::to_value(NanKey).is_err());
    struct ValueFirst;
    impl Serialize for ValueFirst {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_value(&1)?;
            m.end()
        }
    }
    // The Value route panics here; the writer returns an error.
    assert!(to_canonical(&ValueFirst).is_err());
}

#[test]
fn examples_of_the_rules() {
    let v: Value =
        serde_json::from_str(r#"{"b":1,"a":{"d":[1.5,null,"\u0000"],"c":true}}"#).unwrap();
    assert_eq!(
        to_canonical(&v).unwrap(),
        r#"{"a":{"c":true,"d":[1.5,null,"\u0000"]},"b":1}"#
    );
    let d = Doc::Map(vec![
        ("b".into(), Doc::Leaf(Value::from(1))),
        ("a".into(), Doc::Leaf(Value::from(2))),
        ("b".into(), Doc::Leaf(Value::from(3))),
    ]);
    assert_eq!(to_canonical(&d).unwrap(), r#"{"a":2,"b":3}"#);
    assert_eq!(to_canonical(&0.1f32).unwrap(), via_value(&0.1f32).unwrap());
    assert_eq!(to_canonical(&f64::NAN).unwrap(), "null");
}
