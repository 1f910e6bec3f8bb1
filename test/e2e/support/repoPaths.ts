// E2E helper. Where the repo, its build outputs and the test artifacts live, found from the
// bundled test file's own location (out/test/e2e/...), so tests work from any cwd.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'hexmap') return dir;
  }
  throw new Error(`repoPaths: no hexmap package.json above ${start}`);
}

export const repoRoot = findRepoRoot(__dirname);
export const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string; publisher: string; version: string;
};
/** "<publisher>.<name>", as VS Code names the extension (and the webview iframe's extensionId). */
export const extensionId = `${manifest.publisher}.${manifest.name}`;
export const viewType = 'hexmap.editor';

/** Screenshots and logs of test runs (git-ignored); one subfolder per test file. */
export function artifactsDir(sub: string): string {
  const dir = join(repoRoot, 'test-artifacts', sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * The extension folder the e2e tests load as "under development": this repo, unless HEXMAP_E2E_EXTENSION_PATH
 * names another build (for debugging the harness against a scratch copy).
 */
export const extensionUnderTest = process.env.HEXMAP_E2E_EXTENSION_PATH ?? repoRoot;
