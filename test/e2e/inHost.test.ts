// The in-host integration tests (test/e2e/inHost/*.suite.ts), run inside a real VS Code extension host:
// code-server is started with the smoke-test driver enabled, and a headless Chromium opens the workbench with
// a payload naming this repo as the extension under development and out/test/e2e/inHostRunner.js as the
// extension tests. The workbench calls window.codeAutomationLog for log lines and window.codeAutomationExit
// with the runner's exit code when the tests end. Each in-host test becomes a node:test subtest here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { launchChromium } from './support/chromium';
import { makeProfileDirs, startCodeServer } from './support/codeServer';
import type { TestOutcome } from './support/inHostHarness';
import { artifactsDir, extensionUnderTest, repoRoot } from './support/repoPaths';
import { makeWorkspace } from './support/workspace';

const RUN_TIMEOUT_MS = 6 * 60_000;

test('in-host integration tests (real VS Code extension host)', { timeout: RUN_TIMEOUT_MS + 120_000 }, async (t) => {
  const runner = join(repoRoot, 'out/test/e2e/inHostRunner.js');
  // HEXMAP_E2E_EXTENSION_PATH: load another build of the extension (debugging the harness itself).
  const extensionPath = extensionUnderTest;
  assert.ok(existsSync(join(extensionPath, 'dist/extension.js')), 'dist/extension.js is missing: build first (npm run build)');
  assert.ok(existsSync(runner), `${runner} is missing: build the tests first`);

  const artifacts = artifactsDir('e2e-inhost');
  const workspace = makeWorkspace();
  const resultsFile = join(workspace.dir, '..', `${workspace.dir.split('/').pop()}-results.jsonl`);
  writeFileSync(resultsFile, '');
  const dirs = makeProfileDirs();
  const server = await startCodeServer({
    smokeTestDriver: true,
    hexmapPatterns: ['*.bin'],
    env: {
      HEXMAP_E2E_RESULTS: resultsFile,
      // The backup suite looks for VS Code's hot-exit backups here.
      HEXMAP_E2E_USER_DATA_DIR: dirs.userDataDir,
      ...(process.env.HEXMAP_E2E_GREP ? { HEXMAP_E2E_GREP: process.env.HEXMAP_E2E_GREP } : {}),
    },
    logFile: join(artifacts, 'code-server.log'),
  }, dirs);
  const browser = await launchChromium();
  const logLines: string[] = [];
  try {
    const exitCode = new Promise<number>((resolve) => {
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await browser.page.exposeFunction('codeAutomationLog', (level: string, message: string) => {
      logLines.push(`[${level}] ${message}`);
      if (message.includes('[hexmap-e2e]') && process.env.HEXMAP_E2E_VERBOSE) process.stderr.write(message + '\n');
    });
    browser.page.on('console', (m) => logLines.push(`[page ${m.type()}] ${m.text()}`));

    const payload: [string, string][] = [
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(runner)],
    ];
    await browser.page.goto(server.workbenchUrl(workspace.dir, payload));

    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      exitCode,
      new Promise<number>((_, reject) => { timer = setTimeout(() => reject(new Error('in-host tests did not finish in time')), RUN_TIMEOUT_MS); }),
    ]).finally(() => clearTimeout(timer));
    await browser.page.screenshot({ path: join(artifacts, 'final.png') }).catch(() => undefined);

    const outcomes = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TestOutcome);
    for (const o of outcomes) {
      await t.test(`${o.suite} > ${o.name}`, () => {
        if (!o.ok) throw new Error(o.error ?? 'failed');
      });
    }
    assert.ok(outcomes.length > 0, `no in-host test reported (exit code ${code}); log:\n${logLines.slice(-60).join('\n')}`);
    assert.equal(code, 0, `in-host runner exit code ${code}; failed: ${outcomes.filter((o) => !o.ok).map((o) => o.name).join(', ')}`);
  } finally {
    writeFileSync(join(artifacts, 'workbench.log'), logLines.join('\n'));
    await browser.close();
    await server.stop();
    workspace.remove();
    rmSync(resultsFile, { force: true });
  }
});
