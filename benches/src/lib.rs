//! Benches live in `benches/`; run `cargo bench -p salesops-benches`.
