#!/usr/bin/env node
// `npm run test:electron`: the same in-host suites (test/e2e/inHost/*.suite.ts via out/test/e2e/inHostRunner.js)
// inside Electron VS Code downloaded by @vscode/test-electron. It needs internet access to
// update.code.visualstudio.com, so it is documented, not run in CI here (CI uses code-server: `npm test`).
//
//   npm run test:electron [-- --version 1.96.0]     (default: stable)
// Set HEXMAP_E2E_GREP to run only matching "suite > test" names.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const version = argv.includes('--version') ? argv[argv.indexOf('--version') + 1] : 'stable';

const build = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

let runTests;
try {
  ({ runTests } = await import('@vscode/test-electron'));
} catch {
  console.error('test:electron needs the devDependency @vscode/test-electron (npm install).');
  process.exit(1);
}

// A throwaway workspace and profile, with the settings the code-server run uses (see test/e2e/support/codeServer.ts).
const temp = mkdtempSync(join(tmpdir(), 'hexmap-electron-'));
const workspace = join(temp, 'workspace');
const userDataDir = join(temp, 'user-data');
mkdirSync(workspace, { recursive: true });
mkdirSync(join(userDataDir, 'User'), { recursive: true });
writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({
  'workbench.editorAssociations': { '*.bin': 'hexmap.editor' },
  'chat.disableAIFeatures': true, 'files.autoSave': 'off', 'workbench.startupEditor': 'none', 'git.enabled': false,
  'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
  'security.workspace.trust.enabled': false,
}, null, 2));

let code = 1;
try {
  code = await runTests({
    version,
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/test/e2e/inHostRunner.js'),
    launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: { HEXMAP_E2E_GREP: process.env.HEXMAP_E2E_GREP ?? '' },
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : e}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
process.exit(code);
