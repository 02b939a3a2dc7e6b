// The WASM door runs every golden vector under Node (node --test), comparing the output
// text byte for byte with the canonical form of the expected document.
// SALESOPS_WASM_PKG points at the wasm-bindgen --target nodejs output directory.
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const pkg = process.env.SALESOPS_WASM_PKG || path.join(__dirname, "../../target/wasm-pkg/nodejs");
const salesops = require(path.join(pkg, "salesops_wasm.js"));
const vectorsDir = path.join(__dirname, "../vectors");

// Canonical JSON as the library writes it: compact, object keys sorted by code point.
function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

const files = fs.readdirSync(vectorsDir).filter((f) => f.endsWith(".json")).sort();
let count = 0;
for (const file of files) {
  const cases = JSON.parse(fs.readFileSync(path.join(vectorsDir, file), "utf8"));
  for (const c of cases) {
    count++;
    test(`${file}: ${c.name}`, () => {
      const input = c.input_raw !== undefined ? c.input_raw : JSON.stringify(c.input);
      if (c.expected !== undefined) {
        assert.strictEqual(salesops.callJson(c.op, input), canonical(c.expected));
      } else {
        assert.throws(
          () => salesops.callJson(c.op, input),
          (e) => {
            assert.ok(e instanceof Error, "thrown value is an Error");
            assert.strictEqual(e.code, c.error, e.message);
            if (c.field !== undefined) assert.strictEqual(e.field, c.field, e.message);
            return true;
          },
        );
      }
    });
  }
}

test("the object door gives the same documents as the JSON door", () => {
  const input = { total: { amount: "100.00", currency: "USD" }, weights: ["1", "1", "1"] };
  const viaObject = salesops.call("money.allocate", input);
  assert.strictEqual(canonical(viaObject), salesops.callJson("money.allocate", JSON.stringify(input)));
  assert.throws(() => salesops.call("money.allocate", { x: 1n }), (e) => e instanceof Error && e.code === "invalid_input");
  assert.throws(() => salesops.call("money.allocate", undefined), (e) => e instanceof Error && e.code === "invalid_input");
});

test("every op in the table is declared in the TypeScript types", () => {
  const dts = fs.readFileSync(path.join(pkg, "salesops_wasm.d.ts"), "utf8");
  for (const op of salesops.listOps()) assert.ok(dts.includes(`"${op}":`), `${op} missing from the .d.ts`);
  assert.strictEqual(salesops.version(), JSON.parse(salesops.callJson("meta.version", "{}")).version);
});

test.after(() => {
  const dir = path.join(__dirname, "../../target/vectors");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "node.count"), String(count));
});
