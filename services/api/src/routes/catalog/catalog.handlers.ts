import {
  catalogInfo,
  getAccelerator,
  getPreset,
  listAccelerators,
  listCloudPrices,
  listHostedModels as hostedModels,
  listPresets,
  PRECISIONS,
  resolveModel,
  trainingMfu,
  type AcceleratorRecord,
  type PresetRecord,
} from "@modelplan/estimator";
import { ApiError } from "../../lib/problem";
import type { AppRouteHandler } from "../../lib/types";
import type { GetHardwareRoute, GetModelPresetRoute, ListHardwareRoute, ListHostedModelsRoute, ListModelPresetsRoute } from "./catalog.routes";
import type { Accelerator, ModelPreset } from "./catalog.schemas";

/** Training MFU of a reference run (7B parameters on 8 GPUs) for each precision the accelerator has a peak for; estimates use the model's size and GPU count. */
const REFERENCE_PARAMETERS = 7e9;
const REFERENCE_GPUS = 8;
function utilisationBands(a: AcceleratorRecord): Accelerator["computeUtilisation"] {
  return PRECISIONS.filter((p) => a.peakFlopsPerS[p]?.value !== null).map((precision) => {
    const { band } = trainingMfu(a.id, precision, REFERENCE_PARAMETERS, REFERENCE_GPUS);
    return { precision, low: band.low, expected: band.expected, high: band.high, source: `at 7B parameters on 8 GPUs: ${band.source}` };
  });
}

function toAcceleratorDto(a: AcceleratorRecord): Accelerator {
  return { ...a, computeUtilisation: utilisationBands(a), prices: [...listCloudPrices({ accelerator: a.id })] };
}

function toPresetDto(p: PresetRecord): ModelPreset {
  const m = resolveModel({ preset: p.id });
  return {
    id: p.id,
    name: p.name,
    task: p.task,
    family: p.architecture.family,
    publishedParameters: p.publishedParameters,
    publishedActiveParameters: p.publishedActiveParameters ?? null,
    computedParameters: m.parameters,
    computedActiveParameters: m.activeParameters,
    architectureSource: p.architectureSource,
    architecture: p.architecture,
  };
}

export const listHardware: AppRouteHandler<ListHardwareRoute> = (c) => {
  const { kind } = c.req.valid("query");
  const items = listAccelerators().filter((a) => kind === undefined || a.kind === kind).map(toAcceleratorDto);
  return c.json({ ...catalogInfo().accelerators, items }, 200);
};

export const getHardware: AppRouteHandler<GetHardwareRoute> = (c) => {
  const { id } = c.req.valid("param");
  const a = getAccelerator(id);
  if (!a) throw ApiError.notFound("Accelerator", id);
  return c.json(toAcceleratorDto(a), 200);
};

export const listHostedModels: AppRouteHandler<ListHostedModelsRoute> = (c) => {
  const { provider } = c.req.valid("query");
  const items = hostedModels().filter((m) => provider === undefined || m.provider === provider);
  return c.json({ ...catalogInfo().hostedModels, items: [...items] }, 200);
};

export const listModelPresets: AppRouteHandler<ListModelPresetsRoute> = (c) => {
  const { family } = c.req.valid("query");
  const items = listPresets().filter((p) => family === undefined || p.architecture.family === family).map(toPresetDto);
  return c.json({ ...catalogInfo().modelPresets, items }, 200);
};

export const getModelPreset: AppRouteHandler<GetModelPresetRoute> = (c) => {
  const { id } = c.req.valid("param");
  const p = getPreset(id);
  if (!p) throw ApiError.notFound("Model preset", id);
  return c.json(toPresetDto(p), 200);
};
