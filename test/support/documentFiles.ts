/**
 * Owner: DOCUMENT. Temp files and backends for the edit-model, save and
 * journal tests. Each test gets its own temp folder (removed by cleanup());
 * the backends are the real ones: plain file reads, and the memory mapping
 * when the native addon is built.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ByteSource } from '../../extension/engine/byteSource';
import { nativeAddonStatus, openByteSource } from '../../extension/engine/openByteSource';
import { removeTree } from './portable';
import { seededRandom } from './seededRandom';

export interface DocBackend {
  name: 'file' | 'mapped';
  open(path: string, writable?: boolean): Promise<ByteSource>;
}

/** The real backends available here (the mapped one only when the addon loads). */
export function docBackends(): DocBackend[] {
  const list: DocBackend[] = [{ name: 'file', open: (p, w = true) => openByteSource(p, { backend: 'file', writable: w }) }];
  if (nativeAddonStatus().loaded) list.push({ name: 'mapped', open: (p, w = true) => openByteSource(p, { backend: 'mapped', writable: w }) });
  return list;
}

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'hexmap-doc-'));

  file(name: string, bytes: Uint8Array): string {
    const p = join(this.path, name);
    writeFileSync(p, bytes);
    return p;
  }

  join(...parts: string[]): string {
    return join(this.path, ...parts);
  }

  cleanup(): void {
    removeTree(this.path);
  }
}

export const rng = seededRandom;

export function randomBytes(next: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (next() * 256) | 0;
  return b;
}
