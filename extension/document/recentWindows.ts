/**
 * The bytes of the last few windows served to the views, in document
 * offsets. When another process changes the file, re-reading these (a few
 * hundred KiB at most) and comparing tells which of the bytes the user is
 * looking at changed, so the views can flash exactly those. Bounded: the
 * oldest windows are forgotten.
 */
import type { ByteRange } from '../../shared/protocol';

/** Reads document bytes as they are now. */
export type ReadNow = (offset: number, length: number) => Promise<Uint8Array>;

const MAX_WINDOWS = 8;
const MAX_BYTES = 2 << 20;

export class RecentWindows {
  private windows: { offset: number; bytes: Uint8Array }[] = [];

  remember(offset: number, bytes: Uint8Array): void {
    if (bytes.length === 0 || bytes.length > MAX_BYTES) return;
    this.windows = this.windows.filter((w) => w.offset !== offset || w.bytes.length !== bytes.length);
    this.windows.push({ offset, bytes: bytes.slice() });
    let total = this.windows.reduce((n, w) => n + w.bytes.length, 0);
    while (this.windows.length > MAX_WINDOWS || total > MAX_BYTES) total -= this.windows.shift()!.bytes.length;
  }

  /** Ranges whose disk bytes differ from what was remembered; remembers the new bytes. */
  async changedRanges(read: ReadNow, size: number): Promise<ByteRange[]> {
    const out: ByteRange[] = [];
    const kept: { offset: number; bytes: Uint8Array }[] = [];
    for (const w of this.windows) {
      const len = Math.min(w.bytes.length, size - w.offset);
      if (len <= 0) continue;
      let now: Uint8Array;
      try {
        now = await read(w.offset, len);
      } catch {
        continue; // truncated under us again: the views reload everything anyway
      }
      for (let i = 0; i < len; i++) {
        if (now[i] === w.bytes[i]) continue;
        let j = i + 1;
        while (j < len && now[j] !== w.bytes[j]) j++;
        out.push({ offset: w.offset + i, length: j - i });
        i = j;
      }
      kept.push({ offset: w.offset, bytes: now });
    }
    this.windows = kept;
    return mergeRanges(out);
  }

  clear(): void {
    this.windows = [];
  }
}

function mergeRanges(ranges: ByteRange[]): ByteRange[] {
  ranges.sort((a, b) => a.offset - b.offset);
  const out: ByteRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r.offset <= last.offset + last.length) {
      last.length = Math.max(last.length, r.offset + r.length - last.offset);
    } else out.push({ ...r });
  }
  return out;
}
