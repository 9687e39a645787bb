import type { ReferenceCheck } from "../../lib/validation-hook";
import { isMeasuredHardwareRef, profileReferenceError } from "../benchmarks/measured-hardware";
import { acceleratorError, fieldAt, found, presetError, providerError } from "./catalog-references";

/**
 * What a training or serving estimate names: the model preset, the hardware (a catalog accelerator,
 * or a measured profile of the caller's workspace: `local` or a profile id) and the price provider
 * (its listing of the accelerator, unless the request gives its own price).
 */
export const estimateReferences: ReferenceCheck = async (body, c) => {
  const hardware = fieldAt(body, "hardware");
  const errors = found(presetError("model.preset", fieldAt(body, "model.preset")));
  if (isMeasuredHardwareRef(hardware)) {
    const missing = await profileReferenceError(c.get("db"), c.get("workspaceId"), "hardware", hardware);
    if (missing) errors.push(missing);
  } else {
    errors.push(...found(acceleratorError("hardware", hardware)));
  }
  if (fieldAt(body, "pricePerGpuHourUsd") === undefined) errors.push(...found(providerError("provider", fieldAt(body, "provider"), hardware)));
  return errors;
};

/**
 * What a scenario estimate's overrides name: the hardware (a catalog accelerator, or a measured profile
 * of the caller's workspace) and the price provider.
 */
export const scenarioEstimateReferences: ReferenceCheck = async (body, c) => {
  const hardware = fieldAt(body, "hardware");
  const hardwareError = isMeasuredHardwareRef(hardware) ? await profileReferenceError(c.get("db"), c.get("workspaceId"), "hardware", hardware) : acceleratorError("hardware", hardware);
  return found(hardwareError, providerError("provider", fieldAt(body, "provider"), hardware));
};
