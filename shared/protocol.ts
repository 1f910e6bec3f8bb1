/**
 * The one message protocol between the extension host and the editor
 * webview. Both sides import these types; the host additionally runs every
 * incoming message through `parseWebviewMessage`, because a webview is
 * untrusted input: a malformed message is dropped and logged, never thrown.
 *
 * Byte payloads travel as Uint8Array (structured clone), never as JSON
 * arrays of numbers. Offsets are plain numbers: exact up to 2^53 bytes.
 */

/** Largest window the webview may ask for in one read. */
export const MAX_READ_LENGTH = 1 << 20;
/** Largest edit the webview may send in one message (paste, replace). */
export const MAX_EDIT_LENGTH = 16 << 20;
/** Most replaces in one 'editBatch' (Replace All), and the most bytes they may carry together. */
export const MAX_BATCH_EDITS = 1_000_000;
export const MAX_BATCH_BYTES = 64 << 20;
/** Largest search pattern. */
export const MAX_PATTERN_LENGTH = 4096;
/**
 * The editor webview caches aligned windows of this size; the host sends the
 * first one with 'init' so the first paint needs no extra round trip.
 */
export const EDITOR_WINDOW_SIZE = 64 * 1024;
/** Bytes of context sent on each side of a window so no edge cuts a character. */
export const WINDOW_CONTEXT = 3;

export type ByteRange = { offset: number; length: number };

/** How each byte cell of the hex pane is written: hex (upper or lower case), decimal, octal or binary. */
export type CellFormat = 'hex' | 'hexLower' | 'decimal' | 'octal' | 'binary';
export const CELL_FORMATS: readonly CellFormat[] = ['hex', 'hexLower', 'decimal', 'octal', 'binary'];
/** Bytes per group: a wider gap separates groups (1: no extra gap, every byte evenly spaced). */
export type GroupSize = 1 | 2 | 4 | 8;
export const GROUP_SIZES: readonly GroupSize[] = [1, 2, 4, 8];
export const MAX_BYTES_PER_ROW = 64;

/**
 * The grid's layout (settings hexmap.bytesPerRow, hexmap.groupSize,
 * hexmap.cellFormat). bytesPerRow 'fit': as many as fit the editor's
 * width, a whole number of groups when at least one group fits.
 */
export interface LayoutSettings {
  bytesPerRow: number | 'fit';
  groupSize: GroupSize;
  cellFormat: CellFormat;
}
/** The settings' defaults (package.json): 16 bytes per row, groups of 8, upper-case hex. */
export const DEFAULT_BYTES_PER_ROW = 16;
export const DEFAULT_LAYOUT: LayoutSettings = { bytesPerRow: DEFAULT_BYTES_PER_ROW, groupSize: 8, cellFormat: 'hex' };
/** The text pane's encodings (shared/encodings has their codecs). */
export type { TextEncoding } from './encodings/types';
import type { TextEncoding } from './encodings/types';

/** Everything the webview needs to draw a document. */
export interface DocumentInfo {
  fileName: string;
  fileSize: number;
  readOnly: boolean;
  /** Why the document is read-only, for the message shown on an edit attempt. */
  readOnlyReason?: string;
  /** 'mapped' (native addon), 'file' (plain reads), 'vscode-fs' (virtual FS). */
  backend: 'mapped' | 'file' | 'vscode-fs';
  bytesPerRow: number;
  /** Unsaved runs, so the webview highlights them. */
  unsaved: ByteRange[];
  /** Matches the find widget counts before showing "N+" (setting hexmap.findMaxMatches; default 10,000). */
  findMaxMatches?: number;
  /** Typing and paste insert (true) or overwrite (false, the default: setting hexmap.insertMode). */
  insertMode?: boolean;
  /** The grid's layout; absent: `bytesPerRow` columns, groups of 8, upper-case hex. */
  layout?: LayoutSettings;
  /** The text pane's encoding (default UTF-8): chosen per file, else setting hexmap.encoding, else a BOM's. */
  encoding?: TextEncoding;
}

// ---------------------------------------------------------------- requests
// Webview -> host requests expect exactly one `response` with the same id
// (find also streams `findProgress` / `findMatches` before its response).

export interface ReadRequest { kind: 'read'; offset: number; length: number }
export interface ReadResult {
  offset: number;
  /** Bytes as the document holds them now (unsaved edits applied). */
  bytes: Uint8Array;
  /** Up to WINDOW_CONTEXT bytes before `offset` and after the window. */
  before: Uint8Array;
  after: Uint8Array;
  /** Unsaved runs that intersect the window. */
  unsaved: ByteRange[];
}

