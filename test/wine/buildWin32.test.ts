// The Windows cross-build itself (scripts/buildWin32.mjs): repeatable, self-contained, and loadable in
// any host. Loading and running it is test/wine/windowsUnits.test.ts's job.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../extension/engine/nativeAddon';

const root = packageRoot(__dirname);

test('two Windows builds from the same sources give the same bytes, importing only system DLLs', { timeout: 5 * 60_000 }, async () => {
  const { buildWin32 } = await import(pathToFileURL(join(root, 'scripts/buildWin32.mjs')).href) as { buildWin32(o: { outDir: string; quiet?: boolean }): string };
  const dir = mkdtempSync(join(tmpdir(), 'hexmap-win32-build-'));
  try {
    const first = readFileSync(buildWin32({ outDir: join(dir, 'a'), quiet: true }));
    const second = readFileSync(buildWin32({ outDir: join(dir, 'b'), quiet: true }));
    assert.ok(first.length > 0);
    assert.ok(first.equals(second), 'the two builds differ');

    const dump = spawnSync('x86_64-w64-mingw32-objdump', ['-p', join(dir, 'a', 'node.napi.node')], { encoding: 'utf8' });
    assert.equal(dump.status, 0, dump.stderr);
    const dlls = [...dump.stdout.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase()).sort();
    assert.deepEqual(dlls, ['kernel32.dll', 'msvcrt.dll'], 'no libstdc++/libgcc/winpthread DLLs, and node.exe is not a load-time import');
    assert.ok(first.includes(Buffer.from('node.exe\0')), 'node.exe is named by the delay-load descriptor');
    assert.match(dump.stdout, /Time\/Date\s+Thu Jan  1 00:00:00 1970|Time\/Date\s+0+\b/, 'no link timestamp');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
