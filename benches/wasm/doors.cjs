// Every operation's example through the WASM door under Node, against the native figures
// that `cargo bench --bench doors` left in target/bench/doors-native.json.
//   node benches/wasm/doors.cjs [--inside] [filter]
// --inside loops inside the module (a build with the `bench` feature), so the figure is the
// cost of computing in WASM without crossing the JS boundary.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const pkg = process.env.SALESOPS_WASM_PKG || path.join(__dirname, "../../target/wasm-pkg/nodejs");
const salesops = require(path.join(pkg, "salesops_wasm.js"));
const nativeFile = path.join(__dirname, "../../target/bench/doors-native.json");
const native = fs.existsSync(nativeFile) ? JSON.parse(fs.readFileSync(nativeFile, "utf8")) : {};
const inside = process.argv.includes("--inside");
const filter = process.argv.slice(2).find((a) => !a.startsWith("--"));

// Median per-call µs over 21 batches of about 5 ms each, after about 0.3 s of warm-up: V8
// first runs WASM code from its baseline compiler (Liftoff) and swaps in optimized code
// (TurboFan) only once a function is hot, so timing from the first call measured partly
// baseline code (the pipeline moves alone read 4.4x native, 1.2x once warm).
function median(run) {
  const start = process.hrtime.bigint();
  for (let n = 1; process.hrtime.bigint() - start < 300000000n; n = Math.min(n * 2, 100000)) run(n);
  let t = process.hrtime.bigint();
  run(1);
  const once = Math.max(Number(process.hrtime.bigint() - t), 50);
  const per = Math.min(Math.max(Math.floor(5e6 / once), 1), 100000);
  const times = [];
  for (let r = 0; r < 21; r++) {
    t = process.hrtime.bigint();
    run(per);
    times.push(Number(process.hrtime.bigint() - t) / per);
  }
  times.sort((a, b) => a - b);
  return times[10] / 1000;
}

const label = inside ? "WASM inside µs" : "WASM door µs";
console.log(`${"op (its example)".padEnd(26)} ${label.padStart(15)} ${"native µs".padStart(10)} ${"ratio".padStart(7)}`);
const ratios = [];
for (const op of salesops.listOps()) {
  if (filter && !op.includes(filter)) continue;
  const input = salesops.opExample(op);
  const us = median(inside ? (n) => salesops.benchOp(op, input, n) : (n) => {
    for (let i = 0; i < n; i++) salesops.callJson(op, input);
  });
  const n = native[op] ? native[op].rust_us : NaN;
  if (n) ratios.push(us / n);
  console.log(`${op.padEnd(26)} ${us.toFixed(2).padStart(15)} ${n.toFixed(2).padStart(10)} ${(us / n).toFixed(2).padStart(7)}`);
}
if (inside && salesops.benchPipelineMoves) {
  const us = median((n) => salesops.benchPipelineMoves(n));
  const n = native["workload.pipeline_moves"] ? native["workload.pipeline_moves"].rust_us : NaN;
  console.log(`${"workload.pipeline_moves".padEnd(26)} ${us.toFixed(3).padStart(15)} ${n.toFixed(3).padStart(10)} ${(us / n).toFixed(2).padStart(7)}  (guarded won moves, no JSON)`);
}
ratios.sort((a, b) => a - b);
if (ratios.length) console.log(`median ratio to native (${inside ? "inside the module" : "through the JS door"}): ${ratios[ratios.length >> 1].toFixed(2)}`);
