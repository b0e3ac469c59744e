import type { DeviceSession } from '@agora/proto';

export type DeviceKind = DeviceSession['device'];

export interface DeviceDescription {
  browser: string;
  os: string;
  device: DeviceKind;
}

/** First match wins: browsers that also say "Chrome" or "Safari" come before those two. */
const browsers: readonly [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/\b(?:OPR|Opera)\/(\d+)/, 'Opera'],
  [/\bSamsungBrowser\/(\d+)/, 'Samsung Internet'],
  [/\bVivaldi\/(\d+)/, 'Vivaldi'],
  [/\bYaBrowser\/(\d+)/, 'Yandex Browser'],
  [/\bFirefox\/(\d+)/, 'Firefox'],
  [/\bFxiOS\/(\d+)/, 'Firefox'],
  [/\bCriOS\/(\d+)/, 'Chrome'],
  [/\bChromium\/(\d+)/, 'Chromium'],
  [/\bHeadlessChrome\/(\d+)/, 'Chrome Headless'],
  [/\bChrome\/(\d+)/, 'Chrome'],
  [/\bVersion\/(\d+)(?:\.\d+)*(?: Mobile\/\S+)? Safari\//, 'Safari'],
];

function osOf(ua: string): string {
  let m: RegExpExecArray | null;
  if ((m = /\bAndroid (\d+)/.exec(ua))) return `Android ${m[1]}`;
  if (/\bAndroid\b/.test(ua)) return 'Android';
  if ((m = /\b(?:iPhone|CPU) OS (\d+)/.exec(ua)) && /\biPhone\b/.test(ua)) return `iOS ${m[1]}`;
  if ((m = /\biPad\b.*? OS (\d+)/.exec(ua))) return `iPadOS ${m[1]}`;
  if (/\bCrOS\b/.test(ua)) return 'ChromeOS';
  if (/\bWindows NT 10\.0\b/.test(ua)) return 'Windows';
  if ((m = /\bWindows NT (\d+\.\d+)/.exec(ua))) {
    const names: Record<string, string> = {
      '6.1': 'Windows 7',
      '6.2': 'Windows 8',
      '6.3': 'Windows 8.1',
    };
    return names[m[1] ?? ''] ?? 'Windows';
  }
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return 'macOS';
  if (/\bUbuntu\b/.test(ua)) return 'Ubuntu';
  if (/\bFedora\b/.test(ua)) return 'Fedora';
  if (/\bLinux\b|\bX11\b/.test(ua)) return 'Linux';
  return '';
}

function deviceOf(ua: string): DeviceKind {
  if (/\biPad\b|\bTablet\b/.test(ua) || (/\bAndroid\b/.test(ua) && !/\bMobile\b/.test(ua)))
    return 'tablet';
  if (/\bMobi|\biPhone\b|\bAndroid\b/.test(ua)) return 'mobile';
  if (/\bWindows\b|\bMacintosh\b|\bX11\b|\bCrOS\b|\bLinux\b/.test(ua)) return 'desktop';
  return 'unknown';
}

/**
 * What a sessions page shows of a device: browser and system read from its user agent, nothing
 * else (no address, no place). Unknown agents (scripts, tests) give empty names and `unknown`.
 */
export function describeDevice(userAgent: string): DeviceDescription {
  const ua = userAgent.slice(0, 512);
  let browser = '';
  for (const [pattern, name] of browsers) {
    const m = pattern.exec(ua);
    if (m) {
      browser = m[1] ? `${name} ${m[1]}` : name;
      break;
    }
  }
  return { browser, os: osOf(ua), device: deviceOf(ua) };
}
