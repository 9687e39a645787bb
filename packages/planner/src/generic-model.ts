import type { ModelRef } from "./catalog";
import type { UseCase } from "./types";

/** Input width of a recommendation scorer when no architecture is given: user + item embeddings of 128 each (assumed). */
export const RECOMMENDATION_SCORER_INPUTS = 256;

/**
 * A dense MLP with two equal hidden layers and about `parameters` parameters:
 * params = inputs·h + h + h·h + h + h + 1 ≈ h² + (inputs + 3)·h + 1, solved for h.
 */
export function mlpWithParameters(inputs: number, parameters: number): { family: "mlp"; inputs: number; hiddenLayers: number[]; outputs: number } {
  const b = inputs + 3;
  const h = Math.max(1, Math.round((-b + Math.sqrt(b * b + 4 * Math.max(0, parameters - 1))) / 2));
  return { family: "mlp", inputs, hiddenLayers: [h, h], outputs: 1 };
}

/**
 * A stand-in scorer for tabular and recommendation use cases when the preset catalog has no model:
 * tabular — an MLP over the request's features at the top of the use case's parameter range;
 * recommendation — an MLP over 256 embedding inputs at the bottom of the range (the range's top counts
 * embedding tables, which are looked up rather than multiplied).
 */
export function genericScorer(useCase: UseCase): { ref: ModelRef; parameters: number; label: string; explanation: string } | null {
  const modality = useCase.requestProfile.modality;
  if (modality === "tabular") {
    const inputs = useCase.requestProfile.featuresPerRequest ?? 100;
    const parameters = useCase.parameterRange.max;
    return { ref: { architecture: mlpWithParameters(inputs, parameters) }, parameters, label: `generic MLP scorer (~${parameters.toPrecision(2)} parameters)`, explanation: `MLP over ${inputs} features with ~${parameters.toPrecision(2)} parameters (top of the use case's range)` };
  }
  if (modality === "recommendation") {
    const parameters = useCase.parameterRange.min;
    return { ref: { architecture: mlpWithParameters(RECOMMENDATION_SCORER_INPUTS, parameters) }, parameters, label: `generic ranking MLP (~${parameters.toPrecision(2)} dense parameters)`, explanation: `ranking MLP over ${RECOMMENDATION_SCORER_INPUTS} embedding inputs (assumed: user + item embeddings of 128) with ~${parameters.toPrecision(2)} dense parameters (bottom of the use case's range; embedding tables are looked up, not multiplied)` };
  }
  return null;
}
