// Types of the package's entry point (htx_rules.js). The data types (Decision, Outcome, …) are
// the binding's, generated from its Rust source into htx_rules_wasm.d.ts.
import type {
  Engine as BindingEngine, InitInput, InitOutput, OutcomeLabels, SyncInitInput,
} from "./htx_rules_wasm.js";

// Every type of the binding: the API's shapes (Decision, FieldInfo, …) and the pack's entity
// types (Cooperative, Person, ManagerRole, DecisionName, …, generated from the pack); the names
// declared below (Engine, init, today, …) are this entry point's own.
export type * from "./htx_rules_wasm.js";

/**
 * Loads the module: in a browser it fetches `htx_rules_wasm_bg.wasm` next to this file, in node it
 * reads it from disk; or pass `{ module_or_path }` (a URL, Response, bytes or WebAssembly.Module).
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<InitOutput>;

/** Loads the module synchronously from its bytes or a compiled WebAssembly.Module. */
export function initSync(input: { module: SyncInitInput }): InitOutput;

/**
 * A loaded rule pack, ready to evaluate and validate records.
 *
 * Decisions carry an `outcome` of "yes", "no" or "unknown" — a string, not a boolean: compare
 * `outcome === "yes"`. Errors are `HtxRulesError`s (`name`, `code`, `messages: {vi, en}`); an
 * input over `maxInputLength()` is refused with code "input.too_large"; if the module traps (out of
 * memory), the call throws code "wasm.trap", the module is rebuilt, and the next call works.
 */
export declare class Engine implements Disposable {
  /** The embedded Bến Tre pack (Kế hoạch 2747/KH-UBND). */
  constructor();
  /**
   * A pack given as texts: `{ "pack-id/file.toml": text, ... }`, loading the pack `root`. Only in
   * the full module ("htx-rules/full"); the package's entry point throws code "build.sources".
   */
  static fromSources(files: Record<string, string>, root: string): Engine;
  /** Frees the engine's memory now (otherwise the garbage collector does it). */
  free(): void;
  [Symbol.dispose](): void;
}
export interface Engine
  extends Pick<BindingEngine, "evaluate" | "validate" | "explain" | "explainText" | "schema" | "fields" | "decisions" | "reforms"> {
  /**
   * This engine's pack under a reform (a new engine; this one is unchanged): TOML text, or an
   * object of parameter values (`{ htx_min_members: [{ from: "2024-07-01", value: 7 }] }`) or in
   * a reform file's shape. A reform that does not check throws a PackError (line and column).
   * Only in the full module ("htx-rules/full"); the package's entry point throws code
   * "build.sources".
   */
  withReform(reform: string | import("./htx_rules_wasm.js").JsonObject): Engine;
}

/** Today's date in the user's local time zone, as `YYYY-MM-DD` (what an absent `asOf` means). */
export function today(): string;
/** The version of this package (and of the core it was built with). */
export function version(): string;
/**
 * An amount of money as people write it — "1.800.000đ", "1,8 triệu", "1tr8" — as the exact
 * decimal string the engine reads ("1800000"), or `null` when it is not an amount or is ambiguous
 * ("1,500 triệu"). Every money field of a record is read this way.
 */
export function parseAmount(text: string): string | null;
/** The largest input (records as JSON text, or a pack's files together), in UTF-16 code units. */
export function maxInputLength(): number;
/** The words for each outcome, in Vietnamese and English: `{ yes: {vi: "có", en: "yes"}, … }`. */
export function outcomeLabels(): OutcomeLabels;
