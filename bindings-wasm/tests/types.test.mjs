// The generated TypeScript declarations type-check against a small program using the API.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TSC = fileURLToPath(new URL("../node_modules/.bin/tsc", import.meta.url));

test("pkg/htx_rules_wasm.d.ts: tsc --noEmit on types-check.ts", () => {
  const r = spawnSync(TSC, ["--noEmit", "-p", `${HERE}tsconfig.json`], { encoding: "utf8" });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
