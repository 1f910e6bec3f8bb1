// The Windows fault guard (native/fault_guard.cc: structured exception handling) for real: the file
// behind a view Hexmap has mapped loses its pages, and every access to them must become the JS error
// ERR_HEXMAP_TRUNCATED in a process that keeps running, on the main thread (reads, writes) and on the
// libuv pool (scans).
//
// Windows itself refuses to truncate a mapped file, so the Windows program cannot do this to itself.
// Under wine the view is a Linux mapping: this (Linux) process truncates the file behind wine's back,
// and the touched pages fault as they would on a failing disk or a dropped network share. Wine reports
// that as EXCEPTION_ACCESS_VIOLATION (Windows: EXCEPTION_IN_PAGE_ERROR); the guard takes both when the
// address lies in one of Hexmap's views.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../extension/engine/nativeAddon';
import { loadWine } from '../support/wineTestRun';

const root = packageRoot(__dirname);
const SIZE = 4 * 1024 * 1024;
const KEEP = 64 * 1024;

// Runs in node.exe. argv: addon, file, ready marker, cut marker. Prints one JSON line.
const CHILD = String.raw`
const fs = require('fs');
const [addonPath, file, ready, cut] = process.argv.slice(2);
const addon = require(addonPath);
const code = async (f) => { try { await f(); return 'no error'; } catch (e) { return e.code || String(e); } };
const scanCode = (s) => s.promise.then(() => 'no error', (e) => e.code || String(e));
(async () => {
  const m = await addon.openMapped(file, true, false);
  const last = (await m.read(${SIZE - 1}, 1))[0];
  fs.writeFileSync(ready, 'mapped');
  while (!fs.existsSync(cut)) await new Promise((r) => setTimeout(r, 50));
  const out = { last };
  out.read = [await code(() => m.read(${SIZE - 1}, 1)), await code(() => m.read(${KEEP - 10}, 20))];
  out.write = await code(() => m.write(${2 * 1024 * 1024}, Buffer.from([1, 2, 3])));
  out.find = await scanCode(m.find(Buffer.from('NEEDLE'), Buffer.alloc(6, 0xff), false, false, 0, 0, ${SIZE}, 1));
  out.utf8Stats = await scanCode(m.utf8Stats(0, ${SIZE}, 0));
  out.survivor = (await m.read(0, 3)).toString('latin1');
  out.refreshed = await m.refresh();
  m.close();
  console.log(JSON.stringify(out));
})().catch((e) => { console.log(JSON.stringify({ crashed: String(e && e.stack || e) })); process.exitCode = 1; });
`;

test('Windows build: faults in a view whose file lost its pages become ERR_HEXMAP_TRUNCATED, and the process lives (wine)', { timeout: 5 * 60_000 }, async () => {
  const wine = await loadWine(root);
  wine.ensureWindowsNode();
  wine.ensureWinePrefix();
  const dir = mkdtempSync(join(wine.winePaths(root).dir, 'fault-'));
  try {
    const { buildWin32 } = await import(pathToFileURL(join(root, 'scripts/buildWin32.mjs')).href) as { buildWin32(o: { outDir: string; quiet?: boolean }): string };
    const addon = buildWin32({ outDir: join(dir, 'prebuild'), quiet: true });
    const file = join(dir, 'victim.bin');
    const data = Buffer.alloc(SIZE);
    for (let i = 0; i < SIZE; i++) data[i] = 0x20 + (i % 90);
    data.write('NEEDLE', SIZE - 100, 'latin1');
    writeFileSync(file, data);
    writeFileSync(join(dir, 'child.js'), CHILD);
    const ready = join(dir, 'ready');
    const cut = join(dir, 'cut');
    mkdirSync(join(dir, 'out'));
    const outFile = join(dir, 'out', 'stdout');
    const out = openSync(outFile, 'w');
    const w = wine.windowsPath;
    const child = spawn('wine', [wine.winePaths(root).nodeExe, w(join(dir, 'child.js')), w(addon), w(file), w(ready), w(cut)], {
      cwd: dir, env: (await import(pathToFileURL(join(root, 'scripts/win32/wine.mjs')).href) as { wineEnv(): NodeJS.ProcessEnv }).wineEnv(), stdio: ['ignore', out, out],
    });
    let gone = false;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => { gone = true; resolve(c); }));
    try {
      const deadline = Date.now() + 120_000;
      while (!existsSync(ready)) {
        assert.ok(Date.now() < deadline && !gone, `the Windows child never mapped the file: ${readFileSync(outFile, 'utf8')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      truncateSync(file, KEEP); // Linux's truncate: wine's view loses every page past KEEP
      writeFileSync(cut, 'cut');
      const status = await exited;
      const text = readFileSync(outFile, 'utf8');
      assert.equal(status, 0, text);
      const result = JSON.parse(text.trim().split('\n').at(-1) ?? '{}');
      assert.equal(result.last, 0x20 + ((SIZE - 1) % 90), 'the page was touched before the cut');
      assert.deepEqual(result.read, ['ERR_HEXMAP_TRUNCATED', 'ERR_HEXMAP_TRUNCATED'], 'reads (worker thread)');
      assert.equal(result.write, 'ERR_HEXMAP_TRUNCATED', 'write (worker thread)');
      assert.equal(result.find, 'ERR_HEXMAP_TRUNCATED', 'find (scan thread)');
      assert.equal(result.utf8Stats, 'ERR_HEXMAP_TRUNCATED', 'UTF-8 statistics (scan thread)');
      assert.equal(result.survivor, ' !"', 'the surviving bytes still read');
      assert.equal(result.refreshed, KEEP, 'refresh() adopts the new size');
    } finally {
      child.kill();
      closeSync(out);
      wine.stopWineServer();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
