// Shared by both forms: loading the engine, what the pack says about the form's fields (labels,
// choices, decision titles: from the engine, never copied here), the language switch, the as-of
// date, yes/no/unknown questions, showing field errors under the right input, showing decisions,
// the one live summary, focus after "check everything", and saving/opening a declaration as a
// file. Everything runs on this device; after the page and the .wasm file have loaded, nothing is
// fetched or sent.
import init, { Engine, outcomeLabels, parseAmount } from "../pkg/htx_rules.js";

/** The form's own texts. What the pack says — field labels, choices, decision titles, reasons,
 * errors — and the outcome words come from the engine in both languages. */
export const UI = {
  vi: {
    missing: "Còn thiếu", cite: "Căn cứ", section: "mục", value: "Giá trị", target: "Chỉ tiêu",
    loading: "Đang tải bộ quy tắc…", load_failed: "Không tải được bộ quy tắc",
    form_errors: "Lỗi chung của biểu mẫu",
    yes: "Có", no: "Không", prefer_not: "Không muốn trả lời", unsure: "Chưa rõ",
    choose: "— Chọn —", money_unit: "đồng",
    summary: (n, w) => `Kết quả: ${n.yes} ${w.yes}, ${n.no} ${w.no}, ${n.unknown} ${w.unknown}.` +
      (n.errors ? ` ${n.errors} lỗi cần sửa.` : ""),
    amount_read: (text) => `Hiểu là ${text} đồng`,
    opened: (name) => `Đã mở tệp ${name}.`,
    open_failed: (why) => `Không mở được tệp: ${why}`,
    not_a_declaration: "tệp không phải là một bản khai báo (cần một đối tượng JSON)",
    file_too_large: "tệp quá lớn cho một bản khai báo",
  },
  en: {
    missing: "Missing", cite: "Source", section: "section", value: "Value", target: "Target",
    loading: "Loading the rules…", load_failed: "Could not load the rules",
    form_errors: "Form-level errors",
    yes: "Yes", no: "No", prefer_not: "Prefer not to say", unsure: "Not sure",
    choose: "— Choose —", money_unit: "VND",
    summary: (n, w) => `Results: ${n.yes} ${w.yes}, ${n.no} ${w.no}, ${n.unknown} ${w.unknown}.` +
      (n.errors ? ` ${n.errors} ${n.errors === 1 ? "error" : "errors"} to fix.` : ""),
    amount_read: (text) => `Read as ${text} đồng`,
    opened: (name) => `Opened ${name}.`,
    open_failed: (why) => `Could not open the file: ${why}`,
    not_a_declaration: "the file is not a declaration (a JSON object is needed)",
    file_too_large: "the file is too large for a declaration",
  },
};

const LANG_KEY = "htx-rules.lang";

/** The current language: Vietnamese unless the user chose English (kept on this device). */
export function currentLang() {
  try {
    return localStorage.getItem(LANG_KEY) === "en" ? "en" : "vi";
  } catch {
    return document.documentElement.dataset.lang === "en" ? "en" : "vi";
  }
}

/** Applies `lang` to every element carrying `data-vi`/`data-en` texts, and to <html lang>. */
export function applyLang(lang, root = document) {
  if (root === document) document.documentElement.lang = lang;
  const els = [...root.querySelectorAll("[data-vi]")];
  if (root instanceof Element && root.matches("[data-vi]")) els.push(root);
  for (const el of els) {
    const text = el.dataset[lang] ?? el.dataset.vi;
    if (el.dataset.attr) el.setAttribute(el.dataset.attr, text);
    else el.textContent = text;
  }
  const toggle = document.getElementById("lang-toggle");
  if (toggle) {
    toggle.textContent = lang === "vi" ? "English" : "Tiếng Việt";
    toggle.setAttribute("lang", lang === "vi" ? "en" : "vi");
  }
}

/** Wires the language button; calls `onChange(lang)` after switching. */
export function setupLang(onChange) {
  applyLang(currentLang());
  document.getElementById("lang-toggle")?.addEventListener("click", () => {
    const next = currentLang() === "vi" ? "en" : "vi";
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      /* private mode: the switch lasts for this page only */
      document.documentElement.dataset.lang = next;
    }
    applyLang(next);
    onChange(next);
  });
}

