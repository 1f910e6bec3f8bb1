/**
 * A few of the CSS variables VS Code defines in a webview, per theme kind,
 * so the test page looks (and is checked for legibility) as it would inside
 * VS Code. Values are those of Dark Modern / Light Modern / Dark High Contrast.
 */
export type ThemeKind = 'dark' | 'light' | 'high-contrast';

const common = {
  '--vscode-editor-font-family': "'DejaVu Sans Mono', 'Droid Sans Mono', monospace",
  '--vscode-editor-font-size': '14px',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
};

export const themes: Record<ThemeKind, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      '--vscode-editor-background': '#1f1f1f', '--vscode-editor-foreground': '#cccccc',
      '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editor-selectionBackground': '#264f78',
      '--vscode-editor-inactiveSelectionBackground': '#3a3d41', '--vscode-editor-lineHighlightBorder': '#282828',
      '--vscode-editorCursor-foreground': '#aeafad', '--vscode-focusBorder': '#0078d4',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-purple': '#b180d7', '--vscode-errorForeground': '#f85149',
      '--vscode-editorWidget-background': '#202020', '--vscode-editorWidget-border': '#313131',
      '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c',
      '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', '--vscode-editor-findMatchBackground': '#9e6a03',
      '--vscode-editorGutter-modifiedBackground': '#0078d4',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#3b3b3b',
      '--vscode-editorLineNumber-foreground': '#6e7681', '--vscode-editor-selectionBackground': '#add6ff',
      '--vscode-editor-inactiveSelectionBackground': '#e5ebf1', '--vscode-editor-lineHighlightBackground': '#f5f5f5',
      '--vscode-editorCursor-foreground': '#000000', '--vscode-focusBorder': '#005fb8',
      '--vscode-charts-blue': '#1a85ff', '--vscode-charts-purple': '#652d90', '--vscode-errorForeground': '#e51400',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-editorWidget-border': '#e5e5e5',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece',
      '--vscode-editor-findMatchHighlightBackground': 'rgba(234, 92, 0, 0.33)', '--vscode-editor-findMatchBackground': '#a8ac94',
      '--vscode-editorGutter-modifiedBackground': '#2090d3', '--vscode-scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
      '--vscode-editorGroup-border': '#e5e5e5',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff',
      '--vscode-editorLineNumber-foreground': '#ffffff', '--vscode-editor-selectionBackground': '#ffffff',
      '--vscode-editor-selectionForeground': '#000000', '--vscode-editor-inactiveSelectionBackground': '#ffffff',
      '--vscode-editor-lineHighlightBorder': '#f38518', '--vscode-editorCursor-foreground': '#ffffff',
      '--vscode-focusBorder': '#f38518', '--vscode-contrastActiveBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df',
      '--vscode-charts-blue': '#3794ff', '--vscode-charts-purple': '#b180d7', '--vscode-errorForeground': '#f48771',
      '--vscode-editorWidget-background': '#0c141f', '--vscode-editorWidget-border': '#6fc3df',
      '--vscode-input-background': '#000000', '--vscode-input-foreground': '#ffffff', '--vscode-input-border': '#6fc3df',
      '--vscode-editor-findMatchBorder': '#f38518', '--vscode-editor-findMatchHighlightBackground': 'transparent',
      '--vscode-editorGutter-modifiedBackground': '#1b81a8', '--vscode-scrollbarSlider-background': 'rgba(111, 195, 223, 0.6)',
    },
  },
};
