// The JS API of the wasm build in node: shapes, dates, errors, packs from sources, explain, schema.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, FullEngine, parseAmount, today, version } from "./wasm.mjs";

const RULES = fileURLToPath(new URL("../../rules/", import.meta.url));
const engine = new Engine();

/** The .toml files of the repository's packs, as fromSources wants them: {"pack-id/file.toml": text}. */
function packSources(...ids) {
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".toml")) files[relative(RULES, p).replaceAll("\\", "/")] = readFileSync(p, "utf8");
    }
  };
  for (const id of ids) walk(join(RULES, id));
  return files;
}

const COOP = {
  id: "BT-HTX-0001", name: "HTX Dệt chiếu Bình Thành", kind: "htx", established_on: "2024-03-15",
  members: { total: 12, female: 9 }, workers: { total: 40, female: 31 },
  managers: [{ role: "board_chair", gender: "female", trained: true }],
};

function assertDecision(d) {
  assert.ok(["yes", "no", "unknown"].includes(d.outcome), `outcome ${d.outcome}`);
  assert.ok("value" in d && "target" in d);
  assert.ok(Array.isArray(d.reasons) && d.reasons.every((r) => typeof r.vi === "string" && typeof r.en === "string"));
  assert.ok(Array.isArray(d.missing));
  assert.equal(typeof d.cite.document, "string");
  assert.equal(typeof d.cite.section, "string");
}

/** Runs `fn`, expecting a JS Error; returns it. */
function thrown(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof Error, "a real Error");
    assert.equal(typeof e.code, "string");
    assert.ok(e.code.length > 0);
    assert.ok(!/^\s*[{[]/.test(e.message), `no JSON text in the message: ${e.message}`);
    assert.equal(typeof e.messages?.vi, "string");
    assert.equal(typeof e.messages?.en, "string");
    assert.ok(e.message.includes(e.messages.vi) && e.message.includes(e.messages.en), "message in vi and en");
    return e;
  }
  assert.fail("expected an error");
}

describe("evaluate", () => {
  test("one object gives an array of one, in the contract shape", () => {
    const out = engine.evaluate("cooperative", COOP, "2025-06-30");
    assert.equal(out.length, 1);
    assert.equal(out[0].id, "BT-HTX-0001");
    for (const name of ["women_managed", "female_labour_share", "many_female_jobs", "counts_as_new", "meets_membership_minimum"]) {
      assert.ok(out[0].decisions[name], `decision ${name}`);
      assertDecision(out[0].decisions[name]);
    }
    assert.equal(out[0].decisions.women_managed.outcome, "yes");
    assert.equal(out[0].decisions.female_labour_share.value, "0.775", "decimals are strings");
    assert.equal(out[0].decisions.many_female_jobs.outcome, "yes");
  });

  test("an array keeps input order; a record without id gives id null", () => {
    const out = engine.evaluate("cooperative", [{ id: "b" }, COOP, {}], "2025-06-30");
    assert.deepEqual(out.map((r) => r.id), ["b", "BT-HTX-0001", null]);
  });

  test("absent facts are unknown, with JSON Pointers of what is missing", () => {
    const [r] = engine.evaluate("cooperative", { kind: "htx" }, "2025-06-30");
    assert.equal(r.decisions.many_female_jobs.outcome, "unknown");
    assert.ok(r.decisions.many_female_jobs.missing.some((m) => m.startsWith("/workers")));
  });

  test("the 60% threshold of phase 1 is strict: 6/10 no, 7/10 yes", () => {
    const at = (female) => engine.evaluate("cooperative", { workers: { total: 10, female } }, "2025-06-30")[0].decisions.many_female_jobs.outcome;
    assert.equal(at(6), "no");
    assert.equal(at(7), "yes");
  });

  test("asOf: absent means today; a Date means its local calendar day; a string is ISO", () => {
    assert.match(today(), /^\d{4}-\d{2}-\d{2}$/);
    const d = new Date();
    const local = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    assert.equal(today(), local);
    assert.deepEqual(engine.evaluate("cooperative", COOP), engine.evaluate("cooperative", COOP, today()));
    assert.deepEqual(engine.evaluate("cooperative", COOP, null), engine.evaluate("cooperative", COOP, today()));
    assert.deepEqual(engine.evaluate("cooperative", COOP, new Date(2026, 2, 1)), engine.evaluate("cooperative", COOP, "2026-03-01"));
  });

  test("phase 2 (2026 on): 7 of 10 is not above 70%", () => {
    const [r] = engine.evaluate("cooperative", { kind: "htx", workers: { total: 10, female: 7 } }, "2026-03-01");
    assert.equal(r.decisions.many_female_jobs.outcome, "no");
  });

  test("person: priority woman, target group, poverty by the income standard", () => {
    const [r] = engine.evaluate("person", {
      id: "P-001", gender: "female", cooperative_role: "member", laid_off_industrial_worker: true,
      household: { area: "rural", income_per_person_month_vnd: 1400000, deprivations: 3 },
    }, "2025-06-30");
    assert.equal(r.decisions.priority_woman.outcome, "yes");
    assert.equal(r.decisions.target_group.outcome, "yes");
    assert.equal(r.decisions.poor_household.outcome, "yes");
  });
});