/**
 * Loads the wasm module and the pack: the embedded Bến Tre pack (compiled when the package was
 * built: the small module, no TOML reader), or the one the page hands in as
 * `globalThis.htxRulesPack = { files: { "pack-id/file.toml": text, … }, root: "pack-id" }` before
 * the form's module runs (another province's pack; the tests use it to show that every label the
 * form shows is the pack's), read by the full module ("htx-rules/full"), fetched only then.
 */
export async function loadEngine() {
  await init({ module_or_path: new URL("../pkg/htx_rules_wasm_bg.wasm", import.meta.url) });
  const pack = globalThis.htxRulesPack;
  if (!pack) return new Engine();
  const full = await import("../pkg/full.js");
  await full.default({ module_or_path: new URL("../pkg/htx_rules_full_wasm_bg.wasm", import.meta.url) });
  return full.Engine.fromSources(pack.files, pack.root);
}

// ---- what the pack says about the form's entity ------------------------------------------------

/**
 * What the pack says about one entity, read from the engine once at start-up: its fields (labels,
 * enum values and their labels, bounds), its decisions (names and titles, in pack order) and the
 * outcome words. Nothing of it is kept in the forms.
 */
export class PackText {
  constructor(engine, entity) {
    this.fields = engine.fields(entity);
    this.decisions = engine.decisions(entity).filter((d) => d.kind === "decision");
    this.outcomes = outcomeLabels();
    /** Fields by JSON Pointer; a list's item fields under "/list/-/field". */
    this.byPointer = new Map();
    const add = (prefix, fields) => {
      for (const f of fields) {
        this.byPointer.set(prefix + f.pointer, f);
        if (f.items.length) add(`${prefix}${f.pointer}/-`, f.items);
      }
    };
    add("", this.fields);
  }

  /** The field at a JSON Pointer ("/managers/0/role": the item field `role` of `managers`), else
   * the closest field above it ("/managers/0" → `managers`). */
  field(pointer) {
    let p = pointer.replace(/\/\d+(?=\/|$)/g, "/-");
    while (p) {
      const f = this.byPointer.get(p);
      if (f) return f;
      p = p.slice(0, p.lastIndexOf("/"));
    }
    return undefined;
  }

  /** What a person reads for the field at a JSON Pointer, in `lang`. */
  label(pointer, lang) {
    const f = this.field(pointer);
    return f?.label?.[lang] ?? (f?.name ?? pointer.split("/").pop()).replaceAll("_", " ");
  }

  /** The words of an outcome ("yes", "no", "unknown") in `lang`. */
  outcome(outcome, lang) {
    return this.outcomes[outcome]?.[lang] ?? outcome;
  }

  /** The outcome words in `lang`: { yes, no, unknown }. */
  outcomeWords(lang) {
    return Object.fromEntries(Object.keys(this.outcomes).map((o) => [o, this.outcome(o, lang)]));
  }

  /** A decision's title in `lang`. */
  title(name, lang) {
    const d = this.decisions.find((x) => x.name === name);
    return d?.title?.[lang] ?? name.replaceAll("_", " ");
  }
}

function setTexts(el, vi, en) {
  el.dataset.vi = vi;
  el.dataset.en = en;
}

/** A field's label in both languages, with what the form adds to it: the unit of money, and the
 * range of a bounded whole number ("(0–12)"). */
function fieldTexts(pack, pointer) {
  const f = pack.field(pointer);
  const texts = { vi: pack.label(pointer, "vi"), en: pack.label(pointer, "en") };
  for (const lang of ["vi", "en"]) {
    if (f?.kind === "money") texts[lang] += ` (${UI[lang].money_unit})`;
    else if (f?.kind === "integer" && f.min !== null && f.max !== null) texts[lang] += ` (${f.min}–${f.max})`;
  }
  return texts;
}

