/**
 * The whole-file encoding report and search over the bytes the user sees,
 * through the same functions the extension uses (documentUtf8Stats and
 * findInDocument over a HexDocumentModel-style overlay), on the cached mixed
 * file. Warm: one untimed run first, so the page cache holds the file.
 *
 * Rows: report_gbps (mapped), the UTF-16LE and windows-1252 counts by the
 * native text scans, the same report with 1,000 scattered unsaved edits,
 * the plain-read fallback backend, a plain fs read of the whole file as the
 * baseline, and findInDocument with edits (find_gbps_mapped itself is the
 * engine section's raw ByteSource.find).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import type { ByteSource } from '../../extension/engine/byteSource';
import { openByteSource } from '../../extension/engine/openByteSource';
import { documentTextStats, documentUtf8Stats } from '../../extension/search/countInDocument';
import { findInDocument } from '../../extension/search/findInDocument';
import { percentile, type BenchContext, type BenchRow } from '../types';

const gbps = (bytes: number, ms: number) => Math.round((bytes / 1e9 / (ms / 1000)) * 100) / 100;

/** 1,000 one-to-eight-byte edits spread over the file (seeded, so runs compare), in memory only. */
function scatteredEdits(source: ByteSource): HexDocumentModel {
  const size = source.size;
  const overlay = new HexDocumentModel(source);
  let seed = 99;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < 1000; i++) {
    const at = Math.floor(random() * Math.max(1, size - 8));
    overlay.edit(at, Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => 0x41 + Math.floor(random() * 26)), 'Edit');
  }
  return overlay;
}

export default async function reportSection(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const size = ctx.size;
  const gb = (size / 1e9).toFixed(1);

  ctx.log(`report: plain read of the ${gb} GB file (baseline)`);
  const baseline = percentile(await ctx.time(() => plainRead(ctx.file), 2, 1), 50);
  rows.push({ key: 'report_read_baseline_gbps', metric: `plain fs read of the whole ${gb} GB file (baseline)`, value: gbps(size, baseline), unit: 'GB/s', note: 'warm' });

  let mapped: ByteSource | undefined;
  try {
    mapped = await openByteSource(ctx.file, { backend: 'mapped', writable: false });
  } catch (e) {
    ctx.log(`report: mapped backend unavailable (${(e as Error).message})`);
  }
  if (mapped) {
    const clean = new HexDocumentModel(mapped);
    ctx.log('report: whole-file encoding report (mapped)');
    const ms = percentile(await ctx.time(() => documentUtf8Stats(clean), 3, 1), 50);
    rows.push({
      key: 'report_gbps', metric: `encoding report, whole ${gb} GB file (mapped)`, value: gbps(size, ms), unit: 'GB/s',
      comparison: `target >= 0.7 x plain read (${(0.7 * gbps(size, baseline)).toFixed(2)}); ${(gbps(size, ms) / gbps(size, baseline)).toFixed(2)} x plain read`, note: 'warm',
    });

    // The other text encodings: the native text scans (a UTF-16 pairing pass, a byte histogram).
    for (const [key, encoding, what] of [['text_utf16_gbps', 'utf-16le', 'UTF-16LE counts'], ['text_histogram_gbps', 'windows-1252', 'windows-1252 counts (byte histogram)']] as const) {
      ctx.log(`report: ${what}, whole file (mapped)`);
      const msText = percentile(await ctx.time(() => documentTextStats(clean, encoding), 3, 1), 50);
      rows.push({
        key, metric: `${what}, whole ${gb} GB file (mapped)`, value: gbps(size, msText), unit: 'GB/s',
        comparison: `${(gbps(size, msText) / gbps(size, baseline)).toFixed(2)} x plain read`, note: 'warm',
      });
    }

    // Edits stay in memory (nothing is saved); the model only edits a writable source.
    const writable = await openByteSource(ctx.file, { backend: 'mapped', writable: true });
    const edited = scatteredEdits(writable);
    ctx.log('report: with 1,000 unsaved edits (mapped)');
    const msEdited = percentile(await ctx.time(() => documentUtf8Stats(edited), 3, 1), 50);
    rows.push({
      key: 'report_gbps_edited', metric: `encoding report with 1,000 unsaved edits (mapped)`, value: gbps(size, msEdited), unit: 'GB/s',
      comparison: `${Math.round((msEdited / ms) * 100) / 100}x the clean time`, note: 'warm',
    });

    const needle = ctx.needles[0];
    if (needle) {
      const pattern = new TextEncoder().encode(needle.text);
      ctx.log('report: findInDocument of a planted needle with 1,000 unsaved edits (mapped)');
      let found = 0;
      const msFind = percentile(await ctx.time(async () => {
        const r = await findInDocument(edited, { pattern, ignoreCase: false, from: 0, backward: false, maxMatches: 1_000_000 });
        found = r.matches.length;
      }, 3, 1), 50);
      rows.push({
        key: 'find_doc_gbps_mapped', metric: `find all over disk + 1,000 unsaved edits (findInDocument, mapped)`, value: gbps(size, msFind), unit: 'GB/s',
        comparison: 'target >= 5', note: `warm; ${found} matches (${needle.offsets.length} planted)`,
      });
    }
    writable.close();
    mapped.close();
  }

  ctx.log('report: whole-file encoding report (plain-read fallback backend)');
  const file = await openByteSource(ctx.file, { backend: 'file', writable: false });
  const msFile = percentile(await ctx.time(() => documentUtf8Stats(new HexDocumentModel(file)), 1, 0), 50);
  file.close();
  rows.push({ key: 'report_gbps_fallback', metric: `encoding report, whole ${gb} GB file (plain-read fallback)`, value: gbps(size, msFile), unit: 'GB/s', note: 'page cache warm from the runs above' });
  return rows;
}

/** Reads the whole file through fs in 16 MiB pieces and discards it. */
function plainRead(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0) { /* discard */ }
  } finally {
    closeSync(fd);
  }
}
