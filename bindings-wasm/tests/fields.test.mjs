// What the pack says, as plain data: engine.fields(), engine.decisions(), outcomeLabels(). The
// labels, enum values and titles are the pack's own — read here from the TOML texts independently
// and compared — and a changed pack changes them (nothing is kept in the binding).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import mod, { Engine, FullEngine } from "./wasm.mjs";
import { MARK, markedPack, packSources } from "./packs.mjs";

const engine = new Engine();
const SOURCES = Object.values(packSources("ben-tre-2747", "vn-law")).join("\n");

/** Every `{ name = "x", type = "t", … label = { vi = "…", en = "…" } }` of the pack's schemas:
 * "x:t" → the labels written for it (one name may have several, in different records). */
function fieldLabelsInToml() {
  const out = new Map();
  const re = /\{ name = "(\w+)", type = "([^"]+)"[^\n]*?label = \{ vi = "((?:[^"\\]|\\.)*)", en = "((?:[^"\\]|\\.)*)" \}/g;
  for (const [, name, type, vi, en] of SOURCES.matchAll(re)) {
    const key = `${name}:${type}`;
    out.set(key, [...(out.get(key) ?? []), { vi: JSON.parse(`"${vi}"`), en: JSON.parse(`"${en}"`) }]);
  }
  return out;
}