/**
 * Fills `root` (a form, or a template's content) from the pack, in both languages (`applyLang`
 * then shows one):
 * - `data-label="/pointer"` — the element's text (or, with `data-attr`, that attribute) is the
 *   field's label; a list's item fields are written "/managers/-/role";
 * - `data-title="decision"` — the decision's title;
 * - `<select data-options="/pointer">` — one option per value of the enum field, with its label,
 *   after the options already there (before one marked `data-last`); `data-default` chooses one;
 * - `data-checks="/pointer"` — one checkbox per value of a list of enum values (name: the field's
 *   name; id: name-value);
 * - `fieldset.tri[data-field]` — the question's legend is the field's label (see `buildTriStates`).
 */
export function applyPack(root, pack) {
  for (const el of root.querySelectorAll("[data-label]")) {
    const { vi, en } = fieldTexts(pack, el.dataset.label);
    setTexts(el, vi, en);
  }
  for (const el of root.querySelectorAll("[data-title]")) {
    setTexts(el, pack.title(el.dataset.title, "vi"), pack.title(el.dataset.title, "en"));
  }
  for (const select of root.querySelectorAll("select[data-options]")) {
    const last = select.querySelector("option[data-last]");
    for (const v of pack.field(select.dataset.options)?.values ?? []) {
      const option = document.createElement("option");
      option.value = v.value;
      setTexts(option, v.label?.vi ?? v.value, v.label?.en ?? v.value);
      select.insertBefore(option, last);
    }
    if (select.dataset.default) select.value = select.dataset.default;
  }
  for (const box of root.querySelectorAll("[data-checks]")) {
    const f = pack.field(box.dataset.checks);
    for (const v of f?.values ?? []) {
      const label = document.createElement("label");
      label.className = "check";
      const input = document.createElement("input");
      input.type = "checkbox";
      input.name = f.name;
      input.value = v.value;
      input.id = `${f.name}-${v.value}`;
      const text = document.createElement("span");
      text.className = "label-text";
      setTexts(text, v.label?.vi ?? v.value, v.label?.en ?? v.value);
      label.append(input, text);
      box.append(label);
    }
  }
  for (const fieldset of root.querySelectorAll("fieldset.tri[data-field]")) {
    const legend = fieldset.querySelector(":scope > legend") ?? fieldset.insertBefore(document.createElement("legend"), fieldset.firstChild);
    const { vi, en } = fieldTexts(pack, `/${fieldset.dataset.field}`);
    setTexts(legend, vi, en);
  }
}

/** The top-level fields the form has inputs for (by their JSON Pointers): any other field of an
 * opened file is kept as it was. */
export function askedFields(form) {
  const names = new Set();
  for (const el of form.querySelectorAll("[data-pointer], [data-checks]")) {
    const pointer = el.dataset.pointer ?? el.dataset.checks;
    const top = pointer.split("/")[1];
    if (top) names.add(top);
  }
  return [...names];
}

/** Today on this device's calendar, as YYYY-MM-DD. */
export function localToday() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Sets the as-of date input to today (local time) and returns a getter for its value
 * (undefined when cleared: the engine then uses today). */
export function setupAsOf(input, onChange) {
  if (!input.value) input.value = localToday();
  if (onChange) input.addEventListener("input", onChange);
  return () => (input.value ? input.value : undefined);
}

/** Registers the service worker that keeps the page usable offline. */
export function registerOffline() {
  if ("serviceWorker" in navigator && location.protocol !== "file:") {
    navigator.serviceWorker.register(new URL("./sw.js", import.meta.url)).catch(() => {});
  }
}

/** An integer typed as text: a number when it is one, else the text as typed (so the engine
 * reports the type error), else absent. */
export function numberOrText(value) {
  const v = value.trim().replace(/[\s.,](?=\d{3}\b)/g, "");
  if (v === "") return undefined;
  return /^-?\d+$/.test(v) ? Number(v) : value.trim();
}

// ---- yes / no / unknown questions --------------------------------------------------------------

