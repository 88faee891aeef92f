// The cooperative self-declaration form: builds a `cooperative` record from the inputs, and on every
// change validates it (errors under their fields) and evaluates it (live decisions, one short
// summary). A declaration can be saved to a file on this device and opened again.
import {
  Summary, UI, applyLang, buildTriStates, currentLang, errorText, extraFields, focusFirstErrorOrSummary,
  labelFor, linkErrorSlots, loadEngine, numberOrText, registerOffline, saveJson, setTriState, setupAsOf,
  setupLang, setupOpen, showDecisions, showErrors, trackInput, triState,
} from "./common.js";

const DECISIONS = [
  "women_managed", "many_female_jobs", "counts_as_new", "meets_membership_minimum",
  "priority_cooperative", "priority_sector", "priority_locality",
];
const LABELS = {
  women_managed: { vi: "Do phụ nữ quản lý", en: "Women-managed" },
  many_female_jobs: { vi: "Tạo nhiều việc làm cho lao động nữ", en: "Many jobs for women" },
  counts_as_new: { vi: "Được tính là thành lập mới", en: "Counts as newly founded" },
  meets_membership_minimum: { vi: "Đủ số thành viên tối thiểu", en: "Meets the membership minimum" },
  priority_cooperative: { vi: "HTX thuộc diện ưu tiên (II.2)", en: "Priority cooperative (II.2)" },
  priority_sector: { vi: "Ngành nghề được chú trọng (III.2)", en: "Favoured sector (III.2)" },
  priority_locality: { vi: "Địa phương được ưu tiên (I.2, III.3)", en: "Priority locality (I.2, III.3)" },
};
/** The yes/no/unknown facts of II.2 and of the locality (I.2, III.3). */
const FLAGS = [
  "value_chain", "processing_technology", "traditional_craft", "cultural_restoration",
  "local_natural_resources", "digital_transformation", "planned_production_zone", "craft_village",
];
/** Fields the form has inputs for; any other field of an opened file is kept as it was. */
const KNOWN = ["kind", "name", "established_on", "members", "workers", "managers", "sectors", ...FLAGS];

const form = document.getElementById("coop-form");
const rows = document.getElementById("managers");
const template = document.getElementById("manager-row");
const addButton = document.getElementById("add-manager");
const summary = new Summary(document.getElementById("summary"), document.getElementById("announce"));
/** Pointers of the fields the user has changed: only their errors show while typing. */
const touched = new Set();
let showAll = false;
let engine = null;
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
    const errors = showErrors(form, validation.errors, lang, showAll ? null : touched);
    form.dataset.valid = String(validation.valid);
    const [result] = engine.evaluate("cooperative", r, asOf());
    const counts = showDecisions($("decisions"), result.decisions, DECISIONS, LABELS, lang, (p) => labelFor(form, p));
    const text = UI[lang].summary({ ...counts, errors });
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
linkErrorSlots(form);
addManager("board_chair", "");
asOf = setupAsOf($("as-of"), null);
registerOffline();
summary.say(UI[currentLang()].loading, { now: true });
try {
  engine = await loadEngine();
  update({ now: true });
  document.body.dataset.ready = "true";
} catch (e) {
  summary.say(`${UI[currentLang()].load_failed}: ${e.message}`, { now: true });
  document.body.dataset.ready = "error";
}
