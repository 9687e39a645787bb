import type { Assumption, Band } from "./types";

/** Collects every default and catalog figure an estimate uses, once per name. */
export class AssumptionLog {
  private readonly items = new Map<string, Assumption>();

  add(name: string, value: Assumption["value"], unit: string, source: string): void {
    if (!this.items.has(name)) this.items.set(name, { name, value, unit, source, band: null });
  }

  /** Replaces what an earlier step assumed, in its place in the list, with what a later step decided (e.g. a layout that fits). */
  set(name: string, value: Assumption["value"], unit: string, source: string): void {
    this.items.set(name, { name, value, unit, source, band: null });
  }

  /** A band as one assumption: its expected value, its low and high ends, and its source once. */
  addBand(name: string, band: Band, unit: string, source: string): void {
    if (!this.items.has(name)) this.items.set(name, { name, value: band.expected, unit, source, band: { low: band.low, high: band.high } });
  }

  list(): Assumption[] {
    return [...this.items.values()];
  }
}
