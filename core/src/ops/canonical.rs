//! A `serde::Serializer` that writes canonical JSON straight into a byte buffer.
//!
//! Canonical means: compact, and the entries of every object sorted by key in byte order
//! (a key that occurs twice keeps its last value). The bytes are exactly those of the
//! former route, `serde_json::to_value(v)?.to_string()`, which sorted through the
//! `BTreeMap` of `serde_json::Value`, without building the tree: strings, integers and
//! floats are printed by `serde_json` itself, and map keys are turned into strings the way
//! `serde_json::Value`'s serializer does (integers, bools, finite floats, chars and unit
//! variants become strings; anything else is an error).
//!
//! How objects are sorted: entries are written in the order they come, each as a
//! `"key":value` segment whose byte range and raw key are recorded on a stack shared by all
//! nesting levels. When an object ends and its keys are not already strictly increasing,
//! its body is copied once to a scratch buffer and written back in key order.

use serde::Serialize;
use serde::ser::{self, Impossible};
use std::fmt::{self, Display, Write as _};

/// Why a value cannot be rendered (a map key that is not a string, a number JSON cannot
/// hold, or a failing `Serialize` implementation).
#[derive(Debug)]
pub struct CanonicalError(String);

impl Display for CanonicalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CanonicalError {}

impl ser::Error for CanonicalError {
    fn custom<T: Display>(msg: T) -> Self {
        CanonicalError(msg.to_string())
    }
}

impl From<serde_json::Error> for CanonicalError {
    fn from(e: serde_json::Error) -> Self {
        CanonicalError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, CanonicalError>;

fn key_must_be_a_string() -> CanonicalError {
    CanonicalError("key must be a string".into())
}

/// Render `value` as canonical JSON text.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String> {
    let mut w = Writer {
        // Most outputs are small; this saves the first few doublings.
        out: Vec::with_capacity(256),
        ..Writer::default()
    };
    value.serialize(&mut w)?;
    String::from_utf8(w.out).map_err(|e| CanonicalError(e.to_string()))
}

/// The raw (unescaped) key of an object entry.
#[derive(Clone, Copy)]
enum Key {
    /// A struct field name.
    Static(&'static str),
    /// A map key, `keys[start..end]`.
    Arena(usize, usize),
}

impl Key {
    fn bytes<'a>(&self, keys: &'a str) -> &'a [u8] {
        match *self {
            Key::Static(s) => s.as_bytes(),
            // In range by construction; `get` keeps this free of panics anyway.
            Key::Arena(a, b) => keys.as_bytes().get(a..b).unwrap_or_default(),
        }
    }
}

/// One `"key":value` segment of an open object: `out[start..end]`.
#[derive(Clone, Copy)]
struct Entry {
    key: Key,
    start: usize,
    end: usize,
}

/// The output and the scratch state shared by every nesting level.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    /// Entries of every open object, innermost last.
    entries: Vec<Entry>,
    /// Raw map keys of every open object.
    keys: String,
    /// Body of the object being reordered.
    scratch: Vec<u8>,
    /// Text of a value serialized through `Display` (dates), before escaping.
    text: String,
}

impl Writer {
    fn write_str(out: &mut Vec<u8>, s: &str) -> Result<()> {
        serde_json::to_writer(&mut *out, s)?;
        Ok(())
    }

    fn write_scalar<T: Serialize>(&mut self, v: T) -> Result<()> {
        serde_json::to_writer(&mut self.out, &v)?;
        Ok(())
    }

    fn open_object(&mut self, tail: &'static [u8]) -> ObjectWriter<'_> {
        self.out.push(b'{');
        ObjectWriter {
            frame: self.entries.len(),
            keys_start: self.keys.len(),
            body_start: self.out.len(),
            pending: None,
            tail,
            w: self,
        }
    }

    /// Writes `{"variant":` (the start of an externally tagged variant).
    fn open_variant(&mut self, variant: &str) -> Result<()> {
        self.out.push(b'{');
        Self::write_str(&mut self.out, variant)?;
        self.out.push(b':');
        Ok(())
    }
}

/// An open array: `tail` closes it (`]`, or `]}` for a tuple variant).
pub struct ArrayWriter<'a> {
    w: &'a mut Writer,
    first: bool,
    tail: &'static [u8],
}

