import { createRouter } from "../../lib/create-app";
import * as handlers from "./hardware-prices.handlers";
import * as routes from "./hardware-prices.routes";

export const hardwarePricesRouter = createRouter()
  .openapi(routes.setHardwareProfilePrice, handlers.setHardwareProfilePrice)
  .openapi(routes.deleteHardwareProfilePrice, handlers.deleteHardwareProfilePrice)
  .openapi(routes.getHardwareProfileCosts, handlers.getHardwareProfileCosts);

export { resolvePrice } from "./hardware-prices.handlers";
export { pricedProfiles, profilesByIds, storedPrice, MAX_PRICED_PROFILES_IN_PLAN, type StoredProfilePrice } from "./hardware-prices.repository";
