// The demo file `npm start` opens: a few GB of mixed content (ASCII text, 2/3/4-byte UTF-8, invalid
// sequences, control bytes, binary), generated once and cached in the OS temp folder (same size = reuse).
// Uses ENGINE's generator (bench/mixedFile.ts, built to out/bench/mixedFile.js; it caches by size); otherwise
// writes repeated 1 MiB mixed chunks, each starting with a line naming its offset.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const CHUNK = 1 << 20;

function mixedChunk(seed) {
  const enc = new TextEncoder();
  const parts = [
    enc.encode('Plain ASCII: The quick brown fox jumps over the lazy dog. 0123456789\n'),
    enc.encode('2-byte: caf\u00e9 na\u00efve \u00fcber \u00f1and\u00fa \u0394\u03b5\u03bb\u03c4\u03b1 \u0416\u0443\u043a\n'),
    enc.encode('3-byte: \u20ac \u4e2d\u6587 \u65e5\u672c\u8a9e \u2603 \u2764 \u0905\u0928\u0941\n'),
    enc.encode('4-byte: \u{1F40D} \u{1F600} \u{1F680} \u{10348} \u{1D11E}\n'),
    Uint8Array.of(0x49, 0x6e, 0x76, 0x61, 0x6c, 0x69, 0x64, 0x3a, 0x20, 0xff, 0xfe, 0xc0, 0x80, 0x80, 0xe2, 0x82, 0x20, 0xf0, 0x9f, 0x0a),
    Uint8Array.of(0x00, 0x01, 0x07, 0x09, 0x1b, 0x7f, 0x0d, 0x0a),
  ];
  const out = new Uint8Array(CHUNK);
  let x = seed >>> 0 || 1;
  let at = 0;
  while (at < CHUNK) {
    for (const p of parts) {
      const n = Math.min(p.length, CHUNK - at);
      out.set(p.subarray(0, n), at);
      at += n;
    }
    // A little binary noise between paragraphs.
    for (let i = 0; i < 48 && at < CHUNK; i++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      out[at++] = x & 0xff;
    }
  }
  return out;
}

/** Returns the path of a cached demo file of `size` bytes, generating it when missing. */
export async function demoFile(root, size) {
  const dir = join(tmpdir(), 'hexmap-demo');
  mkdirSync(dir, { recursive: true });

  // ENGINE's generator (the same mixed content the benchmarks use), when it is built.
  const engine = join(root, 'out', 'bench', 'mixedFile.js');
  if (existsSync(engine)) {
    const { ensureMixedFile } = createRequire(import.meta.url)(engine);
    const made = await ensureMixedFile({ size, dir, log: (m) => process.stderr.write(`demo: ${m}\n`) });
    return made.path;
  }
  // Fallback (bench not built): repeated mixed chunks.
  const path = join(dir, `hexmap-demo-${size}.bin`);
  if (existsSync(path) && statSync(path).size === size) return path;
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  const started = Date.now();
  try {
    for (let offset = 0; offset < size; offset += CHUNK) {
      const chunk = mixedChunk(offset / CHUNK + 1);
      const header = new TextEncoder().encode(`\n=== Hexmap demo: this chunk starts at offset 0x${offset.toString(16)} ===\n`);
      chunk.set(header, 0);
      writeSync(fd, chunk, 0, Math.min(CHUNK, size - offset), offset);
      if (offset % (256 * CHUNK) === 0) process.stderr.write(`\rdemo: ${(offset / 2 ** 30).toFixed(2)} GiB written`);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  process.stderr.write(`\rdemo: ${path} (${(size / 2 ** 30).toFixed(2)} GiB) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return path;
}
