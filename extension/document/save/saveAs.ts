/**
 * Save As: copy the file (in the kernel: fs.copyFile uses copy_file_range or
 * a reflink where the file system offers one), keep its mode bits, then write
 * the unsaved runs into the copy and fsync it. The copy runs with progress
 * (polled from the target's growing size) so multi-GB files show movement.
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import { HexmapError } from '../../engine/byteSource';
import type { OverlayRun } from '../editOverlay';
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
  // A poll's stat still in flight when the copy ends must not report after the final 100% below.
  let copied = false;
  const poll = setInterval(() => {
    fsp.stat(targetPath).then((t) => { if (!copied) options.onProgress?.(Math.min(t.size, st.size), st.size); }, () => undefined);
  }, options.progressIntervalMs ?? 200);
  try {
    await fsp.copyFile(sourcePath, targetPath);
  } catch (e) {
    throw new HexmapError(`Save As failed while copying to ${targetPath}: ${(e as Error).message}`, (e as NodeJS.ErrnoException).code ?? 'EIO', targetPath);
  } finally {
    clearInterval(poll);
    copied = true;
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
