// Engine: a file truncated by ANOTHER process while we hold it open. For the
// mapped backend this is the SIGBUS case: touching vanished pages must become
// ERR_HEXMAP_TRUNCATED in this very process, every time, and the process must
// keep running. The file backend gives the same answers (short reads).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ByteSource, HexmapError } from '../../extension/engine/byteSource';
import { openByteSource } from '../../extension/engine/openByteSource';
import { TempDir } from '../support/tempFiles';
import { packageRoot } from '../../extension/engine/nativeAddon';
import { fileSize, posixOnly, truncateFile } from '../support/portable';

const BACKENDS = ['mapped', 'file'] as const;
const SIZE = 4 * 1024 * 1024;
const KEEP = 64 * 1024; // page-aligned, so every byte past it is on a vanished page

async function truncated(p: Promise<unknown>): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof HexmapError, `expected HexmapError, got ${String(e)}`);
    assert.equal(e.code, 'ERR_HEXMAP_TRUNCATED');
    assert.match(e.message, /truncated/);
    return true;
  });
}

for (const backend of BACKENDS) {
  // enginePlatform.test.ts checks that Windows refuses the truncation instead.
  const skip = backend === 'mapped' && process.platform === 'win32' && 'Windows refuses to truncate a mapped file, so its pages cannot vanish';
  describe(`truncation by another process (${backend} backend)`, { skip }, () => {
    let tmp: TempDir;
    let s: ByteSource;
    let path: string;
    before(async () => {
      tmp = new TempDir(`hexmap-trunc-${backend}-`);
      const data = new Uint8Array(SIZE);
      for (let i = 0; i < SIZE; i++) data[i] = 0x20 + (i % 90);
      data.set(new TextEncoder().encode('NEEDLE'), SIZE - 100);
      path = tmp.write('victim.bin', data);
      s = await openByteSource(path, { backend });
      assert.deepEqual(await s.read(SIZE - 1, 1), Uint8Array.of(0x20 + ((SIZE - 1) % 90)), 'pages touched before the truncation');
      truncateFile(path, KEEP);
    });
    after(() => { s?.close(); tmp?.remove(); }); // closed first: Windows cannot delete an open or mapped file

    it('reads past the new end fail with ERR_HEXMAP_TRUNCATED, every time', async () => {
      for (let i = 0; i < 3; i++) {
        await truncated(s.read(SIZE - 1, 1));
        await truncated(s.read(KEEP, 4096));
        await truncated(s.read(KEEP - 10, 20)); // straddles the new end
      }
    });

    it('writes past the new end fail with ERR_HEXMAP_TRUNCATED and do not grow the file', async () => {
      for (let i = 0; i < 3; i++) await truncated(s.write(2 * 1024 * 1024, Uint8Array.of(1, 2, 3)));
      assert.equal(fileSize(path), KEEP);
    });

    it('scans that run into the vanished pages fail with ERR_HEXMAP_TRUNCATED', async () => {
      for (let i = 0; i < 2; i++) {
        await truncated(s.find(new TextEncoder().encode('NEEDLE'), { from: 0, maxMatches: 1 }));
        await truncated(s.find(new TextEncoder().encode('NEEDLE'), { from: SIZE, backward: true, maxMatches: 1 }));
        await truncated(s.utf8Stats());
        await truncated(s.findNonAscii(0, 'forward'));
        await truncated(s.findInvalid(SIZE, 'backward'));
      }
    });

    it('the surviving bytes still read, and refresh() adopts the new size', async () => {
      assert.deepEqual(await s.read(0, 3), Uint8Array.of(0x20, 0x21, 0x22));
      const stats = await s.utf8Stats({ offset: 0, length: KEEP });
      assert.equal(stats.chars, KEEP);
      assert.equal(await s.refresh(), KEEP);
      await assert.rejects(s.read(KEEP, 1), RangeError);
      assert.deepEqual((await s.find(Uint8Array.of(0x20), { from: KEEP - 90, maxMatches: 2 })).matches, [KEEP - (KEEP % 90)]);
    });
  });
}

it('the process survived every fault (this test still runs)', () => {
  assert.equal(typeof process.pid, 'number');
});

describe('faults that are not ours still reach their previous handler', () => {
  // Each case runs in a child with the addon loaded and a file mapped (so our handler is installed).
  const childWith = (body: string): ReturnType<typeof spawnSync> => spawnSync(process.execPath, ['-e', `
    const addon = require(require.resolve('node-gyp-build', { paths: [process.argv[1]] }))(process.argv[1]);
    addon.openMapped(process.argv[2], false, false).then(async (mapped) => {
      if ((await mapped.read(0, 1)).length !== 1) throw new Error('mapping failed');
      ${body}
    });`, packageRoot(__dirname), __filename], { encoding: 'utf8', timeout: 30000 });

  it("V8's WebAssembly bounds trap (a SIGSEGV V8 handles) still becomes a RuntimeError", () => {
    // (module (memory 1) (func (export "load") (param i32) (result i32) local.get 0 i32.load))
    const r = childWith(`
      const wasm = new Uint8Array([0,0x61,0x73,0x6d,1,0,0,0, 1,6,1,0x60,1,0x7f,1,0x7f, 3,2,1,0, 5,3,1,0,1,
        7,8,1,4,0x6c,0x6f,0x61,0x64,0,0, 0x0a,9,1,7,0,0x20,0,0x28,2,0,0x0b]);
      const m = new WebAssembly.Instance(new WebAssembly.Module(wasm));
      try { m.exports.load(70000); console.log('no trap'); } catch (e) { console.log(e.constructor.name + ': ' + e.message); }`);
    assert.equal(r.status, 0, String(r.stderr));
    assert.match(String(r.stdout), /RuntimeError: memory access out of bounds/);
  });

  for (const signal of ['SIGSEGV', 'SIGBUS'] as const) {
    it(`a ${signal} outside our mappings still terminates the process as before`, { skip: posixOnly('process.kill cannot raise SIGSEGV or SIGBUS on Windows (it terminates the process)') }, () => {
      const r = childWith(`process.kill(process.pid, '${signal}'); setTimeout(() => console.log('survived'), 500);`);
      assert.equal(r.signal, signal);
      assert.doesNotMatch(String(r.stdout), /survived/);
    });
  }
});
