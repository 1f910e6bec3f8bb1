/**
 * shared/encodings: every codec judged against TextDecoder (Node's Buffer
 * 'latin1' for true ISO-8859-1) on generated inputs, decoded whole and in
 * windows cut at every edge with 3 bytes of context, counted in chunks, and
 * the case-folding search rule checked against toLowerCase.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TEXT_ENCODINGS, codecFor, countText, decodeText, decodeTextSpan, emptyTextCounts, encodingOfBom, newTextUnit,
  type TextCodec, type TextEncoding, type UnitStatus,
} from '../../shared/encodings';
import { compileTextQuery } from '../../shared/encodings/caseFold';
import { PatternMatcher } from '../../extension/search/patternMatcher';
import { inspectCharacter } from '../../shared/inspect';
import { randInt, rng } from '../support/randomUtf8';
import { textSoup } from '../support/randomText';
import { execFileSync } from 'node:child_process';

/**
 * windows-1252 byte by byte from Python's cp1252 codec (the five undefined
 * bytes as the C1 controls WHATWG maps them to). Node 20's TextDecoder cannot
 * be the judge here: it decodes "windows-1252" as ISO-8859-1 (80 -> U+0080,
 * not U+20AC). The webview test checks the same table against Chromium's
 * TextDecoder, which follows WHATWG.
 */
const CP1252: number[] = JSON.parse(execFileSync('python3', ['-c',
  'import json; print(json.dumps([ord(bytes([b]).decode("cp1252", errors="ignore") or chr(b)) for b in range(256)]))']).toString());

/** What a trusted decoder makes of the bytes, as code points. */
function reference(encoding: TextEncoding, bytes: Uint8Array): number[] {
  if (encoding === 'iso-8859-1') return [...bytes];
  if (encoding === 'windows-1252') return [...bytes].map((b) => CP1252[b]);
  if (encoding === 'ascii') return [...bytes].map((b) => (b < 0x80 ? b : 0xfffd));
  const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  return [...text].map((c) => c.codePointAt(0)!);
}

/** Every unit from the start: [start, length, codePoint, status]. */
function units(codec: TextCodec, bytes: Uint8Array): [number, number, number, UnitStatus][] {
  const out: [number, number, number, UnitStatus][] = [];
  const u = newTextUnit();
  for (let i = 0; i < bytes.length; i += u.length) {
    codec.decodeUnit(bytes, i, bytes.length, i, u);
    out.push([i, u.length, u.codePoint, u.status]);
  }
  return out;
}

const soup = textSoup;

const SINGLE = new Set<TextEncoding>(['windows-1252', 'iso-8859-1', 'ascii']);

