/**
 * The theme's colours as concrete values a canvas accepts. The stylesheet
 * stays the one place that maps VS Code's theme variables to roles (--fg,
 * --lead, --selection, ... in editor.css, with fallbacks for a bare
 * browser); here a hidden probe element resolves each role through the
 * browser's own CSS (var(), fallbacks, color-mix), so a theme switch or a
 * high-contrast theme reaches the canvas with the same colours the DOM
 * widgets get.
 */

const ROLES = {
  fg: 'var(--fg)',
  bg: 'var(--bg)',
  muted: 'var(--muted)',
  activeLine: 'var(--vscode-editorLineNumber-activeForeground, var(--fg))',
  lead: 'var(--lead)',
  cont: 'var(--cont)',
  invalid: 'var(--invalid)',
  selection: 'var(--selection)',
  inactiveSelection: 'var(--inactive-selection)',
  selectionFg: 'var(--vscode-editor-selectionForeground, var(--bg))',
  line: 'var(--line)',
  lineBorder: 'var(--line-border)',
  cursor: 'var(--cursor)',
  focus: 'var(--focus)',
  paneTint: 'color-mix(in srgb, var(--focus) 5%, transparent)',
  hover: 'var(--hover)',
  unsaved: 'var(--unsaved)',
  unsavedBg: 'color-mix(in srgb, var(--unsaved) 22%, transparent)',
  match: 'var(--match)',
  findScope: 'var(--vscode-editor-findRangeHighlightBackground, rgba(58, 61, 65, 0.4))',
  matchCur: 'var(--match-cur)',
  matchBorder: 'var(--match-border)',
  contrast: 'var(--contrast)',
  diff: 'var(--diff)',
  diffCur: 'color-mix(in srgb, var(--diff-strong) 45%, transparent)',
  diffMark: 'var(--diff-strong)',
  flash: 'var(--vscode-editorWarning-foreground, #cca700)',
  pill: 'color-mix(in srgb, var(--lead) 18%, transparent)',
  pillBorder: 'color-mix(in srgb, var(--lead) 55%, transparent)',
  invalidPill: 'color-mix(in srgb, var(--invalid) 15%, transparent)',
  invalidPillBorder: 'color-mix(in srgb, var(--invalid) 55%, transparent)',
  border: 'var(--vscode-editorGroup-border, rgba(128, 128, 128, 0.25))',
  // Marks on the scrollbar, in the colours of VS Code's own overview ruler.
  rulerModified: 'var(--vscode-editorOverviewRuler-modifiedForeground, var(--unsaved))',
  rulerMatch: 'var(--vscode-editorOverviewRuler-findMatchForeground, rgba(209, 134, 22, 0.8))',
  rulerError: 'var(--vscode-editorOverviewRuler-errorForeground, var(--invalid))',
} as const;

/**
 * Bookmark colours, in BOOKMARK_COLORS' order: VS Code's chart colours (every
 * theme defines them), with its dark theme's values for a bare browser.
 */
const BOOKMARK_VALUES = [
  'var(--vscode-charts-blue, #3794ff)', 'var(--vscode-charts-green, #89d185)', 'var(--vscode-charts-yellow, #cca700)',
  'var(--vscode-charts-orange, #d18616)', 'var(--vscode-charts-red, #f14c4c)', 'var(--vscode-charts-purple, #b180d7)',
];

export type Palette = { [K in keyof typeof ROLES]: string } & {
  highContrast: boolean;
  /** Each bookmark colour, solid (markers, the scrollbar) and as a tint behind bytes. */
  bookmarks: string[];
  bookmarkTints: string[];
};

/** Resolves every role under `host` (whose custom properties apply). */
export function readPalette(host: HTMLElement): Palette {
  const probe = document.createElement('div');
  probe.style.display = 'none';
  host.appendChild(probe);
  const out = {} as Record<string, string>;
  const resolve = (value: string): string => {
    probe.style.color = '';
    probe.style.color = value;
    return getComputedStyle(probe).color || '#888';
  };
  for (const [role, value] of Object.entries(ROLES)) out[role] = resolve(value);
  const bookmarks = BOOKMARK_VALUES.map(resolve);
  const bookmarkTints = BOOKMARK_VALUES.map((v) => resolve(`color-mix(in srgb, ${v} 30%, transparent)`));
  probe.remove();
  return {
    ...(out as { [K in keyof typeof ROLES]: string }), highContrast: document.body.classList.contains('vscode-high-contrast'),
    bookmarks, bookmarkTints,
  };
}

/** True when a resolved colour draws nothing. */
export function isTransparent(color: string): boolean {
  return color === 'transparent' || /^rgba\(.*,\s*0\)$/.test(color) || /\/\s*0\)$/.test(color);
}
