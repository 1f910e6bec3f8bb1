// E2E helper. A throwaway workspace folder for one test file, deleted at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempWorkspace { dir: string; path(name: string): string; remove(): void }

export function makeWorkspace(prefix = 'hexmap-e2e-ws-'): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
