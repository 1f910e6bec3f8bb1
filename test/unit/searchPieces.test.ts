/**
 * Find, count, the encoding report's stats and next/previous unit over
 * documents whose size changed: pieces that move, repeat and cut file
 * ranges (seams), and bytes held in memory, checked against plain scans of
 * the flattened bytes. Tiny tunings put every chunk edge and zone gap
 * everywhere; the native scans run over the file segments in file offsets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findInDocument, type FindTuning } from '../../extension/search/findInDocument';
import { countInDocument, documentUtf8Stats } from '../../extension/search/countInDocument';
import { findUnitInDocument } from '../../extension/search/findUnitInDocument';
import type { FindQuery } from '../../extension/document/documentModel';
import type { Piece } from '../../extension/document/snapshot';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { countUtf8, decodeUnit, emptyCounts, newUnit } from '../../shared/utf8';
import { naiveFind } from '../support/naiveFind';
import { flattenPieces, PiecesDocument } from '../support/piecesDocument';
import { backends } from '../support/inspectBackends';
import { MemoryByteSource } from '../support/memoryByteSource';
import { randInt, rng, smallAlphabet, utf8Soup } from '../support/randomUtf8';

/** Random pieces over a file of `size` bytes: moved, repeated and cut ranges, and bytes. */
function randomPieces(r: () => number, size: number, gen: (n: number) => Uint8Array): Piece[] {
  const pieces: Piece[] = [];
  for (let k = 1 + randInt(r, 12); k > 0; k--) {
    if (size > 0 && r() < 0.65) {
      const offset = randInt(r, size);
      const length = 1 + randInt(r, Math.min(size - offset, r() < 0.3 ? size : 40));
      pieces.push({ kind: 'disk', offset, length });
    } else pieces.push({ kind: 'bytes', bytes: gen(1 + randInt(r, 8)) });
  }
  return pieces;
}

const TINY: FindTuning = { firstChunk: 3, maxChunk: 17, zoneGap: 0, jsChunk: 5 };

