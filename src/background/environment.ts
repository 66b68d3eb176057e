import browser from 'webextension-polyfill';

export interface CaptureEnvironment {
  extensionVersion: string;
  userAgent: string;
  os: string;
  timeZone: string;
  language: string;
}

/** Facts about this browser recorded with each session and package (no personal data). */
export async function captureEnvironment(): Promise<CaptureEnvironment> {
  const platform = await browser.runtime.getPlatformInfo();
  return {
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent.slice(0, 1000),
    os: `${platform.os}/${platform.arch}`,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    language: navigator.language,
  };
}
