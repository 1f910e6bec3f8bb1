/**
 * The encoding report's second pass, over the document's bytes (edits
 * applied) in 1 MiB reads: the counts in the file's text encoding when it is
 * not UTF-8, and in which of the six encodings the whole file is valid
 * (UTF-8 and ASCII from the UTF-8 statistics, ISO-8859-1 always, the rest
 * from ValidityScanner). When only validity is wanted the pass stops as
 * soon as every encoding it decides is ruled out.
 *
 * Where the backend has native text scans, a document without unsaved edits
 * is scanned natively instead (nativeTextStats.ts): the counts in one scan,
 * and each validity by a scan that stops at the first invalid unit; one with
 * edits goes through documentTextStats (native stretches, JavaScript around
 * the edits).
 */
import type { Utf8Stats } from '../engine/byteSource';
import type { ScannableDocument } from '../document/documentModel';
import { documentTextStats, type TextStats } from '../search/countInDocument';
import { TextCounter } from '../search/textCounter';
import { ValidityScanner } from '../../shared/encodings/validity';
import type { TextEncoding } from '../../shared/encodings';
import { nativeTextStats } from '../search/nativeTextStats';

/** How many invalid offsets the report lists (each one a link). */
export const REPORT_INVALID_OFFSETS = 1000;

/** Bytes per read of the second pass (even, so UTF-16 units never straddle reads). */
const PASS_CHUNK = 1 << 20;

/**
 * The counts in `encoding` (unless UTF-8) and the validity in every
 * encoding, in one pass over the document. `onProgress` gets bytes done.
 */
export async function textFacts(model: Pick<ScannableDocument, 'size' | 'readBytes'> | ScannableDocument, utf8: Utf8Stats, encoding: TextEncoding,
  signal: AbortSignal | undefined, onProgress?: (done: number, total: number) => void): Promise<{ text?: TextStats; validIn: Record<TextEncoding, boolean> }> {
  if ('segments' in model && model.size > 0 && typeof model.source.textStats === 'function') {
    const native = await nativeFacts(model, utf8, encoding, signal, onProgress) ?? await splitFacts(model, utf8, encoding, signal, onProgress);
    if (native) return native;
  }
  const size = model.size;
  const counter = encoding === 'utf-8' ? undefined : new TextCounter(encoding, 0, REPORT_INVALID_OFFSETS);
  const validity = new ValidityScanner();
  let bom = false;
  for (let pos = 0; pos < size; pos += PASS_CHUNK) {
    if (!counter && validity.decided) break;
    if (signal?.aborted) throw new Error('cancelled');
    const n = Math.min(PASS_CHUNK, size - pos);
    const bytes = await model.readBytes(pos, n);
    if (pos === 0) bom = (encoding === 'utf-16le' && bytes[0] === 0xff && bytes[1] === 0xfe) || (encoding === 'utf-16be' && bytes[0] === 0xfe && bytes[1] === 0xff);
    if (!validity.decided) validity.feed(bytes);
    counter?.feed(bytes, pos + n >= size);
    onProgress?.(pos + n, size);
  }
  if (counter && size === 0) counter.feed(new Uint8Array(0), true);
  const decided = validity.finish();
  return { text: counter ? { ...counter.counts, invalidOffsets: counter.invalidOffsets, bom } : undefined, validIn: allSix(utf8, decided) };
}

function allSix(utf8: Utf8Stats, decided: Record<'windows-1252' | 'utf-16le' | 'utf-16be', boolean>): Record<TextEncoding, boolean> {
  return {
    'utf-8': utf8.invalid === 0, 'utf-16le': decided['utf-16le'], 'utf-16be': decided['utf-16be'],
    'windows-1252': decided['windows-1252'], 'iso-8859-1': true, ascii: utf8.ascii === utf8.bytes,
  };
}

/**
 * The same facts over a document with unsaved edits: documentTextStats per
 * encoding, which scans the clean stretches natively and the edited ones in
 * JavaScript (each validity is then a whole pass).
 */
async function splitFacts(model: ScannableDocument, utf8: Utf8Stats, encoding: TextEncoding, signal: AbortSignal | undefined,
  onProgress?: (done: number, total: number) => void): Promise<{ text?: TextStats; validIn: Record<TextEncoding, boolean> }> {
  const text = encoding === 'utf-8' ? undefined
    : await documentTextStats(model, encoding, { maxInvalidOffsets: REPORT_INVALID_OFFSETS, signal, onProgress });
  const decided: Partial<Record<'windows-1252' | 'utf-16le' | 'utf-16be', boolean>> = {};
  for (const e of ['windows-1252', 'utf-16le', 'utf-16be'] as const) {
    decided[e] = e === encoding ? text!.invalid === 0 : (await documentTextStats(model, e, { maxInvalidOffsets: 0, signal })).invalid === 0;
  }
  return { text, validIn: allSix(utf8, decided as Record<'windows-1252' | 'utf-16le' | 'utf-16be', boolean>) };
}

/** The same facts by native scans, or undefined when the document cannot be scanned natively (edits, backend). */
async function nativeFacts(model: ScannableDocument, utf8: Utf8Stats, encoding: TextEncoding, signal: AbortSignal | undefined,
  onProgress?: (done: number, total: number) => void): Promise<{ text?: TextStats; validIn: Record<TextEncoding, boolean> } | undefined> {
  const size = model.size;
  let text: TextStats | undefined;
  if (encoding !== 'utf-8') {
    text = await nativeTextStats(model, encoding, 0, size, { maxInvalidOffsets: REPORT_INVALID_OFFSETS, signal, onProgress });
    if (!text) return undefined;
  }
  const decided: Partial<Record<'windows-1252' | 'utf-16le' | 'utf-16be', boolean>> = {};
  for (const e of ['windows-1252', 'utf-16le', 'utf-16be'] as const) {
    if (e === encoding) { decided[e] = text!.invalid === 0; continue; }
    const check = await nativeTextStats(model, e, 0, size, { maxInvalidOffsets: 1, stopAtInvalid: true, signal });
    if (!check) return undefined;
    decided[e] = check.invalid === 0;
  }
  onProgress?.(size, size);
  return { text, validIn: allSix(utf8, decided as Record<'windows-1252' | 'utf-16le' | 'utf-16be', boolean>) };
}

