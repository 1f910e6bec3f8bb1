/**
 * The property test of the edit model: random sequences of
 * edit / undo / redo / save / revert run on a HexDocumentModel over a real
 * file and, side by side, on a deliberately simple reference (a map of byte
 * overrides over the file's initial content). After every step the bytes the
 * model shows and the bytes on disk (read through a separate descriptor) must
 * equal the reference's, byte for byte.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { findJournal } from '../../extension/document/save/journal';
import type { ByteSource } from '../../extension/engine/byteSource';
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { saveInPlace } from '../../extension/document/save/saveInPlace';
import { statIdentity } from '../../extension/document/save/fileIdentity';
import { randomBytes } from './documentFiles';

/** The reference: every byte explicitly, history as before/after byte lists. */
export class ReferenceDocument {
  doc = new Map<number, number>();
  disk = new Map<number, number>();
  steps: { offset: number; before: number[]; after: number[] }[] = [];
  applied = 0;
  savedAt = 0;

  constructor(readonly base: (offset: number) => number) {}

  docAt(i: number): number {
    return this.doc.get(i) ?? this.diskAt(i);
  }

  diskAt(i: number): number {
    return this.disk.get(i) ?? this.base(i);
  }

  edit(offset: number, bytes: Uint8Array): void {
    if (this.applied < this.steps.length) {
      this.steps.length = this.applied;
      if (this.savedAt > this.applied) this.savedAt = -1;
    }
    const before = [...bytes].map((_, k) => this.docAt(offset + k));
    this.steps.push({ offset, before, after: [...bytes] });
    this.applied++;
    bytes.forEach((b, k) => this.doc.set(offset + k, b));
  }

  undo(): boolean {
    if (this.applied === 0) return false;
    const s = this.steps[--this.applied];
    s.before.forEach((b, k) => this.doc.set(s.offset + k, b));
    return true;
  }

  redo(): boolean {
    if (this.applied >= this.steps.length) return false;
    const s = this.steps[this.applied++];
    s.after.forEach((b, k) => this.doc.set(s.offset + k, b));
    return true;
  }

  save(): void {
    for (const [k, v] of this.doc) this.disk.set(k, v);
    this.doc.clear();
    this.savedAt = this.applied;
  }

  revert(): void {
    this.doc.clear();
    if (this.savedAt >= 0 && this.savedAt <= this.steps.length) {
      this.steps.length = this.savedAt;
      this.applied = this.savedAt;
    } else {
      this.steps = [];
      this.applied = this.savedAt = 0;
    }
  }
}

export interface PropertyRun {
  source: ByteSource;
  path: string;
  size: number;
  base: (offset: number) => number;
  journalDir: string;
  next: () => number;
  steps: number;
  /** Where edits land: a random offset for an edit of `length` bytes. */
  pickOffset: (length: number) => number;
  /** Check every byte (small files) or only the touched neighbourhoods (huge files). */
  checkAll: boolean;
}

export async function runEditProperty(r: PropertyRun): Promise<{ ops: Record<string, number> }> {
  const model = new HexDocumentModel(r.source);
  const ref = new ReferenceDocument(r.base);
  const touched = new Set<number>();
  let identity = await statIdentity(r.path);
  const ops: Record<string, number> = { edit: 0, undo: 0, redo: 0, save: 0, revert: 0 };
  const fd = openSync(r.path, 'r');
  try {
    for (let step = 0; step < r.steps; step++) {
      const roll = r.next();
      const where = `step ${step}`;
      if (roll < 0.5) {
        const length = 1 + Math.floor(r.next() * Math.min(16, r.size));
        const offset = r.pickOffset(length);
        const bytes = randomBytes(r.next, length);
        model.edit(offset, bytes, 'Edit');
        ref.edit(offset, bytes);
        for (let k = -1; k <= length; k++) touched.add(offset + k);
        ops.edit++;
      } else if (roll < 0.68) {
        assert.equal(model.undo(), ref.undo(), `${where}: undo availability`);
        ops.undo++;
      } else if (roll < 0.82) {
        assert.equal(model.redo(), ref.redo(), `${where}: redo availability`);
        ops.redo++;
      } else if (roll < 0.95) {
        const { runs, at } = model.beginSave();
        const result = await saveInPlace(r.source, runs, { journalDir: r.journalDir, expected: identity });
        model.completeSave(result.runs, at);
        identity = result.identity;
        ref.save();
        assert.equal(await findJournal(r.journalDir, r.path), undefined, `${where}: no armed journal after save`);
        ops.save++;
      } else {
        await model.revert();
        ref.revert();
        ops.revert++;
      }
      await check(model, ref, r, fd, touched, where);
    }
  } finally {
    closeSync(fd);
  }
  return { ops };
}

async function check(model: HexDocumentModel, ref: ReferenceDocument, r: PropertyRun, fd: number, touched: Set<number>, where: string): Promise<void> {
  const positions = r.checkAll ? undefined : [...touched].filter((p) => p >= 0 && p < r.size).sort((a, b) => a - b);
  if (positions === undefined) {
    const shown = await model.read(0, r.size);
    const disk = Buffer.alloc(r.size);
    readSync(fd, disk, 0, r.size, 0);
    for (let i = 0; i < r.size; i++) {
      if (shown[i] !== ref.docAt(i)) assert.fail(`${where}: shown byte ${i} is ${shown[i]}, expected ${ref.docAt(i)}`);
      if (disk[i] !== ref.diskAt(i)) assert.fail(`${where}: disk byte ${i} is ${disk[i]}, expected ${ref.diskAt(i)}`);
    }
  } else {
    const one = Buffer.alloc(1);
    for (const p of positions) {
      const [shown] = await model.read(p, 1);
      readSync(fd, one, 0, 1, p);
      if (shown !== ref.docAt(p)) assert.fail(`${where}: shown byte ${p} is ${shown}, expected ${ref.docAt(p)}`);
      if (one[0] !== ref.diskAt(p)) assert.fail(`${where}: disk byte ${p} is ${one[0]}, expected ${ref.diskAt(p)}`);
    }
  }
  // Every byte that differs from the disk is marked unsaved.
  const unsaved = model.unsavedRanges();
  const isUnsaved = (p: number) => unsaved.some((u) => p >= u.offset && p < u.offset + u.length);
  for (const [p, v] of ref.doc) {
    if (v !== ref.diskAt(p)) assert.ok(isUnsaved(p), `${where}: byte ${p} differs from disk but is not marked unsaved`);
  }
  if (!model.isDirty) for (const [p, v] of ref.doc) assert.equal(v, ref.diskAt(p), `${where}: clean model but byte ${p} differs`);
}
