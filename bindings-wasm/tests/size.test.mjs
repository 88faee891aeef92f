// The size budget (deterministic, so asserted): the package's default .wasm with the embedded pack
// compiled in, gzip -9 — what a browser downloads. HTX_WASM_BUDGET_KB overrides the 225 KB budget
// (195.8 KB on 2026-11-27, from 310.4 KB with the TOML reader; 209.8 KB on 2026-11-28 once the
// lowered rule form of issue 11.1 and the decoding reuse of 11.2 came in, +17.6 KB: the budget
// was 210 KB and is now 225 KB, a guard against the next regression, not a goal; issue 11.6 aims
// at 120 KB, not met yet: see the README's Size section). The small module carries no TOML parser (its pack was compiled at build time);
// the full one ("htx-rules/full") does, which shows the check below can see one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSize } from "./size.mjs";
import { FULL_WASM_PATH, WASM_PATH } from "./wasm.mjs";

const BUDGET_KB = Number(process.env.HTX_WASM_BUDGET_KB ?? 225);

test(`wasm with the embedded pack is at most ${BUDGET_KB} KB gzipped`, (t) => {
  const gz = gzipSize(WASM_PATH);
  t.diagnostic(`wasm ${readFileSync(WASM_PATH).length} bytes, gzip -9 ${gz} bytes (${(gz / 1024).toFixed(1)} KB); budget ${BUDGET_KB} KB`);
  const fullGz = gzipSize(FULL_WASM_PATH);
  t.diagnostic(`full module (htx-rules/full): ${readFileSync(FULL_WASM_PATH).length} bytes, gzip -9 ${fullGz} bytes (${(fullGz / 1024).toFixed(1)} KB)`);
  assert.ok(gz <= BUDGET_KB * 1024, `${(gz / 1024).toFixed(1)} KB gzipped is over the ${BUDGET_KB} KB budget`);
});

// Messages of the TOML parser (the toml_parser crate under toml): a module that can parse TOML
// has them in its data.
const TOML_PARSER_TEXTS = ["missing comma between array elements", "unclosed inline table", "extra comma in inline table"];

test("the small module has no TOML parser; the full one has", () => {
  const small = readFileSync(WASM_PATH).toString("latin1");
  const full = readFileSync(FULL_WASM_PATH).toString("latin1");
  for (const text of TOML_PARSER_TEXTS) {
    assert.ok(!small.includes(text), `the small module contains the TOML parser's "${text}"`);
    assert.ok(full.includes(text), `the full module lacks the TOML parser's "${text}" (is the check still right?)`);
  }
});
