// Replays the shared conformance corpus (tests/conformance/*.json at the repository root) against
// the wasm build: the same cases the Rust and Python runners replay.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Engine } from "./wasm.mjs";

const CORPUS = fileURLToPath(new URL("../../tests/conformance/", import.meta.url));
const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith(".json")).sort() : [];
const engine = new Engine();

if (files.length === 0) {
  test("conformance corpus", { skip: `no cases yet in ${CORPUS}` }, () => {});
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(CORPUS + file, "utf8"));
  describe(`conformance/${file}`, () => {
    test("is an array of cases", () => assert.ok(Array.isArray(cases)));
    for (const [i, c] of (Array.isArray(cases) ? cases : []).entries()) {
      test(c.name ?? `case ${i}`, () => {
        const asOf = c.as_of ?? undefined;
        // a case given as JSON text (a key twice, NaN) is passed as text; `options` as they are
        const input = c.text ?? c.record;
        const options = c.options ?? undefined;
        if (c.op === "evaluate") {
          const got = engine.evaluate(c.entity, input, asOf, options);
          assert.deepStrictEqual(got, c.expected);
          if (c.ignored) assert.deepStrictEqual(got.ignored, c.ignored);
          if (c.text && c.record) {
            // the same record as an object answers the same
            assert.deepStrictEqual(engine.evaluate(c.entity, c.record, asOf, options), c.expected);
          }
        } else if (c.op === "validate") {
          assert.deepStrictEqual(engine.validate(c.entity, input, undefined, asOf, options), c.expected);
        } else {
          assert.fail(`unknown op ${JSON.stringify(c.op)}`);
        }
      });
    }
  });
}
