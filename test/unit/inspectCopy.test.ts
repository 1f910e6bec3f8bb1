/** Copy As formats: each one read back gives the same bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64, formatBytes } from '../../shared/inspectCopy';
import { randInt, rng, utf8Soup } from '../support/randomUtf8';

const hello = new TextEncoder().encode('Hello');

test('each format on a small example', () => {
  assert.equal(formatBytes(hello, 'hex'), '48 65 6C 6C 6F');
  assert.equal(formatBytes(hello, 'base64'), 'SGVsbG8=');
  assert.equal(formatBytes(hello, 'utf8'), 'Hello');
  assert.equal(formatBytes(hello, 'json'), '[\n  72, 101, 108, 108, 111\n]');
  assert.equal(formatBytes(hello, 'c'), 'const unsigned char data[5] = {\n  0x48, 0x65, 0x6c, 0x6c, 0x6f,\n};\n');
  assert.equal(formatBytes(Uint8Array.of(0xf0, 0x9f, 0x90, 0x8d, 0xff), 'utf8'), '🐍\uFFFD');
  assert.equal(formatBytes(new Uint8Array(0), 'json'), '[]');
});

test('round trips on random bytes of every length mod 3 (base64 padding) and across piece sizes', () => {
  const r = rng(77);
  for (const n of [0, 1, 2, 3, 4, 5, 17, 65535, 65536, 65537, 200_003]) {
    const bytes = n > 1000 ? Uint8Array.from({ length: n }, () => randInt(r, 256)) : utf8Soup(r, n);
    assert.deepEqual(new Uint8Array(Buffer.from(base64(bytes), 'base64')), bytes, `base64 ${n}`);
    assert.equal(base64(bytes), Buffer.from(bytes).toString('base64'));
    const hex = formatBytes(bytes, 'hex');
    assert.deepEqual(new Uint8Array(Buffer.from(hex.replace(/ /g, ''), 'hex')), bytes, `hex ${n}`);
    assert.deepEqual(Uint8Array.from(JSON.parse(formatBytes(bytes, 'json'))), bytes, `json ${n}`);
    const c = formatBytes(bytes, 'c');
    const values = [...c.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1], 16));
    assert.deepEqual(Uint8Array.from(values), bytes, `c ${n}`);
    assert.match(c, new RegExp(`data\\[${n}\\]`));
  }
});
