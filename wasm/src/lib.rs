//! The WebAssembly door of salesops.
//!
//! It translates and nothing else: a JS string or object in, [`salesops::ops::call`], a
//! JS string or object out. Failures are thrown as real `Error` objects whose `code` is
//! the stable error code (`"invalid_input"`, …) and, where the error names one, whose
//! `field` is the path of the offending field. Documents cross as JSON text, so decimals
//! stay strings on both sides and no float ever touches money.

use salesops::Error;
use wasm_bindgen::prelude::*;

// TypeScript types of every document, one file per engine. Each file extends the `Ops`
// interface (declaration merging), which maps every op name to its input and output.
#[wasm_bindgen(typescript_custom_section)]
const TS_FOUNDATION: &str = include_str!("../ts/foundation.d.ts");
#[wasm_bindgen(typescript_custom_section)]
const TS_PIPELINE: &str = include_str!("../ts/pipeline.d.ts");
#[wasm_bindgen(typescript_custom_section)]
const TS_COMMISSION: &str = include_str!("../ts/commission.d.ts");
#[wasm_bindgen(typescript_custom_section)]
const TS_REORDER: &str = include_str!("../ts/reorder.d.ts");

// The thrown error, with `code` and `field` set through plain property setters: one
// boundary crossing each, where `Reflect.set` also crossed to create the key string and went
// through a try/catch wrapper.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(extends = js_sys::Error, js_name = Error)]
    type SalesopsError;
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> SalesopsError;
    #[wasm_bindgen(method, setter = name)]
    fn set_name(this: &SalesopsError, name: &str);
    #[wasm_bindgen(method, setter = code)]
    fn set_code(this: &SalesopsError, code: &str);
    #[wasm_bindgen(method, setter = field)]
    fn set_field(this: &SalesopsError, field: &str);
}

fn to_js_error(e: &Error) -> JsValue {
    let err = SalesopsError::new(&e.to_string());
    err.set_name("SalesopsError");
    err.set_code(e.code().as_str());
    if let Some(field) = e.field() {
        err.set_field(field);
    }
    err.into()
}

/// Run operation `op` on a JSON text; returns the canonical JSON output text.
/// Throws an `Error` with `.code` (and `.field`) on failure.
#[wasm_bindgen(js_name = callJson, skip_typescript)]
pub fn call_json(op: &str, input: &str) -> Result<String, JsValue> {
    salesops::ops::call(op, input).map_err(|e| to_js_error(&e))
}

/// Run operation `op` on a document given as a JS value; returns the output document as a
/// JS value. Decimals must be strings (`"12.50"`), exactly as in JSON.
#[wasm_bindgen(skip_typescript)]
pub fn call(op: &str, input: JsValue) -> Result<JsValue, JsValue> {
    let text = js_sys::JSON::stringify(&input)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| {
            to_js_error(&Error::invalid(
                ".",
                "the input cannot be written as JSON (undefined, a function, a BigInt or a cycle)",
            ))
        })?;
    let out = call_json(op, &text)?;
    js_sys::JSON::parse(&out).map_err(|_| {
        to_js_error(&Error::Internal {
            reason: "output is not JSON".into(),
        })
    })
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// A valid input document (JSON text) for operation `op`, as `salesops --example OP`
/// prints it. Throws `unknown_op` for a name that is not in the table.
#[wasm_bindgen(js_name = opExample)]
pub fn op_example(op: &str) -> Result<String, JsValue> {
    salesops::ops::find(op)
        .map(|o| o.example.to_string())
        .map_err(|e| to_js_error(&e))
}

/// The names of every operation, in table order.
#[wasm_bindgen(js_name = listOps)]
pub fn list_ops() -> Vec<String> {
    salesops::ops::table()
        .map(|op| op.name.to_string())
        .collect()
}

/// Run `op` on `input` `times` times inside the module and return the last output length
/// (benches only: it measures computing in WASM without crossing the JS boundary).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchOp, skip_typescript)]
pub fn bench_op(op: &str, input: &str, times: u32) -> Result<usize, JsValue> {
    let op = salesops::ops::find(op).map_err(|e| to_js_error(&e))?;
    let mut len = 0;
    for _ in 0..times {
        len = op.call(input).map_err(|e| to_js_error(&e))?.len();
    }
    Ok(len)
}

/// Apply the pipeline bench's guarded won move `n` times inside the module; returns the
/// effects planned (benches only: compares computing in WASM with native on the same code).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchPipelineMoves, skip_typescript)]
pub fn bench_pipeline_moves(n: u32) -> Result<usize, JsValue> {
    thread_local! {
        // Built once, so the figure is the moves alone, as natively.
        static WORK: Result<salesops_workloads::PipelineMoves, Error> = salesops_workloads::PipelineMoves::new();
    }
    WORK.with(|w| w.as_ref().map(|w| w.run(n)).map_err(to_js_error))
}

#[cfg(feature = "bench")]
thread_local! {
    /// The commission bench's input, checked by `benchCommissionPrepare`.
    static COMMISSION: std::cell::RefCell<Option<salesops::commission::Compute>> =
        const { std::cell::RefCell::new(None) };
}

/// Generate and check the commission bench's input (`credits` credits, `payees` payees)
/// inside the module (benches only; `benches/compare/commission_wasm.js` times
/// `benchCommissionCompute` on it, as the native bench times `compute`).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchCommissionPrepare, skip_typescript)]
pub fn bench_commission_prepare(credits: usize, payees: usize) -> Result<(), JsValue> {
    let spec = salesops_workloads::commission::commission_quarter(credits, payees);
    let checked = salesops::commission::Compute::new(spec).map_err(|e| to_js_error(&e))?;
    COMMISSION.with(|c| *c.borrow_mut() = Some(checked));
    Ok(())
}

/// `commission::compute` on the prepared input; returns the number of lines (benches only).
#[cfg(feature = "bench")]
#[wasm_bindgen(js_name = benchCommissionCompute, skip_typescript)]
pub fn bench_commission_compute() -> Result<usize, JsValue> {
    COMMISSION.with(|c| match &*c.borrow() {
        None => Err(JsValue::from_str("call benchCommissionPrepare first")),
        Some(input) => salesops::commission::compute(input)
            .map(|s| s.iter().map(|s| s.lines.len()).sum())
            .map_err(|e| to_js_error(&e)),
    })
}
