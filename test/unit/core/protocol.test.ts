import { describe, expect, it } from 'vitest';
import { MESSAGES, classifySender, type SenderLike } from '../../../src/core/protocol';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const SELF = { id: ID, origin: `chrome-extension://${ID}` };
const FIREFOX = {
  id: 'liveproof@example.org',
  origin: 'moz-extension://0b3c8f5e-1111-4222-8333-944455556666',
};

describe('classifySender: who is talking to the background', () => {
  it.each<[string, SenderLike, ReturnType<typeof classifySender>]>([
    ['the popup', { id: ID, url: `${SELF.origin}/src/popup/index.html` }, 'extension-page'],
    [
      'the locker opened in a tab',
      { id: ID, url: `${SELF.origin}/src/locker/index.html`, tab: { id: 4 } },
      'extension-page',
    ],
    [
      'a content script in a live room',
      { id: ID, url: 'https://live.douyin.com/1', tab: { id: 3 }, frameId: 0 },
      'content',
    ],
    [
      'a content script on plain http',
      { id: ID, url: 'http://127.0.0.1:8080/live', tab: { id: 0 }, frameId: 0 },
      'content',
    ],
    [
      'a content script, scheme in capitals',
      { id: ID, url: 'HTTPS://LIVE.DOUYIN.COM/1', tab: { id: 3 } },
      'content',
    ],
    ['another extension', { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: `${SELF.origin}/popup.html` }, null],
    ['a sender without an id (a web page)', { url: 'https://live.douyin.com/1', tab: { id: 3 } }, null],
    ['our id on a look-alike origin', { id: ID, url: `chrome-extension://${ID}x/popup.html` }, null],
    ['our origin without the slash', { id: ID, url: SELF.origin }, null],
    ['our id, http page but no tab', { id: ID, url: 'https://live.douyin.com/1' }, null],
    ['our id in a file:// page', { id: ID, url: 'file:///home/me/page.html', tab: { id: 3 } }, null],
    ['our id in a browser page', { id: ID, url: 'chrome://settings/', tab: { id: 3 } }, null],
    ['our id, javascript: url', { id: ID, url: 'javascript:alert(1)', tab: { id: 3 } }, null],
    ['our id, no url at all', { id: ID, tab: { id: 3 } }, null],
    ['nothing known', {}, null],
  ])('%s', (_, sender, kind) => {
    expect(classifySender(sender, SELF)).toBe(kind);
  });

  it('recognises Firefox extension pages by their moz-extension origin', () => {
    expect(classifySender({ id: FIREFOX.id, url: `${FIREFOX.origin}/popup.html` }, FIREFOX)).toBe(
      'extension-page',
    );
    expect(classifySender({ id: FIREFOX.id, url: `${SELF.origin}/popup.html` }, FIREFOX)).toBeNull();
  });
});

describe('MESSAGES', () => {
  it('lets no content script send any extension-page message', () => {
    for (const [name, def] of Object.entries(MESSAGES)) expect(def.from, name).not.toContain('content');
  });
});
