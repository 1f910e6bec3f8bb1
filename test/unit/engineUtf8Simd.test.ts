// The native UTF-8 counter (64-byte blocks of masks on AVX-512, AVX2 or
// SSE2, one unit at a time at the edges of a range or without SIMD) against
// TextDecoder and shared/utf8.ts, on inputs built to put every kind of error
// at every position of a block, with ranges cut at every 16/32/64-byte
// alignment; every implementation is forced in turn on the same inputs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { packageRoot } from '../../extension/engine/nativeAddon';
import { ByteSource } from '../../extension/engine/byteSource';
import { openByteSource } from '../../extension/engine/openByteSource';
import { TempDir } from '../support/tempFiles';
import { seededRandom } from '../support/seededRandom';
import { countUtf8, emptyCounts } from '../../shared/utf8';

const enc = new TextEncoder();
/** Dense non-ASCII characters of every length, so valid stretches run through the vector paths back to back. */
const VALID = ['é', 'ж', 'ω', '€', '中', '語', '한', '𝄞', '🐍', '😀', '\u0800', '\uffff', '\u{10ffff}', '\u0080', '\u07ff']
  .map((s) => enc.encode(s));
/** Every way a sequence can be wrong, plus valid sequences in unusual company. */
const ADVERSARIAL = [
  [0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2], [0xdf, 0x41], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xe0, 0xa0],
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xed, 0x9f], [0xef, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf0, 0x90, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe], [0xff], [0xc3, 0xa9, 0xa9], [0xe2, 0x82, 0xac, 0x80], [0xe2, 0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x90, 0x8d, 0x8d],
  [0xc3, 0xc3, 0xa9], [0x0d, 0x0a], [0x0d], [0x00], [0xef, 0xbb, 0xbf],
].map((a) => Uint8Array.from(a));

function validRun(random: () => number, n: number): number[] {
  const out: number[] = [];
  while (out.length < n) out.push(...VALID[Math.floor(random() * VALID.length)]);
  return out.slice(0, n); // may end mid-character: a truncated sequence is part of the test
}

/**
 * Cells of dense valid text with one adversarial piece each, at a position that walks through the
 * 512-byte segments and 32-byte blocks of the validator. The pieces are at least ~1.4 KiB apart, so
 * after the exact counter has dealt with one piece the validator is back in charge before the next:
 * every piece meets the validator first.
 */
function adversarialBytes(cells: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out: number[] = [];
  for (let c = 0; c < cells; c++) {
    const at = (c * 37) % 613;
    out.push(...validRun(random, at));
    out.push(...ADVERSARIAL[c % ADVERSARIAL.length]);
    out.push(...validRun(random, 2048 - at));
  }
  return Uint8Array.from(out);
}

function reference(bytes: Uint8Array, offset: number, max: number): { counts: ReturnType<typeof emptyCounts>; offsets: number[] } {
  const counts = emptyCounts();
  const offsets: number[] = [];
  countUtf8(bytes, counts, true, (i) => { if (offsets.length < max) offsets.push(offset + i); });
  return { counts, offsets };
}

async function assertSameAsReference(source: ByteSource, data: Uint8Array, offset: number, length: number, label: string): Promise<void> {
  const slice = data.subarray(offset, offset + length);
  const stats = await source.utf8Stats({ offset, length, maxInvalidOffsets: 64 });
  const { counts, offsets } = reference(slice, offset, 64);
  const { bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr } = stats;
  assert.deepEqual({ bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr }, counts, label);
  assert.deepEqual(stats.invalidOffsets, offsets, label);
  assert.equal(stats.chars, [...new TextDecoder('utf-8', { ignoreBOM: true }).decode(slice)].length, label);
}

