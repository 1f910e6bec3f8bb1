/**
 * Engine benchmark: the mapped backend against plain file reads, side by side.
 * Warm = the file is in the OS page cache (it was just generated or read).
 * Cold rows drop the page cache for the file first (posix_fadvise DONTNEED
 * through the addon); where the OS refuses, they are left out and the
 * table says so.
 */
import { closeSync, openSync, promises as fsp, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ByteSource } from '../../extension/engine/byteSource';
import { openByteSource } from '../../extension/engine/openByteSource';
import { loadNativeAddon } from '../../extension/engine/nativeAddon';
import { BenchContext, BenchRow, percentile } from '../types';

const KiB = 1024;
const GB = 1e9;

/** Offsets of 64 KiB windows spread over the file (deterministic). */
function windowOffsets(size: number, count: number): number[] {
  const out: number[] = [];
  let x = 12345;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const frac = (x / 2 ** 32 + i / count) % 1;
    out.push(Math.max(0, Math.floor(frac * Math.max(0, size - 64 * KiB))));
  }
  return out;
}

async function windowP50us(source: ByteSource, offsets: number[]): Promise<number> {
  const times: number[] = [];
  for (const o of offsets) {
    const t0 = performance.now();
    await source.read(o, Math.min(64 * KiB, source.size - o));
    times.push((performance.now() - t0) * 1000);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

/** Plain-read + TextDecoder baseline: what a JS extension without the engine would do. */
function textDecoderGbps(path: string, length: number): { gbps: number; chars: number } {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let chars = 0;
  const t0 = performance.now();
  try {
    for (let pos = 0; pos < length;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, length - pos), pos);
      if (n === 0) break;
      chars += decoder.decode(buf.subarray(0, n), { stream: pos + n < length }).length;
      pos += n;
    }
  } finally { closeSync(fd); }
  return { gbps: length / GB / ((performance.now() - t0) / 1000), chars };
}

function isUtf8Gbps(path: string, length: number): number {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(16 << 20);
  const t0 = performance.now();
  let valid = 0;
  try {
    for (let pos = 0; pos < length;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, length - pos), pos);
      if (n === 0) break;
      if (isUtf8(buf.subarray(0, n))) valid++;
      pos += n;
    }
  } finally { closeSync(fd); }
  void valid;
  return length / GB / ((performance.now() - t0) / 1000);
}

