/**
 * The contract between bench/run.mjs and each section in bench/sections/*.ts.
 * A section is `export default async function (ctx: BenchContext): Promise<BenchRow[]>`;
 * run.mjs builds them to out/bench/sections/*.js, calls each in turn, prints
 * every row in one table and merges `key -> value` into bench/results.json.
 */

import type { PlantedNeedle } from './mixedFile';

export type { PlantedNeedle };

export interface BenchContext {
  /** Repository root (absolute). */
  root: string;
  /** The cached mixed-content file (bench/mixedFile.ts), generated once per size. */
  file: string;
  /** Its size in bytes. */
  size: number;
  needles: PlantedNeedle[];
  /** A scratch folder the section may use; run.mjs deletes it afterwards. */
  scratch: string;
  /** Raw argv after `npm run bench --` (e.g. ['--size', '8G']). */
  argv: string[];
  /** Runs `fn` `iterations` times (after `warmup` untimed runs); returns sorted durations in ms. */
  time(fn: () => unknown | Promise<unknown>, iterations: number, warmup?: number): Promise<number[]>;
  /** Drops the file's clean pages from the OS cache; false when the OS would not (then report warm only). */
  evictCache(path: string): boolean;
  /** Prints a progress line to stderr (the table goes to stdout). */
  log(message: string): void;
}

export interface BenchRow {
  /** Flat key in bench/results.json, e.g. 'find_gbps_mapped'. */
  key: string;
  /** Human-readable metric name for the table. */
  metric: string;
  value: number;
  unit: string;
  /** What it is compared with, e.g. '11.2x fallback' or 'target >= 5'. */
  comparison?: string;
  /** 'warm', 'cold', or why a cold run was impossible. */
  note?: string;
}

/** p-th percentile (0..100) of ascending durations. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export type BenchSection = (ctx: BenchContext) => Promise<BenchRow[]>;
