import browser from 'webextension-polyfill';

export interface CaptureEnvironment {
  extensionVersion: string;
  userAgent: string;
  os: string;
  timeZone: string;
  language: string;
  /** Browser name and version, e.g. `Chromium 150.0.7000.1`, where the browser tells. */
  browser?: string;
}

interface UaData {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}

async function browserName(): Promise<string | undefined> {
  const data = (navigator as Navigator & { userAgentData?: UaData }).userAgentData;
  try {
    const list = (await data?.getHighEntropyValues(['fullVersionList']))?.fullVersionList ?? [];
    const real = list.filter((b) => !/not.?a.?brand/i.test(b.brand));
    const pick = real.find((b) => b.brand !== 'Chromium') ?? real[0];
    return pick ? `${pick.brand} ${pick.version}`.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

/** Facts about this browser recorded with each session and package (no personal data). */
export async function captureEnvironment(): Promise<CaptureEnvironment> {
  const platform = await browser.runtime.getPlatformInfo();
  const name = await browserName();
  return {
    ...(name ? { browser: name } : {}),
    extensionVersion: browser.runtime.getManifest().version,
    userAgent: navigator.userAgent.slice(0, 1000),
    os: `${platform.os}/${platform.arch}`,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    language: navigator.language,
  };
}
