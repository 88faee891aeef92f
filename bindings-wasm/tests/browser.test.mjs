// The web forms in a real browser (Debian's Chromium through playwright-core): errors appear in
// Vietnamese under the right field, decisions change live, and nothing leaves 127.0.0.1.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "./serve.mjs";
import { MARK, markedPack } from "./packs.mjs";
import { Engine, default as htxRules } from "./wasm.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from "./chromium.mjs";

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));
const AXE = readFileSync(fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url)), "utf8");

let server;
let context;
let userDataDir;
/** Every request the browser made, and those that tried to leave 127.0.0.1 (blocked). */
const requests = [];
const escaped = [];

before(async () => {
  server = await startServer();
  userDataDir = mkdtempSync(join(tmpdir(), "htx-rules-chromium-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: "vi-VN",
    timezoneId: "Asia/Ho_Chi_Minh",
    serviceWorkers: "allow",
    acceptDownloads: true,
  });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    requests.push(url.href);
    if (url.protocol === "data:" || url.protocol === "blob:" || url.hostname === "127.0.0.1") return route.continue();
    escaped.push(url.href);
    return route.abort();
  });
  context.on("request", (req) => {
    const url = new URL(req.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.hostname !== "127.0.0.1") escaped.push(url.href);
  });
  mkdirSync(OUTPUT, { recursive: true });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** Opens a form and waits for its engine; `pack` ({ files, root }) is handed to the page as
 * `globalThis.htxRulesPack`, which the forms load instead of the embedded pack. */
async function open(path, { pack } = {}) {
  const page = await context.newPage();
  if (pack) await page.addInitScript((p) => { globalThis.htxRulesPack = p; }, pack);
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e));
  page.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(new Error(m.text()));
  });
  await page.goto(`${server.url}${path}`);
  await page.waitForSelector("body[data-ready]");
  assert.equal(await page.getAttribute("body", "data-ready"), "true", "the engine loaded");
  return { page, pageErrors };
}

/** The error text shown for the input with this JSON Pointer, found through aria-describedby. */
async function errorFor(page, pointer) {
  return page.evaluate((p) => {
    const el = document.querySelector(`[data-pointer="${p}"]`);
    const ids = (el?.getAttribute("aria-describedby") ?? "").split(/\s+/).filter(Boolean);
    const slots = ids.map((id) => document.getElementById(id)).filter((slot) => slot?.classList.contains("field-error"));
    return slots.map((slot) => slot.textContent).join(" ").trim();
  }, pointer);
}

const outcome = (page, name) => page.getAttribute(`[data-decision="${name}"]`, "data-outcome");

