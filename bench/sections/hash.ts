/**
 * Hashing the whole cached mixed file through hashPieces, the same worker
 * "Hexmap: Compute Hash…" uses: SHA-256 alone, CRC-32 alone, and all five
 * algorithms in one pass. Each is compared with a plain read of the file in
 * the same run (the floor: a hash cannot beat reading the bytes). Warm: the
 * baseline read runs first and fills the page cache.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { HashAlgorithm } from '../../extension/hash/algorithms';
import { hashPieces } from '../../extension/hash/hashPieces';
import { percentile, type BenchContext, type BenchRow } from '../types';

const gbps = (bytes: number, ms: number) => Math.round((bytes / 1e9 / (ms / 1000)) * 100) / 100;

/** Reads the file front to back in 8 MiB chunks, as the hash worker does, and does nothing with the bytes. */
function plainRead(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = new Uint8Array(8 << 20);
    for (let at = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, at);
      if (n === 0) break;
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

export default async function hashSection(ctx: BenchContext): Promise<BenchRow[]> {
  const size = ctx.size;
  const gb = (size / 1e9).toFixed(1);
  const whole = [{ kind: 'disk' as const, offset: 0, length: size }];
  const hash = (algorithms: HashAlgorithm[]) => () => hashPieces(ctx.file, whole, algorithms);

  ctx.log(`hash: plain read of the ${gb} GB file (baseline)`);
  const baseline = gbps(size, percentile(await ctx.time(() => plainRead(ctx.file), 2, 1), 50));
  const rows: BenchRow[] = [
    { key: 'hash_read_baseline_gbps', metric: `plain fs read of the whole ${gb} GB file in 8 MiB chunks (baseline)`, value: baseline, unit: 'GB/s', note: 'warm' },
  ];
  const measure = async (key: string, metric: string, algorithms: HashAlgorithm[], iterations: number) => {
    ctx.log(`hash: ${metric}`);
    const value = gbps(size, percentile(await ctx.time(hash(algorithms), iterations, 0), 50));
    rows.push({ key, metric, value, unit: 'GB/s', comparison: `${Math.round((value / baseline) * 100)}% of the plain read (${baseline} GB/s)`, note: 'warm' });
  };
  await measure('hash_sha256_gbps', `SHA-256 of the whole ${gb} GB file (worker)`, ['sha256'], 2);
  await measure('hash_crc32_gbps', `CRC-32 of the whole ${gb} GB file (worker)`, ['crc32'], 2);
  await measure('hash_all_gbps', `all five algorithms in one pass over the ${gb} GB file (worker)`, ['crc32', 'adler32', 'md5', 'sha1', 'sha256'], 1);
  return rows;
}
