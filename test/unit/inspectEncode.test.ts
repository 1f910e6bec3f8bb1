/**
 * shared/inspectEncode.ts: typing a value into the inspector. Every field
 * round-trips (decode → the text shown → encode gives the same bytes) on
 * random data in both byte orders; hand vectors for the float rounding and
 * LEB128 padding; and out-of-range or malformed input is refused with a
 * message that says why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float16, inspectNumbers } from '../../shared/inspect';
import { EDITABLE_FIELDS, encodeValue, fieldText, smallFloatBits, type EditableField } from '../../shared/inspectEncode';
import { rng, randInt } from '../support/randomUtf8';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function bytesOf(field: EditableField, text: string, le = true, current = new Uint8Array(16)): string {
  const r = encodeValue(field, text, le, current);
  if ('error' in r) throw new Error(`${field} "${text}": ${r.error}`);
  return toHex(r.bytes);
}

function errorOf(field: EditableField, text: string, le = true, current = new Uint8Array(16)): string {
  const r = encodeValue(field, text, le, current);
  assert.ok('error' in r, `${field} "${text}" should be refused, got ${'bytes' in r ? toHex(r.bytes) : ''}`);
  return r.error;
}

test('round trip: every field of random bytes, shown as text and typed back, writes the same bytes (both byte orders)', () => {
  const r = rng(42);
  const seen = new Set<EditableField>();
  for (let round = 0; round < 3000; round++) {
    const bytes = Uint8Array.from({ length: 16 }, () => randInt(r, 256));
    // Make the rarer readings appear: valid DOS dates, short LEB128 values, small FILETIMEs and 64-bit Unix times.
    if (round % 3 === 0) bytes.set([randInt(r, 256), randInt(r, 0xbf), (randInt(r, 12) + 1) << 5 | (randInt(r, 28) + 1), randInt(r, 0xff)]);
    if (round % 5 === 0) bytes[randInt(r, 4)] &= 0x7f;
    if (round % 7 === 0) bytes[7] = randInt(r, 0x02);
    if (round % 11 === 0) bytes.fill(0, 4, 8); // 64-bit Unix time within Date's range, little-endian
    if (round % 11 === 1) bytes.fill(0, 0, 4); // the same, big-endian
    for (const le of [true, false]) {
      const v = inspectNumbers(bytes, le);
      for (const field of EDITABLE_FIELDS) {
        const text = fieldText(v, field);
        if (text === undefined || text === 'NaN') continue; // NaN has many bit patterns; one is written
        seen.add(field);
        const out = encodeValue(field, text, le, bytes);
        assert.ok('bytes' in out, `${field} ${text}: ${'error' in out ? out.error : ''}`);
        assert.equal(toHex(out.bytes), toHex(bytes.subarray(0, out.bytes.length)), `${field} ${le ? 'LE' : 'BE'} "${text}"`);
      }
    }
  }
  assert.deepEqual([...seen].sort(), [...EDITABLE_FIELDS].sort(), 'every field was exercised');
});

test('integers: decimal, hex, octal, binary, underscores; ranges refused with the limits', () => {
  assert.equal(bytesOf('uint16', '0x1234'), '34 12');
  assert.equal(bytesOf('uint16', '0x1234', false), '12 34');
  assert.equal(bytesOf('int8', '-128'), '80');
  assert.equal(bytesOf('int24', '-1'), 'ff ff ff');
  assert.equal(bytesOf('uint24', '0b1_0000_0000'), '00 01 00');
  assert.equal(bytesOf('uint32', '0o17'), '0f 00 00 00');
  assert.equal(bytesOf('int64', '-9223372036854775808', false), '80 00 00 00 00 00 00 00');
  assert.equal(bytesOf('uint64', '18446744073709551615'), 'ff ff ff ff ff ff ff ff');
  assert.match(errorOf('uint8', '256'), /256 is out of range for uint8 \(0 to 255\)/);
  assert.match(errorOf('int8', '-129'), /out of range for int8 \(-128 to 127\)/);
  assert.match(errorOf('uint24', '-1'), /out of range for uint24/);
  assert.match(errorOf('int64', '9223372036854775808'), /out of range for int64/);
  assert.match(errorOf('int16', '1.5'), /not an integer/);
  assert.match(errorOf('int16', '12abc'), /not an integer/);
  assert.match(errorOf('uint8', '  '), /Enter a value/);
});

test('floats: round to nearest even, straight from the double; out of range refused', () => {
  // binary16: 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties to even (1).
  assert.equal(smallFloatBits(1 + 2 ** -11, 10, 5), 0x3c00);
  assert.equal(smallFloatBits(1 + 3 * 2 ** -11, 10, 5), 0x3c02, 'tie rounds up to the even neighbour');
  assert.equal(smallFloatBits(65504, 10, 5), 0x7bff);
  assert.equal(smallFloatBits(65519, 10, 5), 0x7bff, 'below the halfway point to 65536');
  assert.equal(smallFloatBits(65520, 10, 5), undefined, 'rounds to infinity');
  assert.equal(smallFloatBits(2 ** -24, 10, 5), 0x0001);
  assert.equal(smallFloatBits(2 ** -25, 10, 5), 0x0000, 'halfway to the smallest subnormal: ties to even (zero)');
  assert.equal(smallFloatBits(2 ** -14 - 2 ** -25, 10, 5), 0x0400, 'largest subnormal rounds up into the normals');
  assert.equal(smallFloatBits(-0, 10, 5), 0x8000);
  assert.equal(smallFloatBits(NaN, 10, 5), 0x7e00);
  // bfloat16, including a case where rounding through float32 first would round twice.
  assert.equal(smallFloatBits(1, 7, 8), 0x3f80);
  assert.equal(smallFloatBits(3.14159, 7, 8), 0x4049);
  const justAboveTie = 1 + 2 ** -8 + 2 ** -30; // float32 rounds this to the tie 1 + 2^-8, which would then round to even (1)
  assert.equal(smallFloatBits(justAboveTie, 7, 8), 0x3f81);
  // Every half-precision value encodes to itself.
  for (let bits = 0; bits < 0x10000; bits++) {
    const x = float16(bits);
    if (!Number.isNaN(x)) assert.equal(smallFloatBits(x, 10, 5), bits, bits.toString(16));
  }
  assert.equal(bytesOf('float16', '1'), '00 3c');
  assert.equal(bytesOf('bfloat16', '-2', false), 'c0 00');
  assert.equal(bytesOf('float32', '1.5', false), '3f c0 00 00');
  assert.equal(bytesOf('float64', '-Infinity', false), 'ff f0 00 00 00 00 00 00');
  assert.equal(bytesOf('float32', '-0'), '00 00 00 80');
  assert.match(errorOf('float16', '70000'), /out of range for float16 \(largest 65504\)/);
  assert.match(errorOf('float32', '1e39'), /out of range for float32/);
  assert.match(errorOf('float64', '1e400'), /out of range for float64/);
  assert.match(errorOf('float32', '1,5'), /not a number/);
});

test('LEB128 keeps the length of the value at the cursor: padded when shorter, refused when longer', () => {
  const atCursor = hex('e5 8e 26 41 41'); // 624485 in 3 bytes, then other data
  assert.equal(bytesOf('uleb128', '624485', true, atCursor), 'e5 8e 26');
  assert.equal(bytesOf('uleb128', '2', true, atCursor), '82 80 00');
  assert.equal(bytesOf('sleb128', '-2', true, atCursor), 'fe ff 7f');
  assert.equal(bytesOf('sleb128', '-2', true, hex('7e 00')), '7e');
  assert.match(errorOf('uleb128', '2097152', true, atCursor), /needs 4 bytes.*3 bytes long/);
  assert.match(errorOf('sleb128', '1048576', true, atCursor), /needs 4 bytes/);
  assert.match(errorOf('uleb128', '-1', true, atCursor), /no negative/);
  // No value ends in reach: the shortest encoding.
  assert.equal(bytesOf('uleb128', '128', true, hex('80 80')), '80 01');
});

test('times, dates and GUIDs from text; malformed or out-of-range text refused', () => {
  assert.equal(bytesOf('unixTime32', '2038-01-19T03:14:07Z'), 'ff ff ff 7f');
  assert.equal(bytesOf('unixTime32', '1970-01-01T01:00:00+01:00'), '00 00 00 00');
  assert.equal(bytesOf('unixTime32', '1970-01-01'), '00 00 00 00');
  assert.equal(bytesOf('unixTime64', '-1'), 'ff ff ff ff ff ff ff ff');
  assert.match(errorOf('unixTime32', '2038-01-19T03:14:08Z'), /out of range/);
  assert.match(errorOf('unixTime32', '2000-01-01T00:00:00.5Z'), /whole seconds/);
  assert.match(errorOf('unixTime32', '2000-02-30'), /not a valid date/);
  assert.equal(bytesOf('filetime', '2000-01-01T00:00:00Z', false), '01 bf 53 eb 25 6d 40 00');
  assert.equal(bytesOf('filetime', '2000-01-01T00:00:00.0000001Z', false), '01 bf 53 eb 25 6d 40 01');
  assert.match(errorOf('filetime', '1600-12-31T23:59:59Z'), /before 1601/);
  assert.match(errorOf('filetime', '2000-01-01T00:00:00.00000001Z'), /at most 7 digits/);
  assert.equal(bytesOf('dosDateTime', '2021-03-04 05:06:08'), 'c4 28 64 52');
  assert.match(errorOf('dosDateTime', '2021-03-04 05:06:07'), /steps of 2/);
  assert.match(errorOf('dosDateTime', '1979-12-31 00:00:00'), /between 1980 and 2107/);
  assert.match(errorOf('dosDateTime', '2021-13-01 00:00:00'), /not a valid/);
  assert.equal(bytesOf('guidWindows', '{C12A7328-F81F-11D2-BA4B-00A0C93EC93B}'), '28 73 2a c1 1f f8 d2 11 ba 4b 00 a0 c9 3e c9 3b');
  assert.equal(bytesOf('guidWindows', 'c12a7328f81f11d2ba4b00a0c93ec93b'), '28 73 2a c1 1f f8 d2 11 ba 4b 00 a0 c9 3e c9 3b');
  assert.equal(bytesOf('guidRfc', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '6b a7 b8 10 9d ad 11 d1 80 b4 00 c0 4f d4 30 c8');
  assert.match(errorOf('guidRfc', '6ba7b810-9dad-11d1-80b4'), /not a GUID/);
  assert.equal(bytesOf('binary', '01000001'), '41');
  assert.equal(bytesOf('octal', '377'), 'ff');
  assert.match(errorOf('octal', '400'), /more than one byte/);
  assert.match(errorOf('binary', '2'), /not binary/);
});
