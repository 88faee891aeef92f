// A woman's registration: builds a `person` record and shows, live, whether she is a priority
// woman, in the programme's target group, and (from the certificate or the income) in a poor or
// near-poor household. Nothing is sent anywhere: the engine runs in this page.
import {
  UI, currentLang, labelFor, linkErrorSlots, loadEngine, numberOrText, registerOffline, setupAsOf,
  setupLang, showDecisions, showErrors, showStatus, trackInput,
} from "./common.js";

const DECISIONS = ["priority_woman", "target_group", "poor_household", "near_poor_household"];
const LABELS = {
  priority_woman: { vi: "Phụ nữ thuộc nhóm ưu tiên", en: "Priority woman" },
  target_group: { vi: "Thuộc đối tượng của chương trình", en: "In the programme's target group" },
  poor_household: { vi: "Hộ nghèo", en: "Poor household" },
  near_poor_household: { vi: "Hộ cận nghèo", en: "Near-poor household" },
};
const FLAGS = [
  "wants_to_join", "union_member", "union_official", "disadvantaged_area", "disability", "reintegrated",
  "trafficking_victim", "domestic_violence_victim", "sexual_abuse_victim", "unsafe_migrant",
  "laid_off_industrial_worker",
];

const form = document.getElementById("person-form");
const status = document.getElementById("status");
const touched = new Set();
let engine = null;
let asOf = () => undefined;

const $ = (id) => document.getElementById(id);

/** The record the form describes. A ticked box is true, an unticked one false (she answered);
 * an uncertified poverty status is absent, so the income standard decides. */
export function record() {
  const r = {};
  if ($("gender").value) r.gender = $("gender").value;
  if ($("cooperative_role").value) r.cooperative_role = $("cooperative_role").value;
  for (const flag of FLAGS) r[flag] = $(flag).checked;
  for (const certified of ["poor_household", "near_poor_household"]) {
    const v = $(certified).value;
    if (v) r[certified] = v === "true";
  }
  const household = {};
  if ($("household_area").value) household.area = $("household_area").value;
  const income = numberOrText($("household_income").value);
  if (income !== undefined) household.income_per_person_month_vnd = income;
  const deprivations = numberOrText($("household_deprivations").value);
  if (deprivations !== undefined) household.deprivations = deprivations;
  if (Object.keys(household).length) r.household = household;
  return r;
}

function update() {
  if (!engine) return;
  const lang = currentLang();
  const r = record();
  try {
    const validation = engine.validate("person", r, lang, asOf());
    showErrors(form, validation.errors, lang, touched);
    form.dataset.valid = String(validation.valid);
    const [result] = engine.evaluate("person", r, asOf());
    showDecisions($("decisions"), result.decisions, DECISIONS, LABELS, lang, (p) => labelFor(form, p));
    showStatus(status, null, lang);
  } catch (e) {
    // An engine error (e.g. an invalid as-of date): say so, keep the form usable.
    showStatus(status, e, lang);
  }
}

trackInput(form, touched, update);
form.addEventListener("submit", (event) => event.preventDefault());

setupLang(() => update());
linkErrorSlots(form);
asOf = setupAsOf($("as-of"), null);
registerOffline();
try {
  engine = await loadEngine();
  update();
  document.body.dataset.ready = "true";
} catch (e) {
  status.textContent = `${UI[currentLang()].load_failed}: ${e.message}`;
  document.body.dataset.ready = "error";
}
