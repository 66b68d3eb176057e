import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { formatBytes } from '../ui/format';
import { formatFingerprint } from '../core/sign';
import { download, type ExportPhase, type ExportProgress, type ExportedPackage } from './export';
import { exportFailure, type ExportFailure } from './export-errors';

const PHASE_KEYS = {
  reading: 'lockerPhaseReading',
  building: 'lockerPhaseBuilding',
  zipping: 'lockerPhaseZipping',
  hashing: 'lockerPhaseHashing',
} as const;

export interface ExportState {
  busy: boolean;
  progress: { phase: ExportPhase; percent: number } | null;
  result: ExportedPackage | null;
  error: ExportFailure | null;
  run(task: (progress: ExportProgress) => Promise<ExportedPackage>): Promise<void>;
}

/** One export at a time: a progress bar while it builds, then the file's name, hash and key. */
export function useExport(): ExportState {
  const [progress, setProgress] = useState<ExportState['progress']>(null);
  const [result, setResult] = useState<ExportedPackage | null>(null);
  const [error, setError] = useState<ExportFailure | null>(null);
  return {
    busy: !!progress,
    progress,
    result,
    error,
    async run(task) {
      setError(null);
      setResult(null);
      setProgress({ phase: 'reading', percent: 0 });
      try {
        const pkg = await task((phase, percent) => setProgress({ phase, percent }));
        setResult(pkg);
        download(pkg);
      } catch (err) {
        setError(exportFailure(err, t));
      } finally {
        setProgress(null);
      }
    },
  };
}

export function ExportStatus(props: { state: ExportState }) {
  const { progress, error, result } = props.state;
  return (
    <>
      {progress && (
        <div class="progress" role="status">
          <label for="export-progress">{t(PHASE_KEYS[progress.phase])}</label>
          <progress
            id="export-progress"
            max={100}
            value={Math.round(progress.percent)}
            data-testid="export-progress"
          />
        </div>
      )}
      {error && (
        <p class="error" role="alert" data-testid="export-error">
          {error.message}
          {error.detail && (
            <>
              <br />
              <span class="small muted" data-testid="export-error-detail">
                {t('lockerExportErrorDetail', error.detail)}
              </span>
            </>
          )}
        </p>
      )}
      {result && (
        <p class="exported" role="status" data-testid="export-result">
          {t('lockerExported', result.fileName, formatBytes(result.blob.size))}
          <br />
          <span class="mono">SHA-256 {result.sha256}</span>
          <br />
          {t('lockerKeyFingerprint')} <span class="mono">{formatFingerprint(result.fingerprint)}</span>{' '}
          <button onClick={() => download(result)}>{t('lockerDownloadAgain')}</button>
        </p>
      )}
      {result?.notLogged && (
        <p class="export-warning" role="alert" data-testid="export-warning">
          {t('lockerExportNotLogged')}
        </p>
      )}
    </>
  );
}
