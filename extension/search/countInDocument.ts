/**
 * Characters, lines and invalid units of a range of the bytes the user sees
 * (the document's pieces, in document offsets), counted exactly as
 * TextDecoder would decode that range on its own.
 *
 * Stretches inside one file segment go to the native scan
 * (ByteSource.utf8Stats, shifted to file offsets); stretches around edited
 * spans and seams (editedBytes.ts) are counted in JavaScript over the
 * document's bytes. Counts add up
 * across a split only where the split cannot cut a character, so each split
 * is moved to a "safe" position (see `isSafeSplit`).
 *
 * The encoding report uses `documentUtf8Stats` (all the facts); the status
 * bar, the inspector and the find widget use `countInDocument`.
 *
 * The other text encodings (`documentTextStats`) are split the same way,
 * with their own safe splits (a CRLF stays whole; UTF-16 splits fall on unit
 * boundaries and never after a high surrogate; with none near an edit the
 * piece widens to the range's edge): stretches inside one file
 * segment go to the native text scans (nativeTextStats.ts), those around
 * edits are decoded in JavaScript in 1 MiB reads with shared/encodings'
 * countText.
 */
import { HexmapError, type Utf8Stats } from '../engine/byteSource';
import type { CountResult } from '../../shared/protocol';
import type { ScannableDocument } from '../document/documentModel';
import { isContinuation } from '../../shared/utf8';
import { editedSpans, overFileSegment, type Span } from './editedBytes';
import { Utf8Counter } from './utf8Counter';
import { TextCounter } from './textCounter';
import { nativeTextStats } from './nativeTextStats';
import { addTextCounts, codecFor, emptyTextCounts, encodingOfBom, type TextCounts, type TextEncoding } from '../../shared/encodings';

export interface DocumentStatsOptions {
  offset?: number;
  length?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** How many invalid offsets to collect (default 100). */
  maxInvalidOffsets?: number;
}

/** Knobs the tests turn to put piece edges everywhere. */
export interface CountTuning {
  /** Edits closer than this are counted as one JavaScript piece (cheaper than a native call). */
  editGap?: number;
  /** Bytes per read inside a JavaScript piece. */
  jsChunk?: number;
}

const DEFAULTS: Required<CountTuning> = { editGap: 64 << 10, jsChunk: 1 << 20 };
const CR = 0x0d;
const LF = 0x0a;
/** How far around an edit to look for a safe split; one always lies within 5 bytes. */
const SPLIT_LOOKAROUND = 8;

/** Characters, lines and invalid units of [offset, offset+length) in `encoding`, edits applied. */
export async function countInDocument(
  doc: ScannableDocument, offset: number, length: number, signal?: AbortSignal, tuning?: CountTuning, encoding: TextEncoding = 'utf-8',
): Promise<CountResult> {
  const stats = await documentTextStats(doc, encoding, { offset, length, signal, maxInvalidOffsets: 0 }, tuning);
  const breaks = stats.lf + stats.crlf + stats.cr;
  let lines = breaks;
  if (length > 0) {
    // A last line without a terminator still counts ("a\nb" is 2 lines, "a\n" is 1).
    const unit = codecFor(encoding).unitSize;
    const lastUnit = offset + length - unit;
    if (lastUnit < offset || lastUnit % unit !== 0) lines++;
    else {
      const last = await doc.readBytes(lastUnit, unit);
      const code = unit === 1 ? last[0] : encoding === 'utf-16be' ? (last[0] << 8) | last[1] : last[0] | (last[1] << 8);
      if (code !== LF && code !== CR) lines++;
    }
  }
  return { bytes: stats.bytes, chars: stats.chars, lines, invalid: stats.invalid };
}

/** Counts in one text encoding over the edited document: what the report and the status bar show. */
export interface TextStats extends TextCounts {
  invalidOffsets: number[];
  /** The range starts with the encoding's byte order mark. */
  bom: boolean;
}

