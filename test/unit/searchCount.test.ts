/**
 * countInDocument / documentUtf8Stats: counts over disk bytes with unsaved
 * edits applied must equal TextDecoder's on the edited bytes, however the
 * range is split between the native scan and JavaScript.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countInDocument, documentUtf8Stats, isSafeSplit, type CountTuning } from '../../extension/search/countInDocument';
import { overlaidDocument } from '../support/piecesDocument';
import { countUtf8, emptyCounts } from '../../shared/utf8';
import { MapOverlay } from '../support/mapOverlay';
import { backends, mappedMissing } from '../support/inspectBackends';
import { MemoryByteSource } from '../support/memoryByteSource';
import { randInt, rng, utf8Soup } from '../support/randomUtf8';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** What TextDecoder says about bytes: code points, U+FFFD count, line breaks. */
function byTextDecoder(bytes: Uint8Array) {
  const text = decoder.decode(bytes);
  const chars = [...text].length;
  const breaks = (text.match(/\r\n|\r|\n/g) ?? []).length;
  const lastIsBreak = /[\r\n]$/.test(text);
  return { chars, lines: breaks + (bytes.length > 0 && !lastIsBreak ? 1 : 0) };
}

function reference(bytes: Uint8Array, base: number) {
  const counts = emptyCounts();
  const invalidOffsets: number[] = [];
  countUtf8(bytes, counts, true, (i) => invalidOffsets.push(base + i));
  return { counts, invalidOffsets };
}

/** Random overlay edits, each a utf8 soup of 1..10 bytes. Both overlays get the same edits. */
function randomEdits(r: () => number, size: number, count: number) {
  const mine = new MapOverlay();
  const theirs = new MapOverlay();
  for (let e = 0; e < count && size > 0; e++) {
    const at = randInt(r, size);
    const bytes = utf8Soup(r, Math.min(size - at, 1 + randInt(r, 10)));
    mine.set(at, bytes);
    theirs.set(at, bytes);
  }
  return { mine, theirs };
}

test('a safe split never cuts a unit or a CRLF', () => {
  const b = Uint8Array.of(0x41, 0xe2, 0x82, 0xac, 0x0d, 0x0a, 0x80, 0x80, 0x80, 0x80, 0x80);
  const safe = [...b.keys(), b.length].filter((p) => isSafeSplit(b, p, 0, b.length));
  // 1 = before E2; 4 = before CR; 6 = LF|80 (80 after LF is its own unit? no: needs 3 continuations before) ...
  assert.deepEqual(safe, [0, 1, 4, 9, 10, 11]);
});

for (const backend of backends) {
  test(`[${backend.name}] counts with edits equal TextDecoder on fuzzed files`, async () => {
    const r = rng(0xc0ffee + backend.name.length);
    for (let round = 0; round < 80; round++) {
      const disk = utf8Soup(r, randInt(r, 600));
      const src = await backend.open(disk);
      const { mine, theirs } = randomEdits(r, disk.length, randInt(r, 12));
      const doc = mine.applied(disk);
      const tuning: CountTuning = r() < 0.7 ? { editGap: randInt(r, 40), jsChunk: 1 + randInt(r, 16) } : {};
      for (let k = 0; k < 4; k++) {
        const offset = randInt(r, doc.length + 1);
        const length = randInt(r, doc.length - offset + 1);
        const overlay = r() < 0.5 ? mine : theirs;
        const slice = doc.subarray(offset, offset + length);
        const label = `round ${round} [${offset}, +${length}) tuning ${JSON.stringify(tuning)}`;
        const td = byTextDecoder(slice);
        const got = await countInDocument(overlaidDocument(src, overlay), offset, length, undefined, tuning);
        assert.deepEqual(got, { bytes: length, chars: td.chars, lines: td.lines, invalid: reference(slice, offset).counts.invalid }, label);
        const stats = await documentUtf8Stats(overlaidDocument(src, overlay), { offset, length, maxInvalidOffsets: 1000 }, tuning);
        const ref = reference(slice, offset);
        const { invalidOffsets, bom, ...counts } = stats;
        assert.deepEqual(counts, ref.counts, label);
        assert.deepEqual(invalidOffsets, ref.invalidOffsets, label);
        assert.equal(bom, slice[0] === 0xef && slice[1] === 0xbb && slice[2] === 0xbf, label);
      }
      src.close();
    }
  });

  test(`[${backend.name}] whole-file stats over many scattered edits`, async () => {
    const r = rng(99);
    const disk = utf8Soup(r, 200_000);
    const src = await backend.open(disk);
    const { mine, theirs } = randomEdits(r, disk.length, 300);
    const doc = mine.applied(disk);
    const stats = await documentUtf8Stats(overlaidDocument(src, theirs), { maxInvalidOffsets: 50 }, { editGap: 16 });
    const ref = reference(doc, 0);
    const { invalidOffsets, bom: _bom, ...counts } = stats;
    assert.deepEqual(counts, ref.counts);
    assert.deepEqual(invalidOffsets, ref.invalidOffsets.slice(0, 50));
    assert.equal(stats.chars, byTextDecoder(doc).chars);
    src.close();
  });
}

test('unedited stretches go to the native scan', async () => {
  const disk = utf8Soup(rng(5), 100_000);
  const src = new MemoryByteSource(disk);
  const ov = new MapOverlay();
  ov.set(30_000, Uint8Array.of(0xf0, 0x9f, 0x90, 0x8d)); // a snake
  ov.set(70_000, Uint8Array.of(0xff));
  const stats = await documentUtf8Stats(overlaidDocument(src, ov), {}, { editGap: 1000 });
  assert.equal(src.calls.utf8Stats, 3, 'native calls: before, between and after the edits');
  assert.equal(stats.chars, byTextDecoder(ov.runs().reduce((d, run) => (d.set(run.bytes, run.offset), d), disk.slice())).chars);
});

test('cancellation rejects with ERR_HEXMAP_CANCELLED', async () => {
  const src = new MemoryByteSource(new Uint8Array(1000));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(countInDocument(overlaidDocument(src, new MapOverlay()), 0, 1000, ac.signal), { code: 'ERR_HEXMAP_CANCELLED' });
});

test('ranges outside the file are RangeErrors', async () => {
  const src = new MemoryByteSource(new Uint8Array(10));
  await assert.rejects(countInDocument(overlaidDocument(src, new MapOverlay()), 5, 6), RangeError);
  await assert.rejects(countInDocument(overlaidDocument(src, new MapOverlay()), -1, 1), RangeError);
  assert.deepEqual(await countInDocument(overlaidDocument(src, new MapOverlay()), 10, 0), { bytes: 0, chars: 0, lines: 0, invalid: 0 });
});

test('the mapped backend was checked too', { skip: mappedMissing }, () => {
  assert.ok(backends.some((b) => b.name === 'mapped'));
});
