/**
 * The page that opens once after install: what LiveProof keeps, that it stays on this computer,
 * how to save a moment and make a complaint package, what the law says about keeping your own
 * evidence, and a request for persistent storage (so the browser does not clear the evidence
 * when the disk runs low).
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { lang, t } from '../i18n';

type Persist = 'unknown' | 'granted' | 'denied' | 'unsupported';

export function Welcome() {
  const [persist, setPersist] = useState<Persist>('unknown');
  useEffect(() => {
    if (!navigator.storage?.persisted) setPersist('unsupported');
    else void navigator.storage.persisted().then((p) => p && setPersist('granted'));
  }, []);

  const ask = async () => {
    if (!navigator.storage?.persist) return setPersist('unsupported');
    setPersist((await navigator.storage.persist()) ? 'granted' : 'denied');
  };

  return (
    <main class="page" lang={lang === 'en' ? 'en' : 'zh-CN'}>
      <h1>{t('welcomeTitle')}</h1>
      <p class="lead">{t('welcomeLead')}</p>

      <section aria-labelledby="keeps">
        <h2 id="keeps">{t('welcomeKeepsTitle')}</h2>
        <ul>
          <li>{t('welcomeKeepsChat')}</li>
          <li>{t('welcomeKeepsProducts')}</li>
          <li>{t('welcomeKeepsScreens')}</li>
          <li>{t('welcomeKeepsWarnings')}</li>
        </ul>
      </section>

      <section aria-labelledby="local">
        <h2 id="local">{t('welcomeLocalTitle')}</h2>
        <p>{t('welcomeLocalText')}</p>
        <p>{t('welcomeLocalTsa')}</p>
      </section>

      <section aria-labelledby="storage" class="box">
        <h2 id="storage">{t('welcomeStorageTitle')}</h2>
        <p>{t('welcomeStorageText')}</p>
        {persist === 'granted' ? (
          <p class="ok" role="status">
            {t('welcomeStorageGranted')}
          </p>
        ) : (
          <>
            <button type="button" class="primary" onClick={ask}>
              {t('welcomeStorageButton')}
            </button>
            <p role="status" class={persist === 'denied' || persist === 'unsupported' ? 'warn' : undefined}>
              {persist === 'denied'
                ? t('welcomeStorageDenied')
                : persist === 'unsupported'
                  ? t('welcomeStorageUnsupported')
                  : ''}
            </p>
          </>
        )}
      </section>

      <section aria-labelledby="moment">
        <h2 id="moment">{t('welcomeMomentTitle')}</h2>
        <p>{t('welcomeMomentText')}</p>
      </section>

      <section aria-labelledby="package">
        <h2 id="package">{t('welcomePackageTitle')}</h2>
        <ol>
          <li>{t('welcomePackageStep1')}</li>
          <li>{t('welcomePackageStep2')}</li>
          <li>{t('welcomePackageStep3')}</li>
        </ol>
      </section>

      <section aria-labelledby="law">
        <h2 id="law">{t('welcomeLawTitle')}</h2>
        <p>{t('welcomeLawText1')}</p>
        <p>{t('welcomeLawText2')}</p>
        <p class="muted">{t('welcomeLawNotAdvice')}</p>
      </section>

      <p class="row">
        <button type="button" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('welcomeOpenOptions')}
        </button>
      </p>
    </main>
  );
}
