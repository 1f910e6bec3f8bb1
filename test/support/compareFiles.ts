/**
 * Runs the compare engine over two real files opened as HexDocumentModels
 * (the readers the extension uses), collecting what it streams.
 */
import { HexDocumentModel } from '../../extension/document/hexDocumentModel';
import { compareDocuments, type CompareTuning } from '../../extension/compare/compareEngine';
import type { CompareOptions, CompareSummary, DiffRange } from '../../extension/compare/types';
import type { DocBackend, TempDir } from './documentFiles';

let fileNo = 0;

export interface ComparedFiles { summary: CompareSummary; streamed: DiffRange[]; pathA: string; pathB: string }

export async function compareFiles(
  dir: TempDir, backend: DocBackend, bytesA: Uint8Array, bytesB: Uint8Array,
  options: CompareOptions = {}, tuning: CompareTuning = {},
): Promise<ComparedFiles> {
  const pathA = dir.file(`a${++fileNo}.bin`, bytesA);
  const pathB = dir.file(`b${fileNo}.bin`, bytesB);
  return comparePaths(backend, pathA, pathB, options, tuning);
}

export async function comparePaths(
  backend: DocBackend, pathA: string, pathB: string, options: CompareOptions = {}, tuning: CompareTuning = {},
): Promise<ComparedFiles> {
  const modelA = new HexDocumentModel(await backend.open(pathA, false));
  const modelB = new HexDocumentModel(await backend.open(pathB, false));
  const streamed: DiffRange[] = [];
  try {
    const summary = await compareDocuments(modelA, modelB, { onRanges: (r) => streamed.push(...r), ...options }, tuning);
    return { summary, streamed, pathA, pathB };
  } finally {
    modelA.dispose();
    modelB.dispose();
  }
}
