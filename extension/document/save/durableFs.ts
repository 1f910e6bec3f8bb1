/**
 * Small helpers that make file-system changes durable: a file's bytes are
 * fsynced, and so is its directory after a create or unlink (a directory
 * entry change is only durable once the directory itself is synced).
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes the entries of `dir` (files created, renamed or removed in it) durable.
 *
 * On Windows this does nothing, on purpose. NTFS writes directory changes
 * through its own metadata journal, so a created or removed entry survives a
 * crash once the call that made it returned; there is no directory fsync to
 * ask for. Windows also refuses the POSIX way of asking: flushing a
 * directory handle needs one opened for writing with backup semantics,
 * which Node's fs cannot open, and the read-only handle it can open fails
 * FlushFileBuffers with EPERM, which would make every save fail.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Remove `path` and make the removal durable. Missing files are fine. */
export async function unlinkDurably(path: string): Promise<void> {
  try {
    await fsp.unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await fsyncDirectory(dirname(path));
}
