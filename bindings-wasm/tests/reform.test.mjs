// Reforms in the browser build: Engine.withReform, reforms(), decisions naming the reform.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
// the full module: the small one (the package's default) takes no reform (api.test.mjs)
import { FullEngine as Engine } from "./wasm.mjs";

const HTX_MIN_7 = readFileSync(new URL("../../examples/reforms/htx-min-7.toml", import.meta.url), "utf8");
const COOP = { id: "x", kind: "htx", members: { total: 6 } };
const base = new Engine();

function minimum(engine, asOf = "2025-06-30") {
  return engine.evaluate("cooperative", COOP, asOf)[0].decisions.meets_membership_minimum;
}

test("withReform: an object of parameter values, on a new engine", () => {
  const r = base.withReform({ htx_min_members: [{ from: "2024-07-01", value: 7 }] });
  assert.equal(minimum(base).outcome, "yes");
  assert.equal(minimum(r).outcome, "no");
  assert.equal(minimum(r).target, 7);
  assert.deepEqual(minimum(r).reforms, ["reform"]);
  assert.equal(minimum(base).reforms, undefined);
  assert.deepEqual(base.reforms(), []);
  assert.equal(r.reforms()[0].title.en, "Hypothetical reform: htx_min_members");
});

test("withReform: a reform file's TOML text; explain shows the reformed value", () => {
  const r = base.withReform(HTX_MIN_7);
  assert.equal(r.reforms()[0].id, "htx-min-7");
  assert.match(r.explainText("htx_min_members", "en"), /2024-07-01 \.\. …: 7 \[reform htx-min-7\]/);
  // stacked: a second reform on top
  const two = r.withReform({ htx_min_members: [{ from: "2025-01-01", value: 9 }] });
  assert.deepEqual(two.reforms().map((x) => x.id), ["htx-min-7", "reform"]);
  assert.equal(minimum(two, "2025-06-30").target, 9);
});

test("withReform: a reform that does not check is a PackError with its line and column", () => {
  assert.throws(
    () => base.withReform({ htx_min_membres: 7 }),
    (e) => {
      assert.equal(e.name, "PackError");
      const d = e.diagnostics[0];
      assert.equal(d.code, "reform.parameter");
      assert.match(d.message.en, /did you mean `htx_min_members`/);
      assert.equal(typeof d.line, "number");
      return true;
    },
  );
  assert.throws(() => base.withReform({ x: null }), (e) => e.code === "input.json");
});
