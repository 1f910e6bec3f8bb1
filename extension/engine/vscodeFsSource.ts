/**
 * A read-only ByteSource for non-file: URIs (virtual file systems, remote
 * schemes a FileSystemProvider serves), through vscode.workspace.fs. That API
 * has no ranged reads: the only way to get bytes is readFile, so this backend
 * reads the WHOLE file once at open (and again on refresh) and serves windows
 * and scans from memory. Hence the size limit below. It is the only engine
 * file that imports vscode; the scans are the shared ones over chunked reads
 * (jsScans.ts, and chunkStats.ts for the UTF-8 statistics).
 */
import * as vscode from 'vscode';
import {
  ByteSource, Direction, FindOptions, FindResult, HexmapError, UnitScanOptions, Utf8Stats, Utf8StatsOptions,
} from './byteSource';
import { utf8StatsOverReads } from './chunkStats';
import { jsFind, jsFindUnit } from './jsScans';
import {
  assertOpen, assertWritable, checkRead, checkWrite, flushRange,
  planFind, planStats, planUnitScan,
} from './validate';

/** Largest file this backend will load into memory (whole-file reads only). */
export const VSCODE_FS_MAX_BYTES = 1 << 30;

function fsError(error: unknown, uri: vscode.Uri): HexmapError {
  if (error instanceof HexmapError) return error;
  // vscode.FileSystemError codes: FileNotFound, FileIsADirectory, NoPermissions, Unavailable, ...
  const names: Record<string, string> = {
    FileNotFound: 'ENOENT', FileIsADirectory: 'EISDIR', NoPermissions: 'EACCES', FileExists: 'EEXIST', Unavailable: 'EIO',
  };
  const code = (error as { code?: string })?.code ?? '';
  const errno = names[code] ?? 'EIO';
  const message = error instanceof Error ? error.message : String(error);
  return new HexmapError(`Hexmap: cannot read ${uri.toString()}: ${errno} (${message})`, errno, uri.toString());
}

async function loadWhole(uri: vscode.Uri): Promise<Uint8Array> {
  let stat: vscode.FileStat;
  try { stat = await vscode.workspace.fs.stat(uri); } catch (e) { throw fsError(e, uri); }
  if (stat.type & vscode.FileType.Directory) {
    throw new HexmapError(`Hexmap: cannot open ${uri.toString()}: EISDIR (it is a directory)`, 'EISDIR', uri.toString());
  }
  if (stat.size > VSCODE_FS_MAX_BYTES) {
    throw new HexmapError(`Hexmap: ${uri.toString()} is ${stat.size} bytes; files on this file system are read whole, up to ${VSCODE_FS_MAX_BYTES} bytes`,
      'ERR_HEXMAP_TOO_LARGE', uri.toString());
  }
  try { return await vscode.workspace.fs.readFile(uri); } catch (e) { throw fsError(e, uri); }
}

export class VscodeFsSource implements ByteSource {
  readonly kind = 'vscode-fs' as const;
  readonly writable = false;
  private closedFlag = false;

  private constructor(private readonly uri: vscode.Uri, private bytes: Uint8Array) {}

  static async open(uri: vscode.Uri): Promise<VscodeFsSource> {
    return new VscodeFsSource(uri, await loadWhole(uri));
  }

  get path(): string { return this.uri.toString(); }
  get size(): number { return this.bytes.length; }
  get closed(): boolean { return this.closedFlag; }

  /** Reads from memory; a copy, like every backend (callers may keep or change it). */
  private readonly readCopy = async (offset: number, length: number): Promise<Uint8Array> => {
    assertOpen(this.closedFlag, this.path);
    return this.bytes.slice(offset, offset + length);
  };

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertOpen(this.closedFlag, this.path);
    checkRead(offset, length, this.size);
    return this.readCopy(offset, length);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    checkWrite(offset, bytes, this.size);
    assertWritable(false, this.path);
  }

  async flush(offset?: number, length?: number): Promise<void> {
    assertOpen(this.closedFlag, this.path);
    flushRange(offset, length, this.size);
    assertWritable(false, this.path);
  }

  async refresh(): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    this.bytes = await loadWhole(this.uri);
    return this.size;
  }

  async find(pattern: Uint8Array, options: FindOptions): Promise<FindResult> {
    assertOpen(this.closedFlag, this.path);
    return jsFind(this.readCopy, planFind(pattern, options, this.size), options, this.path);
  }

  async utf8Stats(options?: Utf8StatsOptions): Promise<Utf8Stats> {
    assertOpen(this.closedFlag, this.path);
    return utf8StatsOverReads(this.readCopy, planStats(options, this.size), options ?? {}, this.path);
  }

  async findInvalid(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'invalid', options);
  }

  async findNonAscii(from: number, direction: Direction, options?: UnitScanOptions): Promise<number> {
    return this.findUnit(from, direction, 'nonAscii', options);
  }

  private async findUnit(from: number, direction: Direction, kind: 'invalid' | 'nonAscii', options?: UnitScanOptions): Promise<number> {
    assertOpen(this.closedFlag, this.path);
    const plan = planUnitScan(from, direction, options, this.size);
    return jsFindUnit(this.readCopy, this.size, plan, kind, options ?? {}, this.path);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.bytes = new Uint8Array(0); // let the whole-file copy go
  }
}

/** Opens a non-file: URI read-only (see the file comment: whole-file read). */
export function openVscodeFsSource(uri: vscode.Uri): Promise<ByteSource> {
  return VscodeFsSource.open(uri);
}
