//! Examples and the command-line door of salesops; see `quickstart.rs` and `src/bin`.
