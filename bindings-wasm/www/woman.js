// A woman's registration: builds a `person` record and shows, live, whether she is a priority
// woman, in the programme's target group, and (from the certificate or the income) in a poor or
// near-poor household. Nothing is sent anywhere: the engine runs in this page. Every yes/no
// question can be left unanswered or answered "prefer not to say" — both are unknown (null),
// never "no". A registration can be saved to a file on this device and opened again. Labels,
// choices and the decisions shown, with their titles, are the pack's (PackText).
import {
  PackText, Summary, UI, applyLang, applyPack, askedFields, buildTriStates, currentLang, errorText,
  extraFields, focusFirstErrorOrSummary, linkErrorSlots, loadEngine, numberOrText, registerOffline,
  saveJson, setTriState, setupAsOf, setupLang, setupOpen, showAmount, showDecisions, showErrors,
  trackInput, triState,
} from "./common.js";

const form = document.getElementById("person-form");
/** The yes/no/unknown questions: about her and the programme, then the priority groups of II.2
 * (the sensitive ones among them: violence, trafficking, sexual abuse…). */
const FLAGS = [...form.querySelectorAll("fieldset.tri[data-field]")].map((el) => el.dataset.field);
/** A certified poverty status: yes, no, or absent (not certified: the income standard decides). */
const CERTIFIED = ["poor_household", "near_poor_household"];
/** Fields the form has inputs for; any other field of an opened file is kept as it was. */
const KNOWN = askedFields(form);
/** The household's fields the form has inputs for. */
const HOUSEHOLD = [...form.querySelectorAll('[data-pointer^="/household/"]')].map((el) => el.dataset.pointer.split("/")[2]);

const summary = new Summary(document.getElementById("summary"), document.getElementById("announce"));
const touched = new Set();
let showAll = false;
let engine = null;
/** What the pack says about people (read once the engine has loaded). */
let pack = null;
let asOf = () => undefined;
/** Fields of an opened registration that the form has no input for (e.g. `id`). */
let extras = {};
let householdExtras = {};

const $ = (id) => document.getElementById(id);

/** The record the form describes. Each question answered yes is true, no is false; unanswered is
 * absent and "prefer not to say" is null — both unknown, never false. An uncertified poverty
 * status is absent, so the income standard decides. The income is sent as typed ("1,8 triệu"):
 * the engine reads amounts as people write them. */
export function record() {
  const r = { ...extras };
  if ($("gender").value) r.gender = $("gender").value;
  if ($("cooperative_role").value) r.cooperative_role = $("cooperative_role").value;
  for (const flag of FLAGS) {
    const answer = triState(form, flag);
    if (answer !== undefined) r[flag] = answer;
  }
  for (const certified of CERTIFIED) {
    const v = $(certified).value;
    if (v) r[certified] = v === "true";
  }
  const household = { ...householdExtras };
  if ($("household_area").value) household.area = $("household_area").value;
  const income = $("household_income").value.trim();
  if (income) household.income_per_person_month_vnd = income;
  const deprivations = numberOrText($("household_deprivations").value);
  if (deprivations !== undefined) household.deprivations = deprivations;
  if (Object.keys(household).length) r.household = household;
  return r;
}

/** Fills the form from a record (an opened registration). */
function fill(r) {
  extras = extraFields(r, KNOWN);
  const h = r.household !== null && typeof r.household === "object" ? r.household : {};
  householdExtras = extraFields(h, HOUSEHOLD);
  const text = (v) => (v === undefined || v === null ? "" : String(v));
  $("gender").value = text(r.gender);
  $("cooperative_role").value = text(r.cooperative_role);
  for (const flag of FLAGS) setTriState(form, flag, typeof r[flag] === "boolean" || r[flag] === null ? r[flag] : undefined);
  for (const certified of CERTIFIED) $(certified).value = typeof r[certified] === "boolean" ? String(r[certified]) : "";
  $("household_area").value = text(h.area);
  $("household_income").value = text(h.income_per_person_month_vnd);
  $("household_deprivations").value = text(h.deprivations);
}

function update({ now = false, focus = false } = {}) {
  if (!engine) return;
  const lang = currentLang();
  const r = record();
  showAmount($("household_income"), $("income-read"), lang);
  try {
    const validation = engine.validate("person", r, lang, asOf());
    const errors = showErrors(form, validation.errors, lang, showAll ? null : touched, pack);
    form.dataset.valid = String(validation.valid);
    const [result] = engine.evaluate("person", r, asOf());
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
form.addEventListener("submit", (event) => {
  event.preventDefault();
  showAll = true;
  update({ focus: true });
  focusFirstErrorOrSummary(form, summary);
});
$("save").addEventListener("click", () => saveJson(record(), "dang-ky.json"));
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
  pack = new PackText(engine, "person");
  applyPack(form, pack);
  applyLang(currentLang());
  linkErrorSlots(form);
  form.removeAttribute("aria-busy");
  update({ now: true });
  document.body.dataset.ready = "true";
} catch (e) {
  summary.say(`${UI[currentLang()].load_failed}: ${e.message}`, { now: true });
  document.body.dataset.ready = "error";
}
