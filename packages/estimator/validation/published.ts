// The published cases, typed. Read by the validation runner and the track record only.
import servingJson from "./serving-cases.json";
import trainingJson from "./training-runs.json";
import type { CaseFile, ServingCase, TrainingRunCase } from "./cases";

const training = trainingJson as unknown as CaseFile<TrainingRunCase>;
const serving = servingJson as unknown as CaseFile<ServingCase>;

export function publishedCases(): { training: readonly TrainingRunCase[]; serving: readonly ServingCase[]; collected: { training: string; serving: string } } {
  return { training: training.cases, serving: serving.cases, collected: { training: training.collected, serving: serving.collected } };
}
