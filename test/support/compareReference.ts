/**
 * The reference for compare tests, made by another tool: `cmp -l` (GNU
 * diffutils) lists every differing byte (1-based offset, octal values) up
 * to the end of the shorter file. Consecutive offsets are coalesced here
 * into ranges, the only processing done on its output.
 */
import { spawnSync } from 'node:child_process';

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

export function cmpReference(pathA: string, pathB: string): CmpReference {
  const r = spawnSync('cmp', ['-l', pathA, pathB], { maxBuffer: 1 << 30, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`cmp failed: ${r.stderr}`);
  const ranges: RefRange[] = [];
  let count = 0;
  let from = 0;
  for (let to = r.stdout.indexOf('\n'); to >= 0; from = to + 1, to = r.stdout.indexOf('\n', from)) {
    const line = r.stdout.slice(from, to).trim();
    if (!line) continue;
    const offset = Number(line.split(/\s+/)[0]) - 1;
    count++;
    const last = ranges[ranges.length - 1];
    if (last && last.offset + last.length === offset) last.length++;
    else ranges.push({ offset, length: 1 });
  }
  const eof = /EOF on (.*)/.exec(r.stderr);
  return { ranges, differingBytes: count, eofNote: eof?.[0] };
}
