// Loads the built module in node: reads the .wasm bytes and hands them to the init function.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const PKG = fileURLToPath(new URL("../pkg/", import.meta.url));
export const WASM_PATH = `${PKG}htx_rules_wasm_bg.wasm`;

const mod = await import(new URL("../pkg/htx_rules_wasm.js", import.meta.url));
await mod.default({ module_or_path: readFileSync(WASM_PATH) });

export const { Engine, today, version } = mod;
export default mod;