/**
 * Fills every `<fieldset class="tri" data-field=NAME>` with three radio buttons: yes (true), no
 * (false) and a third answer that means unknown (null): "prefer not to say" for questions about
 * the person (`data-third="prefer_not"`, the default), "not sure" for facts (`data-third="unsure"`).
 * Unanswered is unknown too: an unticked answer never becomes `false`.
 */
export function buildTriStates(root) {
  for (const fieldset of root.querySelectorAll("fieldset.tri[data-field]")) {
    const name = fieldset.dataset.field;
    const third = fieldset.dataset.third ?? "prefer_not";
    const options = document.createElement("div");
    options.className = "tri-options";
    for (const [value, key] of [["true", "yes"], ["false", "no"], ["null", third]]) {
      const label = document.createElement("label");
      label.className = "tri-option";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = value;
      input.id = `${name}-${value}`;
      const text = document.createElement("span");
      text.dataset.vi = UI.vi[key];
      text.dataset.en = UI.en[key];
      text.textContent = UI.vi[key];
      label.append(input, " ", text);
      options.append(label);
    }
    fieldset.append(options);
  }
}

/** A yes/no/unknown answer: true, false, null (answered "prefer not to say" / "not sure"), or
 * undefined (not answered). */
export function triState(root, name) {
  const el = root.querySelector(`input[type="radio"][name="${CSS.escape(name)}"]:checked`);
  if (!el) return undefined;
  return el.value === "true" ? true : el.value === "false" ? false : null;
}

/** Sets a yes/no/unknown answer (undefined: none ticked). */
export function setTriState(root, name, value) {
  for (const el of root.querySelectorAll(`input[type="radio"][name="${CSS.escape(name)}"]`)) {
    el.checked = value !== undefined && el.value === String(value);
  }
}

// ---- amounts -----------------------------------------------------------------------------------

/** Under a money input: what the engine reads from the text typed ("1,8 triệu" → "Hiểu là
 * 1.800.000 đồng"), nothing when it reads nothing (the field's error says why). */
export function showAmount(input, hint, lang) {
  const text = input.value.trim();
  const amount = text ? parseAmount(text) : null;
  hint.textContent = amount === null ? "" : UI[lang].amount_read(
    new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 4 }).format(Number(amount)),
  );
}

// ---- errors ------------------------------------------------------------------------------------

function errorSlot(form, pointer) {
  // The exact field, else the closest enclosing one ("/managers/0/role" → "/managers/0" →
  // "/managers"), else the form-level box.
  let p = pointer;
  for (;;) {
    const el = form.querySelector(`[data-pointer="${CSS.escape(p)}"]`);
    if (el) return el;
    if (p === "") return null;
    p = p.slice(0, p.lastIndexOf("/"));
  }
}

/**
 * Shows `errors` (from engine.validate) under their fields. Only fields in `shown` (a Set of
 * pointers the user has touched; null = all) get their messages; the rest wait. An error without
 * an input of its own goes to the form-level list, after its field's label (`pack`: a PackText).
 * Returns how many errors are shown.
 */
export function showErrors(form, errors, lang, shown, pack) {
  for (const el of form.querySelectorAll("[data-pointer]")) {
    el.removeAttribute("aria-invalid");
    const slot = document.getElementById(el.dataset.errorId ?? "");
    if (slot) slot.replaceChildren();
  }
  const general = form.querySelector(".form-errors");
  general?.replaceChildren();
  let count = 0;
  for (const error of errors) {
    const el = errorSlot(form, error.field);
    const touched = shown === null || [...shown].some((p) => error.field === p || error.field.startsWith(p + "/") || p.startsWith(error.field + "/"));
    if (!touched) continue;
    count += 1;
    const text = error.message[lang];
    const slot = el ? document.getElementById(el.dataset.errorId ?? "") : null;
    if (el && slot) {
      el.setAttribute("aria-invalid", "true");
      const line = document.createElement("span");
      line.className = "error-line";
      line.dataset.code = error.code;
      line.textContent = text;
      slot.append(line);
    } else if (general) {
      const li = document.createElement("li");
      li.dataset.code = error.code;
      li.dataset.field = error.field;
      li.textContent = error.field ? `${pack.label(error.field, lang)}: ${text}` : text;
      general.append(li);
    }
  }
  return count;
}

