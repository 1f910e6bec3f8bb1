/**
 * Runs a cancellable task and shows a progress notification with Cancel only
 * if it takes longer than a moment: jumping to the next non-ASCII byte is
 * usually instant, and a notification flashing up each time would be noise.
 */
import * as vscode from 'vscode';

const SHOW_AFTER_MS = 400;

export type ProgressReport = (done: number, total: number) => void;

export async function withLateProgress<T>(title: string, task: (signal: AbortSignal, report: ProgressReport) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let reported = 0;
  let latest: [number, number] = [0, 1];
  let sink: ((increment: number, message: string) => void) | undefined;
  const report: ProgressReport = (done, total) => {
    latest = [done, total];
    if (!sink || total <= 0) return;
    const pct = Math.min(100, (done / total) * 100);
    sink(pct - reported, `${Math.floor(pct)}%`);
    reported = pct;
  };
  const work = task(controller.signal, report);
  let finished = false;
  const settled = work.then(() => undefined, () => undefined).finally(() => { finished = true; });
  const timer = setTimeout(() => {
    if (finished) return;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      sink = (increment, message) => progress.report({ increment, message });
      report(...latest);
      return settled;
    });
  }, SHOW_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** True for the error a cancelled scan rejects with. */
export function wasCancelled(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown } | null;
  return !!e && (e.code === 'ERR_HEXMAP_CANCELLED' || e.name === 'AbortError');
}
