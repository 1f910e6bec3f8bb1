// The Windows VSIX: `npm run package` also packs a win32-x64 VSIX (vsce --target) with the cross-built
// addon. code-server cannot install it here (it runs on Linux), so this checks what it holds: the
// target in its manifest, the Windows prebuild and nothing else (no Linux addon), and that the prebuild
// is a 64-bit Windows DLL. test/e2e/vsix.test.ts installs the Linux VSIX the same script makes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { packageRoot } from '../../extension/engine/nativeAddon';

const root = packageRoot(__dirname);

interface ZipModule {
  zipEntries(path: string): { name: string; size: number }[];
  readZipEntry(path: string, name: string): Buffer | undefined;
}
interface PackageModule { allowedEntry(name: string): boolean }

test('npm run package makes a win32-x64 VSIX with the Windows addon and nothing else', { timeout: 5 * 60_000 }, async () => {
  const zip = await import(pathToFileURL(join(root, 'scripts/zipEntries.mjs')).href) as ZipModule;
  const pkg = await import(pathToFileURL(join(root, 'scripts/package.mjs')).href) as PackageModule;
  const dir = mkdtempSync(join(tmpdir(), 'hexmap-win32-vsix-'));
  try {
    const vsix = join(dir, 'hexmap-win32.vsix');
    const r = spawnSync(process.execPath, [join(root, 'scripts/package.mjs'), '--target', 'win32-x64', '--out', vsix], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    assert.equal(r.status, 0, `package.mjs failed:\n${r.stderr.slice(-3000)}`);

    const names = zip.zipEntries(vsix).map((e) => e.name);
    assert.deepEqual(names.filter((n) => !pkg.allowedEntry(n)), [], 'only bundles, metadata and the prebuild');
    assert.deepEqual(names.filter((n) => n.includes('prebuilds/')), ['extension/prebuilds/win32-x64/node.napi.node']);
    for (const n of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/webview/editor.js']) assert.ok(names.includes(n), `${n} is in the VSIX`);

    const manifest = zip.readZipEntry(vsix, 'extension.vsixmanifest')!.toString('utf8');
    assert.match(manifest, /TargetPlatform="win32-x64"/);

    const dll = zip.readZipEntry(vsix, 'extension/prebuilds/win32-x64/node.napi.node')!;
    assert.equal(dll.readUInt16LE(0), 0x5a4d, 'MZ header');
    const pe = dll.readUInt32LE(0x3c);
    assert.equal(dll.readUInt32LE(pe), 0x00004550, 'PE signature');
    assert.equal(dll.readUInt16LE(pe + 4), 0x8664, 'machine: x86-64');
    assert.ok(dll.readUInt16LE(pe + 22) & 0x2000, 'characteristics: a DLL');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
