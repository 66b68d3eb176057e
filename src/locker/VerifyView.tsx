import { useState } from 'preact/hooks';
import { checkToken, describeFindings, verifyPackage, type VerifyReport } from '../core/package';
import { t } from '../i18n';
import { formatBytes } from '../ui/format';
import { FindingsView, Scope, Termed } from './FindingsView';

type State =
  | { kind: 'idle' }
  | { kind: 'working'; file: File; percent: number }
  | { kind: 'done'; file: File; report: VerifyReport }
  | { kind: 'failed'; file: File; message: string };

/** "Verify a package": drop (or pick) a ZIP; it is read here, checked, and never stored or changed. */
export function VerifyView() {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);

  const verify = async (file: File) => {
    setState({ kind: 'working', file, percent: 0 });
    let last = 0;
    try {
      const report = await verifyPackage(file, {
        checkToken,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - last < 100) return;
          last = now;
          setState({ kind: 'working', file, percent: total ? (done / total) * 100 : 0 });
        },
      });
      setState({ kind: 'done', file, report });
    } catch (err) {
      setState({ kind: 'failed', file, message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section class="verify-view" aria-labelledby="verify-heading">
      <h2 id="verify-heading">{t('lockerVerifyHeading')}</h2>
      <p class="muted">{t('lockerVerifyIntro')}</p>
      <div
        class={`drop${over ? ' over' : ''}`}
        data-testid="verify-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer?.files[0];
          if (file) void verify(file);
        }}
      >
        <p>{t('lockerVerifyDrop')}</p>
        <label class="file-button">
          {t('lockerVerifyPick')}
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid="verify-file"
            disabled={state.kind === 'working'}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              if (file) void verify(file);
            }}
          />
        </label>
      </div>
      {state.kind === 'working' && (
        <div class="progress" role="status">
          <label for="verify-progress">{t('lockerVerifyWorking', state.file.name)}</label>
          <progress id="verify-progress" max={100} value={Math.round(state.percent)} />
        </div>
      )}
      {state.kind === 'done' && (
        <>
          <p class="muted">{t('lockerVerifyFile', state.file.name, formatBytes(state.file.size))}</p>
          <FindingsView findings={describeFindings(state.report, t)} hasManifest={!!state.report.name} />
        </>
      )}
      {state.kind === 'failed' && (
        <p class="verdict bad" role="alert">
          <Termed text={t('verifyPageFailed', state.message)} />
        </p>
      )}
      {state.kind === 'idle' && <Scope />}
    </section>
  );
}
