// Engine: what the operating system lets other programs do to a file Hexmap
// has mapped, and what it takes to load and open anywhere. These tests run on
// Linux and, through test/wine, on Windows (wine's node.exe), where sharing
// modes, UTF-16 paths, truncation of mapped files and the addon's host
// executable all differ from POSIX.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteSource } from '../../extension/engine/byteSource';
import { packageRoot } from '../../extension/engine/nativeAddon';
import { openByteSource } from '../../extension/engine/openByteSource';
import { TempDir } from '../support/tempFiles';
import { fileSize, truncateFile } from '../support/portable';

const windows = process.platform === 'win32';
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs `body` in another Node process (argv[1] = the file), the way another program would touch it. */
function otherProcess(body: string, path: string): string {
  const r = spawnSync(process.execPath, ['-e', body, path], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `other process failed: ${r.stderr}`);
  return r.stdout;
}

describe('a file Hexmap maps (mapped backend)', () => {
  let tmp: TempDir;
  let path: string;
  let s: ByteSource;
  before(async () => {
    tmp = new TempDir('hexmap-platform-');
    path = tmp.write('shared.bin', '0123456789abcdef');
    s = await openByteSource(path, { backend: 'mapped', writable: true });
  });
  after(() => { s?.close(); tmp?.remove(); });

  it('another program can still open it to read and to write while it is mapped (sharing modes)', async () => {
    await s.write(0, new TextEncoder().encode('AB'));
    const seen = otherProcess(`
      const fs = require('fs');
      const fd = fs.openSync(process.argv[1], 'r+');
      const b = Buffer.alloc(16);
      fs.readSync(fd, b, 0, 16, 0);
      fs.writeSync(fd, Buffer.from('XY'), 0, 2, 14);
      fs.closeSync(fd);
      process.stdout.write(b.toString());`, path);
    assert.equal(seen, 'AB23456789abcdef', "the other program reads Hexmap's write through the shared cache");
    assert.equal(text(await s.read(0, 16)), 'AB23456789abcdXY', "and Hexmap's view shows the other program's write");
  });

  it('Windows refuses to truncate it while mapped, so its bytes cannot vanish',
    { skip: !windows && 'Windows only: POSIX lets another program truncate a mapped file (engineTruncation.test.ts tests what follows)' }, async () => {
      const size = fileSize(path);
      assert.throws(() => truncateFile(path, 4), 'the truncation is refused (ERROR_USER_MAPPED_FILE)');
      assert.equal(fileSize(path), size);
      assert.equal((await s.read(0, size)).length, size);
    });
});

it('a path with non-ASCII characters opens, reads and writes (UTF-8 to the wide Windows APIs)', async () => {
  const tmp = new TempDir('hexmap-ünïcødé-');
  try {
    const path = tmp.write('dätä-文字-🙂.bin', 'héllo');
    const s = await openByteSource(path, { backend: 'mapped', writable: true });
    try {
      assert.equal(text(await s.read(0, s.size)), 'héllo');
      await s.write(0, new TextEncoder().encode('H'));
      await s.flush(0, 1);
    } finally {
      s.close();
    }
    assert.equal(readFileSync(path, 'utf8'), 'Héllo');
    await assert.rejects(openByteSource(join(tmp.path, 'nïcht-da.bin'), { backend: 'mapped' }), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
  } finally {
    tmp.remove();
  }
});

it('the addon loads into a host executable with another name (delay-load hook: VS Code runs it in Code.exe)',
  { skip: !windows && 'Windows only: elsewhere the addon takes Node-API from whichever process loads it' }, () => {
    const tmp = new TempDir('hexmap-host-');
    try {
      const host = tmp.file('Code.exe');
      copyFileSync(process.execPath, host);
      const data = tmp.write('d.bin', 'hosted');
      const r = spawnSync(host, ['-e', `
        const addon = require(require.resolve('node-gyp-build', { paths: [process.argv[1]] }))(process.argv[1]);
        addon.openMapped(process.argv[2], false, false).then(async (f) => {
          process.stdout.write(require('path').basename(process.execPath) + ' ' + (await f.read(0, f.size)).toString());
          f.close();
        }, (e) => { console.error(e); process.exitCode = 1; });`, packageRoot(__dirname), data], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, `${r.stderr}`);
      assert.equal(r.stdout, 'Code.exe hosted');
    } finally {
      tmp.remove();
    }
  });
