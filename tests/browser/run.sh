#!/usr/bin/env bash
# The browser door: serves the repository on loopback, loads examples/browser/ (the web
# build of the WASM module) in headless Chromium and checks the page split 100.00 USD
# three ways to the cent. Needs target/wasm-pkg/web (scripts/test.sh builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser test"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || true
  BROWSER=$(command -v chromium || true)
fi
if [ -z "$BROWSER" ]; then
  echo "browser door: skipped (no Chromium; on Debian: apt-get install chromium)"
  exit 0
fi
PORT=$((20000 + RANDOM % 20000))
python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$PROFILE"' EXIT
PROFILE=$(mktemp -d)
sleep 1
DOM=$(timeout 120 "$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$PROFILE" --virtual-time-budget=10000 --dump-dom \
  "http://127.0.0.1:$PORT/examples/browser/" 2>/dev/null)
if printf '%s' "$DOM" | tr -d '\n' | grep -q '33.34 USD33.33 USD33.33 USD\|33.34 USD.*33.33 USD.*33.33 USD'; then
  echo "browser door: the page split 100.00 USD into 33.34 + 33.33 + 33.33 in headless Chromium"
else
  echo "browser door: the page did not show the split; its DOM was:" >&2
  printf '%s\n' "$DOM" >&2
  exit 1
fi
