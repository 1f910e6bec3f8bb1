/**
 * Compare: two documents of the bench size differing at 1,000 scattered
 * bytes, against the floor of reading both through the same readers
 * (HexDocumentModel over the mapping, the same 2 MiB chunks, one read at a
 * time) in the same run; the private memory the comparison adds; and the
 * time until a 1-byte insertion in the middle of a 1 GiB pair is reported
 * as a shift (the rest aligned, not "different").
 *
 * The second file is a real copy of the mixed file with the 1,000 bytes
 * changed (made in the scratch folder, deleted by run.mjs), so the two
 * reads are two files in the page cache, as in use. Warm: one untimed run
 * first.
 */
import { closeSync, copyFileSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { openByteSource, nativeAddonStatus } from '../../extension/engine/openByteSource';
import { compareDocuments } from '../../extension/compare/compareEngine';
import type { CompareReader } from '../../extension/compare/types';
import { percentile, type BenchContext, type BenchRow } from '../types';

const CHUNK = 2 << 20;
const GiB = 2 ** 30;

/** Private resident memory (Linux RssAnon); file pages of the mapping are page cache, not the comparison's memory. */
function anonRss(): number | undefined {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function readBoth(a: CompareReader, b: CompareReader): Promise<void> {
  const n = Math.min(a.size, b.size);
  for (let at = 0; at < n; at += CHUNK) {
    const len = Math.min(CHUNK, n - at);
    await a.read(at, len);
    await b.read(at, len);
  }
}

/** Copies [0, length) of `from` to `to`, inserting `extra` at `at`. */
function copyWithInsertion(from: string, to: string, length: number, at?: number, extra?: Uint8Array): void {
  const src = openSync(from, 'r');
  const dst = openSync(to, 'w');
  const buf = Buffer.allocUnsafe(16 << 20);
  try {
    let out = 0;
    for (let pos = 0; pos < length;) {
      const want = Math.min(buf.length, length - pos, at !== undefined && pos < at ? at - pos : Infinity);
      const n = readSync(src, buf, 0, want, pos);
      if (n === 0) break;
      out += writeSync(dst, buf, 0, n, out);
      pos += n;
      if (extra && pos === at) out += writeSync(dst, extra, 0, extra.length, out);
    }
  } finally {
    closeSync(src);
    closeSync(dst);
  }
}

export default async function compareSection(ctx: BenchContext): Promise<BenchRow[]> {
  const backend = nativeAddonStatus().loaded ? 'mapped' : 'file';
  const gb = (ctx.size / 1e9).toFixed(1);
  const rows: BenchRow[] = [];

  // 1. The mixed file against a copy with 1,000 scattered bytes changed.
  const copy = join(ctx.scratch, 'compare-b.bin');
  ctx.log(`compare: copying the ${gb} GB file`);
  copyFileSync(ctx.file, copy);
  const fd = openSync(copy, 'r+');
  const offsets: number[] = [];
  try {
    let seed = 777;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const slot = Math.floor(ctx.size / 1000);
    const one = Buffer.alloc(1);
    for (let i = 0; i < 1000; i++) {
      const o = i * slot + Math.floor(random() * (slot - 1));
      readSync(fd, one, 0, 1, o);
      one[0] ^= 0x5a;
      writeSync(fd, one, 0, 1, o);
      offsets.push(o);
    }
  } finally {
    closeSync(fd);
  }
  const modelA = new HexDocumentModel(await openByteSource(ctx.file, { backend, writable: false }));
  const modelB = new HexDocumentModel(await openByteSource(copy, { backend, writable: false }));
  try {
    ctx.log('compare: read both (floor) and compare, warm');
    const read = await ctx.time(() => readBoth(modelA, modelB), 3, 1);
    let summary;
    let peakAnon = 0;
    const compareOnce = async () => {
      const before = anonRss();
      const timer = setInterval(() => {
        const now = anonRss();
        if (before !== undefined && now !== undefined) peakAnon = Math.max(peakAnon, now - before);
      }, 10);
      try {
        summary = await compareDocuments(modelA, modelB);
      } finally {
        clearInterval(timer);
      }
    };
    const compare = await ctx.time(compareOnce, 3, 1);
    if (!summary || (summary as { rangeCount: number }).rangeCount !== 1000 || (summary as { changedBytes: number }).changedBytes !== 1000) {
      throw new Error(`compare found ${JSON.stringify(summary && { ranges: (summary as { rangeCount: number }).rangeCount })}, expected 1000 ranges of 1 byte`);
    }
    const r = percentile(read, 50);
    const c = percentile(compare, 50);
    rows.push(
      { key: 'compare_size_bytes', metric: 'size of each compared document (the _8g_ keys are measured at this size)', value: ctx.size, unit: 'bytes', note: `${(ctx.size / GiB).toFixed(2)} GiB` },
      { key: 'compare_8g_ms', metric: `compare two ${gb} GB documents, 1,000 scattered differences (${backend})`, value: round(c), unit: 'ms p50', note: `warm, 3 runs; ${(2 * ctx.size / 1e9 / (c / 1000)).toFixed(1)} GB/s over both` },
      { key: 'compare_read_both_8g_ms', metric: `read both ${gb} GB documents in 2 MiB chunks, same readers (floor)`, value: round(r), unit: 'ms p50', note: 'warm, 3 runs' },
      { key: 'compare_vs_read', metric: 'compare time / read-both time', value: round(c / r), unit: 'x', comparison: 'target <= 1.3' },
      { key: 'compare_rss_growth_mib', metric: 'private memory (RssAnon) added during the compare', value: round(peakAnon / 2 ** 20), unit: 'MiB peak', comparison: 'target <= 64', note: 'mapped file pages are page cache, not counted' },
    );
  } finally {
    modelA.dispose();
    modelB.dispose();
  }

  // 2. A 1 GiB pair, one with a byte inserted in the middle.
  const size = Math.min(GiB, ctx.size);
  const half = Math.floor(size / 2);
  const pathA = join(ctx.scratch, 'resync-a.bin');
  const pathB = join(ctx.scratch, 'resync-b.bin');
  copyWithInsertion(ctx.file, pathA, size);
  const at = Buffer.alloc(1);
  const rd = openSync(pathA, 'r');
  readSync(rd, at, 0, 1, half);
  closeSync(rd);
  copyWithInsertion(ctx.file, pathB, size, half, Uint8Array.of(at[0] ^ 0x80));
  const a = new HexDocumentModel(await openByteSource(pathA, { backend, writable: false }));
  const b = new HexDocumentModel(await openByteSource(pathB, { backend, writable: false }));
  try {
    let reported = 0;
    let shape = '';
    const resyncOnce = async () => {
      const t0 = performance.now();
      reported = 0;
      const s = await compareDocuments(a, b, {
        onRanges: (ranges) => {
          if (!reported && ranges.some((x) => x.kind === 'inserted')) reported = performance.now() - t0;
        },
      });
      shape = `${s.rangeCount} range(s): ${s.ranges.map((x) => `${x.kind} ${x.lengthA || x.lengthB} at ${x.offsetA}`).join(', ')}; whole compare ${round(performance.now() - t0)} ms`;
      if (s.rangeCount !== 1 || s.ranges[0].kind !== 'inserted' || s.ranges[0].offsetA !== half) throw new Error(`resync: expected one insertion at ${half}, got ${shape}`);
    };
    const times: number[] = [];
    await resyncOnce(); // warm
    for (let i = 0; i < 3; i++) {
      await resyncOnce();
      times.push(reported);
    }
    times.sort((x, y) => x - y);
    rows.push({
      key: 'compare_resync_1byte_ms', metric: `time to report a 1-byte insertion at the middle of a ${(size / GiB).toFixed(2)} GiB pair as a shift`,
      value: round(percentile(times, 50)), unit: 'ms p50', note: `warm, 3 runs; ${shape}`,
    });
  } finally {
    a.dispose();
    b.dispose();
  }
  return rows;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
