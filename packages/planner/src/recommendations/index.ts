import type { PlannerCatalog } from "../catalog";
import { fmtNum, fmtUsd } from "../format";
import { suitableModels } from "../options";
import type { Projection } from "../projection";
import { assessQuality, eligibleForQuality } from "../quality";
import type { Quantization, Recommendation, UseCase } from "../types";
import { BATCH_FACTORS, batchingLatencyCaveat, largestBatchWithinLatency } from "./batching";
import { pricingRecommendation, recommendationTier } from "./pricing";
import { describeEffect, effectOf, improves, tryVariant } from "./variants";

export { BATCH_FACTORS, largestBatchWithinLatency, selfHostedLatencies, withinLatencyTargets, type WorkloadLatency } from "./batching";
export { pricingRecommendation, recommendationTier } from "./pricing";
export { describeEffect, effectOf, improves, tryVariant } from "./variants";

/** Bits per weight, to order quantisation levels. */
const QUANT_BITS: Record<Quantization, number> = { fp32: 32, fp16: 16, bf16: 16, fp8: 8, int8: 8, int4: 4, nvfp4: 4 };

/** LTV/CAC a SaaS business is expected to reach (David Skok, "SaaS Metrics 2.0", forEntrepreneurs.com). */
const TARGET_LTV_TO_CAC = 3;

/**
 * Recommendations, each quantified by re-running the plan with the change applied. A cost change is
 * returned only when it saves money without lowering the metric month's gross margin or the cash at the
 * horizon (no trade-off hidden behind "saves"); options below a use case's quality floor are never proposed.
 */
