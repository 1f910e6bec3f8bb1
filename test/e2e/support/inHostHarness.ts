// E2E helper. A minimal describe/it for tests that run INSIDE the VS Code extension host
// (test/e2e/inHost/*.suite.ts, loaded by test/e2e/inHostRunner.ts). No mocha: the extension host only needs
// named async tests run in order, with before/after hooks and a timeout.
//
// Every suite file is bundled on its own (esbuild), so each has its own copy of this module; the tests are
// collected in one registry on globalThis that the runner reads.

export type TestFn = () => unknown | Promise<unknown>;
export interface RegisteredTest { name: string; fn: TestFn; timeoutMs: number }
export interface RegisteredSuite {
  name: string;
  tests: RegisteredTest[];
  before: TestFn[];
  after: TestFn[];
  afterEach: TestFn[];
}

const KEY = Symbol.for('hexmap.e2e.inHostSuites');
type Registry = { suites: RegisteredSuite[]; current?: RegisteredSuite };

export function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry>;
  return (g[KEY] ??= { suites: [] });
}

function currentSuite(what: string): RegisteredSuite {
  const s = registry().current;
  if (!s) throw new Error(`${what}() must be called inside describe()`);
  return s;
}

export function describe(name: string, body: () => void): void {
  const reg = registry();
  const suite: RegisteredSuite = { name, tests: [], before: [], after: [], afterEach: [] };
  reg.suites.push(suite);
  reg.current = suite;
  try {
    body();
  } finally {
    reg.current = undefined;
  }
}

export function it(name: string, fn: TestFn, timeoutMs = 30_000): void {
  currentSuite('it').tests.push({ name, fn, timeoutMs });
}
export const before = (fn: TestFn) => void currentSuite('before').before.push(fn);
export const after = (fn: TestFn) => void currentSuite('after').after.push(fn);
export const afterEach = (fn: TestFn) => void currentSuite('afterEach').afterEach.push(fn);

/** One line per test outcome; the outer test (inHost.test.ts) turns these into node:test subtests. */
export interface TestOutcome { suite: string; name: string; ok: boolean; ms: number; error?: string }
