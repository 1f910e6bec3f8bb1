/**
 * shared/utf8.ts, the one UTF-8 decoder: judged against TextDecoder (WHATWG,
 * maximal subparts) on Kuhn's stress test, Unicode's Table 3-8..3-11
 * examples, and seeded fuzz; decodeSpan under arbitrary window splits;
 * countUtf8 fed in chunks equal to one pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  countUtf8, decodeSpan, decodeUnit, emptyCounts, encodeCodePoint, newUnit, syncPoint, type Utf8Status,
} from '../../shared/utf8';
import { randInt, rng, utf8Soup } from '../support/randomUtf8';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const hex = (s: string) => Uint8Array.from(s.trim().split(/\s+/), (h) => parseInt(h, 16));

/** Every unit of `bytes` from its start: [start, length, status, codePoint]. */
function units(bytes: Uint8Array): [number, number, Utf8Status, number][] {
  const out: [number, number, Utf8Status, number][] = [];
  const u = newUnit();
  for (let i = 0; i < bytes.length; i += u.length) {
    decodeUnit(bytes, i, bytes.length, u);
    out.push([i, u.length, u.status, u.codePoint]);
  }
  return out;
}

const asString = (bytes: Uint8Array) => units(bytes).map(([, , , cp]) => String.fromCodePoint(cp)).join('');

function assertLikeTextDecoder(bytes: Uint8Array, label: string): void {
  assert.equal(asString(bytes), decoder.decode(bytes), label);
}

test("Kuhn's UTF-8 stress test decodes exactly as TextDecoder", () => {
  const file = readFileSync(join(__dirname, '../../../test/fixtures/UTF-8-test.txt'));
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.length);
  assert.ok(bytes.length > 20000, 'fixture present');
  assertLikeTextDecoder(bytes, 'whole file');
  // Line by line too, so a mismatch names its line.
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      assertLikeTextDecoder(bytes.subarray(start, i), `line starting at byte ${start}`);
      start = i + 1;
    }
  }
});

// Unicode 15, section 3.9, "U+FFFD Substitution of Maximal Subparts", Tables 3-8 .. 3-11.
const TABLES: { name: string; bytes: string; expect: [number, Utf8Status][] }[] = [
  {
    name: 'Table 3-8 (non-shortest forms)', bytes: 'C0 AF E0 80 BF F0 81 82 41',
    expect: [[1, 'overlong'], [1, 'unexpected-continuation'], [1, 'overlong'], [1, 'unexpected-continuation'],
      [1, 'unexpected-continuation'], [1, 'overlong'], [1, 'unexpected-continuation'], [1, 'unexpected-continuation'], [1, 'valid']],
  },
  {
    name: 'Table 3-9 (ill-formed sequences for surrogates)', bytes: 'ED A0 80 ED BF BF ED AF 41',
    expect: [[1, 'surrogate'], [1, 'unexpected-continuation'], [1, 'unexpected-continuation'], [1, 'surrogate'],
      [1, 'unexpected-continuation'], [1, 'unexpected-continuation'], [1, 'surrogate'], [1, 'unexpected-continuation'], [1, 'valid']],
  },
  {
    name: 'Table 3-10 (other ill-formed sequences)', bytes: 'F4 91 92 93 FF 41 80 BF 42',
    expect: [[1, 'too-large'], [1, 'unexpected-continuation'], [1, 'unexpected-continuation'], [1, 'unexpected-continuation'],
      [1, 'too-large'], [1, 'valid'], [1, 'unexpected-continuation'], [1, 'unexpected-continuation'], [1, 'valid']],
  },
  {
    name: 'Table 3-11 (truncated sequences)', bytes: 'E1 80 E2 F0 91 92 F1 BF 41',
    expect: [[2, 'truncated'], [1, 'truncated'], [3, 'truncated'], [2, 'truncated'], [1, 'valid']],
  },
];

for (const t of TABLES) {
  test(`Unicode ${t.name}: maximal subparts, statuses, and TextDecoder agree`, () => {
    const bytes = hex(t.bytes);
    assert.deepEqual(units(bytes).map(([, len, status]) => [len, status]), t.expect);
    assertLikeTextDecoder(bytes, t.name);
    const fffd = [...decoder.decode(bytes)].filter((c) => c === '\uFFFD').length;
    assert.equal(fffd, t.expect.filter(([, s]) => s !== 'valid').length);
  });
}

