// The cooperative self-declaration form: builds a `cooperative` record from the inputs, and on every
// change validates it (errors under their fields) and evaluates it (live decisions).
import {
  UI, applyLang, currentLang, labelFor, linkErrorSlots, loadEngine, numberOrText, registerOffline,
  setupAsOf, setupLang, showDecisions, showErrors, showStatus, trackInput,
} from "./common.js";

const DECISIONS = ["women_managed", "many_female_jobs", "counts_as_new", "meets_membership_minimum"];
const LABELS = {
  women_managed: { vi: "Do phụ nữ quản lý", en: "Women-managed" },
  many_female_jobs: { vi: "Tạo nhiều việc làm cho lao động nữ", en: "Many jobs for women" },
  counts_as_new: { vi: "Được tính là thành lập mới", en: "Counts as newly founded" },
  meets_membership_minimum: { vi: "Đủ số thành viên tối thiểu", en: "Meets the membership minimum" },
};

const form = document.getElementById("coop-form");
const rows = document.getElementById("managers");
const template = document.getElementById("manager-row");
const status = document.getElementById("status");
/** Pointers of the fields the user has changed: only their errors show while typing. */
const touched = new Set();
let showAll = false;
let engine = null;
let asOf = () => undefined;

function value(id) {
  return document.getElementById(id).value.trim();
}

/** The record the form describes; empty inputs are absent facts (never zero). */
export function record() {
  const r = {};
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
    const m = {};
    const role = tr.querySelector(".role").value;
    const gender = tr.querySelector(".gender").value;
    if (role) m.role = role;
    if (gender) m.gender = gender;
    return m;
  });
  if (managers.length) r.managers = managers;
  return r;
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

function addManager(role = "", gender = "") {
  const row = template.content.firstElementChild.cloneNode(true);
  row.querySelector(".role").value = role;
  row.querySelector(".gender").value = gender;
  applyLang(currentLang(), row);
  rows.append(row);
  renumber();
  return row;
}

function update() {
  if (!engine) return;
  const lang = currentLang();
  const r = record();
  try {
    const validation = engine.validate("cooperative", r, lang, asOf());
    showErrors(form, validation.errors, lang, showAll ? null : touched);
    form.dataset.valid = String(validation.valid);
    const [result] = engine.evaluate("cooperative", r, asOf());
    showDecisions(document.getElementById("decisions"), result.decisions, DECISIONS, LABELS, lang, (p) => labelFor(form, p));
    showStatus(status, null, lang);
  } catch (e) {
    // An engine error (e.g. an invalid as-of date): say so, keep the form usable.
    showStatus(status, e, lang);
  }
}

trackInput(form, touched, update);
form.addEventListener("change", update);
rows.addEventListener("click", (event) => {
  const button = event.target.closest("button.remove");
  if (!button) return;
  button.closest("tr").remove();
  renumber();
  touched.add("/managers");
  update();
});
document.getElementById("add-manager").addEventListener("click", () => {
  addManager().querySelector(".role").focus();
  update();
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  showAll = true;
  update();
});
document.getElementById("save").addEventListener("click", () => {
  // A file saved on this device; nothing is sent anywhere.
  const blob = new Blob([JSON.stringify(record(), null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${value("name") || "htx"}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

setupLang(() => update());
linkErrorSlots(form);
addManager("board_chair", "");
asOf = setupAsOf(document.getElementById("as-of"), null);
registerOffline();
try {
  engine = await loadEngine();
  update();
  document.body.dataset.ready = "true";
} catch (e) {
  status.textContent = `${UI[currentLang()].load_failed}: ${e.message}`;
  document.body.dataset.ready = "error";
}
