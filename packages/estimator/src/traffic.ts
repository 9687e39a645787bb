// Traffic of a workload: peak and average requests per second, per day and per month.
import type { AssumptionLog } from "./assumptions";
import { getDefaults } from "./catalog";
import { EstimatorInputError } from "./errors";
import { numberField, withDefault } from "./inputs";
import { LIMITS } from "./model/validate";
import type { InferenceInput } from "./types";
import { SECONDS_PER_DAY } from "./units";

const MAX_RPS = 1e7;

export interface Traffic {
  peakRequestsPerSec: number;
  averageRequestsPerSec: number;
  requestsPerDay: number;
  requestsPerMonth: number;
  peakToAverage: number;
}

export function resolveTraffic(input: { workload: InferenceInput["workload"] }, log: AssumptionLog, hoursPerMonth: number): Traffic {
  const w = input.workload;
  const peakRps = numberField(w.requestsPerSecondPeak, ["workload", "requestsPerSecondPeak"], MAX_RPS, LIMITS.minRequestsPerSecond);
  const perDay = numberField(w.requestsPerDay, ["workload", "requestsPerDay"], MAX_RPS * SECONDS_PER_DAY, LIMITS.minRequestsPerDay);
  const ratioGiven = numberField(w.peakToAverage, ["workload", "peakToAverage"], 1000);
  if (ratioGiven !== undefined && ratioGiven < 1) throw new EstimatorInputError(["workload", "peakToAverage"], "peakToAverage is at least 1");
  if (peakRps === undefined && perDay === undefined) {
    throw new EstimatorInputError(["workload", "requestsPerSecondPeak"], "give the traffic: requestsPerSecondPeak or requestsPerDay");
  }
  if (peakRps !== undefined && perDay !== undefined) {
    throw new EstimatorInputError(
      ["workload", "requestsPerDay"],
      "give workload.requestsPerSecondPeak or workload.requestsPerDay, not both: the other follows from it and workload.peakToAverage (peak requests/s = requests per day ÷ 86,400 s × peakToAverage)",
    );
  }
  const daysPerMonth = hoursPerMonth / 24;
  const ratio = withDefault(ratioGiven, getDefaults().peakToAverage, "peak-to-average traffic ratio", log);
  if (peakRps !== undefined) {
    const average = peakRps / ratio;
    return { peakRequestsPerSec: peakRps, averageRequestsPerSec: average, requestsPerDay: average * SECONDS_PER_DAY, requestsPerMonth: average * SECONDS_PER_DAY * daysPerMonth, peakToAverage: ratio };
  }
  const average = (perDay as number) / SECONDS_PER_DAY;
  return { peakRequestsPerSec: average * ratio, averageRequestsPerSec: average, requestsPerDay: perDay as number, requestsPerMonth: (perDay as number) * daysPerMonth, peakToAverage: ratio };
}
