// The cooperative self-declaration form: builds a `cooperative` record from the inputs, and on every
// change validates it (errors under their fields) and evaluates it (live decisions, one short
// summary). A declaration can be saved to a file on this device and opened again. Labels, choices
// (kinds, roles, sectors) and the decisions shown, with their titles, are the pack's (PackText).
import {
  PackText, Summary, UI, applyLang, applyPack, askedFields, buildTriStates, currentLang, errorText,
  extraFields, focusFirstErrorOrSummary, linkErrorSlots, loadEngine, numberOrText, registerOffline,
  saveJson, setTriState, setupAsOf, setupLang, setupOpen, showDecisions, showErrors, trackInput, triState,
} from "./common.js";

const form = document.getElementById("coop-form");
/** The yes/no/unknown facts (the questions of II.2, I.2 and the locality). */
const FLAGS = [...form.querySelectorAll("fieldset.tri[data-field]")].map((el) => el.dataset.field);
/** Fields the form has inputs for; any other field of an opened file is kept as it was. */
const KNOWN = askedFields(form);

const rows = document.getElementById("managers");
const template = document.getElementById("manager-row");
const addButton = document.getElementById("add-manager");
const summary = new Summary(document.getElementById("summary"), document.getElementById("announce"));
/** Pointers of the fields the user has changed: only their errors show while typing. */
const touched = new Set();
let showAll = false;
let engine = null;
/** What the pack says about cooperatives (read once the engine has loaded). */
let pack = null;
let asOf = () => undefined;
/** Fields of an opened declaration that the form has no input for (e.g. `id`). */
let extras = {};

const $ = (id) => document.getElementById(id);
const value = (id) => $(id).value.trim();

/** The record the form describes; empty inputs and unanswered questions are absent facts
 * ("not sure" is null): never zero, never false. */
export function record() {
  const r = { ...extras };
  if (value("kind")) r.kind = value("kind");
  if (value("name")) r.name = value("name");
  if (value("established_on")) r.established_on = value("established_on");
  for (const group of ["members", "workers"]) {
    const total = numberOrText(value(`${group}_total`));
    const female = numberOrText(value(`${group}_female`));
    if (total !== undefined || female !== undefined) {
      r[group] = {};
      if (total !== undefined) r[group].total = total;
      if (female !== undefined) r[group].female = female;
    }
  }
  const managers = [...rows.querySelectorAll("tr")].map((tr) => {
    const m = JSON.parse(tr.dataset.extra ?? "{}");
    const role = tr.querySelector(".role").value;
    const gender = tr.querySelector(".gender").value;
    if (role) m.role = role;
    if (gender) m.gender = gender;
    return m;
  });
  if (managers.length) r.managers = managers;
  const sectors = [...form.querySelectorAll('input[name="sectors"]:checked')].map((el) => el.value);
  if (sectors.length) r.sectors = sectors;
  for (const flag of FLAGS) {
    const answer = triState(form, flag);
    if (answer !== undefined) r[flag] = answer;
  }
  return r;
}

/** Fills the form from a record (an opened declaration). */
function fill(r) {
  extras = extraFields(r, KNOWN);
  const text = (v) => (v === undefined || v === null ? "" : String(v));
  $("kind").value = text(r.kind);
  $("name").value = text(r.name);
  $("established_on").value = text(r.established_on);
  for (const group of ["members", "workers"]) {
    $(`${group}_total`).value = text(r[group]?.total);
    $(`${group}_female`).value = text(r[group]?.female);
  }
  rows.replaceChildren();
  for (const m of Array.isArray(r.managers) ? r.managers : []) {
    const { role, gender, ...rest } = m ?? {};
    addManager(text(role), text(gender), rest);
  }
  const sectors = new Set(Array.isArray(r.sectors) ? r.sectors : []);
  for (const el of form.querySelectorAll('input[name="sectors"]')) el.checked = sectors.has(el.value);
  for (const flag of FLAGS) setTriState(form, flag, typeof r[flag] === "boolean" || r[flag] === null ? r[flag] : undefined);
}

