/**
 * Messages between the inspector view (webview/inspector) and the host
 * (extension/inspect/inspectorView.ts). Small and JSON-safe
 * (webview views get JSON, not structured clone, on some hosts), so bytes
 * travel as number arrays of at most a few dozen entries.
 */

/** Bytes around the cursor sent to the view: enough context for a whole character and 8 bytes of numbers. */
export const CONTEXT_BEFORE = 3;
export const BYTES_AFTER = 8;

export interface InspectorState {
  fileName: string;
  fileSize: number;
  cursor: number;
  /** File offset of bytes[0]; bytes are the document's (edits applied), cut at the file's ends. */
  bytesOffset: number;
  bytes: number[];
  selection: { offset: number; length: number; chars?: number; lines?: number; invalid?: number; counting: boolean };
  littleEndian: boolean;
}

export type HostToInspector = { type: 'state'; state: InspectorState } | { type: 'empty'; littleEndian: boolean };

export type InspectorToHost = { type: 'ready' } | { type: 'setLittleEndian'; value: boolean };

export function parseInspectorMessage(raw: unknown): InspectorToHost | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'setLittleEndian' && typeof m.value === 'boolean') return { type: 'setLittleEndian', value: m.value };
  return undefined;
}
