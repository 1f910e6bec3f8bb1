// A node:test reporter for the run under wine: one JSON line per finished test, so the Linux side
// (test/support/wineTestRun.ts) can rebuild the tree and report each test into the main `npm test` run.
// Runs inside node.exe; plain JavaScript so it needs no bundling.
export default async function* wineReporter(source) {
  for await (const event of source) {
    // What the test files print to stderr (warnings such as removeTree's), passed on as-is.
    if (event.type === 'test:stderr') yield `${JSON.stringify({ stderr: event.data.message })}\n`;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { name, nesting, file, skip, todo, details } = event.data;
    const error = details?.error;
    yield `${JSON.stringify({
      passed: event.type === 'test:pass', name, nesting, file, skip, todo, ms: details?.duration_ms,
      error: error ? String(error.cause?.stack ?? error.stack ?? error.message ?? error) : undefined,
    })}\n`;
  }
}
