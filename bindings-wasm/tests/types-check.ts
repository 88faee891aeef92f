// Type-checked (never run) by `tsc --noEmit -p tests/tsconfig.json`: the generated .d.ts must
// describe the API precisely — these uses compile, and the @ts-expect-error ones must not.
import init, {
  Engine, today, version, parseAmount, maxInputLength, outcomeLabels,
  type FieldInfo, type FieldKind, type DecisionInfo, type OutcomeLabels, type Sector, type ManagerRole,
  type CooperativeDecisionName, type DecisionName, type EntityName, type Headcount, type EntityFacts,
  type Decision, type EvaluationResult, type Validation, type FieldError, type HtxRulesError,
  type Outcome, type Cooperative, type Person, type JsonSchema, type Explanation, type Diagnostic,
} from "../pkg/htx_rules.js";
import initFull, { Engine as FullEngine } from "../pkg/full.js";

export async function main(bytes: Uint8Array): Promise<void> {
  await init({ module_or_path: bytes });
  const engine = new Engine();
  const coop: Cooperative = { kind: "htx", workers: { total: 10, female: 7 }, managers: [{ role: "director", gender: "female" }] };
  const results: EvaluationResult[] = engine.evaluate("cooperative", coop, "2025-06-30");
  const many: EvaluationResult[] = engine.evaluate("cooperative", [coop, coop]);
  const withDate: EvaluationResult[] = engine.evaluate("person", { gender: "female" } satisfies Person, new Date());
  const d: Decision | undefined = results[0]?.decisions["many_female_jobs"];
  const outcome: Outcome | undefined = d?.outcome;
  const id: string | null | undefined = many[0]?.id;
  const reasons: string[] = (d?.reasons ?? []).map((r) => r.vi + r.en);
  const v: Validation = engine.validate("cooperative", coop, "vi");
  const v2: Validation = engine.validate("cooperative", coop, undefined, "2025-06-30");
  const first: FieldError | undefined = v.errors[0];
  const pointer: string | undefined = first?.field;
  const text: string | undefined = first?.text;
  const s: JsonSchema = engine.schema("cooperative");
  const x: Explanation = engine.explain("many_female_jobs");
  const section: string | undefined = x.cite?.section;
  const workers: JsonSchema | undefined = engine.schema("cooperative").properties?.["workers"];
  const t: string = engine.explainText("many_female_jobs") + engine.explainText("many_female_jobs", "en");
  const other = Engine.fromSources({ "vn-law/pack.toml": "[pack]" }, "vn-law");
  await initFull();
  const fromText: FullEngine = FullEngine.fromSources({ "vn-law/pack.toml": "[pack]" }, "vn-law");
  const reformed: Outcome | undefined = fromText.withReform({ htx_min_members: 7 }).evaluate("cooperative", coop)[0]?.decisions["women_managed"]?.outcome;
  void [fromText, reformed];
  const day: string = today() + version();
  try {
    engine.evaluate("nope", {});
  } catch (err) {
    const e = err as HtxRulesError;
    const code: string = e.code;
    const where: Diagnostic | undefined = e.diagnostics?.[0];
    void [code, where, e.messages.vi, e.name === "PackError"];
  }
  const amount: string | null = parseAmount("1,8 triệu");
  const limit: number = maxInputLength();
  using scoped = new Engine();
  void [amount, limit, scoped];
  // what the pack says, as data: fields, decisions, outcome words
  const fields: FieldInfo[] = engine.fields("cooperative");
  const fieldKind: FieldKind | undefined = fields[0]?.kind;
  const choices: string[] = (fields[0]?.values ?? []).map((v) => v.value + (v.label?.vi ?? ""));
  const infos = engine.decisions("cooperative");
  const decisionName: CooperativeDecisionName | undefined = infos[0]?.name;
  const anyName: DecisionName | undefined = engine.decisions("person")[0]?.name;
  const custom: DecisionInfo<string>[] = other.decisions("anything");
  const title: string | undefined = infos[0]?.title?.en;
  const labels: OutcomeLabels = outcomeLabels();
  const words: string = labels.yes.vi + labels.no.en + labels.unknown.vi;
  // the pack's types, generated from it
  const sector: Sector = "weaving";
  const role: ManagerRole = "board_chair";
  const entity: EntityName = "progress";
  const headcount: Headcount = { total: 5, female: null };
  const coop2: EntityFacts["cooperative"] = { sectors: [sector], members: headcount, value_chain: null, managers: [{ role }] };
  void [fields, fieldKind, choices, decisionName, anyName, custom, title, words, entity, coop2];
  // @ts-expect-error a sector the pack does not have
  const badSector: Sector = "mining";
  // @ts-expect-error a person's decision is not a cooperative's
  const badName: CooperativeDecisionName = "priority_woman";
  // @ts-expect-error a field's kind is a closed set
  const badKind: FieldKind = "number";
  // @ts-expect-error headcounts are numbers
  const badHeadcount: Headcount = { total: [1] };
  void [badSector, badName, badKind, badHeadcount];
  // @ts-expect-error outcome is a closed set
  const bad: Outcome = "maybe";
  // @ts-expect-error an outcome is not a boolean: compare with === "yes"
  const truthy: boolean = outcome;
  void truthy;
  // @ts-expect-error lang is "vi" | "en"
  engine.validate("cooperative", coop, "fr");
  // @ts-expect-error asOf is a string or a Date
  engine.evaluate("cooperative", coop, 20250101);
  // @ts-expect-error kind is a closed set
  const badCoop: Cooperative = { kind: "company" };
  void [section, workers, withDate, outcome, id, reasons, v2, pointer, text, s, x, t, other, day, bad, badCoop];
  other.free();
}
