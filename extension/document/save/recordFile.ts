/**
 * The one binary container for the journal and the hot-exit backup:
 *
 *   magic (8) | header length (uint32 LE) | payload length (float64 LE) | header (UTF-8 JSON) | payload | SHA-256 of all before it (32)
 *
 * The lengths make a record self-delimiting, so a journal can be rewritten in
 * place over a longer old one (bytes after the record are ignored). The
 * checksum makes a torn or corrupted record detectable, so recovery never
 * acts on half a journal.
 */
import { createHash } from 'node:crypto';

const HASH_BYTES = 32;
const PREFIX = 20;

export class RecordError extends Error {}

export function encodeRecord(magic: string, header: unknown, payload: readonly Uint8Array[]): Uint8Array {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadLength = payload.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(PREFIX + headerBytes.length + payloadLength + HASH_BYTES);
  out.set(magicOf(magic), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, headerBytes.length, true);
  view.setFloat64(12, payloadLength, true);
  out.set(headerBytes, PREFIX);
  let at = PREFIX + headerBytes.length;
  for (const p of payload) {
    out.set(p, at);
    at += p.length;
  }
  out.set(createHash('sha256').update(out.subarray(0, at)).digest(), at);
  return out;
}

/** The record's magic (first 8 bytes as text), to tell record kinds and states apart. */
export function recordMagic(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes.subarray(0, 8));
}

export function decodeRecord<H>(magic: string, bytes: Uint8Array): { header: H; payload: Uint8Array } {
  if (bytes.length < PREFIX + HASH_BYTES) throw new RecordError(`record too short (${bytes.length} bytes)`);
  const magicBytes = magicOf(magic);
  for (let i = 0; i < 8; i++) if (bytes[i] !== magicBytes[i]) throw new RecordError(`not a ${magic} record`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const headerLength = view.getUint32(8, true);
  const payloadLength = view.getFloat64(12, true);
  const bodyEnd = PREFIX + headerLength + payloadLength;
  if (!Number.isSafeInteger(payloadLength) || bodyEnd + HASH_BYTES > bytes.length) {
    throw new RecordError('record is incomplete (torn write)');
  }
  const digest = createHash('sha256').update(bytes.subarray(0, bodyEnd)).digest();
  const stored = bytes.subarray(bodyEnd, bodyEnd + HASH_BYTES);
  for (let i = 0; i < HASH_BYTES; i++) if (digest[i] !== stored[i]) throw new RecordError('checksum mismatch (torn or corrupted record)');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + headerLength))) as H;
  return { header, payload: bytes.subarray(PREFIX + headerLength, bodyEnd) };
}

function magicOf(magic: string): Uint8Array {
  const m = new TextEncoder().encode(magic);
  if (m.length !== 8) throw new Error('record magic must be 8 bytes');
  return m;
}
