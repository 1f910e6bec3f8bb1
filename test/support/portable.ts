/**
 * File and process helpers that behave the same on Linux and on Windows, for
 * tests that would otherwise call POSIX tools (truncate, stat, rm) or rely on
 * POSIX semantics. The unit tests also run under wine's node.exe
 * (test/wine), where those tools do not exist.
 */
import { linkSync, rmSync, statSync, symlinkSync, truncateSync } from 'node:fs';

/**
 * Sets the size of `path` the way another program would: through a handle of
 * its own, opened and closed here. On Windows this fails while any process
 * has a view of the file mapped (ERROR_USER_MAPPED_FILE), which POSIX allows.
 */
export function truncateFile(path: string, size: number): void {
  truncateSync(path, size);
}

/** The size on disk, as a separate stat sees it. */
export function fileSize(path: string): number {
  return statSync(path).size;
}

/**
 * Deletes a folder tree. Windows refuses to delete a file that is still open
 * or mapped (EPERM/EBUSY), which POSIX allows; a test closes what it opened
 * before deleting. When a test failed halfway and left a file open, throwing
 * here would replace the test's own error with this one, so on Windows the
 * folder is left behind with a warning instead (under wine, in the wine
 * prefix's temp folder inside the git-ignored .wine-test/).
 */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: process.platform === 'win32' ? 3 : 0 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (process.platform !== 'win32' || !['EPERM', 'EBUSY', 'ENOTEMPTY'].includes(code ?? '')) throw e;
    console.error(`removeTree: left ${path} behind (${code}: a file in it is still open or mapped)`);
  }
}

/** Why a POSIX-only test is skipped on Windows, or false where it runs. */
export function posixOnly(why: string): string | false {
  return process.platform === 'win32' ? `POSIX only: ${why}` : false;
}

/**
 * Why a test that shrinks or rewrites a file while the mapped backend has it
 * open is skipped on Windows, or false where it runs: Windows refuses to
 * truncate a file while a view of it exists (ERROR_USER_MAPPED_FILE), so
 * there the situation the test sets up cannot happen.
 */
export function refusedWhileMappedOnWindows(backend: string, what = 'truncate'): string | false {
  return backend === 'mapped' && process.platform === 'win32' && `Windows refuses to ${what} a file while it is mapped`;
}

/**
 * The permission bits a file shows after chmod(mode): Windows keeps only a
 * read-only flag, which Node reports as 0o444 or 0o666, so group and other
 * bits cannot be kept there.
 */
export function modeAfterChmod(mode: number): number {
  if (process.platform !== 'win32') return mode & 0o7777;
  return mode & 0o200 ? 0o666 : 0o444;
}

/** Whether a test can make symbolic links: Windows needs a privilege most users lack (and wine's do not resolve). */
export const canSymlink = process.platform !== 'win32';

/**
 * Makes `alias` a second path to the file `target`: a symbolic link where
 * tests can make one, else a hard link (NTFS has them without a privilege).
 */
export function linkAlias(target: string, alias: string): void {
  if (canSymlink) symlinkSync(target, alias); else linkSync(target, alias);
}
