// Builds every bundle Hexmap ships or tests:
//   dist/extension.js            host side (Node, CommonJS, `vscode` external)
//   dist/webview/*.js|.css       the editor and inspector webviews (browser IIFE)
//   dist/webview/codicons/       the codicon font, served from localResourceRoots
//   out/test/**                  TypeScript tests, bundled one file each for `node --test`
//   out/bench/**                 benchmark sections (TypeScript)
// Usage: node esbuild.config.mjs [--no-tests] [--watch] [--only <substring of an entry path>]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const args = new Set(argv);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const production = process.env.NODE_ENV === 'production' || args.has('--production');

/** All files under `dir` whose name passes `keep`. */
function filesUnder(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full, keep) : keep(name) ? [full] : [];
  });
}

const common = { bundle: true, sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning', absWorkingDir: root };

const builds = [
  { ...common, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  ...filesUnder(join(root, 'webview'), (n) => n === 'main.ts').map((entry) => ({
    ...common,
    entryPoints: [entry],
    // webview/<name>/main.ts -> dist/webview/<name>.js (+ .css when it imports one)
    outfile: join('dist/webview', `${relative(join(root, 'webview'), dirname(entry))}.js`),
    platform: 'browser', format: 'iife', target: 'chrome114',
  })),
];

if (!args.has('--no-tests')) {
  const tests = filesUnder(join(root, 'test'), (n) => /\.(test|host|suite)\.ts$/.test(n) || n === 'inHostRunner.ts');
  if (tests.length) {
    builds.push({
      ...common, sourcemap: 'inline', minify: false, entryPoints: tests, outdir: 'out/test', outbase: 'test',
      platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'playwright-core'],
    });
  }
}

const benchFiles = filesUnder(join(root, 'bench'), (n) => n.endsWith('.ts'));
if (benchFiles.length) {
  builds.push({
    ...common, sourcemap: 'inline', minify: false, entryPoints: benchFiles, outdir: 'out/bench', outbase: 'bench',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'playwright-core'],
  });
}

/** With --only, keep the builds (and entry points) whose path contains the filter. */
function selected(list) {
  if (!only) return list;
  return list.flatMap((b) => {
    const entries = b.entryPoints.filter((e) => relative(root, join(root, e)).includes(only) || e.includes(only));
    return entries.length ? [{ ...b, entryPoints: entries }] : [];
  });
}

function copyCodicons() {
  const from = join(root, 'node_modules/@vscode/codicons/dist');
  const to = join(root, 'dist/webview/codicons');
  if (!existsSync(from)) return;
  mkdirSync(to, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(join(from, f), join(to, f));
}

if (args.has('--watch')) {
  for (const b of selected(builds)) await (await esbuild.context(b)).watch();
  copyCodicons();
  console.log('esbuild: watching');
} else {
  const results = await Promise.allSettled(selected(builds).map((b) => esbuild.build(b)));
  const failed = results.filter((r) => r.status === 'rejected');
  copyCodicons();
  if (failed.length) {
    console.error(`esbuild: ${failed.length} build(s) failed`);
    process.exit(1);
  }
}