export interface FindRequest {
  kind: 'find';
  /** Bytes to look for; `mask[i] === 0` makes byte i a wildcard (`??`). */
  pattern: Uint8Array;
  mask?: Uint8Array;
  /** ASCII letters match either case. */
  ignoreCase: boolean;
  from: number;
  backward: boolean;
  /** Stop after this many matches (the UI shows "N+" beyond it). */
  maxMatches: number;
  /** Only matches lying wholly inside [rangeStart, rangeEnd) (find in selection); absent: the whole document. */
  rangeStart?: number;
  rangeEnd?: number;
}
export interface FindResult { matches: number[]; complete: boolean; cancelled: boolean }

/** Characters (and lines) in a range, counted as TextDecoder would. */
export interface CountRequest { kind: 'count'; offset: number; length: number }
export interface CountResult { bytes: number; chars: number; lines: number; invalid: number }

export type HostRequest = ReadRequest | FindRequest | CountRequest;
export type ResultOf<R extends HostRequest> =
  R extends ReadRequest ? ReadResult : R extends FindRequest ? FindResult : R extends CountRequest ? CountResult : never;

// ------------------------------------------------------- webview -> host

/** One replace of an 'editBatch'. */
export interface BatchEditMessage { offset: number; deleteLength: number; bytes: Uint8Array }

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'request'; id: number; request: HostRequest }
  /** Stops a running request (find, count); its response says cancelled. */
  | { type: 'cancel'; id: number }
  /**
   * Replace [offset, offset + deleteLength) with `bytes`; one undoable edit.
   * deleteLength omitted: overwrite (bytes.length); 0: insert; `bytes` empty: delete.
   * `amend`: a further digit typed into the same hex cell, an overwrite of one byte
   * that belongs to the previous edit's undo step (the host makes a new step if it cannot).
   */
  | { type: 'edit'; offset: number; bytes: Uint8Array; label: string; deleteLength?: number; amend?: true }
  /** Many replaces (offsets before the batch, non-overlapping) as ONE undoable edit: Replace All. */
  | { type: 'editBatch'; edits: BatchEditMessage[]; label: string }
  /** Cursor/selection moved: drives the status bar and the inspector. */
  | { type: 'selection'; cursor: number; anchor: number; focusedPane: 'hex' | 'text' }
  /** A message for the user (e.g. invalid go-to input, edit in read-only). */
  | { type: 'notify'; level: 'info' | 'warning' | 'error'; message: string }
  /** Scroll position, so split views and reopen can restore it. */
  | { type: 'viewport'; topOffset: number }
  /** The user toggled insert/overwrite mode in the webview (the Insert key): the status bar shows it. */
  | { type: 'insertMode'; insert: boolean };

// ------------------------------------------------------- host -> webview

/**
 * Highlights over byte ranges, drawn in the hex and text panes. Each message
 * replaces the set of its `kind` ('diff': the differences of a comparison
 * with another document). `ranges` are those inside `span`, the area around
 * the viewport the host last heard of (it sends again as the view scrolls);
 * a range of length 0 marks a place where the other document has bytes this
 * one lacks. `overview`, when present, is a coarse picture of the whole
 * document (neighbouring ranges merged, at most about 1,000) for marks on the
 * scrollbar. An empty `ranges` with no `overview` clears the set.
 */
export interface DecorationsMessage {
  type: 'decorations';
  kind: 'diff';
  span: ByteRange;
  ranges: ByteRange[];
  overview?: ByteRange[];
  /** The range to draw as current (e.g. "difference k of N"), if any. */
  current?: ByteRange;
}

/**
 * Bookmark colours: a fixed palette named after VS Code's chart colours
 * (theme colour ids `charts.<name>`), which every theme, light, dark and high
 * contrast, defines so that they stay apart from each other and the text.
 */
export const BOOKMARK_COLORS = ['blue', 'green', 'yellow', 'orange', 'red', 'purple'] as const;
export type BookmarkColor = (typeof BOOKMARK_COLORS)[number];

/** One bookmark as the webview draws it: a byte range (length >= 1), its name and colour. */
export interface BookmarkRange { start: number; length: number; name: string; color: BookmarkColor }

/** Every bookmark of the document (sorted by start), replacing the ones sent before. */
export interface BookmarksMessage { type: 'bookmarks'; ranges: BookmarkRange[] }

/**
 * Where a whole-file scan found invalid sequences, for marks on the
 * scrollbar: the first ones found (at most a few thousand), `total` their
 * exact count. Empty `offsets`: none known (no scan ran, or the file changed).
 */
export interface InvalidMarksMessage { type: 'invalidMarks'; offsets: number[]; total: number }

