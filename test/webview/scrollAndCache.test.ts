/**
 * The editor's two pure models in plain Node: ScrollModel (exact positions in
 * a 64 GiB file, wheel accumulation, thumb mapping) and WindowCache (aligned
 * windows, LRU bound, in-flight dedupe, prefetch, stale-while-refetch and
 * optimistic edits surviving a response that raced them).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScrollModel } from '../../webview/editor/scrollModel';
import { WindowCache, WINDOW_SIZE } from '../../webview/editor/windowCache';
import type { ReadResult } from '../../shared/protocol';

describe('ScrollModel', () => {
  const GiB64 = 64 * 1024 ** 3;
  const model = (): ScrollModel => {
    const m = new ScrollModel();
    m.setGeometry(GiB64 / 16, 31, 30);
    return m;
  };

  it('maps the thumb linearly with both ends exact', () => {
    const m = model();
    const track = 600;
    assert.equal(m.rowAtThumb(0, track), 0);
    assert.equal(m.rowAtThumb(10_000, track), m.maxTopRow, 'past the end clamps to the last page');
    assert.equal(m.maxTopRow, GiB64 / 16 - 30);
    m.scrollTo(m.maxTopRow);
    assert.equal(m.thumbPosition(track) + m.thumbLength(track), track, 'thumb touches the bottom');
    assert.equal(m.thumbLength(track), 24, 'a minimum-size thumb for a huge file');
    const half = m.rowAtThumb((track - 24) / 2, track);
    assert.equal(half, Math.round(m.maxTopRow / 2));
  });

  it('moves by the pixel on wheel deltas: fractions of a row add up to whole rows exactly', () => {
    const m = model();
    for (let i = 0; i < 9; i++) {
      assert.equal(m.wheel(2, 0, 20), true, 'a tenth of a row moves the view by a tenth');
      assert.equal(m.topRow, 0);
    }
    assert.ok(Math.abs(m.fraction - 0.9) < 1e-9);
    assert.equal(m.wheel(2, 0, 20), true);
    assert.equal(m.topRow, 1);
    assert.equal(m.fraction, 0, 'ten tenths are exactly one row');
    m.wheel(-10, 0, 20);
    assert.deepEqual([m.topRow, m.fraction], [0, 0.5], 'back up by half a row');
    assert.equal(m.reveal(0), true, 'a partly hidden top row is revealed whole');
    assert.deepEqual([m.topRow, m.fraction], [0, 0]);
    m.wheel(20, 0, 20);
    m.wheel(3, 1, 20); // DOM_DELTA_LINE
    assert.equal(m.topRow, 4);
    m.wheel(1, 2, 20); // DOM_DELTA_PAGE
    assert.equal(m.topRow, 34);
    m.wheel(-10_000, 0, 20);
    assert.equal(m.topRow, 0);
    assert.equal(m.wheel(-5, 0, 20), false, 'at the top nothing accumulates');
    assert.equal(m.wheel(20, 0, 20), true, 'reversing moves at once');
    m.wheel(1e12, 0, 20);
    assert.deepEqual([m.topRow, m.fraction], [m.maxTopRow, 0], 'the last page sits exactly at the bottom');
  });

  it('reveals a row with the least scrolling', () => {
    const m = model();
    assert.equal(m.reveal(10), false);
    assert.equal(m.reveal(30), true);
    assert.equal(m.topRow, 1);
    m.reveal(GiB64 / 16 - 1);
    assert.equal(m.topRow, m.maxTopRow);
    assert.equal((m.topRow + m.fullRows - 1) * 16, GiB64 - 16, 'the last row, exact');
  });
});

describe('WindowCache', () => {
  /** A fetcher whose responses the test releases, recording each request. */
  function controlled(fileBytes: (offset: number) => number) {
    const pending: { offset: number; length: number; resolve: () => void }[] = [];
    const fetcher = (offset: number, length: number): Promise<ReadResult> => new Promise((ok) => {
      // Bytes are read when the response is released, like a host serving "now".
      pending.push({ offset, length, resolve: () => ok(window(offset, length)) });
    });
    const window = (offset: number, length: number): ReadResult => ({
      offset,
      bytes: Uint8Array.from({ length }, (_, i) => fileBytes(offset + i)),
      before: Uint8Array.from({ length: Math.min(3, offset) }, (_, i) => fileBytes(offset - Math.min(3, offset) + i)),
      after: new Uint8Array(0), unsaved: [],
    });
    return { pending, fetcher };
  }
  const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

  it('fetches aligned windows once (in-flight dedupe), prefetches ahead, and assembles across an edge', async () => {
    const c = controlled((p) => p & 0xff);
    let loads = 0;
    const cache = new WindowCache(c.fetcher, () => loads++, 10 * WINDOW_SIZE);
    assert.equal(cache.ensure(WINDOW_SIZE - 8, WINDOW_SIZE + 8, 1), false);
    cache.ensure(WINDOW_SIZE - 8, WINDOW_SIZE + 8, 1); // again while in flight
    assert.deepEqual(c.pending.map((p) => p.offset / WINDOW_SIZE), [0, 1, 2], 'windows 0 and 1, and 2 prefetched; no duplicates');
    const a0 = cache.assemble(WINDOW_SIZE - 4, WINDOW_SIZE + 4);
    assert.ok(a0.known && a0.known.every((k) => k === 0), 'nothing known yet');
    c.pending.splice(0).forEach((p) => p.resolve());
    await flush();
    assert.equal(loads, 3);
    const a = cache.assemble(WINDOW_SIZE - 4, WINDOW_SIZE + 4);
    assert.equal(a.known, null);
    assert.deepEqual([...a.bytes], [0xfc, 0xfd, 0xfe, 0xff, 0, 1, 2, 3]);
  });

  it("shows a seeded first screen (part of a window) until that window arrives, and drops it on an edit", async () => {
    const c = controlled((p) => (p * 7) & 0xff);
    const cache = new WindowCache(c.fetcher, () => undefined, 4 * WINDOW_SIZE);
    const at = WINDOW_SIZE + 100; // a first screen inside window 1, its context bytes either side
    const slice = (from: number, to: number) => Uint8Array.from({ length: to - from }, (_, i) => ((from + i) * 7) & 0xff);
    cache.seed({ offset: at, bytes: slice(at, at + 1000), before: slice(at - 3, at), after: slice(at + 1000, at + 1003), unsaved: [] });
    const shown = cache.assemble(at - 3, at + 1003);
    assert.deepEqual([...shown.bytes], [...slice(at - 3, at + 1003)], 'the first screen and its context are shown');
    assert.ok(shown.known!.every((k) => k === 1), 'and known');
    const beyond = cache.assemble(at + 1003, at + 1010);
    assert.ok(beyond.known!.every((k) => k === 0), 'the rest of the window is not');
    assert.equal(cache.ensure(at, at + 1000, 0), false, 'the window itself is still asked for');
    assert.deepEqual(c.pending.map((p) => p.offset), [WINDOW_SIZE]);
    c.pending.splice(0).forEach((p) => p.resolve());
    await flush();
    assert.equal(cache.assemble(at, at + 5000).known, null, 'the whole window replaces it');

    const other = new WindowCache(c.fetcher, () => undefined, 4 * WINDOW_SIZE);
    other.seed({ offset: at, bytes: slice(at, at + 1000), before: slice(at - 3, at), after: new Uint8Array(0), unsaved: [] });
    other.patch(at + 10, Uint8Array.of(0xaa));
    assert.ok(other.assemble(at, at + 20).known!.every((k) => k === 0), 'after an edit its bytes could be stale: gone');
  });

  it('keeps at most `capacity` windows (LRU)', async () => {
    const c = controlled(() => 7);
    const cache = new WindowCache(c.fetcher, () => undefined, 1000 * WINDOW_SIZE, 8);
    for (let i = 0; i < 40; i++) {
      cache.ensure(i * 20 * WINDOW_SIZE, i * 20 * WINDOW_SIZE + 100, 0);
      c.pending.splice(0).forEach((p) => p.resolve());
      await flush();
    }
    assert.equal(cache.cachedWindows, 8);
  });

  it('serves stale bytes while refetching, and re-applies local edits a racing response missed', async () => {
    const file = new Uint8Array(2 * WINDOW_SIZE).fill(0x2e);
    const c = controlled((p) => file[p]);
    const cache = new WindowCache(c.fetcher, () => undefined, file.length);
    cache.ensure(0, 16, 0);
    c.pending.splice(0).forEach((p) => p.resolve());
    await flush();
    // The host changed byte 5 (an edit from elsewhere): invalidate -> refetch, old bytes meanwhile.
    file[5] = 0x41;
    cache.invalidate([{ offset: 5, length: 1 }]);
    assert.equal(cache.ensure(0, 16, 0), true, 'still has (stale) data');
    assert.equal(cache.assemble(5, 6).bytes[0], 0x2e, 'last known byte while the refetch is in flight');
    // The user types at byte 6 before that refetch is answered; the host has not seen it yet.
    cache.patch(6, Uint8Array.of(0x42));
    c.pending.splice(0).forEach((p) => p.resolve()); // response built from the file without byte 6
    await flush();
    assert.deepEqual([...cache.assemble(5, 7).bytes], [0x41, 0x42], "the host's change arrives, the local edit survives");
    // A read sent after the edit is trusted as is (the host had the edit by then).
    file[6] = 0x42;
    cache.invalidate(undefined);
    cache.ensure(0, 16, 0);
    file[6] = 0x43; // e.g. undone on the host meanwhile
    c.pending.splice(0).forEach((p) => p.resolve());
    await flush();
    assert.equal(cache.assemble(6, 7).bytes[0], 0x43);
  });
});
