/**
 * Finding differing bytes between two aligned buffers at memory speed.
 * Index i of `a` faces index i of `b`. Equal stretches are skipped with
 * Buffer.compare (memcmp, which stops at the first mismatch, so comparing a
 * span that holds a difference costs only the distance to it); bytes are
 * looked at one by one only inside and right after a difference, where
 * differences tend to be dense.
 */

/** A Buffer view of the same memory (no copy), so Buffer.compare / indexOf work on it. */
export function asBuffer(u: Uint8Array): Buffer {
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Bytes looked at one by one before switching to memcmp: cheaper than a call when differences are close together. */
const BYTEWISE = 32;
/** Below this a span is finished byte by byte instead of halved again. */
const LEAF = 64;

export function spanEqual(a: Buffer, b: Buffer, from: number, to: number): boolean {
  return a.compare(b, from, to, from, to) === 0;
}

/** First index in [from, to) where a and b differ, or -1. */
export function nextDifference(a: Buffer, b: Buffer, from: number, to: number): number {
  const short = Math.min(to, from + BYTEWISE);
  for (let i = from; i < short; i++) if (a[i] !== b[i]) return i;
  let lo = short;
  if (lo >= to || spanEqual(a, b, lo, to)) return -1;
  // Gallop: spans growing from lo, so a near difference is found after a few short compares.
  let step = 256;
  let hi = Math.min(to, lo + step);
  while (spanEqual(a, b, lo, hi)) {
    lo = hi;
    step *= 4;
    hi = Math.min(to, lo + step);
  }
  // A difference lies in [lo, hi): halve while the left half is equal.
  while (hi - lo > LEAF) {
    const mid = lo + ((hi - lo) >>> 1);
    if (spanEqual(a, b, lo, mid)) lo = mid;
    else hi = mid;
  }
  for (let i = lo; i < hi; i++) if (a[i] !== b[i]) return i;
  return -1; // unreachable: [lo, hi) was unequal
}

/** End (exclusive) of the run of differing bytes starting at `from`, not past `to`. */
export function runEnd(a: Buffer, b: Buffer, from: number, to: number): number {
  let i = from;
  while (i < to && a[i] !== b[i]) i++;
  return i;
}

/**
 * First index r in [from, limit] such that a and b agree on [r, r + run),
 * looking no further than `end` for bytes; -1 when there is none. Byte by
 * byte: it runs right after a difference, over at most limit + run bytes.
 */
export function alignedResume(a: Buffer, b: Buffer, from: number, limit: number, run: number, end: number): number {
  const stop = Math.min(end, limit + run);
  let agree = 0;
  for (let i = from; i < stop; i++) {
    if (a[i] !== b[i]) agree = 0;
    else if (++agree === run) return i - run + 1;
  }
  return -1;
}
