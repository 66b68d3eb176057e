import type { Adapter } from './types';
import { generic } from './generic';
import { douyin } from './douyin';
import { kuaishou } from './kuaishou';
import { taobao } from './taobao';
import { tiktok } from './tiktok';
import { youtube } from './youtube';
import { bilibili } from './bilibili';

/** Site adapters, most specific first; `generic` is the fallback for every other page. */
export const ADAPTERS: readonly Adapter[] = [douyin, kuaishou, taobao, tiktok, youtube, bilibili, generic];

export function adapterFor(url: string): Adapter {
  return ADAPTERS.find((a) => a.matches.some((m) => m.test(url))) ?? generic;
}
