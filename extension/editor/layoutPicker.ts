/**
 * "Hexmap: Change Layout…": a quick pick of what to change (bytes per row,
 * group size, cell format, each showing its current value), then of the new
 * value. The choice is written to the settings, where the user already set
 * it (the workspace) or else to the user settings; the configuration
 * change then re-lays every open editor (extension.ts). The rules for what a
 * valid layout is live in layoutSettings.ts; this file only asks.
 */
import * as vscode from 'vscode';
import { CELL_FORMATS, GROUP_SIZES, MAX_BYTES_PER_ROW, type LayoutSettings } from '../../shared/protocol';
import { CELL_FORMAT_NAMES, describeLayout, parseBytesPerRow, readLayout, type LAYOUT_KEYS } from './layoutSettings';

type Key = (typeof LAYOUT_KEYS)[number];
interface Choice<T> extends vscode.QuickPickItem { value: T }

const COMMON_ROWS = [8, 16, 24, 32, 48, 64];

export function currentLayout(): LayoutSettings {
  const config = vscode.workspace.getConfiguration('hexmap');
  return readLayout((key) => config.get(key));
}

export async function changeLayout(): Promise<void> {
  const layout = currentLayout();
  const aspect = await vscode.window.showQuickPick<Choice<Key>>([
    { label: 'Bytes per Row', description: layout.bytesPerRow === 'fit' ? 'fit to width' : String(layout.bytesPerRow), value: 'bytesPerRow' },
    { label: 'Group Size', description: layout.groupSize === 1 ? 'no groups' : `${layout.groupSize} bytes`, value: 'groupSize' },
    { label: 'Cell Format', description: CELL_FORMAT_NAMES[layout.cellFormat], value: 'cellFormat' },
  ], { title: 'Hexmap: Change Layout', placeHolder: describeLayout(layout) });
  if (!aspect) return;
  const value = aspect.value === 'bytesPerRow' ? await pickBytesPerRow(layout)
    : aspect.value === 'groupSize' ? await pick(GROUP_SIZES.map((g) => ({ label: g === 1 ? '1 (no groups)' : `${g} bytes`, value: g })), layout.groupSize, 'Group Size')
      : await pick(CELL_FORMATS.map((f) => ({ label: CELL_FORMAT_NAMES[f], value: f })), layout.cellFormat, 'Cell Format');
  if (value === undefined) return;
  await writeSetting(aspect.value, value);
}

async function pick<T>(choices: Choice<T>[], current: T, title: string): Promise<T | undefined> {
  for (const c of choices) if (c.value === current) c.description = 'current';
  const chosen = await vscode.window.showQuickPick(choices, { title: `Hexmap: ${title}` });
  return chosen?.value;
}

async function pickBytesPerRow(layout: LayoutSettings): Promise<number | 'fit' | undefined> {
  const choice = await pick<number | 'fit' | 'custom'>([
    { label: 'Fit to Width', detail: 'As many whole groups as fit the editor, recomputed on resize', value: 'fit' },
    ...COMMON_ROWS.map((n) => ({ label: String(n), value: n })),
    { label: 'Other…', detail: `Any number from 1 to ${MAX_BYTES_PER_ROW}`, value: 'custom' },
  ], layout.bytesPerRow, 'Bytes per Row');
  if (choice !== 'custom') return choice;
  const typed = await vscode.window.showInputBox({
    title: 'Hexmap: Bytes per Row', prompt: `1 to ${MAX_BYTES_PER_ROW}`,
    value: layout.bytesPerRow === 'fit' ? '' : String(layout.bytesPerRow),
    validateInput: (text) => (/^\s*\d+\s*$/.test(text) && Number(text) >= 1 && Number(text) <= MAX_BYTES_PER_ROW ? undefined : `A whole number from 1 to ${MAX_BYTES_PER_ROW}`),
  });
  return typed === undefined ? undefined : parseBytesPerRow(typed);
}

/** Writes to the workspace settings when the value is set there (they would hide a user setting), else to the user settings. */
async function writeSetting(key: Key, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('hexmap');
  const target = config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}
