/**
 * Why a file cannot be edited, in words for the user, or undefined when it
 * can. Three causes: the process lacks write permission, the file system is
 * mounted read-only, or the file has no owner-write bit. The last one matters
 * because root passes every access() check: like VS Code's own editors, a
 * file marked read-only (chmod a-w) is treated as read-only even for root.
 */
import { constants, promises as fsp } from 'node:fs';

export async function fileReadOnlyReason(path: string): Promise<string | undefined> {
  try {
    await fsp.access(path, constants.W_OK);
  } catch (e) {
    return reasonForError(e) ?? `it cannot be opened for writing (${(e as Error).message})`;
  }
  const st = await fsp.stat(path);
  if ((st.mode & 0o200) === 0) return `the file is marked read-only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/** The user-facing reason for an errno from opening/writing, when it means "read-only". */
export function reasonForError(e: unknown): string | undefined {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'EROFS':
      return 'it is on a read-only file system';
    case 'EACCES':
    case 'EPERM':
      return 'you have no write permission for it';
    case 'ETXTBSY':
      return 'it is a running program';
    default:
      return undefined;
  }
}
