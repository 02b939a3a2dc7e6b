#!/usr/bin/env node
// The commission bench inside the WebAssembly module, under Node: the same generated
// input as benches/benches/commission.rs (1,000,000 credits and 1,000 payees by default),
// checked inside the module, then `compute` timed from JS (best of 3, as natively).
//
//   cargo build -p salesops-wasm --target wasm32-unknown-unknown --profile wasm --features bench \
//     --target-dir target/wasm-bench
//   wasm-bindgen --target nodejs --out-dir target/wasm-pkg/bench \
//     target/wasm-bench/wasm32-unknown-unknown/wasm/salesops_wasm.wasm
//   node benches/compare/commission_wasm.js target/wasm-pkg/bench [credits [payees]]
//
// Prints the best time, the line count (to compare with the native bench) and the peak
// resident memory of the Node process, which holds the module's memory.

"use strict";
const path = require("path");
const dir = process.argv[2];
const credits = Number(process.argv[3] || 1000000);
const payees = Number(process.argv[4] || 1000);
if (!dir) {
  console.error("usage: commission_wasm.js <wasm-bindgen nodejs output dir of a bench build> [credits [payees]]");
  process.exit(2);
}
const wasm = require(path.resolve(dir, "salesops_wasm.js"));
if (!wasm.benchCommissionPrepare) {
  console.error("this module was built without the `bench` feature");
  process.exit(2);
}
let t = process.hrtime.bigint();
wasm.benchCommissionPrepare(credits, payees);
const prepare = Number(process.hrtime.bigint() - t) / 1e9;
let best = Infinity;
let lines = 0;
for (let r = 0; r < 3; r++) {
  t = process.hrtime.bigint();
  lines = wasm.benchCommissionCompute();
  best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
}
console.log(`commission in WASM: ${credits} credits, ${payees} payees -> ${lines} lines; ` +
  `generate and validate ${prepare.toFixed(2)} s, compute ${best.toFixed(3)} s (best of 3); ` +
  `peak RSS of node ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
