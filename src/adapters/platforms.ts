/**
 * Known live-shopping platforms: the live-room pages where preservation starts by itself, written as
 * Chrome match patterns. The manifest's static content script lists exactly these patterns
 * (`test/unit/adapters/platforms.test.ts` keeps the two in step).
 */
export const KNOWN_PLATFORMS: readonly { id: string; hosts: RegExp; livePages: readonly string[] }[] = [
  {
    id: 'douyin',
    hosts: /(^|\.)douyin\.com$/,
    livePages: [
      'https://live.douyin.com/*',
      'https://www.douyin.com/follow/live/*',
      'https://www.douyin.com/root/live/*',
    ],
  },
  { id: 'kuaishou', hosts: /(^|\.)kuaishou\.com$/, livePages: ['https://live.kuaishou.com/u/*'] },
  {
    id: 'taobao',
    hosts: /(^|\.)(taobao|tmall)\.com$/,
    livePages: ['https://tbzb.taobao.com/live*', 'https://tbzb.taobao.com/follow*'],
  },
  { id: 'tiktok', hosts: /(^|\.)tiktok\.com$/, livePages: ['https://www.tiktok.com/*/live*'] },
  {
    id: 'youtube',
    hosts: /(^|\.)youtube\.com$/,
    livePages: ['https://www.youtube.com/live/*', 'https://www.youtube.com/live_chat?*'],
  },
  { id: 'bilibili', hosts: /(^|\.)bilibili\.com$/, livePages: ['https://live.bilibili.com/*'] },
];

/** The platform id for a page: a known platform, else `web`. */
export function platformOf(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return 'web';
  }
  return KNOWN_PLATFORMS.find((p) => p.hosts.test(host))?.id ?? 'web';
}

/** A Chrome match pattern (`https://host/path*`) as a RegExp over the full URL. */
export function matchPatternRegExp(pattern: string): RegExp {
  const m = /^(https?|\*):\/\/(\*|(?:\*\.)?[^/*]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`bad match pattern ${pattern}`);
  const [, scheme, host, path] = m as unknown as [string, string, string, string];
  const esc = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const schemeRe = scheme === '*' ? 'https?' : scheme;
  const hostRe =
    host === '*' ? '[^/]+' : host.startsWith('*.') ? `(?:[^/]+\\.)?${esc(host.slice(2))}` : esc(host);
  const pathRe = path.split('*').map(esc).join('.*');
  return new RegExp(`^${schemeRe}://${hostRe}(?::\\d+)?${pathRe}$`, 'i');
}

const LIVE_PAGE_RES = KNOWN_PLATFORMS.flatMap((p) => p.livePages.map(matchPatternRegExp));

/** Whether a URL is a live room that LiveProof preserves without being asked. */
export function isKnownLivePage(url: string): boolean {
  return LIVE_PAGE_RES.some((re) => re.test(url));
}