for (const backend of backends) {
  test(`[${backend.name}] find over moved, repeated and cut file ranges equals a scan of the flattened bytes`, async () => {
    const r = rng(0x51ece + backend.name.length);
    for (let round = 0; round < 60; round++) {
      const disk = smallAlphabet(r, randInt(r, 300));
      const src = await backend.open(disk);
      const pieces = randomPieces(r, disk.length, (n) => smallAlphabet(r, n));
      const doc = new PiecesDocument(src, pieces);
      const flat = flattenPieces(disk, pieces);
      for (let k = 0; k < 6; k++) {
        const pattern = smallAlphabet(r, 1 + randInt(r, 4));
        const mask = r() < 0.3 ? Uint8Array.from(pattern, () => (r() < 0.3 ? 0 : 0xff)) : undefined;
        const backward = r() < 0.4;
        const q: FindQuery = { pattern, mask, ignoreCase: r() < 0.3, backward, from: randInt(r, flat.length + 1), maxMatches: r() < 0.2 ? 1 + randInt(r, 3) : 1000 };
        const got = await findInDocument(doc, q, {}, r() < 0.5 ? TINY : {});
        assert.deepEqual(got.matches, naiveFind(flat, q), `round ${round} ${JSON.stringify({ pieces: pieces.map((p) => (p.kind === 'disk' ? [p.offset, p.length] : [...p.bytes])), q: { ...q, pattern: [...pattern] } })}`);
      }
      src.close();
    }
  });

  test(`[${backend.name}] counts and stats over moved and cut file ranges equal one decode of the flattened bytes`, async () => {
    const r = rng(0xc0de + backend.name.length);
    for (let round = 0; round < 60; round++) {
      const disk = utf8Soup(r, randInt(r, 400));
      const src = await backend.open(disk);
      const pieces = randomPieces(r, disk.length, (n) => utf8Soup(r, n));
      const doc = new PiecesDocument(src, pieces);
      const flat = flattenPieces(disk, pieces);
      for (let k = 0; k < 5; k++) {
        const offset = randInt(r, flat.length + 1);
        const length = randInt(r, flat.length - offset + 1);
        const counts = emptyCounts();
        const invalid: number[] = [];
        countUtf8(flat.subarray(offset, offset + length), counts, true, (i) => invalid.push(offset + i));
        const tuning = r() < 0.5 ? { editGap: 1 + randInt(r, 8), jsChunk: 1 + randInt(r, 7) } : {};
        const stats = await documentUtf8Stats(doc, { offset, length, maxInvalidOffsets: 1000 }, tuning);
        const where = `round ${round} [${offset}, +${length})`;
        assert.equal(stats.chars, counts.chars, `${where} chars`);
        assert.equal(stats.invalid, counts.invalid, `${where} invalid`);
        assert.equal(stats.lf + stats.crlf + stats.cr, counts.lf + counts.crlf + counts.cr, `${where} line breaks`);
        assert.deepEqual(stats.invalidOffsets, invalid, `${where} invalid offsets (document offsets)`);
        const c = await countInDocument(doc, offset, length, undefined, tuning);
        assert.equal(c.chars, counts.chars, `${where} count`);
      }
      src.close();
    }
  });

  test(`[${backend.name}] next/previous invalid and non-ASCII over moved and cut file ranges`, async () => {
    const r = rng(0x0417 + backend.name.length);
    for (let round = 0; round < 80; round++) {
      const ascii = round % 2 === 0 ? 0.9 : 0;
      const disk = Uint8Array.from(utf8Soup(r, randInt(r, 300)), (b) => (r() < ascii ? 0x61 : b));
      const src = await backend.open(disk);
      const pieces = randomPieces(r, disk.length, (n) => utf8Soup(r, n));
      const doc = new PiecesDocument(src, pieces);
      const flat = flattenPieces(disk, pieces);
      for (const kind of ['invalid', 'nonAscii'] as const) {
        const starts: number[] = [];
        const u = newUnit();
        for (let i = 0; i < flat.length; i += u.length) {
          decodeUnit(flat, i, flat.length, u);
          if (kind === 'invalid' ? u.status !== 'valid' : flat[i] >= 0x80) starts.push(i);
        }
        for (let k = 0; k < 6; k++) {
          const from = randInt(r, flat.length + 1);
          const next = starts.find((s) => s >= from) ?? -1;
          const prev = [...starts].reverse().find((s) => s < from) ?? -1;
          assert.equal(await findUnitInDocument(doc, kind, from, 'forward'), next, `round ${round} ${kind} forward from ${from}`);
          assert.equal(await findUnitInDocument(doc, kind, from, 'backward'), prev, `round ${round} ${kind} backward from ${from}`);
        }
      }
      src.close();
    }
  });
}

test('the model\'s own segments after inserts and deletes serve the same find and count', async () => {
  const r = rng(99);
  for (let round = 0; round < 40; round++) {
    const disk = smallAlphabet(r, 50 + randInt(r, 400));
    const model = new HexDocumentModel(new MemoryByteSource(disk.slice()));
    let flat = Array.from(disk);
    for (let e = randInt(r, 12); e > 0; e--) {
      const at = randInt(r, flat.length + 1);
      const del = Math.min(flat.length - at, randInt(r, 20));
      const bytes = r() < 0.3 ? new Uint8Array(0) : smallAlphabet(r, 1 + randInt(r, 6));
      if (del === 0 && bytes.length === 0) continue;
      model.replace(at, del, bytes, 'Edit');
      flat.splice(at, del, ...bytes);
    }
    const bytes = Uint8Array.from(flat);
    assert.deepEqual(await model.read(0, model.size), bytes);
    const q: FindQuery = { pattern: smallAlphabet(r, 1 + randInt(r, 3)), ignoreCase: r() < 0.5, backward: r() < 0.5, from: randInt(r, bytes.length + 1), maxMatches: 1000 };
    assert.deepEqual((await findInDocument(model, q, {}, TINY)).matches, naiveFind(bytes, q), `round ${round}`);
    const counts = emptyCounts();
    countUtf8(bytes, counts, true);
    assert.equal((await countInDocument(model, 0, bytes.length)).chars, counts.chars);
    flat = [];
  }
});
