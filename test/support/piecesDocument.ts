/**
 * A ScannableDocument written the obvious way, for search and count tests:
 * a plain list of pieces over a ByteSource, each disk piece a range of the
 * source, each bytes piece bytes in memory. It shares no code with the
 * model's piece table, so the scans are checked against an independent
 * description of the same document.
 */
import type { ByteSource } from '../../extension/engine/byteSource';
import type { DocumentSegment, ScannableDocument } from '../../extension/document/documentModel';
import type { Piece } from '../../extension/document/snapshot';

export class PiecesDocument implements ScannableDocument {
  private readonly pieces: Piece[];
  constructor(readonly source: ByteSource, pieces: Piece[]) {
    this.pieces = pieces.filter((p) => (p.kind === 'disk' ? p.length : p.bytes.length) > 0);
  }

  get size(): number {
    return this.pieces.reduce((n, p) => n + (p.kind === 'disk' ? p.length : p.bytes.length), 0);
  }

  segments(offset: number, length: number): DocumentSegment[] {
    const out: DocumentSegment[] = [];
    let at = 0;
    for (const p of this.pieces) {
      const len = p.kind === 'disk' ? p.length : p.bytes.length;
      const from = Math.max(offset, at);
      const to = Math.min(offset + length, at + len);
      if (to > from) {
        out.push(p.kind === 'disk'
          ? { start: from, length: to - from, diskOffset: p.offset + from - at }
          : { start: from, length: to - from, bytes: p.bytes.subarray(from - at, to - at) });
      }
      at += len;
    }
    // Disk pieces that continue each other are one segment, as in the model's normal form.
    const merged: DocumentSegment[] = [];
    for (const s of out) {
      const last = merged[merged.length - 1];
      if (last && last.diskOffset !== undefined && s.diskOffset !== undefined && last.diskOffset + last.length === s.diskOffset) {
        merged[merged.length - 1] = { start: last.start, length: last.length + s.length, diskOffset: last.diskOffset };
      } else merged.push(s);
    }
    return merged;
  }

  async readBytes(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || offset + length > this.size) throw new RangeError(`read ${offset}+${length} outside ${this.size}`);
    const out = new Uint8Array(length);
    for (const s of this.segments(offset, length)) {
      if (s.bytes) out.set(s.bytes, s.start - offset);
      else {
        for (let done = 0; done < s.length; done += 1 << 24) {
          const n = Math.min(1 << 24, s.length - done);
          out.set(await this.source.read(s.diskOffset + done, n), s.start - offset + done);
        }
      }
    }
    return out;
  }

  readonly layoutEpoch = 0;

  scansAllowed(): Promise<void> {
    return Promise.resolve();
  }
}

/** The document "source bytes with these overwrite runs laid over them". */
export function overlaidDocument(source: ByteSource, overlay: { runs(): { offset: number; bytes: Uint8Array }[] }): PiecesDocument {
  const pieces: Piece[] = [];
  let at = 0;
  for (const run of overlay.runs()) {
    if (run.offset > at) pieces.push({ kind: 'disk', offset: at, length: run.offset - at });
    pieces.push({ kind: 'bytes', bytes: run.bytes });
    at = run.offset + run.bytes.length;
  }
  if (source.size > at) pieces.push({ kind: 'disk', offset: at, length: source.size - at });
  return new PiecesDocument(source, pieces);
}

/** The document's bytes in one array: each disk piece cut from `disk`, each bytes piece as it is. */
export function flattenPieces(disk: Uint8Array, pieces: Piece[]): Uint8Array {
  const parts = pieces.map((p) => (p.kind === 'disk' ? disk.subarray(p.offset, p.offset + p.length) : p.bytes));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
