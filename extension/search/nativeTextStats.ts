/**
 * Counts in the encodings other than UTF-8 by the native text scans
 * (ByteSource.textStats, native/textScans.cc), where the range of the
 * document lies in one file segment (no unsaved edits in it): then the scan
 * runs at memory speed on Hexmap's own worker thread. Elsewhere the callers
 * decode in JavaScript (countInDocument.ts). Either way the counts are the
 * ones shared/encodings countText gives: the native scans are its twins.
 */
import type { ScannableDocument } from '../document/documentModel';
import type { ScanOptions, TextScanResult } from '../engine/byteSource';
import { codecFor, type TextEncoding } from '../../shared/encodings';
import { overFileSegment } from './editedBytes';
import type { TextStats } from './countInDocument';

/** Per byte, 1 where the single-byte encoding flags it (windows-1252's undefined bytes, ASCII's 80..FF). */
export function flaggedBytes(encoding: TextEncoding): Uint8Array {
  const codec = codecFor(encoding);
  const flagged = new Uint8Array(256);
  const one = new Uint8Array(1);
  for (let b = 0; b < 256; b++) {
    one[0] = b;
    flagged[b] = codec.decodeUnit(one, 0, 1, 0).status === 'valid' ? 0 : 1;
  }
  return flagged;
}

/** A single-byte encoding's counts from a byte histogram (one byte is one character). */
export function countsFromHistogram(encoding: TextEncoding, histogram: number[], crlf: number): Omit<TextStats, 'invalidOffsets' | 'bom'> {
  const codec = codecFor(encoding);
  const flagged = flaggedBytes(encoding);
  const one = new Uint8Array(1);
  let bytes = 0;
  let invalid = 0;
  let nonAscii = 0;
  for (let b = 0; b < 256; b++) {
    const n = histogram[b];
    bytes += n;
    if (flagged[b]) invalid += n;
    else {
      one[0] = b;
      if (codec.decodeUnit(one, 0, 1, 0).codePoint > 0x7f) nonAscii += n;
    }
  }
  return { bytes, chars: bytes, invalid, nonAscii, supplementary: 0, nul: histogram[0], lf: histogram[0x0a] - crlf, crlf, cr: histogram[0x0d] - crlf };
}

export interface NativeTextOptions extends ScanOptions {
  maxInvalidOffsets: number;
  /** Stop at the first invalid unit: only "is it valid" is wanted. */
  stopAtInvalid?: boolean;
}

/**
 * The counts of [offset, offset+length) in `encoding` (not UTF-8) by the
 * native scan, or undefined when the backend has none or the range is not
 * one file segment.
 */
export async function nativeTextStats(doc: ScannableDocument, encoding: TextEncoding, offset: number, length: number,
  options: NativeTextOptions): Promise<TextStats | undefined> {
  const source = doc.source;
  if (encoding === 'utf-8' || typeof source.textStats !== 'function') return undefined;
  const single = codecFor(encoding).unitSize === 1;
  const result = await overFileSegment(doc, offset, offset + length, async (delta): Promise<TextScanResult> => source.textStats!({
    kind: single ? 'single-byte' : (encoding as 'utf-16le' | 'utf-16be'),
    offset: offset + delta, length, midUnit: !single && offset % 2 === 1,
    maxInvalidOffsets: options.maxInvalidOffsets, stopAtInvalid: options.stopAtInvalid,
    flagged: single ? flaggedBytes(encoding) : undefined, signal: options.signal, onProgress: options.onProgress,
  }).then((r) => ({ ...r, invalidOffsets: r.invalidOffsets.map((o) => o - delta) })));
  if (!result) return undefined;
  const counts = 'histogram' in result ? countsFromHistogram(encoding, result.histogram, result.crlf)
    : { bytes: result.bytes, chars: result.chars, invalid: result.invalid, nonAscii: result.nonAscii, supplementary: result.supplementary,
      nul: result.nul, lf: result.lf, crlf: result.crlf, cr: result.cr };
  // A stopped histogram scan counted only part of the range: its invalid count says only "at least one".
  if ('histogram' in result && result.stopped) counts.invalid = Math.max(1, result.invalidOffsets.length);
  let bom = false;
  if (offset === 0 && length >= 2 && !single) {
    const first = await doc.readBytes(0, 2);
    bom = encoding === 'utf-16le' ? first[0] === 0xff && first[1] === 0xfe : first[0] === 0xfe && first[1] === 0xff;
  }
  return { ...counts, invalidOffsets: result.invalidOffsets, bom };
}
