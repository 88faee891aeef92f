// Loads the built package in node through its entry points, which read the .wasm next to them:
// the small module (pkg/htx_rules.js, the package's default: the pack compiled at build time, no
// TOML reader) and the full one (pkg/full.js, "htx-rules/full": also Engine.fromSources and
// withReform). `glue` / `fullGlue` are the wasm-bindgen modules underneath (the same instances),
// for tests that reach a module's memory.
import { fileURLToPath } from "node:url";

export const PKG = fileURLToPath(new URL("../pkg/", import.meta.url));
export const WASM_PATH = `${PKG}htx_rules_wasm_bg.wasm`;
export const FULL_WASM_PATH = `${PKG}htx_rules_full_wasm_bg.wasm`;

const mod = await import(new URL("../pkg/htx_rules.js", import.meta.url));
await mod.default();
/** The full module ("htx-rules/full"), loaded. */
export const full = await import(new URL("../pkg/full.js", import.meta.url));
await full.default();

export const glue = await import(new URL("../pkg/htx_rules_wasm.js", import.meta.url));
export const fullGlue = await import(new URL("../pkg/htx_rules_full_wasm.js", import.meta.url));
export const { Engine, today, version, parseAmount, maxInputLength } = mod;
/** The full module's Engine: packs given as text (fromSources) and reforms. */
export const FullEngine = full.Engine;
export default mod;
