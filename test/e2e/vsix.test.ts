// The shipped artefact: `npm run package` (scripts/package.mjs) builds the VSIX; this test installs it into
// a fresh code-server profile with `--install-extension` (no development path: only what the VSIX holds),
// and opens a file with it in the browser. The addon must load from the VSIX's prebuilds/ folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium, type Browser } from './support/chromium';
import { installExtension, makeProfileDirs, startCodeServer, type CodeServer } from './support/codeServer';
import { readDisk } from './support/diskBytes';
import { hex2, HEXMAP_READY, waitForView } from './support/hexmapView';
import { mixedBlock } from './support/mixedBigFile';
import { artifactsDir, extensionId, manifest, repoRoot } from './support/repoPaths';
import { screenshot, waitForHexmapEditor, waitForWorkbench } from './support/workbench';
import { makeWorkspace, type TempWorkspace } from './support/workspace';

const shots = artifactsDir('e2e-vsix');
let workspace: TempWorkspace;
let vsix: string;
let dirs: ReturnType<typeof makeProfileDirs>;
let server: CodeServer | undefined;
let browser: Browser | undefined;

describe('the packaged VSIX', { timeout: 6 * 60_000 }, () => {
  before(() => {
    workspace = makeWorkspace();
    dirs = makeProfileDirs();
  });
  after(async () => {
    await browser?.close();
    if (server) await server.stop();
    else rmSync(dirs.tempDir, { recursive: true, force: true });
    workspace.remove();
  });

  it('npm run package builds a VSIX holding only bundles, prebuild and metadata', () => {
    vsix = join(dirs.tempDir, 'hexmap.vsix');
    // package.mjs itself lists the entries and fails on anything unexpected; its exit code is the check.
    const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/package.mjs'), '--out', vsix], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
    writeFileSync(join(shots, 'package.log'), `${r.stdout}\n${r.stderr}`);
    assert.equal(r.status, 0, `package.mjs failed:\n${r.stderr.slice(-3000)}`);
    assert.ok(existsSync(vsix));
  });

  it('installs into code-server with --install-extension', () => {
    installExtension(vsix, dirs.userDataDir, dirs.extensionsDir);
    const installed = readdirSync(dirs.extensionsDir).filter((d) => d.startsWith(`${extensionId}-`));
    assert.deepEqual(installed, [`${extensionId}-${manifest.version}`]);
    const dir = join(dirs.extensionsDir, installed[0]);
    assert.ok(existsSync(join(dir, 'dist/extension.js')));
    assert.ok(!existsSync(join(dir, 'node_modules')), 'no node_modules in the installed extension');
    const prebuilds = join(dir, 'prebuilds', `${process.platform}-${process.arch}`);
    assert.ok(existsSync(prebuilds) && readdirSync(prebuilds).some((f) => f.endsWith('.node')), 'the prebuild is installed');
  });

  it('opens a file with the installed extension', async () => {
    const file = workspace.path('sample.bin');
    writeFileSync(file, mixedBlock(7, 4096));
    server = await startCodeServer({ hexmapPatterns: ['*.bin'], logFile: join(shots, 'code-server.log') }, dirs);
    browser = await launchChromium();
    const { page } = browser;
    const open = async () => {
      await page.goto(`${server!.workbenchUrl(workspace.dir)}&payload=${encodeURIComponent(JSON.stringify([['openFile', server!.remoteUri(file)]]))}`);
      await waitForWorkbench(page);
    };
    await open();
    const frame = await waitForHexmapEditor(page, open, HEXMAP_READY).catch(async (e) => {
      await screenshot(page, shots, 'vsix-open-failed');
      throw e;
    });
    const view = await waitForView(frame, 'first rows', (v) => v.topOffset === 0 && v.cells.length >= 64);
    const disk = readDisk(file, 0, 64);
    assert.deepEqual(view.cells.slice(0, 64).map((c) => c.hex), Array.from(disk, hex2));
    // The addon came from the VSIX's prebuilds/: no "addon is not available ... plain reads" notice.
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('.notifications-toasts, .notifications-center').filter({ hasText: 'memory-mapping addon' }).count(), 0,
      'Hexmap fell back to plain reads: the prebuild in the VSIX did not load');
    await screenshot(page, shots, 'vsix-opened');
  });
});
