/**
 * Saving costs what changed (and, for an insert or delete, what must move),
 * measured on the bench's mixed file through the real save engine: journal
 * streamed and fdatasynced, writes, flush, journal disarmed, model rebased.
 * Every figure has its floor measured in the same run on the same file:
 *
 *   save1_floor_ms     pwrite of one byte + fdatasync of the file, and one journal-sized
 *                      write + fdatasync of a file in the journal's directory
 *   save10k_floor_ms   pwrite of the same 10,000 sorted offsets + one fdatasync
 *   copy_8g_ms         a sequential copy of the whole file + fsync (moving every byte)
 *   anchor_insert1_1g_ms  the incumbent's own save path (vscode-hexeditor), same 1 GiB copy
 *
 * The section edits the shared cached file, away from the planted needles,
 * and always puts it back: overwrites are saved back with the original
 * bytes; an insert at the head is measured, then the delete that undoes it.
 */
import { spawnSync } from 'node:child_process';
import { constants, existsSync, promises as fsp, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveSnapshot } from '../../extension/document/save/saveEngine';
import type { WritePathKind } from '../../extension/engine/fileWriter';
import { defaultWritePath } from '../../extension/engine/fileWriter';
import { openByteSource } from '../../extension/engine/openByteSource';
import { percentile, type BenchContext, type BenchRow } from '../types';

const MiB = 2 ** 20;