/** Gives every [data-pointer] input an error slot after it, linked with aria-describedby. The
 * slots are not live regions: the one summary (see `Summary`) is. */
export function linkErrorSlots(root) {
  for (const el of root.querySelectorAll("[data-pointer]:not([data-error-id])")) {
    const id = "err" + el.dataset.pointer.replaceAll("/", "-").replaceAll("_", "-");
    let slot = document.getElementById(id);
    if (!slot) {
      slot = document.createElement("span");
      slot.id = id;
      slot.className = "field-error";
      const cell = el.closest("td");
      if (el.tagName === "FIELDSET") el.append(slot);
      else if (cell) cell.append(slot);
      else (el.closest("label") ?? el).after(slot);
    }
    el.dataset.errorId = id;
    const described = new Set((el.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean));
    described.add(id);
    el.setAttribute("aria-describedby", [...described].join(" "));
  }
}

/** After "check everything": the first field with an error (its error is read with it, through
 * aria-describedby), else the summary of the results (`summary`: a Summary). */
export function focusFirstErrorOrSummary(form, summary) {
  const bad = form.querySelector('[aria-invalid="true"]');
  const target = bad?.tagName === "FIELDSET" ? bad.querySelector("input, select, textarea") : bad;
  if (target) {
    summary.say(summary.el.textContent, { now: true });
    target.focus();
  } else {
    summary.say(summary.el.textContent, { focus: true });
  }
}

// ---- decisions and the summary -----------------------------------------------------------------

function formatValue(value, lang) {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) {
    const n = Number(value);
    if (value.includes(".") && Math.abs(n) <= 1) {
      return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB", { style: "percent", maximumFractionDigits: 2 }).format(n);
    }
    return new Intl.NumberFormat(lang === "vi" ? "vi-VN" : "en-GB").format(n);
  }
  return String(value);
}

/** "có" → "Có". */
function capitalized(text, lang) {
  return text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
}

/**
 * Renders the pack's decisions (`pack`: a PackText; in pack order) into `container`: one
 * <article data-decision=name data-outcome=...> each, with its title, outcome, value, reasons,
 * missing facts (by their labels) and citation — no code names or JSON Pointers. Returns the
 * count of each outcome.
 */
export function showDecisions(container, decisions, pack, lang) {
  const t = UI[lang];
  const counts = { yes: 0, no: 0, unknown: 0 };
  const fieldLabel = (pointer) => pack.label(pointer, lang);
  container.replaceChildren();
  for (const { name } of pack.decisions) {
    const d = decisions[name];
    const card = document.createElement("article");
    card.className = "decision";
    card.dataset.decision = name;
    // an outcome is a string, never a boolean: "unknown" is not "no"
    card.dataset.outcome = d ? d.outcome : "unknown";
    counts[card.dataset.outcome] += 1;
    const head = document.createElement("h3");
    const title = document.createElement("span");
    title.textContent = pack.title(name, lang);
    const badge = document.createElement("span");
    badge.className = `badge badge-${card.dataset.outcome}`;
    badge.textContent = capitalized(pack.outcome(card.dataset.outcome, lang), lang);
    head.append(title, " ", badge);
    card.append(head);
    if (!d) {
      container.append(card);
      continue;
    }
    if (d.value !== null && d.value !== undefined) {
      const p = document.createElement("p");
      p.className = "value";
      p.textContent = `${t.value}: ${formatValue(d.value, lang)}` + (d.target !== null && d.target !== undefined ? ` — ${t.target}: ${formatValue(d.target, lang)}` : "");
      card.append(p);
    }
    if (d.reasons.length) {
      const ul = document.createElement("ul");
      ul.className = "reasons";
      // A reason may still name the absent facts by their JSON Pointers ("/household/area"):
      // people read the fields' labels (the pack's) instead. Once the core's reasons name facts
      // by their labels, this finds nothing to replace.
      const pointers = [...d.missing].sort((a, b) => b.length - a.length);
      for (const r of d.reasons) {
        const li = document.createElement("li");
        li.textContent = pointers.reduce((text, p) => text.replaceAll(p, fieldLabel(p)), r[lang]);
        ul.append(li);
      }
      card.append(ul);
    }
    if (d.missing.length) {
      const p = document.createElement("p");
      p.className = "missing";
      p.textContent = `${t.missing}: ${d.missing.map((m) => fieldLabel(m)).join(", ")}`;
      card.append(p);
    }
    const cite = document.createElement("p");
    cite.className = "cite";
    // "mục II.1.b" for the plan's sections; a law's own "Điều 4 khoản 7" stands as written.
    const section = /^[IVXLC]+(\.|$)|^\d/.test(d.cite.section) ? `${t.section} ${d.cite.section}` : d.cite.section;
    cite.textContent = `${t.cite}: ${d.cite.document}${section ? `, ${section}` : ""}`;
    if (d.cite.wording) cite.title = d.cite.wording;
    card.append(cite);
    container.append(card);
  }
  return counts;
}

