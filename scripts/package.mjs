#!/usr/bin/env node
// `npm run package`: builds Hexmap for production and packs a VSIX that holds only what runs:
//   extension/dist/extension.js, extension/dist/webview/** (bundles, css, codicons), the native addon as a
//   node-gyp-build prebuild (extension/prebuilds/<platform>-<arch>/node.napi[.glibc].node), media/**,
//   package.json, README.md, LICENSE (+ the VSIX's own manifest files).
// Then it lists the VSIX's entries and fails on anything else (sources, tests, maps, caches, node_modules).
//
// Why --no-dependencies: esbuild bundles node-gyp-build (the only runtime dependency) into extension.js, so
// the VSIX needs no node_modules at all. The prebuild is named with node-gyp-build's tags (see
// node_modules/node-gyp-build/node-gyp-build.js: folder "<platform>-<arch>", file tags split on '.': a
// runtime ("node"), "napi" (so one binary serves Node and Electron's extension host: Node-API only),
// and the libc on Linux ("glibc"/"musl")), so the bundled loader finds it when build/ is absent.
//
//   node scripts/package.mjs [--out <file.vsix>] [--skip-build]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipEntries } from './zipEntries.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : join(root, `${pkg.name}-${pkg.version}.vsix`);

function run(cmd, args, env = process.env) {
  console.error(`package: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** node-gyp-build's file name for a Node-API prebuild on this machine. */
export function prebuildName() {
  const tags = ['node', 'napi'];
  if (platform() === 'linux') tags.push(existsSync('/etc/alpine-release') ? 'musl' : 'glibc');
  return `${tags.join('.')}.node`;
}

/** Every entry a VSIX of Hexmap may contain; anything else fails the packaging. */
export function allowedEntry(name) {
  return [
    /^extension\.vsixmanifest$/,
    /^\[Content_Types\]\.xml$/,
    /^extension\/package\.json$/,
    /^extension\/(readme|README)\.md$/,
    /^extension\/(LICENSE|LICENSE\.txt|LICENSE\.md)$/i,
    /^extension\/(changelog|CHANGELOG)\.md$/,
    /^extension\/dist\/extension\.js$/,
    /^extension\/dist\/webview\/[\w-]+\.(js|css)$/,
    /^extension\/dist\/webview\/codicons\/codicon\.(css|ttf)$/,
    /^extension\/prebuilds\/[a-z0-9]+-[a-z0-9+]+\/[\w.]+\.node$/,
    /^extension\/media\/[\w./-]+\.(svg|png|css)$/,
  ].some((re) => re.test(name));
}

function findAddon() {
  const release = join(root, 'build', 'Release');
  const preferred = join(release, 'hexmap.node');
  if (existsSync(preferred)) return preferred;
  const any = existsSync(release) ? readdirSync(release).filter((f) => f.endsWith('.node')) : [];
  if (any.length === 1) return join(release, any[0]);
  throw new Error(`no native addon in ${release}: run \`npm run build:native\` (node-gyp rebuild) first`);
}

function main() {
  if (!argv.includes('--skip-build')) {
    run(process.execPath, ['esbuild.config.mjs', '--production', '--no-tests'], { ...process.env, NODE_ENV: 'production' });
  }
  for (const f of ['dist/extension.js', 'package.json', 'README.md', 'LICENSE']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing`);
  }

  // Stage exactly what ships in a temp folder, so nothing else in the repo (dev source maps left in dist/
  // by earlier builds, tests, caches) can slip into the VSIX, and the repo's own tree is not touched.
  const stage = mkdtempSync(join(tmpdir(), 'hexmap-vsix-'));
  try {
    for (const f of ['package.json', 'README.md', 'LICENSE', '.vscodeignore']) copyFileSync(join(root, f), join(stage, f));
    mkdirSync(join(stage, 'dist'), { recursive: true });
    copyFileSync(join(root, 'dist', 'extension.js'), join(stage, 'dist', 'extension.js'));
    cpSync(join(root, 'dist', 'webview'), join(stage, 'dist', 'webview'), { recursive: true, filter: (src) => !src.endsWith('.map') });
    if (existsSync(join(root, 'media'))) cpSync(join(root, 'media'), join(stage, 'media'), { recursive: true });

    // The addon as a prebuild in node-gyp-build's layout.
    const addon = findAddon();
    const prebuild = join(stage, 'prebuilds', `${platform()}-${arch()}`, prebuildName());
    mkdirSync(dirname(prebuild), { recursive: true });
    copyFileSync(addon, prebuild);
    // Prove node-gyp-build picks the prebuild when only prebuilds are allowed (as in the installed VSIX).
    const probe = spawnSync(process.execPath, ['-e', `console.log(require('node-gyp-build').path(${JSON.stringify(stage)}))`], {
      cwd: root, encoding: 'utf8', env: { ...process.env, PREBUILDS_ONLY: '1' },
    });
    if (probe.status !== 0 || probe.stdout.trim() !== prebuild) {
      throw new Error(`node-gyp-build does not resolve the prebuild ${prebuild}: ${probe.stdout}${probe.stderr}`);
    }
    console.error(`package: prebuild prebuilds/${platform()}-${arch()}/${prebuildName()} (${statSync(prebuild).size} bytes) from ${relative(root, addon)}`);

    rmSync(out, { force: true });
    const vsce = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', out], {
      cwd: stage, stdio: 'inherit',
    });
    if (vsce.status !== 0) throw new Error(`vsce package failed (exit ${vsce.status ?? vsce.signal})`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }

  const entries = zipEntries(out);
  const bad = entries.filter((e) => !allowedEntry(e.name)).map((e) => e.name);
  const names = entries.map((e) => e.name);
  for (const e of entries) console.error(`  ${String(e.size).padStart(9)}  ${e.name}`);
  const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/webview/editor.js',
    `extension/prebuilds/${platform()}-${arch()}/${prebuildName()}`];
  const missing = required.filter((r) => !names.includes(r));
  if (bad.length || missing.length) {
    throw new Error(`${out}: ${bad.length ? `unexpected entries: ${bad.join(', ')}` : ''}${missing.length ? ` missing: ${missing.join(', ')}` : ''}`);
  }
  const bytes = statSync(out).size;
  console.error(`package: ${relative(process.cwd(), out)} (${(bytes / 1024).toFixed(0)} KiB, ${entries.length} entries) ok`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(`package: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
