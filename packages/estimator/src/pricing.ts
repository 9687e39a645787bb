// Chooses the GPU-hour price of an estimate and prices a GPU-hour band per provider.
import type { AssumptionLog } from "./assumptions";
import { scaleBand } from "./band";
import { listCloudPrices } from "./catalog";
import type { CloudPriceRecord } from "./catalog/records";
import { EstimatorInputError } from "./errors";
import { LIMITS, requirePositiveNumber } from "./model/validate";
import type { Band, PriceQuote, PricingOptions, ProviderCost } from "./types";

const MAX_PRICE_USD_PER_GPU_HOUR = 10_000;

/** A listing's source (with its note), cited with its date, and as the lowest spot price: written once per (immutable) listing. */
interface ListingTexts {
  source: string;
  cited: string;
  lowestSpot: string;
}

const listingTexts = new WeakMap<CloudPriceRecord, ListingTexts>();

function textsOf(r: CloudPriceRecord): ListingTexts {
  let texts = listingTexts.get(r);
  if (texts === undefined) {
    const source = r.note ? `${r.source} (${r.note})` : r.source;
    texts = { source, cited: `${source} [${r.date}]`, lowestSpot: `${r.source} [${r.date}]; the lowest published spot price for this accelerator` };
    listingTexts.set(r, texts);
  }
  return texts;
}

function quote(r: CloudPriceRecord): PriceQuote {
  return {
    provider: r.provider,
    sku: r.sku,
    region: r.region,
    onDemandUsdPerGpuHour: r.onDemandUsdPerGpuHour,
    spotUsdPerGpuHour: r.spotUsdPerGpuHour,
    source: textsOf(r).source,
    date: r.date,
  };
}

/** The median listing by on-demand price (the lower middle one for an even count, so it is a real offer). */
export function medianListing(listings: readonly CloudPriceRecord[]): CloudPriceRecord {
  const sorted = [...listings].sort((a, b) => a.onDemandUsdPerGpuHour - b.onDemandUsdPerGpuHour);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** The median and lowest-spot listings of an accelerator's (immutable, per-accelerator) catalog listings, found once. */
const listingChoices = new WeakMap<readonly CloudPriceRecord[], { median: CloudPriceRecord; lowestSpot: CloudPriceRecord | null }>();

function choices(listings: readonly CloudPriceRecord[]): { median: CloudPriceRecord; lowestSpot: CloudPriceRecord | null } {
  let c = listingChoices.get(listings);
  if (!c) {
    const spots = listings.filter((l) => l.spotUsdPerGpuHour !== null).sort((a, b) => (a.spotUsdPerGpuHour ?? 0) - (b.spotUsdPerGpuHour ?? 0));
    c = { median: medianListing(listings), lowestSpot: spots[0] ?? null };
    listingChoices.set(listings, c);
  }
  return c;
}

/**
 * Price per GPU-hour: an explicit price wins; a named provider takes its cheapest listing for the
 * accelerator; otherwise the median listing. Spot comes from the same listing, else the lowest
 * published spot price for the accelerator where it is below the chosen on-demand price (none
 * otherwise). Null when the catalog has no price for it.
 */
export function resolvePricing(acceleratorId: string, options: PricingOptions, log: AssumptionLog): PriceQuote | null {
  const spotOverride = options.spotPricePerGpuHourUsd === undefined
    ? undefined
    : requirePositiveNumber(options.spotPricePerGpuHourUsd, ["spotPricePerGpuHourUsd"], MAX_PRICE_USD_PER_GPU_HOUR, LIMITS.minPriceUsd);
  if (options.pricePerGpuHourUsd !== undefined) {
    const price = requirePositiveNumber(options.pricePerGpuHourUsd, ["pricePerGpuHourUsd"], MAX_PRICE_USD_PER_GPU_HOUR, LIMITS.minPriceUsd);
    return { provider: options.provider ?? "custom", sku: "request price", region: null, onDemandUsdPerGpuHour: price, spotUsdPerGpuHour: spotOverride ?? null, source: "request override", date: "request" };
  }
  const listings = listCloudPrices({ accelerator: acceleratorId });
  let chosen: CloudPriceRecord;
  if (options.provider !== undefined) {
    const ofProvider = listings.filter((l) => l.provider === options.provider);
    if (ofProvider.length === 0) {
      const known = [...new Set(listings.map((l) => l.provider))].join(", ") || "none";
      throw new EstimatorInputError(["provider"], `no ${acceleratorId} price for provider ${JSON.stringify(options.provider)} in the catalog (providers with a price: ${known})`);
    }
    chosen = [...ofProvider].sort((a, b) => a.onDemandUsdPerGpuHour - b.onDemandUsdPerGpuHour)[0];
    log.add("price listing choice", `cheapest ${options.provider} listing`, "rule", "request provider; cheapest per-GPU-hour SKU of that provider");
  } else {
    if (listings.length === 0) return null;
    chosen = choices(listings).median;
    log.add("price listing choice", `median of ${listings.length} catalog listings`, "rule", "modelplan choice: the median on-demand listing (lower middle for an even count); costByProvider lists every listing");
  }
  const q = quote(chosen);
  log.add(`on-demand price (${q.provider} ${q.sku})`, q.onDemandUsdPerGpuHour, "USD/GPU-hour", textsOf(chosen).cited);
  if (spotOverride !== undefined) {
    q.spotUsdPerGpuHour = spotOverride;
  } else if (q.spotUsdPerGpuHour === null) {
    // another provider's spot price stands in only where it is below the chosen on-demand price: spot is
    // the interruptible, cheaper way to rent the same GPU; a dearer one is no saving to show beside it
    const spot = listings.length > 0 ? choices(listings).lowestSpot : null;
    if (spot && (spot.spotUsdPerGpuHour as number) < q.onDemandUsdPerGpuHour) {
      q.spotUsdPerGpuHour = spot.spotUsdPerGpuHour;
      log.add(`spot price (${spot.provider} ${spot.sku})`, spot.spotUsdPerGpuHour as number, "USD/GPU-hour", textsOf(spot).lowestSpot);
    } else if (spot) {
      log.add("spot price", "none below the on-demand price", "rule", `${q.provider} ${q.sku} publishes no spot price, and the lowest published spot price for ${acceleratorId} (${spot.provider} ${spot.sku}, $${spot.spotUsdPerGpuHour}/GPU-hour) is above its on-demand $${q.onDemandUsdPerGpuHour}: no spot cost is given (costByProvider lists every listing)`);
    }
  } else {
    log.add(`spot price (${q.provider} ${q.sku})`, q.spotUsdPerGpuHour, "USD/GPU-hour", textsOf(chosen).cited);
  }
  return q;
}

/** Cost of a GPU-hour band at every catalog listing of the accelerator. */
export function costByProvider(acceleratorId: string, gpuHours: Band): ProviderCost[] {
  return listCloudPrices({ accelerator: acceleratorId }).map((l) => ({
    provider: l.provider,
    sku: l.sku,
    onDemandUsd: scaleBand(gpuHours, l.onDemandUsdPerGpuHour),
    spotUsd: l.spotUsdPerGpuHour === null ? null : scaleBand(gpuHours, l.spotUsdPerGpuHour),
    source: l.source,
    date: l.date,
  }));
}
