/**
 * mulberry32: a tiny, fast seeded PRNG in [0, 1). Tests, fuzzers and the
 * bench's mixed-content generator use it so that a failing seed (or a bench
 * file) can be reproduced exactly.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