/** The range a count covers (default: the whole document), checked against the document's size. */
function countRange(doc: ScannableDocument, options: DocumentStatsOptions): { offset: number; length: number } {
  const size = doc.size;
  const offset = options.offset ?? 0;
  const length = options.length ?? size - offset;
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > size) throw new RangeError(`count: offset must be an integer in 0..${size}, got ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0 || offset + length > size) {
    throw new RangeError(`count: length must be an integer in 0..${size - offset}, got ${length}`);
  }
  return { offset, length };
}

/** Counts of [offset, offset+length) in `encoding`, edits applied (UTF-8 through documentUtf8Stats). */
export async function documentTextStats(
  doc: ScannableDocument, encoding: TextEncoding, options: DocumentStatsOptions = {}, tuning: CountTuning = {},
): Promise<TextStats> {
  if (encoding === 'utf-8') {
    const s = await documentUtf8Stats(doc, options, tuning);
    return {
      bytes: s.bytes, chars: s.chars, invalid: s.invalid, nonAscii: s.twoByte + s.threeByte + s.fourByte, supplementary: s.fourByte,
      nul: s.nul, lf: s.lf, crlf: s.crlf, cr: s.cr, invalidOffsets: s.invalidOffsets, bom: s.bom,
    };
  }
  const t = { ...DEFAULTS, ...tuning };
  const { offset, length } = countRange(doc, options);
  const end = offset + length;
  const maxInvalid = options.maxInvalidOffsets ?? 100;
  const rule = codecFor(encoding).unitSize === 1 ? isSafeSingleByteSplit : utf16SplitRule(encoding === 'utf-16be');
  const pieces = length > 0 ? await planPieces(doc, offset, end, t.editGap, rule) : [];
  const total: TextStats = { ...emptyTextCounts(), invalidOffsets: [], bom: false };
  let done = 0;
  for (const piece of pieces) {
    if (options.signal?.aborted) throw new HexmapError('Counting was cancelled', 'ERR_HEXMAP_CANCELLED');
    const before = done;
    const pieceOptions = {
      maxInvalidOffsets: Math.max(0, maxInvalid - total.invalidOffsets.length), signal: options.signal,
      onProgress: options.onProgress ? (d: number) => options.onProgress!(before + d, length) : undefined,
    };
    const stats = (piece.dirty ? undefined : await nativeTextStats(doc, encoding, piece.start, piece.end - piece.start, pieceOptions))
      ?? await countTextInJs(doc, encoding, piece, pieceOptions.maxInvalidOffsets, t.jsChunk, options.signal);
    if (piece.start === offset) total.bom = stats.bom;
    const { invalidOffsets, bom: _bom, ...counts } = stats;
    addTextCounts(total, counts);
    for (const o of invalidOffsets) if (total.invalidOffsets.length < maxInvalid) total.invalidOffsets.push(o);
    done += piece.end - piece.start;
    options.onProgress?.(done, length);
  }
  return total;
}

/** A piece decoded in JavaScript over the document's bytes (unsaved edits applied). */
async function countTextInJs(doc: ScannableDocument, encoding: TextEncoding, piece: Span, maxInvalid: number, jsChunk: number,
  signal: AbortSignal | undefined): Promise<TextStats> {
  const counter = new TextCounter(encoding, piece.start, maxInvalid);
  let bom = false;
  for (let pos = piece.start; pos < piece.end; pos += jsChunk) {
    if (signal?.aborted) throw new HexmapError('Counting was cancelled', 'ERR_HEXMAP_CANCELLED');
    const n = Math.min(jsChunk, piece.end - pos);
    const bytes = await doc.readBytes(pos, n);
    if (pos === 0) bom = encodingOfBom(bytes)?.encoding === encoding;
    counter.feed(bytes, pos + n >= piece.end);
  }
  return { ...counter.counts, invalidOffsets: counter.invalidOffsets, bom };
}

/** ByteSource.utf8Stats over the edited document. */
export async function documentUtf8Stats(
  doc: ScannableDocument, options: DocumentStatsOptions = {}, tuning: CountTuning = {},
): Promise<Utf8Stats> {
  const t = { ...DEFAULTS, ...tuning };
  const { offset, length } = countRange(doc, options);
  const maxInvalid = options.maxInvalidOffsets ?? 100;
  const end = offset + length;
  const signal = options.signal;
  const checkCancel = () => { if (signal?.aborted) throw new HexmapError('Counting was cancelled', 'ERR_HEXMAP_CANCELLED'); };
  checkCancel();

  const pieces = await planPieces(doc, offset, end, t.editGap);
  const total: Utf8Stats = { ...emptyStats(), bom: false };
  let done = 0;
  for (const piece of pieces) {
    checkCancel();
    const before = done;
    const native = piece.dirty ? undefined : await overFileSegment(doc, piece.start, piece.end, async (delta) => {
      const s = await doc.source.utf8Stats({
        offset: piece.start + delta, length: piece.end - piece.start, signal,
        maxInvalidOffsets: Math.max(0, maxInvalid - total.invalidOffsets.length),
        onProgress: options.onProgress ? (d) => options.onProgress!(before + d, length) : undefined,
      });
      if (delta !== 0) s.invalidOffsets = s.invalidOffsets.map((o) => o - delta);
      return s;
    });
    const stats = native ?? await countEdited(doc, piece, maxInvalid - total.invalidOffsets.length, t.jsChunk, checkCancel);
    if (piece.start === offset) total.bom = stats.bom;
    add(total, stats, maxInvalid);
    done += piece.end - piece.start;
    options.onProgress?.(done, length);
  }
  return total;
}

function emptyStats(): Omit<Utf8Stats, 'bom'> {
  return { bytes: 0, chars: 0, ascii: 0, twoByte: 0, threeByte: 0, fourByte: 0, invalid: 0, invalidOffsets: [], nul: 0, lf: 0, crlf: 0, cr: 0 };
}

function add(total: Utf8Stats, s: Utf8Stats, maxInvalid: number): void {
  total.bytes += s.bytes;
  total.chars += s.chars;
  total.ascii += s.ascii;
  total.twoByte += s.twoByte;
  total.threeByte += s.threeByte;
  total.fourByte += s.fourByte;
  total.invalid += s.invalid;
  total.nul += s.nul;
  total.lf += s.lf;
  total.crlf += s.crlf;
  total.cr += s.cr;
  for (const o of s.invalidOffsets) if (total.invalidOffsets.length < maxInvalid) total.invalidOffsets.push(o);
}

async function countEdited(
  doc: ScannableDocument, piece: Span, maxInvalid: number, jsChunk: number, checkCancel: () => void,
): Promise<Utf8Stats> {
  const counter = new Utf8Counter(piece.start, Math.max(0, maxInvalid));
  let bom = false;
  for (let pos = piece.start; pos < piece.end; pos += jsChunk) {
    checkCancel();
    const n = Math.min(jsChunk, piece.end - pos);
    const bytes = await doc.readBytes(pos, n);
    if (pos === piece.start) bom = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    counter.feed(bytes, pos + n >= piece.end);
  }
  return { ...counter.counts, invalidOffsets: counter.invalidOffsets, bom };
}

/** A stretch counted natively (clean) or in JavaScript (dirty), ascending, covering [offset, end). */
interface Piece extends Span { dirty: boolean }

/** Whether splitting the range at view[p] leaves every unit and CRLF whole (p, rangeStart, rangeEnd index `view`, whose first byte is at `viewOffset`). */
type SplitRule = (view: Uint8Array, p: number, rangeStart: number, rangeEnd: number, viewOffset: number) => boolean;

async function planPieces(doc: ScannableDocument, offset: number, end: number, editGap: number, rule: SplitRule = isSafeSplit): Promise<Piece[]> {
  // Group nearby edits, then widen each group to safe splits.
  const groups: Span[] = [];
  for (const span of editedSpans(doc, offset, end)) {
    const last = groups[groups.length - 1];
    if (last && span.start - last.end < editGap) last.end = span.end;
    else groups.push({ ...span });
  }
  const dirty: Span[] = [];
  for (const g of groups) {
    const start = await safeSplit(doc, g.start, offset, end, -1, rule);
    const stop = await safeSplit(doc, g.end, offset, end, +1, rule);
    const last = dirty[dirty.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, stop);
    else dirty.push({ start, end: stop });
  }
  const pieces: Piece[] = [];
  let cursor = offset;
  for (const d of dirty) {
    if (d.start > cursor) pieces.push({ start: cursor, end: d.start, dirty: false });
    if (d.end > d.start) pieces.push({ ...d, dirty: true });
    cursor = d.end;
  }
  if (cursor < end) pieces.push({ start: cursor, end, dirty: false });
  return pieces;
}

/**
 * The nearest safe split at or before (`dir` -1) / at or after (+1) `at`
 * inside [rangeStart, rangeEnd]: a position where decoding the range in two
 * parts gives the same units and line breaks as decoding it whole.
 */
async function safeSplit(doc: ScannableDocument, at: number, rangeStart: number, rangeEnd: number, dir: -1 | 1, rule: SplitRule): Promise<number> {
  const from = Math.max(rangeStart, at - SPLIT_LOOKAROUND);
  const to = Math.min(rangeEnd, at + SPLIT_LOOKAROUND);
  const view = await doc.readBytes(from, to - from);
  for (let p = at; dir < 0 ? p >= from : p <= to; p += dir) {
    if (rule(view, p - from, rangeStart - from, rangeEnd - from, from)) return p;
  }
  return dir < 0 ? rangeStart : rangeEnd; // not reached: a safe split lies within 5 bytes
}

/** Single-byte encodings: every byte is a character; only a CRLF must stay whole. */
export function isSafeSingleByteSplit(view: Uint8Array, p: number, rangeStart: number, rangeEnd: number): boolean {
  if (p <= rangeStart || p >= rangeEnd) return true;
  return !(view[p] === LF && view[p - 1] === CR);
}

/**
 * UTF-16: a split falls on a unit boundary (an even offset from the file's
 * start), not right after a high surrogate (its pair may follow), and not
 * between a CR unit and an LF unit.
 */
export function utf16SplitRule(bigEndian: boolean): SplitRule {
  const unitAt = (v: Uint8Array, i: number) => (bigEndian ? (v[i] << 8) | v[i + 1] : v[i] | (v[i + 1] << 8));
  return (view, p, rangeStart, rangeEnd, viewOffset) => {
    if (p <= rangeStart || p >= rangeEnd) return true;
    if ((viewOffset + p) % 2 !== 0 || p - 2 < rangeStart || p + 2 > rangeEnd) return false;
    const before = unitAt(view, p - 2);
    if (before >= 0xd800 && before <= 0xdbff) return false;
    return !(before === CR && unitAt(view, p) === LF);
  };
}

/**
 * Whether a unit must start at view[p] in a decode of the range that begins
 * at view[rangeStart] (the range's edges are always safe). A byte that is not
 * 80..BF always starts a unit: decodeUnit only ever swallows continuation
 * bytes. So does a continuation byte with three continuation bytes (or the
 * range start) right before it: no unit is longer than a lead plus three.
 * Between CR and LF is never safe: that pair is one CRLF.
 */
export function isSafeSplit(view: Uint8Array, p: number, rangeStart: number, rangeEnd: number): boolean {
  if (p <= rangeStart || p >= rangeEnd) return true;
  if (!isContinuation(view[p])) return !(view[p] === LF && view[p - 1] === CR);
  for (let q = p - 1; q >= Math.max(rangeStart, p - 3); q--) {
    if (!isContinuation(view[q])) return false;
  }
  return true;
}