export type HostMessage =
  /**
   * `window`: the aligned window at the last known scroll position, to paint at once.
   * `hostTimes`: Date.now() at the host's steps towards this editor (the bench's breakdown of an open).
   */
  | { type: 'init'; info: DocumentInfo; window?: ReadResult; hostTimes?: Record<string, number> }
  | { type: 'response'; id: number; ok: true; result: ReadResult | FindResult | CountResult }
  | { type: 'response'; id: number; ok: false; error: string }
  | { type: 'findProgress'; id: number; scanned: number; total: number }
  | { type: 'findMatches'; id: number; matches: number[] }
  /**
   * Bytes changed: drop cached windows that intersect `ranges` (all when
   * omitted), adopt the new size. `flash` marks changes made outside VS Code.
   * `keepsTyping` is false when the change may have altered a cell being typed
   * (undo, redo, revert, another view's edit, another program): the next
   * digit then starts the cell over from the bytes now there.
   */
  | { type: 'changed'; fileSize: number; ranges?: ByteRange[]; unsaved: ByteRange[]; flash: boolean; readOnly: boolean; readOnlyReason?: string; keepsTyping?: boolean }
  /** Move the cursor (and select `length` bytes) and scroll it into view. */
  | { type: 'reveal'; offset: number; length: number }
  /** Run an editor action triggered from a VS Code command or keybinding. */
  | { type: 'action'; action: 'find' | 'goto' | 'copy'; argument?: string }
  /** The layout settings changed: re-lay the grid (`layout` absent: only bytesPerRow, groups of 8, hex). */
  | { type: 'settings'; bytesPerRow: number; layout?: LayoutSettings }
  /** The text pane's encoding changed (the status bar's picker). */
  | { type: 'encoding'; encoding: TextEncoding }
  /** Insert/overwrite mode set from VS Code (command "Hexmap: Toggle Insert Mode"). */
  | { type: 'insertMode'; insert: boolean }
  /**
   * Scroll so `topOffset`'s row is the top row, leaving the cursor alone (a
   * comparison's scroll lock). The webview does not echo it back as 'viewport'.
   */
  | { type: 'scrollTo'; topOffset: number }
  | DecorationsMessage
  | BookmarksMessage
  | InvalidMarksMessage;

// ------------------------------------------------------------ validation

/** Error text for a rejected message; the host logs it and drops the message. */
export class ProtocolError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function offsetField(m: Record<string, unknown>, key: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = m[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new ProtocolError(`'${key}' must be an integer in 0..${max}, got ${describe(v)}`);
  }
  return v;
}

function bytesField(m: Record<string, unknown>, key: string, max: number, min = 0): Uint8Array {
  const v = m[key];
  if (!(v instanceof Uint8Array)) throw new ProtocolError(`'${key}' must be a Uint8Array, got ${describe(v)}`);
  if (v.length < min || v.length > max) throw new ProtocolError(`'${key}' must hold ${min}..${max} bytes, got ${v.length}`);
  return v;
}

function stringField(m: Record<string, unknown>, key: string, max = 1000): string {
  const v = m[key];
  if (typeof v !== 'string' || v.length > max) throw new ProtocolError(`'${key}' must be a string of at most ${max} characters`);
  return v;
}

function oneOf<T extends string>(m: Record<string, unknown>, key: string, values: readonly T[]): T {
  const v = m[key];
  if (!values.includes(v as T)) throw new ProtocolError(`'${key}' must be one of ${values.join(', ')}, got ${describe(v)}`);
  return v as T;
}

function boolField(m: Record<string, unknown>, key: string): boolean {
  if (typeof m[key] !== 'boolean') throw new ProtocolError(`'${key}' must be a boolean`);
  return m[key] as boolean;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  return typeof v === 'object' ? (Array.isArray(v) ? 'array' : 'object') : String(v);
}

