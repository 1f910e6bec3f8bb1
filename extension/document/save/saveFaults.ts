/**
 * The fault-injection seam of the save path. Tests (and only tests) pass
 * hooks that throw to simulate ENOSPC/EIO/EACCES at a precise step, or that
 * pause so a child process can be SIGKILLed between two writes.
 * Production code passes nothing; every hook is optional.
 */
import { HexmapError } from '../../engine/byteSource';

export interface SaveFaults {
  /** Before the journal is written (a throw here is "cannot write the journal"). */
  beforeJournal?(): void | Promise<void>;
  /** After the journal is durable, before the file is touched. */
  afterJournal?(): void | Promise<void>;
  /** Before run `index` is written. */
  beforeWrite?(index: number, offset: number, length: number): void | Promise<void>;
  /** After run `index` was written (not yet flushed). */
  afterWrite?(index: number): void | Promise<void>;
  /** Before the flush (msync + fsync). */
  beforeFlush?(): void | Promise<void>;
  /** After the flush, before the journal is disarmed. */
  beforeJournalDisarm?(): void | Promise<void>;
  /** Before each rollback write (a throw makes the rollback fail). */
  beforeRollbackWrite?(index: number): void | Promise<void>;
}

/** An error shaped like the OS's, for fault hooks: `injectedError('ENOSPC')`. */
export function injectedError(code: 'ENOSPC' | 'EIO' | 'EACCES' | string, path = '(injected)'): HexmapError {
  const text: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EIO: 'input/output error',
    EACCES: 'permission denied',
  };
  return new HexmapError(`${code}: ${text[code] ?? 'injected failure'}, write '${path}'`, code, path);
}
