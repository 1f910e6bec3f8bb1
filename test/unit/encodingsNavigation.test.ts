/**
 * "Go to Next / Previous Invalid" and "Non-ASCII" in every text encoding, over
 * documents with unsaved edits (inserts and deletes that shift UTF-16
 * alignment, bytes in memory, moved file ranges), forward and backward from
 * random offsets, against a naive model: decodeTextSpan over the flattened
 * document, the span decoding the text pane draws. Documents large enough
 * for the native text scans (chunk walks, bisection, safe UTF-16 cuts) run
 * on every backend, so the mapped (native) and plain-read (JavaScript)
 * paths are both held to the model; a 6 GiB sparse file checks offsets far
 * past 4 GiB.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { findUnitInDocument, type UnitKind } from '../../extension/search/findUnitInDocument';
import type { Piece } from '../../extension/document/snapshot';
import { TEXT_ENCODINGS, codecFor, decodeTextSpan, type TextEncoding } from '../../shared/encodings';
import { flattenPieces, PiecesDocument } from '../support/piecesDocument';
import { backends } from '../support/inspectBackends';
import { randInt, rng } from '../support/randomUtf8';
import { textSoup } from '../support/randomText';
import { nativeAddonStatus, openByteSource } from '../../extension/engine/openByteSource';
import { createSparseFile } from '../support/sparseFile';
import { TempDir } from '../support/tempFiles';

const KINDS: UnitKind[] = ['invalid', 'nonAscii'];

/** Every wanted unit start of `flat`, by the text pane's decoding. */
function modelStarts(encoding: TextEncoding, flat: Uint8Array, kind: UnitKind): number[] {
  return decodeTextSpan(codecFor(encoding), flat, 0, flat.length, 0)
    .filter((u) => u.status !== 'valid' || (kind === 'nonAscii' && u.codePoint > 0x7f))
    .map((u) => u.start);
}

function nextOf(starts: number[], from: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (starts[m] >= from) hi = m; else lo = m + 1; }
  return lo < starts.length ? starts[lo] : -1;
}

function prevOf(starts: number[], from: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (starts[m] < from) lo = m + 1; else hi = m; }
  return lo > 0 ? starts[lo - 1] : -1;
}

/** Plain ASCII text in `encoding` (valid, never wanted), `n` bytes (UTF-16: n even). */
function asciiText(encoding: TextEncoding, r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const wide = codecFor(encoding).unitSize === 2;
  for (let i = 0; i < n; i += wide ? 2 : 1) out[encoding === 'utf-16be' ? i + 1 : i] = 0x20 + randInt(r, 0x5f);
  return out;
}

/** Disk ranges in order with deletions, moved ranges and inserted bytes between them. */
function editedPieces(r: () => number, size: number, gen: (n: number) => Uint8Array, edits: number): Piece[] {
  const cuts = Array.from({ length: edits }, () => randInt(r, size)).sort((a, b) => a - b);
  const pieces: Piece[] = [];
  let at = 0;
  for (const c of cuts) {
    if (c > at) pieces.push({ kind: 'disk', offset: at, length: c - at });
    const k = r();
    if (k < 0.4) pieces.push({ kind: 'bytes', bytes: gen(1 + randInt(r, 9)) });
    else if (k < 0.7) at = Math.max(at, Math.min(size, c + 1 + randInt(r, 5))); // a delete
    else {
      const o = randInt(r, size);
      pieces.push({ kind: 'disk', offset: o, length: Math.min(size - o, 1 + randInt(r, 7)) }); // a moved range: seams
    }
    at = Math.max(at, c);
  }
  if (size > at) pieces.push({ kind: 'disk', offset: at, length: size - at });
  return pieces;
}

async function checkFroms(doc: PiecesDocument, encoding: TextEncoding, flat: Uint8Array, froms: number[], where: string): Promise<void> {
  for (const kind of KINDS) {
    const starts = modelStarts(encoding, flat, kind);
    for (const from of froms) {
      const label = `${where} ${encoding} ${kind} from ${from}`;
      assert.equal(await findUnitInDocument(doc, kind, from, 'forward', {}, encoding), nextOf(starts, from), `${label} forward`);
      assert.equal(await findUnitInDocument(doc, kind, from, 'backward', {}, encoding), prevOf(starts, from), `${label} backward`);
    }
  }
}

for (const backend of backends) {
  test(`[${backend.name}] small documents with edits, every encoding`, async () => {
    const r = rng(0x5e1 + backend.name.length);
    for (const encoding of TEXT_ENCODINGS) {
      for (let round = 0; round < 40; round++) {
        const disk = textSoup(encoding, r, randInt(r, 300));
        const src = await backend.open(disk);
        const pieces = editedPieces(r, disk.length, (n) => textSoup(encoding, r, n), randInt(r, 8));
        const doc = new PiecesDocument(src, pieces);
        const flat = flattenPieces(disk, pieces);
        await checkFroms(doc, encoding, flat, Array.from({ length: 6 }, () => randInt(r, flat.length + 1)), `round ${round}`);
        src.close();
      }
    }
  });

  test(`[${backend.name}] large documents (native chunk walks), sparse to dense hits, every encoding`, async () => {
    const r = rng(0x1a2 + backend.name.length);
    for (const encoding of TEXT_ENCODINGS) {
      for (let round = 0; round < (backend.name === 'mapped' ? 6 : 2); round++) {
        const size = (300 << 10) + randInt(r, 900 << 10);
        const disk = asciiText(encoding, r, size & ~1);
        // 0 to thousands of planted soups: chunks with no hit, one hit, and more hits than a scan lists.
        const plants = [0, 1, 3, 40, 4000, 20000][round % 6];
        for (let k = 0; k < plants; k++) {
          const s = textSoup(encoding, r, 1 + randInt(r, 6));
          disk.set(s.subarray(0, Math.min(s.length, disk.length - 1)), randInt(r, disk.length - s.length));
        }
        const src = await backend.open(disk);
        const pieces = editedPieces(r, disk.length, (n) => textSoup(encoding, r, n), randInt(r, 6));
        const doc = new PiecesDocument(src, pieces);
        const flat = flattenPieces(disk, pieces);
        const froms = [0, flat.length, ...Array.from({ length: 6 }, () => randInt(r, flat.length + 1))];
        await checkFroms(doc, encoding, flat, froms, `round ${round} (${plants} plants, ${flat.length} bytes)`);
        src.close();
      }
    }
  });
}