for (const encoding of TEXT_ENCODINGS.filter((e) => e !== 'utf-8')) {
  const codec = codecFor(encoding);

  const judge = encoding === 'iso-8859-1' ? "Buffer's latin1" : encoding === 'windows-1252' ? "Python's cp1252" : 'TextDecoder';
  test(`${encoding}: decoding unit by unit gives exactly what ${judge} gives`, () => {
    const r = rng(11);
    for (let round = 0; round < 300; round++) {
      const bytes = soup(encoding, r, 1 + randInt(r, 200));
      const got = units(codec, bytes);
      assert.deepEqual(got.map((u) => u[2]), reference(encoding, bytes), `round ${round}: ${Buffer.from(bytes).toString('hex')}`);
      let at = 0;
      for (const [start, length] of got) { assert.equal(start, at); at += length; }
      assert.equal(at, bytes.length);
    }
    if (encoding === 'iso-8859-1') assert.deepEqual(units(codec, Uint8Array.of(0xe9, 0x80))[0][2], 0xe9);
  });

  test(`${encoding}: a window cut anywhere, with 3 bytes of context, decodes the units of the whole`, () => {
    const r = rng(12);
    for (let round = 0; round < 40; round++) {
      const bytes = soup(encoding, r, 64 + randInt(r, 64));
      const whole = units(codec, bytes);
      for (let from = 0; from < bytes.length; from++) {
        for (const to of [from + 1, from + 2, from + 5, Math.min(bytes.length, from + 17)]) {
          if (to > bytes.length) continue;
          // What the webview holds: the span plus up to 3 bytes each side, at file offset lo.
          const lo = Math.max(0, from - 3);
          const hi = Math.min(bytes.length, to + 3);
          const slice = bytes.subarray(lo, hi);
          const dataEnd = hi === bytes.length ? slice.length : slice.length;
          const got = decodeTextSpan(codec, slice, from - lo, to - lo, lo, 0, dataEnd)
            .map((u) => [u.start + lo, u.length, u.codePoint, u.status]);
          let want = whole.filter(([s, l]) => s + l > from && s < to);
          if (hi < bytes.length) {
            // Only a unit ending past the context could differ; none may, since no unit is longer than 4 bytes.
            want = want.filter(([s, l]) => s + l <= hi);
          }
          assert.deepEqual(got.slice(0, want.length), want, `round ${round} [${from}, ${to})`);
        }
      }
    }
  });

  test(`${encoding}: counts fed in chunks equal one pass and TextDecoder's characters and line breaks`, () => {
    const r = rng(13);
    for (let round = 0; round < 100; round++) {
      const bytes = soup(encoding, r, 1 + randInt(r, 300));
      const one = emptyTextCounts();
      assert.equal(countText(codec, bytes, one, true, 0), bytes.length);
      const cps = reference(encoding, bytes);
      const whole = units(codec, bytes);
      assert.equal(one.chars, cps.length);
      assert.equal(one.bytes, bytes.length);
      assert.equal(one.invalid, whole.filter((u) => u[3] !== 'valid').length);
      const text = String.fromCodePoint(...cps);
      const valid = whole.filter((u) => u[3] === 'valid').map((u) => u[2]);
      assert.equal(one.crlf, (text.match(/\r\n/g) ?? []).length);
      assert.equal(one.lf, (text.match(/(?<!\r)\n/g) ?? []).length);
      assert.equal(one.cr, (text.match(/\r(?!\n)/g) ?? []).length);
      assert.equal(one.nul, valid.filter((c) => c === 0).length);
      assert.equal(one.supplementary, valid.filter((c) => c > 0xffff).length);
      // Chunked: carry what countText leaves over, as Utf8Counter does.
      const chunked = emptyTextCounts();
      let carry = new Uint8Array(0);
      let base = 0;
      for (let pos = 0; pos < bytes.length;) {
        const n = 1 + randInt(r, 9);
        const part = bytes.subarray(pos, pos + n);
        pos += part.length;
        const data = new Uint8Array(carry.length + part.length);
        data.set(carry); data.set(part, carry.length);
        const used = countText(codec, data, chunked, pos >= bytes.length, base);
        carry = data.slice(used);
        base += used;
      }
      assert.deepEqual(chunked, one, `round ${round}`);
    }
  });
}

test('UTF-16: a surrogate pair is one character of 4 bytes, aligned to the file start; odd tails and lone halves flagged', () => {
  const le = codecFor('utf-16le');
  const pair = Uint8Array.of(0x3d, 0xd8, 0x00, 0xde); // U+1F600
  assert.deepEqual(units(le, pair), [[0, 4, 0x1f600, 'valid']]);
  assert.deepEqual(units(le, Uint8Array.of(0x3d, 0xd8, 0x41)), [[0, 3, 0xfffd, 'truncated']]);
  assert.deepEqual(units(le, Uint8Array.of(0x00, 0xdc, 0x41)), [[0, 2, 0xfffd, 'unpaired-surrogate'], [2, 1, 0xfffd, 'truncated']]);
  // The same bytes one offset later in the file: the first byte is half of a unit.
  const u = le.decodeUnit(pair, 0, 4, 1);
  assert.equal(u.status, 'misaligned');
  // Every byte of the pair syncs to its start, in a span that starts at file offset 100.
  for (let k = 0; k < 4; k++) assert.equal(le.syncPoint(pair, k, 0, 100), 0);
  const be = codecFor('utf-16be');
  assert.deepEqual(units(be, Uint8Array.of(0xd8, 0x3d, 0xde, 0x00, 0x00, 0x41)), [[0, 4, 0x1f600, 'valid'], [4, 2, 0x41, 'valid']]);
});

