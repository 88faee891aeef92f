// Size and speed of the browser build. Prints figures only; never asserts timings.
//   node bench.mjs            (after ./build.sh; needs /usr/bin/chromium and npm's playwright-core)
// Measures the small module (the package's default, pack compiled at build time) and the full one
// (htx-rules/full), each in a fresh Chromium profile (no code cache), then in node. A baseline
// package built from another commit can be measured in the same run: copy its pkg/ to
// pkg/baseline/ (entry point pkg/baseline/htx_rules.js), e.g.
//   git worktree add /tmp/base <commit> && (cd /tmp/base && bindings-wasm/build.sh) &&
//   cp -r /tmp/base/bindings-wasm/pkg bindings-wasm/pkg/baseline && node bindings-wasm/bench.mjs
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "./tests/serve.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./tests/chromium.mjs";
import { gzipSize } from "./tests/size.mjs";

/** What is measured: a name, its entry point and its .wasm (paths under bindings-wasm/). */
const BUILDS = [
  ["small (default)", "pkg/htx_rules.js", "pkg/htx_rules_wasm_bg.wasm"],
  ["full (htx-rules/full)", "pkg/full.js", "pkg/htx_rules_full_wasm_bg.wasm"],
  ["baseline (pkg/baseline)", "pkg/baseline/htx_rules.js", "pkg/baseline/htx_rules_wasm_bg.wasm"],
].filter(([, js]) => existsSync(new URL(`./${js}`, import.meta.url)));
const CALLS = 10_000;
const RECORD = {
  kind: "htx", name: "HTX Dệt chiếu Bình Thành", established_on: "2024-03-15",
  members: { total: 12, female: 9 }, workers: { total: 40, female: 31 },
  managers: [{ role: "board_chair", gender: "female" }, { role: "director", gender: "male" }],
};

for (const [name, , wasm] of BUILDS) {
  const path = new URL(`./${wasm}`, import.meta.url);
  const gz = gzipSize(path.pathname);
  console.log(`${name}: wasm ${readFileSync(path).length} bytes; gzip -9: ${gz} bytes (${(gz / 1024).toFixed(1)} KB)`);
}

/** The measurements, run inside the page (or in node): load, then CALLS validate/evaluate calls. */
async function measure(load, calls, record) {
  // `load` fetches what it needs first (network: the .wasm and the JS modules, from the local
  // server) and says how long that took; the rest is compiling and instantiating the module
  const t0 = performance.now();
  const { mod, fetched } = await load();
  const t1 = performance.now();
  const engine = new mod.Engine();
  const t2 = performance.now();
  for (let i = 0; i < 200; i++) engine.validate("cooperative", record, "vi", "2025-06-30"); // warm-up
  const t3 = performance.now();
  for (let i = 0; i < calls; i++) engine.validate("cooperative", record, "vi", "2025-06-30");
  const t4 = performance.now();
  for (let i = 0; i < calls; i++) engine.evaluate("cooperative", record, "2025-06-30");
  const t5 = performance.now();
  // a second load, once the engine's code has been compiled and warmed up (what a page that
  // stays open, or V8's code cache on a repeat visit, sees)
  const again = new mod.Engine();
  const t6 = performance.now();
  again.free?.();
  // The same calls again as the fastest of 20 rounds (µs per call): on a shared, loaded machine
  // one long mean counts every time the process was descheduled; the best round rarely is.
  // Also a form's record with five errors (what validate answers while a form is half filled).
  const bad = {
    kind: "htx", name: "", established_on: "2024-13-15", members: { total: 12, female: 19 },
    workers: { total: 40, female: 41 }, managers: [{ role: "board_chair", gender: "x" }],
  };
  const best = (n, f) => {
    let min = Infinity;
    for (let round = 0; round < 20; round++) {
      const a = performance.now();
      for (let i = 0; i < n; i++) f();
      min = Math.min(min, ((performance.now() - a) * 1000) / n);
    }
    return min;
  };
  const round = Math.max(1, Math.round(calls / 20));
  const validateBest = best(round, () => engine.validate("cooperative", record, "vi", "2025-06-30"));
  const validateErrorsBest = best(round, () => engine.validate("cooperative", bad, "vi", "2025-06-30"));
  const evaluateBest = best(Math.max(1, Math.round(round / 10)), () => engine.evaluate("cooperative", record, "2025-06-30"));
  return {
    fetch: fetched, instantiate: t1 - t0 - fetched, pack: t2 - t1, warm: t6 - t5,
    validate: ((t4 - t3) * 1000) / calls, evaluate: ((t5 - t4) * 1000) / calls,
    validateBest, validateErrorsBest, evaluateBest,
  };
}

const fmt = (where, r) =>
  `${where}: cold start ${(r.instantiate + r.pack).toFixed(1)} ms = compile + instantiate ${r.instantiate.toFixed(1)} ms + embedded pack load ${r.pack.toFixed(1)} ms ` +
  `(after fetching ${r.fetch.toFixed(1)} ms); ` +
  `warm pack load ${r.warm.toFixed(1)} ms; validate ${r.validate.toFixed(1)} µs/call, evaluate ${r.evaluate.toFixed(1)} µs/call (mean of ${CALLS}); ` +
  `best of 20 rounds: validate ${r.validateBest.toFixed(1)} µs, with five errors ${r.validateErrorsBest.toFixed(1)} µs, evaluate ${r.evaluateBest.toFixed(1)} µs`;

// Chromium: fetch + compile + instantiate from the local server, then the pack, then the calls;
// each build in a fresh profile, so no build finds another's (or its own) compiled code cached.
const server = await startServer();
try {
  for (const [name, js, wasm] of BUILDS) {
    const userDataDir = mkdtempSync(join(tmpdir(), "htx-rules-bench-"));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS,
    });
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/www/bench-blank`); // any same-origin page (a 404 is fine)
      const r = await page.evaluate(
        async ({ calls, record, body, js, wasm }) => {
          const measureFn = new Function(`return (${body})`)();
          const load = async () => {
            const f0 = performance.now();
            const mod = await import(js);
            const bytes = await (await fetch(wasm)).arrayBuffer();
            const fetched = performance.now() - f0;
            await mod.default({ module_or_path: await WebAssembly.compile(bytes) });
            return { mod, fetched };
          };
          return measureFn(load, calls, record);
        },
        { calls: CALLS, record: RECORD, body: measure.toString(), js: `/${js}`, wasm: `/${wasm}` },
      );
      console.log(fmt(`${name}, chromium ${context.browser()?.version() ?? ""}`.trim(), r));
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}

// Node, for comparison (bytes already read, so no fetch).
for (const [name, js, wasm] of BUILDS) {
  const bytes = readFileSync(new URL(`./${wasm}`, import.meta.url));
  const r = await measure(async () => {
    const f0 = performance.now();
    const mod = await import(`./${js}`);
    const fetched = performance.now() - f0;
    await mod.default({ module_or_path: bytes });
    return { mod, fetched };
  }, CALLS, RECORD);
  console.log(fmt(`${name}, node ${process.version}`, r));
}
