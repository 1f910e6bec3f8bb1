/**
 * Invalid sequences on the scrollbar. Only a whole-file scan knows where
 * they are, and Hexmap runs one only when asked (the encoding report): when
 * it finishes, every editor of that document gets the offsets it found (the
 * first REPORT_INVALID_OFFSETS, with the exact total), and they are taken
 * away again as soon as the bytes change, since they would no longer be
 * where the scan saw them.
 */
import type { DocumentModel, Disposable } from '../document/documentModel';
import type { InvalidMarksMessage } from '../../shared/protocol';

/** What a finished whole-file scan found. */
export interface ScanFindings { invalidOffsets: readonly number[]; invalid: number }

type Listener = (model: DocumentModel, findings: ScanFindings) => void;
const listeners = new Set<Listener>();

/** Called by the scan's owner (the encoding report) when a whole-file scan of `model` completed. */
export function wholeFileScanned(model: DocumentModel, findings: ScanFindings): void {
  for (const l of [...listeners]) l(model, findings);
}

/**
 * Sends each scan's invalid offsets to the editors of its document (`post`
 * reaches every editor showing `model`), and an empty set once the bytes change.
 */
export function showInvalidMarks(post: (model: DocumentModel, m: InvalidMarksMessage) => void): Disposable & { latest(model: DocumentModel): InvalidMarksMessage | undefined } {
  const watching = new Map<DocumentModel, { sub: Disposable; message: InvalidMarksMessage }>();
  const listener: Listener = (model, findings) => {
    watching.get(model)?.sub.dispose();
    const message: InvalidMarksMessage = { type: 'invalidMarks', offsets: [...findings.invalidOffsets], total: findings.invalid };
    post(model, message);
    const sub = model.onDidChange((c) => {
      if (c.reason === 'save') return;
      sub.dispose();
      watching.delete(model);
      post(model, { type: 'invalidMarks', offsets: [], total: 0 });
    });
    watching.set(model, { sub, message });
  };
  listeners.add(listener);
  return {
    /** The marks of the last scan of `model` that still hold (an editor opened since is sent them). */
    latest: (model) => watching.get(model)?.message,
    dispose: () => {
      listeners.delete(listener);
      for (const { sub } of watching.values()) sub.dispose();
      watching.clear();
    },
  };
}
