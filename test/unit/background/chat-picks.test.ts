import { describe, expect, it, vi } from 'vitest';
import {
  ChatLists,
  chatPickSaved,
  forgetChatPick,
  tellTopFrame,
  type ChatPort,
} from '../../../src/background/chat-picks';
import { chatPickKey, type PortOut } from '../../../src/core/protocol';
import type { KeyValueArea } from '../../../src/background/tab-state';

const port = (frameId: number) => {
  const postMessage = vi.fn<(message: PortOut) => void>();
  return { sender: { frameId }, postMessage } satisfies ChatPort;
};

describe('ChatLists: where each tab stands with its chat', () => {
  it('the best of the page and its frames; forgotten when their Ports go away', () => {
    const lists = new ChatLists();
    const page = port(0);
    const frame = port(3);
    expect(lists.of(7)).toBeNull();
    lists.report(7, page, 'searching');
    expect(lists.of(7)).toBe('searching');
    lists.report(7, frame, 'found'); // YouTube: the chat is in the frame
    expect(lists.of(7)).toBe('found');
    lists.report(7, page, 'picked');
    expect(lists.of(7)).toBe('picked');
    lists.report(7, page, null);
    expect(lists.of(7)).toBe('found');
    lists.report(7, frame, null);
    expect(lists.of(7)).toBeNull();
    lists.report(8, page, 'found');
    lists.forgetTab(8);
    expect(lists.of(8)).toBeNull();
  });
});

describe('tellTopFrame', () => {
  it('tells only the top frame, and says whether one heard it', () => {
    const page = port(0);
    const frame = port(2);
    expect(tellTopFrame([frame], { t: 'pick' })).toBe(false);
    expect(tellTopFrame([frame, page], { t: 'pick' })).toBe(true);
    expect(page.postMessage).toHaveBeenCalledWith({ t: 'pick' });
    expect(frame.postMessage).not.toHaveBeenCalled();
    const gone = port(0);
    gone.postMessage.mockImplementation(() => {
      throw new Error('Attempting to use a disconnected port object');
    });
    expect(tellTopFrame([gone], { t: 'pick' })).toBe(false);
  });
});

describe('the chat area remembered per site', () => {
  it('is seen and forgotten by the tab’s origin, for web pages only', async () => {
    const items: Record<string, unknown> = {
      [chatPickKey('https://shop.example.com')]: { v: 1, path: ['ul'], savedAt: '2026-11-28T09:40:00.000Z' },
    };
    const area: KeyValueArea = {
      get: async (k) => (k in items ? { [k]: items[k] } : {}),
      set: async (more) => void Object.assign(items, more),
      remove: async (k) => void delete items[k],
    };
    expect(await chatPickSaved(area, 'https://shop.example.com/live/1?x=2')).toBe(true);
    expect(await chatPickSaved(area, 'https://other.example.com/live/1')).toBe(false);
    expect(await chatPickSaved(area, 'chrome://extensions')).toBe(false);
    expect(await forgetChatPick(area, 'https://shop.example.com/live/2')).toBe(true);
    expect(await chatPickSaved(area, 'https://shop.example.com/live/1')).toBe(false);
    expect(await forgetChatPick(area, 'https://shop.example.com/')).toBe(false);
  });
});
