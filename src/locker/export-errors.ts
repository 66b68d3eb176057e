/** Why an export failed, in words for the person who asked for it (not the builder's error code). */
import { PackageBuildError } from '../core/package';
import type { MessageKey, Translate } from '../core/i18n';

const BUILD_ERRORS: Record<PackageBuildError['code'], MessageKey> = {
  'no-sessions': 'lockerExportNoSessions',
  'chain-gap': 'lockerExportChainGap',
  'screenshot-missing': 'lockerExportScreenshotMissing',
  'screenshot-damaged': 'lockerExportScreenshotDamaged',
  'video-missing': 'lockerExportVideoMissing',
  'video-damaged': 'lockerExportVideoDamaged',
  'receipt-damaged': 'lockerExportReceiptDamaged',
  'receipt-unreadable': 'lockerExportReceiptUnreadable',
  'receipt-too-large': 'lockerExportReceiptTooLarge',
  'file-too-large': 'lockerExportFileTooLarge',
  'too-many-files': 'lockerExportTooManyFiles',
  'too-large': 'lockerExportTooLarge',
};

/** What the locker shows for a failed export. */
export interface ExportFailure {
  /** What is wrong and that nothing kept was changed, in the reader's language. */
  message: string;
  /**
   * An unexpected error's own words (a library's or the browser's, often English), shown apart and
   * smaller, for a bug report: never inside the sentence.
   */
  detail?: string;
}

/** An error's own words: its name when it says something (`QuotaExceededError`), and its message. */
function ownWords(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const name = err.name && err.name !== 'Error' ? err.name : '';
  if (!err.message) return name || 'Error';
  return name && !err.message.startsWith(name) ? `${name}: ${err.message}` : err.message;
}

/** The locker's message for a failed export: what is wrong, and that nothing kept was changed. */
export function exportFailure(err: unknown, t: Translate): ExportFailure {
  if (err instanceof PackageBuildError)
    return { message: t('lockerExportFailed', t(BUILD_ERRORS[err.code], ...err.params)) };
  return { message: t('lockerExportFailed', t('lockerExportUnexpected')), detail: ownWords(err) };
}
