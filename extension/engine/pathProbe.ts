/**
 * What a path is, found before anything opens it: the one rule both the
 * mapped and the plain-read backends apply. Opening a FIFO waits for a
 * writer (forever, on whichever thread called open), a socket or a character
 * device (/dev/zero, a terminal) never ends or never starts, so they are
 * refused with a clear message from a stat, which cannot block on them.
 *
 * - regular files open as asked;
 * - block devices and disk images behind them (/dev/loopN, /dev/sdX) open
 *   read-only, with the device's size (a stat says 0; the backends ask the
 *   device);
 * - a regular file that reports size 0 but yields bytes when read is a
 *   /proc-style file generated on read: refused, saying so, rather than shown
 *   as empty;
 * - a path with a NUL byte is refused (the OS would stop at the NUL and open
 *   another file).
 *
 * The native addon checks the descriptor again after its own open (the path
 * may change in between) and reports the same kinds; specialFileError makes
 * the message for both.
 */
import * as fs from 'node:fs';
import { HexmapError } from './byteSource';
import { osError } from './validate';

export type PathKind = 'file' | 'block-device';

export interface PathProbe {
  kind: PathKind;
}

/** A FIFO, socket, character device (or anything else that is neither a file nor a block device). */
export function specialFileError(path: string, kind: string): HexmapError {
  return new HexmapError(
    `Hexmap: cannot open ${path}: it is a ${kind}, not a file (its bytes are a stream with no fixed size, so it cannot be shown or edited in place)`,
    'ERR_HEXMAP_SPECIAL_FILE', path);
}

export function nulInPathError(path: string): HexmapError {
  return new HexmapError(`Hexmap: cannot open ${JSON.stringify(path)}: the path contains a NUL byte`, 'ERR_HEXMAP_NUL_IN_PATH', path);
}

export function directoryError(path: string): HexmapError {
  return new HexmapError(`Hexmap: cannot open ${path}: EISDIR (it is a directory)`, 'EISDIR', path);
}

export function pseudoFileError(path: string): HexmapError {
  return new HexmapError(
    `Hexmap: cannot open ${path}: it reports a size of 0 bytes but has contents (a /proc-style file, generated when read); copy it to a regular file to view it`,
    'ERR_HEXMAP_PSEUDO_FILE', path);
}

/** Argument checks every open shares: a non-empty string without NUL bytes. */
export function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('path must be a non-empty string');
  if (path.includes('\0')) throw nulInPathError(path);
  return path;
}

/** Non-blocking read-only open flags: a FIFO swapped in after the stat still cannot hold the thread. */
export const PROBE_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Classifies `path` (see the file comment); throws the errors above or the stat's errno. */
export async function probePath(path: string): Promise<PathProbe> {
  checkPath(path);
  let st: fs.Stats;
  try { st = await fs.promises.stat(path); } catch (e) { throw osError(e, path, 'open'); }
  if (st.isDirectory()) throw directoryError(path);
  if (st.isBlockDevice()) return { kind: 'block-device' };
  if (st.isFIFO()) throw specialFileError(path, 'FIFO');
  if (st.isSocket()) throw specialFileError(path, 'socket');
  if (st.isCharacterDevice()) throw specialFileError(path, 'character device');
  if (!st.isFile()) throw specialFileError(path, 'special file');
  if (st.size === 0 && await yieldsBytes(path)) throw pseudoFileError(path);
  return { kind: 'file' };
}

/** Whether a file that claims to be empty gives a byte when read. Failures count as "no". */
async function yieldsBytes(path: string): Promise<boolean> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(path, PROBE_FLAGS);
    const { bytesRead } = await handle.read(Buffer.alloc(1), 0, 1, 0);
    return bytesRead > 0;
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
