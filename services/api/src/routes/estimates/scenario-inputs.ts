// Maps a stored scenario to the estimation engine's requests: the busiest month of its horizon (the
// planner's traffic: the funnel's paying and free users at their own request rates, and the API/SDK
// revenue lines, as plans count it), the request profile (scenario → first use case → engine defaults)
// and the model strategy.
import type { HostedApiInput, InferenceInput, TrainingInput } from "@modelplan/estimator";
import { busiestMonth, DAYS_PER_MONTH, projectTraffic } from "@modelplan/planner";
import { toModelInput } from "./model-input";
import { ApiError } from "../../lib/problem";
import type { Scenario } from "../scenarios/scenarios.schemas";
import type { ScenarioEstimate, ScenarioEstimateRequest } from "./scenario-estimates.schemas";

type RequestProfile = NonNullable<Scenario["usage"]["requestProfile"]>;

/** A use case's request profile and p95 latency target, as the use-case catalog stores them. */
export interface UseCaseServing {
  slug: string;
  profile: RequestProfile;
  /** p95 end-to-end latency target, ms (null when the use case has none) */
  latencyTargetMs: number | null;
}

export interface ScenarioEngineInputs {
  traffic: ScenarioEstimate["traffic"];
  requestProfile: ScenarioEstimate["requestProfile"];
  hostedApi: HostedApiInput | null;
  training: TrainingInput | null;
  inference: InferenceInput | null;
  /** the latency target the serving estimate must meet, and the use case it comes from (as plans apply it) */
  latencyTarget: { useCase: string; requestMs: number } | null;
  warnings: string[];
  /** renames engine field paths to the scenario (or override) field they came from */
  renamePath: (path: string[]) => string;
}

/** Scenario profile fields win over the use case's; the rest are left to the engine's defaults. */
export function mergeRequestProfile(scenario: Scenario, useCaseProfiles: UseCaseServing[]): ScenarioEstimate["requestProfile"] {
  const own = scenario.usage.requestProfile ?? {};
  const useCase = useCaseProfiles[0];
  const pick = <K extends keyof RequestProfile>(k: K): RequestProfile[K] | undefined => own[k] ?? useCase?.profile[k];
  const sources = [Object.keys(own).length ? "scenario" : null, useCase ? `use case ${useCase.slug}` : null].filter(Boolean);
  return {
    inputTokens: pick("inputTokens") ?? null,
    // a use case gives no cached prefix: only the scenario does
    cachedInputTokens: own.cachedInputTokens ?? 0,
    outputTokens: pick("outputTokens") ?? null,
    audioSeconds: pick("audioSeconds") ?? null,
    samplesPerRequest: pick("imagesPerRequest") ?? pick("candidatesScored") ?? null,
    latencyTargetMs: useCase?.latencyTargetMs ?? null,
    source: sources.length ? `${sources.join(", then ")}; engine defaults for the rest` : "engine defaults",
  };
}

const WORKLOAD_FIELDS: Record<string, string> = {
  inputTokens: "usage.requestProfile.inputTokens",
  cachedInputTokens: "usage.requestProfile.cachedInputTokens",
  outputTokens: "usage.requestProfile.outputTokens",
  audioSeconds: "usage.requestProfile.audioSeconds",
  samplesPerRequest: "usage.requestProfile.imagesPerRequest",
  requestsPerDay: "usage.requestsPerUserPerDay",
  peakToAverage: "usage.peakToAverage",
};

