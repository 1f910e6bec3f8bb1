/**
 * The Copy As formats that mimic a tool or a language, checked by that tool
 * or language where it is installed: `hexdump -C` text against the real
 * hexdump on the same bytes of a file (offsets from the selection's start,
 * squeezed repeats, past 4 GiB), the Python literal evaluated by python3,
 * the Rust array compiled by rustc and the Java array by javac, each program
 * printing the bytes back. Go has no compiler here: its slice is read back
 * by pattern.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { formatBytes, hexdumpC } from '../../shared/inspectCopy';
import { createSparseFile } from '../support/sparseFile';
import { seededRandom } from '../support/seededRandom';
import { TempDir } from '../support/tempFiles';

const dir = new TempDir('hexmap-copy-');
after(() => dir.remove());

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const random = (next: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
/** Every byte value, then runs that repeat (for hexdump's squeezing) and text. */
function sample(next: () => number): Uint8Array {
  const parts = [Uint8Array.from({ length: 256 }, (_, i) => i), new Uint8Array(50), random(next, 37), new Uint8Array(16).fill(0x41),
    new Uint8Array(16).fill(0x41), new Uint8Array(16).fill(0x41), new TextEncoder().encode("it's a \\ \"test\"\r\n\t"), random(next, 5)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

test('hexdump -C: the same text as the real hexdump -C -s <offset> -n <length>', { skip: !has('hexdump') && 'hexdump is not installed' }, () => {
  const next = seededRandom(16);
  const data = sample(next);
  const path = dir.write('dump.bin', data);
  const cases: [number, number][] = [[0, data.length], [0, 0], [0, 1], [3, 16], [5, 33], [17, 200], [300, 96], [data.length - 7, 7], [1, data.length - 1]];
  for (let i = 0; i < 30; i++) {
    const offset = Math.floor(next() * data.length);
    cases.push([offset, Math.floor(next() * (data.length - offset + 1))]);
  }
  for (const [offset, length] of cases) {
    const real = execFileSync('hexdump', ['-C', '-s', String(offset), '-n', String(length), path], { encoding: 'latin1' });
    assert.equal(formatBytes(data.subarray(offset, offset + length), 'hexdump', offset), length ? real : '', `-s ${offset} -n ${length}`);
  }
});

test('hexdump -C past 4 GiB: offsets grow past 8 digits as hexdump prints them', { skip: !has('hexdump') && 'hexdump is not installed' }, () => {
  const at = 2 ** 32 + 2 ** 20 - 9;
  const bytes = random(seededRandom(4), 70);
  const path = createSparseFile(dir.file('big.bin'), at + 200, [{ offset: at, bytes }]);
  try {
    const real = execFileSync('hexdump', ['-C', '-s', String(at - 20), '-n', '120', path], { encoding: 'latin1' });
    const mine = new Uint8Array(120);
    mine.set(bytes, 20);
    assert.equal(hexdumpC(mine, at - 20), real);
  } finally {
    rmSync(path);
  }
});

test('Python bytes: python3 evaluates the literal to the same bytes', { skip: !has('python3') && 'python3 is not installed' }, () => {
  const next = seededRandom(3);
  for (const bytes of [new Uint8Array(0), Uint8Array.of(0x27), sample(next), random(next, 32), random(next, 33), new TextEncoder().encode("'\"\\")]) {
    const text = formatBytes(bytes, 'python');
    const file = dir.write('data.py', text);
    const out = execFileSync('python3', ['-c', `import sys\nexec(open(${JSON.stringify(file)}).read())\nsys.stdout.buffer.write(data)`]);
    assert.deepEqual(new Uint8Array(out), bytes, text.slice(0, 200));
  }
  assert.equal(formatBytes(new TextEncoder().encode("a'\\\n\x00é"), 'python'), "data = b'a\\'\\\\\\n\\x00\\xc3\\xa9'\n");
});

test('Rust array: rustc compiles it and the program prints the same bytes', { skip: !has('rustc') && 'rustc is not installed', timeout: 120_000 }, () => {
  const bytes = sample(seededRandom(5));
  const source = `${formatBytes(bytes, 'rust')}\n${formatBytes(new Uint8Array(0), 'rust').replace('DATA', 'EMPTY')}
fn main() { assert!(EMPTY.len() == 0); for b in DATA.iter() { print!("{:02x}", b); } }\n`;
  const file = dir.write('data.rs', source);
  execFileSync('rustc', ['--edition', '2021', '-o', dir.file('data-rs'), file], { stdio: 'pipe' });
  assert.equal(execFileSync(dir.file('data-rs'), { encoding: 'utf8' }), Buffer.from(bytes).toString('hex'));
});

test('Java array: javac compiles it and the program prints the same bytes', { skip: !has('javac') && 'javac is not installed', timeout: 120_000 }, () => {
  const bytes = sample(seededRandom(6));
  const indent = (s: string) => s.replace(/^/gm, '  ');
  const source = `public class Data {\n${indent(`static ${formatBytes(bytes, 'java')}`)}${indent(`static ${formatBytes(new Uint8Array(0), 'java').replace('data', 'empty')}`)}
  public static void main(String[] args) {
    if (empty.length != 0) throw new AssertionError();
    StringBuilder s = new StringBuilder();
    for (byte b : data) s.append(String.format("%02x", b & 0xff));
    System.out.print(s);
  }
}\n`;
  writeFileSync(dir.file('Data.java'), source);
  execFileSync('javac', ['-d', dir.path, dir.file('Data.java')], { stdio: 'pipe' });
  assert.equal(execFileSync('java', ['-cp', dir.path, 'Data'], { encoding: 'utf8' }), Buffer.from(bytes).toString('hex'));
  assert.ok(readFileSync(dir.file('Data.java'), 'utf8').includes('(byte) 0xff'));
});

test('Go slice: gofmt layout (tabs, trailing commas), values read back', () => {
  const bytes = sample(seededRandom(7));
  const text = formatBytes(bytes, 'go');
  assert.match(text, /^var data = \[\]byte\{\n(\t(0x[0-9a-f]{2}, )*0x[0-9a-f]{2},\n)+\}\n$/);
  assert.deepEqual(Uint8Array.from([...text.matchAll(/0x([0-9a-f]{2})/g)], (m) => parseInt(m[1], 16)), bytes);
  assert.equal(formatBytes(new Uint8Array(0), 'go'), 'var data = []byte{}\n');
  assert.equal(formatBytes(Uint8Array.of(1, 0xff), 'go'), 'var data = []byte{\n\t0x01, 0xff,\n}\n');
});
