// `npm test`: builds the bundles (tests included) and runs every layer in one
// `node --test` run, so there is a single pass/fail summary:
//   test/unit     engine, edit model, decoder, protocol (plain Node)
//   test/webview  the editor webview in headless Chromium
//   test/e2e      the whole extension inside a real VS Code (code-server)
//   test/wine     the engine and document/save unit tests again on Windows: wine's node.exe with the
//                 cross-built addon (needs wine, mingw-w64 and clang from apt; node.exe comes from npm)
// Pass layer names to run only those: `npm test -- unit webview`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const layers = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'webview', 'e2e', 'wine'];

const run = (cmd, args, extra = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...extra });

// prebuilds/ may hold only another platform's addon (npm run build:win32), so look for this platform's.
if (!existsSync(join(root, 'build/Release')) && !existsSync(join(root, 'prebuilds', `${process.platform}-${process.arch}`))) {
  if (run('npx', ['node-gyp-build']).status !== 0) process.exit(1);
}
if (run(process.execPath, ['esbuild.config.mjs']).status !== 0) process.exit(1);

const testFiles = (dir) => !existsSync(dir) ? [] : readdirSync(dir).flatMap((n) => {
  const full = join(dir, n);
  return statSync(full).isDirectory() ? testFiles(full) : n.endsWith('.test.js') ? [full] : [];
});
const files = layers.flatMap((layer) => testFiles(join(root, 'out/test', layer)).sort());
if (files.length === 0) {
  console.error(`no test files found for layers: ${layers.join(', ')}`);
  process.exit(1);
}
const result = run(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', ...files]);
process.exit(result.status ?? 1);
