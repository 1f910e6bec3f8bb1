/**
 * Search and counting with the default chunk sizes on real files: needles
 * and edits across the 1 MiB first chunk, the doubling chunk edges and the
 * 16 MiB read limit; and offsets past 4 GiB in a sparse file, so no
 * 32-bit arithmetic hides anywhere.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MapOverlay } from '../support/mapOverlay';
import { overlaidDocument } from '../support/piecesDocument';
import { openByteSource } from '../../extension/engine/openByteSource';
import { countInDocument, documentUtf8Stats } from '../../extension/search/countInDocument';
import { findInDocument } from '../../extension/search/findInDocument';
import { findUnitInDocument } from '../../extension/search/findUnitInDocument';
import { nativeAddonStatus } from '../../extension/engine/openByteSource';
import { createSparseFile } from '../support/sparseFile';
import { TempDir } from '../support/tempFiles';

const dir = new TempDir('hexmap-search-large-');
after(() => dir.remove());
const enc = (s: string) => new TextEncoder().encode(s);
const backendsToTry = nativeAddonStatus().loaded ? (['mapped', 'file'] as const) : (['file'] as const);
const MiB = 1 << 20;

test('needles at chunk edges of a 40 MiB file, with an edit completing one across the 16 MiB mark', async () => {
  const needle = enc('NEEDLE');
  // Planted so each straddles a chunk boundary the forward walk makes (1, 3, 7, 15, 31 MiB) or the read limit.
  const planted = [MiB - 3, 3 * MiB - 1, 7 * MiB - 5, 15 * MiB - 2, 16 * MiB - 3, 31 * MiB - 4, 40 * MiB - 6];
  const path = createSparseFile(dir.file('edges.bin'), 40 * MiB, planted.map((offset) => ({ offset, bytes: needle })));
  for (const backend of backendsToTry) {
    const src = await openByteSource(path, { backend, writable: false });
    const ov = new MapOverlay();
    // A needle made only of unsaved bytes, written in two edits that meet at 20 MiB + 1.
    ov.set(20 * MiB - 2, enc('NEE'));
    ov.set(20 * MiB + 1, enc('DLE'));
    ov.set(15 * MiB, enc('x')); // destroys the needle at 15 MiB - 2
    const want = [...planted.filter((o) => o !== 15 * MiB - 2), 20 * MiB - 2].sort((a, b) => a - b);
    const forward = await findInDocument(overlaidDocument(src, ov), { pattern: needle, ignoreCase: false, from: 0, backward: false, maxMatches: 100 });
    assert.deepEqual(forward.matches, want, backend);
    const backward = await findInDocument(overlaidDocument(src, ov), { pattern: enc('needle'), ignoreCase: true, from: src.size, backward: true, maxMatches: 100 });
    assert.deepEqual(backward.matches, [...want].reverse(), `${backend} backward, ignoring case`);
    const c = await countInDocument(overlaidDocument(src, ov), 0, src.size);
    assert.equal(c.chars, src.size, 'zeros and ASCII: one character per byte');
    src.close();
  }
});

test('offsets beyond 4 GiB in a sparse 4 GiB + 64 MiB file', async () => {
  const size = 4 * 1024 * MiB + 64 * MiB;
  const far = 4 * 1024 * MiB + 12345;
  const path = createSparseFile(dir.file('huge.bin'), size, [
    { offset: far, bytes: enc('FAR\u00e9') }, // FAR + a 2-byte é
    { offset: size - 10, bytes: Uint8Array.of(0xff) },
  ]);
  for (const backend of backendsToTry) {
    const src = await openByteSource(path, { backend, writable: false });
    const ov = new MapOverlay();
    ov.set(size - 3, Uint8Array.of(0xf0, 0x9f, 0x90)); // a snake cut by the end of the file: truncated
    const near = await findInDocument(overlaidDocument(src, ov), { pattern: enc('FAR'), ignoreCase: false, from: far - 1000, backward: false, maxMatches: 5 });
    assert.deepEqual(near.matches, [far], backend);
    const back = await findInDocument(overlaidDocument(src, ov), { pattern: enc('FAR'), ignoreCase: false, from: far + 5000, backward: true, maxMatches: 1 });
    assert.deepEqual(back.matches, [far], `${backend} backward`);
    const tail = await documentUtf8Stats(overlaidDocument(src, ov), { offset: size - 64 * MiB, length: 64 * MiB });
    assert.deepEqual([tail.invalid, tail.invalidOffsets], [2, [size - 10, size - 3]], backend);
    assert.equal(await findUnitInDocument(overlaidDocument(src, ov), 'invalid', far, 'forward'), size - 10, backend);
    assert.equal(await findUnitInDocument(overlaidDocument(src, ov), 'invalid', size, 'backward'), size - 3, backend);
    assert.equal(await findUnitInDocument(overlaidDocument(src, ov), 'nonAscii', far + 1, 'forward'), far + 3, backend);
    const sel = await countInDocument(overlaidDocument(src, ov), far, 5);
    assert.deepEqual(sel, { bytes: 5, chars: 4, lines: 1, invalid: 0 });
    src.close();
  }
});
