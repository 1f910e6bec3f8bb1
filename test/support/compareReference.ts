/**
 * The reference for compare tests, made by another tool: `cmp -l` (GNU
 * diffutils) lists every differing byte (1-based offset, octal values) up
 * to the end of the shorter file. Consecutive offsets are coalesced here
 * into ranges, the only processing done on its output.
 */
import { spawnSync } from 'node:child_process';
import type { DiffRange } from '../../extension/compare/types';

export interface RefRange { offset: number; length: number }

export interface CmpReference {
  ranges: RefRange[];
  differingBytes: number;
  /** cmp's "EOF on <file>" note when the sizes differ. */
  eofNote?: string;
}

export function cmpAvailable(): boolean {
  return spawnSync('cmp', ['--version']).status === 0;
}

/**
 * `skip` ([bytes of A, bytes of B]) is cmp's --ignore-initial: the two files
 * compared from those offsets on (offsets below are then A's).
 */
export function cmpReference(pathA: string, pathB: string, skip?: [number, number]): CmpReference {
  const args = skip ? ['-l', `--ignore-initial=${skip[0]}:${skip[1]}`, pathA, pathB] : ['-l', pathA, pathB];
  const r = spawnSync('cmp', args, { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`cmp failed: ${r.stderr}`);
  const ranges: RefRange[] = [];
  let count = 0;
  let from = 0;
  for (let to = r.stdout.indexOf('\n'); to >= 0; from = to + 1, to = r.stdout.indexOf('\n', from)) {
    const line = r.stdout.slice(from, to).trim();
    if (!line) continue;
    const offset = Number(line.split(/\s+/)[0]) - 1 + (skip?.[0] ?? 0);
    count++;
    const last = ranges[ranges.length - 1];
    if (last && last.offset + last.length === offset) last.length++;
    else ranges.push({ offset, length: 1 });
  }
  const eof = /EOF on (.*)/.exec(r.stderr);
  return { ranges, differingBytes: count, eofNote: eof?.[0] };
}

/**
 * The reference for two sparse files of the same size, from a short Python
 * script: it walks the data extents of both (SEEK_DATA / SEEK_HOLE; holes
 * read as zeros on both sides), reads those bytes and lists the differing
 * offsets, coalesced like cmp's. Reading many GiB of holes would take
 * minutes on a busy machine; the extents are what can differ.
 */
export function sparseReference(pathA: string, pathB: string): RefRange[] {
  const script = `
import os, sys, json
def extents(path):
    fd = os.open(path, os.O_RDONLY); size = os.fstat(fd).st_size; out = []; pos = 0
    while pos < size:
        try: start = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError: break
        end = os.lseek(fd, start, os.SEEK_HOLE); out.append((start, end)); pos = end
    os.close(fd); return out
a, b = sys.argv[1], sys.argv[2]
spans = []
for start, end in sorted(extents(a) + extents(b)):
    if spans and start <= spans[-1][1]: spans[-1][1] = max(spans[-1][1], end)
    else: spans.append([start, end])
ranges = []
with open(a, 'rb') as fa, open(b, 'rb') as fb:
    for start, end in spans:
        fa.seek(start); fb.seek(start)
        x = fa.read(end - start).ljust(end - start, b'\\0'); y = fb.read(end - start).ljust(end - start, b'\\0')
        for i in range(end - start):
            if x[i] != y[i]:
                o = start + i
                if ranges and ranges[-1][0] + ranges[-1][1] == o: ranges[-1][1] += 1
                else: ranges.append([o, 1])
print(json.dumps(ranges))
`;
  const r = spawnSync('python3', ['-c', script, pathA, pathB], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python3 reference failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as [number, number][]).map(([offset, length]) => ({ offset, length }));
}

/** What an aligned (byte for byte) comparison must report: cmp's ranges, then the longer side's tail. */
export function expectedRanges(pathA: string, pathB: string, sizeA: number, sizeB: number): DiffRange[] {
  const ref = cmpReference(pathA, pathB);
  const out: DiffRange[] = ref.ranges.map((r) => ({ kind: 'changed', offsetA: r.offset, lengthA: r.length, offsetB: r.offset, lengthB: r.length }));
  const common = Math.min(sizeA, sizeB);
  if (sizeA > common) out.push({ kind: 'deleted', offsetA: common, lengthA: sizeA - common, offsetB: common, lengthB: 0 });
  if (sizeB > common) out.push({ kind: 'inserted', offsetA: common, lengthA: 0, offsetB: common, lengthB: sizeB - common });
  return out;
}
