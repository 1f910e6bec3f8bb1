/** shared/gotoOffset.ts: the parser behind Ctrl+G and "Hexmap: Go to Offset…". */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGotoOffset } from '../../shared/gotoOffset';

const ctx = { cursor: 1000, size: 4096 };
const ok = (input: string, c = ctx): number => {
  const r = parseGotoOffset(input, c);
  assert.ok(r.ok, `"${input}" should parse: ${r.ok ? '' : r.error}`);
  return r.offset;
};
const err = (input: string, c = ctx): string => {
  const r = parseGotoOffset(input, c);
  assert.ok(!r.ok, `"${input}" should be rejected, got ${r.ok ? r.offset : ''}`);
  return r.error;
};

describe('parseGotoOffset', () => {
  it('reads decimal and 0x hex, ignoring spaces and underscores', () => {
    assert.equal(ok('0'), 0);
    assert.equal(ok('1234'), 1234);
    assert.equal(ok('  0x4D2 '), 0x4d2);
    assert.equal(ok('0X4d2'), 0x4d2);
    assert.equal(ok('4_095'), 4095);
    assert.equal(ok('007'), 7);
  });
  it('moves relative to the cursor with + and -', () => {
    assert.equal(ok('+16'), 1016);
    assert.equal(ok('-16'), 984);
    assert.equal(ok('+0x10'), 1016);
    assert.equal(ok('-1000'), 0);
  });
  it('counts from the end with end-N and --N', () => {
    assert.equal(ok('end'), 4095);
    assert.equal(ok('end-1'), 4095);
    assert.equal(ok('END-0x10'), 4080);
    assert.equal(ok('--1'), 4095);
    assert.equal(ok('--4096'), 0);
  });
  it('explains out-of-range targets with the valid range', () => {
    assert.match(err('4096'), /out of range.*4,096 bytes.*0\.\.4095 = 0x0\.\.0xFFF/);
    assert.match(err('-1001'), /out of range/);
    assert.match(err('+3096'), /out of range/);
    assert.match(err('--4097'), /out of range/);
    assert.match(err('99999999999999999999999'), /out of range/, 'huge numbers are not rounded into range');
  });
  it('rejects what is not an offset, saying what is accepted', () => {
    for (const bad of ['', '  ', 'abc', '0x', '12zz', '1.5', '+', '--', 'end+5', '0xG1', '1e3', '++1']) {
      assert.match(err(bad), /offset/i, `"${bad}"`);
    }
  });
  it('is exact near 2^53 for files far beyond 4 GiB', () => {
    const size = 64 * 1024 ** 3;
    assert.equal(ok('0xFFFFFFFFF', { cursor: 0, size }), size - 1);
    assert.equal(ok('end-16', { cursor: 0, size }), size - 16);
    assert.equal(ok('68719476735', { cursor: 0, size }), 68719476735);
  });
  it('an empty file has no valid offset', () => {
    assert.match(err('0', { cursor: 0, size: 0 }), /out of range|0 bytes/);
  });
});
