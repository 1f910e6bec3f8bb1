/**
 * The engine rows of the benchmark, as one plain Node script that runs the
 * same way on Linux and under wine's node.exe (bench/sections/wine.ts runs
 * it twice: its Linux result is the floor the wine figures are compared
 * with). Prints one JSON object on stdout.
 *
 *   node out/bench/wineProbe.js <file> <journal dir> <needle prefix> <needle offsets, comma-separated>
 *
 * The file is the bench's shared mixed file: the one-byte saves flip a byte
 * away from the needles and flip it back, so it ends as it started.
 */
import { HexDocumentModel } from '../extension/document/hexDocumentModel';
import { saveInPlace } from '../extension/document/save/saveInPlace';
import { openByteSource } from '../extension/engine/openByteSource';
import { percentile } from './types';

const KiB = 1024;
const GB = 1e9;

async function main(): Promise<void> {
  const [file, journalDir, prefixText, needleList] = process.argv.slice(2);
  const needles = needleList.split(',').map(Number);
  const source = await openByteSource(file, { backend: 'mapped', writable: true });
  if (source.kind !== 'mapped') throw new Error(`the mapped backend did not load (got ${source.kind})`);
  const size = source.size;
  let seed = 4242;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const model = new HexDocumentModel(source);
  try {
    const windows: number[] = [];
    for (let i = 0; i < 3200; i++) {
      const at = Math.floor(random() * (size - 64 * KiB));
      const t0 = performance.now();
      await source.read(at, 64 * KiB);
      if (i >= 200) windows.push((performance.now() - t0) * 1000); // the first 200 warm up
    }

    const prefix = new TextEncoder().encode(prefixText);
    await source.find(prefix, { from: 0, maxMatches: 1_000_000 }); // warm: page tables filled
    let t0 = performance.now();
    const found = await source.find(prefix, { from: 0, maxMatches: 1_000_000 });
    const findMs = performance.now() - t0;
    if (found.matches.join() !== needles.join()) throw new Error(`find returned ${found.matches.join()}, expected ${needles.join()}`);

    t0 = performance.now();
    const stats = await source.utf8Stats();
    const statsMs = performance.now() - t0;
    if (stats.bytes !== size) throw new Error('utf8Stats did not cover the file');

    const saves: number[] = [];
    for (let i = 0; i < 24; i++) {
      const at = 4096 + Math.floor(random() * (size - 8192));
      if (needles.some((n) => Math.abs(n - at) < 4096)) { i--; continue; }
      const old = (await source.read(at, 1))[0];
      for (const value of [old ^ 0xff, old]) {
        model.edit(at, Uint8Array.of(value), 'Edit');
        t0 = performance.now();
        const { runs, at: version } = model.beginSave();
        const result = await saveInPlace(model.source, runs, { journalDir });
        model.completeSave(result.runs, version);
        if (i >= 2) saves.push(performance.now() - t0);
      }
    }
    process.stdout.write(`${JSON.stringify({
      window64k_p50_us: percentile(windows.sort((a, b) => a - b), 50),
      find_gbps: size / GB / (findMs / 1000),
      utf8_stats_gbps: size / GB / (statsMs / 1000),
      save1_ms: percentile(saves.sort((a, b) => a - b), 50),
      size,
    })}\n`);
  } finally {
    model.dispose();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
