/**
 * The setup every webview test file shares: one headless Chromium (with its
 * static server) and one temp folder of test files, made before the file's
 * first test and closed / deleted after its last.
 *
 *   const env = editorSuite();
 *   it('...', async () => { const ed = await openEditor(env.browser, env.files.write('a.bin', bytes)); ... });
 */
import { after, before } from 'node:test';
import { EditorTestBrowser } from './editorHarness';
import { TestFiles } from './testFiles';

export interface EditorSuite {
  readonly browser: EditorTestBrowser;
  readonly files: TestFiles;
}

/** Registers the before/after hooks of the calling test file; `browser: false` for files that only need test files. */
export function editorSuite({ browser = true } = {}): EditorSuite {
  let tb: EditorTestBrowser | undefined;
  let files: TestFiles | undefined;
  before(async () => {
    files = new TestFiles();
    if (browser) tb = await EditorTestBrowser.launch();
  });
  after(async () => {
    await tb?.close();
    files?.cleanup();
  });
  return {
    get browser(): EditorTestBrowser {
      if (!tb) throw new Error('editorSuite: no browser (outside a test, or made with browser: false)');
      return tb;
    },
    get files(): TestFiles {
      if (!files) throw new Error('editorSuite: used outside a test');
      return files;
    },
  };
}
