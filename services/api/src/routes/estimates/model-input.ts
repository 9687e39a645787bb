import type { Architecture, ModelInput } from "@modelplan/estimator";

/** A model as the API's schemas give it: one of preset, architecture or parameters (their refinements check that). */
export interface ModelFields {
  preset?: string;
  architecture?: Architecture;
  parameters?: number;
  activeParameters?: number;
  name?: string;
}

/**
 * The estimator's model input (a union: preset, architecture, or parameter count) of the API's flat
 * model fields, which ModelSpecSchema and OwnModelStrategySchema have checked hold exactly one.
 */
export function toModelInput(m: ModelFields): ModelInput {
  const name = m.name === undefined ? {} : { name: m.name };
  if (m.preset !== undefined) return { preset: m.preset };
  if (m.architecture !== undefined) return { architecture: m.architecture, ...name };
  if (m.parameters !== undefined) return { parameters: m.parameters, ...(m.activeParameters === undefined ? {} : { activeParameters: m.activeParameters }), ...name };
  throw new Error("toModelInput: the schema lets no model through without preset, architecture or parameters");
}
