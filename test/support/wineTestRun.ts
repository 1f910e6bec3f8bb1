/**
 * Runs a set of Hexmap's unit test bundles under wine's node.exe against the
 * cross-built Windows addon, and returns their results as a tree, so a Linux
 * test can report each one (test/wine/windowsUnits.test.ts).
 *
 * The bundles run from a stage folder, .wine-test/stage/, laid out like the
 * installed extension (package.json, prebuilds/win32-x64/node.napi.node,
 * out/test/unit/*.js): in the repo itself node-gyp-build would find
 * build/Release first, which holds the Linux addon.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface WineTest {
  name: string;
  passed: boolean;
  /** The reason it was skipped (true when none was given), else undefined. */
  skip?: string | boolean;
  todo?: string | boolean;
  error?: string;
  ms?: number;
  children: WineTest[];
}

export interface WineRun {
  /** One tree per test file, keyed by the file's base name. */
  files: Map<string, WineTest[]>;
  status: number | null;
  /** node.exe's own stderr, and what the test files wrote to theirs. */
  stderr: string;
  testStderr: string;
  stdout: string;
  seconds: number;
}

interface WineModule {
  winePaths(root?: string): { dir: string; nodeExe: string; prefix: string };
  windowsPath(p: string): string;
  ensureWindowsNode(): string;
  ensureWinePrefix(): string;
  runWineNode(args: string[], o?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number }): { status: number | null; stdout: string; stderr: string };
  stopWineServer(): void;
}

/** The plain-JS helpers in scripts/ (ES modules), loaded at run time rather than bundled. */
const importScript = <T>(root: string, path: string): Promise<T> => import(pathToFileURL(join(root, path)).href) as Promise<T>;
export const loadWine = (root: string) => importScript<WineModule>(root, 'scripts/win32/wine.mjs');
const loadBuild = (root: string) => importScript<{ buildWin32(o: { outDir: string; quiet?: boolean }): string }>(root, 'scripts/buildWin32.mjs');

/** Builds the Windows addon into a fresh stage and copies in the bundles whose names match `pattern`. */
export async function stageWindowsTests(root: string, pattern: RegExp): Promise<{ stage: string; files: string[] }> {
  const wine = await loadWine(root);
  const stage = join(wine.winePaths(root).dir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'out', 'test', 'unit'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(join(stage, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true }) + '\n');
  (await loadBuild(root)).buildWin32({ outDir: join(stage, 'prebuilds', 'win32-x64'), quiet: true });
  const from = join(root, 'out', 'test', 'unit');
  const files = existsSync(from) ? readdirSync(from).filter((n) => n.endsWith('.test.js') && pattern.test(n)).sort() : [];
  for (const f of files) copyFileSync(join(from, f), join(stage, 'out', 'test', 'unit', f));
  return { stage, files: files.map((f) => join(stage, 'out', 'test', 'unit', f)) };
}

interface ReportedTest { passed: boolean; name: string; nesting: number; file?: string; skip?: string | boolean; todo?: string | boolean; error?: string; ms?: number }

/**
 * Rebuilds the tree from finished-test events. A test finishes after its
 * subtests, so the tests finished at depth n+1 since the last one at depth n
 * are that one's children.
 */
export function treeFromEvents(events: ReportedTest[]): Map<string, WineTest[]> {
  const files = new Map<string, WineTest[]>();
  const pending = new Map<string, WineTest[][]>(); // per file: finished tests per depth, not yet adopted
  for (const e of events) {
    const file = e.file ? basename(e.file.replace(/\\/g, '/')) : '(no file)';
    if (!pending.has(file)) pending.set(file, []);
    const levels = pending.get(file)!;
    const node: WineTest = { name: e.name, passed: e.passed, skip: e.skip, todo: e.todo, error: e.error, ms: e.ms, children: levels[e.nesting + 1] ?? [] };
    levels.length = e.nesting + 1;
    (levels[e.nesting] ??= []).push(node);
    // node --test also reports each file as a test of its own at depth 0; its children are the file's tests.
    // (A file that fails outside any test, by crashing for instance, is reported that way too.)
    if (e.nesting === 0 && e.name === e.file) {
      levels[0].pop();
      const own = node.passed ? [] : [{ ...node, name: `${file} (the file itself)`, children: [] }];
      files.set(file, [...(files.get(file) ?? []), ...node.children, ...own]);
    }
  }
  for (const [file, levels] of pending) if (levels[0]?.length) files.set(file, [...(files.get(file) ?? []), ...levels[0]]);
  return files;
}

/** Runs `files` (from stageWindowsTests) under wine's node.exe --test, one file at a time. */
export async function runUnderWine(root: string, stage: string, files: string[], timeoutMs = 15 * 60_000): Promise<WineRun> {
  const wine = await loadWine(root);
  const started = Date.now();
  const events = join(stage, 'events.ndjson');
  const reporter = pathToFileURL(join(root, 'test', 'wine', 'wineReporter.mjs')).href.replace(/^file:\/\//, 'file:///Z:');
  const r = wine.runWineNode([
    '--test', '--test-concurrency=1', `--test-reporter=${reporter}`, `--test-reporter-destination=${wine.windowsPath(events)}`,
    ...files.map((f) => wine.windowsPath(f)),
  ], { cwd: stage, timeoutMs });
  wine.stopWineServer();
  const lines = (existsSync(events) ? readFileSync(events, 'utf8').split('\n').filter(Boolean) : []).map((l) => JSON.parse(l) as ReportedTest | { stderr: string });
  const tests = lines.filter((l): l is ReportedTest => !('stderr' in l));
  const testStderr = lines.flatMap((l) => ('stderr' in l ? [l.stderr] : [])).join('');
  return {
    files: treeFromEvents(tests), status: r.status, stdout: r.stdout, stderr: r.stderr, testStderr, seconds: (Date.now() - started) / 1000,
  };
}

/** Every test in the trees, depth first. */
export function* allTests(trees: Iterable<WineTest[]>): Generator<WineTest> {
  for (const list of trees) for (const t of list) { yield t; yield* allTests([t.children]); }
}