export default async function saveSection(ctx: BenchContext): Promise<BenchRow[]> {
  const journalDir = join(ctx.scratch, 'save-journal');
  const gb = (ctx.size / 2 ** 30).toFixed(1);
  const rows: BenchRow[] = [];
  let seed = 12345;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32; // imul: a plain multiply loses bits past 2^53 and cycles early
  const nearNeedle = (o: number, n = 1) => ctx.needles.some((needle) => needle.offsets.some((p) => p < o + n + 4096 && o < p + 4096 + needle.text.length));
  const pick = (n = 1) => {
    for (;;) {
      const o = Math.floor(random() * (ctx.size - n - 2 * MiB)) + MiB;
      if (!nearNeedle(o, n)) return o;
    }
  };

  // A fresh document for every measured save: a long-lived model would carry a
  // growing undo history into each save (the model rebases all of it), and the
  // figure would depend on how many saves ran before.
  let source = await openByteSource(ctx.file, { backend: 'auto' });
  let model = new HexDocumentModel(source);
  const fresh = async () => {
    model.dispose();
    source = await openByteSource(ctx.file, { backend: 'auto' });
    model = new HexDocumentModel(source);
  };
  const save = async (writePath: WritePathKind = defaultWritePath(), extra: Partial<Parameters<typeof saveSnapshot>[0]> = {}) => {
    const t0 = performance.now();
    await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir, writePath, ...extra });
    return performance.now() - t0;
  };
  /** Overwrite `offsets` with new bytes, save, then save the original bytes back (untimed). */
  const overwriteAndRestore = async (offsets: number[], writePath: WritePathKind, floorToo = false) => {
    await fresh();
    const originals = await Promise.all(offsets.map(async (o) => (await source.read(o, 1))[0]));
    model.editBatch(offsets.map((o, i) => ({ offset: o, deleteLength: 1, bytes: Uint8Array.of(originals[i] ^ 0x5a) })), 'Edit');
    const ms = await save(writePath);
    let floor = NaN;
    if (floorToo) floor = await pwriteFloor(ctx.file, [...offsets].sort((a, b) => a - b), offsets.map((_, i) => originals[i] ^ 0x5a), offsets);
    await fresh();
    model.editBatch(offsets.map((o, i) => ({ offset: o, deleteLength: 1, bytes: Uint8Array.of(originals[i]) })), 'Restore');
    await save(writePath);
    return { ms, floor };
  };

  try {
    // One changed byte.
    ctx.log(`save: one changed byte in a ${gb} GiB file (${defaultWritePath()})`);
    const one: number[] = [];
    const oneFloor: number[] = [];
    for (let i = 0; i < 23; i++) {
      const at = pick();
      const { ms } = await overwriteAndRestore([at], defaultWritePath());
      // Interleaved with the saves, so both see the same disk and the same load.
      const floorMs = await oneByteFloor(ctx.file, at, journalDir);
      if (i >= 3) {
        one.push(ms);
        oneFloor.push(floorMs);
      }
    }
    one.sort((a, b) => a - b);
    oneFloor.sort((a, b) => a - b);
    const one50 = percentile(one, 50);
    const oneFloor50 = percentile(oneFloor, 50);
    rows.push({
      key: 'save1_8g_ms', metric: `save 1 changed byte, ${gb} GiB file (journal + write + fdatasync, ${defaultWritePath()})`,
      value: round(one50), unit: 'ms p50', comparison: `target <= 2 ms; ${round(one50 / oneFloor50)}x floor`, note: `warm; p90 ${round(percentile(one, 90))} ms`,
    });
    rows.push({
      key: 'save1_floor_ms', metric: 'floor: pwrite 1 byte + fdatasync, and one journal-sized write + fdatasync, same disk',
      value: round(oneFloor50), unit: 'ms p50', note: `p90 ${round(percentile(oneFloor, 90))} ms`,
    });
    rows.push({ key: 'save1_vs_floor', metric: 'save 1 changed byte / floor', value: round(one50 / oneFloor50), unit: 'x' });

    // 10,000 scattered one-byte edits through each write path, and the floor.
    ctx.log('save: 10,000 scattered one-byte edits');
    const unique = new Set<number>();
    while (unique.size < 10_000) unique.add(pick());
    const offsets = [...unique];
    const byPath: Record<WritePathKind, number[]> = { pwrite: [], mapped: [] };
    const floors: number[] = [];
    for (let r = 0; r < 3; r++) {
      for (const path of ['pwrite', 'mapped'] as const) {
        if (path === 'mapped' && source.kind !== 'mapped') continue;
        const { ms, floor } = await overwriteAndRestore(offsets, path, path === 'pwrite');
        byPath[path].push(ms);
        if (path === 'pwrite') floors.push(floor);
      }
    }
    const med = (l: number[]) => [...l].sort((a, b) => a - b)[Math.floor(l.length / 2)];
    const floor = med(floors);
    const chosen = med(byPath[defaultWritePath()]);
    rows.push({ key: 'save10k_ms', metric: `save 10,000 scattered 1-byte edits, ${gb} GiB file (default: ${defaultWritePath()})`, value: round(chosen), unit: 'ms p50', comparison: `${round(chosen / floor)}x floor`, note: '3 runs' });
    if (byPath.mapped.length) rows.push({ key: 'save10k_mapped_ms', metric: 'save 10,000 edits, stores through the mapping + msync', value: round(med(byPath.mapped)), unit: 'ms p50', comparison: `${round(med(byPath.mapped) / floor)}x floor` });
    rows.push({ key: 'save10k_pwrite_ms', metric: 'save 10,000 edits, pwrite + fdatasync', value: round(med(byPath.pwrite)), unit: 'ms p50', comparison: `${round(med(byPath.pwrite) / floor)}x floor` });
    rows.push({ key: 'save10k_floor_ms', metric: 'floor: pwrite of the same 10,000 sorted offsets + fdatasync', value: round(floor), unit: 'ms p50' });
    rows.push({ key: 'save10k_vs_floor', metric: 'save 10,000 edits / floor', value: round(chosen / floor), unit: 'x', comparison: 'target <= 1.5' });

    // 256 MiB of edits: the event loop and the memory while saving.
    const editBytes = Math.min(256 * MiB, Math.floor(ctx.size / 4));
    ctx.log(`save: ${editBytes / MiB} MiB of edits (event loop, RSS)`);
    const runs: { offset: number; bytes: Uint8Array; old: Uint8Array }[] = [];
    for (let done = 0; done < editBytes; done += 4 * MiB) {
      const n = Math.min(4 * MiB, editBytes - done);
      let o = pick(n);
      while (runs.some((r) => o < r.offset + r.bytes.length + 4096 && r.offset < o + n + 4096)) o = pick(n);
      const old = new Uint8Array(n);
      old.set(await source.read(o, n));
      const bytes = old.map((b) => b ^ 0xa5);
      runs.push({ offset: o, bytes, old });
    }
    await fresh();
    model.editBatch(runs.map((r) => ({ offset: r.offset, deleteLength: r.bytes.length, bytes: r.bytes })), 'Paste');
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssMax = rssBefore;
    // memoryUsage.rss(), not memoryUsage(): the full call walks the heap's spaces, which would show in the event loop figure.
    const sampler = setInterval(() => (rssMax = Math.max(rssMax, process.memoryUsage.rss())), 5);
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    const bigMs = await save();
    loop.disable();
    clearInterval(sampler);
    rssMax = Math.max(rssMax, process.memoryUsage.rss());
    await fresh();
    model.editBatch(runs.map((r) => ({ offset: r.offset, deleteLength: r.old.length, bytes: r.old })), 'Restore');
    await save();
    rows.push({
      key: 'save256m_eventloop_max_ms', metric: `event loop delay max while saving ${editBytes / MiB} MiB of edits`,
      value: round(loop.max / 1e6), unit: 'ms', comparison: 'target <= 20 ms', note: `save took ${round(bigMs)} ms; p99 ${round(loop.percentile(99) / 1e6)} ms`,
    });
    rows.push({
      key: 'save256m_rss_growth_mib', metric: `RSS growth while saving ${editBytes / MiB} MiB of edits`,
      value: round((rssMax - rssBefore) / MiB), unit: 'MiB', comparison: `target <= ${round((2 * editBytes) / MiB + 64)} MiB (2x edits + 64)`,
    });

    // Inserting and deleting at the head: every byte moves. The floor: copying the file.
    ctx.log('save: copy floor');
    const copyPath = join(ctx.scratch, 'copy-floor.bin');
    const copyMs = await copyFloor(ctx.file, copyPath);
    // Gone before the insert: its pages would otherwise crowd the file's out of the page cache.
    await fsp.rm(copyPath, { force: true });
    rows.push({ key: 'copy_8g_ms', metric: `floor: sequential copy of the ${gb} GiB file + fsync`, value: round(copyMs), unit: 'ms' });
    ctx.log('save: insert 1 byte at the head (moves the whole file), then delete it');
    await fresh();
    model.replace(0, 0, Uint8Array.of(0xa5), 'Insert');
    const headMs = await save();
    await fresh();
    model.replace(0, 1, new Uint8Array(0), 'Delete');
    const delMs = await save();
    rows.push({ key: 'insert1_head_8g_ms', metric: `insert 1 byte at offset 0 of the ${gb} GiB file, save (journaled shift, durable)`, value: round(headMs), unit: 'ms', comparison: `${round(headMs / copyMs)}x copy` });
    rows.push({ key: 'insert1_head_vs_copy', metric: 'insert at the head / copy floor', value: round(headMs / copyMs), unit: 'x', comparison: 'target <= 1.2' });
    rows.push({ key: 'delete1_head_8g_ms', metric: `delete 1 byte at offset 0 of the ${gb} GiB file, save`, value: round(delMs), unit: 'ms', comparison: `${round(delMs / copyMs)}x copy` });

    ctx.log('save: insert 1 byte 1 MiB before the end');
    const tailAt = ctx.size - MiB;
    await fresh();
    model.replace(tailAt, 0, Uint8Array.of(0xa5), 'Insert');
    const tailMs = await save();
    await fresh();
    model.replace(tailAt, 1, new Uint8Array(0), 'Delete');
    await save();
    rows.push({ key: 'insert1_tail_ms', metric: `insert 1 byte 1 MiB before the end of the ${gb} GiB file, save`, value: round(tailMs), unit: 'ms', comparison: 'target <= 20 ms' });
  } finally {
    model.dispose();
  }

  rows.push(...(await anchorSideBySide(ctx)));
  return rows;
}

