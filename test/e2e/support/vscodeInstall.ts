// E2E helper. Makes sure code-server + Node 24 are installed (scripts/setupVscode.mjs, a no-op
// once its marker exists) and returns their paths.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './repoPaths';

export interface VscodeInstall {
  cache: string;
  node: string;
  nodeHome: string;
  codeServerHome: string;
  codeServerEntry: string;
  xdg: Record<string, string>;
}

let cached: VscodeInstall | undefined;

export function ensureVscodeInstalled(): VscodeInstall {
  if (cached) return cached;
  // stdio: progress of a first install goes to our stderr; the JSON paths come back on stdout.
  const out = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'setupVscode.mjs'), '--json'], {
    cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000,
  });
  cached = JSON.parse(out.trim().split('\n').pop()!) as VscodeInstall;
  return cached;
}
