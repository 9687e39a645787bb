import { createRoute, z } from "@hono/zod-openapi";
import { requireScope } from "../../auth/scopes";
import { commonErrors, problemResponses } from "../../lib/problem";
import { PaginationQuerySchema, pageSchema } from "../../lib/pagination";
import { DomainSchema, UseCaseSchema } from "./use-cases.schemas";

const tags = ["Use cases"];

export const ListUseCasesQuerySchema = PaginationQuerySchema.extend({
  domain: DomainSchema.optional().openapi({ param: { name: "domain", in: "query" }, description: "Only this domain.", example: "health" }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .openapi({ param: { name: "q", in: "query" }, description: "Free text matched against title, task and description (case-insensitive).", example: "translation" }),
});

export const UseCasePageSchema = pageSchema(UseCaseSchema, "UseCasePage");

export const listUseCases = createRoute({
  method: "get",
  path: "/v1/use-cases",
  security: requireScope("read"),
  operationId: "listUseCases",
  tags,
  summary: "List the use-case catalog",
  description: "The catalog of AI product use cases with their request profiles, latency targets, data needs, risks and business models. Ordered by slug; cursor-paginated.",
  request: { query: ListUseCasesQuerySchema },
  responses: {
    200: { description: "A page of use cases.", content: { "application/json": { schema: UseCasePageSchema } } },
    ...problemResponses(...commonErrors),
  },
});

export const SlugParamSchema = z.object({
  slug: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "slug", in: "path" }, description: "Use-case slug.", example: "smart-customer-service" }),
});

export const getUseCase = createRoute({
  method: "get",
  path: "/v1/use-cases/{slug}",
  security: requireScope("read"),
  operationId: "getUseCase",
  tags,
  summary: "Get one use case",
  description: "One catalog entry by slug.",
  request: { params: SlugParamSchema },
  responses: {
    200: { description: "The use case.", content: { "application/json": { schema: UseCaseSchema } } },
    ...problemResponses(404, ...commonErrors),
  },
});

export type ListUseCasesRoute = typeof listUseCases;
export type GetUseCaseRoute = typeof getUseCase;
