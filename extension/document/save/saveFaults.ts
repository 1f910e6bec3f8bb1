/**
 * The fault-injection seam of the save path. Tests (and only tests, and the
 * bench, to time phases) pass a hook that is called at every phase boundary
 * of a save and of a shift; it may throw (to simulate ENOSPC, EIO, EACCES at
 * a precise step) or pause (so a child process can be SIGKILLed exactly
 * there). Production code passes nothing.
 */
import { HexmapError } from '../../engine/byteSource';

/**
 * The boundaries, in order of a save:
 *   checked        identity and size checked, plan made, nothing written
 *   preserved      the model keeps copies of the bytes about to go
 *   journal        about to write the journal (a throw here is "cannot write the journal")
 *   journal-armed  the journal is durable, the file untouched
 *   run-written    overwrite run `index` written (not yet durable)
 *   extended       the file was extended to its new size (growing shift)
 *   block-logged   shift block `index`: its saved old bytes are durable in the journal
 *   block-chunk    shift block `index`: about to write one chunk of it
 *   block-written  shift block `index` written and durable
 *   moved          every block written, the journal says so
 *   truncated      the file was cut to its new size (shrinking shift)
 *   flushed        everything durable, the journal still armed
 *   rechecked      identity and written bytes re-checked after the writes
 *   disarmed       the journal is disarmed: the save is complete
 *   rollback-write about to write back the old bytes of block/run `index`
 */
export type SavePhase =
  | 'checked' | 'preserved' | 'journal' | 'journal-armed' | 'run-written' | 'extended' | 'block-logged' | 'block-chunk'
  | 'block-written' | 'moved' | 'truncated' | 'flushed' | 'rechecked' | 'disarmed' | 'rollback-write';

export const SAVE_PHASES: readonly SavePhase[] = [
  'checked', 'preserved', 'journal', 'journal-armed', 'run-written', 'extended', 'block-logged', 'block-chunk',
  'block-written', 'moved', 'truncated', 'flushed', 'rechecked', 'disarmed', 'rollback-write',
];

export interface SaveFaults {
  at?(phase: SavePhase, index?: number): void | Promise<void>;
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
