/**
 * What a save writes, and how a finished save changed the disk: the contract
 * between the document model (which edits) and the save engine (which writes).
 *
 * A snapshot is an immutable description of the document's content at one
 * moment, as a sequence of pieces: ranges of the file as it is on disk, and
 * runs of bytes held in memory. Taking one copies no bytes. Edits, undo and
 * redo made while a save runs act on the live model, never on a snapshot
 * already taken, so the save writes exactly the state the user saved.
 *
 * The save engine owns the disk: it writes a snapshot in place (only what
 * changed or must move), journaled. The model owns the history: before the
 * engine overwrites or removes any disk bytes, it asks the model to keep a
 * copy of those the live state or the undo history still refer to
 * (`preserveBeforeSave`); when the save completes, it tells the model where
 * every surviving old byte now lies (`DiskRemap`) so the model can rebase.
 */

/** A piece of document content. */
export type Piece =
  /** `length` bytes of the file as it was when the snapshot was taken, from `offset`. */
  | { readonly kind: 'disk'; readonly offset: number; readonly length: number }
  /** Bytes held in memory. Never mutated once created (pieces share buffers). */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array };

export interface Snapshot {
  /** Bytes of content the snapshot describes (the sum of the pieces' lengths). */
  readonly size: number;
  /** Size of the file on disk that the disk pieces refer to. */
  readonly diskSize: number;
  /** In document order, covering [0, size). No empty pieces; adjacent disk pieces that continue each other are merged. */
  readonly pieces: readonly Piece[];
  /** Names the model state this snapshot was taken of; the model marks that state saved when the save completes. */
  readonly stateId: number;
}

/** A range of the old disk content that survives a save, and where it now lies. */
export interface KeptRange {
  readonly from: number;
  readonly to: number;
  readonly length: number;
}

/**
 * How a completed save changed the disk. Old bytes not covered by `kept` were
 * overwritten or removed (the model preserved copies of the ones it needed).
 * An overwrite-only save keeps every unchanged byte at its own offset.
 */
export interface DiskRemap {
  /** Sorted by `from`, non-overlapping. */
  readonly kept: readonly KeptRange[];
  /** Size of the file after the save (the snapshot's size). */
  readonly newDiskSize: number;
}

/**
 * Where old disk bytes are while a save moves them. A size-changing save
 * rewrites the file from its first moved byte on, block by block; in the
 * meantime an old byte is at its old offset, at its new one, or in the block
 * being copied, and only the save engine knows which. It installs a reader
 * for the model while it moves bytes, so windows keep showing the right bytes.
 */
export interface OldDiskReader {
  /** The bytes that were at [offset, offset + length) of the old file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * Old disk bytes the save engine already holds in memory (it reads the bytes
 * it will overwrite once, for the journal and the conflict check). Handing
 * them to preserveBeforeSave spares the model a second read of each.
 */
export interface KnownOldBytes {
  /** The old bytes of [offset, offset + length) when held (a view; never mutated), else undefined. */
  get(offset: number, length: number): Uint8Array | undefined;
  /**
   * Reads old bytes the engine does not hold (a fresh copy), off the event
   * loop and without touching the mapping: copying hundreds of MiB out of a
   * mapping runs on the JS thread and counts every page in the host's RSS.
   * Into `into` (from its start) when given.
   */
  read?(offset: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
}

/** The part of the model the save engine talks to. */
export interface SnapshotSource {
  /** The current state, as pieces. O(pieces); copies no bytes. */
  snapshot(): Snapshot;
  /**
   * Called once per save, before the engine writes anything: copy into memory
   * every old disk byte that the live state or the undo/redo history refers
   * to and that saving `snapshot` will overwrite or remove. After it resolves,
   * nothing in the model depends on those disk bytes any more. `known`
   * (optional): old bytes the engine already read; the model takes them from
   * there and reads from disk only what it lacks.
   */
  preserveBeforeSave(snapshot: Snapshot, known?: KnownOldBytes): Promise<void>;
  /**
   * While a save moves bytes (between the two calls), the model reads disk
   * pieces through `reader` and holds back native whole-file scans until
   * `endMove`. An overwrite-only save never calls these: after
   * preserveBeforeSave nothing in the model refers to the bytes it overwrites.
   */
  beginMove(reader: OldDiskReader): void;
  endMove(): void;
  /** The save of `snapshot` completed and is durable: rebase on the new disk and mark that state saved. */
  savedAs(snapshot: Snapshot, remap: DiskRemap): void;
  /**
   * Optional: savedAs in two halves. The engine calls this while the file's
   * last flush runs (the rebase is computed then) and `commit` instead of
   * savedAs once the save is durable and checked; a save that fails after it
   * simply never commits.
   */
  prepareSavedAs?(snapshot: Snapshot, remap: DiskRemap): { commit(): void };
}
