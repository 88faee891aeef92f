// htx-rules in the browser and in node: the package's entry point (pkg/htx_rules.js), the small
// module. Its pack is the embedded Bến Tre pack, compiled when the package was built: no TOML
// reader and no checking at start-up. Engine.fromSources and withReform throw an HtxRulesError
// with code "build.sources"; they are in the full module, "htx-rules/full" (pkg/full.js), which
// has the same API. What both share is in engine.js.
import glueInit, * as glue from "./htx_rules_wasm.js";
import { makeApi } from "./engine.js";

const api = makeApi(glueInit, glue, new URL("./htx_rules_wasm_bg.wasm", import.meta.url));

/**
 * Loads the module. In a browser: `await init()` fetches htx_rules_wasm_bg.wasm next to this file
 * (or pass `{ module_or_path: url | Response | bytes | WebAssembly.Module }`); in node, `await
 * init()` reads it from disk.
 */
export default api.init;
export const { initSync, Engine, today, version, parseAmount, maxInputLength, outcomeLabels } = api;
