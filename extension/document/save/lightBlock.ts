/**
 * A light shift block: a block whose new content is the old file moved by a
 * small distance d (an insert or a delete of a few bytes far before it). It
 * is journaled without its bytes.
 *
 * Why that is enough: a block of new content at [s, e) moved by delta
 * (new[p] = old[p + delta]) overwrites old bytes whose new place is, for all
 * but d bytes per page, in the same page. A crash while the block is being
 * written leaves each page (the unit the page cache and the disk write
 * whole) holding either its old or its new content. An old byte is then
 * either still at its old offset (its page is old) or at its new offset in
 * the same page (its page is new), except the d bytes at the page's edge
 * whose new offset is in the neighbouring page: those, and a CRC-32 of every
 * page's old content, are what the journal keeps. For d = 1 that is 5 bytes
 * per 4 KiB page instead of the page: a head insert in an 8 GiB file
 * journals about 10 MiB, not 8 GiB.
 *
 * After a crash, a page whose bytes match its old CRC is old (or new and
 * equal to old: the same bytes either way); any other page is rebuilt as new
 * and the result must match the old CRC. A page holding neither (torn inside
 * a page: a killed process cannot cause it, writes reach the page cache
 * page by page, but a power cut on some disks can) is reported, never guessed.
 *
 * Units are aligned to absolute file offsets (multiples of UNIT), clipped
 * to the block: the page cache writes whole aligned pages.
 */
import * as zlib from 'node:zlib';

/** Bytes per unit: the page size of the page cache. */
export const UNIT = 4096;
/** Largest distance a light block is used for: beyond it the edges make most of a page. */
export const MAX_LIGHT_DISTANCE = 512;

const crc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** Whether light blocks are available here (zlib.crc32: Node 20.15 or later). */
export const lightBlocksAvailable = typeof crc32 === 'function';

export interface LightInfo {
  /** new[p] = old[p + delta]; |delta| <= MAX_LIGHT_DISTANCE, never 0. */
  delta: number;
  /** Journal offset of the payload (absolute once the step is written). */
  at: number;
}

/** How many units [s, e) spans. */
export function unitCount(s: number, e: number): number {
  return Math.floor((e - 1) / UNIT) - Math.floor(s / UNIT) + 1;
}

function unitBounds(s: number, e: number, i: number): [number, number] {
  const first = Math.floor(s / UNIT);
  const a = i === 0 ? s : (first + i) * UNIT;
  return [a, Math.min(e, (first + i + 1) * UNIT)];
}

/** Payload bytes of a light block: one old CRC (4 bytes) per unit, then one edge slot of d bytes per unit. */
export function lightPayloadLength(s: number, e: number, delta: number): number {
  return unitCount(s, e) * (4 + Math.abs(delta));
}

/**
 * The edge bytes of unit [a, b) that the journal keeps: the old bytes whose
 * new offset lies outside the unit. Moving up (delta < 0) those are the last
 * d; moving down, the first d (clipped to the unit).
 */
function edge(a: number, b: number, delta: number): [number, number] {
  const d = Math.abs(delta);
  return delta < 0 ? [Math.max(a, b - d), b] : [a, Math.min(b, a + d)];
}

/** Where the edge [es, ee) of unit [a, b) sits inside its slot of d bytes. */
function slotOffset(a: number, b: number, es: number, delta: number): number {
  const d = Math.abs(delta);
  return delta < 0 ? d - (b - es) : es - a;
}

/** Units checksummed between two turns of the event loop (1 MiB: about a quarter of a millisecond). */
const UNITS_PER_SLICE = 256;