function parseRequest(r: unknown): HostRequest {
  if (!isObject(r)) throw new ProtocolError('request must be an object');
  switch (r.kind) {
    case 'read':
      return { kind: 'read', offset: offsetField(r, 'offset'), length: offsetField(r, 'length', MAX_READ_LENGTH) };
    case 'count':
      return { kind: 'count', offset: offsetField(r, 'offset'), length: offsetField(r, 'length') };
    case 'find': {
      const pattern = bytesField(r, 'pattern', MAX_PATTERN_LENGTH, 1);
      const mask = r.mask === undefined ? undefined : bytesField(r, 'mask', MAX_PATTERN_LENGTH, 1);
      if (mask && mask.length !== pattern.length) throw new ProtocolError("'mask' must be as long as 'pattern'");
      const find: FindRequest = {
        kind: 'find', pattern, mask, ignoreCase: boolField(r, 'ignoreCase'), from: offsetField(r, 'from'),
        backward: boolField(r, 'backward'), maxMatches: offsetField(r, 'maxMatches', 1_000_000),
      };
      if (r.rangeStart !== undefined || r.rangeEnd !== undefined) {
        find.rangeStart = offsetField(r, 'rangeStart');
        find.rangeEnd = offsetField(r, 'rangeEnd');
        if (find.rangeStart > find.rangeEnd) throw new ProtocolError(`'rangeStart' ${find.rangeStart} is after 'rangeEnd' ${find.rangeEnd}`);
      }
      return find;
    }
    default:
      throw new ProtocolError(`unknown request kind ${describe(r.kind)}`);
  }
}

function parseBatch(v: unknown): BatchEditMessage[] {
  if (!Array.isArray(v)) throw new ProtocolError(`'edits' must be an array, got ${describe(v)}`);
  if (v.length === 0 || v.length > MAX_BATCH_EDITS) throw new ProtocolError(`'edits' must hold 1..${MAX_BATCH_EDITS} edits, got ${v.length}`);
  const out: BatchEditMessage[] = [];
  let total = 0;
  let prevEnd = 0;
  for (let i = 0; i < v.length; i++) {
    const e = v[i];
    if (!isObject(e)) throw new ProtocolError(`edits[${i}] must be an object`);
    const edit = { offset: offsetField(e, 'offset'), deleteLength: offsetField(e, 'deleteLength'), bytes: bytesField(e, 'bytes', MAX_EDIT_LENGTH) };
    if (edit.bytes.length === 0 && edit.deleteLength === 0) throw new ProtocolError(`edits[${i}] changes nothing`);
    if (edit.offset < prevEnd) throw new ProtocolError(`edits[${i}] overlaps the one before (edits must be sorted and apart)`);
    prevEnd = edit.offset + edit.deleteLength;
    total += edit.bytes.length;
    if (total > MAX_BATCH_BYTES) throw new ProtocolError(`'edits' carry more than ${MAX_BATCH_BYTES} bytes`);
    out.push(edit);
  }
  return out;
}

/**
 * Checks shape, types and ranges of a message from the webview. Ranges are
 * checked against the protocol's caps here and against the file size by the
 * document, which knows it. Throws ProtocolError; never anything else.
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage {
  if (!isObject(raw)) throw new ProtocolError(`message must be an object, got ${describe(raw)}`);
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'request':
      return { type: 'request', id: offsetField(raw, 'id'), request: parseRequest(raw.request) };
    case 'cancel':
      return { type: 'cancel', id: offsetField(raw, 'id') };
    case 'edit': {
      const bytes = bytesField(raw, 'bytes', MAX_EDIT_LENGTH);
      const offset = offsetField(raw, 'offset');
      const label = stringField(raw, 'label', 200);
      if (raw.amend !== undefined) {
        if (raw.amend !== true) throw new ProtocolError(`'amend' must be true when present, got ${describe(raw.amend)}`);
        if (raw.deleteLength !== undefined || bytes.length !== 1) throw new ProtocolError('an amending edit overwrites exactly one byte');
        return { type: 'edit', offset, bytes, label, amend: true };
      }
      if (raw.deleteLength === undefined) {
        if (bytes.length === 0) throw new ProtocolError('an overwrite must carry at least one byte');
        return { type: 'edit', offset, bytes, label };
      }
      const deleteLength = offsetField(raw, 'deleteLength');
      if (bytes.length === 0 && deleteLength === 0) throw new ProtocolError('an edit must insert or delete at least one byte');
      return { type: 'edit', offset, bytes, label, deleteLength };
    }
    case 'editBatch':
      return { type: 'editBatch', edits: parseBatch(raw.edits), label: stringField(raw, 'label', 200) };
    case 'selection':
      return {
        type: 'selection', cursor: offsetField(raw, 'cursor'), anchor: offsetField(raw, 'anchor'),
        focusedPane: oneOf(raw, 'focusedPane', ['hex', 'text'] as const),
      };
    case 'notify':
      return { type: 'notify', level: oneOf(raw, 'level', ['info', 'warning', 'error'] as const), message: stringField(raw, 'message') };
    case 'viewport':
      return { type: 'viewport', topOffset: offsetField(raw, 'topOffset') };
    case 'insertMode':
      return { type: 'insertMode', insert: boolField(raw, 'insert') };
    default:
      throw new ProtocolError(`unknown message type ${describe(raw.type)}`);
  }
}
