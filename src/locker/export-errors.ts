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

/** The locker's message for a failed export: what is wrong, and that nothing kept was changed. */
export function exportFailure(err: unknown, t: Translate): string {
  const reason =
    err instanceof PackageBuildError
      ? t(BUILD_ERRORS[err.code], ...err.params)
      : err instanceof Error
        ? err.message
        : String(err);
  return t('lockerExportFailed', reason);
}