// The in-memory test source does not watch signals; the real backends do.
for (const backend of backends.filter((b) => b.name !== 'memory')) {
  test(`[${backend.name}] a cancelled search rejects; the same search uncancelled finds the unit`, async () => {
    const r = rng(77);
    const disk = asciiText('utf-16le', r, 3 << 20);
    disk[disk.length - 3] = 0xdc; // a lone low surrogate near the end
    const src = await backend.open(disk);
    try {
      for (const encoding of TEXT_ENCODINGS) {
        const doc = new PiecesDocument(src, [{ kind: 'disk', offset: 0, length: disk.length }]);
        const aborted = AbortSignal.abort();
        for (const direction of ['forward', 'backward'] as const) {
          await assert.rejects(findUnitInDocument(doc, 'nonAscii', direction === 'forward' ? 0 : disk.length, direction, { signal: aborted }, encoding),
            (e: { code?: string; name?: string }) => e.code === 'ERR_HEXMAP_CANCELLED' || e.name === 'AbortError', `${encoding} ${direction}`);
          const found = await findUnitInDocument(doc, 'nonAscii', direction === 'forward' ? 0 : disk.length, direction, {}, encoding);
          const starts = modelStarts(encoding, disk, 'nonAscii');
          assert.equal(found, (direction === 'forward' ? starts[0] : starts[starts.length - 1]) ?? -1, `${encoding} ${direction} finds the unit`);
        }
      }
    } finally {
      src.close();
    }
  });
}

const dir = new TempDir('hexmap-encnav-');
after(() => dir.remove());

test('6 GiB sparse file: the invalid unit near the end, in each encoding, past 4 GiB', { skip: !nativeAddonStatus().loaded && 'needs the native addon' }, async () => {
  const size = 6 * 1024 * 1024 * 1024;
  const far = size - 4097; // odd: in UTF-16 it is the second byte of a unit
  const path = createSparseFile(dir.file('six.bin'), size, [
    { offset: far - 1, bytes: Uint8Array.of(0x00, 0xdc, 0x00, 0xdc) }, // LE: lone low surrogates at far-1, far+1; BE: U+00DC twice
    { offset: size - 2, bytes: Uint8Array.of(0x8d, 0x41) }, // undefined in windows-1252, not ASCII
  ]);
  const src = await openByteSource(path, { backend: 'mapped', writable: false });
  try {
    // One unsaved byte inserted at 5 GiB: everything after it shifts by one, so UTF-16 parity flips there.
    const at = 5 * 1024 * 1024 * 1024;
    const doc = new PiecesDocument(src, [{ kind: 'disk', offset: 0, length: at }, { kind: 'bytes', bytes: Uint8Array.of(0x20) }, { kind: 'disk', offset: at, length: size - at }]);
    // The model over the bytes that matter (everything else is U+0000 or ASCII in every encoding):
    // around the inserted byte and the last 4 KiB.
    const regions = [[at - 8, at + 8], [far - 7, doc.size]];
    const expect = (encoding: TextEncoding, kind: UnitKind): number[] => {
      const starts: number[] = [];
      for (const [lo, hi] of regions) {
        // Decoded from 8 bytes before each region's first reported unit, so a unit cut by the region's edge is whole.
        for (const s of modelStarts(encoding, flatRegion.get(lo)!, kind)) if (s >= 4) starts.push(lo + s);
      }
      return starts;
    };
    const flatRegion = new Map<number, Uint8Array>();
    for (const [lo, hi] of regions) flatRegion.set(lo, await doc.readBytes(lo, hi - lo));
    const from = 4 * 1024 * 1024 * 1024 + 3;
    for (const encoding of TEXT_ENCODINGS) {
      const invalid = expect(encoding, 'invalid');
      // Forward across 1 GiB of zeros and the insert, then backward from the end, and both ways around the insert.
      assert.equal(await findUnitInDocument(doc, 'invalid', from, 'forward', {}, encoding), invalid[0] ?? -1, `${encoding} invalid forward`);
      for (const kind of KINDS) {
        const starts = expect(encoding, kind);
        assert.equal(await findUnitInDocument(doc, kind, doc.size, 'backward', {}, encoding), starts[starts.length - 1] ?? -1, `${encoding} ${kind} backward`);
        // Only where a hit stops it: a backward walk over 5 GiB of zeros would only repeat what the forward one shows.
        const before = starts.filter((s) => s < at + 16).pop() ?? -1;
        if (before >= 0) assert.equal(await findUnitInDocument(doc, kind, at + 16, 'backward', {}, encoding), before, `${encoding} ${kind} back to the insert`);
        assert.equal(await findUnitInDocument(doc, kind, at + 9, 'forward', {}, encoding), starts.find((s) => s >= at + 9) ?? -1, `${encoding} ${kind} forward from the insert`);
      }
    }
    assert.ok(expect('utf-16le', 'invalid').length > 0 && expect('utf-16be', 'nonAscii').includes(at), 'the planted units are there to be found');
  } finally {
    src.close();
  }
});