describe("cooperative self-declaration form", () => {
  test("Vietnamese by default, with an as-of date defaulting to today", async () => {
    const { page, pageErrors } = await open("/www/");
    assert.equal(await page.getAttribute("html", "lang"), "vi");
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    });
    assert.equal(await page.inputValue("#as-of"), today);
    for (const name of ["women_managed", "many_female_jobs", "counts_as_new", "meets_membership_minimum"]) {
      assert.ok(await page.$(`[data-decision="${name}"]`), `decision ${name} shown`);
    }
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("female workers above total: a Vietnamese error under that field, linked by aria-describedby", async () => {
    const { page, pageErrors } = await open("/www/");
    await page.fill("#as-of", "2025-06-30");
    await page.locator("#workers_total").pressSequentially("10");
    await page.locator("#workers_female").pressSequentially("12");
    const text = await errorFor(page, "/workers/female");
    assert.notEqual(text, "", "an error is shown under female workers");
    assert.match(text, /[ạảãàáâậầấẩẫăắằẳẵặđêềếểễệôồốổỗộơờớởỡợưừứửữự]/i, `Vietnamese text: ${text}`);
    assert.equal(await page.getAttribute("#workers_female", "aria-invalid"), "true");
    assert.equal(await errorFor(page, "/workers/total"), "", "nothing under the total");
    // Fixing it clears the error.
    await page.fill("#workers_female", "7");
    assert.equal(await errorFor(page, "/workers/female"), "");
    // English toggle: the same error in English.
    await page.fill("#workers_female", "12");
    await page.click("#lang-toggle");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    const english = await errorFor(page, "/workers/female");
    assert.notEqual(english, text);
    assert.notEqual(english, "");
    await page.click("#lang-toggle");
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("errors inside the managers table map to their row's inputs (/managers/0/gender)", async () => {
    const { page, pageErrors } = await open("/www/");
    // Untouched fields stay quiet while typing…
    await page.selectOption("#managers-0-role", "director");
    assert.equal(await errorFor(page, "/managers/0/gender"), "");
    // …and "check everything" shows every error under its field.
    await page.click("#check");
    assert.match(await errorFor(page, "/managers/0/gender"), /giới tính/i);
    assert.equal(await page.getAttribute("#managers-0-gender", "aria-invalid"), "true");
    assert.notEqual(await errorFor(page, "/kind"), "");
    await page.selectOption("#managers-0-gender", "female");
    assert.equal(await errorFor(page, "/managers/0/gender"), "");
    // A second row, removed again: its error slot goes with it.
    await page.click("#add-manager");
    assert.match(await errorFor(page, "/managers/1/role"), /chức danh/i);
    await page.click("#managers tr:nth-child(2) button.remove");
    assert.equal(await page.$("#managers-1-role"), null);
    assert.equal(await page.$("#err-managers-1-role"), null);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("many_female_jobs flips from no to yes above 60% (phase 1: 6 of 10 no, 7 of 10 yes)", async () => {
    const { page, pageErrors } = await open("/www/");
    await page.fill("#as-of", "2025-06-30");
    assert.equal(await outcome(page, "many_female_jobs"), "unknown", "unknown before any figure");
    await page.fill("#workers_total", "10");
    await page.fill("#workers_female", "6");
    assert.equal(await outcome(page, "many_female_jobs"), "no");
    await page.fill("#workers_female", "7");
    assert.equal(await outcome(page, "many_female_jobs"), "yes");
    // A manager row: women_managed follows the chair's gender; errors map to /managers/0/...
    await page.selectOption("#managers-0-role", "board_chair");
    await page.selectOption("#managers-0-gender", "female");
    assert.equal(await outcome(page, "women_managed"), "yes");
    await page.selectOption("#managers-0-gender", "male");
    assert.equal(await outcome(page, "women_managed"), "no");
    await page.click("#add-manager");
    assert.ok(await page.$("#managers-1-role"));
    await page.click("#managers tr:first-child button.remove");
    assert.equal(await page.$("#managers-1-role"), null, "rows renumbered after removal");
    // A complete declaration for the screenshot.
    await page.selectOption("#kind", "htx");
    await page.fill("#name", "HTX Dệt chiếu Bình Thành");
    await page.fill("#established_on", "2024-03-15");
    await page.fill("#members_total", "12");
    await page.fill("#members_female", "9");
    await page.fill("#workers_total", "40");
    await page.fill("#workers_female", "31");
    await page.selectOption("#managers-0-gender", "female");
    await page.selectOption("#managers-0-role", "director");
    await page.screenshot({ path: join(OUTPUT, "cooperative-form.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});

describe("women's registration form", () => {
  test("says nothing leaves the device; decisions live; no request at all while typing", async () => {
    const { page, pageErrors } = await open("/www/dang-ky.html");
    await page.evaluate(() => navigator.serviceWorker?.ready);
    const privacy = await page.textContent("#privacy");
    assert.match(privacy, /không rời khỏi thiết bị/);
    const before = requests.length;
    await page.fill("#as-of", "2025-06-30");
    await page.selectOption("#gender", "female");
    await page.selectOption("#cooperative_role", "member");
    assert.equal(await outcome(page, "target_group"), "yes");
    await page.check("#laid_off_industrial_worker-true");
    assert.equal(await outcome(page, "priority_woman"), "yes");
    await page.selectOption("#household_area", "rural");
    await page.fill("#household_income", "1400000");
    await page.fill("#household_deprivations", "3");
    assert.equal(await outcome(page, "poor_household"), "yes");
    await page.fill("#household_deprivations", "1");
    assert.equal(await outcome(page, "poor_household"), "no");
    assert.equal(await outcome(page, "near_poor_household"), "yes");
    await page.selectOption("#near_poor_household", "false");
    assert.equal(await outcome(page, "near_poor_household"), "no", "a certified flag wins");
    assert.equal(requests.length, before, `no request after load: ${requests.slice(before).join(", ")}`);
    await page.screenshot({ path: join(OUTPUT, "registration-form.png"), fullPage: true });
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("works offline once loaded (service worker)", async () => {
    const { page } = await open("/www/dang-ky.html");
    await page.evaluate(() => navigator.serviceWorker?.ready);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.waitForSelector("body[data-ready]");
      assert.equal(await page.getAttribute("body", "data-ready"), "true");
    } finally {
      await context.setOffline(false);
      await page.close();
    }
  });
});

test("no request left 127.0.0.1", () => {
  assert.ok(requests.length > 0);
  assert.deepEqual(escaped, []);
});

/** axe-core's violations on the page as it is now (axe injected through the DevTools protocol,
 * which the page's CSP does not govern). */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  assert.ok(result.passes.length > 20, `axe ran its rules (${result.passes.length} passed)`);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** What has the keyboard focus: its id, or its tag when it has none. */
const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

/** Saves the form (the page's download) and returns the saved JSON. */
async function saved(page) {
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
  return JSON.parse(readFileSync(await download.path(), "utf8"));
}

describe("accessibility (axe-core) and keyboard", () => {
  for (const [path, name] of [["/www/", "cooperative form"], ["/www/dang-ky.html", "registration form"]]) {
    test(`${name}: 0 axe violations — empty, after "check everything" with errors, and in English`, async () => {
      const { page, pageErrors } = await open(path);
      assert.deepEqual(await axeViolations(page), [], "as loaded");
      await page.click("#check");
      if (path === "/www/") assert.ok(await page.$('[aria-invalid="true"]'), "errors are shown");
      assert.deepEqual(await axeViolations(page), [], "with errors shown");
      await page.click("#lang-toggle");
      assert.equal(await page.getAttribute("html", "lang"), "en");
      assert.deepEqual(await axeViolations(page), [], "in English");
      await page.click("#lang-toggle");
      assert.deepEqual(pageErrors, []);
      await page.close();
    });
  }

  test("one live region on each form, polite, announcing a short summary once typing pauses", async () => {
    for (const path of ["/www/", "/www/dang-ky.html"]) {
      const { page } = await open(path);
      const live = await page.$$eval('[aria-live], [role="status"], [role="alert"], [role="log"], output', (els) => els.map((e) => e.id));
      assert.deepEqual(live, ["announce"], `${path}: exactly one live region`);
      await page.waitForFunction(() => document.getElementById("announce").textContent !== "");
      const first = await page.textContent("#announce");
      assert.ok(first.length < 120, `short: ${first}`);
      if (path === "/www/") {
        await page.fill("#as-of", "2025-06-30");
        await page.locator("#workers_total").pressSequentially("10", { delay: 30 });
        await page.locator("#workers_female").pressSequentially("7", { delay: 30 });
        // the visible summary follows at once; the live region waits for a pause
        assert.notEqual(await page.textContent("#summary"), first);
        assert.equal(await page.textContent("#announce"), first, "nothing announced while typing");
        await page.waitForFunction((t) => document.getElementById("announce").textContent !== t, first);
        assert.equal(await page.textContent("#announce"), await page.textContent("#summary"));
      }
      await page.close();
    }
  });

  test("after \"check everything\" (Enter): focus on the first field with an error, else on the results summary", async () => {
    const { page, pageErrors } = await open("/www/");
    await page.fill("#as-of", "2025-06-30");
    await page.focus("#check");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "kind", "the first field in error (kind is required)");
    await page.selectOption("#kind", "htx");
    await page.selectOption("#managers-0-gender", "female");
    await page.focus("#check");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "summary");
    assert.match(await page.textContent("#summary"), /^Kết quả: \d+ có, \d+ không, \d+ chưa xác định\.$/);
    assert.deepEqual(pageErrors, []);
    await page.close();

    const reg = await open("/www/dang-ky.html");
    await reg.page.fill("#household_income", "abc");
    await reg.page.focus("#check");
    await reg.page.keyboard.press("Enter");
    assert.equal(await focused(reg.page), "household_income", "the income that is not an amount");
    await reg.page.fill("#household_income", "1.800.000đ");
    await reg.page.focus("#check");
    await reg.page.keyboard.press("Space");
    assert.equal(await focused(reg.page), "summary");
    assert.deepEqual(reg.pageErrors, []);
    await reg.page.close();
  });

  test("removing a manager row (keyboard): focus moves to the next row's first field, else to the add button — never <body>", async () => {
    const { page, pageErrors } = await open("/www/");
    await page.click("#add-manager");
    await page.click("#add-manager");
    await page.selectOption("#managers-1-role", "director");
    await page.selectOption("#managers-2-role", "accountant");
    // remove the first of three rows: the next row (now row 0) takes the focus
    await page.focus("#managers tr:nth-child(1) button.remove");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "managers-0-role");
    assert.equal(await page.inputValue("#managers-0-role"), "director", "the row that was next");
    // remove the last row: no next row, so the add button
    await page.focus("#managers tr:nth-child(2) button.remove");
    await page.keyboard.press("Space");
    assert.equal(await focused(page), "add-manager");
    // remove the only row left
    await page.focus("#managers tr:nth-child(1) button.remove");
    await page.keyboard.press("Enter");
    assert.equal(await focused(page), "add-manager");
    assert.equal(await page.$$eval("#managers tr", (r) => r.length), 0);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});

describe("the registration's sensitive questions", () => {
  const GROUPS = ["disadvantaged_area", "disability", "reintegrated", "trafficking_victim", "domestic_violence_victim",
    "sexual_abuse_victim", "unsafe_migrant", "laid_off_industrial_worker"];

  test("\"prefer not to say\" sends null and gives unknown, never no; unanswered is absent, never false", async () => {
    const { page, pageErrors } = await open("/www/dang-ky.html");
    await page.fill("#as-of", "2025-06-30");
    await page.selectOption("#gender", "female");
    // nothing answered: every question absent, priority unknown
    let record = await saved(page);
    for (const flag of [...GROUPS, "wants_to_join", "union_member", "union_official"]) assert.ok(!(flag in record), `${flag} absent`);
    assert.equal(await outcome(page, "priority_woman"), "unknown");
    const shown = await page.innerText("#decisions");
    // (a pointer starts a word: the pack's "đầu người/tháng" is not one)
    assert.doesNotMatch(shown, /(?<![\p{L}\d])\/[a-z_]+|\b[a-z]+_[a-z_]+\b/u, `no JSON Pointer or code name in what people read:\n${shown}`);
    assert.match(shown, /Bị bạo lực gia đình/, "the missing facts by their labels");
    // every group "no" except the certified poverty status (no certificate, no income): unknown
    for (const flag of GROUPS) await page.check(`#${flag}-false`);
    await page.selectOption("#poor_household", "false");
    await page.selectOption("#near_poor_household", "false");
    assert.equal(await outcome(page, "priority_woman"), "no", "every group answered no");
    // one sensitive question answered "prefer not to say": unknown again, and null in the record
    await page.check("#trafficking_victim-null");
    assert.equal(await outcome(page, "priority_woman"), "unknown", "prefer not to say is unknown, not no");
    record = await saved(page);
    assert.equal(record.trafficking_victim, null);
    assert.equal(record.domestic_violence_victim, false);
    await page.check("#sexual_abuse_victim-true");
    assert.equal(await outcome(page, "priority_woman"), "yes");
    // the reason never names the group (sensitive): the pack's text says "at least one group"
    assert.doesNotMatch(await page.textContent('[data-decision="priority_woman"]'), /xâm hại|sexual/i);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test("amounts as people write them: the income is read, shown back, and decides", async () => {
    const { page, pageErrors } = await open("/www/dang-ky.html");
    await page.fill("#as-of", "2025-06-30");
    await page.selectOption("#gender", "female");
    await page.selectOption("#household_area", "urban");
    await page.fill("#household_deprivations", "3");
    for (const typed of ["1.800.000đ", "1.800.000 đồng", "1,8 triệu", "1800000", "1tr8", "1 800 000 VND"]) {
      await page.fill("#household_income", typed);
      assert.equal(await page.textContent("#income-read"), "Hiểu là 1.800.000 đồng", typed);
      assert.equal(await outcome(page, "poor_household"), "yes", `${typed}: poor in town (line 2.000.000)`);
      assert.match(await page.textContent('[data-decision="poor_household"] .value'), /1\.800\.000/);
      assert.equal(await errorFor(page, "/household/income_per_person_month_vnd"), "");
    }
    await page.fill("#household_income", "2,1 triệu");
    assert.equal(await outcome(page, "poor_household"), "no");
    // ambiguous: refused with an error under the field, never a guess
    await page.fill("#household_income", "1,500 triệu");
    assert.equal(await page.textContent("#income-read"), "");
    assert.notEqual(await errorFor(page, "/household/income_per_person_month_vnd"), "");
    assert.equal(await outcome(page, "poor_household"), "unknown");
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});

describe("saving and opening a declaration", () => {
  test("registration: saved to a file, opened in a fresh page, every answer back (null too)", async () => {
    const { page } = await open("/www/dang-ky.html");
    await page.fill("#as-of", "2025-06-30");
    await page.selectOption("#cooperative_role", "member");
    await page.check("#wants_to_join-true");
    await page.check("#domestic_violence_victim-null");
    await page.check("#disability-false");
    await page.selectOption("#household_area", "rural");
    await page.fill("#household_income", "1,4 triệu");
    await page.fill("#household_deprivations", "3");
    const record = await saved(page);
    assert.deepEqual(record, {
      gender: "female", cooperative_role: "member", wants_to_join: true, disability: false, domestic_violence_victim: null,
      household: { area: "rural", income_per_person_month_vnd: "1,4 triệu", deprivations: 3 },
    });
    const decisions = await page.$$eval("[data-decision]", (els) => els.map((e) => [e.dataset.decision, e.dataset.outcome]));
    await page.close();
    const file = join(OUTPUT, "registration.json");
    writeFileSync(file, JSON.stringify({ ...record, id: "P-7" }));

    const fresh = await open("/www/dang-ky.html");
    await fresh.page.fill("#as-of", "2025-06-30");
    await fresh.page.setInputFiles("#open-file", file);
    await fresh.page.waitForFunction(() => document.getElementById("summary").textContent.includes("registration.json"));
    assert.equal(await focused(fresh.page), "summary");
    assert.equal(await fresh.page.isChecked("#domestic_violence_victim-null"), true);
    assert.equal(await fresh.page.isChecked("#wants_to_join-true"), true);
    assert.equal(await fresh.page.isChecked("#trafficking_victim-null"), false, "unanswered stays unanswered");
    assert.equal(await fresh.page.inputValue("#household_income"), "1,4 triệu");
    assert.deepEqual(await fresh.page.$$eval("[data-decision]", (els) => els.map((e) => [e.dataset.decision, e.dataset.outcome])), decisions);
    // saved again: the same record, and the field the form has no input for (id) kept
    assert.deepEqual(await saved(fresh.page), { ...record, id: "P-7" });
    // a file that is not a declaration: said in the summary, the form unchanged
    const bad = join(OUTPUT, "not-a-declaration.json");
    writeFileSync(bad, "[1, 2]");
    await fresh.page.setInputFiles("#open-file", bad);
    await fresh.page.waitForFunction(() => /Không mở được tệp/.test(document.getElementById("summary").textContent));
    assert.equal(await fresh.page.inputValue("#household_income"), "1,4 triệu");
    assert.deepEqual(fresh.pageErrors, []);
    await fresh.page.close();
  });

  test("cooperative: sectors, II.2 activities and locality decide the priority decisions; saved and opened again", async () => {
    const { page, pageErrors } = await open("/www/");
    await page.fill("#as-of", "2025-06-30");
    for (const name of ["priority_cooperative", "priority_sector", "priority_locality"]) {
      assert.equal(await outcome(page, name), "unknown", `${name}: unknown before any answer`);
    }
    await page.selectOption("#kind", "htx");
    await page.fill("#name", "HTX Dệt chiếu Bình Thành");
    await page.fill("#established_on", "2024-03-15");
    await page.fill("#members_total", "12");
    await page.fill("#members_female", "9");
    await page.fill("#workers_total", "40");
    await page.fill("#workers_female", "31");
    await page.selectOption("#managers-0-gender", "female");
    await page.check("#sectors-weaving");
    await page.check("#sectors-ocop");
    assert.equal(await outcome(page, "priority_sector"), "yes");
    await page.check("#value_chain-true");
    assert.equal(await outcome(page, "priority_cooperative"), "yes");
    await page.check("#planned_production_zone-false");
    await page.check("#craft_village-null");
    assert.equal(await outcome(page, "priority_locality"), "unknown", "not sure is unknown");
    await page.check("#craft_village-true");
    assert.equal(await outcome(page, "priority_locality"), "yes");
    const record = await saved(page);
    assert.deepEqual(record.sectors, ["weaving", "ocop"]);
    assert.equal(record.value_chain, true);
    assert.ok(!("processing_technology" in record), "unanswered is absent");
    assert.equal(record.planned_production_zone, false);
    const file = join(OUTPUT, "cooperative.json");
    writeFileSync(file, JSON.stringify(record));
    for (const [width, height] of [[390, 844], [1280, 900]]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(OUTPUT, `cooperative-form-${width}.png`), fullPage: true });
      assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, width), `no sideways scrolling at ${width} px`);
    }
    assert.deepEqual(pageErrors, []);
    await page.close();

    const fresh = await open("/www/");
    await fresh.page.fill("#as-of", "2025-06-30");
    await fresh.page.setInputFiles("#open-file", file);
    await fresh.page.waitForFunction(() => document.getElementById("summary").textContent.includes("cooperative.json"));
    assert.equal(await fresh.page.inputValue("#name"), "HTX Dệt chiếu Bình Thành");
    assert.equal(await fresh.page.inputValue("#managers-0-role"), "board_chair");
    assert.equal(await fresh.page.isChecked("#sectors-ocop"), true);
    assert.equal(await outcome(fresh.page, "priority_locality"), "yes");
    assert.equal(await outcome(fresh.page, "counts_as_new"), "yes");
    assert.deepEqual(await saved(fresh.page), record);
    assert.deepEqual(fresh.pageErrors, []);
    await fresh.page.close();
  });
});

describe("what the forms show of the pack is the pack's", () => {
  const FORMS = [["/www/", "cooperative"], ["/www/dang-ky.html", "person"]];
  const engine = new Engine();
  /** Fields each form deliberately does not ask (an opened file keeps them as they are). */
  const NOT_ASKED = { cooperative: ["/id", "/managers/-/trained", "/managers/-/name"], person: ["/id"] };

  /** The texts the form took from the pack, and the decisions it shows. */
  const packTexts = (page) => page.evaluate(() => {
    const text = (el) => (el.dataset.attr ? el.getAttribute(el.dataset.attr) : el.textContent).trim();
    const all = (selector) => [...document.querySelectorAll(selector)];
    return {
      labels: all("[data-label], [data-title], fieldset.tri > legend, [data-checks] .label-text").map(text),
      options: all("select[data-options] option").filter((o) => o.value !== "").map(text),
      titles: all("[data-decision] h3 > span:first-child").map(text),
      badges: all("[data-decision]").map((el) => [el.dataset.outcome, el.querySelector(".badge").textContent]),
      decisions: all("[data-decision]").map((el) => el.dataset.decision),
    };
  });

  for (const [path, entity] of FORMS) {
    test(`${entity} form with a changed pack (fromSources): every label, choice and decision title is the pack's`, async () => {
      const { page, pageErrors } = await open(path, { pack: markedPack() });
      const words = htxRules.outcomeLabels();
      for (const lang of ["vi", "en"]) {
        if (lang === "en") await page.click("#lang-toggle");
        const shown = await packTexts(page);
        assert.ok(shown.labels.length >= 8 && shown.options.length >= 4, JSON.stringify(shown));
        for (const text of [...shown.labels, ...shown.options, ...shown.titles]) {
          assert.ok(text.startsWith(MARK[lang]), `${lang}: "${text}" is not the changed pack's`);
        }
        // the decisions of the pack, in pack order; the outcome words are the core's
        assert.deepEqual(shown.decisions, engine.decisions(entity).filter((d) => d.kind === "decision").map((d) => d.name));
        for (const [outcome, badge] of shown.badges) assert.equal(badge.toLocaleLowerCase(lang), words[outcome][lang]);
      }
      await page.click("#lang-toggle");
      // the form works on that pack
      if (entity === "cooperative") {
        await page.fill("#as-of", "2025-06-30");
        await page.fill("#workers_total", "10");
        await page.fill("#workers_female", "7");
        assert.equal(await outcome(page, "many_female_jobs"), "yes");
      } else {
        await page.selectOption("#gender", "female");
        await page.selectOption("#cooperative_role", "member");
        assert.equal(await outcome(page, "target_group"), "yes");
      }
      assert.deepEqual(pageErrors, []);
      await page.close();
    });

    test(`${entity} form: asks every field of the pack (but ${NOT_ASKED[entity].join(", ")}), with the pack's labels`, async () => {
      const { page, pageErrors } = await open(path);
      const asked = new Set(await page.evaluate(() => [
        ...[...document.querySelectorAll("[data-pointer]")].map((el) => el.dataset.pointer.replace(/\/\d+(?=\/|$)/g, "/-")),
        ...[...document.querySelectorAll("[data-options], [data-checks]")].map((el) => el.dataset.options ?? el.dataset.checks),
      ]));
      const fields = engine.fields(entity).flatMap((f) => [f.pointer, ...f.items.map((i) => `${f.pointer}/-${i.pointer}`)]);
      for (const p of NOT_ASKED[entity]) assert.ok(fields.includes(p), `${p} is a field of the pack`);
      const unasked = fields.filter((p) => !asked.has(p) && !NOT_ASKED[entity].includes(p));
      assert.deepEqual(unasked, [], "fields of the pack without an input in the form");
      // and the labels are today's pack's (not only a changed pack's)
      const label = (p) => page.textContent(`[data-label="${p}"]`);
      const field = (p) => engine.fields(entity).find((f) => f.pointer === p);
      const first = entity === "cooperative" ? "/kind" : "/gender";
      assert.equal(await label(first), field(first).label.vi);
      assert.deepEqual(pageErrors, []);
      await page.close();
    });
  }
});

test("in Chromium too: a real out-of-memory trap, then the form's engine answers again", async () => {
  const { page, pageErrors } = await open("/www/");
  const r = await page.evaluate(async () => {
    const { Engine } = await import("/pkg/htx_rules.js");
    const glue = await import("/pkg/htx_rules_wasm.js");
    const COOP = { kind: "htx", workers: { total: 10, female: 7 }, managers: [{ role: "director", gender: "female" }] };
    const engine = new Engine();
    const expected = JSON.stringify(engine.evaluate("cooperative", COOP, "2025-06-30"));
    const memory = glue.initSync().memory;
    for (let pages = 1 << 15; pages >= 1; ) {
      try { memory.grow(pages); } catch { pages >>= 1; }
    }
    const big = { ...COOP, name: "₫".repeat(4 * 1024 * 1024 - 1000) };
    let trap = null;
    try { engine.evaluate("cooperative", big, "2025-06-30"); } catch (e) { trap = { code: e.code, cause: String(e.cause) }; }
    return { grown: memory.buffer.byteLength, trap, after: JSON.stringify(engine.evaluate("cooperative", big, "2025-06-30")), expected };
  });
  assert.ok(r.grown > 1 << 30, `memory grown to Chromium's limit (${r.grown})`);
  assert.deepEqual(r.trap, { code: "wasm.trap", cause: "RuntimeError: unreachable" });
  assert.equal(r.after, r.expected);
  // the form itself still works (its engine was rebuilt too)
  await page.fill("#as-of", "2025-06-30");
  await page.fill("#workers_total", "10");
  await page.fill("#workers_female", "7");
  assert.equal(await outcome(page, "many_female_jobs"), "yes");
  assert.deepEqual(pageErrors, []);
  await page.close();
});

test("screenshots at 390 px and 1280 px", async () => {
  const { page } = await open("/www/dang-ky.html");
  await page.fill("#as-of", "2025-06-30");
  await page.selectOption("#cooperative_role", "worker");
  await page.check("#laid_off_industrial_worker-true");
  await page.check("#trafficking_victim-null");
  await page.selectOption("#household_area", "rural");
  await page.fill("#household_income", "1,4 triệu");
  await page.fill("#household_deprivations", "2");
  await page.click("#check");
  for (const [width, height] of [[390, 844], [1280, 900]]) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(OUTPUT, `registration-form-${width}.png`), fullPage: true });
    assert.ok(await page.evaluate((w) => document.documentElement.scrollWidth <= w, width), `no sideways scrolling at ${width} px`);
  }
  await page.close();
  for (const name of ["cooperative-form", "registration-form"]) {
    for (const width of [390, 1280]) assert.ok(existsSync(join(OUTPUT, `${name}-${width}.png`)), `${name}-${width}.png`);
  }
});
