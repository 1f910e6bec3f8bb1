// Engine scans, both backends, against independent references: find vs a
// naive matcher (wildcards, ignore-case, backward, ranges, overlaps, chunk
// edges), utf8Stats vs TextDecoder and shared/utf8.ts, next/previous invalid
// and non-ASCII vs a full decode; cancellation and progress.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ByteSource, FindOptions, HexmapError } from '../../extension/engine/byteSource';
import { openByteSource } from '../../extension/engine/openByteSource';
import { TempDir } from '../support/tempFiles';
import { createSparseFile } from '../support/sparseFile';
import { countUtf8, decodeUnit, emptyCounts, newUnit } from '../../shared/utf8';
import { seededRandom } from '../support/seededRandom';

const BACKENDS = ['mapped', 'file'] as const;
const MiB = 1024 * 1024;

const prng = seededRandom;

/** Bytes that stress a UTF-8 decoder: text, every multi-byte class, broken sequences, CR/LF, NUL, random. */
function fuzzBytes(n: number, seed: number): Uint8Array {
  const rnd = prng(seed);
  const out = new Uint8Array(n);
  const enc = new TextEncoder();
  const pieces = ['a', 'Z', ' ', '\n', '\r', '\r\n', '\0', 'é', 'ж', '€', '中', '𝄞', '🐍', '\uFEFF', '\uFFFD']
    .map((s) => enc.encode(s));
  const bad = [[0x80], [0xbf], [0xc0, 0x80], [0xc1], [0xe0, 0x80], [0xe0, 0xa0], [0xed, 0xa0, 0x80], [0xf0, 0x8f],
    [0xf4, 0x90, 0x80, 0x80], [0xf5], [0xff], [0xf0, 0x9f, 0x90], [0xe2, 0x82], [0xc3]].map((a) => Uint8Array.from(a));
  let i = 0;
  while (i < n) {
    const r = rnd();
    const piece = r < 0.55 ? pieces[Math.floor(rnd() * pieces.length)]
      : r < 0.75 ? bad[Math.floor(rnd() * bad.length)]
        : Uint8Array.of(Math.floor(rnd() * 256));
    for (let j = 0; j < piece.length && i < n; j++) out[i++] = piece[j];
  }
  return out;
}

/** Starts of the invalid and of the non-ASCII units of a full decode. */
function unitsOf(bytes: Uint8Array): { invalid: number[]; nonAscii: number[] } {
  const unit = newUnit();
  const invalid: number[] = []; const nonAscii: number[] = [];
  for (let i = 0; i < bytes.length; i += unit.length) {
    decodeUnit(bytes, i, bytes.length, unit);
    if (bytes[i] >= 0x80) nonAscii.push(i);
    if (unit.status !== 'valid') invalid.push(i);
  }
  return { invalid, nonAscii };
}

/** Index of the first element >= from in an ascending array (binary search). */
function lowerBound(sorted: number[], from: number): number {
  let lo = 0; let hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (sorted[mid] < from) lo = mid + 1; else hi = mid; }
  return lo;
}
function nextAtOrAfter(sorted: number[], from: number): number {
  const i = lowerBound(sorted, from);
  return i < sorted.length ? sorted[i] : -1;
}
function lastBefore(sorted: number[], from: number): number {
  const i = lowerBound(sorted, from);
  return i > 0 ? sorted[i - 1] : -1;
}

/** The naive reference: every start where pattern matches under mask / ignoreCase, inside the range and direction. */
function naiveFind(data: Uint8Array, pattern: Uint8Array, o: FindOptions): number[] {
  const mask = o.mask ?? new Uint8Array(pattern.length).fill(0xff);
  const lower = (b: number): number => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  const isLetter = (b: number): boolean => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;
  const rs = o.rangeStart ?? 0; const re = o.rangeEnd ?? data.length;
  const out: number[] = [];
  for (let s = rs; s + pattern.length <= re; s++) {
    if (o.backward ? s >= o.from : s < o.from) continue;
    let ok = true;
    for (let j = 0; j < pattern.length && ok; j++) {
      const a = data[s + j]; const p = pattern[j];
      if (o.ignoreCase && mask[j] === 0xff && isLetter(p)) ok = lower(a) === lower(p);
      else ok = (a & mask[j]) === (p & mask[j]);
    }
    if (ok) out.push(s);
  }
  if (o.backward) out.reverse();
  return out.slice(0, o.maxMatches);
}

/** Code points in a string (what [...text].length gives, without building the array). */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) { const d = text.charCodeAt(i + 1); if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; } }
  }
  return n;
}