/** The incumbent's save of one inserted byte and Hexmap's, on the same 1 GiB copy. */
async function anchorSideBySide(ctx: BenchContext): Promise<BenchRow[]> {
  const anchor = join(ctx.root, '..', 'shared', 'anchors', 'vscode-hexeditor-core-bench.js');
  if (!existsSync(anchor)) {
    ctx.log(`save: anchor not found at ${anchor}; skipping the side-by-side insert`);
    return [];
  }
  const size = Math.min(2 ** 30, ctx.size);
  const copy = join(ctx.scratch, 'anchor-1g.bin');
  await copyFloor(ctx.file, copy, size);
  try {
    const at = Math.floor(size / 3) + 7;
    ctx.log('save: anchor (vscode-hexeditor) inserts 1 byte in a 1 GiB copy');
    const r = spawnSync(process.execPath, [anchor, '--file', copy, '--needle', '00', '--reads', '1', '--insert-at', String(at)], { encoding: 'utf8', maxBuffer: 16 * MiB });
    let anchorMs = NaN;
    try {
      anchorMs = JSON.parse(r.stdout).save.insert_1_byte.ms;
    } catch {
      ctx.log(`save: anchor failed: ${r.stderr.slice(0, 500)}`);
    }
    // Hexmap on the same copy (as the anchor left it), same offset.
    const source = await openByteSource(copy);
    const model = new HexDocumentModel(source);
    model.replace(at, 0, Uint8Array.of(0xa5), 'Insert');
    const t0 = performance.now();
    await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: join(ctx.scratch, 'anchor-journal') });
    const ours = performance.now() - t0;
    model.dispose();
    return [
      { key: 'anchor_insert1_1g_ms', metric: 'vscode-hexeditor: insert 1 byte at 1/3 of a 1 GiB file, save (tmp + rename)', value: round(anchorMs), unit: 'ms' },
      { key: 'insert1_mid_1g_ms', metric: 'Hexmap: insert 1 byte at 1/3 of the same 1 GiB file, save (journaled shift, durable)', value: round(ours), unit: 'ms', comparison: `${round(ours / anchorMs)}x the incumbent` },
    ];
  } finally {
    await fsp.rm(copy, { force: true });
  }
}

