/**
 * The inspector's wider types (shared/inspect.ts): int24, bfloat16, LEB128,
 * GUID, FILETIME and DOS date/time, held against DataView reads and
 * hand-made vectors (DWARF's LEB128 examples, the GPT EFI System Partition
 * GUID, FILETIME of known dates).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bfloat16, dosDateTime, filetimeIso, guidText, inspectNumbers, readLeb128 } from '../../shared/inspect';
import { rng, randInt } from '../support/randomUtf8';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

test('int24 / uint24 equal DataView reads widened by hand, both byte orders; absent below 3 bytes', () => {
  const r = rng(24);
  for (let round = 0; round < 2000; round++) {
    const n = randInt(r, 6);
    const bytes = Uint8Array.from({ length: n }, () => randInt(r, 256));
    const dv = new DataView(bytes.buffer);
    for (const le of [true, false]) {
      const v = inspectNumbers(bytes, le);
      if (n < 3) {
        assert.equal(v.int24, undefined);
        assert.equal(v.uint24, undefined);
        continue;
      }
      const u = le ? dv.getUint16(0, true) + dv.getUint8(2) * 65536 : dv.getUint16(0, false) * 256 + dv.getUint8(2);
      assert.equal(v.uint24, u);
      assert.equal(v.int24, (u << 8) >> 8);
    }
  }
  assert.equal(inspectNumbers(hex('FF FF 7F'), true).int24, 8388607);
  assert.equal(inspectNumbers(hex('00 00 80'), true).int24, -8388608);
  assert.equal(inspectNumbers(hex('80 00 00'), false).int24, -8388608);
  assert.equal(inspectNumbers(hex('01 02 03'), false).uint24, 0x010203);
});

test('bfloat16 is the top half of a float32 (DataView), with hand vectors', () => {
  for (let bits = 0; bits < 0x10000; bits += 7) {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setUint16(0, bits);
    assert.ok(Object.is(bfloat16(bits), dv.getFloat32(0)), bits.toString(16));
  }
  const vectors: [number, number][] = [[0x3f80, 1], [0xc000, -2], [0x4049, 3.140625], [0x7f80, Infinity], [0xff80, -Infinity], [0x0001, 2 ** -133], [0x7f7f, 3.3895313892515355e38]];
  for (const [bits, value] of vectors) assert.equal(bfloat16(bits), value, bits.toString(16));
  assert.ok(Number.isNaN(bfloat16(0x7fc0)));
  assert.ok(Object.is(bfloat16(0x8000), -0));
  assert.equal(inspectNumbers(hex('80 3F'), true).bfloat16, 1);
  assert.equal(inspectNumbers(hex('3F 80'), false).bfloat16, 1);
});

test('LEB128: the DWARF specification examples, value and length', () => {
  // DWARF 5, section 7.6, figures 3 and 4 (and Wikipedia's 624485 / -123456).
  const unsigned: [string, bigint][] = [['02', 2n], ['7f', 127n], ['80 01', 128n], ['81 01', 129n], ['82 01', 130n], ['b9 64', 12857n], ['e5 8e 26', 624485n]];
  const signed: [string, bigint][] = [['02', 2n], ['7e', -2n], ['ff 00', 127n], ['81 7f', -127n], ['80 01', 128n], ['80 7f', -128n], ['81 01', 129n], ['ff 7e', -129n], ['c0 bb 78', -123456n]];
  for (const [text, value] of unsigned) {
    const bytes = hex(`${text} 55 ff`); // trailing bytes are not part of it
    assert.deepEqual(readLeb128(bytes, false), { value, length: text.split(' ').length }, text);
  }
  for (const [text, value] of signed) {
    assert.deepEqual(readLeb128(hex(`${text} 80`), true), { value, length: text.split(' ').length }, text);
  }
  // No end byte in reach: nothing to show.
  assert.equal(readLeb128(hex('80 80 80'), false), undefined);
  assert.equal(readLeb128(new Uint8Array(0), true), undefined);
  // 64-bit extremes in 10 bytes.
  assert.deepEqual(readLeb128(hex('ff ff ff ff ff ff ff ff ff 01'), false), { value: 2n ** 64n - 1n, length: 10 });
  assert.deepEqual(readLeb128(hex('80 80 80 80 80 80 80 80 80 7f'), true), { value: -(2n ** 63n), length: 10 });
  const v = inspectNumbers(hex('e5 8e 26 00'), false);
  assert.deepEqual([v.uleb128, v.sleb128], [{ value: 624485n, length: 3 }, { value: 624485n, length: 3 }]);
});

test('GUID: the GPT EFI System Partition type in both layouts; needs 16 bytes', () => {
  const onDisk = hex('28 73 2A C1 1F F8 D2 11 BA 4B 00 A0 C9 3E C9 3B');
  assert.equal(guidText(onDisk, true), '{C12A7328-F81F-11D2-BA4B-00A0C93EC93B}');
  assert.equal(guidText(onDisk, false), '28732ac1-1ff8-d211-ba4b-00a0c93ec93b');
  // RFC 4122's own byte order: the text reads in the order of the bytes.
  const nsDns = hex('6b a7 b8 10 9d ad 11 d1 80 b4 00 c0 4f d4 30 c8');
  assert.equal(inspectNumbers(nsDns, true).guidRfc, '6ba7b810-9dad-11d1-80b4-00c04fd430c8');
  assert.equal(inspectNumbers(onDisk.subarray(0, 15), true).guidWindows, undefined);
});

test('FILETIME: known dates, 100 ns digits, the whole unsigned range; read per byte order', () => {
  assert.equal(filetimeIso(0n), '1601-01-01T00:00:00Z');
  assert.equal(filetimeIso(116444736000000000n), '1970-01-01T00:00:00Z');
  assert.equal(filetimeIso(0x01bf53eb256d4000n), '2000-01-01T00:00:00Z');
  assert.equal(filetimeIso(0x01bf53eb256d4001n), '2000-01-01T00:00:00.0000001Z');
  assert.equal(filetimeIso(0x01bf53eb256d4000n + 1_234_500n), '2000-01-01T00:00:00.12345Z');
  assert.match(filetimeIso(2n ** 64n - 1n), /^\+060056-/);
  // The same instant from the bytes, little-endian (as Windows stores it) and big-endian.
  const le = new Uint8Array(8);
  new DataView(le.buffer).setBigUint64(0, 0x01bf53eb256d4000n, true);
  assert.equal(inspectNumbers(le, true).filetime, '2000-01-01T00:00:00Z');
  assert.equal(inspectNumbers(le.slice().reverse(), false).filetime, '2000-01-01T00:00:00Z');
  // Against Date for random instants between 1601 and 9999.
  const r = rng(1601);
  for (let i = 0; i < 500; i++) {
    const ms = -11644473600000 + Math.floor(r() * 265_000_000_000_000);
    const ticks = (BigInt(ms) + 11644473600000n) * 10_000n;
    assert.equal(filetimeIso(ticks), new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z'));
  }
});

test('DOS date/time: a hand-packed value, FAT/ZIP byte order, invalid fields', () => {
  // 2021-03-04 05:06:08: date (41<<9 | 3<<5 | 4) = 0x5264, time (5<<11 | 6<<5 | 8/2) = 0x28C4.
  assert.equal(dosDateTime(0x526428c4), '2021-03-04 05:06:08');
  assert.equal(inspectNumbers(hex('C4 28 64 52'), true).dosDateTime, '2021-03-04 05:06:08');
  assert.equal(inspectNumbers(hex('52 64 28 C4'), false).dosDateTime, '2021-03-04 05:06:08');
  assert.equal(dosDateTime(0x00210000), '1980-01-01 00:00:00');
  assert.equal(dosDateTime(0xff9fbf7d), '2107-12-31 23:59:58');
  assert.equal(dosDateTime(0), undefined, 'month 0');
  assert.equal(dosDateTime((0x5264 << 16) | (24 << 11)), undefined, 'hour 24');
  assert.equal(dosDateTime(((41 << 9) | (2 << 5) | 29) << 16), undefined, '2021-02-29');
  assert.equal(dosDateTime(((44 << 9) | (2 << 5) | 29) << 16), '2024-02-29 00:00:00');
});