test('windows-1252 flags its five undefined bytes with the code point TextDecoder gives them; ISO-8859-1 and ASCII as documented', () => {
  const w = codecFor('windows-1252');
  const flagged = [];
  for (let b = 0; b < 256; b++) {
    const u = w.decodeUnit(Uint8Array.of(b), 0, 1, 0);
    assert.equal(u.codePoint, CP1252[b]);
    if (u.status !== 'valid') flagged.push(b);
  }
  assert.deepEqual(flagged, [0x81, 0x8d, 0x8f, 0x90, 0x9d]);
  const iso = codecFor('iso-8859-1');
  assert.equal(iso.decodeUnit(Uint8Array.of(0x80), 0, 1, 0).codePoint, 0x80);
  assert.equal(iso.decodeUnit(Uint8Array.of(0x81), 0, 1, 0).status, 'valid');
  const a = codecFor('ascii');
  assert.equal(a.decodeUnit(Uint8Array.of(0x80), 0, 1, 0).status, 'not-ascii');
  assert.equal(a.decodeUnit(Uint8Array.of(0x7f), 0, 1, 0).status, 'valid');
});

test('a byte order mark names its encoding', () => {
  assert.deepEqual(encodingOfBom(Uint8Array.of(0xff, 0xfe, 0x41)), { encoding: 'utf-16le', length: 2 });
  assert.deepEqual(encodingOfBom(Uint8Array.of(0xfe, 0xff)), { encoding: 'utf-16be', length: 2 });
  assert.deepEqual(encodingOfBom(Uint8Array.of(0xef, 0xbb, 0xbf)), { encoding: 'utf-8', length: 3 });
  assert.equal(encodingOfBom(Uint8Array.of(0xef, 0xbb)), undefined);
});

test('encoding a query: every encoding round-trips what it can represent and names what it cannot', () => {
  for (const encoding of TEXT_ENCODINGS) {
    const codec = codecFor(encoding);
    const text = encoding === 'ascii' ? 'Hello, world' : SINGLE.has(encoding) ? 'Grüße, ÀÞ' : 'Grüße 😀 жЖ';
    const r = codec.encode(text);
    assert.ok('bytes' in r, encoding);
    assert.equal(String.fromCodePoint(...reference(encoding, r.bytes)), text, encoding);
  }
  assert.deepEqual(codecFor('ascii').encode('café'), { unencodable: 'é' });
  assert.deepEqual(codecFor('windows-1252').encode('a€ж'), { unencodable: 'ж' });
  assert.deepEqual(codecFor('iso-8859-1').encode('€'), { unencodable: '€' });
  assert.deepEqual(codecFor('utf-16le').encode('a\ud800'), { unencodable: '\ud800' });
});

/** Alphabets whose case pairs all differ in one bit in that encoding, plus traps (U+4141 is bytes 41 41). */
const ALPHABETS: Partial<Record<TextEncoding, string>> = {
  'utf-16le': 'aAzZäÄжЖαΑ䅁×÷1 ',
  'utf-16be': 'aAzZäÄжЖαΑ䅁×÷1 ',
  'windows-1252': 'aAzZäÄþÞšŠœŒ×÷@`1 ',
  'iso-8859-1': 'aAzZäÄþÞ×÷@`1 ',
  'utf-8': 'aAzZäÄжЖ@`1 ',
  ascii: 'aAzZ@`[{1 ',
};

