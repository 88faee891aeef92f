// htx-rules in the browser and in node, the full module ("htx-rules/full", pkg/full.js): the same
// API as the package's entry point, plus packs given as text (Engine.fromSources) and reforms
// (withReform), so it carries the TOML reader and the pack checker (a larger .wasm). The embedded
// pack still loads from its compiled form. What both entry points share is in engine.js.
import glueInit, * as glue from "./htx_rules_full_wasm.js";
import { makeApi } from "./engine.js";

const api = makeApi(glueInit, glue, new URL("./htx_rules_full_wasm_bg.wasm", import.meta.url));

/**
 * Loads the module. In a browser: `await init()` fetches htx_rules_full_wasm_bg.wasm next to this
 * file (or pass `{ module_or_path: url | Response | bytes | WebAssembly.Module }`); in node,
 * `await init()` reads it from disk.
 */
export default api.init;
export const { initSync, Engine, today, version, parseAmount, maxInputLength, outcomeLabels } = api;
