// The progress report page for officials (`htx-rules report --format html`) in a real browser
// (Debian's Chromium through playwright-core), for the bundled sample at three dates and for an
// invented province's registry with rows in error, in both languages:
// - axe-core finds no violation;
// - printed to PDF on A4 by Chromium, the header and the summary table (Table 1) fit the first
//   page: the page as printed up to the end of the summary is exactly one A4 page (the rest of
//   the page starts on a new one, so nothing after it can move it); the table is no wider than
//   the printable width; every page of the whole report is A4;
// - the summary table copies as a table: the clipboard's HTML has the rows and header cells,
//   with borders, and its text is tab-separated (what Word and spreadsheets paste).
// The PDFs and screenshots (colour, and grayscale as a photocopier prints) are kept in
// test-output/report/ for people to look at.
//
// The pages come from the command line: HTX_RULES_BIN=/path/to/htx-rules, or `cargo run`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "./chromium.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUTPUT = fileURLToPath(new URL("../test-output/report/", import.meta.url));
const AXE = readFileSync(fileURLToPath(new URL("../node_modules/axe-core/axe.min.js", import.meta.url)), "utf8");

// A4 and the report's @page margins (12 mm top, 14 mm sides and bottom), in CSS pixels.
const MM = 96 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const PRINTABLE = { width: (210 - 2 * 14) * MM, height: (297 - 12 - 14) * MM };

// The bundled sample at the end of phase 1, inside phase 2 and after the programme; and an
// invented province's pack with a registry that has rows in error and unknown fields (money,
// a ceiling, another disclosure policy).
const REPORTS = [];
for (const asOf of ["2025-12-31", "2026-11-27", "2031-01-01"]) {
  for (const lang of ["vi", "en"]) REPORTS.push({ name: `${asOf}-${lang}`, lang, args: ["--as-of", asOf, "--lang", lang] });
}
for (const lang of ["vi", "en"]) {
  REPORTS.push({
    name: `an-khang-2027-06-30-${lang}`, lang,
    args: ["--as-of", "2027-06-30", "--lang", lang, "--pack", "tests/packs/an-khang", "tests/registry-an-khang"],
  });
}

/** The report page from the command line. */
function reportHtml(args) {
  const bin = process.env.HTX_RULES_BIN;
  const [cmd, pre] = bin ? [bin, []] : ["cargo", ["run", "-q", "-p", "htx-rules-cli", "--"]];
  const r = spawnSync(cmd, [...pre, "report", "--format", "html", ...args], {
    cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26,
  });
  assert.equal(r.status, 0, `htx-rules report ${args.join(" ")}: ${r.stderr}`);
  assert.ok(r.stdout.startsWith("<!doctype html>"), "an HTML page");
  return r.stdout;
}

/** The pages of a PDF: Chromium (Skia) writes one `/Type /Page` object per page. */
function pdfPages(pdf) {
  const text = pdf.toString("latin1");
  const pages = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [+m[1], +m[2]]);
  return { pages, boxes };
}

let server;
let browser;
let userDataDir;
let context;
const pages = new Map();
const escaped = [];

before(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  for (const r of REPORTS) pages.set(`/${r.name}.html`, reportHtml(r.args));
  server = createServer((req, res) => {
    const body = pages.get(new URL(req.url, "http://x").pathname);
    if (body === undefined) return res.writeHead(404).end("not found");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  userDataDir = mkdtempSync(join(tmpdir(), "htx-rules-report-"));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 },
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:") return route.continue();
    escaped.push(url.href);
    return route.abort();
  });
  browser = { origin };
});

after(async () => {
  await context?.close();
  await new Promise((r) => (server ? server.close(r) : r()));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  assert.deepEqual(escaped, [], "the report page asks for nothing outside itself");
});