describe("validate", () => {
  test("a good record is valid", () => {
    assert.deepEqual(engine.validate("cooperative", COOP), { valid: true, errors: [] });
  });

  test("female workers above total: an error at /workers/female, in vi and en", () => {
    const v = engine.validate("cooperative", { workers: { total: 10, female: 12 } });
    assert.equal(v.valid, false);
    const e = v.errors.find((x) => x.field === "/workers/female");
    assert.ok(e, JSON.stringify(v.errors));
    assert.equal(typeof e.code, "string");
    assert.ok(e.message.vi.length > 0 && e.message.en.length > 0);
    assert.equal(e.text, undefined, "no text without lang");
  });

  test("with lang, each error also carries text in that language", () => {
    const record = { workers: { total: 10, female: 12 } };
    const vi = engine.validate("cooperative", record, "vi");
    const en = engine.validate("cooperative", record, "en");
    assert.equal(vi.errors[0].text, vi.errors[0].message.vi);
    assert.equal(en.errors[0].text, en.errors[0].message.en);
    const e = thrown(() => engine.validate("cooperative", record, "fr"));
    assert.equal(e.code, "input.lang");
  });

  test("pointers reach into lists: /managers/0/gender", () => {
    const v = engine.validate("cooperative", { managers: [{ role: "director", gender: "woman" }] });
    assert.equal(v.valid, false);
    assert.ok(v.errors.some((x) => x.field === "/managers/0/gender"), JSON.stringify(v.errors));
  });

  test("a wrong type is a field error, not an exception", () => {
    const v = engine.validate("cooperative", { workers: { total: "mười" } });
    assert.equal(v.valid, false);
    assert.ok(v.errors.some((x) => x.field === "/workers/total"), JSON.stringify(v.errors));
  });
});

