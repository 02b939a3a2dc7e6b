// Writes target/types-check/vectors.ts: every golden vector's input and expected output
// as a typed constant, `const x: Ops["op"]["input"] = {...}`, so that `tsc` proves the
// TypeScript types shipped with the WASM module describe the documents the library really
// reads and writes (object literals get excess-property checks: a misnamed field fails).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const root = path.join(__dirname, "../..");
const pkg = process.env.SALESOPS_WASM_PKG || path.join(root, "target/wasm-pkg/nodejs");
const out = path.join(root, "target/types-check");
fs.mkdirSync(out, { recursive: true });
fs.copyFileSync(path.join(pkg, "salesops_wasm.d.ts"), path.join(out, "salesops_wasm.d.ts"));
const lines = ['import type { Ops } from "./salesops_wasm";', ""];
let n = 0;
const dir = path.join(root, "tests/vectors");
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
  for (const c of JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))) {
    if (c.expected === undefined || c.input === undefined) continue;
    const op = JSON.stringify(c.op);
    lines.push(`// ${file}: ${c.name.replace(/\n/g, " ")}`);
    lines.push(`export const in${n}: Ops[${op}]["input"] = ${JSON.stringify(c.input)};`);
    lines.push(`export const out${n}: Ops[${op}]["output"] = ${JSON.stringify(c.expected)};`);
    n++;
  }
}
fs.writeFileSync(path.join(out, "vectors.ts"), lines.join("\n") + "\n");
fs.writeFileSync(
  path.join(out, "tsconfig.json"),
  JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2020", module: "commonjs", skipLibCheck: false }, files: ["vectors.ts"] }),
);
console.log(`types: ${n} vectors written for tsc`);
