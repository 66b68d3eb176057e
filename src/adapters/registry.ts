import type { Adapter } from './types';
import { generic } from './generic';

/** Site adapters, most specific first; `generic` is the fallback for every other page. */
export const ADAPTERS: readonly Adapter[] = [generic];

export function adapterFor(url: string): Adapter {
  return ADAPTERS.find((a) => a.matches.some((m) => m.test(url))) ?? generic;
}
