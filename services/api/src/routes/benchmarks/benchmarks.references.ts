import type { ReferenceCheck } from "../../lib/validation-hook";
import { fieldAt } from "../estimates/catalog-references";
import { profileReferenceError } from "./measured-hardware";

/** What a prediction names: a measured hardware profile of the caller's workspace (`local` or a profile id). */
export const predictReferences: ReferenceCheck = async (body, c) => {
  const ref = fieldAt(body, "hardwareProfileId");
  if (typeof ref !== "string") return [];
  const missing = await profileReferenceError(c.get("db"), c.get("workspaceId"), "hardwareProfileId", ref);
  return missing ? [missing] : [];
};
