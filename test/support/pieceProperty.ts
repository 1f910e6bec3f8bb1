/**
 * The property test of the piece model: random inserts, deletes,
 * overwrites, batches, undo, redo, revert and saves run on a
 * HexDocumentModel over a real file and, side by side, on a deliberately
 * plain reference (an array of bytes, history as before/after byte lists).
 *
 * A save is done the way the save engine does it, against the
 * SnapshotSource contract: snapshot(), preserveBeforeSave, the new content
 * written into the real file (only what is not already in place), a
 * DiskRemap built from the snapshot's disk pieces, savedAs. Random edits,
 * undos, redos and reverts land between those calls, and windows are read
 * while the bytes "move" (through the OldDiskReader).
 *
 * Huge files: the reference holds the file as "base bytes with overrides" up
 * to `tailStart`, and a plain array after it; size changes stay in the tail
 * (so a save moves at most the tail), overwrites go anywhere.
 */
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { changeSize, type ByteSource } from '../../extension/engine/byteSource';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import type { KeptRange, Snapshot } from '../../extension/document/snapshot';
import { randomBytes } from './documentFiles';

/** Content as "head overrides over base, then a plain tail". */
class Content {
  constructor(
    readonly base: (offset: number) => number,
    readonly tailStart: number,
    public head: Map<number, number>,
    public tail: number[],
  ) {}

  get size(): number {
    return this.tailStart + this.tail.length;
  }

  at(i: number): number {
    if (i >= this.tailStart) return this.tail[i - this.tailStart];
    return this.head.get(i) ?? this.base(i);
  }

  slice(offset: number, length: number): number[] {
    return Array.from({ length }, (_, k) => this.at(offset + k));
  }

  /** Replace [offset, offset+del) with bytes; returns the removed bytes. */
  replace(offset: number, del: number, bytes: number[]): number[] {
    const removed = this.slice(offset, del);
    if (offset >= this.tailStart) {
      this.tail.splice(offset - this.tailStart, del, ...bytes);
    } else {
      assert.equal(del, bytes.length, 'reference: only overwrites before the tail');
      bytes.forEach((b, k) => {
        const p = offset + k;
        if (p >= this.tailStart) this.tail[p - this.tailStart] = b;
        else this.head.set(p, b);
      });
    }
    return removed;
  }

  clone(): Content {
    return new Content(this.base, this.tailStart, new Map(this.head), this.tail.slice());
  }
}

interface RefPart { offset: number; removed: number[]; inserted: number[] }
interface RefStep { id: number; parts: RefPart[] }

/** The reference document: content, disk, history with state ids (as the model's contract says). */
export class ReferenceModel {
  doc: Content;
  disk: Content;
  steps: RefStep[] = [];
  applied = 0;
  baseId = 0;
  savedId = 0;
  private nextId = 1;

  constructor(base: (offset: number) => number, size: number, tailStart: number) {
    const tail = Array.from({ length: size - tailStart }, (_, k) => base(tailStart + k));
    this.doc = new Content(base, tailStart, new Map(), tail);
    this.disk = this.doc.clone();
  }

  get stateId(): number {
    return this.applied > 0 ? this.steps[this.applied - 1].id : this.baseId;
  }

  batch(edits: { offset: number; del: number; bytes: number[] }[]): void {
    this.steps.length = this.applied;
    const parts: RefPart[] = [];
    for (const e of [...edits].sort((a, b) => b.offset - a.offset)) {
      parts.push({ offset: e.offset, removed: this.doc.replace(e.offset, e.del, e.bytes), inserted: e.bytes });
    }
    this.steps.push({ id: this.nextId++, parts });
    this.applied++;
  }

  undo(): boolean {
    if (this.applied === 0) return false;
    const s = this.steps[--this.applied];
    for (const p of [...s.parts].reverse()) this.doc.replace(p.offset, p.inserted.length, p.removed);
    return true;
  }

  redo(): boolean {
    if (this.applied >= this.steps.length) return false;
    const s = this.steps[this.applied++];
    for (const p of s.parts) this.doc.replace(p.offset, p.removed.length, p.inserted);
    return true;
  }

  /** Back to the state `targetId` with content `content` (the disk, or the snapshot being saved). */
  revert(targetId: number, content: Content): void {
    this.doc = content.clone();
    const at = targetId === this.baseId ? 0 : this.steps.findIndex((s) => s.id === targetId) + 1;
    if (at > 0 || targetId === this.baseId) {
      this.steps.length = at;
      this.applied = at;
    } else {
      this.steps = [];
      this.applied = 0;
      this.baseId = targetId;
    }
  }
}

export interface PieceRun {
  source: ByteSource;
  path: string;
  size: number;
  base: (offset: number) => number;
  next: () => number;
  steps: number;
  /** Size changes only at or after this offset (0: anywhere). */
  tailStart: number;
  /** Compare every byte (small files) or the tail and the touched offsets (huge files). */
  checkAll: boolean;
}

