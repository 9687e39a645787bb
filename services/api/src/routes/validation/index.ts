import { trackRecord } from "@modelplan/estimator";
import { createRouter } from "../../lib/create-app";
import * as handlers from "./validation.handlers";
import * as routes from "./validation.routes";

// The track record (every published case estimated once, ~0.3 s) is computed when the service loads, so
// that no request (GET /v1/validation, or the first estimate that cites it) waits on it on the event loop.
trackRecord();

export const validationRouter = createRouter().openapi(routes.getValidation, handlers.getValidation);
