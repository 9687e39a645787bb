import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { ProfileDeleteParamSchema, ProfileIdParamSchema } from "../benchmarks/benchmarks.schemas";
import { CostsQuerySchema, ProfileCostsSchema, ProfilePriceRequestSchema, ProfilePriceSchema } from "./hardware-prices.schemas";

const tags = ["Benchmarks"];

export const setHardwareProfilePrice = createRoute({
  method: "put",
  path: "/v1/hardware-profiles/{id}/price",
  security: requireScope("write"),
  operationId: "setHardwareProfilePrice",
  tags,
  summary: "Price a measured machine (cloud instance or owned hardware)",
  description:
    "Sets what one hour of the measured machine costs, replacing any price it had. Two forms: `cloud-instance` — a provider and instance type, priced from the price catalog (GET /v1/hardware lists its listings) or from your `usdPerHour` with its `source`; `owned` — total cost of ownership per hour made explicit: purchase price over the depreciation years (8,760 h a year), plus power (measured or rated) × PUE × electricity price, plus hosting per month over 730 h. " +
    "A priced profile yields costs from its measured throughput (GET /v1/hardware-profiles/{id}/costs), prices the estimates made on it (`\"hardware\": \"hwp_…\"` or `\"local\"`), and joins plans as a deployment option (\"our own box\") beside the catalog GPUs and hosted APIs. Name the profile by its id (`local` is not accepted here). An instance type the catalog does not list, without `usdPerHour`, answers 422 naming `instanceType`.",
  request: {
    params: ProfileDeleteParamSchema,
    body: { required: true, content: { "application/json": { schema: ProfilePriceRequestSchema } } },
  },
  responses: {
    200: { description: "The price as stored, with its hourly cost.", content: { "application/json": { schema: ProfilePriceSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export const deleteHardwareProfilePrice = createRoute({
  method: "delete",
  path: "/v1/hardware-profiles/{id}/price",
  security: requireScope("write"),
  operationId: "deleteHardwareProfilePrice",
  tags,
  summary: "Remove a measured machine's price",
  description: "Removes the profile's price (nothing happens when it had none): it no longer joins plans, and its estimates carry no cost. Name the profile by its id.",
  request: { params: ProfileDeleteParamSchema },
  responses: {
    204: { description: "Removed." },
    ...problemResponses(404, ...commonErrors),
  },
});

export const getHardwareProfileCosts = createRoute({
  method: "get",
  path: "/v1/hardware-profiles/{id}/costs",
  security: requireScope("read"),
  operationId: "getHardwareProfileCosts",
  tags,
  summary: "What the measured throughput costs on a priced machine",
  description:
    "For every whole-machine run of the profile, its measured throughput priced at the profile's hourly cost — no catalog peak and no extrapolation: inference runs as USD and kWh per million requests (with `samplesPerRequest`), training runs as USD and kWh per million samples and, with `trainingSamples` (and `epochs`), the hours, cost and energy of that training run. Bands: the run's p90 and p10 step times. 409 when the profile has no price (PUT /v1/hardware-profiles/{id}/price first).",
  request: { params: ProfileIdParamSchema, query: CostsQuerySchema },
  responses: {
    200: { description: "The costs.", content: { "application/json": { schema: ProfileCostsSchema } } },
    ...problemResponses(404, 409, ...commonErrors),
  },
});

export type SetHardwareProfilePriceRoute = typeof setHardwareProfilePrice;
export type DeleteHardwareProfilePriceRoute = typeof deleteHardwareProfilePrice;
export type GetHardwareProfileCostsRoute = typeof getHardwareProfileCosts;
