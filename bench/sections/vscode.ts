/**
 * What a user sees in a real VS Code (code-server + headless Chromium), side by side: Hexmap (its VSIX,
 * `npm run package`), the incumbent vscode-hexeditor 1.11.1 and the floor (the cheapest possible custom
 * editor), each installed from its VSIX into a fresh profile, each opening the same bench file from the
 * explorer. Rounds alternate the order (A B C, B C A, C A B); figures are medians of the rounds.
 *
 *   open      click in the explorer -> first painted hex cell (the first open of a fresh profile: activation included)
 *   reopen    the tab closed, the file clicked again (extension active) -> first painted hex cell
 *   scroll    5 s of mouse-wheel events at 60 Hz, delta 200 px, over the editor: the intervals between
 *             animation frames, taken by a requestAnimationFrame sampler inside the webview's own document,
 *             and the long tasks (> 50 ms) a PerformanceObserver sees there
 *   jump      Ctrl+End -> the first frame showing the end of the file (Hexmap: cursor on the last byte, rows loaded)
 *   go to     Hexmap only: Ctrl+G, a far offset typed (80 ms a key), Enter -> the first frame with the cursor
 *             there, rows loaded; and the same with the offset pasted and Enter at once (one round trip)
 *
 * Clocks: start times are Date.now() in this process just before the input; end times Date.now() inside the
 * webview, taken by a check that polls once per animation frame (one clock for all processes on this machine);
 * for an open whose cells are already painted when the check first runs, the document's first contentful
 * paint (see paintedAt). Each reopen's phases (host steps, webview document, resources, marks) are logged.
 * `--vscode-rounds N` (default 3), `--vscode-reopens N` (default 1: reopens per round, their median the
 * round's figure), `--vscode-only hexmap,anchor` and the usual `--size` (a small file for
 * development: `npm run bench -- --only vscode --size 256M --vscode-rounds 1`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { launchChromium } from '../../test/e2e/support/chromium';
import { installExtension, makeProfileDirs, startCodeServer } from '../../test/e2e/support/codeServer';
import { extensionId } from '../../test/e2e/support/repoPaths';
import { tab, waitForWorkbench, webviewDocument } from '../../test/e2e/support/workbench';
import { percentile, type BenchContext, type BenchRow } from '../types';

interface Contender {
  name: 'hexmap' | 'anchor' | 'floor';
  vsix: string;
  id: string;
  viewType: string;
}

const ANCHOR_CELL = 'span[data-key][class*="__data-cell_"]:not([class*="__data-cell-char_"]):not([class*="__data-cell-append_"])';

interface ProbeArg { name: string; what: 'painted' | 'paintedAt' | 'signature' | 'cursor'; anchorCell: string; until?: { want: string | boolean; unlike: boolean } }

/**
 * Runs inside a contender's webview document (a self-contained function, not a string: the webviews' CSP
 * forbids eval). 'painted': true once a hex byte cell is painted. 'signature': names what the view shows,
 * 'loading' while it waits for bytes (its change marks a jump). With `until`: Date.now() once the answer
 * is `want` (or, `unlike`, differs from it and is not 'loading'), else 0.
 */
