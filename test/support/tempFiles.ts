/**
 * Temporary folders and files for tests. Everything lives in
 * one folder per TempDir under os.tmpdir(); remove() deletes it all, so a test
 * file calls it from `after()` and leaves nothing behind.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTree } from './portable';

export class TempDir {
  readonly path: string;

  constructor(prefix = 'hexmap-test-') {
    this.path = mkdtempSync(join(tmpdir(), prefix));
  }

  /** Absolute path of `name` inside the folder (not created). */
  file(name: string): string {
    return join(this.path, name);
  }

  /** Writes `content` to `name` and returns its path. */
  write(name: string, content: Uint8Array | string, mode?: number): string {
    const p = this.file(name);
    writeFileSync(p, content);
    if (mode !== undefined) chmodSync(p, mode);
    return p;
  }

  /** Deletes the folder and everything in it. Safe to call twice. */
  remove(): void {
    removeTree(this.path);
  }
}
