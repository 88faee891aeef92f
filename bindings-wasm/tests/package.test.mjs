// pkg/ is an npm package (issue 12.6): `npm install <pkg>` into a fresh folder — offline, copying
// the files its package.json lists, as a registry install would — then node imports it by name,
// and TypeScript resolves its types through `exports`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = fileURLToPath(new URL("../pkg/", import.meta.url));
const TSC = fileURLToPath(new URL("../node_modules/.bin/tsc", import.meta.url));
const CARGO_TOML = fileURLToPath(new URL("../../Cargo.toml", import.meta.url));
const manifest = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
let dir;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: dir, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "htx-rules-npm-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // --offline: a local folder with no dependencies needs no network; --install-links: copy the
  // packed files (what `files` lists), not a symlink to pkg/.
  run("npm", ["install", "--offline", "--install-links", "--no-audit", "--no-fund", "--ignore-scripts", PKG]);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("package.json: name, the workspace version, types, exports, files", () => {
  const workspace = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(readFileSync(CARGO_TOML, "utf8"))?.[1];
  assert.equal(manifest.name, "htx-rules");
  assert.equal(manifest.version, workspace);
  assert.equal(manifest.type, "module");
  assert.equal(manifest.types, "./htx_rules.d.ts");
  assert.deepEqual(manifest.exports["."], { types: "./htx_rules.d.ts", default: "./htx_rules.js" });
  assert.ok(manifest.files.includes("htx_rules_wasm_bg.wasm"));
  assert.deepEqual(manifest.exports["./full"], { types: "./full.d.ts", default: "./full.js" });
  for (const f of ["engine.js", "full.js", "full.d.ts", "htx_rules_full_wasm.js", "htx_rules_full_wasm_bg.wasm"]) {
    assert.ok(manifest.files.includes(f), f);
  }
  assert.equal(manifest.dependencies, undefined, "no dependencies");
});

test("installed in a fresh folder, node imports it by name and it answers", () => {
  writeFileSync(join(dir, "use.mjs"), `
    import init, { Engine, parseAmount, version } from "htx-rules";
    await init();
    const engine = new Engine();
    const [r] = engine.evaluate("cooperative", { kind: "htx", workers: { total: 10, female: 7 } }, "2025-06-30");
    const full = await import("htx-rules/full");
    await full.default();
    const own = full.Engine.fromSources({ "p/pack.toml": "[pack]\\nid = \\"p\\"\\nversion = \\"1\\"\\ndocument = \\"t\\"\\n" }, "p");
    console.log(JSON.stringify({ outcome: r.decisions.many_female_jobs.outcome, amount: parseAmount("1,8 triệu"), version: version(),
      resolved: import.meta.resolve("htx-rules"), full: import.meta.resolve("htx-rules/full"), own: own instanceof full.Engine }));
  `);
  const out = JSON.parse(run("node", ["use.mjs"]));
  assert.equal(out.outcome, "yes");
  assert.equal(out.amount, "1800000");
  assert.equal(out.version, manifest.version);
  assert.ok(out.resolved.includes("/node_modules/htx-rules/"), `a copy in node_modules, not pkg/: ${out.resolved}`);
  assert.ok(out.full.endsWith("/node_modules/htx-rules/full.js"), out.full);
  assert.equal(out.own, true, "the full module reads a pack given as text");
});

test("TypeScript finds the types through the package's exports", () => {
  writeFileSync(join(dir, "use.ts"), `
    import init, { Engine, type Decision, type Outcome } from "htx-rules";
    export async function main(): Promise<Outcome | undefined> {
      await init();
      const d: Decision | undefined = new Engine().evaluate("cooperative", { kind: "htx" })[0]?.decisions["women_managed"];
      return d?.outcome;
    }
    // @ts-expect-error an outcome is not a boolean
    const flag: boolean = ("yes" as Outcome);
    void flag;
  `);
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, lib: ["ESNext", "DOM"], types: [] },
    files: ["use.ts"],
  }));
  run(TSC, ["-p", "tsconfig.json"]);
});
