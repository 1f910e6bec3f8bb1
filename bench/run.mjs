// `npm run bench -- [--size 8G] [--only <section>] [--clean]`
// Builds the bundles, makes (once, cached in os.tmpdir()/hexmap-bench/) the
// mixed-content file, runs every bench/sections/*.ts (built to
// out/bench/sections/*.js), prints ONE table and merges the numbers into
// bench/results.json. `--clean` deletes the cached files and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/** "8G", "512M", "100K", "12345" -> bytes. */
function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(String(text).trim());
  if (!m) throw new Error(`--size: cannot read "${text}" (examples: 8G, 512M)`);
  const scale = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * scale);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

// 1. Build. Everything (like `npm run build`, minus tests); if someone's unfinished file breaks the
// full build, the bench sections alone are enough to measure.
if (!run(process.execPath, ['esbuild.config.mjs', '--no-tests'])) {
  log('full build failed; building bench/ only');
  if (!run(process.execPath, ['esbuild.config.mjs', '--no-tests', '--only', 'bench/'])) process.exit(1);
}
// prebuilds/ may hold only another platform's addon (npm run build:win32), so look for this platform's.
if (!existsSync(join(root, 'build/Release/hexmap.node')) && !existsSync(join(root, 'prebuilds', `${process.platform}-${process.arch}`))) {
  run('npx', ['node-gyp-build']);
}

const { ensureMixedFile, cleanMixedFiles, defaultMixedDir } = require(join(root, 'out/bench/mixedFile.js'));
if (flag('--clean')) {
  cleanMixedFiles();
  log(`deleted ${defaultMixedDir()}`);
  process.exit(0);
}

// 2. The mixed file.
const size = parseSize(option('--size', '8G'));
const mixed = await ensureMixedFile({ size, log });
log(`${mixed.generated ? 'generated' : 'cached'}: ${mixed.path}`);

let addon;
try { addon = require('node-gyp-build')(root); } catch (e) { log(`native addon unavailable: ${e.message}`); }

const scratch = mkdtempSync(join(tmpdir(), 'hexmap-bench-scratch-'));
const ctx = {
  root,
  file: mixed.path,
  size: mixed.size,
  needles: mixed.needles,
  scratch,
  argv,
  log,
  async time(fn, iterations, warmup = 1) {
    for (let i = 0; i < warmup; i++) await fn();
    const out = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
    return out.sort((a, b) => a - b);
  },
  evictCache(path) {
    try { return Boolean(addon?.evictCache(path)); } catch { return false; }
  },
};

// 3. The sections.
const sectionsDir = join(root, 'out/bench/sections');
const only = option('--only', undefined);
const sections = existsSync(sectionsDir)
  ? readdirSync(sectionsDir).filter((n) => n.endsWith('.js') && (!only || n.startsWith(only))).sort()
  : [];
// Between sections: delete what the section made and wait for the disk to take what it wrote.
// Otherwise the next section runs beside the kernel writing back gigabytes (the compare section's
// copy, the save section's files) and pays for it on a 2-core machine, in one row or another.
function settle() {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  if (process.platform !== 'win32') spawnSync('sync', { stdio: 'ignore' });
}

const rows = [];
let failed = false;
try {
  for (const name of sections) {
    log(`section ${name}`);
    try {
      const mod = require(join(sectionsDir, name));
      const section = mod.default ?? mod;
      rows.push(...(await section(ctx)));
    } catch (e) {
      failed = true;
      log(`section ${name} failed: ${e?.stack ?? e}`);
    }
    settle();
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 4. One table.
const fmt = (v) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const table = [['metric', 'key', 'value', 'unit', 'comparison', 'note'],
  ...rows.map((r) => [r.metric, r.key, fmt(r.value), r.unit, r.comparison ?? '', r.note ?? ''])];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => row.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd();
console.log(`\nHexmap benchmark: ${(mixed.size / 2 ** 30).toFixed(2)} GiB mixed file, ${new Date().toISOString()}`);
console.log(line(table[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table.slice(1)) console.log(line(row));

// 5. Merge into bench/results.json (flat key -> number; other sections' keys are kept).
const resultsPath = join(root, 'bench/results.json');
let results = {};
try { results = JSON.parse(readFileSync(resultsPath, 'utf8')); } catch { /* first run */ }
for (const r of rows) if (Number.isFinite(r.value)) results[r.key] = Number.isInteger(r.value) ? r.value : Number(r.value.toPrecision(6)); // 6 digits: more is noise
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
log(`wrote ${resultsPath}`);
process.exit(failed ? 1 : 0);
