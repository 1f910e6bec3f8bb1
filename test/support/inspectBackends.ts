/**
 * Owner: INSPECT. The ByteSource backends search/count tests run on: each
 * case runs once per backend over the same bytes. The real backends (plain
 * file reads, and the memory mapping when the addon is built) read a temp
 * file that is deleted when the source is closed; the in-memory one lets
 * tests count calls and use tiny sizes cheaply.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from '../../extension/engine/byteSource';
import { nativeAddonStatus, openByteSource } from '../../extension/engine/openByteSource';
import { MemoryByteSource } from './memoryByteSource';

export interface Backend {
  name: string;
  open(bytes: Uint8Array): Promise<ByteSource>;
}

/** Temp folders not yet deleted: a failed assertion skips close(), so exit sweeps them too. */
const leftovers = new Set<string>();
process.on('exit', () => { for (const dir of leftovers) rmSync(dir, { recursive: true, force: true }); });

/** Opens `bytes` written to a fresh temp file; close() also deletes the file. */
async function onDisk(bytes: Uint8Array, backend: 'file' | 'mapped'): Promise<ByteSource> {
  const dir = mkdtempSync(join(tmpdir(), 'hexmap-inspect-'));
  leftovers.add(dir);
  const path = join(dir, 'data.bin');
  writeFileSync(path, bytes);
  const source = await openByteSource(path, { backend, writable: false });
  const close = source.close.bind(source);
  source.close = () => { close(); rmSync(dir, { recursive: true, force: true }); leftovers.delete(dir); };
  return source;
}

export const backends: Backend[] = [
  { name: 'memory', open: async (bytes) => new MemoryByteSource(bytes.slice()) },
  { name: 'file', open: (bytes) => onDisk(bytes, 'file') },
  ...(nativeAddonStatus().loaded ? [{ name: 'mapped', open: (bytes: Uint8Array) => onDisk(bytes, 'mapped') }] : []),
];

/** For a test that must say when the mapped backend was not there to check. */
export const mappedMissing = nativeAddonStatus().loaded ? undefined : `native addon not built: ${nativeAddonStatus().error}`;
