/**
 * Saving costs what changed, not the file size. Measured on the bench's
 * mixed file (8 GB with `--size 8G`) through the real save path: journal
 * armed and fdatasynced, runs written through the mapping, msync + fsync,
 * journal disarmed. Phases are timed through the save's fault seam hooks, so
 * the table says where the time goes.
 *
 * The section edits the shared cached file, so it stays clear of the planted
 * needles and, in `finally`, saves the original bytes back: the file ends
 * byte-for-byte as it started. (A sparse scratch file would be cheaper, but
 * reading a hole through a mapping costs milliseconds per page here and would
 * measure the file system, not the save.)
 */
import { join } from 'node:path';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveInPlace } from '../../extension/document/save/saveInPlace';
import { openByteSource } from '../../extension/engine/openByteSource';
import { percentile, type BenchContext, type BenchRow } from '../types';

interface Phases { read: number; journal: number; write: number; flush: number; total: number }

export default async function saveSection(ctx: BenchContext): Promise<BenchRow[]> {
  const journalDir = join(ctx.scratch, 'save-journal');
  const gb = (ctx.size / 1e9).toFixed(1);
  const rows: BenchRow[] = [];
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const nearNeedle = (o: number) => ctx.needles.some((n) => n.offsets.some((p) => Math.abs(p - o) < 4096));
  const pick = () => {
    for (;;) {
      const o = Math.floor(random() * (ctx.size - 1));
      if (!nearNeedle(o)) return o;
    }
  };

  /** One save through the real path; returns its phases in ms. */
  const timedSave = async (model: HexDocumentModel): Promise<Phases> => {
    const t0 = performance.now();
    const marks: Partial<Phases> = {};
    const mark = (k: keyof Phases) => () => void (marks[k] = performance.now() - t0);
    const { runs, at } = model.beginSave();
    const result = await saveInPlace(model.source, runs, {
      journalDir,
      faults: { at: (phase) => { const k = ({ journal: 'read', 'journal-armed': 'journal', moved: 'write', flushed: 'flush' } as Record<string, keyof Phases>)[phase]; if (k) mark(k)(); if (phase === 'run-written') marks.write = performance.now() - t0; } },
    });
    const total = performance.now() - t0;
    model.completeSave(result.runs, at);
    const m = { read: 0, journal: 0, write: 0, flush: 0, ...marks };
    return { read: m.read, journal: m.journal - m.read, write: m.write - m.journal, flush: m.flush - m.write, total };
  };

  for (const backend of ['mapped', 'file'] as const) {
    let source;
    try {
      source = await openByteSource(ctx.file, { backend });
    } catch (e) {
      ctx.log(`save: ${backend} backend unavailable (${(e as Error).message})`);
      continue;
    }
    const model = new HexDocumentModel(source);
    const originals = new Map<number, number>();
    const edit = async (offset: number, value: number) => {
      if (!originals.has(offset)) originals.set(offset, (await source.read(offset, 1))[0]);
      model.edit(offset, Uint8Array.of(value), 'Edit');
    };
    try {
      ctx.log(`save: one changed byte in a ${gb} GB file (${backend})`);
      const one: Phases[] = [];
      for (let i = 0; i < 23; i++) {
        await edit(pick(), (random() * 256) | 0);
        const p = await timedSave(model);
        if (i >= 3) one.push(p); // 3 warm-up saves
      }
      const totals = one.map((p) => p.total).sort((a, b) => a - b);
      rows.push({
        key: backend === 'mapped' ? 'save1_8g_ms' : 'save1_8g_ms_fallback',
        metric: `save 1 changed byte, ${gb} GB file, journal + msync/fsync (${backend})`,
        value: round(percentile(totals, 50)), unit: 'ms p50', comparison: 'target <= 5 ms',
        note: `warm; p90 ${round(percentile(totals, 90))} ms; ${describe(median(one))}`,
      });

      if (backend === 'mapped') {
        ctx.log('save: 10,000 scattered one-byte edits');
        const tenK: Phases[] = [];
        for (let round_ = 0; round_ < 3; round_++) {
          for (let i = 0; i < 10_000; i++) await edit(pick(), i & 255);
          tenK.push(await timedSave(model));
        }
        const m = median(tenK);
        rows.push({
          key: 'save10k_ms', metric: `save 10,000 scattered 1-byte edits, ${gb} GB file (mapped)`,
          value: round(m.total), unit: 'ms p50', comparison: 'target <= 100 ms',
          note: `warm, 3 runs; ${describe(m)} (each edit dirties its own page: the flush writes 10,000 pages to disk)`,
        });
      }
    } finally {
      // Put the shared file back exactly as it was.
      for (const [offset, value] of originals) model.edit(offset, Uint8Array.of(value), 'Restore');
      await timedSave(model);
      model.dispose();
    }
  }

  // Edit-model memory: grows with the edits, not with the file. Edits only
  // touch the overlay and the history; nothing is saved, so nothing is written.
  const source = await openByteSource(ctx.file, { backend: 'file' });
  const model = new HexDocumentModel(source);
  const edits = 100_000;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  for (let i = 0; i < edits; i++) model.edit(pick(), Uint8Array.of(i & 255), 'Edit');
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  rows.push({
    key: 'edit_model_bytes_per_edit', metric: `edit model memory per 1-byte edit (${edits} edits: overlay + undo history)`,
    value: round((heapAfter - heapBefore) / edits), unit: 'bytes', comparison: 'independent of file size',
    note: gc ? 'heap delta after gc' : 'heap delta (node --expose-gc gives a tighter figure)',
  });
  model.dispose();
  return rows;
}

function median(list: Phases[]): Phases {
  const at = (k: keyof Phases) => list.map((p) => p[k]).sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return { read: at('read'), journal: at('journal'), write: at('write'), flush: at('flush'), total: at('total') };
}

function describe(p: Phases): string {
  return `read old ${round(p.read)} / journal ${round(p.journal)} / write ${round(p.write)} / flush ${round(p.flush)} ms`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