function probe(arg: ProbeArg): string | boolean | number {
  const isHex = (t: string | null | undefined) => /^[0-9a-f]{2}$/i.test(t ?? '');
  let value: string | boolean;
  if (arg.name === 'hexmap') {
    // The editor reports the draw list its canvas was painted from (webview/editor/gridView.ts).
    const e = (window as unknown as { hexmapEditor?: { renderer: { shown(): { cells: { hex: string }[] }[] } } }).hexmapEditor;
    const d = document.getElementById('hexmap-root')?.dataset;
    const ok = !!e && d?.loading === 'false' && isHex(e.renderer.shown()[0]?.cells[0]?.hex);
    value = arg.what === 'painted' || arg.what === 'paintedAt' ? ok : !ok ? 'loading' : arg.what === 'cursor' ? String(d!.cursor) : `${d!.cursor}|${d!.topOffset}`;
  } else if (arg.name === 'anchor') {
    const ok = isHex(document.querySelector(arg.anchorCell)?.textContent);
    const address = document.querySelector('[class*="__data-row_"] div[class*="__address_"]')?.textContent ?? '';
    value = arg.what === 'painted' || arg.what === 'paintedAt' ? ok : ok ? address : 'loading';
  } else {
    const ok = isHex(document.querySelector('span.cell')?.textContent);
    value = arg.what === 'painted' || arg.what === 'paintedAt' ? ok : 'static';
  }
  if (arg.what === 'paintedAt') {
    // Painted already: when its first contentful paint was (never later than now); else 0.
    if (value !== true) return 0;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return fcp ? Math.min(Date.now(), performance.timeOrigin + fcp.startTime) : Date.now();
  }
  if (!arg.until) return value;
  const hit = arg.until.unlike ? value !== arg.until.want && value !== 'loading' : value === arg.until.want;
  return hit ? Date.now() : 0;
}

function contenders(root: string, scratch: string): Contender[] {
  const anchors = join(root, '..', 'shared', 'anchors');
  return [
    { name: 'hexmap', vsix: join(scratch, 'hexmap.vsix'), id: extensionId, viewType: 'hexmap.editor' },
    { name: 'anchor', vsix: join(anchors, 'vscode-hexeditor-1.11.1.vsix'), id: 'ms-vscode.hexeditor', viewType: 'hexEditor.hexedit' },
    { name: 'floor', vsix: join(anchors, 'floor-0.0.1.vsix'), id: 'measure.floor', viewType: 'floor.hex' },
  ];
}

interface RoundResult { open: number; reopen: number; intervals: number[]; longTasks: number; jump: number; goto: number; gotoPasted: number }

