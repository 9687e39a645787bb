import type { PlannerCatalog } from "./catalog";
import type { Projection } from "./projection";
import { effectOf, tryVariant } from "./recommendations/index";
import type { RecommendationEffect, RiskItem, RiskLevel, UseCase } from "./types";

type Dimension = RiskItem["dimension"];
type Mitigation = RiskItem["mitigations"][number];

/** The mitigations the field uses for each risk dimension (applied at medium and high risk). */
const MITIGATIONS: Record<Dimension, { name: string; how: string; minLevel: RiskLevel }[]> = {
  privacy: [
    { name: "anonymisation", how: "Strip or pseudonymise names, identifiers and free-text personal data before requests leave your systems and before logs or training sets are kept; keep the re-identification key on premises.", minLevel: "medium" },
    { name: "on-premise serving", how: "Serve an open model inside your own cloud account or data centre so personal data never reaches a third-party API.", minLevel: "high" },
    { name: "federated learning", how: "Where training data cannot be pooled (hospitals, banks, devices), train on each site's data where it lives and share only model updates (federated averaging, McMahan et al. 2017), with secure aggregation.", minLevel: "high" },
  ],
  regulation: [
    { name: "human review", how: "Keep a qualified person accountable for consequential outputs (diagnoses, credit, grades), with the model as decision support and an override path.", minLevel: "medium" },
    { name: "documentation and audit trail", how: "Keep model cards, data lineage, evaluation results and per-decision logs as regulators expect for high-risk systems (EU AI Act Art. 11–12, model-risk management).", minLevel: "high" },
    { name: "on-premise serving", how: "Serve the model where the data must reside (data-residency and health/finance secrecy rules).", minLevel: "high" },
  ],
  interpretability: [
    { name: "explanations", how: "Show per-decision reasons: feature attributions (e.g. SHAP) for tabular scores, saliency maps for images, cited sources for generated answers.", minLevel: "medium" },
    { name: "human review", how: "Route low-confidence or contested outputs to a person who can see the explanation and overrule the model.", minLevel: "high" },
  ],
  safety: [
    { name: "human review", how: "Require confirmation by a person before safety-relevant actions or publications; sample outputs for review.", minLevel: "medium" },
    { name: "monitoring and fallbacks", how: "Monitor error rates and drift in production, with a safe fallback (rule-based or human) when confidence is low.", minLevel: "high" },
  ],
};

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

/**
 * The risks of the scenario's use cases (from the catalog) with the mitigations the field uses. On-premise
 * serving, where it applies to a hosted-API plan, is quantified by re-running the plan self-hosted.
 */
export function assessRisks(base: Projection, useCases: UseCase[], catalog: PlannerCatalog): { risks: RiskItem[]; warnings: string[] } {
  const risks: RiskItem[] = [];
  const warnings: string[] = [];
  const onPremEffect = new Map<string, RecommendationEffect | null>();

  const onPremise = (slug: string): RecommendationEffect | null => {
    if (onPremEffect.has(slug)) return onPremEffect.get(slug)!;
    let effect: RecommendationEffect | null = null;
    const st = base.states.find((s) => s.spec.useCase.slug === slug);
    const chosen = st?.builds.get(st.workload.chosenOptionId)?.option;
    if (st && chosen?.kind === "hosted") {
      const target = st.eligible.map((b) => b.option).filter((o) => o.kind === "self-host" && !o.interruptible).sort((a, b) => a.totalCostUsd - b.totalCostUsd)[0];
      if (target) {
        const v = tryVariant(base, useCases, catalog, { adjustments: { ...base.adjustments, switchToOptionFromMonth: { month: 1, optionId: target.id } } });
        if (v) effect = effectOf(base, v);
      }
    }
    onPremEffect.set(slug, effect);
    return effect;
  };

  for (const slug of [...new Set(base.scenario.useCases)]) {
    const u = useCases.find((x) => x.slug === slug);
    if (!u) continue;
    for (const dim of ["privacy", "regulation", "interpretability", "safety"] as Dimension[]) {
      const level = u.risks[dim];
      if (RANK[level] < RANK.medium) continue;
      const mitigations: Mitigation[] = MITIGATIONS[dim]
        .filter((m) => RANK[level] >= RANK[m.minLevel])
        .map((m) => ({ name: m.name, how: m.how, effect: m.name === "on-premise serving" ? onPremise(slug) : null }));
      risks.push({ useCase: slug, dimension: dim, level, notes: u.risks.notes, mitigations });
    }
    const bm = base.scenario.businessModel;
    if (bm && bm !== "subscription" && !u.businessModels.includes(bm)) {
      warnings.push(`Business model '${bm}' is not among those the catalog lists for '${slug}' (${u.businessModels.join(", ")}).`);
    }
    if (bm === "data-monetisation" && RANK[u.risks.privacy] >= RANK.medium) {
      warnings.push(`Data monetisation with '${slug}' (privacy risk ${u.risks.privacy}) needs users' consent for the secondary use and anonymised or aggregated data products (GDPR Art. 6 and 89).`);
    }
  }
  return { risks, warnings };
}
