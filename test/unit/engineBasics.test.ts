// Engine: the ByteSource contract, run once per backend (mapped = native
// addon, file = plain reads). Sizes around page boundaries, a 6 GiB sparse
// file, concurrency, argument checks, closed handles, and OS errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { ByteSource, changeSize, HexmapError, MAX_READ } from '../../extension/engine/byteSource';
import { nativeAddonStatus, openByteSource } from '../../extension/engine/openByteSource';
import { loadNativeAddon } from '../../extension/engine/nativeAddon';
import { TempDir } from '../support/tempFiles';
import { createSparseFile, readThroughSeparateDescriptor } from '../support/sparseFile';
import { refusedWhileMappedOnWindows, truncateFile } from '../support/portable';
import { countUtf8, emptyCounts } from '../../shared/utf8';

const BACKENDS = ['mapped', 'file'] as const;
const GiB = 1024 ** 3;

function randomBytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  randomFillSync(b);
  return b;
}

/** Asserts that `promise` rejects with a HexmapError of `code`. */
async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof HexmapError, `expected HexmapError, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}

it('the native addon loads on this machine (the mapped backend is under test, not silently skipped)', () => {
  const status = nativeAddonStatus();
  assert.equal(status.loaded, true, status.error);
});

it("'auto' picks the mapped backend, and falls back to plain reads when the addon cannot load", async () => {
  const tmp = new TempDir('hexmap-auto-');
  try {
    const path = tmp.write('auto.bin', 'auto');
    const mapped = await openByteSource(path);
    assert.equal(mapped.kind, 'mapped');
    mapped.close();
    process.env.HEXMAP_DISABLE_NATIVE = '1';
    loadNativeAddon(true);
    assert.deepEqual(nativeAddonStatus(), { loaded: false, error: 'disabled by HEXMAP_DISABLE_NATIVE=1' });
    const fallback = await openByteSource(path, { backend: 'auto' });
    assert.equal(fallback.kind, 'file');
    assert.equal(new TextDecoder().decode(await fallback.read(0, 4)), 'auto');
    fallback.close();
    await assert.rejects(openByteSource(path, { backend: 'mapped' }), /native addon is not available/);
  } finally {
    delete process.env.HEXMAP_DISABLE_NATIVE;
    loadNativeAddon(true);
    tmp.remove();
  }
  assert.equal(nativeAddonStatus().loaded, true);
});

for (const backend of BACKENDS) {
  describe(`engine basics (${backend} backend)`, () => {
    let tmp: TempDir;
    before(() => { tmp = new TempDir(`hexmap-engine-${backend}-`); });
    after(() => tmp.remove());

    const open = (path: string, writable = true): Promise<ByteSource> => openByteSource(path, { backend, writable });

    it('opens the requested backend', async () => {
      const s = await open(tmp.write('kind.bin', 'x'));
      assert.equal(s.kind, backend);
      s.close();
    });

    for (const size of [0, 1, 4095, 4096, 4097, 65535, 65536, 65537]) {
      it(`reads, writes and scans a ${size}-byte file`, async () => {
        const data = randomBytes(size);
        const path = tmp.write(`size-${size}.bin`, data);
        const s = await open(path);
        try {
          assert.equal(s.size, size);
          assert.equal(s.writable, true);
          assert.deepEqual(await s.read(0, size), data);
          assert.deepEqual(await s.read(size, 0), new Uint8Array(0));
          if (size > 0) {
            assert.deepEqual(await s.read(size - 1, 1), data.subarray(size - 1));
            const mid = Math.floor(size / 2);
            assert.deepEqual(await s.read(mid, size - mid), data.subarray(mid));
          }
          await assert.rejects(s.read(size, 1), RangeError);
          await assert.rejects(s.read(0, size + 1), RangeError);

          const counts = emptyCounts();
          countUtf8(data, counts, true);
          const stats = await s.utf8Stats();
          assert.equal(stats.bytes, size);
          assert.equal(stats.chars, counts.chars);
          assert.equal(stats.invalid, counts.invalid);

          if (size > 0) {
            const last = size - 1;
            const byte = Uint8Array.of(data[last] ^ 0xff);
            await s.write(last, byte);
            await s.flush();
            assert.deepEqual(await s.read(last, 1), byte);
            assert.deepEqual(readThroughSeparateDescriptor(path, last, 1), byte);
            const pattern = (await s.read(Math.max(0, last - 3), Math.min(4, size)));
            const found = await s.find(pattern, { from: 0, maxMatches: 1_000_000 });
            assert.ok(found.matches.includes(Math.max(0, last - 3)));
          } else {
            await s.write(0, new Uint8Array(0));
            await s.flush();
            assert.deepEqual(await s.find(Uint8Array.of(0), { from: 0, maxMatches: 10 }), { matches: [], complete: true });
            assert.equal(await s.findInvalid(0, 'forward'), -1);
            assert.equal(await s.findNonAscii(0, 'backward'), -1);
            assert.equal(stats.chars, 0);
          }
        } finally {
          s.close();
        }
      });
    }

    it('a 6 GiB sparse file: reads the last byte, writes at 5 GiB, flushes, and another descriptor sees it', async () => {
      const size = 6 * GiB;
      const path = createSparseFile(tmp.file('six-gib.bin'), size, [{ offset: size - 1, bytes: Uint8Array.of(0x5a) }]);
      const s = await open(path);
      try {
        assert.equal(s.size, size);
        assert.deepEqual(await s.read(size - 1, 1), Uint8Array.of(0x5a));
        assert.deepEqual(await s.read(size - 4, 4), Uint8Array.of(0, 0, 0, 0x5a));
        const at = 5 * GiB + 12345;
        const bytes = new TextEncoder().encode('héllo 🐍');
        await s.write(at, bytes);
        await s.flush(at, bytes.length);
        assert.deepEqual(readThroughSeparateDescriptor(path, at - 1, bytes.length + 2), Uint8Array.of(0, ...bytes, 0));
        assert.deepEqual(await s.read(at, bytes.length), bytes);
        // A range scan far into the file: offsets above 2^32 survive the trip through C++.
        const found = await s.find(bytes, { from: 5 * GiB, rangeStart: 5 * GiB, rangeEnd: 5 * GiB + 1024 * 1024, maxMatches: 5 });
        assert.deepEqual(found, { matches: [at], complete: true });
        assert.equal(await s.findNonAscii(5 * GiB, 'forward', {}).then((o) => o), at + 1);
      } finally {
        s.close();
      }
    });

    it('every read is a fresh copy: changing it changes nothing else, and it outlives close()', async () => {
      const data = randomBytes(70000);
      const path = tmp.write('copies.bin', data);
      const s = await open(path);
      const first = await s.read(1000, 65536);
      const second = await s.read(1000, 65536);
      assert.notEqual(first.buffer, second.buffer);
      first.fill(0);
      assert.deepEqual(second, data.subarray(1000, 1000 + 65536));
      assert.deepEqual(await s.read(1000, 16), data.subarray(1000, 1016));
      assert.deepEqual(readThroughSeparateDescriptor(path, 1000, 16), data.subarray(1000, 1016));
      s.close();
      assert.deepEqual(second.subarray(0, 16), data.subarray(1000, 1016), 'still readable after close (no view of an unmapped region)');
    });

    it('serves many concurrent reads correctly', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 17);
      const s = await open(tmp.write('concurrent.bin', data));
      try {
        const ranges = Array.from({ length: 200 }, (_, i) => {
          const offset = (i * 7919 * 131) % data.length;
          return [offset, Math.min(data.length - offset, 1 + ((i * 104729) % 70000))] as const;
        });
        const results = await Promise.all(ranges.map(([o, l]) => s.read(o, l)));
        results.forEach((r, i) => assert.deepEqual(r, data.subarray(ranges[i][0], ranges[i][0] + ranges[i][1])));
        // Reads during a running scan are fine too.
        const [stats, window] = await Promise.all([s.utf8Stats(), s.read(100, 64)]);
        assert.equal(stats.bytes, data.length);
        assert.deepEqual(window, data.subarray(100, 164));
      } finally {
        s.close();
      }
    });

    it('rejects invalid arguments with precise TypeError/RangeError before any I/O', async () => {
      const s = await open(tmp.write('args.bin', randomBytes(1000)));
      const bad = s as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      try {
        await assert.rejects(s.read(-1, 1), { name: 'RangeError', message: /offset must be between 0 and/ });
        await assert.rejects(s.read(1.5, 1), { name: 'RangeError', message: /offset must be an integer, got 1.5/ });
        await assert.rejects(s.read(Number.NaN, 1), { name: 'RangeError', message: /offset must be an integer/ });
        await assert.rejects(bad.read('0', 1), { name: 'TypeError', message: /offset must be a number, got string/ });
        await assert.rejects(bad.read(0), { name: 'TypeError', message: /length must be a number, got undefined/ });
        await assert.rejects(s.read(0, MAX_READ + 1), { name: 'RangeError', message: /exceeds the limit of 16777216 bytes/ });
        await assert.rejects(s.read(999, 2), { name: 'RangeError', message: /range \[999, 1001\) is outside the file \(size 1000\)/ });
        await assert.rejects(bad.write(0, [1, 2]), { name: 'TypeError', message: /bytes must be a Uint8Array/ });
        await assert.rejects(s.write(999, Uint8Array.of(1, 2)), { name: 'RangeError', message: /outside the file/ });
        await assert.rejects(s.flush(0, 1001), { name: 'RangeError' });
        await assert.rejects(s.find(new Uint8Array(0), { from: 0, maxMatches: 1 }), { name: 'RangeError', message: /pattern must not be empty/ });
        await assert.rejects(s.find(Uint8Array.of(1), { from: 0, maxMatches: 0 }), { name: 'RangeError', message: /maxMatches/ });
        await assert.rejects(s.find(Uint8Array.of(1, 2), { from: 0, maxMatches: 1, mask: Uint8Array.of(0xff) }), { name: 'RangeError', message: /mask length 1 must equal pattern length 2/ });
        await assert.rejects(s.find(Uint8Array.of(1), { from: 1001, maxMatches: 1 }), { name: 'RangeError', message: /from must be between 0 and 1000/ });
        await assert.rejects(s.find(Uint8Array.of(1), { from: 0, maxMatches: 1, rangeStart: 10, rangeEnd: 5 }), { name: 'RangeError', message: /rangeStart 10 is after rangeEnd 5/ });
        await assert.rejects(bad.find(Uint8Array.of(1)), { name: 'TypeError', message: /find options must be an object/ });
        await assert.rejects(s.utf8Stats({ offset: 10, length: 991 }), { name: 'RangeError', message: /outside the file/ });
        await assert.rejects(bad.findInvalid(0, 'up'), { name: 'TypeError', message: /direction must be 'forward' or 'backward'/ });
        await assert.rejects(s.findNonAscii(1001, 'forward'), { name: 'RangeError' });
        await assert.rejects(bad.utf8Stats({ signal: {} }), { name: 'TypeError', message: /signal must be an AbortSignal/ });
        await assert.rejects(openByteSource('', { backend }), TypeError);
        await assert.rejects(openByteSource(tmp.file('args.bin'), { backend: 'nope' as 'file' }), TypeError);
      } finally {
        s.close();
      }
    });

    it('a closed source refuses every call with ERR_HEXMAP_CLOSED; close() is idempotent', async () => {
      const s = await open(tmp.write('closed.bin', randomBytes(100)));
      s.close();
      s.close();
      assert.equal(s.closed, true);
      await rejectsWithCode(s.read(0, 1), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.write(0, Uint8Array.of(1)), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.flush(), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.refresh(), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.find(Uint8Array.of(1), { from: 0, maxMatches: 1 }), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.utf8Stats(), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.findInvalid(0, 'forward'), 'ERR_HEXMAP_CLOSED');
      await rejectsWithCode(s.findNonAscii(0, 'backward'), 'ERR_HEXMAP_CLOSED');
    });

    it('refuses directories (EISDIR) and missing files (ENOENT) with the errno name and path', async () => {
      const dir = tmp.file('a-directory');
      mkdirSync(dir);
      for (const writable of [true, false]) {
        await assert.rejects(open(dir, writable), (e: unknown) => {
          assert.ok(e instanceof HexmapError);
          assert.equal(e.code, 'EISDIR');
          assert.equal(e.path, dir);
          assert.match(e.message, /EISDIR/);
          return true;
        });
      }
      const missing = tmp.file('missing.bin');
      await assert.rejects(open(missing), (e: unknown) => {
        assert.ok(e instanceof HexmapError);
        assert.equal(e.code, 'ENOENT');
        assert.equal(e.path, missing);
        assert.ok(e.message.includes(missing));
        return true;
      });
    });

    it('opened read-only on request: reads work, write and flush are refused with ERR_HEXMAP_READ_ONLY', async () => {
      const data = randomBytes(5000);
      const path = tmp.write('ro-request.bin', data);
      const s = await open(path, false);
      try {
        assert.equal(s.writable, false);
        assert.deepEqual(await s.read(0, 5000), data);
        await rejectsWithCode(s.write(0, Uint8Array.of(1)), 'ERR_HEXMAP_READ_ONLY');
        await rejectsWithCode(s.flush(), 'ERR_HEXMAP_READ_ONLY');
        assert.deepEqual(readThroughSeparateDescriptor(path, 0, 1), data.subarray(0, 1));
      } finally {
        s.close();
      }
    });

    it('a file the OS will not let us write (read-only bind mount) opens read-only', async (t) => {
      // chmod 0444 does not stop root (tests run as root here); a read-only mount stops everyone.
      const src = tmp.file('ro-src');
      const mnt = tmp.file('ro-mnt');
      mkdirSync(src);
      mkdirSync(mnt);
      tmp.write('ro-src/data.bin', 'read only bytes');
      const bind = spawnSync('mount', ['--bind', src, mnt], { stdio: 'ignore' });
      if (bind.status !== 0) { t.skip('cannot bind-mount here (needs root); read-only-by-request is tested above'); return; }
      try {
        const ro = spawnSync('mount', ['-o', 'remount,bind,ro', mnt], { stdio: 'ignore' });
        if (ro.status !== 0) { t.skip('cannot remount read-only here'); return; }
        const s = await open(`${mnt}/data.bin`, true);
        try {
          assert.equal(s.writable, false);
          assert.equal(new TextDecoder().decode(await s.read(0, s.size)), 'read only bytes');
          await rejectsWithCode(s.write(0, Uint8Array.of(1)), 'ERR_HEXMAP_READ_ONLY');
        } finally {
          s.close();
        }
      } finally {
        spawnSync('umount', [mnt], { stdio: 'ignore' });
      }
    });

    it('refresh() picks up growth and shrinkage', { skip: refusedWhileMappedOnWindows(backend) }, async () => {
      const path = tmp.write('grow.bin', 'abc');
      const s = await open(path);
      try {
        appendFileSync(path, 'defgh');
        assert.equal(s.size, 3);
        assert.equal(await s.refresh(), 8);
        assert.equal(s.size, 8);
        assert.equal(new TextDecoder().decode(await s.read(0, 8)), 'abcdefgh');
        truncateFile(path, 0);
        assert.equal(await s.refresh(), 0);
        await assert.rejects(s.read(0, 1), RangeError);
        appendFileSync(path, 'z');
        assert.equal(await s.refresh(), 1);
        assert.deepEqual(await s.read(0, 1), Uint8Array.of(0x7a));
      } finally {
        s.close();
      }
    });

    // The save's way to resize a file it has open, on every platform (Windows refuses to resize a mapped
    // file, so there the mapped source lets go of its view around the change and maps the file again).
    it('changeSize() grows and shrinks the open file; a failed change leaves the source usable at its old size', async () => {
      const path = tmp.write('resize.bin', 'abcdef');
      const s = await open(path);
      try {
        // A scan holding the view while the size changes: it may finish on the old view or stop; either way it settles.
        const scan = s.utf8Stats().catch(() => undefined);
        assert.equal(await changeSize(s, async () => truncateFile(path, 3)), 3);
        assert.equal(s.size, 3);
        assert.equal(new TextDecoder().decode(await s.read(0, 3)), 'abc');
        await scan;
        assert.equal(await changeSize(s, async () => truncateFile(path, 10)), 10);
        assert.deepEqual(await s.read(0, 10), Uint8Array.of(0x61, 0x62, 0x63, 0, 0, 0, 0, 0, 0, 0));
        await s.write(9, Uint8Array.of(0x7a));
        assert.deepEqual(await s.read(8, 2), Uint8Array.of(0, 0x7a));
        const refused = new HexmapError('refused', 'ERR_HEXMAP_READ_ONLY', path);
        await assert.rejects(changeSize(s, async () => { throw refused; }), (e) => e === refused);
        assert.equal(s.size, 10);
        assert.deepEqual(await s.read(8, 2), Uint8Array.of(0, 0x7a));
        assert.equal((await s.utf8Stats()).bytes, 10);
      } finally {
        s.close();
      }
    });
  });
}