/**
 * The results' summary: one short sentence — how many decisions are yes, no, unknown, and how
 * many errors are shown — or what went wrong. `el` shows it at once (and takes the focus after
 * "check everything"); `live` is the page's one live region (role="status", polite, visually
 * hidden), which repeats it only once typing pauses and only when it changed, so a screen reader
 * hears one short sentence, not every result on every keystroke.
 */
export class Summary {
  constructor(el, live, delayMs = 800) {
    this.el = el;
    this.live = live;
    this.delayMs = delayMs;
    this.timer = undefined;
    this.spoken = live.textContent;
  }

  /** Shows `text`; announces it now (`now`), when typing pauses, or — when it takes the focus
   * (`focus`), which reads it out — not at all. */
  say(text, { now = false, focus = false } = {}) {
    if (this.el.textContent !== text) this.el.textContent = text;
    clearTimeout(this.timer);
    const announce = () => {
      if (this.spoken !== text) this.live.textContent = text;
      this.spoken = text;
    };
    if (focus) {
      this.spoken = text;
      this.el.focus();
    } else if (now) announce();
    else this.timer = setTimeout(announce, this.delayMs);
  }
}

/** An engine error (e.g. an invalid as-of date) as one sentence for the summary. */
export function errorText(error, lang) {
  return `${error.messages?.[lang] ?? error.message}`;
}

/** Re-checks on every input, remembering which fields (by JSON Pointer) the user has touched. */
export function trackInput(form, touched, update) {
  const handler = (event) => {
    const el = event.target.closest("[data-pointer]");
    if (el) touched.add(el.dataset.pointer);
    update();
  };
  form.addEventListener("input", handler);
  form.addEventListener("change", handler);
}

// ---- saving and opening a declaration ----------------------------------------------------------

/** Largest declaration file opened (a declaration is a few kilobytes). */
const MAX_FILE_BYTES = 1 << 20;

/** Saves `record` as a JSON file on this device (a download; nothing is sent anywhere). */
export function saveJson(record, filename) {
  const blob = new Blob([JSON.stringify(record, null, 2) + "\n"], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/**
 * Wires a button that opens a saved declaration through a hidden file input: the file is read on
 * this device, and `onRecord(object, fileName)` fills the form; `onError(message)` otherwise.
 */
export function setupOpen(button, input, onRecord, onError) {
  button.addEventListener("click", () => input.click());
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    const lang = currentLang();
    try {
      if (file.size > MAX_FILE_BYTES) throw new Error(UI[lang].file_too_large);
      let record;
      try {
        record = JSON.parse(await file.text());
      } catch {
        throw new Error(UI[lang].not_a_declaration);
      }
      if (record === null || typeof record !== "object" || Array.isArray(record)) throw new Error(UI[lang].not_a_declaration);
      onRecord(record, file.name);
    } catch (e) {
      onError(UI[lang].open_failed(e.message));
    }
  });
}

/** The keys of `record` that are not in `known`: kept when a declaration is opened and saved again. */
export function extraFields(record, known) {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !known.includes(k)));
}
