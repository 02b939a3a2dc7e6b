#!/usr/bin/env node
// The reorder bench through the WebAssembly door, under Node.
//
//   cargo build -p salesops-wasm --target wasm32-unknown-unknown --profile wasm
//   wasm-bindgen --target nodejs --out-dir /tmp/salesops-node target/wasm32-unknown-unknown/wasm/salesops_wasm.wasm
//   node benches/compare/reorder_wasm.js /tmp/salesops-node 1000000
//
// Same data as benches/benches/reorder.rs (daily form), sent as JSON text in chunks of
// 10 000 SKUs through `callJson("reorder.evaluate", ...)`. The time counts what a browser
// or Node host pays: parsing the document in WebAssembly, evaluating, writing the output
// (the JSON texts are built outside the timed region). Prints the time, the number of
// proposals and units (to compare with the native bench and DuckDB), the peak resident
// memory of the Node process and the size of the WebAssembly memory.

"use strict";
const path = require("path");
const dir = process.argv[2];
const skus = Number(process.argv[3] || 10000);
if (!dir) {
  console.error("usage: reorder_wasm.js <wasm-bindgen nodejs output dir> [skus]");
  process.exit(2);
}
const wasm = require(path.resolve(dir, "salesops_wasm.js"));

const CHUNK = 10000;
const DAYS = 90;
const sold = (i, day) => (i * 7919 + day * 104729) % 13;

function item(i) {
  const daily = [];
  for (let day = 0; day < DAYS; day++) daily.push(String(sold(i, day)));
  return {
    item: `SKU-${i}`, location: "WH",
    stock: {
      on_hand: String((i * 31) % 200),
      supply: [{ id: "PO", kind: "purchase_order", quantity: String((i * 17) % 50) }],
      demand: [{ id: "SO", kind: "reserved", quantity: String((i * 13) % 30) }],
    },
    policy: { s_q: { quantity: String(50 + (i % 5) * 10) } },
    order: { min_quantity: "12", multiple: "6" },
    lead_time: { supplier_days: 3 + (i % 12) },
    demand: { history: { from: "2026-01-01", to: "2026-04-01", daily } },
    safety_stock: { z: "1.65" },
  };
}

let spent = 0n;
let proposals = 0;
let units = 0;
let peak = 0;
for (let lo = 0; lo < skus; lo += CHUNK) {
  const items = [];
  for (let i = lo; i < Math.min(lo + CHUNK, skus); i++) items.push(item(i));
  const text = JSON.stringify({ today: "2026-04-01", items });
  const t = process.hrtime.bigint();
  const out = wasm.callJson("reorder.evaluate", text);
  spent += process.hrtime.bigint() - t;
  const doc = JSON.parse(out);
  proposals += doc.proposals.length;
  for (const p of doc.proposals) units += Number(p.quantity);
  peak = Math.max(peak, process.memoryUsage().rss);
}
console.log(
  `wasm: ${skus} SKUs x ${DAYS} days evaluated in ${(Number(spent) / 1e9).toFixed(3)} s ` +
  `(JSON in and out included), ${proposals} proposals, ${units} units, ` +
  `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`
);