function renumber() {
  [...rows.querySelectorAll("tr")].forEach((tr, i) => {
    for (const [cls, field] of [["role", "role"], ["gender", "gender"]]) {
      const el = tr.querySelector(`.${cls}`);
      const pointer = `/managers/${i}/${field}`;
      if (el.dataset.pointer !== pointer) {
        if (el.dataset.errorId) document.getElementById(el.dataset.errorId)?.remove();
        el.removeAttribute("aria-describedby");
        delete el.dataset.errorId;
        el.dataset.pointer = pointer;
        el.id = `managers-${i}-${field}`;
      }
    }
  });
  linkErrorSlots(rows);
}

function addManager(role = "", gender = "", extra = {}) {
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelector(".role").value = role;
  row.querySelector(".gender").value = gender;
  if (Object.keys(extra).length) row.dataset.extra = JSON.stringify(extra);
  applyLang(currentLang(), row);
  rows.append(row);
  renumber();
  return row;
}

/** Validates and evaluates the record; the summary speaks now (`now`) or once typing pauses. */
function update({ now = false, focus = false } = {}) {
  if (!engine) return;
  const lang = currentLang();
  const r = record();
  try {
    const validation = engine.validate("cooperative", r, lang, asOf());
    const errors = showErrors(form, validation.errors, lang, showAll ? null : touched, pack);
    form.dataset.valid = String(validation.valid);
    const [result] = engine.evaluate("cooperative", r, asOf());
    const counts = showDecisions($("decisions"), result.decisions, pack, lang);
    const text = UI[lang].summary({ ...counts, errors }, pack.outcomeWords(lang));
    if (focus) summary.el.textContent = text;
    else summary.say(text, { now });
  } catch (e) {
    // An engine error (e.g. an invalid as-of date): say so, keep the form usable.
    summary.say(errorText(e, lang), { now: true });
  }
}

buildTriStates(form);
trackInput(form, touched, () => update());
rows.addEventListener("click", (event) => {
  const button = event.target.closest("button.remove");
  if (!button) return;
  const row = button.closest("tr");
  // Focus goes where the user can carry on: the next row's first field, else the add button.
  const next = row.nextElementSibling?.querySelector(".role") ?? addButton;
  row.remove();
  renumber();
  touched.add("/managers");
  update({ now: true });
  next.focus();
});
addButton.addEventListener("click", () => {
  addManager().querySelector(".role").focus();
  update();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  showAll = true;
  update({ focus: true });
  focusFirstErrorOrSummary(form, summary);
});
$("save").addEventListener("click", () => {
  // A file saved on this device; nothing is sent anywhere.
  saveJson(record(), `${value("name").replace(/[\\/:*?"<>|]+/g, " ").trim() || "htx"}.json`);
});
setupOpen($("open"), $("open-file"), (r, name) => {
  fill(r);
  showAll = true;
  update({ focus: true });
  summary.say(`${UI[currentLang()].opened(name)} ${summary.el.textContent}`, { focus: true });
}, (message) => summary.say(message, { focus: true }));

setupLang(() => update({ now: true }));
asOf = setupAsOf($("as-of"), null);
registerOffline();
summary.say(UI[currentLang()].loading, { now: true });
try {
  engine = await loadEngine();
  pack = new PackText(engine, "cooperative");
  applyPack(form, pack);
  applyPack(template.content, pack);
  applyLang(currentLang());
  linkErrorSlots(form);
  addManager("board_chair", "");
  form.removeAttribute("aria-busy");
  update({ now: true });
  document.body.dataset.ready = "true";
} catch (e) {
  summary.say(`${UI[currentLang()].load_failed}: ${e.message}`, { now: true });
  document.body.dataset.ready = "error";
}
