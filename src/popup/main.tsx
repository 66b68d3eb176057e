import { render } from 'preact';
import browser from 'webextension-polyfill';
import { initLanguage } from '../i18n';
import { Popup } from './Popup';
import '../ui/base.css';
import './popup.css';

/** The popup acts on the active tab; `?tab=<id>` names another (when opened as a page, as tests do). */
async function targetTab(): Promise<number | null> {
  const param = new URLSearchParams(location.search).get('tab');
  if (param && /^\d+$/.test(param)) return Number(param);
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}

// The user's language setting (options: follow the browser, 中文, English) is read before anything is shown.
const asWindow = new URLSearchParams(location.search).has('tab');
void Promise.all([targetTab(), initLanguage()]).then(([tabId]) =>
  render(<Popup tabId={tabId} closeOnPick={!asWindow} />, document.getElementById('app')!),
);
