import { describe, it, expect } from "vitest";
import { z } from "zod";
import catalog from "@modelplan/db/seed/use-cases.json";
import { knownPresetIds } from "../src/estimator-adapter";
import { QUALITY_BENCHMARKS } from "../src/types";

// Validates @modelplan/db/seed/use-cases.json against the shared UseCase contract (see the lead's contracts):
// shape and bounds, unique slugs, coverage of every domain, consistent ranges, and that every suggested
// preset exists in the estimator's preset catalog.

const DOMAINS = [
  "language", "vision", "speech", "recommendation", "health", "finance",
  "education", "smart-home", "mobility", "manufacturing", "software",
] as const;
const level = z.enum(["low", "medium", "high"]);
const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const positiveInt = z.number().int().positive();

const useCaseSchema = z.strictObject({
  slug: z.string().max(64).regex(kebab),
  title: z.string().min(1).max(120),
  domain: z.enum(DOMAINS),
  task: z.string().regex(kebab),
  description: z.string().min(20).max(2000),
  modelFamilies: z.array(z.string().regex(kebab)).min(1),
  parameterRange: z.strictObject({ min: z.number().positive(), max: z.number().positive(), rationale: z.string().min(40) }),
  suggestedPresets: z.array(z.string()),
  requestProfile: z.strictObject({
    modality: z.enum(["text", "image", "audio", "recommendation", "tabular"]),
    inputTokens: positiveInt.optional(),
    outputTokens: positiveInt.optional(),
    imageWidth: positiveInt.optional(),
    imageHeight: positiveInt.optional(),
    imagesPerRequest: positiveInt.optional(),
    audioSeconds: z.number().positive().optional(),
    candidatesScored: positiveInt.optional(),
    featuresPerRequest: positiveInt.optional(),
    rationale: z.string().min(40),
  }),
  latencyTarget: z.strictObject({ p95Ms: z.number().positive(), rationale: z.string().min(40) }),
  qualityFloor: z.union([
    z.strictObject({ benchmark: z.enum(QUALITY_BENCHMARKS), minimum: z.number().positive(), reasoning: z.string().min(80) }),
    z.strictObject({ benchmark: z.null(), minimum: z.null(), reasoning: z.string().min(40) }),
  ]),
  dataNeeds: z.string().min(20),
  risks: z.strictObject({ privacy: level, regulation: level, interpretability: level, safety: level, notes: z.string().min(20) }),
  businessModels: z.array(z.enum(["api-sdk", "technical-services", "data-monetisation"])).min(1),
});

const catalogSchema = z.strictObject({
  catalogVersion: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\d+$/),
  items: z.array(useCaseSchema).min(40),
});

/** The fields each modality needs for the planner to count units per request. */
const REQUIRED_BY_MODALITY: Record<string, string[]> = {
  text: ["inputTokens", "outputTokens"],
  image: ["imageWidth", "imageHeight", "imagesPerRequest"],
  audio: ["audioSeconds"],
  recommendation: ["candidatesScored"],
  tabular: ["featuresPerRequest"],
};

describe("use-case catalog (@modelplan/db/seed/use-cases.json)", () => {
  const parsed = catalogSchema.safeParse(catalog);

  it("matches the UseCase contract", () => {
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
  });

  const items = catalog.items as z.infer<typeof useCaseSchema>[];

  it("has unique slugs", () => {
    const seen = new Set<string>();
    const dups = items.filter((u) => (seen.has(u.slug) ? true : (seen.add(u.slug), false))).map((u) => u.slug);
    expect(dups).toEqual([]);
  });

  it("covers every domain with at least 3 entries", () => {
    const counts = Object.fromEntries(DOMAINS.map((d) => [d, items.filter((u) => u.domain === d).length]));
    for (const d of DOMAINS) expect(counts[d], d).toBeGreaterThanOrEqual(3);
  });

  it("has parameter ranges with min <= max", () => {
    const bad = items.filter((u) => !(u.parameterRange.min <= u.parameterRange.max)).map((u) => u.slug);
    expect(bad).toEqual([]);
  });

  it("gives each request profile the units its modality needs, and only those", () => {
    const problems: string[] = [];
    for (const u of items) {
      const { modality, rationale: _r, ...fields } = u.requestProfile;
      const need = REQUIRED_BY_MODALITY[modality];
      for (const f of need) if ((fields as Record<string, unknown>)[f] === undefined) problems.push(`${u.slug}: missing ${f}`);
      for (const f of Object.keys(fields)) if (!need.includes(f)) problems.push(`${u.slug}: ${f} does not belong to ${modality}`);
    }
    expect(problems).toEqual([]);
  });

  it("explains its figures with the numbers it uses", () => {
    // Each request-profile rationale must mention at least one of the figures it explains.
    const unexplained = items.filter((u) => {
      const { modality: _m, rationale, ...fields } = u.requestProfile;
      const figures = Object.values(fields).map((v) => Number(v));
      const text = rationale.replace(/,/g, "");
      return !figures.some((n) => text.includes(String(n)));
    }).map((u) => u.slug);
    expect(unexplained).toEqual([]);
  });

  it("suggests only presets that exist in the estimator", () => {
    const known = knownPresetIds();
    expect(known.size).toBeGreaterThan(0);
    const unknown = items.flatMap((u) => u.suggestedPresets.filter((p) => !known.has(p)).map((p) => `${u.slug}: ${p}`));
    expect(unknown).toEqual([]);
  });
});
