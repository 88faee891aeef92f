// The size budget (deterministic, so asserted): the .wasm with the embedded pack, gzip -9 — what a
// browser downloads. HTX_WASM_BUDGET_KB overrides the 300 KB budget.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSize } from "./size.mjs";
import { WASM_PATH } from "./wasm.mjs";

const BUDGET_KB = Number(process.env.HTX_WASM_BUDGET_KB ?? 300);

test(`wasm with the embedded pack is at most ${BUDGET_KB} KB gzipped`, (t) => {
  const gz = gzipSize(WASM_PATH);
  t.diagnostic(`wasm ${readFileSync(WASM_PATH).length} bytes, gzip -9 ${gz} bytes (${(gz / 1024).toFixed(1)} KB); budget ${BUDGET_KB} KB`);
  assert.ok(gz <= BUDGET_KB * 1024, `${(gz / 1024).toFixed(1)} KB gzipped is over the ${BUDGET_KB} KB budget`);
});
