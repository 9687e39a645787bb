import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { hourlyCost, type HardwarePrice } from "@modelplan/planner";
import type { Database, HardwareProfileRow } from "@modelplan/db";
import type { z } from "@hono/zod-openapi";
import type { ProfilePriceSchema } from "./hardware-prices.schemas";

export type ProfilePriceDto = z.infer<typeof ProfilePriceSchema>;

/** The price JSON of a profile row: the resolved price and when it was set. */
export interface StoredProfilePrice {
  price: HardwarePrice;
  setAt: string;
}

/** At most this many priced profiles join a plan as deployment options. */
export const MAX_PRICED_PROFILES_IN_PLAN = 8;

export function storedPrice(row: Pick<HardwareProfileRow, "price">): StoredProfilePrice | null {
  const p = row.price as StoredProfilePrice | null;
  return p && typeof p === "object" && p.price ? p : null;
}

export function toPriceDto(profileId: string, stored: StoredProfilePrice): ProfilePriceDto {
  return { profileId, price: stored.price, hourly: hourlyCost(stored.price), setAt: stored.setAt };
}

/** Sets (or replaces) the price of a profile of the workspace; false when the workspace has no such profile. */
export async function setProfilePrice(d: Database, workspaceId: string, profileId: string, stored: StoredProfilePrice): Promise<boolean> {
  const { hardwareProfiles } = d.tables;
  const rows = await d.db
    .update(hardwareProfiles)
    .set({ price: stored })
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, profileId)))
    .returning({ id: hardwareProfiles.id });
  return rows.length > 0;
}

/** Removes a profile's price; false when the workspace has no such profile. */
export async function clearProfilePrice(d: Database, workspaceId: string, profileId: string): Promise<boolean> {
  const { hardwareProfiles } = d.tables;
  const rows = await d.db
    .update(hardwareProfiles)
    .set({ price: null })
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, profileId)))
    .returning({ id: hardwareProfiles.id });
  return rows.length > 0;
}

/** The workspace's priced profiles, most recently measured first (at most MAX_PRICED_PROFILES_IN_PLAN). */
export async function pricedProfiles(d: Database, workspaceId: string): Promise<HardwareProfileRow[]> {
  const { hardwareProfiles } = d.tables;
  return d.db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), isNotNull(hardwareProfiles.price)))
    .orderBy(desc(hardwareProfiles.updatedAt), desc(hardwareProfiles.id))
    .limit(MAX_PRICED_PROFILES_IN_PLAN);
}

/** The workspace's profiles without a price, most recently measured first (at most `limit`). */
export async function unpricedProfiles(d: Database, workspaceId: string, limit = MAX_PRICED_PROFILES_IN_PLAN): Promise<HardwareProfileRow[]> {
  const { hardwareProfiles } = d.tables;
  return d.db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), isNull(hardwareProfiles.price)))
    .orderBy(desc(hardwareProfiles.updatedAt), desc(hardwareProfiles.id))
    .limit(limit);
}

/** Profiles of the workspace by id (any order; missing ids are absent). */
export async function profilesByIds(d: Database, workspaceId: string, ids: string[]): Promise<HardwareProfileRow[]> {
  if (ids.length === 0) return [];
  const { hardwareProfiles } = d.tables;
  return d.db.select().from(hardwareProfiles).where(and(eq(hardwareProfiles.workspaceId, workspaceId), inArray(hardwareProfiles.id, ids)));
}
