import { createRouter } from "../../lib/create-app";
import * as handlers from "./validation.handlers";
import * as routes from "./validation.routes";

export const validationRouter = createRouter().openapi(routes.getValidation, handlers.getValidation);
