import { createRoute } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { ValidationReportSchema } from "./validation.schemas";

export const getValidation = createRoute({
  method: "get",
  path: "/v1/validation",
  security: requireScope("read"),
  operationId: "getValidation",
  tags: ["Estimates"],
  summary: "The estimator's track record on published runs",
  description:
    "Every published training run, fine-tuning benchmark and serving figure of packages/estimator/validation, estimated live with defaults only (the model, tokens or request shape, hardware, GPUs, precision, a fine-tune's method and adapter, and a serving case's engine and formats, as a user would give them) and compared with what its source reports: per case the predicted and published figures, the error and whether the band covers it; per kind the median error, band coverage and the issue-12 target, with the held-out cases (whose sources set no default) apart. Computed once per process.",
  responses: {
    200: { description: "The track record.", content: { "application/json": { schema: ValidationReportSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export type GetValidationRoute = typeof getValidation;
