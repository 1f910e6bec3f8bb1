/**
 * Find within a range (the find widget's "in selection"): over documents
 * made of moved, cut and in-memory pieces, every backend, forward and
 * backward from anywhere, with tiny chunk sizes so range edges fall on
 * chunk and zone edges. Checked against a plain scan of the flattened bytes
 * that keeps only matches lying wholly inside the range.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findInDocument, type FindTuning } from '../../extension/search/findInDocument';
import type { Piece } from '../../extension/document/snapshot';
import { parseWebviewMessage, ProtocolError } from '../../shared/protocol';
import { flattenPieces, PiecesDocument } from '../support/piecesDocument';
import { backends } from '../support/inspectBackends';
import { randInt, rng, smallAlphabet } from '../support/randomUtf8';

function randomPieces(r: () => number, disk: Uint8Array): Piece[] {
  const pieces: Piece[] = [];
  for (let k = 1 + randInt(r, 8); k > 0; k--) {
    if (disk.length > 0 && r() < 0.7) {
      const offset = randInt(r, disk.length);
      pieces.push({ kind: 'disk', offset, length: 1 + randInt(r, disk.length - offset) });
    } else pieces.push({ kind: 'bytes', bytes: smallAlphabet(r, 1 + randInt(r, 8)) });
  }
  return pieces;
}

/** Match starts s with start <= s, s + P <= end, and s >= from (forward) or s < from (backward), in travel order. */
function naive(doc: Uint8Array, pattern: Uint8Array, from: number, backward: boolean, start: number, end: number, max: number): number[] {
  const hits: number[] = [];
  for (let s = start; s + pattern.length <= end; s++) {
    if ((backward ? s < from : s >= from) && pattern.every((b, k) => doc[s + k] === b)) hits.push(s);
  }
  return (backward ? hits.reverse() : hits).slice(0, max);
}

const TINY: FindTuning = { firstChunk: 3, maxChunk: 11, zoneGap: 0, jsChunk: 4 };

for (const backend of backends) {
  test(`[${backend.name}] find in a range returns exactly the matches wholly inside it`, async () => {
    const r = rng(0x5e1 + backend.name.length);
    for (let round = 0; round < 50; round++) {
      const disk = smallAlphabet(r, randInt(r, 200));
      const src = await backend.open(disk);
      const pieces = randomPieces(r, disk);
      const doc = new PiecesDocument(src, pieces);
      const flat = flattenPieces(disk, pieces);
      for (let k = 0; k < 8; k++) {
        const pattern = smallAlphabet(r, 1 + randInt(r, 3));
        const rangeStart = randInt(r, flat.length + 1);
        const rangeEnd = rangeStart + randInt(r, flat.length - rangeStart + 1);
        const backward = r() < 0.4;
        const from = randInt(r, flat.length + 1);
        const maxMatches = r() < 0.2 ? 1 + randInt(r, 2) : 1000;
        const got = await findInDocument(doc, { pattern, ignoreCase: false, from, backward, maxMatches, rangeStart, rangeEnd }, {}, r() < 0.5 ? TINY : {});
        const where = `round ${round} range [${rangeStart}, ${rangeEnd}) from ${from}${backward ? ' backward' : ''} pattern ${[...pattern]}`;
        assert.deepEqual(got.matches, naive(flat, pattern, from, backward, rangeStart, rangeEnd, maxMatches), where);
      }
      src.close();
    }
  });
}

test('a range outside the document or reversed is refused', async () => {
  const backend = backends[0];
  const src = await backend.open(new Uint8Array(10));
  const doc = new PiecesDocument(src, [{ kind: 'disk', offset: 0, length: 10 }]);
  const q = { pattern: Uint8Array.of(0), ignoreCase: false, from: 0, backward: false, maxMatches: 10 };
  await assert.rejects(findInDocument(doc, { ...q, rangeStart: 4, rangeEnd: 3 }), RangeError);
  await assert.rejects(findInDocument(doc, { ...q, rangeStart: 0, rangeEnd: 11 }), RangeError);
  assert.deepEqual((await findInDocument(doc, { ...q, rangeStart: 3, rangeEnd: 5 })).matches, [3, 4]);
  src.close();
});

test('the protocol carries a find range and refuses a reversed one', () => {
  const find = (extra: object) => ({ type: 'request', id: 1, request: { kind: 'find', pattern: Uint8Array.of(1), ignoreCase: false, from: 0, backward: false, maxMatches: 5, ...extra } });
  const m = parseWebviewMessage(find({ rangeStart: 2, rangeEnd: 9 }));
  assert.ok(m.type === 'request' && m.request.kind === 'find');
  assert.deepEqual([m.request.rangeStart, m.request.rangeEnd], [2, 9]);
  const none = parseWebviewMessage(find({}));
  assert.ok(none.type === 'request' && none.request.kind === 'find' && none.request.rangeStart === undefined);
  assert.throws(() => parseWebviewMessage(find({ rangeStart: 9, rangeEnd: 2 })), ProtocolError);
  assert.throws(() => parseWebviewMessage(find({ rangeStart: 2 })), ProtocolError);
  assert.throws(() => parseWebviewMessage(find({ rangeStart: -1, rangeEnd: 2 })), ProtocolError);
});
