/**
 * The edit model: Replace All of 20,000 matches as the host handles it (the
 * webview's 'editBatch' message through the session: validation, one batch
 * step, one 'changed' message), memory per edit through the model's own
 * accounting and the heap, and edits once the document holds 100k+ pieces.
 *
 * Floors from the same run: structured-cloning the batch message (what
 * receiving it from the webview costs at least), and allocating the edits'
 * bytes. Edits stay in memory; nothing is saved.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { EditorSession } from '../../extension/editor/editorSession';
import { openByteSource } from '../../extension/engine/openByteSource';
import type { HostMessage } from '../../shared/protocol';
import { percentile, type BenchContext, type BenchRow } from '../types';

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

export default async function modelSection(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };

  // Replace All: 20,000 matches spread over the file, each replaced by a longer text (the size changes).
  const matches = 20_000;
  const spacing = Math.floor(ctx.size / (matches + 1));
  const replacement = new TextEncoder().encode('replaced!');
  const edits = Array.from({ length: matches }, (_, i) => ({ offset: (i + 1) * spacing, deleteLength: 6, bytes: replacement }));
  const message = { type: 'editBatch', label: 'Replace All', edits };
  ctx.log('model: Replace All of 20,000 matches through the session (mapped or file backend)');
  const times: number[] = [];
  let changedMessages = 0;
  let steps = 0;
  for (let run = 0; run < 5; run++) {
    const source = await openByteSource(ctx.file, { writable: true });
    const model = new HexDocumentModel(source);
    const posted: HostMessage[] = [];
    const session = new EditorSession(model, (m) => { posted.push(m); }, { fileName: 'bench', bytesPerRow: 16 });
    const t0 = performance.now();
    session.handle(message);
    times.push(performance.now() - t0);
    changedMessages = posted.filter((m) => m.type === 'changed').length;
    steps = model.historyLength;
    session.dispose();
    model.dispose();
  }
  times.sort((a, b) => a - b);
  const ms = percentile(times, 50);
  const cloneTimes = await ctx.time(() => structuredClone(message), 5, 1);
  const cloneMs = percentile(cloneTimes, 50);
  rows.push({
    key: 'replace_all_20k_ms', metric: 'Replace All of 20,000 matches: host time for the editBatch message', value: round(ms), unit: 'ms',
    comparison: `target <= 500; ${steps} undo step(s), ${changedMessages} changed message(s); ${round(ms / cloneMs)}x a structured clone of the message (${round(cloneMs)} ms)`,
  });
  rows.push({ key: 'replace_all_20k_vs_clone', metric: 'Replace All host time / structured clone of its message', value: round(ms / cloneMs), unit: 'x' });

  // Memory per edit: 100,000 one-byte overwrites scattered over the file.
  ctx.log('model: memory of 100,000 scattered one-byte edits');
  {
    const source = await openByteSource(ctx.file, { writable: true });
    const model = new HexDocumentModel(source);
    const random = seeded(7);
    const n = 100_000;
    const before = heap();
    for (let i = 0; i < n; i++) model.edit(Math.floor(random() * (ctx.size - 1)), Uint8Array.of(i & 255), 'Edit');
    const grown = heap() - before;
    rows.push({
      key: 'edit_model_bytes_per_edit', metric: `edit model memory per 1-byte edit (${n} edits: pieces + undo history, model accounting)`,
      value: round(model.retainedBytes() / n, 0), unit: 'bytes', comparison: `heap delta ${round(grown / n, 0)} bytes per edit; independent of file size`,
    });
    // Edits with 100k+ pieces in the document.
    const t0 = performance.now();
    const more = 10_000;
    for (let i = 0; i < more; i++) model.replace(Math.floor(random() * model.size), 0, Uint8Array.of(i & 255), 'Insert');
    const per = ((performance.now() - t0) * 1000) / more;
    rows.push({ key: 'edit_model_us_per_insert_100k_pieces', metric: `insert of one byte with ${model.pieceCount} pieces in the document`, value: round(per), unit: 'us' });
    model.dispose();
  }

  // Typing inside a large paste: what 100 typed bytes retain beyond the paste.
  ctx.log('model: 100 bytes typed inside an 8 MiB paste');
  {
    const source = await openByteSource(ctx.file, { writable: true });
    const model = new HexDocumentModel(source);
    const paste = new Uint8Array(8 << 20).fill(0x41);
    const at = Math.min(1 << 20, Math.max(0, ctx.size - paste.length));
    model.edit(at, paste, 'Paste');
    const base = model.retainedBytes();
    const random = seeded(9);
    for (let i = 0; i < 100; i++) model.edit(at + Math.floor(random() * paste.length), Uint8Array.of(i), 'Type');
    rows.push({
      key: 'edit_model_typing_in_paste_kib', metric: 'memory retained by 100 bytes typed inside an 8 MiB paste (beyond the paste)',
      value: round((model.retainedBytes() - base) / 1024), unit: 'KiB', comparison: 'the paste itself is 8192 KiB',
    });
    model.dispose();
  }
  return rows;
}
