// Shared by both forms: loading the engine, the language switch, the as-of date, showing field
// errors under the right input and showing decisions. Everything runs on this device; after the
// page and the .wasm file have loaded, nothing is fetched or sent.
import init, { Engine } from "../pkg/htx_rules.js";

/** UI texts (the rules' own texts — reasons, errors — come from the engine in both languages). */
export const UI = {
  vi: {
    outcome_yes: "Có", outcome_no: "Không", outcome_unknown: "Chưa xác định",
    missing: "Còn thiếu", cite: "Căn cứ", section: "mục", value: "Giá trị", target: "Chỉ tiêu",
    loading: "Đang tải bộ quy tắc…", load_failed: "Không tải được bộ quy tắc",
    form_errors: "Lỗi chung của biểu mẫu",
  },
  en: {
    outcome_yes: "Yes", outcome_no: "No", outcome_unknown: "Unknown",
    missing: "Missing", cite: "Source", section: "section", value: "Value", target: "Target",
    loading: "Loading the rules…", load_failed: "Could not load the rules",
    form_errors: "Form-level errors",
  },
};

const LANG_KEY = "htx-rules.lang";

/** The current language: Vietnamese unless the user chose English (kept on this device). */
export function currentLang() {
  try {
    return localStorage.getItem(LANG_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
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

/** Loads the wasm module and the embedded Bến Tre pack. */
export async function loadEngine() {
  await init({ module_or_path: new URL("../pkg/htx_rules_wasm_bg.wasm", import.meta.url) });
  return new Engine();
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
 * pointers the user has touched; null = all) get their messages; the rest wait.
 */
export function showErrors(form, errors, lang, shown) {
  for (const el of form.querySelectorAll("[data-pointer]")) {
    el.removeAttribute("aria-invalid");
    const slot = document.getElementById(el.dataset.errorId ?? "");
    if (slot) slot.replaceChildren();
  }
  const general = form.querySelector(".form-errors");
  general?.replaceChildren();
  for (const error of errors) {
    const el = errorSlot(form, error.field);
    const touched = shown === null || [...shown].some((p) => error.field === p || error.field.startsWith(p + "/") || p.startsWith(error.field + "/"));
    if (!touched) continue;
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
      li.textContent = error.field ? `${error.field}: ${text}` : text;
      general.append(li);
    }
  }
}

/** Gives every [data-pointer] input an error slot after it, linked with aria-describedby. */
export function linkErrorSlots(root) {
  for (const el of root.querySelectorAll("[data-pointer]:not([data-error-id])")) {
    const id = "err" + el.dataset.pointer.replaceAll("/", "-").replaceAll("_", "-");
    let slot = document.getElementById(id);
    if (!slot) {
      slot = document.createElement("span");
      slot.id = id;
      slot.className = "field-error";
      slot.setAttribute("aria-live", "polite");
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

/**
 * Renders decisions into `container`: one <article data-decision=name data-outcome=...> each, with
 * its outcome, value, reasons, missing facts and citation.
 */
export function showDecisions(container, decisions, names, labels, lang, fieldLabel) {
  const t = UI[lang];
  container.replaceChildren();
  for (const name of names) {
    const d = decisions[name];
    const card = document.createElement("article");
    card.className = "decision";
    card.dataset.decision = name;
    card.dataset.outcome = d ? d.outcome : "unknown";
    const head = document.createElement("h3");
    const title = document.createElement("span");
    title.textContent = labels[name]?.[lang] ?? name;
    const badge = document.createElement("span");
    badge.className = `badge badge-${card.dataset.outcome}`;
    badge.textContent = t[`outcome_${card.dataset.outcome}`];
    head.append(title, " ", badge);
    card.append(head);
    if (!d) {
      container.append(card);
      continue;
    }
    const code = document.createElement("code");
    code.className = "decision-name";
    code.textContent = name;
    card.append(code);
    if (d.value !== null && d.value !== undefined) {
      const p = document.createElement("p");
      p.className = "value";
      p.textContent = `${t.value}: ${formatValue(d.value, lang)}` + (d.target !== null && d.target !== undefined ? ` — ${t.target}: ${formatValue(d.target, lang)}` : "");
      card.append(p);
    }
    if (d.reasons.length) {
      const ul = document.createElement("ul");
      ul.className = "reasons";
      for (const r of d.reasons) {
        const li = document.createElement("li");
        li.textContent = r[lang];
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
}

/** The visible label of the input for a JSON Pointer, or the pointer itself. */
export function labelFor(root, pointer) {
  const el = root.querySelector(`[data-pointer="${CSS.escape(pointer)}"]`);
  const label = el?.closest("label")?.querySelector(".label-text") ?? (el?.id ? root.querySelector(`label[for="${el.id}"]`) : null);
  return label?.textContent?.trim() || pointer;
}

/** Shows an engine error (e.g. an invalid as-of date) in `status`, keeping the form usable;
 * `null` hides it. */
export function showStatus(status, error, lang) {
  status.hidden = !error;
  if (error) status.textContent = `${error.code ?? error.name}: ${error.messages?.[lang] ?? error.message}`;
}

/** Re-checks on every input, remembering which fields (by JSON Pointer) the user has touched. */
export function trackInput(form, touched, update) {
  form.addEventListener("input", (event) => {
    const el = event.target.closest("[data-pointer]");
    if (el) touched.add(el.dataset.pointer);
    update();
  });
}