test('valid edge code points round-trip through encodeCodePoint and decodeUnit', () => {
  for (const cp of [0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfeff, 0xfffd, 0xffff, 0x10000, 0x1f40d, 0x10ffff]) {
    const bytes = encodeCodePoint(cp);
    assert.deepEqual(bytes, new TextEncoder().encode(String.fromCodePoint(cp)), `U+${cp.toString(16)}`);
    const u = decodeUnit(bytes, 0, bytes.length);
    assert.deepEqual([u.length, u.codePoint, u.status], [bytes.length, cp, 'valid']);
  }
});

test('fuzz: 100k random byte strings decode as TextDecoder does', () => {
  const r = rng(20261123);
  for (let n = 0; n < 100_000; n++) {
    const len = 1 + randInt(r, 12);
    const bytes = r() < 0.5 ? utf8Soup(r, len) : Uint8Array.from({ length: len }, () => (r() < 0.6 ? 0x80 + randInt(r, 0x80) : randInt(r, 256)));
    const got = asString(bytes);
    if (got !== decoder.decode(bytes)) assert.fail(`mismatch on ${[...bytes].map((b) => b.toString(16)).join(' ')}`);
  }
});

test('decodeSpan gives the same units for any window split, with 3 bytes of context', () => {
  const r = rng(42);
  for (let round = 0; round < 300; round++) {
    const data = utf8Soup(r, 1 + randInt(r, 200));
    const whole = units(data).map(([start, length, status, codePoint]) => ({ start, length, status, codePoint }));
    // Cut the data into windows of random sizes; decode each with up to 3 bytes of context each side.
    const got: typeof whole = [];
    for (let from = 0; from < data.length;) {
      const to = Math.min(data.length, from + 1 + randInt(r, 20));
      const ctxStart = Math.max(0, from - 3);
      const ctxEnd = Math.min(data.length, to + 3);
      const view = data.subarray(ctxStart, ctxEnd);
      for (const u of decodeSpan(view, from - ctxStart, to - ctxStart, 0, view.length)) {
        const abs = { ...u, start: u.start + ctxStart };
        // A unit overlapping two windows is reported by both; keep the first report.
        if (got.length === 0 || got[got.length - 1].start < abs.start) got.push(abs);
      }
      from = to;
    }
    assert.deepEqual(got, whole, `round ${round}: ${[...data].map((b) => b.toString(16)).join(' ')}`);
  }
});

test('syncPoint finds the start of the unit covering any byte', () => {
  const r = rng(7);
  for (let round = 0; round < 500; round++) {
    const data = utf8Soup(r, 1 + randInt(r, 40));
    const owner = new Array<number>(data.length);
    for (const [start, length] of units(data)) for (let k = 0; k < length; k++) owner[start + k] = start;
    for (let at = 0; at < data.length; at++) {
      // Decoding from syncPoint must reach a unit that covers `at` starting at its true start.
      const u = newUnit();
      let i = syncPoint(data, at);
      while (i + decodeUnit(data, i, data.length, u).length <= at) i += u.length;
      assert.equal(i, owner[at], `at ${at} of ${[...data].map((b) => b.toString(16)).join(' ')}`);
    }
  }
});

test('countUtf8 fed in chunks equals one pass, CR/LF pairs and cut sequences included', () => {
  const r = rng(1234);
  for (let round = 0; round < 2000; round++) {
    const data = utf8Soup(r, randInt(r, 120));
    const whole = emptyCounts();
    const wholeInvalid: number[] = [];
    countUtf8(data, whole, true, (i) => wholeInvalid.push(i));

    const chunked = emptyCounts();
    const invalid: number[] = [];
    let carry = new Uint8Array(0);
    let carryAt = 0;
    for (let pos = 0; pos < data.length || carry.length;) {
      const len = Math.min(data.length - pos, 1 + randInt(r, 7));
      const buf = new Uint8Array(carry.length + len);
      buf.set(carry);
      buf.set(data.subarray(pos, pos + len), carry.length);
      const base = carryAt;
      const final = pos + len >= data.length;
      const used = countUtf8(buf, chunked, final, (i) => invalid.push(base + i));
      carry = buf.slice(used);
      carryAt = base + used;
      pos += len;
      if (final) break;
    }
    const label = `round ${round}: ${[...data].map((b) => b.toString(16)).join(' ')}`;
    assert.deepEqual(chunked, whole, label);
    assert.deepEqual(invalid, wholeInvalid, label);
    // And the totals are TextDecoder's.
    const text = decoder.decode(data);
    assert.equal(whole.chars, [...text].length, label);
    assert.equal(whole.lf + whole.crlf + whole.cr, (text.match(/\r\n|\r|\n/g) ?? []).length, label);
    assert.equal(whole.ascii, [...text].filter((c) => c.codePointAt(0)! < 0x80).length, label);
  }
});