const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}x`;

export default async function engineSection(ctx: BenchContext): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { file, size } = ctx;
  const warm = 'warm (page cache)';
  rows.push({ key: 'size_bytes', metric: 'file size', value: size, unit: 'bytes', note: `${(size / 2 ** 30).toFixed(2)} GiB mixed content` });

  // Touch the whole file once through plain reads so every warm row starts from the same cache state.
  ctx.log('warming the page cache');
  isUtf8Gbps(file, size);

  // Open
  const opens = await ctx.time(async () => (await openByteSource(file, { backend: 'mapped' })).close(), 30, 3);
  const openMs = percentile(opens, 50);
  const fileOpens = await ctx.time(async () => (await openByteSource(file, { backend: 'file' })).close(), 30, 3);
  rows.push({ key: 'open_ms', metric: 'open (mapped), p50', value: openMs, unit: 'ms', comparison: `file backend ${percentile(fileOpens, 50).toFixed(3)} ms`, note: 'cost independent of size' });

  const mapped = await openByteSource(file, { backend: 'mapped', writable: true });
  const fallback = await openByteSource(file, { backend: 'file', writable: true });
  try {
    // 64 KiB windows at spread offsets.
    const offsets = windowOffsets(size, 3000);
    await windowP50us(mapped, offsets.slice(0, 200));
    const wMapped = await windowP50us(mapped, offsets);
    await windowP50us(fallback, offsets.slice(0, 200));
    const wFile = await windowP50us(fallback, offsets);
    rows.push({ key: 'window64k_p50_us_mapped', metric: '64 KiB window read, p50 (mapped)', value: wMapped, unit: 'us', comparison: `target <= 30; ${ratio(wFile, wMapped)} faster than fallback`, note: warm });
    rows.push({ key: 'window64k_p50_us_fallback', metric: '64 KiB window read, p50 (fallback)', value: wFile, unit: 'us', note: warm });

    // Find: every planted needle shares the prefix, so the whole file is searched.
    const prefix = new TextEncoder().encode('HEXMAP-NEEDLE-');
    const expected = ctx.needles.flatMap((n) => n.offsets).sort((a, b) => a - b);
    const findAll = async (s: ByteSource): Promise<void> => {
      const r = await s.find(prefix, { from: 0, maxMatches: 1_000_000 });
      if (r.matches.join() !== expected.join()) throw new Error(`find returned ${r.matches.join()} instead of ${expected.join()}`);
    };
    const fresh = await openByteSource(file, { backend: 'mapped' });
    const tFresh = (await ctx.time(() => findAll(fresh), 1, 0))[0];
    fresh.close();
    const tFind = percentile(await ctx.time(() => findAll(mapped), 3, 1), 50);
    const findMapped = size / GB / (tFind / 1000);
    const tFindFile = percentile(await ctx.time(() => findAll(fallback), 2, 0), 50);
    const findFile = size / GB / (tFindFile / 1000);
    rows.push({ key: 'find_gbps_mapped', metric: 'find (mapped, native memchr)', value: findMapped, unit: 'GB/s', comparison: `target >= 5; ${ratio(findMapped, findFile)} fallback`, note: `${warm}, mapping reused` });
    rows.push({ key: 'find_gbps_mapped_fresh_mapping', metric: 'find (mapped, first scan of a new mapping)', value: size / GB / (tFresh / 1000), unit: 'GB/s', note: `${warm}, page tables filled on the way` });
    rows.push({ key: 'find_gbps_fallback', metric: 'find (fallback: plain reads + Buffer.indexOf)', value: findFile, unit: 'GB/s', note: warm });

    // UTF-8 statistics
    const statsOnce = async (): Promise<void> => {
      const s = await mapped.utf8Stats();
      if (s.bytes !== size) throw new Error('utf8Stats did not cover the file');
    };
    const tStats = percentile(await ctx.time(statsOnce, 3, 1), 50);
    const statsMapped = size / GB / (tStats / 1000);
    const baselineLength = Math.min(size, 2 ** 31);
    const baseline = textDecoderGbps(file, baselineLength);
    const isUtf8Rate = isUtf8Gbps(file, size);
    const simd = loadNativeAddon().addon?.utf8Implementation ?? 'no addon';
    rows.push({ key: 'utf8_stats_gbps_mapped', metric: 'UTF-8 statistics (mapped, native)', value: statsMapped, unit: 'GB/s', comparison: `target >= utf8_isutf8_gbps; ${ratio(statsMapped, isUtf8Rate)} buffer.isUtf8, ${ratio(statsMapped, baseline.gbps)} TextDecoder`, note: `${warm}; counted with ${simd}` });
    rows.push({ key: 'utf8_baseline_gbps', metric: 'UTF-8 baseline: plain reads + TextDecoder', value: baseline.gbps, unit: 'GB/s', note: `${warm}; first ${(baselineLength / 2 ** 30).toFixed(0)} GiB` });
    rows.push({ key: 'utf8_isutf8_gbps', metric: 'UTF-8 validate only: plain reads + buffer.isUtf8', value: isUtf8Rate, unit: 'GB/s', comparison: 'validates, counts nothing', note: warm });
    // What a user's first report of a newly opened file costs: the kernel fills the mapping's page
    // tables on the way (the rows above reuse a mapping, as every later report does).
    const freshStats = await openByteSource(file, { backend: 'mapped' });
    const tStatsFresh = (await ctx.time(() => freshStats.utf8Stats(), 1, 0))[0];
    freshStats.close();
    rows.push({ key: 'utf8_stats_gbps_mapped_fresh_mapping', metric: 'UTF-8 statistics (mapped, first scan of a new mapping)', value: size / GB / (tStatsFresh / 1000), unit: 'GB/s', note: `${warm}, page tables filled on the way` });
    // The plain-read backend reads chunks and the addon counts them (extension/engine/chunkStats.ts).
    const tFallback = (await ctx.time(() => fallback.utf8Stats(), 1, 0))[0];
    rows.push({ key: 'utf8_stats_gbps_fallback', metric: 'UTF-8 statistics (fallback: plain reads, counted by the addon)', value: size / GB / (tFallback / 1000), unit: 'GB/s', note: warm });

    // Write one byte (its own value, so the file keeps its content) and flush it to disk.
    const writeOffsets = windowOffsets(size, 40).map((o) => o + 100);
    let k = 0;
    const writes = await ctx.time(async () => {
      const at = writeOffsets[k++ % writeOffsets.length];
      const byte = await mapped.read(at, 1);
      await mapped.write(at, byte);
      await mapped.flush(at, 1);
    }, 30, 3);
    const tWrite = percentile(writes, 50);
    k = 0;
    const fileWrites = await ctx.time(async () => {
      const at = writeOffsets[k++ % writeOffsets.length];
      const byte = await fallback.read(at, 1);
      await fallback.write(at, byte);
      await fallback.flush(at, 1);
    }, 30, 3);
    rows.push({ key: 'write1_flush_ms', metric: 'write 1 byte + flush (msync+fsync), p50', value: tWrite, unit: 'ms', comparison: `target <= 5; fallback (pwrite+fsync) ${percentile(fileWrites, 50).toFixed(2)} ms`, note: 'durable on disk' });
  } finally {
    mapped.close();
    fallback.close();
  }

  // Cold: drop the file from the page cache, then read windows / scan.
  if (ctx.evictCache(file)) {
    const cold = await openByteSource(file, { backend: 'mapped' });
    try {
      const offsets = windowOffsets(size, 200).map((o) => (o + 7 * 4096) % Math.max(1, size - 65536));
      const wCold = await windowP50us(cold, offsets);
      rows.push({ key: 'window64k_p50_us_mapped_cold', metric: '64 KiB window read, p50 (mapped)', value: wCold, unit: 'us', note: 'cold (page cache dropped)' });
    } finally { cold.close(); }
    ctx.evictCache(file);
    const coldFallback = await openByteSource(file, { backend: 'file' });
    try {
      const offsets = windowOffsets(size, 200).map((o) => (o + 13 * 4096) % Math.max(1, size - 65536));
      rows.push({ key: 'window64k_p50_us_fallback_cold', metric: '64 KiB window read, p50 (fallback)', value: await windowP50us(coldFallback, offsets), unit: 'us', note: 'cold (page cache dropped)' });
    } finally { coldFallback.close(); }
    ctx.evictCache(file);
    const coldScan = await openByteSource(file, { backend: 'mapped' });
    try {
      const t0 = performance.now();
      await coldScan.find(new TextEncoder().encode('HEXMAP-NEEDLE-'), { from: 0, maxMatches: 1_000_000 });
      rows.push({ key: 'find_gbps_mapped_cold', metric: 'find (mapped)', value: size / GB / ((performance.now() - t0) / 1000), unit: 'GB/s', note: 'cold: disk-bound' });
    } finally { coldScan.close(); }
  } else {
    rows.push({ key: 'cold_runs', metric: 'cold runs', value: 0, unit: '', note: 'skipped: the OS would not drop the page cache; all rows are warm' });
  }
  rows.push(...await hostRows(ctx));
  return rows;
}

/**
 * A good guest in the extension host: what other code on the same process sees while Hexmap works.
 * - stat p99: fs.promises.stat (the libuv pool) every 10 ms while four different whole-file scans run.
 * - event loop max: the longest stall of the JS thread across an open, 1,000 window reads from a cold
 *   cache, a whole-file report and a find.
 */
async function hostRows(ctx: BenchContext): Promise<BenchRow[]> {
  const { file, size } = ctx;
  const source = await openByteSource(file, { backend: 'mapped', writable: false });
  const latencies: number[] = [];
  try {
    ctx.log('host: fs.promises.stat every 10 ms during 4 concurrent whole-file scans');
    let running = true;
    const scans = Promise.all([
      source.utf8Stats({ maxInvalidOffsets: 10 }),
      source.utf8Stats({ maxInvalidOffsets: 11 }),
      source.find(new TextEncoder().encode('no such needle'), { from: 0, maxMatches: 1 }),
      source.find(Uint8Array.of(0xff, 0xfe, 0xfd, 0xfc, 0xfb), { from: 0, maxMatches: 1_000_000 }),
    ]).finally(() => { running = false; });
    while (running) {
      const t0 = performance.now();
      await fsp.stat(file);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    await scans;
  } finally { source.close(); }
  const statP99 = percentile(latencies.sort((a, b) => a - b), 99);

  ctx.log('host: event-loop stalls across open, 1,000 cold window reads, a report and a find');
  const cold = ctx.evictCache(file);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  // The longest stall of each phase too (the histogram restarts between phases), so the table says where it was.
  const phases: Array<[string, number]> = [];
  let longest = 0;
  const endPhase = (name: string): void => {
    phases.push([name, histogram.max / 1e6]);
    longest = Math.max(longest, histogram.max / 1e6);
    histogram.reset();
  };
  histogram.enable();
  const s = await openByteSource(file, { backend: 'mapped', writable: false });
  endPhase('open');
  try {
    for (const o of windowOffsets(size, 1000)) await s.read(o, Math.min(64 * KiB, size - o));
    endPhase('windows');
    await s.utf8Stats({ maxInvalidOffsets: 1000 });
    endPhase('report');
    await s.find(new TextEncoder().encode('HEXMAP-NEEDLE-'), { from: 0, maxMatches: 1_000_000 });
    endPhase('find');
  } finally { s.close(); }
  await new Promise((r) => setTimeout(r, 5));
  endPhase('close');
  histogram.disable();
  const where = phases.map(([name, ms]) => `${name} ${ms.toFixed(1)}`).join(', ');
  return [
    { key: 'host_stat_p99_during_scans_ms', metric: 'fs.promises.stat p99 during 4 whole-file scans', value: statP99, unit: 'ms', comparison: 'target <= 5', note: `${latencies.length} stats, every 10 ms` },
    { key: 'host_eventloop_max_ms', metric: 'longest event-loop stall: open, 1,000 windows, report, find', value: longest, unit: 'ms', comparison: `target <= 10; per phase: ${where}`, note: cold ? 'windows from a cold cache' : 'warm (the OS would not drop the cache)' },
  ];
}
