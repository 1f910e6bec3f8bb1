/**
 * shared/inspect.ts: the inspector's character and number readings, held
 * against TextDecoder and DataView, plus hand-computed binary16 vectors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeSelection, float16, generalCategory, inspectCharacter, inspectNumbers, unixTimeIso,
} from '../../shared/inspect';
import { decodeUnit, newUnit } from '../../shared/utf8';
import { randInt, rng, utf8Soup } from '../support/randomUtf8';

const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** [start, length] of the unit covering each byte, from a decode of the whole array. */
function owners(bytes: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  const u = newUnit();
  for (let i = 0; i < bytes.length; i += u.length) {
    decodeUnit(bytes, i, bytes.length, u);
    for (let k = 0; k < u.length; k++) out.push([i, u.length]);
  }
  return out;
}

test('the snake: code point, UTF-8 and UTF-16 units, category, from any of its bytes', () => {
  const bytes = new TextEncoder().encode('a🐍b');
  for (const at of [1, 2, 3, 4]) {
    const c = inspectCharacter(bytes, at, 1000)!;
    assert.equal(c.offset, 1001);
    assert.deepEqual(c.bytes, [0xf0, 0x9f, 0x90, 0x8d]);
    assert.equal(c.codePoint, 0x1f40d);
    assert.equal(c.label, 'U+1F40D');
    assert.deepEqual(c.utf16, [0xd83d, 0xdc0d]);
    assert.equal(c.glyph, '🐍');
    assert.equal(c.status, 'valid');
    assert.equal(c.problem, undefined);
    assert.deepEqual(c.category, { code: 'So', name: 'Other Symbol' });
  }
  assert.equal(inspectCharacter(bytes, 6), undefined);
});

test('general categories and display glyphs', () => {
  const cases: [number, string, string][] = [
    [0x41, 'Lu', 'A'], [0xe9, 'Ll', 'é'], [0x301, 'Mn', '\u25CC\u0301'], [0xa0, 'Zs', '\u00A0'], [0x200b, 'Cf', '\u00B7'],
    [0x20ac, 'Sc', '€'], [0xe000, 'Co', '\u00B7'], [0x0a, 'Cc', '\u240A'], [0x00, 'Cc', '\u2400'], [0x20, 'Zs', '\u2420'],
    [0x4e2d, 'Lo', '中'], [0x0378, 'Cn', '\u00B7'], [0x2028, 'Zl', '\u00B7'], [0x39, 'Nd', '9'], [0x2b, 'Sm', '+'],
  ];
  for (const [cp, code, glyph] of cases) {
    assert.equal(generalCategory(cp).code, code, `U+${cp.toString(16)}`);
    const bytes = new TextEncoder().encode(String.fromCodePoint(cp));
    const c = inspectCharacter(bytes, 0)!;
    assert.equal(c.category?.code, code);
    assert.equal(c.glyph, glyph, `glyph of U+${cp.toString(16)}`);
  }
});

test('Unicode Table 3-8..3-11 bytes: each byte inspects to its maximal subpart, with the reason', () => {
  const tables: [string, (string | undefined)[]][] = [
    ['C0 AF E0 80 BF F0 81 82 41', ['overlong', 'unexpected continuation', 'overlong', 'unexpected continuation', 'unexpected continuation', 'overlong', 'unexpected continuation', 'unexpected continuation', undefined]],
    ['ED A0 80 ED BF BF ED AF 41', ['surrogate', 'unexpected continuation', 'unexpected continuation', 'surrogate', 'unexpected continuation', 'unexpected continuation', 'surrogate', 'unexpected continuation', undefined]],
    ['F4 91 92 93 FF 41 80 BF 42', ['above U+10FFFF', 'unexpected continuation', 'unexpected continuation', 'unexpected continuation', 'above U+10FFFF', undefined, 'unexpected continuation', 'unexpected continuation', undefined]],
    ['E1 80 E2 F0 91 92 F1 BF 41', ['truncated', 'truncated', 'truncated', 'truncated', 'truncated', 'truncated', 'truncated', 'truncated', undefined]],
  ];
  for (const [text, reasons] of tables) {
    const bytes = hex(text);
    const decoded = [...decoder.decode(bytes)];
    const own = owners(bytes);
    const unitStarts = [...new Set(own.map(([s]) => s))];
    for (let at = 0; at < bytes.length; at++) {
      const c = inspectCharacter(bytes, at)!;
      assert.equal(c.offset, own[at][0], `${text} @${at}`);
      assert.deepEqual(c.bytes, Array.from(bytes.subarray(own[at][0], own[at][0] + own[at][1])));
      // The character TextDecoder produced for this unit.
      const ch = decoded[unitStarts.indexOf(own[at][0])];
      assert.equal(c.codePoint === undefined ? '\uFFFD' : String.fromCodePoint(c.codePoint), ch);
      const want = reasons[at];
      if (want === undefined) assert.equal(c.problem, undefined);
      else assert.match(c.problem ?? '', new RegExp(want.replace('+', '\\+')), `${text} @${at}`);
      if (c.problem) assert.deepEqual([c.utf16, c.label, c.category], [[], 'U+FFFD (replacement)', undefined]);
    }
  }
});

