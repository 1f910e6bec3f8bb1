/**
 * The SnapshotSource contract over the overwrite-only edit model
 * (HexDocumentModel with its EditOverlay): a snapshot is the overlay's runs
 * as pieces over the disk, and completing a save hands the model the old
 * bytes the runs replaced, so its undo history still reaches them.
 */
import type { HexDocumentModel, SavedRun } from './hexDocumentModel';
import type { OverlayRun } from './editOverlay';
import { overlaySnapshot } from './save/saveInPlace';
import type { Snapshot, SnapshotSource } from './snapshot';

interface Taken {
  runs: OverlayRun[];
  at: number;
  saved?: SavedRun[];
}

export class OverlaySnapshotSource implements SnapshotSource {
  private readonly taken = new Map<number, Taken>();
  private nextId = 1;

  constructor(private readonly model: HexDocumentModel) {}

  snapshot(): Snapshot {
    const { runs, at } = this.model.beginSave();
    const id = this.nextId++;
    this.taken.set(id, { runs, at });
    return overlaySnapshot(this.model.size, runs, id);
  }

  async preserveBeforeSave(snapshot: Snapshot): Promise<void> {
    const t = this.taken.get(snapshot.stateId);
    if (!t) throw new Error('preserveBeforeSave: unknown snapshot');
    const saved: SavedRun[] = [];
    for (const run of t.runs) {
      const old = new Uint8Array(run.bytes.length);
      for (let o = 0; o < old.length; o += 16 << 20) old.set(await this.model.source.read(run.offset + o, Math.min(16 << 20, old.length - o)), o);
      saved.push({ offset: run.offset, bytes: run.bytes, old });
    }
    t.saved = saved;
  }

  beginMove(): void {
    // An overwrite-only model never changes the size: nothing moves.
  }

  endMove(): void {}

  savedAs(snapshot: Snapshot): void {
    const t = this.taken.get(snapshot.stateId);
    for (const id of [...this.taken.keys()]) if (id <= snapshot.stateId) this.taken.delete(id);
    if (!t) return;
    this.model.completeSave(t.saved ?? [], t.at);
  }
}
