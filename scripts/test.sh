#!/usr/bin/env bash
# Runs every test of salesops, the same way on a laptop and in CI:
#   format, lints and docs; Rust unit, property and doc tests; the golden vectors through
#   the Rust door and the C door (strict C compiled by cc); the C door again under valgrind
#   and AddressSanitizer; the WASM door under Node; the TypeScript types checked by tsc
#   against every vector; the C, Python and Node examples.
# It installs what it lacks (the wasm32 target, wasm-bindgen-cli pinned to Cargo.lock's
# wasm-bindgen) and says what is missing when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s\n' "$*"; }
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "salesops test: missing \`$1\`: $2" >&2
  exit 1
}
need cargo "install Rust with rustup (https://rustup.rs)"
need rustup "install Rust with rustup (https://rustup.rs)"
need node "install Node.js 18 or newer"
need npm "install npm (it comes with Node.js)"
need python3 "install Python 3"
need cc "install a C compiler (on Debian: apt-get install gcc)"

step "toolchain: wasm32 target and wasm-bindgen-cli"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
cargo metadata --format-version 1 >/dev/null # makes sure Cargo.lock exists
WB=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
[ -n "$WB" ] || { echo "salesops test: cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
HAVE=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$HAVE" != "$WB" ]; then
  echo "installing wasm-bindgen-cli $WB (found: ${HAVE:-none}); this takes about two minutes"
  # Not --locked: the CLI's lock file names versions this registry does not serve.
  cargo install wasm-bindgen-cli --version "$WB"
fi

step "format, lints, docs"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "Rust: unit, property and doc tests; golden vectors through the Rust and C doors"
rm -rf target/vectors
cargo test --workspace

step "C door: standalone strict-C runner under valgrind and AddressSanitizer"
cargo build -p salesops-ffi --quiet
C_SRC=(tests/c/main.c tests/c/runner.c tests/c/edge.c)
C_FLAGS=(-std=c11 -Wall -Wextra -Werror -g -pthread -Iffi/include)
LIBS=(target/debug/libsalesops_ffi.a -lpthread -ldl -lm)
CASES=target/vectors/cases.tsv
cc "${C_FLAGS[@]}" "${C_SRC[@]}" "${LIBS[@]}" -o target/vectors/c-runner
if command -v valgrind >/dev/null 2>&1; then
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect --show-possibly-lost=no \
    --error-exitcode=1 target/vectors/c-runner "$CASES" | tee target/vectors/valgrind.log
  grep -o '^c door: [0-9]*' target/vectors/valgrind.log | awk '{print $3}' >target/vectors/valgrind.count
else
  echo "valgrind not found: skipped (on Debian: apt-get install valgrind)"
fi
cc "${C_FLAGS[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer "${C_SRC[@]}" "${LIBS[@]}" \
  -o target/vectors/c-runner-asan
nm target/vectors/c-runner-asan | grep __asan_init >/dev/null || { echo "ASan is not linked in" >&2; exit 1; }
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 target/vectors/c-runner-asan "$CASES" |
  tee target/vectors/asan.log
grep -o '^c door: [0-9]*' target/vectors/asan.log | awk '{print $3}' >target/vectors/asan.count

step "WASM door: build, bind, run every vector under Node"
cargo build -p salesops-wasm --target wasm32-unknown-unknown --profile wasm --quiet
WASM=target/wasm32-unknown-unknown/wasm/salesops_wasm.wasm
wasm-bindgen --target nodejs --out-dir target/wasm-pkg/nodejs "$WASM"
wasm-bindgen --target web --out-dir target/wasm-pkg/web "$WASM"
SALESOPS_WASM_PKG="$PWD/target/wasm-pkg/nodejs" node --test tests/node/

step "browser: the web build in headless Chromium (installed from Debian's packages if missing)"
./tests/browser/run.sh

step "TypeScript: every golden vector type-checks against the module's .d.ts"
(cd tests/types && npm ci --no-audit --no-fund --silent)
SALESOPS_WASM_PKG="$PWD/target/wasm-pkg/nodejs" node tests/types/gen.cjs
tests/types/node_modules/.bin/tsc -p target/types-check/tsconfig.json
echo "tsc: the types describe every vector's input and output"

step "examples: C, Python (ctypes) and Node callers"
cc -std=c11 -Wall -Wextra -Werror -Iffi/include examples/c/split_deal.c \
  target/debug/libsalesops_ffi.a -lpthread -ldl -lm -o target/vectors/split_deal
target/vectors/split_deal >/dev/null
SALESOPS_LIB=target/debug/libsalesops_ffi.so python3 examples/python/salesops_demo.py >/dev/null
SALESOPS_WASM_PKG="$PWD/target/wasm-pkg/nodejs" node examples/node/demo.cjs >/dev/null
echo "C, Python and Node examples ran"

step "summary"
count() { cat "target/vectors/$1.count" 2>/dev/null || echo 0; }
R=$(count rust) C=$(count c) V=$(count valgrind) A=$(count asan) N=$(count node)
printf 'golden vectors: rust %s, c %s, c under valgrind %s, c under asan %s, wasm under node %s\n' "$R" "$C" "$V" "$A" "$N"
if [ "$R" -gt 0 ] && [ "$R" = "$C" ] && [ "$R" = "$A" ] && [ "$R" = "$N" ] && { [ "$V" = 0 ] || [ "$V" = "$R" ]; }; then
  echo "vectors: $((R + C + V + A + N)) passed, 0 failed"
else
  echo "vectors: the doors ran different numbers of vectors" >&2
  exit 1
fi