/** The journal payload of light block [s, e); `oldBytes` is the old content of [s, e). */
export async function lightPayload(s: number, e: number, delta: number, oldBytes: Uint8Array): Promise<Uint8Array> {
  const n = unitCount(s, e);
  const d = Math.abs(delta);
  const out = new Uint8Array(n * (4 + d));
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % UNITS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const [a, b] = unitBounds(s, e, i);
    view.setUint32(4 * i, crc32!(oldBytes.subarray(a - s, b - s)), true);
    const [es, ee] = edge(a, b, delta);
    out.set(oldBytes.subarray(es - s, ee - s), 4 * n + i * d + slotOffset(a, b, es, delta));
  }
  return out;
}

export class TornBlockError extends Error {}

/**
 * The old content of [s, e) from what the file holds there now (`current`,
 * each unit old or new) and the block's payload. Every unit rebuilt is checked
 * against its old CRC.
 */
export function rebuildOld(s: number, e: number, delta: number, current: Uint8Array, payload: Uint8Array): Uint8Array {
  const n = unitCount(s, e);
  const d = Math.abs(delta);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const out = new Uint8Array(e - s);
  for (let i = 0; i < n; i++) {
    const [a, b] = unitBounds(s, e, i);
    const here = current.subarray(a - s, b - s);
    const oldCrc = view.getUint32(4 * i, true);
    if (crc32!(here) === oldCrc) {
      out.set(here, a - s);
      continue;
    }
    fromNewUnit(a, b, delta, current, s, payload.subarray(4 * n + i * d, 4 * n + (i + 1) * d), out, s);
    if (crc32!(out.subarray(a - s, b - s)) !== oldCrc) {
      throw new TornBlockError(`the page at offset ${a} holds neither its old nor its new bytes (torn by a power cut?)`);
    }
  }
  return out;
}

/**
 * Old bytes of unit [a, b) (its intersection with [rs, re)) when the unit
 * holds its new content: the inner ones from their new offsets (`newAt`:
 * bytes of the file from offset newBase), the edge from the slot.
 */
function fromNewUnit(a: number, b: number, delta: number, newAt: Uint8Array, newBase: number, slot: Uint8Array, out: Uint8Array, outBase: number, rs = a, re = b): void {
  const [es, ee] = edge(a, b, delta);
  const inner: [number, number] = delta < 0 ? [a, es] : [ee, b];
  const is = Math.max(rs, inner[0]);
  const ie = Math.min(re, inner[1]);
  // old[x] = new[x - delta]
  if (ie > is) out.set(newAt.subarray(is - delta - newBase, ie - delta - newBase), is - outBase);
  const ss = Math.max(rs, es);
  const se = Math.min(re, ee);
  if (se > ss) out.set(slot.subarray(slotOffset(a, b, ss, delta), slotOffset(a, b, ss, delta) + (se - ss)), ss - outBase);
}

/**
 * Old bytes [rs, re) of light block [s, e) once it is written and durable
 * (every unit new), into `out` at rs - outBase. `newBytes` holds the file's
 * bytes from offset newBase on, covering [rs - delta, re - delta) clipped to
 * the block; `slots` are the edge slots of units firstUnit on.
 */
export function oldFromWritten(
  s: number, e: number, delta: number, rs: number, re: number, newBytes: Uint8Array, newBase: number,
  slots: Uint8Array, firstUnit: number, out: Uint8Array, outBase: number,
): void {
  const d = Math.abs(delta);
  for (let i = firstUnit; ; i++) {
    const [a, b] = unitBounds(s, e, i);
    if (a >= re) break;
    if (b > rs) fromNewUnit(a, b, delta, newBytes, newBase, slots.subarray((i - firstUnit) * d, (i - firstUnit + 1) * d), out, outBase, Math.max(rs, a), Math.min(re, b));
  }
}

/** The unit index of offset x in block [s, e). */
export function unitOf(s: number, x: number): number {
  return Math.floor(x / UNIT) - Math.floor(s / UNIT);
}

/** Journal offset (from the payload's start) of unit i's edge slot. */
export function slotAt(s: number, e: number, delta: number, i: number): number {
  return 4 * unitCount(s, e) + i * Math.abs(delta);
}
