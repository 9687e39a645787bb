// Cost of serving a workload through a hosted model API: tokens × the catalog's per-token prices.
import { AssumptionLog } from "./assumptions";
import { CATALOG_VERSION, getDefaults, getHostedModel, listHostedModels } from "./catalog";
import type { HostedModelRecord } from "./catalog/records";
import { EstimatorInputError } from "./errors";
import { assertFiniteFigures } from "./finite";
import { cachedInputTokensField, intField, requireObject, withDefault } from "./inputs";
import { resolveTraffic, type Traffic } from "./traffic";
import type { Assumption, InferenceWorkload } from "./types";
import { TOKENS_PER_MILLION } from "./units";

export interface HostedApiInput {
  hostedModel: string;
  workload: InferenceWorkload;
}

export interface HostedTraffic extends Traffic {
  tokensPerMonth: number;
}

export interface HostedApiEstimate {
  kind: "hosted-api";
  catalogVersion: string;
  hostedModel: HostedModelRecord;
  inputTokens: number;
  /** of the input tokens, those billed at the cache-read price */
  cachedInputTokens: number;
  outputTokens: number;
  traffic: HostedTraffic;
  costPerRequestUsd: number;
  monthlyCostUsd: number;
  /** blended price of this workload's token mix */
  costPerMillionTokensUsd: number;
  assumptions: Assumption[];
}

/**
 * Per-request API cost: uncached input tokens × input price + cached input tokens × cache-read price
 * (the input price where none is listed) + output tokens × output price.
 */
export function hostedCostPerRequestUsd(
  m: Pick<HostedModelRecord, "inputUsdPerMillionTokens" | "outputUsdPerMillionTokens" | "cachedInputUsdPerMillionTokens">,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): number {
  const cachedPrice = m.cachedInputUsdPerMillionTokens ?? m.inputUsdPerMillionTokens;
  return ((inputTokens - cachedInputTokens) * m.inputUsdPerMillionTokens + cachedInputTokens * cachedPrice + outputTokens * m.outputUsdPerMillionTokens) / TOKENS_PER_MILLION;
}

/** How cached input tokens are priced (one assumption, logged when the request has any). */
export const CACHED_INPUT_PRICING =
  "cached input tokens at the model's cache-read price (litellm cache_read_input_token_cost), at the input price where none is listed; cache writes — the first request of each cache lifetime, and Anthropic's 1.25× write price — are not counted, a small share at steady traffic. Providers cache only prefixes above a minimum (OpenAI: prompts of 1,024 tokens or more, hits in steps of 128 — openai/openai-cookbook examples/Prompt_Caching_201.ipynb): give the tokens yours serves from its cache";

export function estimateHostedApi(input: HostedApiInput): HostedApiEstimate {
  requireObject(input, [], "the hosted-API request");
  requireObject(input.workload, ["workload"], "workload");
  const model = typeof input.hostedModel === "string" ? getHostedModel(input.hostedModel) : undefined;
  if (!model) throw new EstimatorInputError(["hostedModel"], `unknown hosted model ${JSON.stringify(input.hostedModel)}; known: ${listHostedModels().map((m) => m.id).join(", ")}`);
  const log = new AssumptionLog();
  const d = getDefaults();
  const inputTokens = withDefault(intField(input.workload.inputTokens, ["workload", "inputTokens"], 1e8), d.inference.inputTokens, "input tokens per request", log, "tokens");
  const outputTokens = withDefault(intField(input.workload.outputTokens, ["workload", "outputTokens"], 1e8), d.inference.outputTokens, "output tokens per request", log, "tokens");
  const cachedInputTokens = cachedInputTokensField(input.workload.cachedInputTokens, inputTokens);
  log.add("hours per month", d.hoursPerMonth.value, "h", d.hoursPerMonth.source);
  const traffic = resolveTraffic(input, log, d.hoursPerMonth.value);
  log.add(`${model.id} input price`, model.inputUsdPerMillionTokens, "USD per 1M tokens", `${model.source} [${model.date}]`);
  log.add(`${model.id} output price`, model.outputUsdPerMillionTokens, "USD per 1M tokens", `${model.source} [${model.date}]`);
  if (cachedInputTokens > 0) {
    log.add(`${model.id} cached input price`, model.cachedInputUsdPerMillionTokens ?? model.inputUsdPerMillionTokens, "USD per 1M tokens", model.cachedInputUsdPerMillionTokens === null ? `no cache-read price listed: billed at the input price (${model.source} [${model.date}])` : `${model.source} [${model.date}]`);
    log.add("cached input pricing", `${cachedInputTokens} of ${inputTokens} input tokens per request`, "rule", CACHED_INPUT_PRICING);
  }
  const perRequest = hostedCostPerRequestUsd(model, inputTokens, outputTokens, cachedInputTokens);
  const tokensPerMonth = traffic.requestsPerMonth * (inputTokens + outputTokens);
  return assertFiniteFigures<HostedApiEstimate>({
    kind: "hosted-api",
    catalogVersion: CATALOG_VERSION,
    hostedModel: model,
    inputTokens,
    cachedInputTokens,
    outputTokens,
    traffic: { peakRequestsPerSec: traffic.peakRequestsPerSec, averageRequestsPerSec: traffic.averageRequestsPerSec, requestsPerDay: traffic.requestsPerDay, requestsPerMonth: traffic.requestsPerMonth, peakToAverage: traffic.peakToAverage, tokensPerMonth },
    costPerRequestUsd: perRequest,
    monthlyCostUsd: perRequest * traffic.requestsPerMonth,
    costPerMillionTokensUsd: (perRequest / (inputTokens + outputTokens)) * TOKENS_PER_MILLION,
    assumptions: log.list(),
  });
}