for (const [encoding, alphabet] of Object.entries(ALPHABETS) as [TextEncoding, string][]) {
  test(`${encoding}: case-insensitive search matches exactly where the decoded text equals the query in lower case`, () => {
    const codec = codecFor(encoding);
    const letters = [...alphabet];
    const r = rng(14);
    const pick = (n: number) => Array.from({ length: n }, () => letters[randInt(r, letters.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const hay = pick(40);
      const query = pick(1 + randInt(r, 3));
      const hayBytes = (codec.encode(hay) as { bytes: Uint8Array }).bytes;
      const q = compileTextQuery(codec, query, true);
      assert.ok(!('unencodable' in q));
      const matcher = new PatternMatcher(q);
      const got = matcher.scan(hayBytes, 0, hayBytes.length, 0).filter((p) => p % codec.unitSize === 0);
      const want: number[] = [];
      for (let p = 0; p + q.pattern.length <= hayBytes.length; p += codec.unitSize) {
        const slice = String.fromCodePoint(...reference(encoding, hayBytes.subarray(p, p + q.pattern.length)));
        if (slice.toLowerCase() === query.toLowerCase()) want.push(p);
      }
      assert.deepEqual(got, want, `round ${round}: ${JSON.stringify(query)} in ${JSON.stringify(hay)}`);
    }
  });
}

test('UTF-16LE: an ASCII letter folds only where its high byte is 00, so "aA" does not find U+4141', () => {
  const codec = codecFor('utf-16le');
  const q = compileTextQuery(codec, 'A', true);
  assert.ok('pattern' in q);
  assert.equal(q.ignoreCase, false);
  assert.deepEqual([...q.mask!], [0xdf, 0xff]);
  const hay = (codec.encode('䅁a') as { bytes: Uint8Array }).bytes; // 41 41 61 00
  assert.deepEqual(new PatternMatcher(q).scan(hay, 0, hay.length, 0), [2]);
});

test('the inspector\'s character at the cursor is the unit the encoding draws there', () => {
  const le = codecFor('utf-16le');
  // File offsets 100..107: "é" then U+1F600 as a pair, with 3 bytes of context before.
  const bytes = Uint8Array.of(0x41, 0x00, 0x42, 0xe9, 0x00, 0x3d, 0xd8, 0x00, 0xde);
  const base = 97; // bytes[3] is file offset 100 (even: a unit boundary)
  for (const at of [5, 6, 7, 8]) {
    const c = inspectCharacter(bytes, at, base, 0, bytes.length, le)!;
    assert.equal(c.offset, 102, `byte ${at}`);
    assert.equal(c.codePoint, 0x1f600);
    assert.deepEqual(c.bytes, [0x3d, 0xd8, 0x00, 0xde]);
  }
  assert.equal(inspectCharacter(bytes, 4, base, 0, bytes.length, le)!.codePoint, 0xe9);
  const w = inspectCharacter(Uint8Array.of(0x81), 0, 0, 0, 1, codecFor('windows-1252'))!;
  assert.equal(w.status, 'undefined');
  assert.match(w.problem!, /windows-1252 leaves undefined/);
  // Without a codec (or with UTF-8's) it is the UTF-8 decoder, as before.
  assert.equal(inspectCharacter(Uint8Array.of(0xc3, 0xa9), 1)!.codePoint, 0xe9);
});

test('decodeText (what the text pane copies) is TextDecoder\'s string', () => {
  const r = rng(15);
  for (const encoding of ['utf-8', 'utf-16le', 'utf-16be', 'iso-8859-1', 'ascii'] as TextEncoding[]) {
    for (let round = 0; round < 50; round++) {
      const bytes = soup(encoding, r, randInt(r, 120));
      assert.equal(decodeText(codecFor(encoding), bytes), String.fromCodePoint(...reference(encoding, bytes)), `${encoding} round ${round}`);
    }
  }
});