async function open(name) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${browser.origin}/${name}.html`);
  return { page, errors };
}

for (const { name, lang } of REPORTS) {
  describe(`report ${name}`, () => {
    test("0 axe-core violations", async () => {
      const { page, errors } = await open(name);
      await page.evaluate(AXE);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      assert.ok(result.passes.length > 15, `axe ran its rules (${result.passes.length} passed)`);
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      assert.deepEqual(violations, []);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
      assert.deepEqual(errors, []);
      await page.close();
    });

    test("prints on A4 with the summary table on the first page", async (t) => {
      const { page } = await open(name);
      await page.emulateMedia({ media: "print" });
      // the whole report: every page A4 (595.28 × 841.89 pt), more than one page
      const whole = await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true });
      writeFileSync(join(OUTPUT, `${name}.pdf`), whole);
      const all = pdfPages(whole);
      assert.ok(all.pages > 1, `the whole report has ${all.pages} page(s)`);
      assert.equal(all.boxes.length, all.pages, "a MediaBox per page");
      for (const [w, h] of all.boxes) assert.ok(Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1, `A4, not ${w}×${h} pt`);
      // what is printed up to the end of the summary: one page
      const summary = await page.$("#summary");
      assert.ok(summary, "the page has the summary section");
      assert.equal(await page.evaluate(() => document.querySelector("table")?.closest("#summary") !== null), true, "the first table is the summary");
      await page.addStyleTag({ content: "#summary ~ *, main > footer { display: none !important }" });
      const first = pdfPages(await page.pdf({ format: "A4", preferCSSPageSize: true, printBackground: true }));
      assert.equal(first.pages, 1, `the header and the summary table take ${first.pages} A4 pages, not 1`);
      // the summary is no wider than the printable width, and where it ends (a figure, not asserted:
      // the page count above is the check)
      await page.setViewportSize({ width: Math.floor(PRINTABLE.width), height: Math.floor(PRINTABLE.height) });
      const box = await page.evaluate(() => {
        const t = document.querySelector("#summary table");
        const r = t.getBoundingClientRect();
        return { right: r.right, bottom: r.bottom + window.scrollY, scroll: t.scrollWidth, client: t.clientWidth };
      });
      assert.ok(box.right <= PRINTABLE.width + 0.5, `the summary is ${box.right.toFixed(0)} px wide, the printable width ${PRINTABLE.width.toFixed(0)} px`);
      assert.ok(box.scroll <= box.client + 1, "nothing overflows the summary table");
      t.diagnostic(`summary ends at ${(box.bottom / MM).toFixed(0)} mm of ${(PRINTABLE.height / MM).toFixed(0)} mm printable (A4 ${A4.height.toFixed(0)} px high)`);
      // as a photocopier prints it: grayscale, for people to look at
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.addStyleTag({ content: "html { filter: grayscale(1) }" });
      await page.screenshot({ path: join(OUTPUT, `${name}-print-gray.png`), fullPage: true });
      await page.close();
    });

    test("the summary table copies as a table (Word, spreadsheets)", async () => {
      const { page } = await open(name);
      const rows = await page.$$eval("#summary table tbody tr", (trs) => trs.length);
      await page.evaluate(() => {
        const range = document.createRange();
        range.selectNode(document.querySelector("#summary table"));
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      });
      await page.keyboard.press("Control+C");
      const clip = await page.evaluate(async () => {
        const out = {};
        for (const item of await navigator.clipboard.read()) {
          for (const type of item.types) out[type] = await (await item.getType(type)).text();
        }
        return out;
      });
      const html = clip["text/html"] ?? "";
      assert.match(html, /<table[^>]*width="100%"/, "a table as wide as the page it is pasted into");
      assert.equal((html.match(/<th scope="col"/g) ?? []).length, 7, "seven column headers");
      assert.equal((html.match(/<th scope="row"/g) ?? []).length + (html.match(/<th scope="rowgroup"/g) ?? []).length, rows, "a header cell in every body row");
      assert.match(html, /border: 1px solid/, "cells keep their borders");
      const tableTag = html.match(/<table[^>]*>/)?.[0] ?? "";
      assert.ok(!/(?:"|;\s*)width: \d+px/.test(tableTag), `no fixed pixel width: ${tableTag.slice(0, 300)}`);
      const text = clip["text/plain"] ?? "";
      const head = lang === "vi"
        ? "TT\tChỉ tiêu\tKết quả\tMục tiêu\tTình trạng\tCòn thiếu\tCăn cứ"
        : "No.\tIndicator\tValue\tTarget\tStatus\tShortfall\tBasis";
      assert.ok(text.includes(head), `tab-separated header in ${JSON.stringify(text.slice(0, 200))}`);
      await page.close();
    });
  });
}
