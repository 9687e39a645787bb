import { and, desc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { hourlyCost, type HardwarePrice } from "@modelplan/planner";
import { hardwareProfiles, type AppDatabase, type HardwareProfileRow } from "@modelplan/db";
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
export function setProfilePrice(db: AppDatabase, workspaceId: string, profileId: string, stored: StoredProfilePrice): boolean {
  return (
    db
      .update(hardwareProfiles)
      .set({ price: stored })
      .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, profileId)))
      .run().changes > 0
  );
}

/** Removes a profile's price; false when the workspace has no such profile. */
export function clearProfilePrice(db: AppDatabase, workspaceId: string, profileId: string): boolean {
  return (
    db
      .update(hardwareProfiles)
      .set({ price: null })
      .where(and(eq(hardwareProfiles.workspaceId, workspaceId), eq(hardwareProfiles.id, profileId)))
      .run().changes > 0
  );
}

/** The workspace's priced profiles, most recently measured first (at most MAX_PRICED_PROFILES_IN_PLAN). */
export function pricedProfiles(db: AppDatabase, workspaceId: string): HardwareProfileRow[] {
  return db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), isNotNull(hardwareProfiles.price)))
    .orderBy(desc(hardwareProfiles.updatedAt), desc(hardwareProfiles.id))
    .limit(MAX_PRICED_PROFILES_IN_PLAN)
    .all();
}

/** The workspace's profiles without a price, most recently measured first (at most `limit`). */
export function unpricedProfiles(db: AppDatabase, workspaceId: string, limit = MAX_PRICED_PROFILES_IN_PLAN): HardwareProfileRow[] {
  return db
    .select()
    .from(hardwareProfiles)
    .where(and(eq(hardwareProfiles.workspaceId, workspaceId), isNull(hardwareProfiles.price)))
    .orderBy(desc(hardwareProfiles.updatedAt), desc(hardwareProfiles.id))
    .limit(limit)
    .all();
}

/** Profiles of the workspace by id (any order; missing ids are absent). */
export function profilesByIds(db: AppDatabase, workspaceId: string, ids: string[]): HardwareProfileRow[] {
  if (ids.length === 0) return [];
  return db.select().from(hardwareProfiles).where(and(eq(hardwareProfiles.workspaceId, workspaceId), inArray(hardwareProfiles.id, ids))).all();
}
