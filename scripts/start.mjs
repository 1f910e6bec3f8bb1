#!/usr/bin/env node
// `npm start`: build Hexmap, make (once) a demo file of a few GB with mixed content, and open it in VS Code
// with Hexmap loaded from this repo.
//   - `code` on PATH: `code --wait --extensionDevelopmentPath=<repo> <file>` (a new window with Hexmap).
//   - otherwise: the local code-server (installed once by scripts/setupVscode.mjs into .vscode-test/), with
//     Hexmap as the extension under development; prints the URL to open in a browser.
// Stays in the foreground until Ctrl+C (or until the `code` window closes).
//
//   npm start [-- --size 3G] [-- --port 8080] [-- --code-server]
// Environment: HEXMAP_HOST (default 127.0.0.1) for the address code-server binds to.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoFile } from './demoFile.mjs';
import { ensureVscode, vscodeEnv } from './setupVscode.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const opt = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);

function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text);
  if (!m) throw new Error(`--size: expected e.g. 3G or 500M, got ${text}`);
  return Math.round(Number(m[1]) * 1024 ** ' KMGT'.indexOf((m[2] || ' ').toUpperCase()));
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function onPath(cmd) {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

async function portFree(port, host) {
  return new Promise((resolve) => {
    const s = createServer().once('error', () => resolve(false)).listen(port, host, () => s.close(() => resolve(true)));
  });
}

async function pickPort(wanted, host) {
  if (await portFree(wanted, host)) return wanted;
  return new Promise((resolve) => { const s = createServer().listen(0, host, () => { const p = s.address().port; s.close(() => resolve(p)); }); });
}

async function viaCodeServer(file) {
  const paths = ensureVscode();
  const host = process.env.HEXMAP_HOST ?? '127.0.0.1';
  const port = await pickPort(Number(opt('--port', '8080')), host);
  // A profile of its own that persists between runs (layout, recent files), inside the git-ignored cache.
  const profile = join(paths.cache, 'start-profile');
  mkdirSync(join(profile, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(profile, 'extensions'), { recursive: true });
  writeFileSync(join(profile, 'user-data', 'User', 'settings.json'), JSON.stringify({
    'workbench.editorAssociations': { [basename(file)]: 'hexmap.editor', '*.bin': 'hexmap.editor' },
    'chat.disableAIFeatures': true, 'workbench.startupEditor': 'none', 'files.autoSave': 'off',
    'workbench.secondarySideBar.defaultVisibility': 'hidden', 'git.enabled': false,
    'telemetry.telemetryLevel': 'off', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
  }, null, 2));
  const child = spawn(paths.node, [paths.codeServerEntry, '--bind-addr', `${host}:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', join(profile, 'user-data'), '--extensions-dir', join(profile, 'extensions'),
    // A built workbench honours the extensionDevelopmentPath payload only with the smoke-test driver enabled.
    '--vscode-option', 'enable-smoke-test-driver'], {
    env: vscodeEnv(paths), detached: true, stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('SIGINT', () => { stop(); process.exit(130); });
  process.on('SIGTERM', () => { stop(); process.exit(143); });
  child.on('exit', (code) => { console.error(`code-server exited (${code})`); process.exit(code ?? 1); });

  const origin = `http://${host}:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${origin}/healthz`)).ok) break; } catch { /* starting */ }
    if (i > 300) { stop(); throw new Error('code-server did not start'); }
    await new Promise((r) => setTimeout(r, 200));
  }
  const remote = (p) => `vscode-remote://${host}:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(root)], ['openFile', remote(file)]];
  const url = `${origin}/?folder=${encodeURIComponent(dirname(file))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\nHexmap is running in a local VS Code (code-server). Open this URL in your browser:\n\n  ${url}\n\nPress Ctrl+C to stop.`);
}

async function main() {
  const size = parseSize(opt('--size', '3G'));
  run('npx', ['--no-install', 'node-gyp-build']);
  run(process.execPath, ['esbuild.config.mjs', '--no-tests']);
  const file = await demoFile(root, size);
  console.error(`demo file: ${file}`);
  if (onPath('code') && !argv.includes('--code-server')) {
    console.error('opening it in VS Code (`code`); close the window or press Ctrl+C to stop');
    const r = spawnSync('code', ['--wait', '--new-window', `--extensionDevelopmentPath=${root}`, file], { stdio: 'inherit' });
    process.exit(r.status ?? 0);
  }
  await viaCodeServer(file);
}

main().catch((e) => {
  console.error(`start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