/** Each `[[enum]]` of the pack: name → { values, labels }. */
function enumsInToml() {
  const out = new Map();
  for (const block of SOURCES.split("[[enum]]").slice(1)) {
    const name = block.match(/^name = "(\w+)"/m)[1];
    const values = [...block.match(/^values = \[(.*)\]/m)[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
    const labels = {};
    const line = block.match(/^labels = \{(.*)\}$/m)?.[1] ?? "";
    for (const [, v, vi, en] of line.matchAll(/(\w+) = \{ vi = "([^"]*)", en = "([^"]*)" \}/g)) labels[v] = { vi, en };
    out.set(name, { values, labels });
  }
  return out;
}

/** Each `[[rule]]`'s title: name → { vi, en }. */
function titlesInToml() {
  const out = new Map();
  for (const block of SOURCES.split("[[rule]]").slice(1)) {
    const name = block.match(/^name = "(\w+)"/m)[1];
    const t = block.match(/^title = \{ vi = "([^"]*)", en = "([^"]*)" \}/m);
    if (t) out.set(name, { vi: t[1], en: t[2] });
  }
  return out;
}

/** Every field, flattened, with the list items' fields under their list ("managers/-/role"). */
function allFields(fields, prefix = "") {
  return fields.flatMap((f) => [{ ...f, at: prefix + f.pointer }, ...allFields(f.items, `${prefix}${f.pointer}/-`)]);
}

describe("engine.fields()", () => {
  const labels = fieldLabelsInToml();
  const enums = enumsInToml();
  for (const entity of ["cooperative", "person"]) {
    test(`${entity}: every field's label is the one the pack writes for it`, () => {
      const fields = allFields(engine.fields(entity));
      assert.ok(fields.length >= 10, `${fields.length} fields`);
      for (const f of fields) {
        assert.ok(f.label, `${f.at} has a label`);
        const written = labels.get(`${f.name}:${f.type}`) ?? [];
        assert.ok(written.some((l) => l.vi === f.label.vi && l.en === f.label.en), `${f.at}: ${JSON.stringify(f.label)} is not among the pack's ${JSON.stringify(written)}`);
      }
    });

    test(`${entity}: enum values and their labels are the pack's, in pack order`, () => {
      const withValues = allFields(engine.fields(entity)).filter((f) => f.values.length);
      assert.ok(withValues.length >= 2);
      for (const f of withValues) {
        const e = enums.get(f.type.replace(/^list<(.*)>$/, "$1"));
        assert.ok(e, `${f.at}: enum ${f.type} in the pack`);
        assert.deepEqual(f.values.map((v) => v.value), e.values, f.at);
        for (const v of f.values) assert.deepEqual(v.label, e.labels[v.value] ?? null, `${f.at} = ${v.value}`);
      }
    });
  }

  test("paths, pointers, kinds, bounds and list items in the documented shape", () => {
    const fields = engine.fields("cooperative");
    const female = fields.find((f) => f.path === "workers.female");
    assert.deepEqual(
      { pointer: female.pointer, name: female.name, kind: female.kind, type: female.type, min: female.min, max: female.max, required: female.required },
      { pointer: "/workers/female", name: "female", kind: "integer", type: "integer", min: "0", max: null, required: false },
    );
    assert.equal(fields.find((f) => f.path === "workers").kind, "record");
    const kind = fields.find((f) => f.path === "kind");
    assert.equal(kind.kind, "enum");
    assert.equal(kind.required, true);
    const managers = fields.find((f) => f.path === "managers");
    assert.deepEqual([managers.kind, managers.item_kind, managers.type], ["list", "record", "list<manager>"]);
    const role = managers.items.find((f) => f.name === "role");
    assert.deepEqual([role.path, role.pointer, role.kind], ["role", "/role", "enum"]);
    const sectors = fields.find((f) => f.path === "sectors");
    assert.deepEqual([sectors.kind, sectors.item_kind], ["list", "enum"]);
    assert.ok(sectors.values.some((v) => v.value === "ocop"));
    const deprivations = engine.fields("person").find((f) => f.path === "household.deprivations");
    assert.deepEqual([deprivations.min, deprivations.max], ["0", "12"]);
    const income = engine.fields("person").find((f) => f.path === "household.income_per_person_month_vnd");
    assert.equal(income.kind, "money");
  });

  test("an unknown entity: an HtxRulesError with code entity.unknown, in both languages", () => {
    for (const call of [() => engine.fields("nope"), () => engine.decisions("nope")]) {
      assert.throws(call, (e) => e instanceof Error && e.code === "entity.unknown" && e.messages.vi !== e.messages.en);
    }
  });
});

describe("engine.decisions() and outcomeLabels()", () => {
  test("the decisions in the order results carry them, with the pack's titles and citations", () => {
    const titles = titlesInToml();
    for (const entity of ["cooperative", "person"]) {
      const infos = engine.decisions(entity);
      const [result] = engine.evaluate(entity, {}, "2025-06-30");
      assert.deepEqual(infos.map((d) => d.name), Object.keys(result.decisions), entity);
      for (const d of infos) {
        assert.ok(["decision", "value"].includes(d.kind), d.name);
        assert.deepEqual(d.title, titles.get(d.name) ?? null, d.name);
        assert.deepEqual(d.cite, result.decisions[d.name].cite, d.name);
      }
    }
    const coop = engine.decisions("cooperative");
    assert.equal(coop.find((d) => d.name === "female_labour_share").kind, "value");
    assert.equal(coop.find((d) => d.name === "many_female_jobs").kind, "decision");
  });

  test("outcome words: the core's, in both languages", () => {
    assert.deepEqual(mod.outcomeLabels(), {
      yes: { vi: "có", en: "yes" }, no: { vi: "không", en: "no" }, unknown: { vi: "chưa xác định", en: "unknown" },
    });
  });
});

test("a pack with changed texts (through fromSources): every label, value label and title follows it", () => {
  const { files, root } = markedPack();
  const marked = FullEngine.fromSources(files, root);
  try {
    for (const entity of ["cooperative", "person"]) {
      const fields = allFields(marked.fields(entity));
      const plain = allFields(engine.fields(entity));
      assert.equal(fields.length, plain.length);
      fields.forEach((f, i) => {
        for (const lang of ["vi", "en"]) {
          assert.equal(f.label[lang], MARK[lang] + plain[i].label[lang], `${f.at} (${lang})`);
          f.values.forEach((v, j) => {
            if (v.label) assert.equal(v.label[lang], MARK[lang] + plain[i].values[j].label[lang], `${f.at} = ${v.value}`);
          });
        }
      });
      for (const d of marked.decisions(entity)) {
        if (d.title) assert.ok(d.title.vi.startsWith(MARK.vi) && d.title.en.startsWith(MARK.en), d.name);
      }
    }
  } finally {
    marked.free();
  }
});
