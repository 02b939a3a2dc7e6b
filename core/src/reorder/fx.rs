//! A small, fast, non-cryptographic hasher for the sets of one request (the duplicate
//! item and location check), in the manner of rustc's FxHash but with a folded
//! multiply per 8 bytes (one widening multiply and a xor), which spreads every input
//! bit over the whole hash, so typical names (`SKU-1`, `SKU-2`, ...) neither share
//! buckets nor need comparing.
//!
//! Requests come from the host itself, and a set keyed by this hash still compares the
//! keys, so a collision costs time, never a wrong answer; std's SipHash (built to resist
//! flooding by strangers) cost about 270 instructions per item here.

use std::hash::{BuildHasherDefault, Hasher};

/// The multiplier of rustc-hash 2 (an odd constant with well-spread bits).
const K: u64 = 0xf135_7aea_2e62_a9c5;

/// FxHash-style hasher.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

/// Builds [`Fx`] hashers for `HashSet`/`HashMap`.
pub(crate) type FxBuild = BuildHasherDefault<Fx>;

impl Fx {
    /// Mix in one word: a widening multiply folded back onto itself. FxHash's plain
    /// `(h.rotate_left(5) ^ w) · K` let one name in 13 collide with another (in all 64
    /// bits) among `SKU-0` .. `SKU-99999`, because it carries bits only upwards.
    #[inline]
    fn add(&mut self, word: u64) {
        let p = u128::from(self.0 ^ word) * u128::from(K);
        self.0 = (p as u64) ^ ((p >> 64) as u64);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // Folded byte by byte, as the little-endian word of the bytes padded with
            // zeros: copied into a zeroed word, they were a call to `memcpy` and then a
            // load the processor could not forward from its small stores, the largest
            // single stall of an evaluation (perf, 1M SKUs).
            let w = rest
                .iter()
                .rev()
                .fold(0u64, |w, &b| (w << 8) | u64::from(b));
            self.add(w);
        }
        self.add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::hash::BuildHasher;

    /// Typical names (differing in their last digits only, of several lengths) do not
    /// collide.
    #[test]
    fn typical_names_do_not_collide() {
        let build = FxBuild::default();
        let n = 200_000;
        let hashes: HashSet<u64> = (0..n)
            .map(|i| build.hash_one((format!("SKU-{i}").as_str(), "WH")))
            .chain((0..n).map(|i| build.hash_one(("SKU-1", format!("WH-{i}").as_str()))))
            .collect();
        assert_eq!(hashes.len(), 2 * n);
    }

    /// Names that differ only in their last digits spread over the table's low bits.
    #[test]
    fn low_bits_spread() {
        let build = FxBuild::default();
        let buckets: HashSet<u64> = (0..4096)
            .map(|i| build.hash_one((format!("SKU-{i}").as_str(), "WH")) & 4095)
            .collect();
        assert!(buckets.len() > 2000, "{} buckets of 4096", buckets.len());
    }
}