export function recommend(base: Projection, useCases: UseCase[], catalog: PlannerCatalog): { recommendations: Recommendation[]; warnings: string[] } {
  const recs: Recommendation[] = [];
  const warnings: string[] = [];
  const s = base.scenario;
  const mm = base.results.metricMonth;
  const push = (r: Omit<Recommendation, "effect" | "rationale"> & { rationale: string }, variant: Projection | null) => {
    if (!variant) return;
    const effect = effectOf(base, variant);
    if (!improves(effect)) return;
    recs.push({ ...r, rationale: `${r.rationale} Re-running the plan with this change: ${describeEffect(effect, mm)}.`, effect });
  };
  const ownStrategy = s.model.strategy !== "hosted-api";
  const ownState = ownStrategy ? base.states.find((st) => st.chosen.option.kind !== "hosted" && st.workload.chosenReason.startsWith("the scenario's")) : undefined;

  // 1. Weight quantisation.
  if (s.model.strategy !== "hosted-api") {
    const current = s.model.quantization ?? "bf16";
    for (const q of ["int8", "int4"] as const) {
      if (QUANT_BITS[q] >= QUANT_BITS[current]) continue;
      push({
        id: `quantise-${q}`,
        category: "quantisation",
        title: `Serve ${q} weights instead of ${current}`,
        change: `model.quantization: ${current} → ${q}`,
        rationale: `${q} weights take ${QUANT_BITS[current] / QUANT_BITS[q]}× less memory and bandwidth, so decoding (memory-bound) runs faster and larger batches fit.`,
        caveats: [q === "int4" ? "Weight-only int4 (GPTQ/AWQ) loses some accuracy; measure it on your evaluation set before switching." : "int8 weight quantisation usually costs little accuracy, but check it on your evaluation set."],
      }, tryVariant(base, useCases, catalog, { scenario: { ...s, model: { ...s.model, quantization: q } } }));
    }
  }

  // 2. A smaller (distilled) model of the same use case that still meets its quality floor.
  if (s.model.strategy !== "hosted-api" && ownState) {
    const currentParams = ownState.chosen.option.model.parameters ?? Infinity;
    const floor = ownState.spec.floor;
    const smaller = suitableModels(catalog, ownState.spec.useCase)
      .filter((m) => m.parameters < currentParams * 0.9)
      .filter((m) => eligibleForQuality(assessQuality(catalog.quality, { kind: "preset", id: m.id }, floor), floor));
    const next = smaller.at(-1); // the largest model that is still smaller: the least quality lost
    if (next) {
      push({
        id: `smaller-model-${next.id}`,
        category: "smaller-model",
        title: `Use a smaller model: ${next.label}`,
        change: `model: ${ownState.chosen.option.model.label} → ${next.label} (${fmtNum(next.parameters)} parameters)`,
        rationale: `A smaller model of the same use case serves more requests per GPU${floor ? ` and still meets its quality floor (${floor.benchmark} ≥ ${floor.minimum})` : ""}.`,
        caveats: ["Quality may drop on your task; distil or fine-tune the smaller model and compare on your evaluation set."],
      }, tryVariant(base, useCases, catalog, { scenario: { ...s, model: { ...s.model, preset: next.id, parameters: undefined, architecture: undefined } } }));
    }
  }

  // 3. Batching (self-hosted): the largest batch factor that keeps every served workload within its p95 target.
  if (ownState) {
    const batching = largestBatchWithinLatency(base, useCases, catalog);
    if (batching) {
      push({
        id: `batching-${batching.factor}x`,
        category: "batching",
        title: batching.factor === 2 ? "Batch twice as many requests per replica" : `Batch ${batching.factor}× as many requests per replica`,
        change: `serving batch size × ${batching.factor} (continuous batching)`,
        rationale: `Larger batches reuse each weight read for more sequences, raising throughput per GPU; × ${batching.factor} is the largest of ${BATCH_FACTORS.map((f) => `× ${f}`).join(", ")} at which every self-hosted workload still meets its use case's p95 latency target.`,
        caveats: [batchingLatencyCaveat(batching.latencies), "The latency is the estimate's expected figure at full batches: measure p95 under your own load before raising the batch in production."],
      }, batching.variant);
    }
  }

  // 4. Response caching.
  {
    const h = base.settings.cacheHitRate;
    push({
      id: "response-cache",
      category: "caching",
      title: `Cache repeated requests (${Math.round(h * 100)}% hit rate)`,
      change: `answer ${Math.round(h * 100)}% of requests from a cache (semantic or exact-match) instead of the model`,
      rationale: "Repeated questions and identical inputs need not reach the model; the hit rate is an assumption (plan option cacheHitRate) — measure yours from request logs.",
      caveats: ["Cached answers can go stale; key the cache on the inputs that change the answer and expire it."],
    }, tryVariant(base, useCases, catalog, { adjustments: { ...base.adjustments, cacheHitRate: h } }));
  }

  // 5. Switch accelerator (self-hosted): the same model on the accelerator with the lowest full running cost.
  if (ownStrategy) {
    for (const st of base.states) {
      const chosen = st.builds.get(st.workload.chosenOptionId)!.option;
      if (chosen.kind === "hosted" || !chosen.accelerator) continue;
      const best = [...st.builds.values()]
        .map((b) => b.option)
        .filter((o) => o.kind === "self-host" && o.model.id === chosen.model.id && (o.pricing === "on-demand" || o.pricing === "owned") && o.accelerator && o.accelerator.id !== chosen.accelerator!.id)
        .sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
      if (best && best.totalCostUsd < chosen.totalCostUsd - chosen.oneOffCostUsd) {
        push({
          id: `accelerator-${best.accelerator!.id}`,
          category: "accelerator",
          title: `Serve on ${best.accelerator!.label} (${best.accelerator!.provider})`,
          change: `hardware: ${chosen.accelerator.label} (${chosen.accelerator.provider}) → ${best.accelerator!.label} (${best.accelerator!.provider})`,
          rationale: `Over the horizon, ${best.accelerator!.label} is the priced accelerator with the lowest running cost for ${chosen.model.label} at this traffic.`,
          caveats: ["Check availability and quotas of this GPU type with the provider."],
        }, tryVariant(base, useCases, catalog, { scenario: { ...s, hardware: best.measured ? { accelerator: best.accelerator!.id } : { accelerator: best.accelerator!.id, provider: best.accelerator!.provider } } }));
      }
      break;
    }
  }

  // 6. Switch hosted model: the cheapest hosted model that meets the use case's quality floor.
  if (s.model.strategy === "hosted-api") {
    const st = base.states.find((x) => x.builds.get(x.workload.chosenOptionId)?.option.kind === "hosted");
    if (st) {
      const chosen = st.builds.get(st.workload.chosenOptionId)!.option;
      const best = st.eligible.map((b) => b.option).filter((o) => o.kind === "hosted" && o.id !== chosen.id).sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
      if (best && best.totalCostUsd < chosen.totalCostUsd) {
        const q = best.quality.score !== null && st.spec.floor ? ` and scores ${best.quality.score} on ${best.quality.benchmark} (floor ${st.spec.floor.minimum})` : "";
        push({
          id: `hosted-${best.model.id}`,
          category: "hosted-model",
          title: `Switch hosted model to ${best.model.label}`,
          change: `model.hostedModel: ${chosen.model.id} → ${best.model.id}`,
          rationale: `${best.model.label} has the lowest token prices in the catalog for this request profile among the models that meet the use case's quality floor${q}.`,
          caveats: ["Benchmarks are a proxy: run your evaluation set on both models before switching."],
        }, tryVariant(base, useCases, catalog, { scenario: { ...s, model: { strategy: "hosted-api", hostedModel: best.model.id } } }));
      }
    }
  }

  // 6b. Self-hosting whose full cost (GPUs, engineering, on-call, training) exceeds a hosted model that meets the floor.
  if (ownStrategy && base.states.length === 1) {
    const st = base.states[0];
    const chosen = st.builds.get(st.workload.chosenOptionId)!.option;
    const best = st.eligible.map((b) => b.option).filter((o) => o.kind === "hosted").sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
    if (chosen.kind !== "hosted" && best && best.totalCostUsd < chosen.totalCostUsd) {
      push({
        id: `buy-${best.model.id}`,
        category: "hosted-model",
        title: `Call ${best.model.label} instead of running your own model`,
        change: `model: ${s.model.strategy} ${chosen.model.label} → hosted-api ${best.model.id}`,
        rationale: `Self-hosting costs ${fmtUsd(chosen.peopleCostUsdPerMonth)} a month of engineering and on-call on top of its GPUs${chosen.oneOffCostUsd > 0 ? ` and ${fmtUsd(chosen.oneOffCostUsd)} to train` : ""}; at this traffic ${best.model.label}${best.quality.score !== null ? ` (${best.quality.score} on ${best.quality.benchmark}, meeting the use case's floor)` : ""} costs less over the horizon.`,
        caveats: ["A hosted API sends your users' data to the provider: check the use case's privacy risk and the provider's data terms.", "Self-hosting wins back as traffic grows: the plan's build-vs-buy month says when."],
      }, tryVariant(base, useCases, catalog, { scenario: { ...s, model: { strategy: "hosted-api", hostedModel: best.model.id } } }));
    }
  }

  // 7. Reserved capacity once load is steady (self-hosted).
  {
    const st = base.states.find((x) => {
      const o = x.builds.get(x.workload.chosenOptionId)?.option;
      return o && o.kind !== "hosted" && o.pricing === "on-demand" && !o.measured;
    });
    if (st) {
      const chosen = st.builds.get(st.workload.chosenOptionId)!.option;
      const row = base.priceRows.find((r) => r.acceleratorId === chosen.accelerator!.id && r.provider === chosen.accelerator!.provider);
      if (!row || row.reservedUsdPerGpuHour === null) {
        warnings.push(`Reserved capacity not costed: the price catalog has no reserved price for ${chosen.accelerator!.label} (${chosen.accelerator!.provider}); pass reservedDiscountPct (your provider's committed-use discount) to quantify it.`);
      } else {
        const replicas = st.chosenMonths.map((m) => m.replicas ?? 0);
        let steady: number | null = null;
        for (let i = 2; i < replicas.length; i++) if (replicas[i] === replicas[i - 1] && replicas[i] === replicas[i - 2]) { steady = i + 1; break; }
        if (steady !== null) {
          push({
            id: `reserved-from-${steady}`,
            category: "reserved-capacity",
            title: `Reserve capacity from month ${steady}, when the fleet has been steady for 3 months`,
            change: `GPU price: on-demand $${fmtNum(row.onDemandUsdPerGpuHour)}/h → reserved $${fmtNum(row.reservedUsdPerGpuHour)}/h from month ${steady}`,
            rationale: `From month ${steady} the fleet has kept ${replicas[steady - 1]} replica(s) for three months, so committing to it is low-risk.`,
            caveats: ["A commitment is paid whether or not the capacity is used; reserve only the base load and keep peaks on demand."],
          }, tryVariant(base, useCases, catalog, { adjustments: { ...base.adjustments, reservedFromMonth: steady } }));
        }
      }
    }
  }

  // 8. Move off the hosted API after the build-vs-buy crossover, to a self-hosted option that meets the floor.
  if (s.model.strategy === "hosted-api") {
    for (const st of base.states) {
      const k = st.workload.buildVsBuyCrossoverMonth;
      if (k === null || st.builds.get(st.workload.chosenOptionId)?.option.kind !== "hosted") continue;
      const target = st.eligible
        .map((b) => b.option)
        .filter((o) => o.kind === "self-host" && !o.interruptible)
        .sort((a, b) => a.series.capacityCostUsd[k - 1] - b.series.capacityCostUsd[k - 1])[0];
      if (!target) continue;
      push({
        id: `move-off-hosted-${st.spec.useCase.slug}`,
        category: "move-off-hosted",
        title: `Move '${st.spec.useCase.slug}' off the hosted API from month ${k}`,
        change: `from month ${k}: ${target.label}`,
        rationale: `From month ${k} self-hosting, engineering and on-call included (${fmtUsd(target.peopleCostUsdPerMonth)}/month), costs less than the cheapest hosted model at this traffic (build-vs-buy crossover).`,
        caveats: ["Self-hosting needs an evaluation that the open model matches the hosted one on your task, and migration time."],
      }, tryVariant(base, useCases, catalog, { adjustments: { ...base.adjustments, switchToOptionFromMonth: { month: k, optionId: target.id } } }));
      break;
    }
  }

  // 9. Pricing for the target gross margin: a step to take when within MAX_PRICE_RISE_FACTOR of today's
  // price, otherwise a statement that pricing alone cannot reach the target (ranked last).
  const pricing = pricingRecommendation(base, useCases, catalog);
  if (pricing) recs.push(pricing.recommendation);

  // 10. Acquisition cost for an LTV/CAC of 3 (Skok, "SaaS Metrics 2.0": LTV should be at least 3 × CAC).
  {
    const um = base.results.unitEconomics;
    const cac = base.funnel.cacUsd;
    if (cac !== null && um.ltvUsd !== null && um.ltvUsd > 0 && um.ltvToCac !== null && um.ltvToCac < TARGET_LTV_TO_CAC) {
      const targetCac = um.ltvUsd / TARGET_LTV_TO_CAC;
      const variant = tryVariant(base, useCases, catalog, { scenario: { ...s, funnel: { ...(s.funnel ?? {}), acquisition: { cacUsd: targetCac } } } });
      if (variant) {
        const effect = effectOf(base, variant);
        const cashGain = effect.cumulativeCashAtHorizonUsdAfter - effect.cumulativeCashAtHorizonUsdBefore;
        if (cashGain > 0) {
          recs.push({
            id: "cac-for-ltv-to-cac-3",
            category: "acquisition",
            title: `Bring the CAC down to ${fmtUsd(targetCac)} per paying customer for an LTV/CAC of ${TARGET_LTV_TO_CAC}`,
            change: `funnel.acquisition.cacUsd: ${cac} → ${Number(targetCac.toPrecision(4))}`,
            rationale: `In month ${um.month} a paying user brings ${fmtUsd(um.ltvUsd)} of gross profit over their life (LTV) against a ${fmtUsd(cac)} CAC: ${um.ltvToCac.toFixed(2)}×, below the ${TARGET_LTV_TO_CAC}× a SaaS business is expected to reach (David Skok, "SaaS Metrics 2.0"). Re-running the plan with this CAC: ${describeEffect(effect, mm)}.`,
            effect,
            caveats: ["Cheaper channels (referrals, content, partnerships) usually bring fewer users: the plan keeps the sign-ups, conversion and churn unchanged.", "Raising the price or cutting churn raises the LTV instead; the sensitivity table shows both."],
          });
        }
      }
    }
  }

  const tier = (r: Recommendation) => recommendationTier(r, pricing?.beyondPricingAlone ?? false);
  recs.sort((a, b) => tier(a) - tier(b) || b.effect.costSavingsUsd - a.effect.costSavingsUsd);
  return { recommendations: recs, warnings };
}
