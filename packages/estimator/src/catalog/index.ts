// Typed, read-only access to the versioned catalogs (static JSON imports; no I/O at run time).
import acceleratorsJson from "../../data/accelerators.json";
import cloudPricesJson from "../../data/cloud-prices.json";
import hostedModelsJson from "../../data/hosted-models.json";
import presetsJson from "../../data/model-presets.json";
import defaultsJson from "../../data/defaults.json";
import type {
  AcceleratorRecord,
  Catalog,
  CloudPriceRecord,
  DefaultsRecord,
  HostedModelRecord,
  PresetRecord,
} from "./records";

const accelerators = acceleratorsJson as unknown as Catalog<AcceleratorRecord>;
const cloudPrices = cloudPricesJson as unknown as Catalog<CloudPriceRecord>;
const hostedModels = hostedModelsJson as unknown as Catalog<HostedModelRecord>;
const presets = presetsJson as unknown as Catalog<PresetRecord>;
const defaults = defaultsJson as unknown as DefaultsRecord & { catalogVersion: string; retrieved: string };

/** Versions of each catalog file. */
export const CATALOG_VERSIONS = {
  accelerators: accelerators.catalogVersion,
  cloudPrices: cloudPrices.catalogVersion,
  hostedModels: hostedModels.catalogVersion,
  modelPresets: presets.catalogVersion,
  defaults: defaults.catalogVersion,
} as const;

/** The newest catalog version; stored with every estimate so it can be reproduced. */
export const CATALOG_VERSION: string = Object.values(CATALOG_VERSIONS).sort().at(-1) as string;

// Lookups by id, built once (the catalogs are immutable for the life of the process).
const acceleratorById = new Map(accelerators.items.map((a) => [a.id, a]));
const presetById = new Map(presets.items.map((p) => [p.id, p]));
const hostedModelById = new Map(hostedModels.items.map((m) => [m.id, m]));
const pricesByAccelerator = new Map<string, CloudPriceRecord[]>();
for (const p of cloudPrices.items) {
  const list = pricesByAccelerator.get(p.accelerator);
  if (list) list.push(p);
  else pricesByAccelerator.set(p.accelerator, [p]);
}
for (const list of pricesByAccelerator.values()) Object.freeze(list);
const NO_PRICES: readonly CloudPriceRecord[] = Object.freeze([]);

export function listAccelerators(): readonly AcceleratorRecord[] {
  return accelerators.items;
}

export function getAccelerator(id: string): AcceleratorRecord | undefined {
  return acceleratorById.get(id);
}

export function listCloudPrices(filter: { accelerator?: string; provider?: string } = {}): readonly CloudPriceRecord[] {
  if (filter.accelerator !== undefined && filter.provider === undefined) return pricesByAccelerator.get(filter.accelerator) ?? NO_PRICES;
  return cloudPrices.items.filter(
    (p) =>
      (filter.accelerator === undefined || p.accelerator === filter.accelerator) &&
      (filter.provider === undefined || p.provider === filter.provider),
  );
}

export function listHostedModels(): readonly HostedModelRecord[] {
  return hostedModels.items;
}

export function getHostedModel(id: string): HostedModelRecord | undefined {
  return hostedModelById.get(id);
}

export function listPresets(): readonly PresetRecord[] {
  return presets.items;
}

export function getPreset(id: string): PresetRecord | undefined {
  return presetById.get(id);
}

export function getDefaults(): DefaultsRecord {
  return defaults;
}

/** Catalog metadata (version, retrieval date, description) for API listings. */
export function catalogInfo(): Record<keyof typeof CATALOG_VERSIONS, { catalogVersion: string; retrieved: string; description: string }> {
  const info = (c: { catalogVersion: string; retrieved: string; description?: string }) => ({
    catalogVersion: c.catalogVersion,
    retrieved: c.retrieved,
    description: c.description ?? "",
  });
  return {
    accelerators: info(accelerators),
    cloudPrices: info(cloudPrices),
    hostedModels: info(hostedModels),
    modelPresets: info(presets),
    defaults: info(defaults as unknown as Catalog<unknown>),
  };
}
