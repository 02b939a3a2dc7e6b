//! The tests' random numbers: xorshift64, seeded by each test so that a failure repeats.
//! Enough for comparing a fast path with its general one on many inputs; not for
//! anything else.

/// Marsaglia's xorshift64 (13, 7, 17) from a nonzero seed.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    /// The next number of the sequence.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
