/**
 * The mixed-content test file of the benchmark, the demo (scripts/start.mjs)
 * and the UI tests: ASCII text with LF and CRLF lines, 2/3/4-byte UTF-8,
 * random binary, some invalid sequences, and a few planted needles at known
 * offsets. Deterministic (seeded PRNG), so every run sees the same bytes.
 *
 * Fast to make at any size: one 32 MiB pool of mixed content is generated,
 * and the file is written from it in big chunks, each chunk a different
 * rotation of the pool; then the needles are written in. Cached by size in
 * os.tmpdir()/hexmap-bench/ (a JSON sidecar marks a complete file).
 *
 *   ensureMixedFile({ size, dir?, seed?, log? }): Promise<MixedFile>
 *   mixedFileNeedle(i): string
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../test/support/seededRandom';

export interface PlantedNeedle { text: string; offsets: number[] }

export interface MixedFile {
  path: string;
  size: number;
  /** Planted needles (ASCII), each at one or more known offsets. Not found anywhere else. */
  needles: PlantedNeedle[];
  /** True when this call generated the file (false: reused from the cache). */
  generated: boolean;
}

export interface MixedFileOptions {
  /** Bytes. */
  size: number;
  /** Cache folder (default os.tmpdir()/hexmap-bench). */
  dir?: string;
  seed?: number;
  log?: (message: string) => void;
}

/** Bump when the content recipe changes, so stale caches are not reused. */
const RECIPE = 1;
const POOL = 32 << 20;
const CHUNK = 32 << 20;

export const defaultMixedDir = (): string => join(tmpdir(), 'hexmap-bench');

export function mixedFileNeedle(i: number): string {
  return `HEXMAP-NEEDLE-${String(i).padStart(4, '0')}`;
}

const prng = seededRandom;

const WORDS = ('the of and to in is was for on that with as by at from this it an be are or which have one had not but '
  + 'what all were when we there can more if no out so said up its about into than them time only could new some these '
  + 'memory mapped file hex editor byte window scroll search offset page cache buffer view text utf code point').split(' ');
const TWO = [...'éèàüößñçøåæłżčřşğабвгдежзийклмнопрстуфхцчшщыэюяαβγδεζηθλμνξπρστφχψω'];
const THREE = [...'日本語の文字列を表示する中文字符串한국어텍스트€→∀∂∑≈≠≤≥'];
const FOUR = ['😀', '🐍', '🚀', '🎉', '𝄞', '𠜎', '𝔘', '🧪'];
const INVALID = [[0x80], [0xbf], [0xc0, 0xaf], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x9f, 0x90], [0xf5], [0xff], [0xfe]];

/** One pool of mixed content: mostly text (as real files are), with every UTF-8 class, binary and invalid bytes. */
function makePool(seed: number): Uint8Array {
  const rnd = prng(seed);
  const pool = new Uint8Array(POOL);
  const enc = new TextEncoder();
  let i = 0;
  const put = (bytes: ArrayLike<number>): void => { for (let k = 0; k < bytes.length && i < POOL; k++) pool[i++] = bytes[k]; };
  const encoded = (list: string[]): Uint8Array[] => list.map((s) => enc.encode(s));
  const two = encoded(TWO); const three = encoded(THREE); const four = encoded(FOUR); const words = encoded(WORDS);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];
  while (i < POOL) {
    const r = rnd();
    const segment = 256 + Math.floor(rnd() * 4096);
    const end = Math.min(POOL, i + segment);
    if (r < 0.62) { // ASCII prose, LF lines with some CRLF
      while (i < end) {
        put(pick(words));
        const x = rnd();
        put(x < 0.08 ? (rnd() < 0.2 ? [0x0d, 0x0a] : [0x0a]) : x < 0.12 ? [0x2e, 0x20] : [0x20]);
      }
    } else if (r < 0.74) { // Latin/Cyrillic/Greek: 2-byte characters between spaces
      while (i < end) put(rnd() < 0.15 ? [0x20] : pick(two));
    } else if (r < 0.84) { // CJK and symbols: 3-byte
      while (i < end) put(rnd() < 0.05 ? [0x0a] : pick(three));
    } else if (r < 0.88) { // emoji and astral: 4-byte
      while (i < end) put(rnd() < 0.3 ? [0x20] : pick(four));
    } else if (r < 0.99) { // random binary
      while (i < end) pool[i++] = Math.floor(rnd() * 256);
    } else { // text salted with invalid sequences
      while (i < end) put(rnd() < 0.2 ? pick(INVALID) : pick(words));
    }
  }
  return pool;
}

function needleOffsets(size: number, count: number): PlantedNeedle[] {
  const out: PlantedNeedle[] = [];
  for (let k = 0; k < count; k++) {
    const text = mixedFileNeedle(k + 1);
    // Spread over the file; the last one near the very end (where a forward search finishes).
    const at = k === count - 1 ? size - text.length - 7 : Math.floor((size * (k + 1)) / (count + 1)) + 1234;
    if (at >= 0 && at + text.length <= size) out.push({ text, offsets: [at] });
  }
  return out;
}

/** Returns the cached mixed file of `size` bytes, generating it first when missing. */
export async function ensureMixedFile(options: MixedFileOptions): Promise<MixedFile> {
  const { size, seed = 20240601, log = () => undefined } = options;
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  const dir = options.dir ?? defaultMixedDir();
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `mixed-${size}-s${seed}-r${RECIPE}.bin`);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const needles = JSON.parse(readFileSync(meta, 'utf8')).needles as PlantedNeedle[];
    return { path, size, needles, generated: false };
  }
  const started = Date.now();
  log(`generating ${path} (${(size / 2 ** 30).toFixed(2)} GiB)...`);
  const pool = makePool(seed);
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    for (let pos = 0, n = 0; pos < size; n++) {
      // Each chunk is the pool rotated by a different amount, so the file is not one block repeated.
      const rotation = (n * 7_340_033) % POOL;
      const len = Math.min(CHUNK, size - pos);
      const head = pool.subarray(rotation, Math.min(POOL, rotation + len));
      writeSync(fd, head, 0, head.length, pos);
      if (head.length < len) writeSync(fd, pool, 0, len - head.length, pos + head.length);
      pos += len;
      if (n % 32 === 31) log(`  ${(pos / 2 ** 30).toFixed(1)} GiB`);
    }
    const needles = needleOffsets(size, 8);
    for (const { text, offsets } of needles) {
      const bytes = new TextEncoder().encode(text);
      for (const at of offsets) writeSync(fd, bytes, 0, bytes.length, at);
    }
    closeSync(fd);
    renameSync(partial, path);
    writeFileSync(meta, JSON.stringify({ size, seed, recipe: RECIPE, needles }, null, 1));
    log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { path, size, needles, generated: true };
  } catch (e) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(partial, { force: true });
    throw e;
  }
}

/** Deletes every cached mixed file (`npm run bench -- --clean`). */
export function cleanMixedFiles(dir = defaultMixedDir()): void {
  rmSync(dir, { recursive: true, force: true });
}