/** The 20 MiB fuzz file and its reference answers, built once for both backends. */
let fixtureCache: { big: Uint8Array; textChars: number; units: ReturnType<typeof unitsOf> } | undefined;
function fixture(): NonNullable<typeof fixtureCache> {
  if (fixtureCache) return fixtureCache;
  // 20 MiB + a bit: crosses the JS 4 MiB chunks, the native 8 MiB steps and the 64 KiB stats blocks.
  const big = fuzzBytes(20 * MiB + 12345, 42);
  // Needles straddling every chunk edge of both backends.
  const needle = new TextEncoder().encode('NEEDLE-across');
  for (const edge of [4, 8, 12, 16, 20]) big.set(needle, edge * MiB - 5);
  const textChars = codePoints(new TextDecoder('utf-8', { ignoreBOM: true }).decode(big));
  fixtureCache = { big, textChars, units: unitsOf(big) };
  return fixtureCache;
}

for (const backend of BACKENDS) {
  describe(`engine scans (${backend} backend)`, () => {
    let tmp: TempDir;
    let big: Uint8Array;
    let bigPath: string;
    let source: ByteSource;
    before(async () => {
      tmp = new TempDir(`hexmap-scans-${backend}-`);
      big = fixture().big;
      bigPath = tmp.write('fuzz.bin', big);
      source = await openByteSource(bigPath, { backend });
    });
    after(() => { source?.close(); tmp?.remove(); }); // closed first: Windows cannot delete an open or mapped file

    it('utf8Stats of the whole 20 MiB file equals TextDecoder and shared/utf8.ts', async () => {
      const stats = await source.utf8Stats({ maxInvalidOffsets: 1000 });
      assert.equal(stats.chars, fixture().textChars);
      const ref = emptyCounts();
      const invalidOffsets: number[] = [];
      countUtf8(big, ref, true, (i) => { if (invalidOffsets.length < 1000) invalidOffsets.push(i); });
      const { bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr } = stats;
      assert.deepEqual({ bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr }, ref);
      assert.deepEqual(stats.invalidOffsets, invalidOffsets);
      assert.ok(stats.invalid > 1000 && stats.twoByte > 0 && stats.fourByte > 0 && stats.crlf > 0, 'the fuzz data exercises every class');
    });

    it('utf8Stats of 300 random sub-ranges equals TextDecoder on the same bytes', async () => {
      const rnd = prng(7);
      const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      for (let k = 0; k < 300; k++) {
        const offset = Math.floor(rnd() * (big.length - 1));
        const length = Math.min(big.length - offset, Math.floor(rnd() * (k % 10 === 0 ? 200000 : 300)));
        const slice = big.subarray(offset, offset + length);
        const stats = await source.utf8Stats({ offset, length, maxInvalidOffsets: 5 });
        assert.equal(stats.chars, [...decoder.decode(slice)].length, `range ${offset}+${length}`);
        const ref = emptyCounts();
        const firstInvalid: number[] = [];
        countUtf8(slice, ref, true, (i) => { if (firstInvalid.length < 5) firstInvalid.push(offset + i); });
        assert.equal(stats.invalid, ref.invalid);
        assert.equal(stats.crlf, ref.crlf);
        assert.equal(stats.cr, ref.cr);
        assert.equal(stats.lf, ref.lf);
        assert.deepEqual(stats.invalidOffsets, firstInvalid);
        assert.equal(stats.bom, slice.length >= 3 && slice[0] === 0xef && slice[1] === 0xbb && slice[2] === 0xbf);
      }
    });

    it('utf8Stats of long valid multilingual text with sparse corruption equals TextDecoder', async () => {
      const text = new TextEncoder().encode('Grüße, привет, 日本語, 🐍🚀 and plain ASCII words. '.repeat(60000));
      const rnd = prng(11);
      for (let k = 0; k < text.length; k += 500 + Math.floor(rnd() * 1500)) text[k] = Math.floor(rnd() * 256);
      const s = await openByteSource(tmp.write('sparse-corrupt.bin', text), { backend });
      try {
        for (const [offset, length] of [[0, text.length], [1, text.length - 1], [2, text.length - 5], [12345, 1000000]]) {
          const slice = text.subarray(offset, offset + length);
          const stats = await s.utf8Stats({ offset, length, maxInvalidOffsets: 10000 });
          const ref = emptyCounts();
          const offsets: number[] = [];
          countUtf8(slice, ref, true, (i) => { if (offsets.length < 10000) offsets.push(offset + i); });
          assert.equal(stats.chars, codePoints(new TextDecoder('utf-8', { ignoreBOM: true }).decode(slice)));
          const { bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr } = stats;
          assert.deepEqual({ bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr }, ref);
          assert.deepEqual(stats.invalidOffsets, offsets);
        }
      } finally { s.close(); }
    });

    it('counts characters like TextDecoder on Markus Kuhn-style edge cases', async () => {
      const cases = [[0xef, 0xbb, 0xbf, 0x41], [0xf0, 0x9f, 0x90], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80],
        [0xc2], [0x0d], [0x0d, 0x0a, 0x0d], [0xf0, 0x9f, 0x90, 0x8d, 0x80, 0xc3, 0xa9]];
      for (const [i, c] of cases.entries()) {
        const bytes = Uint8Array.from(c);
        // A file per case: the view is let go on a worker after close(), and Windows cannot rewrite a file still mapped.
        const s = await openByteSource(tmp.write(`case${i}.bin`, bytes), { backend });
        try {
          const stats = await s.utf8Stats();
          assert.equal(stats.chars, [...new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)].length, `case ${c}`);
        } finally { s.close(); }
      }
    });

    it('finds like a naive matcher: plain, wildcards, ignore-case, backward, ranges, maxMatches', async () => {
      const rnd = prng(99);
      const window = 300000; // compare on a window so the naive reference stays quick
      for (let k = 0; k < 60; k++) {
        const base = Math.floor(rnd() * (big.length - window));
        const len = 1 + Math.floor(rnd() * 5);
        const at = base + Math.floor(rnd() * (window - len));
        const pattern = big.slice(at, at + len);
        const mask = k % 3 === 1 ? Uint8Array.from(pattern, (_, j) => (j > 0 && rnd() < 0.4 ? 0 : 0xff)) : undefined;
        if (k % 4 === 2) for (let j = 0; j < len; j++) if (rnd() < 0.5) pattern[j] ^= (pattern[j] | 0x20) >= 0x61 && (pattern[j] | 0x20) <= 0x7a ? 0x20 : 0;
        const options: FindOptions = {
          from: base + Math.floor(rnd() * window), backward: k % 2 === 1, maxMatches: k % 5 === 0 ? 3 : 100000,
          mask, ignoreCase: k % 4 === 2, rangeStart: base, rangeEnd: base + window,
        };
        const got = await source.find(pattern, options);
        const want = naiveFind(big, pattern, options);
        assert.deepEqual(got.matches, want, `case ${k}: ${JSON.stringify({ ...options, pattern: [...pattern], mask: mask && [...mask] })}`);
        const all = naiveFind(big, pattern, { ...options, maxMatches: Infinity });
        assert.equal(got.complete, all.length <= want.length || (want.length > 0 && want[want.length - 1] === all[all.length - 1]));
      }
    });

    it('finds overlapping matches and matches across every chunk edge, both directions', async () => {
      const needle = new TextEncoder().encode('NEEDLE-across');
      const expected = [4, 8, 12, 16, 20].map((e) => e * MiB - 5);
      const forward = await source.find(needle, { from: 0, maxMatches: 100 });
      assert.deepEqual(forward, { matches: naiveFind(big, needle, { from: 0, maxMatches: 100 }), complete: true });
      for (const e of expected) assert.ok(forward.matches.includes(e));
      const backward = await source.find(needle, { from: big.length, backward: true, maxMatches: 100 });
      assert.deepEqual(backward.matches, [...forward.matches].reverse());
      const ci = await source.find(new TextEncoder().encode('needle-ACROSS'), { from: 0, maxMatches: 100, ignoreCase: true });
      assert.deepEqual(ci.matches, forward.matches);
      const s = await openByteSource(tmp.write('aaaa.bin', 'xaaaaax'), { backend });
      try {
        assert.deepEqual((await s.find(new TextEncoder().encode('aa'), { from: 0, maxMatches: 10 })).matches, [1, 2, 3, 4]);
        assert.deepEqual((await s.find(new TextEncoder().encode('aa'), { from: 7, backward: true, maxMatches: 10 })).matches, [4, 3, 2, 1]);
        assert.deepEqual(await s.find(new TextEncoder().encode('aa'), { from: 0, maxMatches: 2 }), { matches: [1, 2], complete: false });
        assert.deepEqual(await s.find(new TextEncoder().encode('aa'), { from: 2, maxMatches: 3 }), { matches: [2, 3, 4], complete: false });
        assert.deepEqual(await s.find(new TextEncoder().encode('aa'), { from: 2, maxMatches: 4 }), { matches: [2, 3, 4], complete: true });
        assert.deepEqual((await s.find(Uint8Array.of(0x61, 0, 0x61), { from: 0, maxMatches: 10, mask: Uint8Array.of(0xff, 0, 0xff) })).matches, [1, 2, 3]);
        assert.deepEqual((await s.find(new TextEncoder().encode('xa'), { from: 0, maxMatches: 10, rangeStart: 1 })).matches, []);
      } finally { s.close(); }
    });

    it('next/previous invalid and non-ASCII agree with a full decode from any offset', async () => {
      const units = fixture().units;
      const rnd = prng(5);
      for (let k = 0; k < 60; k++) {
        const from = Math.floor(rnd() * (big.length - 100));
        const nextInvalid = await source.findInvalid(from, 'forward');
        assert.equal(nextInvalid, nextAtOrAfter(units.invalid, from), `invalid after ${from}`);
        assert.equal(await source.findInvalid(from, 'backward'), lastBefore(units.invalid, from), `invalid before ${from}`);
        assert.equal(await source.findNonAscii(from, 'forward'), nextAtOrAfter(units.nonAscii, from), `non-ASCII after ${from}`);
        assert.equal(await source.findNonAscii(from, 'backward'), lastBefore(units.nonAscii, from), `non-ASCII before ${from}`);
      }
      // From the very ends.
      assert.equal(await source.findInvalid(0, 'backward'), -1);
      assert.equal(await source.findNonAscii(big.length, 'forward'), -1);
      assert.equal(await source.findInvalid(big.length, 'backward'), units.invalid[units.invalid.length - 1]);
      const ascii = await openByteSource(tmp.write('ascii.bin', 'plain ascii only\n'.repeat(100000)), { backend });
      try {
        assert.equal(await ascii.findNonAscii(0, 'forward'), -1);
        assert.equal(await ascii.findInvalid(ascii.size, 'backward'), -1);
      } finally { ascii.close(); }
    });

    it('a range bounds next/previous: units starting inside it, decoded with the bytes around it', async () => {
      const units = fixture().units;
      const rnd = prng(11);
      const firstIn = (list: number[], lo: number, hi: number) => list.find((u) => u >= lo && u < hi) ?? -1;
      const lastIn = (list: number[], lo: number, hi: number) => [...list].reverse().find((u) => u >= lo && u < hi) ?? -1;
      for (let k = 0; k < 40; k++) {
        const from = Math.floor(rnd() * big.length);
        const a = Math.floor(rnd() * big.length);
        const b = Math.min(big.length, a + Math.floor(rnd() * 3 * MiB));
        const range = { rangeStart: a, rangeEnd: b };
        const label = `from ${from} in [${a}, ${b})`;
        assert.equal(await source.findInvalid(from, 'forward', range), firstIn(units.invalid, Math.max(from, a), b), `invalid after ${label}`);
        assert.equal(await source.findInvalid(from, 'backward', range), lastIn(units.invalid, a, Math.min(from, b)), `invalid before ${label}`);
        assert.equal(await source.findNonAscii(from, 'forward', range), firstIn(units.nonAscii, Math.max(from, a), b), `non-ASCII after ${label}`);
        assert.equal(await source.findNonAscii(from, 'backward', range), lastIn(units.nonAscii, a, Math.min(from, b)), `non-ASCII before ${label}`);
      }
      await assert.rejects(source.findInvalid(0, 'forward', { rangeStart: 10, rangeEnd: 5 }), RangeError);
      await assert.rejects(source.findInvalid(0, 'forward', { rangeEnd: big.length + 1 }), RangeError);
      await assert.rejects(source.findNonAscii(0, 'backward', { rangeStart: -1 }), RangeError);
    });

    it('a bounded scan of a large file stops at its range, and a unit cut by the range end decodes whole', async () => {
      const path = createSparseFile(tmp.file('sparse-bounded.bin'), 4 * 1024 ** 3, [
        { offset: MiB - 2, bytes: Uint8Array.of(0xf0, 0x9f, 0x90, 0x8d) }, // an emoji the range end cuts
        { offset: 3 * 1024 ** 3, bytes: Uint8Array.of(0xff) },
      ]);
      const s = await openByteSource(path, { backend });
      try {
        let total = 0;
        const onProgress = (_done: number, t: number) => { total = Math.max(total, t); };
        assert.equal(await s.findInvalid(0, 'forward', { rangeEnd: 2 * MiB, onProgress }), -1, 'the emoji is valid: its last bytes lie past the range');
        assert.ok(total <= 2 * MiB, `progress total ${total}: the scan looked past its range`);
        assert.equal(await s.findNonAscii(0, 'forward', { rangeEnd: MiB - 1 }), MiB - 2);
        assert.equal(await s.findNonAscii(MiB - 2, 'forward', { rangeStart: MiB - 1, rangeEnd: 2 * MiB }), -1, 'the emoji starts before the range');
        assert.equal(await s.findNonAscii(MiB - 1, 'forward', { rangeEnd: 2 * MiB }), -1, 'inside the emoji: no unit starts there');
        assert.equal(await s.findInvalid(s.size, 'backward', { rangeStart: 3 * 1024 ** 3 - MiB }), 3 * 1024 ** 3);
        assert.equal(await s.findInvalid(s.size, 'backward', { rangeStart: 3 * 1024 ** 3 + 1 }), -1);
      } finally { s.close(); }
    });

    it('finds a lone invalid / non-ASCII unit far away, across block and step edges', async () => {
      const bytes = new Uint8Array(20 * MiB).fill(0x61);
      bytes[MiB + 3] = 0xff; // the only invalid unit
      bytes.set([0xf0, 0x9f, 0x90, 0x8d], 8 * MiB - 2); // an emoji straddling the native 8 MiB step
      bytes.set([0xc3, 0xa9], 17 * MiB);
      const s = await openByteSource(tmp.write('sparse-units.bin', bytes), { backend });
      try {
        assert.equal(await s.findInvalid(s.size, 'backward'), MiB + 3);
        assert.equal(await s.findInvalid(MiB + 4, 'forward'), -1);
        assert.equal(await s.findInvalid(MiB + 3, 'forward'), MiB + 3);
        assert.equal(await s.findNonAscii(0, 'forward'), MiB + 3);
        assert.equal(await s.findNonAscii(MiB + 4, 'forward'), 8 * MiB - 2);
        assert.equal(await s.findNonAscii(8 * MiB - 1, 'forward'), 17 * MiB, 'inside the emoji: the next unit starts later');
        assert.equal(await s.findNonAscii(8 * MiB + 1, 'backward'), 8 * MiB - 2);
        assert.equal(await s.findNonAscii(s.size, 'backward'), 17 * MiB);
        assert.equal(await s.findNonAscii(17 * MiB, 'backward'), 8 * MiB - 2);
        const stats = await s.utf8Stats();
        assert.deepEqual([stats.invalid, stats.twoByte, stats.fourByte, stats.chars], [1, 1, 1, 20 * MiB - 4]);
      } finally { s.close(); }
    });

    it('reports progress (monotonic, ending at the total) and can be cancelled mid-scan', async () => {
      const path = createSparseFile(tmp.file('sparse-4g.bin'), 4 * 1024 ** 3, [{ offset: 3 * 1024 ** 3, bytes: Uint8Array.of(0xc3, 0xa9) }]);
      const s = await openByteSource(path, { backend });
      try {
        // Cancel once the first progress report arrives.
        const controller = new AbortController();
        const seen: number[] = [];
        const started = performance.now();
        await assert.rejects(s.find(new TextEncoder().encode('absent'), {
          from: 0, maxMatches: 1, signal: controller.signal,
          onProgress: (done, total) => { seen.push(done); assert.equal(total, 4 * 1024 ** 3 - 5); controller.abort(); },
        }), (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED');
        assert.ok(seen.length >= 1 && seen[0] < 4 * 1024 ** 3, 'stopped before the end');
        assert.ok(performance.now() - started < 20000);
        await assert.rejects(s.utf8Stats({ signal: AbortSignal.abort() }), (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED');
        const c2 = new AbortController();
        const p = s.utf8Stats({ signal: c2.signal });
        setTimeout(() => c2.abort(), 30);
        await assert.rejects(p, (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED');
        const c3 = new AbortController();
        const q = s.findInvalid(0, 'forward', { signal: c3.signal });
        setTimeout(() => c3.abort(), 30);
        await assert.rejects(q, (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED');
        // The source still works after cancelled scans.
        assert.deepEqual(await s.read(3 * 1024 ** 3, 2), Uint8Array.of(0xc3, 0xa9));
        // Closing during a scan stops it with ERR_HEXMAP_CLOSED (and the mapping outlives the scan safely).
        const running = s.utf8Stats();
        setTimeout(() => s.close(), 30);
        await assert.rejects(running, (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CLOSED');
      } finally { s.close(); }

      const reports: Array<[number, number]> = [];
      const stats = await source.utf8Stats({ onProgress: (d, t) => reports.push([d, t]) });
      assert.equal(stats.bytes, big.length);
      assert.ok(reports.length >= 1);
      for (let i = 1; i < reports.length; i++) assert.ok(reports[i][0] >= reports[i - 1][0], 'monotonic');
      assert.deepEqual(reports[reports.length - 1], [big.length, big.length]);
    });
  });
}
