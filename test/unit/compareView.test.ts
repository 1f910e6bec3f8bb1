/**
 * The parts of the compare view that need no VS Code: the highlights sent
 * for a viewport (exact around it, a bounded overview for the scrollbar),
 * the words of the status bar, and the editor session's handling of the
 * 'decorations' message (held until the webview has its document, sent
 * again to a reloaded page) and of viewport reports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { EditorSession } from '../../extension/editor/editorSession';
import { diffDecorations, MAX_OVERVIEW, overview, SPAN_AFTER, SPAN_BEFORE } from '../../extension/compare/decorations';
import { statusText, summaryText } from '../../extension/compare/summaryText';
import type { CompareSummary, DiffRange } from '../../extension/compare/types';
import type { HostMessage } from '../../shared/protocol';
import { MemoryByteSource } from '../support/memoryByteSource';

const changed = (offset: number, length = 1, delta = 0): DiffRange => ({ kind: 'changed', offsetA: offset, lengthA: length, offsetB: offset + delta, lengthB: length });

test('decorations: the ranges around the viewport, exactly, on each side', () => {
  const ranges: DiffRange[] = [
    changed(10), changed(1_000_000, 4),
    { kind: 'inserted', offsetA: 1_000_100, lengthA: 0, offsetB: 1_000_100, lengthB: 3 },
    changed(1_000_200, 1, 3), changed(5_000_000, 1, 3),
  ];
  const top = 1_000_050;
  const a = diffDecorations(ranges, 'a', top, 10_000_000);
  assert.deepEqual(a.span, { offset: top - SPAN_BEFORE, length: SPAN_BEFORE + SPAN_AFTER });
  assert.deepEqual(a.ranges, [{ offset: 1_000_000, length: 4 }, { offset: 1_000_100, length: 0 }, { offset: 1_000_200, length: 1 }]);
  const b = diffDecorations(ranges, 'b', top, 10_000_000, ranges[2]);
  assert.deepEqual(b.ranges, [{ offset: 1_000_000, length: 4 }, { offset: 1_000_100, length: 3 }, { offset: 1_000_203, length: 1 }]);
  assert.deepEqual(b.current, { offset: 1_000_100, length: 3 });
  assert.equal(b.overview?.length, 5);
  // A range that starts before the span but reaches into it is included.
  const long = [changed(0, 2_000_000)];
  assert.deepEqual(diffDecorations(long, 'a', 1_500_000, 3_000_000).ranges, [{ offset: 0, length: 2_000_000 }]);
  assert.deepEqual(diffDecorations(ranges, 'a', 3_000_000, 10_000_000).ranges, []);
});

test('decorations: the overview stays within its bound and covers every difference', () => {
  const ranges = Array.from({ length: 50_000 }, (_, i) => changed(i * 2000 + (i % 7), 1 + (i % 3)));
  const size = 100_000_000;
  const o = overview(ranges, 'a', size);
  assert.ok(o.length <= MAX_OVERVIEW, `${o.length} ranges`);
  for (const r of ranges) {
    assert.ok(o.some((x) => x.offset <= r.offsetA && r.offsetA + r.lengthA <= x.offset + x.length), `covers ${r.offsetA}`);
  }
});

test('status bar words: k of N, N+ past the cap, identical, progress', () => {
  const base: CompareSummary = {
    sizeA: 100, sizeB: 101, mode: 'resync', complete: true, cancelled: false, identical: false, changedBytes: 5,
    onlyInA: 0, onlyInB: 1, rangeCount: 3, ranges: [], capped: false, shifts: 1, first: changed(4), last: changed(90),
  };
  assert.equal(statusText({ current: 1, kept: 3, summary: base, running: false, done: 0, total: 0 }), '$(diff) Difference 2 of 3');
  assert.equal(statusText({ current: -1, kept: 3, summary: base, running: false, done: 0, total: 0 }), '$(diff) 3 difference(s)');
  const capped = { ...base, rangeCount: 250_000, capped: true };
  assert.equal(statusText({ current: 0, kept: 100_000, summary: capped, running: false, done: 0, total: 0 }), '$(diff) Difference 1 of 100,000+');
  assert.equal(statusText({ current: -1, kept: 0, summary: { ...base, identical: true, rangeCount: 0 }, running: false, done: 0, total: 0 }), '$(check) Identical');
  assert.equal(statusText({ current: -1, kept: 2, running: true, done: 50, total: 200 }), '$(sync~spin) Comparing 25%, 2 difference(s) so far');
  assert.equal(summaryText(base), '6 byte(s) differ in 3 range(s); 1 only on the right; 1 insertion(s)/deletion(s) re-aligned; first at 0x4, last at 0x5A (left offsets); sizes 100 and 101 bytes.');
});

test("session: 'decorations' wait for init, replace each other, and are sent again to a reloaded page", async () => {
  const model = new HexDocumentModel(new MemoryByteSource(new Uint8Array(1000)));
  const sent: HostMessage[] = [];
  const session = new EditorSession(model, (m) => void sent.push(m), { fileName: 'x.bin', bytesPerRow: 16 });
  const first = diffDecorations([changed(5)], 'a', 0, 1000);
  const second = diffDecorations([changed(7)], 'a', 0, 1000);
  session.decorate(first);
  assert.equal(sent.length, 0, 'nothing before the webview is ready');
  session.decorate(second);
  session.handle({ type: 'ready' });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sent.map((m) => m.type), ['init', 'decorations']);
  assert.deepEqual(sent[1], second, 'only the latest set');
  session.decorate(first);
  assert.deepEqual(sent[2], first, 'sent at once after init');
  sent.length = 0;
  session.handle({ type: 'ready' }); // the page reloaded
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sent.map((m) => m.type), ['init', 'decorations']);
  assert.deepEqual(sent[1], first);

  const tops: number[] = [];
  const sub = session.onViewport((t) => tops.push(t));
  session.handle({ type: 'viewport', topOffset: 512 });
  sub.dispose();
  session.handle({ type: 'viewport', topOffset: 640 });
  assert.deepEqual(tops, [512]);
  assert.equal(session.topOffset, 640);
  session.dispose();
  model.dispose();
});
