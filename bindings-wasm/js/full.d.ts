// The full module ("htx-rules/full"): the same API and types as the package's entry point; here
// Engine.fromSources and withReform read packs and reforms given as text.
export * from "./htx_rules.js";
export { default } from "./htx_rules.js";
