// UTF-8 statistics over plain reads, counted chunk by chunk by the native
// addon (extension/engine/chunkStats.ts, utf8StatsOfChunk in native/addon.cc):
// for every chunk size, including ones that cut characters, CRLF pairs and
// invalid sequences at every position, the summed counts equal one decode of
// the whole range by shared/utf8.ts and TextDecoder. Also: the addon refuses
// a chunk without the context its edges need, and a cancel stops the scan.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utf8StatsOverReads } from '../../extension/engine/chunkStats';
import { HexmapError } from '../../extension/engine/byteSource';
import { loadNativeAddon } from '../../extension/engine/nativeAddon';
import { openByteSource } from '../../extension/engine/openByteSource';
import { countUtf8, emptyCounts } from '../../shared/utf8';
import { seededRandom } from '../support/seededRandom';
import { TempDir } from '../support/tempFiles';

const enc = new TextEncoder();
const PIECES = ['é', '€', '語', '𝄞', '😀', 'ascii words ', '\r\n', '\r', '\n', '\0'].map((s) => enc.encode(s));
const BROKEN = [[0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x90], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf5], [0xff]].map((a) => Uint8Array.from(a));

/** Text of every character length, line ends and invalid sequences, with stretches of random bytes. */
function mixedBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(length);
  out.set([0xef, 0xbb, 0xbf]); // a BOM at the start of the whole range
  for (let i = 3; i < length;) {
    const r = random();
    const piece = r < 0.75 ? PIECES[Math.floor(random() * PIECES.length)]
      : r < 0.9 ? BROKEN[Math.floor(random() * BROKEN.length)]
        : Uint8Array.from({ length: 1 + Math.floor(random() * 100) }, () => Math.floor(random() * 256));
    out.set(piece.subarray(0, length - i), i);
    i += piece.length;
  }
  return out;
}

function reference(bytes: Uint8Array, offset: number, length: number, max: number) {
  const slice = bytes.subarray(offset, offset + length);
  const counts = emptyCounts();
  const invalidOffsets: number[] = [];
  countUtf8(slice, counts, true, (i) => { if (invalidOffsets.length < max) invalidOffsets.push(offset + i); });
  const bom = slice.length >= 3 && slice[0] === 0xef && slice[1] === 0xbb && slice[2] === 0xbf;
  return { ...counts, invalidOffsets, bom };
}

const readerOf = (bytes: Uint8Array) => async (offset: number, length: number): Promise<Uint8Array> => bytes.slice(offset, offset + length);
const addon = loadNativeAddon().addon;

describe('UTF-8 statistics of plain reads, counted by the addon chunk by chunk', { skip: addon ? false : 'the native addon is not built' }, () => {
  it('summed over chunks of every size, the counts of one whole decode (also of sub-ranges)', async () => {
    const data = mixedBytes(40_000, 11);
    const read = readerOf(data);
    const ranges: Array<[number, number]> = [[0, data.length], [1, data.length - 1], [3, 1000], [4097, 20_000], [39_990, 10], [500, 0]];
    for (const chunk of [1, 2, 3, 5, 63, 64, 65, 127, 1000, 4096, 1 << 20]) {
      for (const [offset, length] of ranges) {
        const stats = await utf8StatsOverReads(read, { offset, length, maxInvalidOffsets: 300 }, {}, 'mixed', chunk);
        assert.deepEqual(stats, reference(data, offset, length, 300), `chunk ${chunk}, range ${offset}+${length}`);
      }
    }
    const whole = await utf8StatsOverReads(read, { offset: 0, length: data.length, maxInvalidOffsets: 0 }, {}, 'mixed', 777);
    assert.equal(whole.chars, [...new TextDecoder('utf-8', { ignoreBOM: true }).decode(data)].length);
    assert.deepEqual(whole.invalidOffsets, []);
  });

  it('a file the plain-read backend serves counts as the mapped one, past one chunk of 8 MiB', async () => {
    const tmp = new TempDir('hexmap-chunkstats-');
    try {
      const data = mixedBytes(9 * 2 ** 20 + 13, 12);
      const path = tmp.write('mixed.bin', data);
      const file = await openByteSource(path, { backend: 'file', writable: false });
      const mapped = await openByteSource(path, { backend: 'mapped', writable: false });
      try {
        for (const [offset, length] of [[0, data.length], [8 * 2 ** 20 - 2, 70]] as const) {
          assert.deepEqual(await file.utf8Stats({ offset, length, maxInvalidOffsets: 1000 }),
            await mapped.utf8Stats({ offset, length, maxInvalidOffsets: 1000 }), `range ${offset}+${length}`);
        }
      } finally { file.close(); mapped.close(); }
    } finally { tmp.remove(); }
  });

  it('the addon refuses a chunk that lacks the bytes its edges are decided by', async () => {
    const count = addon!.utf8StatsOfChunk!;
    const bytes = new Uint8Array(100);
    // The chunk holds file bytes 1000..1099 of the range 0..5000.
    assert.throws(() => count(bytes, 1000, 1002, 1050, 0, 5000, 10), RangeError, 'only 2 bytes before begin');
    assert.throws(() => count(bytes, 1000, 1010, 1098, 0, 5000, 10), RangeError, 'only 2 bytes after end');
    assert.throws(() => count(bytes, 1000, 990, 1050, 0, 5000, 10), RangeError, 'begin before the bytes');
    assert.throws(() => count(bytes, 1000, 1010, 1200, 0, 5000, 10), RangeError, 'end past the bytes');
    assert.throws(() => count(bytes, 1000, 1010, 1050, 1020, 5000, 10), RangeError, 'begin before the range');
    assert.throws(() => count(bytes, 1000, 1050, 1010, 0, 5000, 10), RangeError, 'end before begin');
    assert.throws(() => count(new Uint16Array(4) as unknown as Uint8Array, 0, 0, 8, 0, 8, 10), TypeError);
    // Where the range itself ends at the chunk's edges, no context is needed there.
    const ok = await count(Uint8Array.from([0x41, 0xc3, 0xa9, 0x0d]), 1000, 1000, 1004, 1000, 1004, 10);
    assert.deepEqual({ chars: ok.chars, twoByte: ok.twoByte, cr: ok.cr }, { chars: 3, twoByte: 1, cr: 1 });
  });

  it('an abort between chunks rejects with ERR_HEXMAP_CANCELLED and reads no further', async () => {
    const data = mixedBytes(200_000, 13);
    const controller = new AbortController();
    let reads = 0;
    const read = async (offset: number, length: number): Promise<Uint8Array> => {
      if (++reads === 3) controller.abort();
      return data.slice(offset, offset + length);
    };
    await assert.rejects(utf8StatsOverReads(read, { offset: 0, length: data.length, maxInvalidOffsets: 10 }, { signal: controller.signal }, 'mixed', 1000),
      (e: unknown) => e instanceof HexmapError && e.code === 'ERR_HEXMAP_CANCELLED');
    assert.ok(reads <= 4, `${reads} reads`);
  });
});
