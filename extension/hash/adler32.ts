/**
 * Adler-32 (RFC 1950), continued over `bytes` from a previous value (1 for a
 * fresh checksum).
 *
 * The sums are reduced modulo 65521 once per block instead of once per byte:
 * after 3800 bytes `b` is still below 2^31 (255·n(n+1)/2 + (n+1)·65520 for
 * n = 3800), so V8 keeps both sums as small integers and the inner loop is
 * two additions per byte.
 *
 * This function must stay self-contained (no reference to anything outside
 * its body): the hash worker receives its source text (see hashWorker.ts).
 */
export function adler32Update(adler: number, bytes: Uint8Array): number {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const end = Math.min(i + 3800, n);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}
