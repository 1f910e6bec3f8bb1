/**
 * The seam between a Hexmap document (the file on disk + unsaved edits, as a
 * sequence of pieces) and everything that shows or searches it. It knows
 * nothing of `vscode`, so the webview session, search and the tests use the
 * real thing in plain Node.
 *
 * Implemented by HexDocumentModel (hexDocumentModel.ts); the VS Code
 * CustomDocument (hexDocument.ts) wraps one and adds undo/redo, save and
 * backup plumbing. Search and counting (extension/search/) read a model
 * through ScannableDocument; the model knows nothing of them.
 *
 * Every offset here is a document offset: inserts and deletes move the bytes
 * after them, so document offsets and file offsets differ once the size changed.
 */
import type { ByteSource } from '../engine/byteSource';
import type { ByteRange, ReadResult } from '../../shared/protocol';

export interface Disposable { dispose(): void }

/** Why the bytes changed; forwarded to every view of the document. */
export interface DocumentChange {
  /**
   * Changed ranges; undefined means "anything may have changed". When the
   * size changed, one range runs from the first changed offset to the end of
   * the larger of the old and the new document (every byte after it moved).
   */
  ranges?: ByteRange[];
  /** 'edit' | 'undo' | 'redo' | 'revert' | 'save' (no byte change, only unsaved marks) | 'external' (another process) */
  reason: 'edit' | 'undo' | 'redo' | 'revert' | 'save' | 'external';
  /**
   * For 'external' changes: bytes that changed among those recently shown, so
   * views can flash them. `ranges` is then undefined (drop every cached window),
   * because bytes the host did not recently serve may have changed too.
   */
  flash?: ByteRange[];
  /**
   * For 'edit', 'undo' and 'redo': the replaces exactly as they were applied,
   * in order (each offset in the document as it was just before that replace),
   * so a view can map positions (bookmarks) through the change. `stepId` names
   * the step; `undone` is true when the step was taken back.
   */
  edit?: AppliedEdit;
}

/** One replace as applied: [offset, offset + deleteLength) became insertLength bytes. */
export interface AppliedReplace { offset: number; deleteLength: number; insertLength: number }

export interface AppliedEdit { stepId: number; undone: boolean; replaces: AppliedReplace[] }

export interface FindQuery {
  pattern: Uint8Array;
  mask?: Uint8Array;
  ignoreCase: boolean;
  from: number;
  backward: boolean;
  maxMatches: number;
}

export interface FindCallbacks {
  signal?: AbortSignal;
  onProgress?: (scanned: number, total: number) => void;
  /** Matches as they are found (streaming "find all"). */
  onMatches?: (matches: number[]) => void;
}

/** One replace of a batch: [offset, offset + deleteLength) becomes `bytes` (offsets before the batch). */
export interface BatchEdit {
  offset: number;
  deleteLength: number;
  bytes: Uint8Array;
}

/**
 * A stretch of the document as the scans see it: either file bytes
 * ([diskOffset, diskOffset + length) of the file) or bytes in memory.
 */
export type DocumentSegment =
  | { readonly start: number; readonly length: number; readonly diskOffset: number; readonly bytes?: undefined }
  | { readonly start: number; readonly length: number; readonly diskOffset?: undefined; readonly bytes: Uint8Array };

/**
 * What search, counting and the encoding report read: the document's
 * bytes, and where they come from, so scans run natively over the stretches
 * that are plain file bytes and in JavaScript over the rest.
 */
export interface ScannableDocument {
  readonly source: ByteSource;
  readonly size: number;
  /** Bytes as the user sees them (edits applied), any length the caller can hold. */
  readBytes(offset: number, length: number): Promise<Uint8Array>;
  /** The segments intersecting [offset, offset + length), clipped to it, in order. */
  segments(offset: number, length: number): DocumentSegment[];
  /** Resolves when native scans of the file may run (they wait while a save moves bytes). */
  scansAllowed(): Promise<void>;
  /**
   * Changes whenever file offsets of the pieces may have changed (a save
   * began moving bytes, a save completed, the file changed outside): a
   * native scan that ran across a change must run again.
   */
  readonly layoutEpoch: number;
}

export interface DocumentModel extends ScannableDocument {
  readonly source: ByteSource;
  /** Current size of the document (inserts and deletes change it). */
  readonly size: number;
  readonly readOnly: boolean;
  readonly readOnlyReason?: string;
  readonly isDirty: boolean;

  /** Bytes as the user sees them (edits applied), with WINDOW_CONTEXT bytes each side. */
  readWindow(offset: number, length: number): Promise<ReadResult>;
  /** Bytes with edits applied, no context (at most MAX_READ). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Edited runs (bytes held in memory) intersecting [offset, offset+length), in document offsets. */
  unsavedRanges(offset?: number, length?: number): ByteRange[];

  /**
   * Overwrite `bytes` at `offset` as one undoable step. Throws HexmapError
   * ERR_HEXMAP_READ_ONLY when read-only and RangeError past the end.
   */
  edit(offset: number, bytes: Uint8Array, label: string): void;
  /** Replace [offset, offset + deleteLength) with `bytes` as one undoable step (insert: 0; delete: empty bytes). */
  replace(offset: number, deleteLength: number, bytes: Uint8Array, label: string): void;
  /** Many replaces (non-overlapping, offsets before the batch) as ONE undoable step and ONE change. */
  editBatch(edits: readonly BatchEdit[], label: string): void;
  /**
   * Changes the one byte the newest step `stepId` wrote at `offset` to `bytes` (one byte) inside
   * that step, without a new step; false, changing nothing, when that is no longer safe.
   */
  amendLast(stepId: number, offset: number, bytes: Uint8Array): boolean;

  onDidChange(listener: (change: DocumentChange) => void): Disposable;
}
