// Entry point VS Code loads as `extensionTestsPath` inside the extension host (code-server for
// `npm test`, Electron VS Code for `npm run test:electron`). It loads every inHost/*.suite.js next to it,
// runs their tests in order with the minimal harness in support/inHostHarness.ts, and reports:
//   - on the console (VS Code forwards it to the page's codeAutomationLog / test-electron's stdout),
//   - as JSON lines in $HEXMAP_E2E_RESULTS when set (the outer test makes node:test subtests of them).
// It resolves when every test passed and rejects otherwise; VS Code turns that into the exit code.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { registry, type RegisteredSuite, type TestFn, type TestOutcome } from './support/inHostHarness';

const PREFIX = '[hexmap-e2e]';

function report(outcome: TestOutcome): void {
  const mark = outcome.ok ? 'ok  ' : 'FAIL';
  console.log(`${PREFIX} ${mark} ${outcome.suite} > ${outcome.name} (${outcome.ms} ms)${outcome.error ? `\n${outcome.error}` : ''}`);
  const file = process.env.HEXMAP_E2E_RESULTS;
  if (file) appendFileSync(file, JSON.stringify(outcome) + '\n');
}

async function withTimeout(fn: TestFn, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    await Promise.race([Promise.resolve().then(fn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const describeError = (e: unknown) => (e instanceof Error ? e.stack ?? e.message : String(e));

async function runSuite(suite: RegisteredSuite): Promise<number> {
  let failures = 0;
  const fail = (name: string, e: unknown, ms = 0) => {
    failures++;
    report({ suite: suite.name, name, ok: false, ms, error: describeError(e) });
  };
  try {
    for (const hook of suite.before) await withTimeout(hook, 60_000, 'before hook');
  } catch (e) {
    // A suite whose setup failed fails every test in it, by name, so nothing silently disappears.
    for (const t of suite.tests) fail(t.name, new Error(`before hook failed: ${describeError(e)}`));
    return failures;
  }
  for (const t of suite.tests) {
    const started = Date.now();
    try {
      await withTimeout(t.fn, t.timeoutMs, `test '${t.name}'`);
      report({ suite: suite.name, name: t.name, ok: true, ms: Date.now() - started });
    } catch (e) {
      fail(t.name, e, Date.now() - started);
    }
    for (const hook of suite.afterEach) {
      try { await withTimeout(hook, 30_000, 'afterEach hook'); } catch (e) { fail(`${t.name} (afterEach)`, e); }
    }
  }
  for (const hook of suite.after) {
    try { await withTimeout(hook, 60_000, 'after hook'); } catch (e) { fail('(after hook)', e); }
  }
  return failures;
}

export async function run(): Promise<void> {
  const dir = join(__dirname, 'inHost');
  // HEXMAP_E2E_GREP narrows the run to suites/tests whose "suite > test" name contains it.
  const grep = process.env.HEXMAP_E2E_GREP;
  const files = readdirSync(dir).filter((f) => f.endsWith('.suite.js')).sort();
  if (files.length === 0) throw new Error(`no *.suite.js in ${dir}`);
  for (const f of files) require(join(dir, f));

  let failures = 0;
  let count = 0;
  for (const suite of registry().suites) {
    const tests = grep ? suite.tests.filter((t) => `${suite.name} > ${t.name}`.includes(grep)) : suite.tests;
    if (tests.length === 0) continue;
    count += tests.length;
    failures += await runSuite({ ...suite, tests });
  }
  console.log(`${PREFIX} done: ${count - failures} passed, ${failures} failed of ${count}`);
  if (count === 0) throw new Error('no in-host tests ran');
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
