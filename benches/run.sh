#!/usr/bin/env bash
# Runs every bench and prints the figures the README reports: criterion timings, the
# door ratios, and the WASM module's size raw and gzipped. Not part of the test command
# (timings belong here, never in tests). Pass --quick for a shorter run.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=()
[ "${1:-}" = "--quick" ] && quick=(-- --warm-up-time 1 --measurement-time 3)
cargo bench -p salesops-benches "${quick[@]}" 2>&1 | grep -vE '^\s*$|Warming|Collecting|Analyzing|Benchmarking'
cargo build -p salesops-wasm --target wasm32-unknown-unknown --profile wasm --quiet
WASM=target/wasm32-unknown-unknown/wasm/salesops_wasm.wasm
mkdir -p target/wasm-pkg
wasm-bindgen --target nodejs --out-dir target/wasm-pkg/nodejs "$WASM"
BG=target/wasm-pkg/nodejs/salesops_wasm_bg.wasm
printf 'wasm module: %s bytes raw, %s bytes gzipped (-9)\n' "$(wc -c <"$BG")" "$(gzip -9c "$BG" | wc -c)"
SALESOPS_WASM_PKG="$PWD/target/wasm-pkg/nodejs" node benches/wasm/doors.cjs
# The same ops looped inside the module: the cost of computing in WASM without the JS boundary.
cargo build -p salesops-wasm --target wasm32-unknown-unknown --profile wasm --features bench \
  --target-dir target/wasm-bench --quiet
wasm-bindgen --target nodejs --out-dir target/wasm-pkg/bench target/wasm-bench/wasm32-unknown-unknown/wasm/salesops_wasm.wasm
SALESOPS_WASM_PKG="$PWD/target/wasm-pkg/bench" node benches/wasm/doors.cjs --inside
