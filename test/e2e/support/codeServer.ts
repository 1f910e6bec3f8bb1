// E2E helper. Starts a private code-server (a real VS Code workbench served over HTTP) for one
// test file: a free port on 127.0.0.1, no auth, no telemetry/update checks/workspace trust prompts, a fresh
// user-data and extensions folder in a temp dir with quiet, deterministic settings. stop() kills the whole
// process tree (the server, its extension hosts, file watchers, ptys) and deletes the temp dir.
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionId, viewType } from './repoPaths';
import { ensureVscodeInstalled, VscodeInstall } from './vscodeInstall';

export interface CodeServerOptions {
  /** File-name patterns opened with Hexmap by default (workbench.editorAssociations). */
  hexmapPatterns?: string[];
  /** Extra user settings, merged over the defaults. */
  settings?: Record<string, unknown>;
  /**
   * Enables the smoke-test driver: a built workbench honours the payload (extensionDevelopmentPath,
   * extensionTestsPath) only then, and reports through window.codeAutomationExit/Log.
   */
  smokeTestDriver?: boolean;
  /** Environment added for the server and so for its extension hosts (e.g. where in-host tests report). */
  env?: Record<string, string>;
  /** Where the server's own output goes (a file in test-artifacts, kept for debugging). */
  logFile?: string;
}

export interface CodeServer {
  host: string;
  port: number;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The authority extension hosts see, for vscode-remote://AUTHORITY/abs/path URIs. */
  authority: string;
  tempDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** Workbench URL opening `folder`, optionally with a development/test payload. */
  workbenchUrl(folder: string, payload?: [string, string][]): string;
  /** vscode-remote URI of an absolute path on this machine, as a payload value. */
  remoteUri(absPath: string): string;
  /** Output of the server so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and the same on every run. */
export function quietSettings(hexmapPatterns: string[]): Record<string, unknown> {
  return {
    // Without an association VS Code may open its binary placeholder before Hexmap registers.
    'workbench.editorAssociations': Object.fromEntries(hexmapPatterns.map((p) => [p, viewType])),
    'chat.disableAIFeatures': true,
    // VS Code in a browser auto-saves after 1 s by default; the desktop default (off) keeps dirty states,
    // backups and explicit saves observable.
    'files.autoSave': 'off',
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'git.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'files.simpleDialog.enable': true,
    'window.dialogStyle': 'custom',
    'editor.accessibilitySupport': 'off',
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function baseArgs(install: VscodeInstall, userDataDir: string, extensionsDir: string): string[] {
  return [install.codeServerEntry, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

function serverEnv(install: VscodeInstall, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...install.xdg, ...extra };
  env.PATH = `${join(install.nodeHome, 'bin')}:${process.env.PATH ?? ''}`;
  // Our node --test parent sets these; the extension host must not inherit them.
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  return env;
}

async function waitForHealthz(origin: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering /healthz:\n${output()}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${origin}/healthz within ${timeoutMs} ms:\n${output()}`);
}

/** Installs a VSIX into an extensions folder with code-server's CLI (before the server starts). */
export function installExtension(vsixPath: string, userDataDir: string, extensionsDir: string): string {
  const install = ensureVscodeInstalled();
  const r = spawnSync(install.node, [...baseArgs(install, userDataDir, extensionsDir), '--install-extension', vsixPath], {
    env: serverEnv(install), encoding: 'utf8', timeout: 120_000,
  });
  const out = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`--install-extension ${vsixPath} failed (${r.status ?? r.signal}):\n${out}`);
  return out;
}

/** A temp dir for a server's profile; pass it to startCodeServer to install extensions first. */
export function makeProfileDirs(): { tempDir: string; userDataDir: string; extensionsDir: string } {
  const tempDir = mkdtempSync(join(tmpdir(), 'hexmap-e2e-cs-'));
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  return { tempDir, userDataDir, extensionsDir };
}

export async function startCodeServer(opts: CodeServerOptions = {}, dirs = makeProfileDirs()): Promise<CodeServer> {
  const install = ensureVscodeInstalled();
  const { tempDir, userDataDir, extensionsDir } = dirs;
  const settings = { ...quietSettings(opts.hexmapPatterns ?? ['*.bin']), ...opts.settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const host = '127.0.0.1';
  const port = await freePort();
  const origin = `http://${host}:${port}`;
  const args = [...baseArgs(install, userDataDir, extensionsDir), '--bind-addr', `${host}:${port}`, '--auth', 'none',
    '--ignore-last-opened', '--disable-getting-started-override'];
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  let out = '';
  const logStream = opts.logFile ? createWriteStream(opts.logFile) : undefined;
  // detached: its own process group, so stop() can signal the whole tree at once.
  const child = spawn(install.node, args, { env: serverEnv(install, opts.env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (b: Buffer) => {
    const s = b.toString();
    out = (out + s).slice(-200_000);
    logStream?.write(s);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const killTree = (signal: NodeJS.Signals) => {
    try { process.kill(-child.pid!, signal); } catch { /* already gone */ }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killTree('SIGTERM');
      const t = setTimeout(() => killTree('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    // Stragglers of the group (an extension host that ignored SIGTERM) get SIGKILL.
    killTree('SIGKILL');
    logStream?.end();
    rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    await waitForHealthz(origin, child, () => out);
  } catch (e) {
    await stop();
    throw e;
  }

  const authority = `${host}:${port}`;
  const remoteUri = (abs: string) => `vscode-remote://${authority}${abs}`;
  return {
    host, port, origin, authority, tempDir, userDataDir, extensionsDir, remoteUri,
    workbenchUrl(folder, payload) {
      let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    output: () => out,
    stop,
  };
}

/** Reads the extension's own log lines from a server's user-data dir (extension host logs), for failures. */
export function readFileOr(path: string, fallback = ''): string {
  try { return readFileSync(path, 'utf8'); } catch { return fallback; }
}

export { extensionId };