export async function runPieceProperty(r: PieceRun): Promise<Record<string, number>> {
  const model = new HexDocumentModel(r.source);
  const ref = new ReferenceModel(r.base, r.size, r.tailStart);
  const touched = new Set<number>();
  const ops: Record<string, number> = { overwrite: 0, insert: 0, delete: 0, replace: 0, batch: 0, undo: 0, redo: 0, save: 0, revert: 0, midSave: 0 };
  const fd = openSync(r.path, 'r+');
  let savingSnapshot: { snap: Snapshot; content: Content } | undefined;

  /** One random edit, undo, redo or revert, on both. */
  const randomOp = async (where: string, allowRevert: boolean) => {
    const roll = r.next();
    if (roll < 0.55) {
      // Sometimes a batch large enough for the one-pass path (Replace All).
      const count = r.next() < 0.2 ? 1 + Math.floor(r.next() * 5) : r.next() < 0.08 ? 40 + Math.floor(r.next() * 20) : 1;
      const edits = randomEdits(r, ref.doc.size, count);
      if (edits.length === 0) return;
      for (const e of edits) {
        const kind = e.del === e.bytes.length ? 'overwrite' : e.del === 0 ? 'insert' : e.bytes.length === 0 ? 'delete' : 'replace';
        ops[kind]++;
        for (let k = -1; k <= Math.max(e.del, e.bytes.length); k++) touched.add(e.offset + k);
      }
      if (edits.length > 1) ops.batch++;
      if (edits.length === 1 && r.next() < 0.5) model.replace(edits[0].offset, edits[0].del, Uint8Array.from(edits[0].bytes), 'Edit');
      else model.editBatch(edits.map((e) => ({ offset: e.offset, deleteLength: e.del, bytes: Uint8Array.from(e.bytes) })), 'Batch');
      ref.batch(edits);
    } else if (roll < 0.75) {
      assert.equal(model.undo(), ref.undo(), `${where}: undo availability`);
      ops.undo++;
    } else if (roll < 0.93 || !allowRevert) {
      assert.equal(model.redo(), ref.redo(), `${where}: redo availability`);
      ops.redo++;
    } else {
      await model.revert();
      if (savingSnapshot) ref.revert(savingSnapshot.snap.stateId, savingSnapshot.content);
      else ref.revert(ref.savedId, ref.disk);
      ops.revert++;
    }
  };

  try {
    for (let step = 0; step < r.steps; step++) {
      const where = `step ${step}`;
      if (r.next() < 0.85) {
        await randomOp(where, true);
      } else {
        // A save, with edits, undos, redos and reverts between the contract's calls.
        const snap = model.snapshot();
        assert.equal(snap.size, ref.doc.size, `${where}: snapshot size`);
        const pending = { snap, content: ref.doc.clone() };
        const oldDisk = ref.disk.clone();
        // Before preserveBeforeSave the model does not know a save started: a revert goes to the disk.
        for (let k = Math.floor(r.next() * 3); k > 0; k--) { await randomOp(`${where} before preserve`, true); ops.midSave++; }
        await model.preserveBeforeSave(snap);
        savingSnapshot = pending;
        for (let k = Math.floor(r.next() * 3); k > 0; k--) { await randomOp(`${where} after preserve`, true); ops.midSave++; }
        const { writes, kept } = planSave(snap, (o, n) => Uint8Array.from(oldDisk.slice(o, n)));
        const moves = snap.size !== snap.diskSize || writes.some((w) => w.moved);
        if (moves) model.beginMove({ read: async (o, n) => Uint8Array.from(oldDisk.slice(o, n)) });
        // The save's own way to resize: a mapped source lets go of its view around it on Windows.
        await changeSize(r.source, async () => ftruncateSync(fd, snap.size));
        for (const w of writes) writeSync(fd, w.bytes, 0, w.bytes.length, w.offset);
        await r.source.refresh();
        if (!moves) await checkSome(model, ref, r, `${where} after the writes`);
        if (moves) {
          // Windows show the right bytes while the save moves them; edits still work.
          await checkSome(model, ref, r, `${where} during the move`);
          if (r.next() < 0.5) { await randomOp(`${where} during the move`, false); ops.midSave++; }
        }
        model.savedAs(snap, { kept, newDiskSize: snap.size });
        if (moves) model.endMove();
        ref.disk = savingSnapshot.content;
        ref.savedId = snap.stateId;
        savingSnapshot = undefined;
        ops.save++;
      }
      await check(model, ref, r, fd, touched, where);
    }
  } finally {
    closeSync(fd);
  }
  return ops;
}

