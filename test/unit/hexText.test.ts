/**
 * shared/hexText.ts: pasted hex text as bytes, in every spelling people
 * copy from (hex dumps, C arrays, escaped strings, Copy As output), and
 * clear refusals that say where the text went wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHexText } from '../../shared/hexText';
import { formatBytes } from '../../shared/inspectCopy';
import { seededRandom } from '../support/seededRandom';

function bytes(text: string): number[] {
  const r = parseHexText(text);
  if ('error' in r) throw new Error(`${JSON.stringify(text)}: ${r.error}`);
  return Array.from(r.bytes);
}

function refusal(text: string): { error: string; index: number } {
  const r = parseHexText(text);
  assert.ok('error' in r, `${JSON.stringify(text)} should be refused, got ${'bytes' in r ? Array.from(r.bytes) : ''}`);
  return r;
}

test('the spellings of the same bytes', () => {
  const want = [0x48, 0x65, 0x6c, 0xff, 0x00];
  for (const text of [
    '48 65 6C FF 00', '48656cff00', '48656CFF00', '4865 6cff 00', '  48\t65\n6c\r\nff 00\n', '0x48, 0x65, 0x6c, 0xff, 0x00',
    '0x48,0x65,0x6c,0xFF,0x0', '0X48 0X65 0X6C 0XFF 0X00', '\\x48\\x65\\x6c\\xff\\x00', '\\x48\\x65 \\x6C\\XFF, \\x00', '0x48656cff00',
  ]) assert.deepEqual(bytes(text), want, JSON.stringify(text));
  assert.deepEqual(bytes('0x0, 0x7, 0xa'), [0, 7, 10], 'one digit after 0x, as C arrays write it');
});

test('Copy As hex output pastes back as the same bytes', () => {
  const next = seededRandom(1);
  for (const n of [1, 2, 15, 16, 17, 1000, 70_000]) {
    const data = Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
    assert.deepEqual(bytes(formatBytes(data, 'hex')), Array.from(data));
    const lines = formatBytes(data, 'c').split('\n').slice(1, -2).join('\n'); // the array's body: "  0x.., 0x..,"
    assert.deepEqual(bytes(lines), Array.from(data));
  }
});

test('refusals say what and where', () => {
  let r = refusal('48 65 6');
  assert.match(r.error, /"6" has an odd number of hex digits \(1\); each byte takes two \(line 1, column 7\)/);
  assert.equal(r.index, 6);
  r = refusal('48 65\n6c zz');
  assert.match(r.error, /"z" in "zz" is not a hex digit \(line 2, column 4\)/);
  assert.equal(r.index, 9);
  assert.match(refusal('abc').error, /odd number of hex digits \(3\)/);
  assert.match(refusal('0x123').error, /"0x123" has an odd number/);
  assert.match(refusal('0x').error, /no hex digits after 0x/);
  assert.match(refusal('48 0xg1').error, /"g" in "0xg1" is not a hex digit/);
  assert.match(refusal('\\x4').error, /not a run of \\xhh escapes/);
  assert.match(refusal('\\x41zz').error, /"\\\\x41zz" is not a run of \\xhh escapes/);
  assert.match(refusal('\\u0041').error, /not a run of \\xhh escapes/);
  assert.match(refusal('48;65').error, /";" in "48;65" is not a hex digit/);
  assert.match(refusal('').error, /no hex digits/);
  assert.match(refusal(' , \n').error, /no hex digits/);
  assert.match(refusal('"48 65"').error, /is not a hex digit/);
});
