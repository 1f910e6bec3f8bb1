/**
 * Save As. A document whose size never changed: copy the file (in the kernel: fs.copyFile uses copy_file_range or
 * a reflink where the file system offers one), keep its mode bits, then write
 * the unsaved runs into the copy and fsync it. The copy runs with progress
 * (polled from the target's growing size) so multi-GB files show movement.
 * Any other document: saveSnapshotAs streams the new content.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { HexmapError } from '../../engine/byteSource';
import type { OverlayRun } from '../editOverlay';
import type { Snapshot } from '../snapshot';
import { fsyncDirectory } from './durableFs';

export interface SaveAsOptions {
  /** Bytes copied so far out of the total. */
  onProgress?(done: number, total: number): void;
  /** Polling interval for progress (ms). */
  progressIntervalMs?: number;
}

export async function saveCopyAs(sourcePath: string, targetPath: string, runs: readonly OverlayRun[], options: SaveAsOptions = {}): Promise<void> {
  if (sourcePath === targetPath) throw new HexmapError('Save As needs a different target file.', 'EINVAL', targetPath);
  const st = await fsp.stat(sourcePath);
  const poll = setInterval(() => {
    fsp.stat(targetPath).then((t) => options.onProgress?.(Math.min(t.size, st.size), st.size), () => undefined);
  }, options.progressIntervalMs ?? 200);
  try {
    await fsp.copyFile(sourcePath, targetPath);
  } catch (e) {
    throw new HexmapError(`Save As failed while copying to ${targetPath}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', targetPath);
  } finally {
    clearInterval(poll);
  }
  options.onProgress?.(st.size, st.size);
  const handle = await fsp.open(targetPath, 'r+');
  try {
    await handle.chmod(st.mode & 0o7777);
    for (const run of runs) {
      let done = 0;
      while (done < run.bytes.length) done += (await handle.write(run.bytes, done, run.bytes.length - done, run.offset + done)).bytesWritten;
    }
    await handle.sync();
  } catch (e) {
    throw new HexmapError(`Save As failed while writing the edits to ${targetPath}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', targetPath);
  } finally {
    await handle.close();
  }
  await fsyncDirectory(dirname(targetPath));
}

export interface StreamSaveAsOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Mode bits for the new file (the source file's). */
  mode?: number;
}

/**
 * Save As of any snapshot (sizes changed or not): stream its pieces into
 * the new file in order, disk ranges read from the source file and bytes
 * from memory, one chunk at a time; then fsync the file and its directory.
 * A failure or Cancel removes the partial target and leaves the source as
 * it is.
 */
export async function saveSnapshotAs(
  snapshot: Snapshot, readDisk: (offset: number, length: number) => Promise<Uint8Array>, targetPath: string, options: StreamSaveAsOptions = {},
): Promise<void> {
  const handle = await fsp.open(targetPath, 'w', options.mode ?? 0o644).catch((e) => {
    throw new HexmapError(`Save As could not create ${targetPath}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', targetPath);
  });
  let at = 0;
  try {
    for (const piece of snapshot.pieces) {
      const length = piece.kind === 'disk' ? piece.length : piece.bytes.length;
      for (let o = 0; o < length; o += STREAM_CHUNK) {
        if (options.signal?.aborted) throw new HexmapError('Save As was cancelled.', 'ERR_HEXMAP_CANCELLED', targetPath);
        const n = Math.min(STREAM_CHUNK, length - o);
        const bytes = piece.kind === 'disk' ? await readDisk(piece.offset + o, n) : piece.bytes.subarray(o, o + n);
        for (let done = 0; done < n;) done += (await handle.write(bytes, done, n - done, at + done)).bytesWritten;
        at += n;
        options.onProgress?.(at, snapshot.size);
      }
    }
    await handle.truncate(at);
    if (options.mode !== undefined) await handle.chmod(options.mode & 0o7777);
    await handle.sync();
    await handle.close();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await fsp.unlink(targetPath).catch(() => undefined);
    if (e instanceof HexmapError) throw e;
    throw new HexmapError(`Save As failed while writing ${targetPath}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', targetPath);
  }
  await fsyncDirectory(dirname(targetPath));
}

const STREAM_CHUNK = 4 << 20;
