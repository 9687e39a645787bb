import type { Assumption } from "./types";

/** Collects every default and catalog figure an estimate uses, once per name. */
export class AssumptionLog {
  private readonly items = new Map<string, Assumption>();

  add(name: string, value: Assumption["value"], unit: string, source: string): void {
    if (!this.items.has(name)) this.items.set(name, { name, value, unit, source });
  }

  list(): Assumption[] {
    return [...this.items.values()];
  }
}
