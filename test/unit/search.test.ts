/**
 * findInDocument: search of disk bytes with unsaved edits applied, checked
 * against a naive scan of the fully edited bytes on every backend, with chunk
 * and zone sizes tuned tiny so edges fall everywhere.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findInDocument, type FindTuning } from '../../extension/search/findInDocument';
import type { FindQuery } from '../../extension/document/documentModel';
import { naiveFind } from '../support/naiveFind';
import { overlaidDocument } from '../support/piecesDocument';
import { MapOverlay } from '../support/mapOverlay';
import { backends } from '../support/inspectBackends';
import { MemoryByteSource } from '../support/memoryByteSource';
import { randInt, rng, smallAlphabet } from '../support/randomUtf8';

const enc = (s: string) => new TextEncoder().encode(s);
const query = (pattern: Uint8Array, more: Partial<FindQuery> = {}): FindQuery =>
  ({ pattern, ignoreCase: false, from: 0, backward: false, maxMatches: 1000, ...more });

const TINY: FindTuning = { firstChunk: 3, maxChunk: 17, zoneGap: 0, jsChunk: 5 };

for (const backend of backends) {
  test(`[${backend.name}] overlapping matches are all reported`, async () => {
    const src = await backend.open(enc('aaaaa'));
    const r = await findInDocument(overlaidDocument(src, new MapOverlay()), query(enc('aa')), {}, TINY);
    assert.deepEqual(r, { matches: [0, 1, 2, 3], complete: true, cancelled: false });
    src.close();
  });

  test(`[${backend.name}] wildcards and ASCII ignore-case`, async () => {
    const src = await backend.open(enc('xAbC-aBc-a?c-@`'));
    const ov = new MapOverlay();
    const mask = Uint8Array.of(0xff, 0, 0xff);
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('a?c'), { mask }))).matches, [5, 9]);
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('a?c'), { mask, ignoreCase: true }))).matches, [1, 5, 9]);
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('abc'), { ignoreCase: true }))).matches, [1, 5]);
    // '@' (0x40) and '`' (0x60) differ only in bit 0x20 but are not letters: never folded.
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('@'), { ignoreCase: true }))).matches, [13]);
    src.close();
  });

  test(`[${backend.name}] a match spanning the edge of an unsaved edit is found; one destroyed by it is not`, async () => {
    const src = await backend.open(enc('hello world, hello world'));
    const ov = new MapOverlay();
    ov.set(4, enc('!')); // "hell! world, hello world"
    ov.set(18, enc('ZZ')); // second "hello" loses its tail: "helloZZorld"? no: offsets 18,19
    const doc = ov.applied(enc('hello world, hello world'));
    for (const pattern of ['hello', 'l! w', 'ZZo', 'world', 'o', 'hell!']) {
      for (const tuning of [TINY, {}]) {
        const q = query(enc(pattern));
        assert.deepEqual((await findInDocument(overlaidDocument(src, ov), q, {}, tuning)).matches, naiveFind(doc, q), pattern);
        const qb = query(enc(pattern), { backward: true, from: doc.length });
        assert.deepEqual((await findInDocument(overlaidDocument(src, ov), qb, {}, tuning)).matches, naiveFind(doc, qb), `${pattern} backward`);
      }
    }
    src.close();
  });

  test(`[${backend.name}] random files, edits and queries equal a naive scan of the edited bytes`, async () => {
    const r = rng(0x5ea7c4);
    for (let round = 0; round < 100; round++) {
      const disk = smallAlphabet(r, 1 + randInt(r, 400));
      const src = await backend.open(disk);
      // Half the rounds on DOCUMENT's EditOverlay, half on the obvious reference overlay.
      const reference = new MapOverlay();
      const real = new MapOverlay();
      for (let e = randInt(r, 8); e > 0; e--) {
        const at = randInt(r, disk.length);
        const bytes = smallAlphabet(r, Math.min(disk.length - at, 1 + randInt(r, 12)));
        reference.set(at, bytes);
        real.set(at, bytes);
      }
      const ov = round % 2 ? real : reference;
      const doc = reference.applied(disk);
      for (let k = 0; k < 6; k++) {
        const len = 1 + randInt(r, r() < 0.2 ? 40 : 5);
        const start = randInt(r, Math.max(1, doc.length - len));
        const pattern = doc.slice(start, start + len);
        if (pattern.length === 0) continue;
        const mask = r() < 0.3 ? Uint8Array.from(pattern, () => [0, 0xff, 0xff, 0xf0, 0x0f, 0xdf][randInt(r, 6)]) : undefined;
        const q = query(pattern, {
          mask, ignoreCase: r() < 0.4, backward: r() < 0.5, from: randInt(r, doc.length + 1), maxMatches: r() < 0.3 ? 1 + randInt(r, 4) : 100000,
        });
        const tuning: FindTuning = { firstChunk: 1 + randInt(r, 9), maxChunk: 1 + randInt(r, 60), zoneGap: randInt(r, 6), jsChunk: 1 + randInt(r, 9) };
        const streamed: number[] = [];
        const got = await findInDocument(overlaidDocument(src, ov), q, { onMatches: (m) => streamed.push(...m) }, r() < 0.5 ? tuning : {});
        const want = naiveFind(doc, q);
        const label = `round ${round} ${JSON.stringify({ ...q, pattern: [...pattern], mask: mask && [...mask] })}`;
        assert.deepEqual(got.matches, want, label);
        assert.deepEqual(streamed, want, `streamed ${label}`);
        assert.equal(got.cancelled, false);
        if (want.length < q.maxMatches) assert.equal(got.complete, true, label);
        if (want.length === q.maxMatches && naiveFind(doc, { ...q, maxMatches: q.maxMatches + 1 }).length > q.maxMatches) {
          assert.equal(got.complete, false, label);
        }
      }
      src.close();
    }
  });

  test(`[${backend.name}] backward from the cursor and maxMatches pick the nearest matches`, async () => {
    const text = 'ab ab ab ab ab';
    const src = await backend.open(enc(text));
    const ov = new MapOverlay();
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('ab'), { from: 9, backward: true, maxMatches: 2 }), {}, TINY)).matches, [6, 3]);
    const r = await findInDocument(overlaidDocument(src, ov), query(enc('ab'), { from: 4, maxMatches: 2 }), {}, TINY);
    assert.deepEqual(r, { matches: [6, 9], complete: false, cancelled: false });
    // A match ending exactly at from is found backward; one starting at from is not.
    assert.deepEqual((await findInDocument(overlaidDocument(src, ov), query(enc('ab'), { from: 6, backward: true, maxMatches: 1 }))).matches, [3]);
    src.close();
  });

  test(`[${backend.name}] cancellation stops the search and says so`, async () => {
    const disk = smallAlphabet(rng(7), 5000, [0x61]);
    const src = await backend.open(disk);
    const ov = new MapOverlay();
    ov.set(2500, enc('b'));
    const ac = new AbortController();
    ac.abort();
    const before = await findInDocument(overlaidDocument(src, ov), query(enc('a')), { signal: ac.signal }, TINY);
    assert.deepEqual(before, { matches: [], complete: false, cancelled: true });

    const ac2 = new AbortController();
    let batches = 0;
    const during = await findInDocument(overlaidDocument(src, ov), query(enc('aa'), { maxMatches: 100000 }), {
      signal: ac2.signal, onMatches: () => { if (++batches === 3) ac2.abort(); },
    }, { ...TINY, maxChunk: 100 });
    assert.equal(during.cancelled, true);
    assert.equal(during.complete, false);
    assert.ok(during.matches.length > 0 && during.matches.length < 4999, `stopped early: ${during.matches.length}`);
    src.close();
  });

  test(`[${backend.name}] progress reaches the total`, async () => {
    const src = await backend.open(new Uint8Array(10000));
    const seen: [number, number][] = [];
    await findInDocument(overlaidDocument(src, new MapOverlay()), query(Uint8Array.of(1)), { onProgress: (d, t) => seen.push([d, t]) }, TINY);
    assert.deepEqual(seen[seen.length - 1], [10000, 10000]);
    src.close();
  });
}

test('clean stretches go to the native scan, not to JavaScript', async () => {
  const disk = smallAlphabet(rng(3), 100000);
  const src = new MemoryByteSource(disk);
  const ov = new MapOverlay();
  ov.set(50000, enc('xyz'));
  const q = query(enc('ab'), { maxMatches: 1e6 });
  const got = await findInDocument(overlaidDocument(src, ov), q);
  assert.deepEqual(got.matches, naiveFind(ov.applied(disk), q));
  assert.equal(src.calls.find, 2, 'one native call on each side of the edit');
  assert.ok(src.calls.read <= 2, `JS read only around the edit (${src.calls.read} reads)`);
});

test('bad queries are rejected with TypeError/RangeError before any I/O', async () => {
  const src = new MemoryByteSource(new Uint8Array(10));
  const ov = new MapOverlay();
  await assert.rejects(findInDocument(overlaidDocument(src, ov), query(new Uint8Array(0))), TypeError);
  await assert.rejects(findInDocument(overlaidDocument(src, ov), query(Uint8Array.of(1), { mask: Uint8Array.of(1, 1) })), TypeError);
  await assert.rejects(findInDocument(overlaidDocument(src, ov), query(Uint8Array.of(1), { from: 11 })), RangeError);
  await assert.rejects(findInDocument(overlaidDocument(src, ov), query(Uint8Array.of(1), { maxMatches: -1 })), RangeError);
  assert.deepEqual(await findInDocument(overlaidDocument(src, ov), query(new Uint8Array(11))), { matches: [], complete: true, cancelled: false });
});