/** Polls (every 10 ms) until the contender's webview document exists. */
async function waitForDocument(page: Page, c: Contender, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await webviewDocument(page, c.id).catch(() => undefined);
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`${c.name}: no webview within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Date.now() in the webview at the first animation frame where the probe's answer is `want` (or, `unlike`, another). */
async function stampWhen(frame: Frame, c: Contender, what: ProbeArg['what'], want: string | boolean, unlike = false, timeoutMs = 60_000): Promise<number> {
  const arg: ProbeArg = { name: c.name, what, anchorCell: ANCHOR_CELL, until: { want, unlike } };
  const handle = await frame.waitForFunction(probe, arg, { polling: 'raf', timeout: timeoutMs });
  return (await handle.jsonValue()) as number;
}

const signature = (frame: Frame, c: Contender): Promise<string> => {
  const arg: ProbeArg = { name: c.name, what: 'signature', anchorCell: ANCHOR_CELL };
  return frame.evaluate(probe, arg) as Promise<string>;
};

async function openFromExplorer(page: Page, name: string): Promise<number> {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ state: 'visible', timeout: 60_000 });
  const t0 = Date.now();
  await row.click();
  return t0;
}

async function openAndStamp(page: Page, c: Contender, name: string): Promise<{ ms: number; frame: Frame; phases: string }> {
  const t0 = await openFromExplorer(page, name);
  const frame = await waitForDocument(page, c);
  const t1 = await paintedAt(frame, c);
  return { ms: t1 - t0, frame, phases: await phasesOf(frame, t0).catch((e: Error) => `phases: ${e.message}`) };
}

/**
 * Date.now() when the contender's first hex cell was painted. Finding the webview's frame from here
 * takes Playwright tens to hundreds of ms (more on a busy machine), so the cell may be painted before
 * the probe first runs: then the document's first contentful paint is taken (the editors paint their
 * cells with their first content; it can only flatter one that paints something else first), never
 * later than the probe's own first look. Otherwise the probe polls each frame from then on.
 */
async function paintedAt(frame: Frame, c: Contender): Promise<number> {
  const arg: ProbeArg = { name: c.name, what: 'paintedAt', anchorCell: ANCHOR_CELL };
  const already = (await frame.evaluate(probe, arg).catch(() => 0)) as number;
  return already || stampWhen(frame, c, 'painted', true);
}

/**
 * Where an open's time went, in ms after the click: the host's steps (Hexmap's 'init' carries them:
 * document opened, editor resolved, HTML set, 'ready' received, first window read), the webview
 * document's timeOrigin (VS Code writes the page into a frame it created for it: that frame's start),
 * its resources, and its own performance marks ('load': VS Code shows the frame at its page's load).
 */
async function phasesOf(frame: Frame, t0: number): Promise<string> {
  const p = await frame.evaluate(() => ({
    origin: performance.timeOrigin,
    host: (window as unknown as { hexmapHostTimes?: Record<string, number> }).hexmapHostTimes ?? {},
    marks: [...performance.getEntriesByType('mark'), ...performance.getEntriesByType('paint').map((e) => ({ name: `browser-${e.name}`, startTime: e.startTime }))]
      .map((m) => [m.name.replace(/^hexmap-/, ''), m.startTime] as const),
    resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => [r.name.split('/').pop()!.split('?')[0], r.startTime, r.responseEnd] as const),
  }));
  const at = (epoch: number) => Math.round(epoch - t0);
  const parts = [
    ...Object.entries(p.host).map(([k, v]) => `host.${k} ${at(v)}`),
    `webview-document ${at(p.origin)}`,
    ...p.resources.filter(([n]) => /\.(js|css)$/.test(n)).map(([n, s, e]) => `${n} ${at(p.origin + s)}-${at(p.origin + e)}`),
    ...p.marks.map(([n, s]) => `${n} ${at(p.origin + s)}`),
  ];
  return parts.join(', ');
}

/** 5 s of 60 Hz wheel events (delta 200 px) over the editor, sampled from inside its webview. */
async function scrollFor(page: Page, frame: Frame, seconds: number): Promise<{ intervals: number[]; longTasks: number }> {
  await frame.evaluate(() => {
    const w = window as unknown as { __bench: { intervals: number[]; long: number; stop: boolean } };
    w.__bench = { intervals: [], long: 0, stop: false };
    try {
      new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__bench.long += e.duration; }).observe({ type: 'longtask' });
    } catch { /* no long task timing: reported as 0 */ }
    let last = 0;
    const tick = (t: number): void => {
      if (last) w.__bench.intervals.push(t - last);
      last = t;
      if (!w.__bench.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const box = (await page.locator('.part.editor .editor-instance').first().boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  const cdp = await page.context().newCDPSession(page);
  try {
    // Fired on a fixed 60 Hz schedule without waiting for each event to be handled: input arrives as a
    // real wheel does, whether or not the page keeps up.
    const start = Date.now();
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < seconds * 60; i++) {
      const wait = start + (i * 1000) / 60 - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sent.push(cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY: 200 }).catch(() => undefined));
    }
    await Promise.all(sent);
  } finally {
    await cdp.detach();
  }
  return frame.evaluate(() => {
    const b = (window as unknown as { __bench: { intervals: number[]; long: number; stop: boolean } }).__bench;
    b.stop = true;
    return { intervals: b.intervals.slice(1), longTasks: b.long };
  });
}

async function jumpToEnd(page: Page, frame: Frame, c: Contender, size: number): Promise<number> {
  if (c.name === 'floor') return NaN;
  // Focus the editor as a user does, by clicking a byte in it.
  if (c.name === 'hexmap') await frame.click('.hexmap .grid', { position: { x: 150, y: 30 } });
  else await frame.click(ANCHOR_CELL);
  await page.waitForTimeout(700);
  const before = await signature(frame, c);
  let failure = '';
  // Hexmap: the cursor on the last byte with the rows there loaded; the anchor: its first row's address changed.
  const stamp = (c.name === 'hexmap' ? stampWhen(frame, c, 'cursor', String(size - 1), false, 15_000) : stampWhen(frame, c, 'signature', before, true, 15_000))
    .catch((e: Error) => { failure = e.message.split('\n')[0]; return NaN; });
  const t0 = Date.now();
  await page.keyboard.press('Control+End');
  const t1 = await stamp;
  if (failure) console.error(`[bench] vscode ${c.name}: Ctrl+End not seen (${failure}); view before ${before}, after ${await signature(frame, c).catch(() => '?')}`);
  return t1 - t0;
}

/** A fast typist's interval between keys (most people are slower): digits, then Enter. */
const KEY_INTERVAL_MS = 80;

/**
 * Hexmap only: Ctrl+G, a far offset, Enter -> the first frame with the cursor there and its rows loaded
 * (median of 5 offsets). `typed`: the digits typed one key at a time and Enter one key interval after
 * the last, as a person does (the widget asks for the bytes while the offset is typed). `pasted`: the
 * whole offset put in at once and Enter at the same instant, which no person can do: the bound when
 * nothing was asked for ahead, one round trip to the host.
 */
async function goTo(page: Page, frame: Frame, c: Contender, size: number, how: 'typed' | 'pasted', log: (m: string) => void): Promise<number> {
  if (c.name !== 'hexmap') return NaN;
  const times: number[] = [];
  const phases: string[] = [];
  const fractions = how === 'typed' ? [0.93, 0.11, 0.57, 0.31, 0.79] : [0.87, 0.23, 0.63, 0.41, 0.71];
  for (const fraction of fractions) {
    const target = Math.floor(size * fraction) + 7;
    await frame.focus('.hexmap .grid');
    await page.keyboard.press('Control+G');
    const input = frame.locator('.goto-widget input');
    await input.waitFor({ state: 'visible' });
    if (how === 'typed') {
      await input.fill('');
      await input.pressSequentially(String(target), { delay: KEY_INTERVAL_MS });
      await page.waitForTimeout(KEY_INTERVAL_MS);
    } else {
      await input.fill(String(target));
    }
    // Where the time goes: Enter's keydown reaching the page, the editor drawing the target with its bytes.
    await frame.evaluate((want) => {
      const w = window as unknown as { __goto: { key: number; drawn: number }; hexmapEditor: { onFrame(l: () => void): void } };
      w.__goto = { key: 0, drawn: 0 };
      window.addEventListener('keydown', (e) => { if (e.key === 'Enter') w.__goto.key ||= Date.now(); }, { capture: true, once: true });
      const d = document.getElementById('hexmap-root')!.dataset;
      w.hexmapEditor.onFrame(() => { if (!w.__goto.drawn && d.cursor === want && d.loading === 'false') w.__goto.drawn = Date.now(); });
    }, String(target));
    const stamp = stampWhen(frame, c, 'cursor', String(target), false, 15_000).catch(() => NaN);
    const t0 = Date.now();
    await input.press('Enter');
    const t1 = await stamp;
    times.push(t1 - t0);
    const g = await frame.evaluate(() => (window as unknown as { __goto: { key: number; drawn: number } }).__goto);
    phases.push(`${t1 - t0} (key ${g.key - t0}, drawn ${g.drawn - t0})`);
  }
  log(`vscode ${c.name}: go to, ${how}: ms after Enter: ${phases.join(', ')}`);
  return median(times);
}

async function round(ctx: BenchContext, c: Contender): Promise<RoundResult> {
  const name = basename(ctx.file);
  const dirs = makeProfileDirs();
  installExtension(c.vsix, dirs.userDataDir, dirs.extensionsDir);
  const server = await startCodeServer({ settings: { 'workbench.editorAssociations': { [name]: c.viewType }, 'workbench.editor.enablePreview': false } }, dirs);
  const browser = await launchChromium();
  const { page } = browser;
  try {
    await page.goto(server.workbenchUrl(dirname(ctx.file)));
    await waitForWorkbench(page);
    const first = await openAndStamp(page, c, name);
    await page.waitForTimeout(1000);
    await page.keyboard.press('Control+W');
    await tab(page, name).waitFor({ state: 'detached' });
    await page.waitForTimeout(500);
    // `--vscode-reopens N`: the reopen N times (each logged), its median the round's figure; the last one is scrolled.
    const reopens: number[] = [];
    let again = await openAndStamp(page, c, name);
    for (;;) {
      reopens.push(again.ms);
      ctx.log(`vscode ${c.name}: reopen ${again.ms.toFixed(0)} ms, phases (ms after the click): ${again.phases}`);
      if (reopens.length >= reopenCount(ctx)) break;
      await page.waitForTimeout(1000);
      await page.keyboard.press('Control+W');
      await tab(page, name).waitFor({ state: 'detached' });
      await page.waitForTimeout(500);
      again = await openAndStamp(page, c, name);
    }
    await page.waitForTimeout(1000);
    const scroll = await scrollFor(page, again.frame, 5);
    await page.waitForTimeout(500);
    const jump = await jumpToEnd(page, again.frame, c, ctx.size);
    const goto = await goTo(page, again.frame, c, ctx.size, 'typed', ctx.log);
    const gotoPasted = await goTo(page, again.frame, c, ctx.size, 'pasted', ctx.log);
    ctx.log(`vscode ${c.name}: open ${first.ms} ms, reopen ${median(reopens)} ms, ${scroll.intervals.length} frames p50 ${percentile([...scroll.intervals].sort((a, b) => a - b), 50)?.toFixed(1)} ms, long tasks ${scroll.longTasks.toFixed(0)} ms, Ctrl+End ${jump} ms, go to ${goto} ms (pasted ${gotoPasted} ms)`);
    return { open: first.ms, reopen: median(reopens), intervals: scroll.intervals, longTasks: scroll.longTasks, jump, goto, gotoPasted };
  } finally {
    await browser.close();
    await server.stop();
  }
}

function reopenCount(ctx: BenchContext): number {
  const i = ctx.argv.indexOf('--vscode-reopens');
  return i >= 0 ? Math.max(1, Number(ctx.argv[i + 1]) || 1) : 1;
}

const median = (xs: number[]): number => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

export default async function vscodeSection(ctx: BenchContext): Promise<BenchRow[]> {
  const list = contenders(ctx.root, ctx.scratch);
  const pack = spawnSync(process.execPath, [join(ctx.root, 'scripts', 'package.mjs'), '--out', list[0].vsix], { cwd: ctx.root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (pack.status !== 0 || !existsSync(list[0].vsix)) throw new Error('vscode bench: npm run package failed');
  const roundsArg = ctx.argv.indexOf('--vscode-rounds');
  const rounds = roundsArg >= 0 ? Number(ctx.argv[roundsArg + 1]) : 3;
  // `--vscode-only hexmap,anchor`: a quicker run while developing (the missing ones report NaN).
  const onlyArg = ctx.argv.indexOf('--vscode-only');
  const only = onlyArg >= 0 ? ctx.argv[onlyArg + 1].split(',') : undefined;
  const results = new Map<Contender['name'], RoundResult[]>(list.map((c) => [c.name, []]));
  for (let r = 0; r < rounds; r++) {
    // Alternate the order, so no contender always runs first (or last) on a warming machine.
    for (let k = 0; k < list.length; k++) {
      const c = list[(r + k) % list.length];
      if (only && !only.includes(c.name)) continue;
      results.get(c.name)!.push(await round(ctx, c));
    }
  }
  // Per round: p50, p95 and frames over 50 ms of that round's intervals; then the median over rounds.
  const stats = (name: Contender['name']) => {
    const rs = results.get(name)!;
    const per = rs.map((x) => { const s = [...x.intervals].sort((a, b) => a - b); return { p50: percentile(s, 50), p95: percentile(s, 95), over50: s.filter((v) => v > 50).length, frames: s.length }; });
    return {
      open: median(rs.map((x) => x.open)), reopen: median(rs.map((x) => x.reopen)), jump: median(rs.map((x) => x.jump)), goto: median(rs.map((x) => x.goto)), gotoPasted: median(rs.map((x) => x.gotoPasted)),
      longTasks: median(rs.map((x) => x.longTasks)),
      p50: median(per.map((x) => x.p50)), p95: median(per.map((x) => x.p95)), over50: median(per.map((x) => x.over50)), frames: median(per.map((x) => x.frames)),
    };
  };
  const h = stats('hexmap');
  const a = stats('anchor');
  const f = stats('floor');
  const note = `code-server+Chromium, ${(ctx.size / 2 ** 30).toFixed(1)} GiB, median of ${rounds}`;
  const vs = (x: number, y: number) => (y > 0 ? `${(x / y).toFixed(2)}x` : 'n/a');
  return [
    { key: 'vscode_scroll_p50_ms', metric: 'VS Code: frame interval p50, 60 Hz wheel', value: round1(h.p50), unit: 'ms', comparison: `target <= 17; anchor ${round1(a.p50)} (${vs(h.p50, a.p50)}), floor idle ${round1(f.p50)}`, note },
    { key: 'vscode_scroll_p95_ms', metric: 'VS Code: frame interval p95, 60 Hz wheel', value: round1(h.p95), unit: 'ms', comparison: `target <= 20; anchor ${round1(a.p95)} (${vs(h.p95, a.p95)}), floor ${round1(f.p95)}`, note },
    { key: 'vscode_scroll_over50', metric: 'VS Code: frames over 50 ms in 5 s of wheel', value: h.over50, unit: 'frames', comparison: `target 0; of ${h.frames}; anchor ${a.over50} of ${a.frames}; long tasks ${h.longTasks.toFixed(0)} ms vs anchor ${a.longTasks.toFixed(0)} ms`, note },
    { key: 'vscode_reopen_ms', metric: 'VS Code: reopen -> first painted cell', value: round1(h.reopen), unit: 'ms', comparison: `target <= floor + 75 = ${round1(f.reopen + 75)}; ${vs(h.reopen, f.reopen)} floor, ${vs(h.reopen, a.reopen)} anchor`, note },
    { key: 'vscode_jump_end_ms', metric: 'VS Code: Ctrl+End -> first frame at the end', value: round1(h.jump), unit: 'ms', comparison: `target <= 50; anchor ${round1(a.jump)} (${vs(h.jump, a.jump)})`, note },
    { key: 'vscode_goto_ms', metric: 'VS Code: go to offset (Ctrl+G, typed, Enter) -> first frame there', value: round1(h.goto), unit: 'ms', comparison: `target <= 50; far offsets typed at ${KEY_INTERVAL_MS} ms a key (the bytes are asked for while typing)`, note },
    { key: 'vscode_goto_paste_ms', metric: 'VS Code: go to offset, pasted and Enter at once -> first frame there', value: round1(h.gotoPasted), unit: 'ms', comparison: 'nothing asked for ahead: one round trip to the host', note },
    { key: 'vscode_open_ms', metric: 'VS Code: first open (activation) -> first painted cell', value: round1(h.open), unit: 'ms', comparison: `floor ${round1(f.open)}, anchor ${round1(a.open)}`, note },
    { key: 'vscode_floor_reopen_ms', metric: 'VS Code floor: reopen -> first painted cell', value: round1(f.reopen), unit: 'ms', comparison: 'the cheapest custom editor', note },
    { key: 'vscode_anchor_scroll_p50_ms', metric: 'vscode-hexeditor 1.11.1: frame interval p50', value: round1(a.p50), unit: 'ms', comparison: `p95 ${round1(a.p95)}, over 50 ms ${a.over50}`, note },
    { key: 'vscode_anchor_reopen_ms', metric: 'vscode-hexeditor 1.11.1: reopen -> first painted cell', value: round1(a.reopen), unit: 'ms', comparison: `${vs(a.reopen, f.reopen)} floor`, note },
  ];
}
