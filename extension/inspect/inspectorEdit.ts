/**
 * A value typed into the inspector, applied to the document: encoded again
 * here on the document's current bytes (the view's copy may be a moment
 * old), checked against the file's end, and written as one undoable edit
 * through the model. vscode-free, so the tests run it on a real model.
 */
import type { DocumentModel } from '../document/documentModel';
import { encodeValue, FIELD_LABELS, type EditableField } from '../../shared/inspectEncode';
import { BYTES_AFTER } from '../../shared/inspectMessages';

export interface ValueEdit {
  offset: number;
  field: EditableField;
  text: string;
  littleEndian: boolean;
}

/** Applies the edit; resolves to undefined when done (or nothing changed), else to the reason it was refused. */
export async function applyValueEdit(model: DocumentModel, edit: ValueEdit): Promise<string | undefined> {
  const label = FIELD_LABELS[edit.field];
  if (model.readOnly) return `The file cannot be edited: ${model.readOnlyReason ?? 'it is read-only'}.`;
  const size = model.size;
  if (edit.offset >= size) return `Offset 0x${edit.offset.toString(16).toUpperCase()} is past the end of the file.`;
  const current = await model.read(edit.offset, Math.min(BYTES_AFTER, size - edit.offset));
  const encoded = encodeValue(edit.field, edit.text, edit.littleEndian, current);
  if ('error' in encoded) return encoded.error;
  const { bytes } = encoded;
  if (bytes.length > current.length) {
    return `${label} takes ${bytes.length} bytes, but only ${current.length} ${current.length === 1 ? 'is' : 'are'} left before the end of the file.`;
  }
  if (bytes.every((b, i) => b === current[i])) return undefined; // same bytes: no edit, no undo entry
  try {
    model.edit(edit.offset, bytes, `Set ${label} to ${edit.text.trim()}`);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return undefined;
}
