// Defaults of the startup economics, each with its source or labelled as a modelplan choice. They are
// listed in every plan's assumptions when the scenario or the plan options do not give a value.

export interface SourcedDefault {
  value: number;
  unit: string;
  source: string;
}

export const FUNNEL_DEFAULTS = {
  freeToPaidPct: {
    value: 3,
    unit: "% of sign-ups who become paying customers",
    source:
      "Published freemium SaaS benchmarks: OpenView Partners' 2022 SaaS Benchmarks put the median freemium conversion at 2–5% (as quoted by Monetizely, 'Freemium Conversion Rate: The Key Metric that Drives SaaS Growth', 2025-07-03); Lincoln Murphy (Sixteen Ventures, 2010) gives 3% for SaaS and B2B web apps (compiled on AnalyticsPack's 'Free to Paid' metric page). modelplan uses 3%, inside that range.",
  },
  paidChurnPct: {
    value: 5.48,
    unit: "% of paying customers lost per month",
    source:
      "Recurly Research, Annual Subscription Billing Metrics Report (about 2,000 subscription sites, January–December 2019): median monthly churn 5.48% across all industries (B2B 5.15%, B2C 6.81%); recurly.com/research/annual-subscription-billling-metrics-report.",
  },
  freeChurnPct: {
    value: 10,
    unit: "% of free users lost per month",
    source:
      "modelplan choice: free users leave faster than paying ones (nothing to cancel, no switching cost); no published cross-company benchmark of free-tier monthly churn was found, so 10% is an assumption — set funnel.freeChurnPct from your own cohorts.",
  },
} as const satisfies Record<string, SourcedDefault>;

/** Employer cost per hour worked, private industry, September 2024 (BLS ECEC): total compensation and wages. */
const ECEC_TOTAL_USD_PER_HOUR = 44.4;
const ECEC_WAGES_USD_PER_HOUR = 31.25;

export const PEOPLE_DEFAULTS = {
  engineerAnnualSalaryUsd: {
    value: 144_570,
    unit: "USD per year",
    source: "U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics, May 2024: annual mean wage of Software Developers (SOC 15-1252), $144,570 (bls.gov/oes/current/oes151252.htm). Set engineerAnnualSalaryUsd to your own offer.",
  },
  employerCostMultiplier: {
    value: ECEC_TOTAL_USD_PER_HOUR / ECEC_WAGES_USD_PER_HOUR,
    unit: "× salary (benefits and payroll taxes included)",
    source: `BLS Employer Costs for Employee Compensation, September 2024 (released 2024-12-17): private industry total compensation $${ECEC_TOTAL_USD_PER_HOUR}/h of which wages and salaries $${ECEC_WAGES_USD_PER_HOUR}/h, so cost = salary × ${ECEC_TOTAL_USD_PER_HOUR} / ${ECEC_WAGES_USD_PER_HOUR} (bls.gov/ecec).`,
  },
  selfHostEngineerMonthsPerMonth: {
    value: 0.5,
    unit: "engineer-months per month per self-hosted deployment",
    source:
      "modelplan choice: deploying, upgrading and monitoring an inference fleet plus a share of a 24/7 on-call rotation takes about half an engineer; no published benchmark was found. Counted only for self-hosting (what a hosted API does for you).",
  },
  fineTuneDataPrepEngineerMonths: {
    value: 1,
    unit: "engineer-months, once",
    source: "modelplan choice: collecting, cleaning, de-identifying and formatting a fine-tuning set from your own records takes about a month of an engineer; set fineTuneDataPrepEngineerMonths from your plan.",
  },
  fineTuneEvaluationEngineerMonths: {
    value: 0.5,
    unit: "engineer-months, once",
    source: "modelplan choice: building an evaluation set and comparing the fine-tuned model with the base and hosted alternatives before release takes about two weeks of an engineer.",
  },
} as const satisfies Record<string, SourcedDefault>;

/** Hours of a full-time year (52 weeks × 40 h), to turn an annual salary into a cost per hour. */
export const WORK_HOURS_PER_YEAR = 52 * 40;

/** A crossover needs the challenger to be this much cheaper than the current cheapest (modelplan choice). */
export const DEFAULT_CROSSOVER_HYSTERESIS_PCT = 5;

/**
 * The largest price rise the plan puts forward as a step to take: doubling (modelplan choice). Demand does
 * not respond to price in the plan (the same users, conversion and churn at any price), which is a fair
 * approximation for a moderate rise and not for a multiple of today's price; beyond it the plan says that
 * the margin target is out of reach by pricing alone and ranks the price last.
 */
export const MAX_PRICE_RISE_FACTOR = 2;

/** How many times the current price a required price is (null when there is no current price to compare). */
export function priceRiseFactor(currentPriceUsd: number, requiredPriceUsd: number): number | null {
  return currentPriceUsd > 0 ? requiredPriceUsd / currentPriceUsd : null;
}

/** True when pricing alone cannot credibly reach the price: a rise (priceRiseFactor) beyond MAX_PRICE_RISE_FACTOR. */
export function beyondPricingAlone(riseFactor: number | null): boolean {
  return riseFactor !== null && riseFactor > MAX_PRICE_RISE_FACTOR;
}

/**
 * Minimum billed time of a GPU instance by provider. Providers not listed publish no rule in the sources
 * used here; their runs are billed for the exact time.
 */
export const BILLING_RULES: Record<string, { minimumSeconds: number; incrementSeconds: number; source: string }> = {
  aws: {
    minimumSeconds: 60,
    incrementSeconds: 1,
    source: "AWS, 'Announcing Amazon EC2 per second billing' (2017-10-02): Linux On-Demand, Reserved and Spot instances are billed in one-second increments with a minimum of 60 seconds.",
  },
  gcp: {
    minimumSeconds: 60,
    incrementSeconds: 1,
    source: "Google Cloud per-second billing for Compute Engine VMs with a one-minute minimum (Paul Nash, Google, September 2017, as reported by ITPro and iTnews).",
  },
};
