import { z } from "@hono/zod-openapi";
import { CATALOG_BUSINESS_MODELS as BUSINESS_MODELS, DOMAINS, MODALITIES, QUALITY_BENCHMARKS, RISK_LEVELS } from "@modelplan/planner";

const Level = z.enum(RISK_LEVELS);

export const DomainSchema = z.enum(DOMAINS).openapi({ description: "Application domain (from the seed essays).", example: "language" });

export const UseCaseSchema = z
  .object({
    slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64).openapi({ description: "Stable identifier (kebab-case).", example: "smart-customer-service" }),
    title: z.string().min(1).max(120).openapi({ description: "Human-readable name.", example: "Smart customer-service assistant" }),
    domain: DomainSchema,
    task: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64).openapi({ description: "ML task (kebab-case).", example: "dialogue" }),
    description: z.string().min(1).max(2000).openapi({ description: "What the product does.", example: "Answers customer questions in chat, escalating to a human when unsure." }),
    modelFamilies: z.array(z.string().max(64)).min(1).max(10).openapi({ description: "Model families typically used.", example: ["decoder-llm"] }),
    parameterRange: z
      .object({
        min: z.number().positive().openapi({ description: "Smallest typical model, in parameters.", example: 1e9 }),
        max: z.number().positive().openapi({ description: "Largest typical model, in parameters.", example: 7e10 }),
        rationale: z.string().max(1000).openapi({ description: "Why this range.", example: "Small instruction-tuned 1–8B models handle FAQ answers; 70B class for complex multi-turn support." }),
      })
      .openapi({ description: "Parameter counts of the models typically used." }),
    suggestedPresets: z.array(z.string().max(64)).max(20).openapi({ description: "Model presets (GET /v1/model-presets) that could serve it.", example: ["llama-3-8b"] }),
    requestProfile: z
      .object({
        modality: z.enum(MODALITIES).openapi({ description: "Unit of work of one request.", example: "text" }),
        inputTokens: z.number().int().nonnegative().optional().openapi({ description: "Text: prompt tokens per request.", example: 600 }),
        outputTokens: z.number().int().nonnegative().optional().openapi({ description: "Text: generated tokens per request.", example: 150 }),
        imageWidth: z.number().int().positive().optional().openapi({ description: "Image: width in pixels.", example: 224 }),
        imageHeight: z.number().int().positive().optional().openapi({ description: "Image: height in pixels.", example: 224 }),
        imagesPerRequest: z.number().int().positive().optional().openapi({ description: "Image: images per request.", example: 1 }),
        audioSeconds: z.number().positive().optional().openapi({ description: "Audio: seconds of audio per request.", example: 8 }),
        candidatesScored: z.number().int().positive().optional().openapi({ description: "Recommendation: candidates scored per request.", example: 500 }),
        featuresPerRequest: z.number().int().positive().optional().openapi({ description: "Tabular: input features per request.", example: 120 }),
        rationale: z.string().max(1000).openapi({ description: "Where these figures come from.", example: "~450 tokens of system prompt, history and retrieved FAQ plus the question; ~150-token reply." }),
      })
      .openapi({ description: "One typical request, in the units of its modality." }),
    latencyTarget: z
      .object({
        p95Ms: z.number().positive().openapi({ description: "95th-percentile end-to-end latency target, ms.", example: 2000 }),
        rationale: z.string().max(1000).openapi({ description: "Why this target.", example: "Chat users expect the first words within ~1 s and a full answer within ~2 s." }),
      })
      .openapi({ description: "Latency the product needs." }),
    qualityFloor: z
      .object({
        benchmark: z.enum(QUALITY_BENCHMARKS).nullable().openapi({ description: "Benchmark of the floor (packages/planner/data/quality-scores.json); null: no general benchmark predicts quality for this use case.", example: "lmarena-text-elo" }),
        minimum: z.number().positive().nullable().openapi({ description: "Lowest score that meets the floor (null with no benchmark).", example: 1150 }),
        reasoning: z.string().min(1).max(1500).openapi({ description: "Why this floor, or why none.", example: "modelplan choice. Unsupervised customer-facing answers about orders and refunds can bind the company ..." }),
      })
      .optional()
      .openapi({ description: "Quality the use case needs: options below it are left out of the plan's cheapest option and recommendations." }),
    dataNeeds: z.string().max(2000).openapi({ description: "Data needed to build and run it.", example: "Historical support tickets and FAQ articles; consent for transcripts." }),
    risks: z
      .object({
        privacy: Level.openapi({ description: "Privacy risk.", example: "medium" }),
        regulation: Level.openapi({ description: "Regulatory exposure.", example: "low" }),
        interpretability: Level.openapi({ description: "Need for explanations.", example: "low" }),
        safety: Level.openapi({ description: "Harm if wrong.", example: "medium" }),
        notes: z.string().max(2000).openapi({ description: "What the risks are concretely.", example: "Transcripts contain personal data; wrong refund promises." }),
      })
      .openapi({ description: "Risk profile." }),
    businessModels: z.array(z.enum(BUSINESS_MODELS)).max(3).openapi({ description: "Business models that fit.", example: ["api-sdk", "technical-services"] }),
  })
  .openapi("UseCase");

export type UseCase = z.infer<typeof UseCaseSchema>;

export const UseCaseCatalogFileSchema = z.object({
  catalogVersion: z.string().min(1),
  items: z.array(UseCaseSchema).min(1),
});