function randomEdits(r: PieceRun, size: number, count: number): { offset: number; del: number; bytes: number[] }[] {
  const out: { offset: number; del: number; bytes: number[] }[] = [];
  let floor = 0;
  for (let i = 0; i < count; i++) {
    const inTail = r.tailStart === 0 || r.next() < 0.5;
    const lo = Math.max(floor, inTail ? r.tailStart : 0);
    const hi = inTail ? size : Math.min(size, r.tailStart);
    if (hi < lo) break;
    // Spread over what is left, so large batches keep their count.
    const reach = Math.max(1, Math.floor((hi - lo + 1) / (count - i)));
    const offset = lo + Math.floor(r.next() * reach);
    const room = hi - offset;
    const kindRoll = r.next();
    const len = 1 + Math.floor(r.next() * (count > 10 ? 4 : 12));
    let del: number;
    let n: number;
    if (!inTail || kindRoll < 0.4) { del = Math.min(len, inTail ? room : Math.min(room, r.tailStart - offset)); n = del; }
    else if (kindRoll < 0.65) { del = 0; n = len; }
    else if (kindRoll < 0.85) { del = Math.min(len, room); n = 0; }
    else { del = Math.min(len, room); n = 1 + Math.floor(r.next() * 12); }
    if (del === 0 && n === 0) continue;
    out.push({ offset, del, bytes: [...randomBytes(r.next, n)] });
    floor = offset + del + 1;
  }
  return out;
}

/**
 * What a save writes and what it keeps: every snapshot piece not already at
 * its own place is written; each old disk range a disk piece of the
 * snapshot names is kept once, at that piece's place (the first piece that
 * names it).
 */
function planSave(snap: Snapshot, readOld: (offset: number, length: number) => Uint8Array): { writes: { offset: number; bytes: Uint8Array; moved: boolean }[]; kept: KeptRange[] } {
  const writes: { offset: number; bytes: Uint8Array; moved: boolean }[] = [];
  const kept: KeptRange[] = [];
  let at = 0;
  for (const p of snap.pieces) {
    const len = p.kind === 'disk' ? p.length : p.bytes.length;
    if (p.kind === 'bytes') writes.push({ offset: at, bytes: p.bytes, moved: false });
    else {
      if (p.offset !== at) writes.push({ offset: at, bytes: readOld(p.offset, p.length), moved: true });
      // Keep the parts of [p.offset, +len) no earlier piece kept.
      let from = p.offset;
      const end = p.offset + len;
      const sorted = [...kept].sort((a, b) => a.from - b.from);
      for (const k of sorted) {
        if (k.from + k.length <= from || k.from >= end) continue;
        if (k.from > from) kept.push({ from, to: at + (from - p.offset), length: k.from - from });
        from = Math.max(from, k.from + k.length);
      }
      if (from < end) kept.push({ from, to: at + (from - p.offset), length: end - from });
    }
    at += len;
  }
  kept.sort((a, b) => a.from - b.from);
  return { writes, kept };
}

async function checkSome(model: HexDocumentModel, ref: ReferenceModel, r: PieceRun, where: string): Promise<void> {
  const size = ref.doc.size;
  assert.equal(model.size, size, `${where}: size`);
  if (size === 0) return;
  const offset = Math.floor(r.next() * size);
  const length = Math.min(size - offset, 1 + Math.floor(r.next() * 4096));
  assert.deepEqual([...await model.read(offset, length)], ref.doc.slice(offset, length), `${where}: bytes at ${offset}+${length}`);
}

async function check(model: HexDocumentModel, ref: ReferenceModel, r: PieceRun, fd: number, touched: Set<number>, where: string): Promise<void> {
  const size = ref.doc.size;
  assert.equal(model.size, size, `${where}: size`);
  assert.equal(model.isDirty, ref.stateId !== ref.savedId, `${where}: dirty flag`);
  const ranges: [number, number][] = r.checkAll
    ? [[0, size]]
    : [[r.tailStart, size], ...[...touched].filter((p) => p >= 0 && p < r.tailStart).map((p): [number, number] => [p, p + 1])];
  for (const [from, to] of ranges) {
    if (to <= from) continue;
    const shown = await model.read(from, to - from);
    for (let i = from; i < to; i++) {
      if (shown[i - from] !== ref.doc.at(i)) assert.fail(`${where}: shown byte ${i} is ${shown[i - from]}, expected ${ref.doc.at(i)}`);
    }
  }
  // The disk holds the last saved state, byte for byte.
  const disk = ref.disk;
  const diskRanges: [number, number][] = r.checkAll
    ? [[0, disk.size]]
    : [[r.tailStart, disk.size], ...[...touched].filter((p) => p >= 0 && p < r.tailStart).map((p): [number, number] => [p, p + 1])];
  for (const [from, to] of diskRanges) {
    if (to <= from) continue;
    const buf = Buffer.alloc(to - from);
    readSync(fd, buf, 0, buf.length, from);
    for (let i = from; i < to; i++) {
      if (buf[i - from] !== disk.at(i)) assert.fail(`${where}: disk byte ${i} is ${buf[i - from]}, expected ${disk.at(i)}`);
    }
  }
  // Edited runs are exactly the bytes held in memory: within the document, sorted, apart.
  let end = -1;
  for (const u of model.unsavedRanges()) {
    assert.ok(u.offset > end && u.length > 0 && u.offset + u.length <= size, `${where}: unsaved ranges well formed`);
    end = u.offset + u.length;
  }
}
