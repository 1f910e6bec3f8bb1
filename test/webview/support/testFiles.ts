/**
 * Files the webview tests open: made fresh in a temp folder per test file
 * and deleted afterwards. Big files are sparse (truncate), so a 64 GiB file
 * costs nothing on disk.
 */
import { mkdtempSync, openSync, closeSync, writeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class TestFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'hexmap-webview-'));

  /** A file holding exactly `bytes`. */
  write(name: string, bytes: Uint8Array): string {
    const path = join(this.dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  /** A sparse file of `size` bytes with `patches` written at their offsets. */
  sparse(name: string, size: number, patches: { offset: number; bytes: Uint8Array }[] = []): string {
    const path = join(this.dir, name);
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, size);
      for (const p of patches) writeSync(fd, p.bytes, 0, p.bytes.length, p.offset);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Concatenates byte arrays (and strings as UTF-8). */
export function bytesOf(...parts: (Uint8Array | string | number[])[]): Uint8Array {
  const arrays = parts.map((p) => (typeof p === 'string' ? utf8(p) : Array.isArray(p) ? Uint8Array.from(p) : p));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
}