describe("facts nothing may drop silently", () => {
  test("a misspelled key is an error naming the field meant; other keys are listed as ignored", () => {
    const out = engine.evaluate("cooperative", { kind: "htx", workers: { total: 40 }, workers_female: 31, phone: "0275" }, "2025-06-30");
    const [r] = out;
    assert.equal(r.errors[0].field, "/workers_female");
    assert.equal(r.errors[0].code, "facts.misspelled_field");
    assert.match(r.errors[0].message.en, /did you mean `workers\.female`/);
    assert.equal(r.decisions.many_female_jobs.outcome, "unknown");
    assert.deepEqual(out.ignored, ["phone"]);
    assert.ok(!Object.keys(out).includes("ignored"), "not an element, not enumerable");
  });

  test("{strict: true} makes every key not in the schema an error", () => {
    const [r] = engine.evaluate("cooperative", { kind: "htx", phone: "0275" }, "2025-06-30", { strict: true });
    assert.deepEqual(r.errors.map((e) => [e.field, e.code]), [["/phone", "facts.unknown_field"]]);
    const v = engine.validate("cooperative", { kind: "htx", phone: "0275" }, "en", "2025-06-30", { strict: true });
    assert.equal(v.valid, false);
    const lenient = engine.validate("cooperative", { kind: "htx", phone: "0275" });
    assert.equal(lenient.valid, true);
    assert.deepEqual(lenient.ignored, ["phone"]);
    assert.equal(thrown(() => engine.evaluate("cooperative", {}, "2025-06-30", { strict: "yes" })).code, "input.options");
    assert.equal(thrown(() => engine.validate("cooperative", {}, null, null, 7)).code, "input.options");
  });

  test("validate answers the same whoever writes the JSON: engine.js (an object), the binding (a null in it) or the caller (text)", () => {
    // engine.js writes an object's JSON itself unless it holds a null; the binding's answer comes
    // back as one array of strings that engine.js turns into objects: ignored keys, errors, text
    const record = {
      kind: "htx", name: "", established_on: "2024-13-15", members: { total: 12, female: 19 },
      workers: { total: 40, female: 41 }, managers: [{ role: "board_chair", gender: "x", email: "a@b" }],
      phone: "0275",
    };
    const withNull = { ...record, craft_village: null }; // null: an absent fact, the same answer
    for (const lang of [undefined, "vi", "en"]) {
      const byJs = engine.validate("cooperative", record, lang, "2025-06-30");
      const byText = engine.validate("cooperative", JSON.stringify(record), lang, "2025-06-30");
      const byBinding = engine.validate("cooperative", withNull, lang, "2025-06-30");
      assert.deepEqual(byJs, byText);
      assert.deepEqual(byJs, byBinding);
      assert.equal(byJs.valid, false);
      assert.deepEqual(byJs.ignored, ["managers[].email", "phone"]);
      assert.ok(byJs.errors.length >= 4, JSON.stringify(byJs.errors));
      for (const e of byJs.errors) {
        assert.deepEqual(Object.keys(e), lang ? ["field", "code", "message", "text"] : ["field", "code", "message"]);
        assert.match(e.field, /^\//);
        assert.ok(e.code.includes(".") && e.message.vi && e.message.en && e.message.vi !== e.message.en);
        if (lang) assert.equal(e.text, e.message[lang]);
      }
    }
    const ok = engine.validate("cooperative", { kind: "htx" }, "en", "2025-06-30");
    assert.deepEqual(ok, { valid: true, errors: [] });
  });

  test("NaN and Infinity are field errors, not absent facts", () => {
    const [r] = engine.evaluate("cooperative", { kind: "htx", workers: { total: 40, female: Number.NaN }, members: { total: -Infinity } }, "2025-06-30");
    assert.deepEqual(r.errors.map((e) => [e.field, e.code]), [
      ["/members/total", "facts.non_finite"],
      ["/workers/female", "facts.non_finite"],
    ]);
    const v = engine.validate("cooperative", { kind: "htx", workers: { total: Infinity } });
    assert.equal(v.valid, false);
    assert.equal(v.errors[0].code, "facts.non_finite");
    // a null is still absent, with no error
    const [n] = engine.evaluate("cooperative", { kind: "htx", workers: { total: null } }, "2025-06-30");
    assert.equal(n.errors, undefined);
  });

  test("records given as JSON text: a key given twice is an error, NaN too", () => {
    const text = '{"kind": "htx", "members": {"total": 9, "total": 3}, "workers": {"total": NaN}}';
    const [r] = engine.evaluate("cooperative", text, "2025-06-30");
    assert.deepEqual(r.errors.map((e) => [e.field, e.code]), [
      ["/members/total", "facts.duplicate_key"],
      ["/workers/total", "facts.non_finite"],
    ]);
    assert.equal(r.decisions.meets_membership_minimum.outcome, "unknown");
    const many = engine.evaluate("cooperative", '[{"id": "a"}, {"id": "b"}]', "2025-06-30");
    assert.deepEqual(many.map((x) => x.id), ["a", "b"]);
    const e = thrown(() => engine.evaluate("cooperative", '{"kind": }', "2025-06-30"));
    assert.equal(e.code, "input.json");
    const v = engine.validate("person", '{"gender": "female", "gender": "male"}');
    assert.equal(v.errors[0].code, "facts.duplicate_key");
  });
});

describe("errors", () => {
  test("an unknown entity: an Error named HtxRulesError with code entity.unknown", () => {
    const e = thrown(() => engine.evaluate("ship", {}));
    assert.equal(e.name, "HtxRulesError");
    assert.equal(e.code, "entity.unknown");
    assert.equal(thrown(() => engine.validate("ship", {})).code, "entity.unknown");
    assert.equal(thrown(() => engine.schema("ship")).code, "entity.unknown");
  });

  test("a bad as-of date", () => {
    for (const bad of ["31/12/2025", "2025-02-30", 20250101, new Date(Number.NaN), {}]) {
      const e = thrown(() => engine.evaluate("cooperative", COOP, bad));
      assert.equal(e.name, "HtxRulesError");
      assert.equal(e.code, "input.as_of");
    }
  });

  test("input JSON cannot express: a cycle, a BigInt, undefined", () => {
    const cyclic = { kind: "htx" };
    cyclic.self = cyclic;
    for (const bad of [cyclic, { n: 1n }, undefined]) {
      assert.equal(thrown(() => engine.evaluate("cooperative", bad, "2025-01-01")).code, "input.json");
    }
  });

  test("records that are not objects never panic", () => {
    for (const odd of [null, 1, "x", [1, [2]], true, [null]]) {
      try {
        engine.evaluate("cooperative", odd, "2025-01-01");
      } catch (e) {
        assert.ok(e instanceof Error && typeof e.code === "string", String(e));
      }
    }
    // The engine still works after all that.
    assert.equal(engine.evaluate("cooperative", COOP, "2025-06-30")[0].decisions.women_managed.outcome, "yes");
  });
});

describe("never panics", () => {
  // A seeded generator of odd JSON: every call must return, or throw an Error with a code — never
  // trap (a Rust panic would surface as a WebAssembly.RuntimeError and poison the instance).
  let seed = 2747;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const leaves = [null, true, false, 0, -1, 7, 1e308, -0.5, 2 ** 53 + 1, "", "x", "0.6", "2024-02-30", "9999-12-31",
    "female", "board_chair", "htx", "1500000", "NaN", [], {}];
  const odd = (depth) => {
    const k = rand(depth > 3 ? 1 : 4);
    if (k === 0) return leaves[rand(leaves.length)];
    if (k === 1) return Array.from({ length: rand(4) }, () => odd(depth + 1));
    const keys = Object.keys(COOP).concat(["household", "gender", "phase", "income_per_person_month_vnd", "female", "total", "role"]);
    return Object.fromEntries(Array.from({ length: rand(6) }, () => [keys[rand(keys.length)], odd(depth + 1)]));
  };
  const mutate = (v, depth = 0) => {
    if (v === null || typeof v !== "object" || depth > 4) return rand(3) === 0 ? odd(depth) : v;
    const out = Array.isArray(v) ? [...v] : { ...v };
    for (const key of Object.keys(out)) if (rand(3) === 0) out[key] = mutate(out[key], depth + 1);
    return out;
  };

  test("2,000 odd records through evaluate and validate of every entity", () => {
    for (let i = 0; i < 2000; i++) {
      const entity = ["cooperative", "person", "progress"][i % 3];
      const record = i % 2 ? mutate(COOP) : odd(0);
      for (const call of [() => engine.evaluate(entity, record, "2025-06-30"), () => engine.validate(entity, record, "vi", "2031-01-01")]) {
        try {
          call();
        } catch (e) {
          assert.ok(!(e instanceof WebAssembly.RuntimeError), `trap on ${JSON.stringify(record)}: ${e}`);
          assert.ok(e instanceof Error && typeof e.code === "string", `${e}`);
        }
      }
    }
    assert.equal(engine.evaluate("cooperative", COOP, "2025-06-30")[0].decisions.women_managed.outcome, "yes");
  });

  test("200 damaged packs through fromSources", () => {
    const files = packSources("vn-law");
    const paths = Object.keys(files);
    const junk = ["", "=", "[", "]]", "\"", "{", "\n[[rule]]\n", "when = \"(\"", "0.6", "\u0000", "é"];
    for (let i = 0; i < 200; i++) {
      const damaged = { ...files };
      const path = paths[rand(paths.length)];
      const text = damaged[path];
      const at = rand(text.length + 1);
      damaged[path] = text.slice(0, at) + junk[rand(junk.length)] + text.slice(at + rand(20));
      try {
        FullEngine.fromSources(damaged, "vn-law").free();
      } catch (e) {
        assert.ok(!(e instanceof WebAssembly.RuntimeError), `trap: ${e}`);
        assert.ok(e instanceof Error && typeof e.code === "string", `${e}`);
      }
    }
  });
});

describe("fromSources", () => {
  test("the repository's packs as texts give the embedded results", () => {
    const e = FullEngine.fromSources(packSources("ben-tre-2747", "vn-law"), "ben-tre-2747");
    assert.deepEqual(e.evaluate("cooperative", COOP, "2025-06-30"), engine.evaluate("cooperative", COOP, "2025-06-30"));
  });

  test("a broken pack: a PackError with a code and the file and line", () => {
    const files = packSources("vn-law");
    const path = Object.keys(files).find((p) => p.endsWith("pack.toml"));
    const lines = files[path].split("\n");
    lines.splice(2, 0, "this is = = not toml");
    files[path] = lines.join("\n");
    const e = thrown(() => FullEngine.fromSources(files, "vn-law"));
    assert.equal(e.name, "PackError");
    assert.match(e.code, /^pack\./);
    assert.ok(Array.isArray(e.diagnostics) && e.diagnostics.length > 0);
    const d = e.diagnostics[0];
    assert.equal(d.file, path);
    assert.equal(d.line, 3);
    assert.ok(d.column >= 1);
    assert.equal(e.file, path);
    assert.equal(e.line, 3);
    assert.ok(e.message.includes(`${path}:3:`), e.message);
  });

  test("a missing root pack and non-string file contents", () => {
    const missing = thrown(() => FullEngine.fromSources({}, "nowhere"));
    assert.ok(["PackError", "HtxRulesError"].includes(missing.name));
    assert.equal(thrown(() => FullEngine.fromSources({ "x/pack.toml": 42 }, "x")).code, "input.sources");
    assert.equal(thrown(() => FullEngine.fromSources("x", "x")).code, "input.sources");
  });
});

// Packs from strangers (issue 9): the checker and the evaluator run in the page, so a hostile
// pack must give a pack error or an unknown with a reason, never a trap or a RangeError.
describe("hostile packs", () => {
  const META = '[pack]\nid = "p"\nversion = "1"\ndocument = "t"\n\n[[entity]]\nname = "e"\nfields = [{ name = "ok", type = "bool" }]\n';
  /** Rules r`from` … r`to - 1` of a chain of n rules r0 … r(n-1), each referring to the next. */
  const chain = (n, from = 0, to = n) => {
    const parts = [];
    for (let i = from; i < to; i++) {
      const when = i + 1 < n ? `rule.r${i + 1} or ok` : "ok";
      parts.push(`[[rule]]\nname = "r${i}"\nentity = "e"\nkind = "decision"\nwhen = "${when}"\ncite = { document = "t", section = "1" }\n`);
    }
    return parts.join("\n");
  };

  test("a 100,000-rule chain is a clear error, not a RangeError", () => {
    // 12.9 MB of text: refused at the JS edge (input.too_large) before the core's own caps
    const e = thrown(() => FullEngine.fromSources({ "p/pack.toml": META, "p/rules.toml": chain(100_000) }, "p"));
    assert.ok(["input.too_large", "pack.invalid"].includes(e.code), e.code);
  });

  test("30,000 rules within the edge's size: a PackError from the core's caps", () => {
    const files = { "p/pack.toml": META };
    for (let k = 0; k < 3; k++) files[`p/rules${k}.toml`] = chain(30_000, k * 10_000, (k + 1) * 10_000);
    const e = thrown(() => FullEngine.fromSources(files, "p"));
    assert.equal(e.name, "PackError");
    assert.equal(e.diagnostics.length, 1);
    assert.equal(e.diagnostics[0].code, "pack.limit");
    assert.match(e.diagnostics[0].message.en, /at most 10,000 rules/);
  });

  test("a 10,000-rule chain within the caps checks and evaluates", () => {
    const p = FullEngine.fromSources({ "p/pack.toml": META, "p/rules.toml": chain(10_000) }, "p");
    assert.equal(p.evaluate("e", { ok: true }, "2025-01-01")[0].decisions.r0.outcome, "yes");
    assert.deepEqual(p.evaluate("e", {}, "2025-01-01")[0].decisions.r0.missing, ["/ok"]);
    p.free();
  });

  test("nested quantifiers over 400 items: unknown, with the reason", () => {
    const rules = '[[record]]\nname = "item"\nfields = [{ name = "n", type = "integer" }]\n\n' +
      '[[entity]]\nname = "box"\nfields = [{ name = "items", type = "list<item>" }]\n\n' +
      '[[rule]]\nname = "heavy"\nentity = "box"\nkind = "decision"\n' +
      'when = "any(x in items: any(y in items: any(z in items: x.n + y.n + z.n == 0)))"\n' +
      'cite = { document = "t", section = "1" }\n';
    const p = FullEngine.fromSources({ "p/pack.toml": META, "p/box.toml": rules }, "p");
    const items = Array.from({ length: 400 }, () => ({ n: 1 }));
    const d = p.evaluate("box", { items }, "2025-01-01")[0].decisions.heavy;
    assert.equal(d.outcome, "unknown");
    assert.ok(d.reasons.some((r) => r.en.includes("too much work") && r.vi.includes("quá nhiều phép tính")), JSON.stringify(d.reasons));
    p.free();
  });
});

describe("explain and schema", () => {
  test("explain gives the rule's citation and text; explainText renders it", () => {
    const x = engine.explain("many_female_jobs");
    assert.equal(typeof x, "object");
    const text = JSON.stringify(x);
    assert.ok(text.includes("II.1.b"), text.slice(0, 300));
    const vi = engine.explainText("many_female_jobs");
    const en = engine.explainText("many_female_jobs", "en");
    assert.ok(vi.length > 0 && en.length > 0 && vi !== en);
    const e = thrown(() => engine.explain("no_such_rule"));
    assert.equal(e.code, "rule.unknown");
  });

  test("schema is a JSON Schema of the entity", () => {
    const s = engine.schema("cooperative");
    assert.equal(s.type, "object");
    assert.ok(s.properties?.workers, JSON.stringify(s).slice(0, 300));
    assert.ok(String(s.$schema ?? "").includes("2020-12"));
  });

  test("version", () => {
    assert.match(version(), /^\d+\.\d+\.\d+/);
  });
});

describe("amounts as people write them", () => {
  test("parseAmount: the forms people type give the engine's exact decimal; ambiguous ones null", () => {
    for (const text of ["1.800.000đ", "1.800.000 đồng", "1,8 triệu", "1800000", "1tr8", "1 800 000 VND", "1,800,000", "1800k"]) {
      assert.equal(parseAmount(text), "1800000", text);
    }
    assert.equal(parseAmount("1,5"), "1.5");
    for (const text of ["1,500 triệu", "1tr50", "abc", "", "60%", "1.80.000"]) {
      assert.equal(parseAmount(text), null, text);
    }
  });

  test("a money field typed as text is read the same way by evaluate and validate", () => {
    const person = (income) => ({ gender: "female", household: { area: "rural", income_per_person_month_vnd: income, deprivations: 3 } });
    const poor = (income) => engine.evaluate("person", person(income), "2025-06-30")[0].decisions.poor_household;
    assert.equal(poor("1.500.000đ").outcome, "yes");
    assert.equal(poor("1.500.000đ").value, "1500000");
    assert.equal(poor("1,5 triệu").outcome, "yes");
    assert.equal(poor("1.500.001 đồng").outcome, "no");
    const v = engine.validate("person", person("1,500 triệu"), "en", "2025-06-30");
    assert.equal(v.valid, false);
    assert.deepEqual(v.errors.map((e) => e.field), ["/household/income_per_person_month_vnd"]);
  });
});

describe("the small module (the package's default) and the full one", () => {
  test("the small module reads no pack given as text and takes no reform: build.sources, in both languages", () => {
    const e = thrown(() => Engine.fromSources(packSources("vn-law"), "vn-law"));
    assert.equal(e.name, "HtxRulesError");
    assert.equal(e.code, "build.sources");
    assert.match(e.messages.vi, /htx-rules\/full/);
    assert.match(e.messages.en, /full build/);
    const r = thrown(() => new Engine().withReform({ htx_min_members: 7 }));
    assert.equal(r.code, "build.sources");
  });

  test("both answer the same from the embedded pack (compiled at build time)", () => {
    const [small, big] = [new Engine(), new FullEngine()];
    const coop = { kind: "htx", workers: { total: 10, female: 7 }, managers: [{ role: "director", gender: "female" }] };
    assert.deepEqual(small.evaluate("cooperative", coop, "2025-06-30"), big.evaluate("cooperative", coop, "2025-06-30"));
    assert.deepEqual(small.fields("person"), big.fields("person"));
    assert.equal(small.explainText("many_female_jobs", "en"), big.explainText("many_female_jobs", "en"));
    // the full module's embedded engine takes reforms: its pack's files come with it
    assert.equal(big.withReform({ htx_min_members: 7 }).reforms().length, 1);
  });
});