impl ArrayWriter<'_> {
    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
        value.serialize(&mut *self.w)
    }

    fn close(self) -> Result<()> {
        self.w.out.extend_from_slice(self.tail);
        Ok(())
    }
}

/// An open object: `tail` closes it (`}`, or `}}` for a struct variant).
pub struct ObjectWriter<'a> {
    w: &'a mut Writer,
    frame: usize,
    keys_start: usize,
    body_start: usize,
    pending: Option<Key>,
    tail: &'static [u8],
}

impl ObjectWriter<'_> {
    fn entry<T: ?Sized + Serialize>(&mut self, key: Key, value: &T) -> Result<()> {
        let w = &mut *self.w;
        if w.entries.len() > self.frame {
            w.out.push(b',');
        }
        let start = w.out.len();
        match key {
            Key::Static(s) => Writer::write_str(&mut w.out, s)?,
            Key::Arena(a, b) => {
                let k = w.keys.get(a..b).ok_or_else(key_must_be_a_string)?;
                Writer::write_str(&mut w.out, k)?;
            }
        }
        w.out.push(b':');
        value.serialize(&mut *w)?;
        w.entries.push(Entry {
            key,
            start,
            end: w.out.len(),
        });
        Ok(())
    }

    fn close(self) -> Result<()> {
        let w = self.w;
        let keys = w.keys.as_str();
        let entries = w.entries.get_mut(self.frame..).unwrap_or_default();
        let sorted = entries
            .windows(2)
            .all(|p| p[0].key.bytes(keys) < p[1].key.bytes(keys));
        if !sorted {
            // Stable: of equal keys the last written stays last, and is the one kept.
            entries.sort_by(|a, b| a.key.bytes(keys).cmp(b.key.bytes(keys)));
            let base = self.body_start;
            w.scratch.clear();
            w.scratch
                .extend_from_slice(w.out.get(base..).unwrap_or_default());
            w.out.truncate(base);
            let mut first = true;
            for (i, e) in entries.iter().enumerate() {
                let superseded = entries
                    .get(i + 1)
                    .is_some_and(|n| n.key.bytes(keys) == e.key.bytes(keys));
                if superseded {
                    continue;
                }
                if !first {
                    w.out.push(b',');
                }
                first = false;
                let seg = w
                    .scratch
                    .get(e.start - base..e.end - base)
                    .ok_or_else(|| CanonicalError("object entry out of range".into()))?;
                w.out.extend_from_slice(seg);
            }
        }
        w.entries.truncate(self.frame);
        w.keys.truncate(self.keys_start);
        w.out.extend_from_slice(self.tail);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = ArrayWriter<'a>;
    type SerializeTuple = ArrayWriter<'a>;
    type SerializeTupleStruct = ArrayWriter<'a>;
    type SerializeTupleVariant = ArrayWriter<'a>;
    type SerializeMap = ObjectWriter<'a>;
    type SerializeStruct = ObjectWriter<'a>;
    type SerializeStructVariant = ObjectWriter<'a>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        // A `Value` number holds only what fits in an i64 or a u64.
        if let Ok(v) = u64::try_from(v) {
            self.write_scalar(v)
        } else if let Ok(v) = i64::try_from(v) {
            self.write_scalar(v)
        } else {
            Err(CanonicalError("number out of range".into()))
        }
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        match u64::try_from(v) {
            Ok(v) => self.write_scalar(v),
            Err(_) => Err(CanonicalError("number out of range".into())),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        // A `Value` widens an f32 to f64 (and prints that), and holds NaN and ±∞ as null.
        self.write_scalar(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        Writer::write_str(&mut self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        Writer::write_str(&mut self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<()> {
        self.write_scalar(v)
    }
    fn serialize_none(self) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<()> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<()> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<ArrayWriter<'a>> {
        self.out.push(b'[');
        Ok(ArrayWriter {
            w: self,
            first: true,
            tail: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ArrayWriter<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ArrayWriter<'a>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<ArrayWriter<'a>> {
        self.open_variant(variant)?;
        self.out.push(b'[');
        Ok(ArrayWriter {
            w: self,
            first: true,
            tail: b"]}",
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<ObjectWriter<'a>> {
        Ok(self.open_object(b"}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<ObjectWriter<'a>> {
        Ok(self.open_object(b"}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<ObjectWriter<'a>> {
        self.open_variant(variant)?;
        Ok(self.open_object(b"}}"))
    }
    fn collect_str<T: ?Sized + Display>(self, value: &T) -> Result<()> {
        // As serde's default (`value.to_string()`), in a buffer reused across values.
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        write!(text, "{value}").map_err(|e| CanonicalError(e.to_string()))?;
        let r = Writer::write_str(&mut self.out, &text);
        self.text = text;
        r
    }
}

// serde asks for the same array behaviour under four traits; one macro writes them.
macro_rules! array_writer {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for ArrayWriter<'_> {
            type Ok = ();
            type Error = CanonicalError;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
                self.element(value)
            }
            fn end(self) -> Result<()> {
                self.close()
            }
        }
    )*};
}

array_writer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        let start = self.w.keys.len();
        key.serialize(KeyWriter {
            keys: &mut self.w.keys,
        })?;
        self.pending = Some(Key::Arena(start, self.w.keys.len()));
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let key = self
            .pending
            .take()
            .ok_or_else(|| CanonicalError("serialize_value called before serialize_key".into()))?;
        self.entry(key, value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeStruct for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.entry(Key::Static(key), value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

impl ser::SerializeStructVariant for ObjectWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.entry(Key::Static(key), value)
    }
    fn end(self) -> Result<()> {
        self.close()
    }
}

/// Appends a map key, as a raw string, to the key arena; the same keys as
/// `serde_json::Value`'s serializer accepts, turned into the same strings.
struct KeyWriter<'a> {
    keys: &'a mut String,
}

impl KeyWriter<'_> {
    fn int(self, v: impl Display) -> Result<()> {
        // `Display` of the integer types prints what `itoa` does.
        write!(self.keys, "{v}").map_err(|e| CanonicalError(e.to_string()))
    }
    fn float<F: Serialize>(self, v: F, finite: bool) -> Result<()> {
        if !finite {
            return Err(CanonicalError("float key must be finite".into()));
        }
        // serde_json prints a finite float the same way as a key and as a value.
        self.keys.push_str(&serde_json::to_string(&v)?);
        Ok(())
    }
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = CanonicalError;
    type SerializeSeq = Impossible<(), CanonicalError>;
    type SerializeTuple = Impossible<(), CanonicalError>;
    type SerializeTupleStruct = Impossible<(), CanonicalError>;
    type SerializeTupleVariant = Impossible<(), CanonicalError>;
    type SerializeMap = Impossible<(), CanonicalError>;
    type SerializeStruct = Impossible<(), CanonicalError>;
    type SerializeStructVariant = Impossible<(), CanonicalError>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.keys.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<()> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<()> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.float(v, v.is_finite())
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        self.float(v, v.is_finite())
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.keys.push(v);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.keys.push_str(v);
        Ok(())
    }
    fn collect_str<T: ?Sized + Display>(self, value: &T) -> Result<()> {
        write!(self.keys, "{value}").map_err(|e| CanonicalError(e.to_string()))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _value: &T) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<()> {
        self.keys.push_str(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<()> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}