export function scenarioEngineInputs(
  scenario: Scenario,
  useCaseProfiles: UseCaseServing[],
  overrides: ScenarioEstimateRequest,
): ScenarioEngineInputs {
  const peak = busiestMonth(projectTraffic(scenario));
  const requestsPerDay = peak.requests / DAYS_PER_MONTH;
  if (!(requestsPerDay > 0)) {
    throw ApiError.invalidField("usage.requestsPerUserPerDay", "The scenario has no traffic (no month of its horizon has a request: users × requests per user per day is 0): there is nothing to estimate.");
  }
  const profile = mergeRequestProfile(scenario, useCaseProfiles);
  const workload = {
    ...(profile.inputTokens !== null ? { inputTokens: profile.inputTokens } : {}),
    ...(profile.cachedInputTokens > 0 ? { cachedInputTokens: profile.cachedInputTokens } : {}),
    ...(profile.outputTokens !== null ? { outputTokens: profile.outputTokens } : {}),
    ...(profile.audioSeconds !== null ? { audioSeconds: profile.audioSeconds } : {}),
    ...(profile.samplesPerRequest !== null ? { samplesPerRequest: profile.samplesPerRequest } : {}),
    requestsPerDay,
    ...(scenario.usage.peakToAverage !== undefined ? { peakToAverage: scenario.usage.peakToAverage } : {}),
  };
  const traffic = {
    peakMonth: peak.month,
    usersAtPeak: peak.users,
    payingUsersAtPeak: peak.payingUsers,
    freeUsersAtPeak: peak.freeUsers,
    requestsPerDay,
    peakToAverage: scenario.usage.peakToAverage ?? null,
  };
  const hardwareFromBody = overrides.hardware !== undefined;
  const renamePath = (path: string[]): string => {
    const [head, ...rest] = path;
    if (head === "workload") return WORKLOAD_FIELDS[rest[0]] ?? `usage.${rest.join(".")}`;
    if (head === "hardware" || head === "precision") return hardwareFromBody ? "hardware" : "hardware.accelerator";
    if (head === "provider") return overrides.provider !== undefined ? "provider" : "hardware.provider";
    if (head === "gpusPerReplica") return overrides.gpusPerReplica !== undefined ? "gpusPerReplica" : "hardware.gpusPerReplica";
    if (head === "quantization") return "model.quantization";
    if (head === "tokens" || head === "samples") return "model.trainingTokens";
    if (head === "method" || head === "lora") return "model.trainingMethod";
    if (head === "hostedModel") return "model.hostedModel";
    return path.length ? path.join(".") : "(root)";
  };
  const base = { traffic, requestProfile: profile, latencyTarget: null as ScenarioEngineInputs["latencyTarget"], warnings: [] as string[], renamePath };

  const m = scenario.model;
  if (m.strategy === "hosted-api") {
    return { ...base, hostedApi: { hostedModel: m.hostedModel, workload }, training: null, inference: null };
  }
  const hardware = overrides.hardware ?? scenario.hardware?.accelerator;
  if (!hardware) {
    throw ApiError.invalidField("hardware.accelerator", "A self-hosted, fine-tuned or trained model needs an accelerator: set hardware.accelerator on the scenario or pass hardware in the request body (GET /v1/hardware).");
  }
  const provider = overrides.provider ?? scenario.hardware?.provider;
  const gpusPerReplica = overrides.gpusPerReplica ?? scenario.hardware?.gpusPerReplica;
  const model = toModelInput(m);
  // the use case's p95 target bounds a whole request, exactly as plans apply it (packages/planner estimator-adapter)
  const useCase = useCaseProfiles[0];
  const latencyTarget = useCase?.latencyTargetMs ? { useCase: useCase.slug, requestMs: useCase.latencyTargetMs } : null;
  const inference: InferenceInput = {
    model,
    hardware,
    workload,
    ...(latencyTarget ? { latency: { requestMs: latencyTarget.requestMs } } : {}),
    ...(m.quantization ? { quantization: m.quantization } : {}),
    ...(gpusPerReplica ? { gpusPerReplica } : {}),
    ...(provider ? { provider } : {}),
  };
  let training: TrainingInput | null = null;
  if (m.strategy !== "self-host") {
    if (m.trainingTokens === undefined) {
      base.warnings.push(`The ${m.strategy} scenario has no model.trainingTokens: only serving is estimated.`);
    } else {
      training = {
        model,
        tokens: m.trainingTokens,
        method: m.trainingMethod ?? (m.strategy === "train-from-scratch" ? "pre-train" : "full-fine-tune"),
        hardware,
        ...(provider ? { provider } : {}),
      };
    }
  }
  return { ...base, latencyTarget, hostedApi: null, training, inference };
}
