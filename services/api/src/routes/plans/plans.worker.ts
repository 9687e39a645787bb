/**
 * The body of a plan worker thread (plan-compute.ts runs them through lib/work-scheduler.ts): plans,
 * comparisons, reports and charts, computed off the service's event loop. A 120-month plan over 20
 * use cases takes seconds of CPU and is 7.9 MB of JSON; everything that touches a whole plan — the
 * planner, JSON, gzip, the report's HTML and the charts' SVG — happens here, and the event loop only
 * moves bytes: the stored document (gzip of the StoredPlan answer) in, the answer's bytes out.
 * Pure functions of @modelplan/planner; input and output cross the thread boundary by structured clone
 * (a stored document is at most a few MB of bytes: copying them costs about a millisecond).
 */
import { gunzipSync, gzipSync } from "node:zlib";
import {
  PLAN_SCHEMA_VERSION, PlannerInputError, planScenario, renderChart, renderPlanHtml, renderPlanMarkdown,
  type ChartName, type MeasuredHardware, type Plan, type PlannerOptions, type UseCase,
} from "@modelplan/planner";
import type { Scenario } from "../scenarios/scenarios.schemas";
import { comparedItem, type ComparedSource } from "./plan-compare";
import type { ComparedPlan, PlanRequest, PlanSummary, StoredPlan, StoredPlanAnyVersion } from "./plans.schemas";
import { summarise } from "./plan-summary";

/** What the planner needs for one scenario (read from the database on the event loop). */
export interface PlanInput {
  scenario: Scenario;
  useCases: UseCase[];
  catalogVersion: string;
  options: PlanRequest;
  /** The workspace's priced measured machines the plan costs ("our own box"), read by the handler. */
  measuredHardware: MeasuredHardware[];
  /** The workspace's measured profiles without a price: named in a warning, not costed. */
  unpricedHardware: { profileId: string; label: string }[];
}

/** A stored document: the gzip of a StoredPlan's JSON, or (rows written before) the plan's JSON text and the metadata. */
export type StoredDocument = { gzip: Uint8Array } | { planJson: string; meta: Omit<StoredPlanAnyVersion, "plan"> };

export type PlanTask =
  /** Plan and store: the StoredPlan answer gzip-compressed, with its summary. */
  | { kind: "plan"; input: PlanInput; stored: Omit<StoredPlan, "plan" | "options"> }
  /** Compare scenarios planned now (projections only) or stored plans. */
  | { kind: "compare-scenarios"; inputs: { input: PlanInput; source: ComparedSource }[] }
  | { kind: "compare-stored"; documents: StoredDocument[] }
  /** A stored plan's report or one chart. */
  | { kind: "render"; document: StoredDocument; as: "html" | "markdown" | ChartName; chartUrlBase: string };

/** A planner refusal, as the handler turns it into a 422 (field paths as the planner names them). */
export type PlanRefusal = { kind: "invalid"; index: number; message: string; issues: { path: (string | number)[]; message: string }[] };

export type PlanResult =
  | { kind: "plan"; gzip: Uint8Array; jsonBytes: number; summary: PlanSummary }
  | { kind: "compared"; items: ComparedPlan[] }
  | { kind: "text"; text: string }
  /** A stored plan of an earlier planner: it cannot be drawn or compared (its schema version and id). */
  | { kind: "legacy"; index: number; schemaVersion: number; id: string; scenarioId: string }
  | PlanRefusal;

type StoredAny = Omit<StoredPlan, "plan"> & { plan: Plan | { schemaVersion: number } };

function readDocument(doc: StoredDocument): StoredAny {
  if ("gzip" in doc) return JSON.parse(gunzipSync(doc.gzip).toString("utf8")) as StoredAny;
  return { ...doc.meta, plan: JSON.parse(doc.planJson) as StoredAny["plan"] };
}

function isCurrent(stored: StoredAny): stored is StoredAny & { plan: Plan } {
  return stored.plan.schemaVersion === PLAN_SCHEMA_VERSION;
}

class Refused extends Error {
  constructor(readonly refusal: PlanRefusal) {
    super(refusal.message);
  }
}

/** The planner's options of a plan request: the profiles it names arrive as measured hardware. */
function plannerOptions(input: PlanInput, extra: PlannerOptions = {}): PlannerOptions {
  const { hardwareProfiles: _profiles, ...options } = input.options;
  return { ...options, ...extra, measuredHardware: input.measuredHardware, unpricedHardware: input.unpricedHardware };
}

function plan(input: PlanInput, index: number, options: PlannerOptions): Plan {
  try {
    return planScenario(input.scenario, input.useCases, options, { useCases: input.catalogVersion });
  } catch (error) {
    if (error instanceof PlannerInputError) {
      throw new Refused({ kind: "invalid", index, message: error.message, issues: error.issues.map((i) => ({ path: i.path, message: i.message })) });
    }
    throw error;
  }
}

function run(task: PlanTask): PlanResult {
  switch (task.kind) {
    case "plan": {
      const computed = plan(task.input, 0, plannerOptions(task.input));
      const dto: StoredPlan = { ...task.stored, options: task.input.options, plan: computed };
      const json = Buffer.from(JSON.stringify(dto), "utf8");
      const gzip = gzipSync(json, { level: 6 });
      return { kind: "plan", gzip: new Uint8Array(gzip.buffer, gzip.byteOffset, gzip.byteLength), jsonBytes: json.byteLength, summary: summarise(dto.id, dto, computed) };
    }
    case "compare-scenarios":
      return {
        kind: "compared",
        items: task.inputs.map(({ input, source }, i) =>
          comparedItem(plan(input, i, plannerOptions(input, { projectionsOnly: true })), input.scenario, null, input.options, source),
        ),
      };
    case "compare-stored": {
      const items: ComparedPlan[] = [];
      for (const [i, doc] of task.documents.entries()) {
        const stored = readDocument(doc);
        if (!isCurrent(stored)) return { kind: "legacy", index: i, schemaVersion: stored.plan.schemaVersion, id: stored.id, scenarioId: stored.scenarioId };
        items.push(comparedItem(stored.plan, { id: stored.scenarioId, version: stored.scenarioVersion, name: stored.plan.scenario.name }, stored.id, stored.options, "stored-plan"));
      }
      return { kind: "compared", items };
    }
    case "render": {
      const stored = readDocument(task.document);
      if (!isCurrent(stored)) return { kind: "legacy", index: 0, schemaVersion: stored.plan.schemaVersion, id: stored.id, scenarioId: stored.scenarioId };
      if (task.as === "html") return { kind: "text", text: renderPlanHtml(stored.plan) };
      if (task.as === "markdown") return { kind: "text", text: renderPlanMarkdown(stored.plan, { chartUrl: (name) => `${task.chartUrlBase}/${name}.svg` }) };
      return { kind: "text", text: renderChart(stored.plan, task.as) };
    }
  }
}

export default function planWorker(task: PlanTask): PlanResult {
  try {
    return run(task);
  } catch (error) {
    if (error instanceof Refused) return error.refusal;
    throw error;
  }
}
