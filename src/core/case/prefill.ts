/** What the capture already knows for the 12315 fields: platform, anchor, room, product, price. */
import type { SealedEvent } from '../evidence';
import type { Translate, MessageKey } from '../i18n';
import { KNOWN_PLATFORM_IDS } from '../platform-ids';
import { emptyFields, type CaseFields } from './model';

export interface PrefillSession {
  platform: string;
  title: string;
  events: readonly SealedEvent[];
}

export function platformLabel(platform: string, t: Translate): string {
  // A page no adapter knows (the generic adapter's `web`): the same words as the popup and the locker.
  if (platform === 'web') return t('popupPlatformWeb');
  return (KNOWN_PLATFORM_IDS as readonly string[]).includes(platform)
    ? t(`platformName_${platform}` as MessageKey)
    : platform;
}

/** Fields filled from the sessions (the latest value the page showed wins); the rest stay empty. */
export function prefillFields(sessions: readonly PrefillSession[], t: Translate): CaseFields {
  const f = emptyFields();
  for (const s of sessions) {
    if (!f.platform && s.platform && s.platform !== 'web') f.platform = platformLabel(s.platform, t);
    for (const e of s.events) {
      const room =
        e.type === 'page'
          ? (e.data.room as Record<string, unknown> | undefined)
          : e.type === 'room'
            ? e.data
            : undefined;
      if (room) {
        const anchor = [room.anchorName, room.anchorId].filter((x) => typeof x === 'string' && x);
        if (anchor.length) f.anchorAccount = anchor.join(' / ');
        if (typeof room.roomId === 'string' && room.roomId) f.roomId = room.roomId;
      }
      if (e.type === 'product' && e.data.state !== 'gone') {
        if (typeof e.data.title === 'string' && e.data.title) f.product = e.data.title;
        const price = e.data.finalPrice ?? e.data.price;
        if (typeof price === 'string' && price) f.amount = price;
      }
    }
  }
  return f;
}
