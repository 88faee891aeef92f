// The web forms in a real browser (Debian's Chromium through playwright-core): errors appear in
// Vietnamese under the right field, decisions change live, and nothing leaves 127.0.0.1.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "./serve.mjs";
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM } from "./chromium.mjs";

const OUTPUT = fileURLToPath(new URL("../test-output/", import.meta.url));

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

async function open(path) {
  const page = await context.newPage();
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
    return ids.map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
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
    await page.check("#laid_off_industrial_worker");
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

test("screenshots saved", () => {
  assert.ok(existsSync(join(OUTPUT, "cooperative-form.png")));
});
