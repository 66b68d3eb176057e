/**
 * Opens a saved or hand-built page in a fresh happy-dom window at the address it was shown at,
 * with scripts, style sheets and frames left unloaded: adapters read the markup alone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Window } from 'happy-dom';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/adapters');

export interface FixturePage {
  document: Document;
  close(): Promise<void>;
}

export function openFixture(adapterId: string, fixture: string, url: string): FixturePage {
  const html = readFileSync(join(FIXTURES, adapterId, fixture), 'utf8');
  const window = new Window({
    url,
    settings: {
      disableJavaScriptEvaluation: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
      disableIframePageLoading: true,
      disableComputedStyleRendering: true,
    },
  });
  window.document.write(html);
  return {
    document: window.document as unknown as Document,
    close: () => window.happyDOM.close(),
  };
}
