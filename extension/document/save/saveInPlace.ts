/**
 * Saving a set of overwritten runs (the overlay model's unsaved bytes) with
 * the save engine: the runs become a snapshot of pieces, and the old bytes
 * they replace are handed back so the model can keep them for undo.
 */
import { HexmapError, type ByteSource } from '../../engine/byteSource';
import type { WritePathKind } from '../../engine/fileWriter';
import type { OverlayRun } from '../editOverlay';
import type { SavedRun } from '../hexDocumentModel';
import type { Piece, Snapshot, SnapshotSource } from '../snapshot';
import type { FileIdentity } from './fileIdentity';
import { saveSnapshot } from './saveEngine';
import type { SaveFaults } from './saveFaults';

export interface SaveInPlaceOptions {
  /** Where the journal goes (the extension's global storage). */
  journalDir: string;
  /** The file version the document last saw; a different one on disk means someone else changed it. */
  expected?: FileIdentity;
  faults?: SaveFaults;
  writePath?: WritePathKind;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface SaveInPlaceResult {
  runs: SavedRun[];
  /** The file's identity after the save (the next save's `expected`). */
  identity: FileIdentity;
  /** Set when the save succeeded but the journal could not be closed (the user should know). */
  warning?: string;
}

/** The snapshot of `size` bytes of disk with `runs` laid over it. */
export function overlaySnapshot(size: number, runs: readonly OverlayRun[], stateId = 0): Snapshot {
  const pieces: Piece[] = [];
  let at = 0;
  for (const run of runs) {
    if (run.offset > at) pieces.push({ kind: 'disk', offset: at, length: run.offset - at });
    pieces.push({ kind: 'bytes', bytes: run.bytes });
    at = run.offset + run.bytes.length;
  }
  if (at < size) pieces.push({ kind: 'disk', offset: at, length: size - at });
  return { size: Math.max(size, at), diskSize: size, pieces, stateId };
}

export async function saveInPlace(source: ByteSource, runs: readonly OverlayRun[], options: SaveInPlaceOptions): Promise<SaveInPlaceResult> {
  await source.refresh();
  const size = source.size;
  const saved: SavedRun[] = [];
  const model: SnapshotSource = {
    snapshot: () => overlaySnapshot(size, runs),
    async preserveBeforeSave() {
      for (const run of runs) saved.push({ offset: run.offset, bytes: run.bytes, old: await readAll(source, run.offset, run.bytes.length) });
    },
    beginMove: () => undefined,
    endMove: () => undefined,
    savedAs: () => undefined,
  };
  for (const run of runs) {
    if (run.offset + run.bytes.length > size) {
      throw new HexmapError(`Not saved: ${source.path} is now ${size} bytes, shorter than the edit at offset ${run.offset}. The file was truncated by another program.`, 'ERR_HEXMAP_TRUNCATED', source.path);
    }
  }
  const outcome = await saveSnapshot({ source, model, snapshot: model.snapshot(), journalDir: options.journalDir, expected: options.expected, faults: options.faults, writePath: options.writePath, signal: options.signal, onProgress: options.onProgress });
  return { runs: saved, identity: outcome.identity, warning: outcome.warning };
}

async function readAll(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let at = 0; at < length; at += 16 << 20) out.set(await source.read(offset + at, Math.min(16 << 20, length - at)), at);
  return out;
}
