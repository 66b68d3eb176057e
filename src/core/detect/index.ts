/**
 * The detection engine: finds off-platform solicitation, prices and price traps, promises, extreme
 * and health claims, pressure and sob-story cues in live-stream text (domain.md §1–§2). Pure: no
 * browser or extension API; the background feeds it and decides what to show.
 */
import type { Detection, DetectInput } from './types';
import { detectOne } from './session';

export type { Amount, Category, Detection, DetectInput, DetectorOptions, Tier } from './types';
export { SessionDetector, DEFAULT_WINDOW_LINES, DEFAULT_WINDOW_MS } from './session';
export { normalize, normalizeLayer } from './normalize';
export type { Layer } from './normalize';

/** Stateless one-text detection (source = [seq] given). */
export function detectText(text: string, seq = 0, kind: DetectInput['kind'] = 'chat'): Detection[] {
  return detectOne(text, seq, kind);
}

/**
 * Every rule id the engine reports, for message ids and settings in the UI. The corpus test checks
 * that this list is complete and that each rule is exercised by at least one labelled case.
 */
export const RULES = [
  'off-platform/avoid-platform',
  'off-platform/bank-account',
  'off-platform/channel-invite',
  'off-platform/contact-email',
  'off-platform/contact-handle',
  'off-platform/contact-phone',
  'off-platform/contact-qq',
  'off-platform/contact-telegram',
  'off-platform/contact-wechat',
  'off-platform/contact-whatsapp',
  'off-platform/group-invite',
  'off-platform/link',
  'off-platform/long-digits',
  'off-platform/other-platform',
  'off-platform/pay-outside',
  'off-platform/pointer',
  'off-platform/private-chat',
  'off-platform/qr-code',
  'off-platform/review-cashback',
  'off-platform/transfer',
  'price/amount',
  'price/card',
  'price/discount-rate',
  'price/free',
  'price/free-shipping',
  'price/second-item',
  'price/shipping-extra',
  'price/threshold-discount',
  'price-trap/announced',
  'price-trap/card',
  'price-trap/card-chat',
  'price-trap/headline-fee',
  'promise/authenticity',
  'promise/damage',
  'promise/delivery',
  'promise/efficacy',
  'promise/gift',
  'promise/price-protection',
  'promise/return',
  'promise/shipping-insurance',
  'promise/unfair',
  'promise/warranty',
  'extreme-claim/absolute',
  'extreme-claim/brand-status',
  'extreme-claim/first',
  'extreme-claim/level',
  'extreme-claim/most',
  'extreme-claim/platform-banned',
  'extreme-claim/state-authority',
  'health-claim/cosmetic',
  'health-claim/exaggeration',
  'health-claim/false-origin',
  'health-claim/medical',
  'health-claim/safety',
  'pressure/deadline',
  'pressure/scarcity',
  'sob-story/hardship',
  'sob-story/loss',
] as const;
export type RuleId = (typeof RULES)[number];
