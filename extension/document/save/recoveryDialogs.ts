/**
 * The VS Code dialogs for recovery at open time: an interrupted save
 * (recoveryFlow.ts decides what may be offered) and a hot-exit backup whose
 * file changed underneath (backup.ts).
 */
import * as vscode from 'vscode';
import type { BackupChoice } from './backup';
import { formatBytes } from './formatSize';
import type { RecoveryUi } from './recoveryFlow';

export const vscodeRecoveryUi: RecoveryUi = {
  async ask(path, startedAt, facts) {
    const restore = 'Restore Previous Bytes';
    const finish = 'Finish the Save';
    const what = [
      facts.changedBytes ? `${formatBytes(facts.changedBytes)} overwritten` : '',
      facts.movedBytes ? `${formatBytes(facts.movedBytes)} moved` : '',
    ].filter(Boolean).join(', ');
    const warning = facts.thirdPartyChange ? `\n\nCareful: ${facts.thirdPartyChange}. Either choice writes over that change.` : '';
    const buttons = facts.canRestore ? [restore, finish] : [finish];
    const pick = await vscode.window.showWarningMessage(
      `A save of ${path} was interrupted (started ${startedAt}${what ? `, ${what}` : ''}).`,
      { modal: true, detail: `Restore puts back exactly the file from before that save. Finish completes it exactly. Cancel opens the file read-only and asks again next time.${warning}` },
      ...buttons,
    );
    return pick === restore ? 'restore' : pick === finish ? 'finish' : 'later';
  },

  async blocked(path, reason) {
    const aside = 'Keep Journal Aside';
    const pick = await vscode.window.showWarningMessage(
      `A save of ${path} was interrupted, but its journal cannot be applied: ${reason}.`,
      { modal: true, detail: 'Keep Journal Aside renames the journal (nothing is deleted) and opens the file normally. Cancel opens it read-only and asks again next time.' },
      aside,
    );
    return pick === aside ? 'moveAside' : 'keep';
  },

  info(message) {
    void vscode.window.showInformationMessage(message);
  },

  error(message) {
    void vscode.window.showErrorMessage(message);
  },
};

/** A hot-exit backup over a file that changed since: never dropped silently. */
export async function askBackupOverChangedFile(fileName: string, problem: string, compare: () => Promise<void>): Promise<BackupChoice> {
  const keep = 'Keep My Edits';
  const discard = 'Discard My Edits';
  const compareLabel = 'Compare';
  for (;;) {
    const pick = await vscode.window.showWarningMessage(
      `${fileName} changed on disk since Hexmap backed up your unsaved edits: ${problem}.`,
      { modal: true, detail: 'Keep My Edits lays your edited bytes over the file as it is now (the document stays unsaved). Discard shows the file as it is on disk. Compare lists your edits beside the bytes on disk now.' },
      keep, compareLabel, discard,
    );
    if (pick === compareLabel) {
      await compare();
      continue;
    }
    return pick === keep ? 'keep' : pick === discard ? 'discard' : 'keep';
  }
}