/** pwrite one byte at each sorted offset, then one fdatasync: what the kernel and the disk charge for these writes. */
async function pwriteFloor(path: string, sorted: number[], values: number[], offsets: number[]): Promise<number> {
  const valueAt = new Map(offsets.map((o, i) => [o, values[i]]));
  const handle = await fsp.open(path, 'r+');
  try {
    const t0 = performance.now();
    // Issued the cheapest way (synchronous pwrite into the page cache), as the save issues small runs.
    for (const o of sorted) writeSync(handle.fd, Uint8Array.of(valueAt.get(o)!), 0, 1, o);
    await handle.datasync();
    return performance.now() - t0;
  } finally {
    await handle.close();
  }
}

/**
 * What the disk charges a durable one-byte save at the least: the byte
 * written in place and fdatasynced, and a journal record of the same size
 * as the save's (a few hundred bytes) written and fdatasynced in the journal
 * directory first. The journal file is kept from run to run, as the save's is.
 */
async function oneByteFloor(path: string, offset: number, journalDir: string): Promise<number> {
  await fsp.mkdir(journalDir, { recursive: true });
  const record = new Uint8Array(512).fill(0x4a);
  const journal = await fsp.open(join(journalDir, 'floor.bin'), constants.O_RDWR | constants.O_CREAT);
  const file = await fsp.open(path, 'r+');
  try {
    const old = new Uint8Array(1);
    readSync(file.fd, old, 0, 1, offset);
    const t0 = performance.now();
    await journal.write(record, 0, record.length, 0);
    await journal.datasync();
    await file.write(old, 0, 1, offset); // the byte it already holds: the file stays as it was
    await file.datasync();
    return performance.now() - t0;
  } finally {
    await file.close();
    await journal.close();
  }
}

/** Copy the first `size` bytes with sequential 4 MiB reads and writes, then fsync: the floor for moving them. */
async function copyFloor(from: string, to: string, size?: number): Promise<number> {
  const src = await fsp.open(from, 'r');
  const dst = await fsp.open(to, 'w');
  const buf = new Uint8Array(4 * MiB);
  try {
    const total = size ?? (await src.stat()).size;
    const t0 = performance.now();
    for (let at = 0; at < total;) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, total - at), at);
      if (bytesRead === 0) break;
      for (let done = 0; done < bytesRead;) done += (await dst.write(buf, done, bytesRead - done, at + done)).bytesWritten;
      at += bytesRead;
    }
    await dst.sync();
    return performance.now() - t0;
  } finally {
    await src.close();
    await dst.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
