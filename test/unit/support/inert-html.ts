/**
 * Parses generated HTML (report.html) in a happy-dom window that runs and loads nothing, so a test
 * sees exactly the markup a receiver's browser would get. Windows are closed after each test.
 */
import { Window } from 'happy-dom';
import { afterEach } from 'vitest';

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

export function parseInert(text: string): Document {
  const window = new Window({
    settings: { disableJavaScriptEvaluation: true, disableJavaScriptFileLoading: true },
  });
  windows.push(window);
  window.document.write(text);
  return window.document as unknown as Document;
}
