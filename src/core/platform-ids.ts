/** The known live platforms, in the order the options page lists them (`adapters/platforms.ts` has their pages). */
export const KNOWN_PLATFORM_IDS = ['douyin', 'kuaishou', 'taobao', 'tiktok', 'youtube', 'bilibili'] as const;
export type KnownPlatformId = (typeof KNOWN_PLATFORM_IDS)[number];
