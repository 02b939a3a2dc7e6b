// Call salesops from Node through the WASM door.
//   ./scripts/test.sh builds target/wasm-pkg/nodejs; then: node examples/node/demo.cjs
"use strict";
const path = require("node:path");
const pkg = process.env.SALESOPS_WASM_PKG || path.join(__dirname, "../../target/wasm-pkg/nodejs");
const salesops = require(path.join(pkg, "salesops_wasm.js"));

console.log("salesops", salesops.version());
const { parts } = salesops.call("money.allocate", {
  total: { amount: "100.00", currency: "USD" },
  weights: ["1", "1", "1"],
});
console.log("split:", parts.map((p) => p.amount).join(" + "), "= 100.00");
try {
  salesops.call("money.convert", {
    money: { amount: "10.00", currency: "USD" }, to: "EUR", on: "2026-01-01", rates: [],
  });
  process.exit(1);
} catch (e) {
  if (!(e instanceof Error) || e.code !== "not_found") throw e;
  console.log("refused:", e.code, "-", e.message);
}
