#!/usr/bin/env node
// `npm run package`: builds Hexmap for production and packs one VSIX per platform (vsce --target), each
// holding only what runs there:
//   extension/dist/extension.js, extension/dist/webview/** (bundles, css, codicons), the native addon as a
//   node-gyp-build prebuild (extension/prebuilds/<platform>-<arch>/node.napi[.glibc].node), media/**,
//   package.json, README.md, LICENSE (+ the VSIX's own manifest files).
// Then it lists the VSIX's entries and fails on anything else (sources, tests, maps, caches, node_modules,
// another platform's addon).
//
// Targets: linux-x64 takes the addon node-gyp built here (build/Release); win32-x64 is cross-built by
// scripts/buildWin32.mjs (mingw-w64 + clang). VS Code installs the VSIX whose target matches the machine,
// so each one carries exactly one prebuild.
//
// Why --no-dependencies: esbuild bundles node-gyp-build (the only runtime dependency) into extension.js, so
// the VSIX needs no node_modules at all. The prebuild is named with node-gyp-build's tags (see
// node_modules/node-gyp-build/node-gyp-build.js: folder "<platform>-<arch>", file tags split on '.': a
// runtime ("node"), "napi" (so one binary serves Node and Electron's extension host: Node-API only),
// and the libc on Linux ("glibc"/"musl")), so the bundled loader finds it when build/ is absent.
//
//   node scripts/package.mjs [--target linux-x64,win32-x64] [--out-dir <dir>] [--skip-build]
//       writes <dir>/hexmap-<version>-<target>.vsix for each target (default: both, into the repo root)
//   node scripts/package.mjs --out <file.vsix> [--target <one>]
//       one VSIX at that path (default target: this machine's, linux-x64 here)
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipEntries } from './zipEntries.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
export const TARGETS = ['linux-x64', 'win32-x64'];

function run(cmd, args, env = process.env) {
  console.error(`package: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** node-gyp-build's file name for a Node-API prebuild for `target` ("<platform>-<arch>"). */
export function prebuildName(target = `${platform()}-${arch()}`) {
  const tags = ['node', 'napi'];
  if (target.startsWith('linux-')) tags.push(existsSync('/etc/alpine-release') ? 'musl' : 'glibc');
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

/** Puts the addon for `target` into `stage`/prebuilds/<target>/ and returns its path. */
async function stagePrebuild(target, stage) {
  const dir = join(stage, 'prebuilds', target);
  const prebuild = join(dir, prebuildName(target));
  mkdirSync(dir, { recursive: true });
  if (target === 'win32-x64') {
    const { buildWin32 } = await import('./buildWin32.mjs');
    const built = buildWin32({ outDir: dir, quiet: true });
    if (built !== prebuild) throw new Error(`buildWin32 wrote ${built}, expected ${prebuild}`);
  } else if (target === `${platform()}-${arch()}`) {
    copyFileSync(findAddon(), prebuild);
  } else {
    throw new Error(`cannot build the addon for ${target} on ${platform()}-${arch()}`);
  }
  // Prove node-gyp-build picks the prebuild for that platform when only prebuilds are allowed (as in the
  // installed VSIX). npm_config_platform/arch are node-gyp-build's own overrides of the running platform.
  const [plat, cpu] = target.split('-');
  const probe = spawnSync(process.execPath, ['-e', `console.log(require('node-gyp-build').path(${JSON.stringify(stage)}))`], {
    cwd: root, encoding: 'utf8', env: { ...process.env, PREBUILDS_ONLY: '1', npm_config_platform: plat, npm_config_arch: cpu },
  });
  if (probe.status !== 0 || probe.stdout.trim() !== prebuild) {
    throw new Error(`node-gyp-build does not resolve the prebuild ${prebuild}: ${probe.stdout}${probe.stderr}`);
  }
  console.error(`package: prebuild prebuilds/${target}/${prebuildName(target)} (${statSync(prebuild).size} bytes)`);
  return prebuild;
}

/** Packs the VSIX for one target at `out` from the built bundles, and checks its entries. */
async function packageTarget(target, out) {
  // Stage exactly what ships in a temp folder, so nothing else in the repo (dev source maps left in dist/
  // by earlier builds, tests, caches, the other platform's addon) can slip into the VSIX.
  const stage = mkdtempSync(join(tmpdir(), 'hexmap-vsix-'));
  try {
    for (const f of ['package.json', 'README.md', 'LICENSE', '.vscodeignore']) copyFileSync(join(root, f), join(stage, f));
    mkdirSync(join(stage, 'dist'), { recursive: true });
    copyFileSync(join(root, 'dist', 'extension.js'), join(stage, 'dist', 'extension.js'));
    cpSync(join(root, 'dist', 'webview'), join(stage, 'dist', 'webview'), { recursive: true, filter: (src) => !src.endsWith('.map') });
    if (existsSync(join(root, 'media'))) cpSync(join(root, 'media'), join(stage, 'media'), { recursive: true });
    await stagePrebuild(target, stage);

    rmSync(out, { force: true });
    const vsce = spawnSync(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--target', target, '--out', out], {
      cwd: stage, stdio: 'inherit',
    });
    if (vsce.status !== 0) throw new Error(`vsce package --target ${target} failed (exit ${vsce.status ?? vsce.signal})`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }

  const entries = zipEntries(out);
  const names = entries.map((e) => e.name);
  const ownPrebuild = `extension/prebuilds/${target}/${prebuildName(target)}`;
  const bad = names.filter((n) => !allowedEntry(n) || (/^extension\/prebuilds\//.test(n) && n !== ownPrebuild));
  for (const e of entries) console.error(`  ${String(e.size).padStart(9)}  ${e.name}`);
  const required = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/webview/editor.js', ownPrebuild];
  const missing = required.filter((r) => !names.includes(r));
  if (bad.length || missing.length) {
    throw new Error(`${out}: ${bad.length ? `unexpected entries: ${bad.join(', ')}` : ''}${missing.length ? ` missing: ${missing.join(', ')}` : ''}`);
  }
  console.error(`package: ${relative(process.cwd(), out)} (${target}, ${(statSync(out).size / 1024).toFixed(0)} KiB, ${entries.length} entries) ok`);
  return out;
}

async function main() {
  const out = option('--out');
  const targets = option('--target')?.split(',') ?? (out ? [`${platform()}-${arch()}`] : TARGETS);
  const unknown = targets.filter((t) => !TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')} (known: ${TARGETS.join(', ')})`);
  if (out && targets.length !== 1) throw new Error('--out names one VSIX: give one --target, or use --out-dir');
  if (!argv.includes('--skip-build')) {
    run(process.execPath, ['esbuild.config.mjs', '--production', '--no-tests'], { ...process.env, NODE_ENV: 'production' });
  }
  for (const f of ['dist/extension.js', 'package.json', 'README.md', 'LICENSE']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing`);
  }
  const outDir = option('--out-dir') ?? root;
  const written = [];
  for (const target of targets) written.push(await packageTarget(target, out ?? join(outDir, `${pkg.name}-${pkg.version}-${target}.vsix`)));
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`package: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