describe('native UTF-8 counting: vector paths against TextDecoder', () => {
  let tmp: TempDir;
  before(() => { tmp = new TempDir('hexmap-simd-'); });
  after(() => tmp.remove());

  it('an adversarial piece at every block and segment position, ranges cut at every alignment', async () => {
    const data = adversarialBytes(320, 5);
    const source = await openByteSource(tmp.write('adversarial.bin', data), { backend: 'mapped' });
    try {
      assert.equal(source.kind, 'mapped');
      await assertSameAsReference(source, data, 0, data.length, 'whole file');
      for (let start = 0; start < 64; start++) {
        await assertSameAsReference(source, data, start, data.length - start, `from ${start}`);
      }
      // Ends at every alignment too (the last bytes of a range are decoded by the scalar tail).
      for (const cut of [16, 32, 64]) {
        for (let k = 0; k < cut; k++) {
          const length = Math.floor(data.length / 2 / cut) * cut + k;
          await assertSameAsReference(source, data, cut * 3 + (k % 3), length, `cut ${cut}+${k}`);
        }
      }
    } finally { source.close(); }
  });

  it('valid text only (a character split at every segment end), random bytes, and random mixes', async () => {
    const random = seededRandom(99);
    const valid = Uint8Array.from(validRun(random, 300_000));
    const binary = Uint8Array.from({ length: 200_000 }, () => Math.floor(random() * 256));
    const mixed: number[] = [];
    while (mixed.length < 300_000) {
      const r = random();
      if (r < 0.5) mixed.push(...validRun(random, 1 + Math.floor(random() * 900)));
      else if (r < 0.7) mixed.push(...Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      else if (r < 0.9) mixed.push(...enc.encode('plain ascii words\n'.repeat(1 + Math.floor(random() * 40))));
      else mixed.push(...ADVERSARIAL[Math.floor(random() * ADVERSARIAL.length)]);
    }
    // Longer than one scan step (8 MiB): a step starts wherever the previous one ended, mid-character or not.
    const long = new Uint8Array(9 * 2 ** 20 + 77);
    for (let at = 0, k = 0; at < long.length; at += mixed.length - k, k = (k + 4099) % 1000) long.set(mixed.slice(k, k + long.length - at), at);
    for (const [name, data] of [['valid', valid], ['binary', binary], ['mixed', Uint8Array.from(mixed)], ['long', long]] as const) {
      const source = await openByteSource(tmp.write(`${name}.bin`, data), { backend: 'mapped' });
      try {
        await assertSameAsReference(source, data, 0, data.length, name);
        for (let start = 1; start < 64; start += name === 'long' ? 30 : 5) await assertSameAsReference(source, data, start, data.length - start - (start % 7), `${name} from ${start}`);
      } finally { source.close(); }
    }
  });

  // The implementation is chosen when the addon loads (HEXMAP_SIMD forces one): a child process for each.
  for (const implementation of ['avx512', 'avx2', 'sse2', 'scalar']) {
    it(`${implementation}: the same answers on the same inputs, ranges cut at every alignment`, async (t) => {
      const random = seededRandom(3);
      const mixed: number[] = [];
      while (mixed.length < 200_000) {
        const r = random();
        if (r < 0.5) mixed.push(...validRun(random, 1 + Math.floor(random() * 900)));
        else if (r < 0.7) mixed.push(...Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
        else if (r < 0.9) mixed.push(...enc.encode('plain ascii words\r\n'.repeat(1 + Math.floor(random() * 40))));
        else mixed.push(...ADVERSARIAL[Math.floor(random() * ADVERSARIAL.length)]);
      }
      const binary = Uint8Array.from({ length: 70_000 }, () => Math.floor(random() * 256));
      const files = [['adversarial', adversarialBytes(120, 8)], ['mixed', Uint8Array.from(mixed)], ['binary', binary]] as const;
      for (const [name, data] of files) {
        const path = tmp.write(`${implementation}-${name}.bin`, data);
        const ranges: Array<[number, number]> = [[0, data.length], [17, data.length - 50], [33, 70_000 - 33], [64, 1000], [5, 130]];
        for (let start = 1; start < 64; start += 3) ranges.push([start, data.length - start - (start % 7)]);
        for (let k = 0; k < 64; k += 5) ranges.push([192 + (k % 3), Math.floor(data.length / 128) * 64 + k]);
        const child = spawnSync(process.execPath, ['-e', `
          const addon = require(require.resolve('node-gyp-build', { paths: [process.argv[1]] }))(process.argv[1]);
          addon.openMapped(process.argv[2], false, false).then(async (file) => {
            const results = [];
            for (const [o, l] of JSON.parse(process.argv[3])) results.push(await file.utf8Stats(o, l, 64).promise);
            console.log(JSON.stringify({ implementation: addon.utf8Implementation, results }));
          });`, packageRoot(__dirname), path, JSON.stringify(ranges)], { encoding: 'utf8', env: { ...process.env, HEXMAP_SIMD: implementation } });
        assert.equal(child.status, 0, child.stderr);
        const answer = JSON.parse(child.stdout) as { implementation: string; results: Array<Record<string, unknown>> };
        if (answer.implementation !== implementation) {
          t.skip(`this CPU has no ${implementation} (the addon chose ${answer.implementation})`);
          return;
        }
        ranges.forEach(([offset, length], k) => {
          const { counts, offsets } = reference(data.subarray(offset, offset + length), offset, 64);
          const { bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr } = answer.results[k];
          assert.deepEqual({ bytes, chars, ascii, twoByte, threeByte, fourByte, invalid, nul, lf, crlf, cr }, counts, `${name} ${offset}+${length}`);
          assert.deepEqual(answer.results[k].invalidOffsets, offsets, `${name} ${offset}+${length}`);
        });
      }
    });
  }
});
