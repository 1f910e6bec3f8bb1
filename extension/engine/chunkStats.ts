/**
 * UTF-8 statistics over plain reads, counted by the native kernel: the
 * backends that cannot map a file (fileSource.ts, vscodeFsSource.ts) read the
 * range chunk by chunk, and the addon counts each chunk on its background
 * thread (utf8StatsOfChunk, native/addon.cc) while the next one is read. The
 * JS decoder (jsScans.ts) runs at ~150 MB/s on the extension host's thread;
 * this runs at the kernel's speed, off it. Without the addon, the JS decoder
 * counts.
 *
 * Each chunk is read with a few bytes of the range on either side, so the
 * units at its edges are decided by the same bytes as in one whole scan; the
 * chunks' counts add up to that scan's.
 */
import { ScanOptions, Utf8Stats } from './byteSource';
import { ChunkReader, ProgressThrottle, jsUtf8Stats, throwIfAborted } from './jsScans';
import { NativeAddon, NativeUtf8Stats, loadNativeAddon } from './nativeAddon';
import { StatsPlan } from './validate';
import { Utf8Counts, emptyCounts } from '../../shared/utf8';

/** Bytes counted per chunk: ~1–3 ms of the kernel, so a cancel is prompt. */
export const NATIVE_STATS_CHUNK = 8 << 20;
/** Bytes read on either side of a chunk (the addon needs 4: a unit is decided by 3 around it, and a CRLF's CR). */
const CONTEXT = 64;

type ChunkCounter = NonNullable<NativeAddon['utf8StatsOfChunk']>;

/** Every count is a sum over the chunks. */
const SUMMED = Object.keys(emptyCounts()) as Array<keyof Utf8Counts>;

/** The statistics of plan's range, read through `read`: by the addon when it is loaded, else by jsUtf8Stats. */
export function utf8StatsOverReads(read: ChunkReader, plan: StatsPlan, opts: ScanOptions, path: string,
  chunk = NATIVE_STATS_CHUNK): Promise<Utf8Stats> {
  const count = loadNativeAddon().addon?.utf8StatsOfChunk;
  if (!count) return jsUtf8Stats(read, plan, opts, path);
  return countChunks(count, read, plan, opts, path, chunk);
}

interface Chunk { begin: number; end: number; bytesOffset: number; bytes: Uint8Array }

async function countChunks(count: ChunkCounter, read: ChunkReader, plan: StatsPlan, opts: ScanOptions, path: string,
  chunk: number): Promise<Utf8Stats> {
  const rangeStart = plan.offset;
  const rangeEnd = plan.offset + plan.length;
  const total: Utf8Stats = { ...emptyCounts(), invalidOffsets: [], bom: false };
  const progress = new ProgressThrottle(plan.length, opts.onProgress);
  const readChunk = async (begin: number): Promise<Chunk> => {
    const end = Math.min(rangeEnd, begin + chunk);
    const bytesOffset = Math.max(rangeStart, begin - CONTEXT);
    const bytes = await read(bytesOffset, Math.min(rangeEnd, end + CONTEXT) - bytesOffset);
    return { begin, end, bytesOffset, bytes };
  };
  // The next chunk is read while this one is counted: one read and one count at a time. A read is
  // marked handled when it starts, since it may fail (the source closed) while a count is awaited,
  // or be left behind by a cancel; it is still awaited, and its error thrown, when its turn comes.
  const readAhead = (begin: number): Promise<Chunk> => {
    const pending = readChunk(begin);
    pending.catch(() => undefined);
    return pending;
  };
  throwIfAborted(opts.signal, path);
  let next: Promise<Chunk> | undefined = plan.length > 0 ? readAhead(rangeStart) : undefined;
  while (next) {
    const c: Chunk = await next;
    throwIfAborted(opts.signal, path);
    next = c.end < rangeEnd ? readAhead(c.end) : undefined;
    const room = Math.max(0, plan.maxInvalidOffsets - total.invalidOffsets.length);
    add(total, await count(c.bytes, c.bytesOffset, c.begin, c.end, rangeStart, rangeEnd, room));
    progress.tick(c.end - rangeStart);
  }
  progress.finish();
  return total;
}

function add(total: Utf8Stats, part: NativeUtf8Stats): void {
  for (const key of SUMMED) total[key] += part[key];
  for (const at of part.invalidOffsets) total.invalidOffsets.push(at);
  total.bom ||= part.bom;
}
