// The WASM door's cost on the same call the native door bench uses (money.allocate).
"use strict";
const path = require("node:path");
const pkg = process.env.SALESOPS_WASM_PKG || path.join(__dirname, "../../target/wasm-pkg/nodejs");
const salesops = require(path.join(pkg, "salesops_wasm.js"));
const doc = JSON.stringify({ total: { amount: "1000.00", currency: "USD" }, weights: ["1", "1", "1"] });
function median(f, runs, per) {
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < per; i++) f();
    times.push(Number(process.hrtime.bigint() - t) / per);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1];
}
const json = median(() => salesops.callJson("money.allocate", doc), 31, 2000);
const obj = median(() => salesops.call("money.allocate", JSON.parse(doc)), 31, 2000);
console.log(`wasm door: money.allocate callJson ${(json / 1000).toFixed(2)} µs, call (objects) ${(obj / 1000).toFixed(2)} µs`);
