// Cost of serving a workload through a hosted model API: tokens × the catalog's per-token prices.
import { AssumptionLog } from "./assumptions";
import { CATALOG_VERSION, getDefaults, getHostedModel, listHostedModels } from "./catalog";
import type { HostedModelRecord } from "./catalog/records";
import { EstimatorInputError } from "./errors";
import { assertFiniteFigures } from "./finite";
import { intField, requireObject, withDefault } from "./inputs";
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
  outputTokens: number;
  traffic: HostedTraffic;
  costPerRequestUsd: number;
  monthlyCostUsd: number;
  /** blended price of this workload's token mix */
  costPerMillionTokensUsd: number;
  assumptions: Assumption[];
}

/** Per-request API cost: input tokens × input price + output tokens × output price. */
export function hostedCostPerRequestUsd(m: Pick<HostedModelRecord, "inputUsdPerMillionTokens" | "outputUsdPerMillionTokens">, inputTokens: number, outputTokens: number): number {
  return (inputTokens * m.inputUsdPerMillionTokens + outputTokens * m.outputUsdPerMillionTokens) / TOKENS_PER_MILLION;
}

export function estimateHostedApi(input: HostedApiInput): HostedApiEstimate {
  requireObject(input, [], "the hosted-API request");
  requireObject(input.workload, ["workload"], "workload");
  const model = typeof input.hostedModel === "string" ? getHostedModel(input.hostedModel) : undefined;
  if (!model) throw new EstimatorInputError(["hostedModel"], `unknown hosted model ${JSON.stringify(input.hostedModel)}; known: ${listHostedModels().map((m) => m.id).join(", ")}`);
  const log = new AssumptionLog();
  const d = getDefaults();
  const inputTokens = withDefault(intField(input.workload.inputTokens, ["workload", "inputTokens"], 1e8), d.inference.inputTokens, "input tokens per request", log, "tokens");
  const outputTokens = withDefault(intField(input.workload.outputTokens, ["workload", "outputTokens"], 1e8), d.inference.outputTokens, "output tokens per request", log, "tokens");
  log.add("hours per month", d.hoursPerMonth.value, "h", d.hoursPerMonth.source);
  const traffic = resolveTraffic(input, log, d.hoursPerMonth.value);
  log.add(`${model.id} input price`, model.inputUsdPerMillionTokens, "USD per 1M tokens", `${model.source} [${model.date}]`);
  log.add(`${model.id} output price`, model.outputUsdPerMillionTokens, "USD per 1M tokens", `${model.source} [${model.date}]`);
  const perRequest = hostedCostPerRequestUsd(model, inputTokens, outputTokens);
  const tokensPerMonth = traffic.requestsPerMonth * (inputTokens + outputTokens);
  return assertFiniteFigures<HostedApiEstimate>({
    kind: "hosted-api",
    catalogVersion: CATALOG_VERSION,
    hostedModel: model,
    inputTokens,
    outputTokens,
    traffic: { peakRequestsPerSec: traffic.peakRequestsPerSec, averageRequestsPerSec: traffic.averageRequestsPerSec, requestsPerDay: traffic.requestsPerDay, requestsPerMonth: traffic.requestsPerMonth, peakToAverage: traffic.peakToAverage, tokensPerMonth },
    costPerRequestUsd: perRequest,
    monthlyCostUsd: perRequest * traffic.requestsPerMonth,
    costPerMillionTokensUsd: (perRequest / (inputTokens + outputTokens)) * TOKENS_PER_MILLION,
    assumptions: log.list(),
  });
}
