/**
 * The seam between a Hexmap document (bytes on disk + unsaved edits) and
 * everything that shows or searches it. It knows nothing of `vscode`, so the
 * webview session, search and the tests use the real thing in plain Node.
 *
 * Implemented by HexDocumentModel (hexDocumentModel.ts); the VS Code
 * CustomDocument (hexDocument.ts) wraps one and adds undo/redo, save and
 * backup plumbing.
 */
import type { ByteSource } from '../engine/byteSource';
import type { ByteRange, CountResult, FindResult, ReadResult } from '../../shared/protocol';

export interface Disposable { dispose(): void }

/** Why the bytes changed; forwarded to every view of the document. */
export interface DocumentChange {
  /** Changed ranges; undefined means "anything may have changed". */
  ranges?: ByteRange[];
  /** 'edit' | 'undo' | 'redo' | 'revert' | 'save' (no byte change, only unsaved marks) | 'external' (another process) */
  reason: 'edit' | 'undo' | 'redo' | 'revert' | 'save' | 'external';
  /**
   * For 'external' changes: bytes that changed among those recently shown, so
   * views can flash them. `ranges` is then undefined (drop every cached window),
   * because bytes the host did not recently serve may have changed too.
   */
  flash?: ByteRange[];
}

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

export interface DocumentModel {
  readonly source: ByteSource;
  /** Current size (the size never changes through edits: overwrite mode). */
  readonly size: number;
  readonly readOnly: boolean;
  readonly readOnlyReason?: string;
  readonly isDirty: boolean;

  /** Bytes as the user sees them (edits applied), with WINDOW_CONTEXT bytes each side. */
  readWindow(offset: number, length: number): Promise<ReadResult>;
  /** Bytes with edits applied, no context. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Unsaved runs intersecting [offset, offset+length) (everything by default). */
  unsavedRanges(offset?: number, length?: number): ByteRange[];

  /**
   * Overwrite `bytes` at `offset` as one undoable step. Throws HexmapError
   * ERR_HEXMAP_READ_ONLY when read-only and RangeError past the end.
   */
  edit(offset: number, bytes: Uint8Array, label: string): void;

  /** Search the bytes the user sees: disk bytes with unsaved edits applied. */
  find(query: FindQuery, callbacks?: FindCallbacks): Promise<FindResult>;
  /** Characters / lines / invalid units of a range, with edits applied. */
  count(offset: number, length: number, signal?: AbortSignal): Promise<CountResult>;

  onDidChange(listener: (change: DocumentChange) => void): Disposable;
}
