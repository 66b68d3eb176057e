import { describe, expect, it } from 'vitest';
import {
  KNOWN_PLATFORMS,
  isKnownLivePage,
  matchPatternRegExp,
  platformOf,
} from '../../../src/adapters/platforms';
import manifest from '../../../manifest.json';

/** Live rooms: preservation starts by itself here. */
const LIVE_ROOMS: [url: string, platform: string][] = [
  ['https://live.douyin.com/123456', 'douyin'],
  ['https://live.douyin.com/123456?enter_from_merge=web_live', 'douyin'],
  ['https://www.douyin.com/follow/live/7', 'douyin'],
  ['https://www.douyin.com/root/live/880123456', 'douyin'],
  ['https://live.kuaishou.com/u/3xabc', 'kuaishou'],
  ['https://tbzb.taobao.com/live?liveId=1', 'taobao'],
  ['https://www.tiktok.com/@shop/live', 'tiktok'],
  ['https://www.tiktok.com/@shop/live?lang=en', 'tiktok'],
  ['https://www.youtube.com/live/abc', 'youtube'],
  ['https://www.youtube.com/live_chat?v=x', 'youtube'],
  ['https://live.bilibili.com/21452505', 'bilibili'],
];

/** Pages of the same platforms that are not a live room. */
const SAME_HOST_NOT_LIVE: [url: string, platform: string][] = [
  ['https://www.douyin.com/video/1', 'douyin'],
  ['https://www.douyin.com/', 'douyin'],
  ['https://www.kuaishou.com/short-video/3x', 'kuaishou'],
  ['https://live.kuaishou.com/', 'kuaishou'],
  ['https://www.tiktok.com/@shop', 'tiktok'],
  ['https://www.tiktok.com/@liveshop', 'tiktok'],
  ['https://www.youtube.com/watch?v=1', 'youtube'],
  ['https://www.youtube.com/@channel/live', 'youtube'],
  ['https://www.taobao.com/', 'taobao'],
  ['https://item.taobao.com/item.htm?id=1', 'taobao'],
  ['https://www.bilibili.com/video/BV1xx', 'bilibili'],
  ['http://live.douyin.com/123456', 'douyin'], // the patterns are https only
];

/** Everyone else, including look-alikes of the live hosts. */
const OTHER_SITES = [
  'http://127.0.0.1:8080/live/1',
  'https://example.com/',
  'https://example.com/live.douyin.com/1',
  'https://live.douyin.com.example.com/1',
  'https://notdouyin.com/live/1',
  'chrome://extensions/',
  'not a url',
];

describe('known live pages', () => {
  it.each(LIVE_ROOMS)('%s is a %s live room', (url, platform) => {
    expect(isKnownLivePage(url)).toBe(true);
    expect(platformOf(url)).toBe(platform);
  });

  it.each(SAME_HOST_NOT_LIVE)('%s is %s but not a live room', (url, platform) => {
    expect(isKnownLivePage(url)).toBe(false);
    expect(platformOf(url)).toBe(platform);
  });

  it.each(OTHER_SITES)('%s is neither a live room nor a known platform', (url) => {
    expect(isKnownLivePage(url)).toBe(false);
    expect(platformOf(url)).toBe('web');
  });

  it('has a unique id for every platform', () => {
    const ids = KNOWN_PLATFORMS.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain('web');
  });

  it('every live-page pattern is on its own platform’s hosts', () => {
    for (const p of KNOWN_PLATFORMS)
      for (const pattern of p.livePages) expect(p.hosts.test(new URL(pattern).hostname), pattern).toBe(true);
  });
});

describe('the manifest and the code agree', () => {
  it('the static content script runs on exactly the known live pages', () => {
    const matches = manifest.content_scripts.flatMap((c) => c.matches);
    const livePages = KNOWN_PLATFORMS.flatMap((p) => p.livePages);
    expect(new Set(matches).size).toBe(matches.length);
    expect([...matches].sort()).toEqual([...livePages].sort());
  });
});

describe('matchPatternRegExp (Chrome match patterns)', () => {
  it('matches any path under a host with "/*" and any port', () => {
    const re = matchPatternRegExp('https://live.bilibili.com/*');
    expect(re.test('https://live.bilibili.com/')).toBe(true);
    expect(re.test('https://live.bilibili.com:8443/1')).toBe(true);
    expect(re.test('https://live.bilibili.comx/1')).toBe(false);
    expect(re.test('https://x.live.bilibili.com/1')).toBe(false);
  });

  it('"*." matches the domain itself and its subdomains only', () => {
    const re = matchPatternRegExp('https://*.douyin.com/*');
    expect(re.test('https://douyin.com/a')).toBe(true);
    expect(re.test('https://live.douyin.com/a')).toBe(true);
    expect(re.test('https://evildouyin.com/a')).toBe(false);
  });

  it('"*" scheme means http and https only', () => {
    const re = matchPatternRegExp('*://example.com/*');
    expect(re.test('http://example.com/')).toBe(true);
    expect(re.test('https://example.com/')).toBe(true);
    expect(re.test('ftp://example.com/')).toBe(false);
  });

  it('treats dots and question marks in a pattern literally', () => {
    const re = matchPatternRegExp('https://www.youtube.com/live_chat?v=*');
    expect(re.test('https://www.youtube.com/live_chat?v=abc')).toBe(true);
    expect(re.test('https://wwwXyoutube.com/live_chat?v=abc')).toBe(false);
    expect(re.test('https://www.youtube.com/live_chatv=abc')).toBe(false);
  });

  it('rejects what is not a match pattern', () => {
    expect(() => matchPatternRegExp('live.douyin.com')).toThrow(/bad match pattern/);
    expect(() => matchPatternRegExp('https://live.douyin.com')).toThrow(/bad match pattern/);
  });
});
