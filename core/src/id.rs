//! Ids chosen by the host, held small.
//!
//! This module decides how an id is held: in place up to 14 bytes, shared beyond. The
//! engines that name things by the host's ids (commission statements, reorder items and
//! stock lines) use it; it never checks what an id may contain.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An id chosen by the host (a rule, plan version, credit or deal id; an item, location,
/// supplier or stock line id). Every commission line names its rule, version and credit,
/// and a reorder request can hold millions of items, so an id is cheap to clone and
/// small: a short one (up to 14 bytes, as many invoice, rule, version, SKU and order
/// line ids are) is held in place and cloned by copying 16 bytes, without a heap block of
/// its own or touching memory elsewhere (the credit it came from may be far away in a
/// large input); a longer one is shared behind one pointer (two heap blocks, allocated
/// once). In JSON it is a plain string.
#[derive(Clone)]
pub struct Id(Repr);

/// The bytes an id holds in place: with its length and the variant's tag, 16 bytes, the
/// size of the shared variant's pointer and tag.
const INLINE: usize = 14;

#[derive(Clone)]
enum Repr {
    /// `len` bytes of UTF-8, the rest zeros.
    Inline {
        len: u8,
        bytes: [u8; INLINE],
    },
    Shared(Arc<Box<str>>),
}

impl Id {
    /// The id's UTF-8 bytes, without the validation [`Id::as_str`] repeats on every
    /// call: for comparing and hashing many ids, where it would cost more than the rest.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Shared(s) => s.as_bytes(),
        }
    }

    /// Whether the id is empty (without [`Id::as_str`]'s validation).
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Built from a `&str` cut at its length, so always valid.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Shared(s) => s.as_ref(),
        }
    }
}

impl std::hash::Hash for Id {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // As `str` hashes, so that maps keyed by ids can be looked up by `&str`.
        self.as_str().hash(state);
    }
}

impl PartialEq for Id {
    // Two inline ids, the common case, are compared inline as two overlapping words of
    // their bytes (the bytes past `len` are zeros): the share index compares every
    // credit's deal with its id, and the call and the byte-array comparison cost 33
    // instructions where this takes a few.
    #[inline]
    fn eq(&self, other: &Id) -> bool {
        match (&self.0, &other.0) {
            (Repr::Inline { len: a, bytes: x }, Repr::Inline { len: b, bytes: y }) => {
                a == b && words(x) == words(y)
            }
            _ => self.eq_other(other),
        }
    }
}

/// An inline id's bytes as two overlapping words: equal exactly when the bytes are.
#[inline]
fn words(b: &[u8; INLINE]) -> (u64, u64) {
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[at..at + 8]);
        u64::from_ne_bytes(w)
    };
    (word(0), word(INLINE - 8))
}

impl Id {
    /// [`PartialEq::eq`] when one of the ids is shared.
    fn eq_other(&self, other: &Id) -> bool {
        match (&self.0, &other.0) {
            // Shared ids are usually the same allocation: compare the pointers first.
            (Repr::Shared(x), Repr::Shared(y)) => Arc::ptr_eq(x, y) || **x == **y,
            _ => self.as_str() == other.as_str(),
        }
    }
}

impl Eq for Id {}

impl PartialOrd for Id {
    fn partial_cmp(&self, other: &Id) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Id {
    fn cmp(&self, other: &Id) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl From<&str> for Id {
    fn from(s: &str) -> Self {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                Id(Repr::Inline { len, bytes })
            }
            _ => Id(Repr::Shared(Arc::new(Box::from(s)))),
        }
    }
}

impl From<String> for Id {
    fn from(s: String) -> Self {
        Id::from(s.as_str())
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Id {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Id {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Id::from(&*s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_small_and_keep_their_text() {
        assert_eq!(std::mem::size_of::<Option<Id>>(), 16);
        for s in [
            "",
            "c1",
            "exactly-14-byt",
            "fifteen-bytes-x",
            "é-ünïcødé-ïd-ok",
            "a much longer id, shared",
        ] {
            let id = Id::from(s);
            assert_eq!(id.as_str(), s);
            assert_eq!(id.clone(), Id::from(s.to_string()));
            assert_eq!(id, *s);
        }
        let (short, long) = (Id::from("b"), Id::from("a much longer id, shared"));
        assert!(long < short);
    }

    /// Ids are equal exactly when their texts are, inline or shared, whichever byte
    /// differs (the inline comparison reads its bytes as two overlapping words: it
    /// fails if they leave a byte out).
    #[test]
    fn equal_exactly_when_the_texts_are() {
        let mut rng = crate::test_rng::XorShift(0x1d5);
        let ids: Vec<String> = (0..600)
            .map(|_| {
                let len = (rng.next() % 18) as usize;
                // Two letters: ids of one length often differ in a single byte.
                (0..len)
                    .map(|_| if rng.next() % 6 == 0 { 'b' } else { 'a' })
                    .collect()
            })
            .collect();
        let mut inline_pairs = 0;
        for a in &ids {
            for b in &ids {
                let (x, y) = (Id::from(a.as_str()), Id::from(b.as_str()));
                assert_eq!(x == y, a == b, "{a:?} {b:?}");
                inline_pairs += usize::from(a.len() <= INLINE && b.len() <= INLINE);
            }
        }
        assert!(inline_pairs > 200_000, "{inline_pairs} inline pairs");
    }
}
