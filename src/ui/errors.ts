import type { MessageKey } from '../core/i18n';
import type { ErrorCode } from '../core/protocol';
import { t } from '../i18n';
import { RequestFailed } from './messaging';

const KEYS: Record<ErrorCode, MessageKey> = {
  'bad-message': 'errorInternal',
  'unknown-message': 'errorInternal',
  'forbidden-sender': 'errorInternal',
  'bad-request': 'errorInternal',
  'tab-not-found': 'errorTabNotFound',
  'unsupported-page': 'errorUnsupportedPage',
  'not-preserving': 'errorNotPreserving',
  'tab-not-visible': 'errorTabNotVisible',
  'capture-failed': 'errorCaptureFailed',
  'storage-full': 'errorStorageFull',
  paused: 'popupErrorPaused',
  'video-not-invoked': 'videoErrorNotInvoked',
  'video-background-tab': 'videoErrorBackgroundTab',
  'video-unavailable': 'videoErrorUnavailable',
  'video-off': 'videoErrorOff',
  'video-empty': 'videoErrorEmpty',
  internal: 'errorInternal',
};

/** A failure as a sentence in the user's language. */
export function describeError(err: unknown): string {
  if (err instanceof RequestFailed) return t(KEYS[err.code], err.message);
  return t('errorInternal', err instanceof Error ? err.message : String(err));
}
