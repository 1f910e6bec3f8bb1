/**
 * Messages between the inspector view (webview/inspector) and the host
 * (extension/inspect/inspectorView.ts). Small and JSON-safe
 * (webview views get JSON, not structured clone, on some hosts), so bytes
 * travel as number arrays of at most a few dozen entries.
 */
import type { TextEncoding } from './encodings/types';
import { isEditableField, type EditableField } from './inspectEncode';

/** Bytes around the cursor sent to the view: enough context for a whole character, and 16 bytes for a GUID or a long LEB128. */
export const CONTEXT_BEFORE = 3;
export const BYTES_AFTER = 16;

/** Longest text accepted for one value (a GUID in braces is 38 characters; the rest is slack for spaces). */
export const MAX_EDIT_TEXT = 100;

export interface InspectorState {
  fileName: string;
  fileSize: number;
  cursor: number;
  /** File offset of bytes[0]; bytes are the document's (edits applied), cut at the file's ends. */
  bytesOffset: number;
  bytes: number[];
  selection: { offset: number; length: number; chars?: number; lines?: number; invalid?: number; counting: boolean };
  littleEndian: boolean;
  /** Whether values can be typed in (false when the document is read-only). Absent means false. */
  editable?: boolean;
  /** The text pane's encoding: the character at the cursor and the selection's count are in it. Absent means UTF-8. */
  encoding?: TextEncoding;
}

export type HostToInspector =
  | { type: 'state'; state: InspectorState }
  | { type: 'empty'; littleEndian: boolean }
  /** An edit the view asked for was refused (bad value, past the end, read-only); `message` says why. */
  | { type: 'editError'; field: EditableField; offset: number; message: string };

export type InspectorToHost =
  | { type: 'ready' }
  | { type: 'setLittleEndian'; value: boolean }
  /** Write `text` as `field` at `offset` (the cursor the view showed), as one undoable edit. */
  | { type: 'editValue'; offset: number; field: EditableField; text: string; littleEndian: boolean };

export function parseInspectorMessage(raw: unknown): InspectorToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'setLittleEndian' && typeof m.value === 'boolean') return { type: 'setLittleEndian', value: m.value };
  if (m.type === 'editValue' && Number.isSafeInteger(m.offset) && (m.offset as number) >= 0 && isEditableField(m.field)
    && typeof m.text === 'string' && m.text.length <= MAX_EDIT_TEXT && typeof m.littleEndian === 'boolean') {
    return { type: 'editValue', offset: m.offset as number, field: m.field, text: m.text, littleEndian: m.littleEndian };
  }
  return undefined;
}