test('fuzz: with only 3 bytes of context each side, the inspected unit is the one TextDecoder sees', () => {
  const r = rng(31337);
  for (let round = 0; round < 400; round++) {
    const data = utf8Soup(r, 1 + randInt(r, 60));
    const own = owners(data);
    const decoded = [...decoder.decode(data)];
    const starts = [...new Set(own.map(([s]) => s))];
    for (let at = 0; at < data.length; at++) {
      const from = Math.max(0, at - 3);
      const window = data.subarray(from, Math.min(data.length, at + 4));
      const c = inspectCharacter(window, at - from, from)!;
      const label = `${[...data].map((b) => b.toString(16)).join(' ')} @${at}`;
      assert.equal(c.offset, own[at][0], label);
      assert.equal(c.bytes.length, own[at][1], label);
      const ch = decoded[starts.indexOf(own[at][0])];
      assert.equal(c.codePoint === undefined ? '\uFFFD' : String.fromCodePoint(c.codePoint), ch, label);
      if (c.codePoint !== undefined) assert.deepEqual(c.utf16, Array.from({ length: ch.length }, (_, k) => ch.charCodeAt(k)));
    }
  }
});

test('binary16 by hand-computed vectors', () => {
  const vectors: [number, number][] = [
    [0x0000, 0], [0x3c00, 1], [0xc000, -2], [0x7bff, 65504], [0x0001, 2 ** -24], [0x03ff, 1023 * 2 ** -24],
    [0x0400, 2 ** -14], [0x3555, 0.333251953125], [0x7c00, Infinity], [0xfc00, -Infinity], [0x4248, 3.140625],
  ];
  for (const [bits, value] of vectors) assert.equal(float16(bits), value, bits.toString(16));
  assert.ok(Object.is(float16(0x8000), -0));
  assert.ok(Number.isNaN(float16(0x7e00)));
  assert.ok(Number.isNaN(float16(0xfc01)));
});

test('numbers equal DataView in both byte orders; absent where the bytes run out', () => {
  const r = rng(8);
  for (let round = 0; round < 2000; round++) {
    const n = randInt(r, 10);
    const bytes = Uint8Array.from({ length: n }, () => randInt(r, 256));
    const dv = new DataView(bytes.buffer);
    for (const le of [true, false]) {
      const v = inspectNumbers(bytes, le);
      assert.equal(v.int8, n >= 1 ? dv.getInt8(0) : undefined);
      assert.equal(v.uint8, n >= 1 ? dv.getUint8(0) : undefined);
      assert.equal(v.int16, n >= 2 ? dv.getInt16(0, le) : undefined);
      assert.equal(v.uint16, n >= 2 ? dv.getUint16(0, le) : undefined);
      assert.equal(v.int32, n >= 4 ? dv.getInt32(0, le) : undefined);
      assert.equal(v.uint32, n >= 4 ? dv.getUint32(0, le) : undefined);
      assert.equal(v.int64, n >= 8 ? dv.getBigInt64(0, le) : undefined);
      assert.equal(v.uint64, n >= 8 ? dv.getBigUint64(0, le) : undefined);
      assert.ok(Object.is(v.float32, n >= 4 ? dv.getFloat32(0, le) : undefined));
      assert.ok(Object.is(v.float64, n >= 8 ? dv.getFloat64(0, le) : undefined));
      if (n >= 2) {
        const bits = le ? bytes[0] | (bytes[1] << 8) : (bytes[0] << 8) | bytes[1];
        assert.ok(Object.is(v.float16, float16(bits)));
      } else assert.equal(v.float16, undefined);
      assert.equal(v.binary, n >= 1 ? bytes[0].toString(2).padStart(8, '0') : undefined);
      assert.equal(v.octal, n >= 1 ? bytes[0].toString(8).padStart(3, '0') : undefined);
    }
  }
  // A view into a bigger buffer at an odd offset reads its own bytes.
  const big = Uint8Array.of(9, 9, 9, 0x01, 0x02, 0x03, 0x04);
  assert.equal(inspectNumbers(big.subarray(3), true).uint32, 0x04030201);
  assert.equal(inspectNumbers(big.subarray(3), false).uint32, 0x01020304);
});

test('Unix time: 32- and 64-bit seconds', () => {
  assert.equal(unixTimeIso(0), '1970-01-01T00:00:00Z');
  assert.equal(unixTimeIso(0x7fffffff), '2038-01-19T03:14:07Z');
  assert.equal(unixTimeIso(-1), '1969-12-31T23:59:59Z');
  assert.equal(unixTimeIso(1n << 62n), undefined, 'beyond what Date holds');
  const v = inspectNumbers(Uint8Array.of(0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0), true);
  assert.equal(v.unixTime32, '2038-01-19T03:14:07Z');
  assert.equal(v.unixTime64, '2038-01-19T03:14:07Z');
  assert.equal(inspectNumbers(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x80), true).unixTime64, undefined);
});

test('selection description', () => {
  assert.equal(describeSelection({ bytes: 4 }), '4 bytes');
  assert.equal(describeSelection({ bytes: 4, chars: 1, lines: 1 }), '4 bytes, 1 character, 1 line');
  assert.equal(describeSelection({ bytes: 12345, chars: 12000, lines: 3, invalid: 2 }), '12,345 bytes, 12,000 characters, 3 lines, 2 invalid sequences');
});
