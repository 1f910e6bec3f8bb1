/**
 * Small helpers that make file-system changes durable: a file's bytes are
 * fsynced, and so is its directory after a create or unlink (a directory
 * entry change is only durable once the directory itself is synced).
 */
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

export async function fsyncDirectory(dir: string): Promise<void> {
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
