// Loads the built package in node through its entry point (pkg/htx_rules.js), which reads the
// .wasm next to it. `glue` is the wasm-bindgen module underneath (the same instance), for tests
// that reach the module's memory.
import { fileURLToPath } from "node:url";

export const PKG = fileURLToPath(new URL("../pkg/", import.meta.url));
export const WASM_PATH = `${PKG}htx_rules_wasm_bg.wasm`;

const mod = await import(new URL("../pkg/htx_rules.js", import.meta.url));
await mod.default();

export const glue = await import(new URL("../pkg/htx_rules_wasm.js", import.meta.url));
export const { Engine, today, version, parseAmount, maxInputLength } = mod;
export default mod;
