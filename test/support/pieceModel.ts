/**
 * A small document model over a real file, implementing the SnapshotSource
 * contract the save engine talks to: content as immutable piece lists (disk
 * ranges and byte runs), insert / delete / overwrite, undo / redo, revert,
 * and a saved point. Deliberately simple (a whole piece list per state), so
 * that the save engine's tests exercise the engine, not a clever model.
 */
import type { ByteSource } from '../../extension/engine/byteSource';
import { planSave, remapOf } from '../../extension/document/save/savePlan';
import type { DiskRemap, OldDiskReader, Piece, Snapshot, SnapshotSource } from '../../extension/document/snapshot';

interface State {
  id: number;
  pieces: Piece[];
  size: number;
}

export class PieceModel implements SnapshotSource {
  private history: State[];
  private at = 0;
  private savedId: number;
  private nextId = 1;
  private reader: OldDiskReader | undefined;
  diskSize: number;
  readonly calls: string[] = [];

  constructor(readonly source: ByteSource) {
    this.diskSize = source.size;
    const first: State = { id: 0, pieces: source.size ? [{ kind: 'disk', offset: 0, length: source.size }] : [], size: source.size };
    this.history = [first];
    this.savedId = 0;
  }

  get state(): State {
    return this.history[this.at];
  }

  get size(): number {
    return this.state.size;
  }

  get isDirty(): boolean {
    return this.state.id !== this.savedId;
  }

  get currentId(): number {
    return this.state.id;
  }

  replace(offset: number, deleteCount: number, bytes: Uint8Array): void {
    const { pieces, size } = this.state;
    if (offset + deleteCount > size) throw new RangeError('edit outside the document');
    const out = [...cut(pieces, 0, offset)];
    if (bytes.length) out.push({ kind: 'bytes', bytes: Uint8Array.from(bytes) });
    out.push(...cut(pieces, offset + deleteCount, size));
    this.history = this.history.slice(0, this.at + 1);
    this.history.push({ id: this.nextId++, pieces: normalize(out), size: size - deleteCount + bytes.length });
    this.at++;
  }

  overwrite(offset: number, bytes: Uint8Array): void {
    this.replace(offset, Math.min(bytes.length, this.size - offset), bytes);
  }

  undo(): boolean {
    if (this.at === 0) return false;
    this.at--;
    return true;
  }

  redo(): boolean {
    if (this.at >= this.history.length - 1) return false;
    this.at++;
    return true;
  }

  /** Back to the saved state, as a new step (like VS Code's revert, the history is kept). */
  revert(): void {
    const saved = this.history.find((s) => s.id === this.savedId);
    if (!saved || saved === this.state) return;
    this.history = this.history.slice(0, this.at + 1);
    this.history.push({ ...saved, id: this.savedId });
    this.at++;
  }

  /** The current content, read through the disk (or the mover's reader) and the byte runs. */
  async content(): Promise<Uint8Array> {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.state.pieces) {
      const bytes = p.kind === 'bytes' ? p.bytes : await this.readDisk(p.offset, p.length);
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }

  private async readDisk(offset: number, length: number): Promise<Uint8Array> {
    if (this.reader) return this.reader.read(offset, length);
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += 16 << 20) out.set(await this.source.read(offset + at, Math.min(16 << 20, length - at)), at);
    return out;
  }

  // ------------------------------------------------------------ SnapshotSource

  snapshot(): Snapshot {
    const s = this.state;
    return { size: s.size, diskSize: this.diskSize, pieces: s.pieces, stateId: s.id };
  }

  async preserveBeforeSave(snapshot: Snapshot): Promise<void> {
    this.calls.push('preserve');
    const kept = remapOf(planSave(snapshot)).kept;
    for (const state of this.history) {
      const out: Piece[] = [];
      for (const p of state.pieces) {
        if (p.kind === 'bytes') {
          out.push(p);
          continue;
        }
        for (const part of splitByKept(p.offset, p.length, kept)) {
          out.push(part.kept ? { kind: 'disk', offset: part.offset, length: part.length } : { kind: 'bytes', bytes: await this.readDisk(part.offset, part.length) });
        }
      }
      state.pieces = normalize(out);
    }
  }

  beginMove(reader: OldDiskReader): void {
    this.calls.push('beginMove');
    this.reader = reader;
  }

  endMove(): void {
    this.calls.push('endMove');
    this.reader = undefined;
  }

  savedAs(snapshot: Snapshot, remap: DiskRemap): void {
    this.calls.push('savedAs');
    for (const state of this.history) {
      state.pieces = normalize(state.pieces.flatMap((p): Piece[] => {
        if (p.kind === 'bytes') return [p];
        return splitByKept(p.offset, p.length, remap.kept).map((part) => {
          if (!part.kept) throw new Error('model refers to a disk byte the save removed (preserveBeforeSave missed it)');
          return { kind: 'disk', offset: part.to, length: part.length };
        });
      }));
    }
    this.diskSize = remap.newDiskSize;
    this.savedId = snapshot.stateId;
  }
}

function cut(pieces: readonly Piece[], start: number, end: number): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const p of pieces) {
    const len = p.kind === 'disk' ? p.length : p.bytes.length;
    const s = Math.max(start, at);
    const e = Math.min(end, at + len);
    if (e > s) out.push(p.kind === 'disk' ? { kind: 'disk', offset: p.offset + (s - at), length: e - s } : { kind: 'bytes', bytes: p.bytes.subarray(s - at, e - at) });
    at += len;
  }
  return out;
}

function normalize(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (p.kind === 'disk' && p.length === 0) continue;
    if (p.kind === 'bytes' && p.bytes.length === 0) continue;
    if (last && last.kind === 'disk' && p.kind === 'disk' && last.offset + last.length === p.offset) {
      out[out.length - 1] = { kind: 'disk', offset: last.offset, length: last.length + p.length };
    } else out.push(p);
  }
  return out;
}

function splitByKept(offset: number, length: number, kept: DiskRemap['kept']): { offset: number; to: number; length: number; kept: boolean }[] {
  const out: { offset: number; to: number; length: number; kept: boolean }[] = [];
  let at = offset;
  const end = offset + length;
  for (const k of kept) {
    if (k.from + k.length <= at) continue;
    if (k.from >= end) break;
    if (k.from > at) {
      out.push({ offset: at, to: -1, length: k.from - at, kept: false });
      at = k.from;
    }
    const e = Math.min(end, k.from + k.length);
    out.push({ offset: at, to: k.to + (at - k.from), length: e - at, kept: true });
    at = e;
  }
  if (at < end) out.push({ offset: at, to: -1, length: end - at, kept: false });
  return out;
}
