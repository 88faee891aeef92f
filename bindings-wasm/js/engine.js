// htx-rules in the browser and in node: what both entry points share (pkg/engine.js). The small
// module (htx_rules.js: the pack compiled at build time, no TOML reader) and the full one
// (full.js: also Engine.fromSources and withReform) each hand their wasm-bindgen glue to `makeApi`.
//
// A thin layer over the wasm-bindgen glue that adds what JS alone can do:
//  - recovery: a WebAssembly trap (out of memory: `RuntimeError: unreachable`) leaves a module
//    instance unusable. Every call here catches a trap, rebuilds the instance from the compiled
//    module (wasm-bindgen's __wbg_reset_state), and throws an HtxRulesError with code
//    "wasm.trap"; engines made before are rebuilt on their next call, so the next call answers.
//  - init() in node without arguments reads the .wasm next to this file.
// Everything else — inputs, rules, errors, the input size limit — is the Rust binding's and the core's.

/**
 * The package's API over one wasm-bindgen glue module: `glueInit` and `glue` are its default
 * export and its namespace, `wasmUrl` the .wasm file beside it.
 */
export function makeApi(glueInit, glue, wasmUrl) {
  /** Module-private: how Engine.fromSources tells the constructor what to build. */
  const BUILD = Symbol("build");

  /** How many times the module has been rebuilt after a trap; engines compare it with theirs. */
  let generation = 0;

  /** A trap leaves the instance in an unknown state: a RuntimeError (unreachable, out of bounds…),
   * or a RangeError escaping a call (the JS stack overflowing inside wasm). */
  function isTrap(e) {
    return e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
  }

  function trapError(cause) {
    const vi = "Bộ quy tắc gặp lỗi nghiêm trọng (có thể do hết bộ nhớ) và đã được khởi động lại; hãy thử lại, với dữ liệu nhỏ hơn nếu lỗi lặp lại";
    const en = "The rule engine failed (probably out of memory) and has been restarted; try again, with a smaller input if it happens again";
    const error = new Error(`${vi} / ${en}`, { cause });
    error.name = "HtxRulesError";
    error.code = "wasm.trap";
    error.messages = { vi, en };
    return error;
  }

  /** Runs `fn`; on a trap, rebuilds the module instance and throws a "wasm.trap" error. */
  function guarded(fn) {
    try {
      return fn();
    } catch (e) {
      if (!isTrap(e)) throw e;
      generation += 1;
      glue.__wbg_reset_state();
      throw trapError(e);
    }
  }

  /** The .wasm file's default location: read from disk in node, fetched in a browser. */
  async function defaultInput() {
    const url = wasmUrl;
    if (url.protocol === "file:" && typeof process === "object" && process.versions?.node) {
      const fs = "node:fs/promises";
      const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fs);
      return { module_or_path: await readFile(url) };
    }
    return undefined;
  }

  /**
   * Loads the module. In a browser: `await init()` fetches htx_rules_wasm_bg.wasm next to this file
   * (or pass `{ module_or_path: url | Response | bytes | WebAssembly.Module }`); in node, `await
   * init()` reads it from disk.
   */
  async function init(input) {
    return glueInit(input ?? (await defaultInput()));
  }

  /** Loads the module synchronously from its bytes or a compiled WebAssembly.Module. */
  function initSync(input) {
    return glue.initSync(input);
  }

  /** maxInputLength(), read once from the module. */
  let maxLength;

  /**
   * The JSON text of records given as a JS object or array, written here when that is all the
   * binding would do with them — `JSON.stringify` gives text without a `null` (so no NaN or
   * Infinity became one) — so that the text enters wasm memory with the
   * call (one copy) instead of through several calls back into JS; `undefined` otherwise, and
   * the binding reads the value itself (JSON text given as a string; NaN markers; errors). The
   * same text either way; over the size limit, see `fits`.
   */
  function jsonText(value) {
    if (value === null || typeof value !== "object") return undefined;
    let text;
    try {
      text = JSON.stringify(value);
    } catch {
      return undefined; // the binding stringifies again and reports the error
    }
    if (typeof text !== "string" || text.includes("null")) return undefined;
    return text;
  }

  /** Whether `text` may be copied into wasm memory: over the limit, the binding is handed it as
   * a JS string, and refuses it (`input.too_large`) before copying anything. */
  function fits(text) {
    maxLength ??= glue.maxInputLength();
    return text.length <= maxLength;
  }

  /**
   * `{valid, errors: [{field, code, message: {vi, en}, text?}], ignored?}` from the binding's
   * compact answer (one array of strings; see `validate_with` in src/lib.rs): valid ("1" or ""),
   * the number of ignored keys, those keys, then per error field, code, Vietnamese, English and,
   * when `withText`, the text in the language asked for.
   */
  function validation(parts, withText) {
    const ignoredCount = Number(parts[1]);
    const errors = [];
    const step = withText ? 5 : 4;
    for (let i = 2 + ignoredCount; i < parts.length; i += step) {
      const error = { field: parts[i], code: parts[i + 1], message: { vi: parts[i + 2], en: parts[i + 3] } };
      if (withText) error.text = parts[i + 4];
      errors.push(error);
    }
    const out = { valid: parts[0] === "1", errors };
    if (ignoredCount > 0) out.ignored = parts.slice(2, 2 + ignoredCount);
    return out;
  }

  /**
   * A loaded rule pack. Same methods as the binding's Engine; survives a trap (see above).
   */
  class Engine {
    #make;
    #inner;
    #generation;

    /** The embedded Bến Tre pack (Kế hoạch 2747/KH-UBND). */
    constructor(how) {
      this.#make = how?.[BUILD] ?? (() => new glue.Engine());
      this.#generation = generation;
      this.#inner = guarded(this.#make);
    }

    /** A pack given as texts: `{ "pack-id/file.toml": text, ... }`, loading the pack `root`. */
    static fromSources(files, root) {
      // kept (a shallow copy) so the engine can be rebuilt after a trap
      const copy = files !== null && typeof files === "object" ? { ...files } : files;
      return new Engine({ [BUILD]: () => glue.Engine.fromSources(copy, root) });
    }

    /** The binding's engine for the current module instance (rebuilt after a trap). */
    #engine() {
      if (this.#inner === undefined) throw new Error("Engine used after free()");
      if (this.#generation !== generation) {
        // The old object belongs to a dead instance: never free() it (its pointer would free
        // memory of the new instance); its finalizer already checks the instance.
        this.#generation = generation;
        this.#inner = this.#make();
      }
      return this.#inner;
    }

    evaluate(entity, records, asOf, options) {
      const text = jsonText(records);
      return text !== undefined && fits(text)
        ? guarded(() => this.#engine().evaluateText(entity, text, asOf, options))
        : guarded(() => this.#engine().evaluate(entity, text ?? records, asOf, options));
    }

    validate(entity, record, lang, asOf, options) {
      const text = jsonText(record);
      const parts = text !== undefined && fits(text)
        ? guarded(() => this.#engine().validateText(entity, text, lang, asOf, options))
        : guarded(() => this.#engine().validate(entity, text ?? record, lang, asOf, options));
      // lang was checked by the binding: with one, each error carries its text too
      return validation(parts, lang !== undefined && lang !== null);
    }

    explain(rule) {
      return guarded(() => this.#engine().explain(rule));
    }

    explainText(rule, lang) {
      return guarded(() => this.#engine().explainText(rule, lang));
    }

    schema(entity) {
      return guarded(() => this.#engine().schema(entity));
    }

    /** This engine's pack under a reform (TOML text or an object): a new engine. */
    withReform(reform) {
      // kept (a copy) so the new engine can be rebuilt after a trap, from this one's recipe
      const copy = typeof reform === "string" ? reform : JSON.parse(JSON.stringify(reform ?? null));
      const parent = this.#make;
      const reformed = guarded(() => this.#engine().withReform(copy));
      return new Engine({
        [BUILD]: (() => {
          let first = reformed;
          return () => {
            if (first !== undefined) {
              const e = first;
              first = undefined;
              return e;
            }
            const base = parent();
            try {
              return base.withReform(copy);
            } finally {
              base.free();
            }
          };
        })(),
      });
    }

    reforms() {
      return guarded(() => this.#engine().reforms());
    }

    fields(entity) {
      return guarded(() => this.#engine().fields(entity));
    }

    decisions(entity) {
      return guarded(() => this.#engine().decisions(entity));
    }

    /** Frees the engine's memory now (otherwise the garbage collector does it). */
    free() {
      if (this.#inner !== undefined && this.#generation === generation) this.#inner.free();
      this.#inner = undefined;
    }
  }
  if (Symbol.dispose) Engine.prototype[Symbol.dispose] = Engine.prototype.free;

  /** Today's date in the user's local time zone, as `YYYY-MM-DD` (what an absent `asOf` means). */
  function today() {
    return guarded(() => glue.today());
  }

  /** The version of this package (and of the core it was built with). */
  function version() {
    return guarded(() => glue.version());
  }

  /** An amount of money as people write it ("1.800.000đ", "1,8 triệu") as the decimal string the
   * engine reads ("1800000"), or null when it is not an amount or is ambiguous. */
  function parseAmount(text) {
    return guarded(() => glue.parseAmount(text) ?? null);
  }

  /** The largest input (records as JSON text, or a pack's files together), in UTF-16 code units. */
  function maxInputLength() {
    return guarded(() => glue.maxInputLength());
  }

  /** The words for each outcome: `{ yes: {vi, en}, no: …, unknown: … }`. */
  function outcomeLabels() {
    return guarded(() => glue.outcomeLabels());
  }

  return { init, initSync, Engine, today, version, parseAmount, maxInputLength, outcomeLabels };
}
