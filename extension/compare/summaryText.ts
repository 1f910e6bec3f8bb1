/**
 * The words a comparison is shown with: the summary line, the status bar
 * label ("difference k of N", "N+" past the cap) and its tooltip. Pure, so
 * it is tested without VS Code.
 */
import { differingBytes, type CompareSummary } from './types';

const n = (v: number) => v.toLocaleString('en-US');
const hex = (v: number) => `0x${v.toString(16).toUpperCase()}`;

/** One sentence: identical, or what differs. */
export function summaryText(s: CompareSummary): string {
  if (!s.complete) return 'comparison cancelled.';
  if (s.identical) return `identical (${n(s.sizeA)} bytes).`;
  const parts = [`${n(differingBytes(s))} byte(s) differ in ${n(s.rangeCount)} range(s)`];
  if (s.onlyInB) parts.push(`${n(s.onlyInB)} only on the right`);
  if (s.onlyInA) parts.push(`${n(s.onlyInA)} only on the left`);
  if (s.shifts) parts.push(`${n(s.shifts)} insertion(s)/deletion(s) re-aligned`);
  if (s.first && s.last) parts.push(`first at ${hex(s.first.offsetA)}, last at ${hex(s.last.offsetA)} (left offsets)`);
  if (s.sizeA !== s.sizeB) parts.push(`sizes ${n(s.sizeA)} and ${n(s.sizeB)} bytes`);
  return `${parts.join('; ')}.`;
}

/** Status bar text. `current` is the index of the difference last moved to (-1: none); `kept` how many are listed. */
export function statusText(state: { current: number; kept: number; summary?: CompareSummary; running: boolean; done: number; total: number }): string {
  const { summary } = state;
  if (state.running) {
    const pct = state.total > 0 ? Math.floor((state.done / state.total) * 100) : 0;
    return `$(sync~spin) Comparing ${pct}%${state.kept ? `, ${n(state.kept)} difference(s) so far` : ''}`;
  }
  if (!summary) return '$(diff) Compare';
  if (!summary.complete) return `$(diff) Compare cancelled, ${n(state.kept)} difference(s) found`;
  if (summary.identical) return '$(check) Identical';
  const total = n(summary.rangeCount);
  // Past the cap the exact count is known, but only the first `kept` can be visited.
  const of = summary.capped ? `${n(state.kept)}+` : total;
  return state.current >= 0 ? `$(diff) Difference ${n(state.current + 1)} of ${of}` : `$(diff) ${total} difference(s)`;
}

export function statusTooltip(s: CompareSummary | undefined, mode: 'resync' | 'bytes'): string {
  const how = mode === 'bytes' ? 'byte for byte only' : 'with re-alignment after insertions and deletions';
  if (!s) return `Hexmap compare (${how})`;
  return `Hexmap compare (${how}): ${summaryText(s)}${s.capped ? ` The first ${n(s.ranges.length)} are listed.` : ''}\nF7 / Shift+F7: next / previous difference`;
}

/** The message when F7 finds nothing more in that direction. */
export function noMoreText(forward: boolean, running: boolean, summary?: CompareSummary): string {
  const where = forward ? 'after' : 'before';
  const why = running ? ' found so far (the comparison is still running)' : summary?.capped ? ` among the first ${n(summary.ranges.length)} listed` : '';
  return `no difference ${where} the cursor${why}.`;
}
