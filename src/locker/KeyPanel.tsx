import { useEffect, useState } from 'preact/hooks';
import { installKeyInfo, type EvidenceDb, type InstallKeyInfo } from '../db';
import { t } from '../i18n';

/** The installation's signing key, by its fingerprint: what the complaint letter quotes. */
export function KeyPanel(props: { db: EvidenceDb }) {
  const [info, setInfo] = useState<InstallKeyInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    installKeyInfo(props.db).then(setInfo, (err: unknown) =>
      setError(t('lockerKeyUnavailable', err instanceof Error ? err.message : String(err))),
    );
  }, [props.db]);
  return (
    <section class="key-panel" aria-labelledby="key-heading">
      <h2 id="key-heading">{t('lockerKeyHeading')}</h2>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : (
        <p>
          {t('lockerKeyFingerprint')}{' '}
          <span class="mono fingerprint" data-testid="key-fingerprint" data-fingerprint={info?.fingerprint}>
            {info ? info.formatted : '…'}
          </span>
        </p>
      )}
      <p class="muted small">{t('lockerKeyExplain')}</p>
    </section>
  );
}
