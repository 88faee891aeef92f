// The browser binding recovers (issue 9.6): inputs over the documented size are refused before
// they enter wasm memory, and after a real trap (out of memory inside the Rust allocator) the
// module instance is rebuilt so that the next call answers — including a call that a poisoned
// instance could not take.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import small, { Engine, FullEngine, full, fullGlue, glue, maxInputLength, parseAmount, today } from "./wasm.mjs";

const RULES = fileURLToPath(new URL("../../rules/", import.meta.url));
/** A pack of the repository as fromSources wants it: {"pack-id/file.toml": text}. */
function packSources(id) {
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".toml")) files[relative(RULES, p).replaceAll("\\", "/")] = readFileSync(p, "utf8");
    }
  };
  walk(join(RULES, id));
  return files;
}

const COOP = { kind: "htx", workers: { total: 10, female: 7 }, managers: [{ role: "director", gender: "female" }] };
const memory = (g = glue) => g.initSync().memory;

/** Grows the module's memory to the most the JS engine grants (4 GiB in V8: address space
 * only, nothing is touched), as on a device that has no more memory to give: the allocator's
 * next request for fresh memory then fails for real, and Rust aborts (`unreachable`). */
function exhaustMemory(g = glue) {
  const m = memory(g);
  for (let pages = 1 << 15; pages >= 1; ) {
    try {
      m.grow(pages);
    } catch {
      pages >>= 1;
    }
  }
  return m.buffer.byteLength;
}

/** Runs `fn`, expecting an HtxRulesError with `code`; returns it. */
function thrownCode(fn, code) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, `a real Error: ${e}`);
    assert.equal(e.name, "HtxRulesError");
    assert.equal(e.code, code, e.message);
    assert.equal(typeof e.messages?.vi, "string");
    assert.equal(typeof e.messages?.en, "string");
    assert.ok(e.message.includes(e.messages.vi) && e.message.includes(e.messages.en));
    return e;
  }
  assert.fail(`expected an error with code ${code}`);
}

// First in this file (node runs each test file in its own process): each module is fresh, so its
// allocator holds only a little memory and the big input below needs fresh memory for real. Both
// modules recover (they share engine.js); the full one also rebuilds an engine made from texts.
describe("after a trap", () => {
  for (const [label, mod, g] of [["small module", small, glue], ["full module", full, fullGlue]]) {
  test(`${label}: out of memory: the call throws wasm.trap, the instance is rebuilt, the next call answers`, () => {
    const { Engine, maxInputLength, parseAmount, today } = mod;
    const memory = () => g.initSync().memory;
    const engine = new Engine();
    const custom = mod === full ? Engine.fromSources(packSources("vn-law"), "vn-law") : undefined;
    const POOR = { gender: "female", household: { area: "rural", income_per_person_month_vnd: "1,4 triệu", deprivations: 3 } };
    const poor = (p) => custom ? custom.evaluate("person", p, "2025-06-30")[0].decisions.poor_household.outcome : "yes";
    const doomed = new Engine(); // freed after the trap: must not free memory of the new instance
    assert.equal(poor(POOR), "yes");
    // A record a fresh module takes (its name does not change any decision), within the size
    // limit but ~12 MiB as UTF-8 ("₫" is 3 bytes): more than this young instance holds.
    const big = { ...COOP, name: "₫".repeat(maxInputLength() - 1000) };
    const expected = engine.evaluate("cooperative", COOP, "2025-06-30");
    const young = memory().buffer.byteLength;
    assert.ok(young < 8 << 20, `a young instance (${young} bytes)`);
    // No memory left: the allocator's request fails for real inside Rust, which aborts.
    assert.ok(exhaustMemory(g) > 1 << 30, "memory grown to the engine's limit");
    const e = thrownCode(() => engine.evaluate("cooperative", big, "2025-06-30"), "wasm.trap");
    assert.ok(e.cause instanceof WebAssembly.RuntimeError, `the cause is the trap: ${e.cause}`);
    assert.match(String(e.cause), /unreachable/);
    doomed.free();
    // A new instance with its own memory; the same engine objects answer — the big record too,
    // which the poisoned instance could not take.
    assert.ok(memory().buffer.byteLength < 1 << 30, "a new instance with its own memory");
    assert.deepEqual(engine.evaluate("cooperative", big, "2025-06-30"), expected);
    assert.equal(engine.validate("cooperative", COOP, "vi", "2025-06-30").valid, true);
    assert.equal(poor(POOR), "yes", "rebuilt from its sources");
    if (custom) assert.equal(poor({ ...POOR, household: { ...POOR.household, income_per_person_month_vnd: "1tr6" } }), "no");
    assert.match(today(), /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(parseAmount("1,8 triệu"), "1800000");
    // new engines, freed again and again: no finalizer of the old instance touches the new one
    for (let i = 0; i < 20; i++) new Engine().free();
    assert.equal(new Engine().evaluate("cooperative", COOP, "2025-06-30")[0].decisions.many_female_jobs.outcome, "yes");
    engine.free();
    custom?.free();
  });
  }

  test("errors that are not traps pass through unchanged and rebuild nothing", () => {
    const engine = new Engine();
    const m = memory();
    thrownCode(() => engine.evaluate("ship", {}), "entity.unknown");
    assert.equal(memory(), m, "same instance");
  });
});

describe("inputs over the documented size", () => {
  test("maxInputLength is 4 Mi UTF-16 code units", () => {
    assert.equal(maxInputLength(), 4 * 1024 * 1024);
  });

  test("records: refused with input.too_large, in Vietnamese and English, before entering wasm memory", () => {
    const engine = new Engine();
    const big = { ...COOP, name: "x".repeat(maxInputLength()) };
    const before = memory().buffer.byteLength;
    const e = thrownCode(() => engine.evaluate("cooperative", big, "2025-06-30"), "input.too_large");
    assert.match(e.messages.vi, /quá lớn/);
    assert.match(e.messages.en, /too large/);
    thrownCode(() => engine.validate("cooperative", big, "vi", "2025-06-30"), "input.too_large");
    // an array of records counts as a whole
    const many = Array.from({ length: 3 }, () => ({ ...COOP, name: "y".repeat(maxInputLength() / 2) }));
    thrownCode(() => engine.evaluate("cooperative", many, "2025-06-30"), "input.too_large");
    assert.equal(memory().buffer.byteLength, before, "the text was never copied into wasm memory");
    // just under the limit is taken
    const fits = { ...COOP, name: "z".repeat(maxInputLength() - JSON.stringify(COOP).length - 20) };
    assert.equal(engine.evaluate("cooperative", fits, "2025-06-30")[0].decisions.many_female_jobs.outcome, "yes");
  });

  test("pack sources: the files together count", () => {
    const files = { "p/pack.toml": "[pack]\nid = \"p\"\n", "p/big.toml": "#".repeat(maxInputLength()) };
    thrownCode(() => FullEngine.fromSources(files, "p"), "input.too_large");
  });

  test("parseAmount: a long text is no amount (null), not an error", () => {
    assert.equal(parseAmount("1".repeat(10_000)), null);
  });
});
