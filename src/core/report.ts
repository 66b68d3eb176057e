/**
 * `report.html`: what a receiver reads first. Self-contained (no script, no network, inline CSS),
 * printable, every value escaped through the `html` template.
 */
import { html, SafeHtml } from './html';
import type { SealedEvent } from './evidence';
import { translator, type Lang } from './i18n';
import type { SessionSummary } from './package/manifest';
import { screenshotPath, videoPath } from './package/layout';

/** One kept video segment file, the span it covers, and the warnings and detections said during it. */
export interface VideoPart {
  path: string;
  clip: string;
  segment: number;
  reason: string;
  start: string;
  end: string;
  chunks: number;
  moments: { seq: number; time: string; offsetSeconds: number; category: string; text: string }[];
}

/** The session's kept video, one entry per segment file, with each detection placed in it. */
export function videoParts(sessionId: string, events: readonly SealedEvent[]): VideoPart[] {
  const parts = new Map<string, VideoPart>();
  for (const e of events) {
    if (e.type !== 'video') continue;
    const path = videoPath(sessionId, String(e.data.clip), Number(e.data.segment));
    const part = parts.get(path);
    if (part) {
      part.end = String(e.data.end);
      part.chunks++;
    } else
      parts.set(path, {
        path,
        clip: String(e.data.clip),
        segment: Number(e.data.segment),
        reason: String(e.data.reason),
        start: String(e.data.start),
        end: String(e.data.end),
        chunks: 1,
        moments: [],
      });
  }
  const detections = events.filter((e) => e.type === 'detection');
  for (const part of parts.values()) {
    const from = Date.parse(part.start);
    const to = Date.parse(part.end);
    for (const d of detections) {
      const at = Date.parse(d.time);
      if (at < from || at > to) continue;
      part.moments.push({
        seq: d.seq,
        time: d.time,
        offsetSeconds: Math.floor((at - from) / 1000),
        category: String(d.data.category),
        text: String(d.data.text).slice(0, 200),
      });
    }
  }
  return [...parts.values()];
}

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

export interface ReportInput {
  name: string;
  created: string;
  lang: Lang;
  toolVersion: string;
  sessions: { summary: SessionSummary; events: readonly SealedEvent[] }[];
}

const CSS = `
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2rem auto;max-width:60rem;color:#1a1a1a;line-height:1.5;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.2rem;border-bottom:2px solid #b3261e;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
dd{margin:0;word-break:break-all}.mono{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
figure{display:inline-block;margin:.5rem;max-width:45%}figure img{max-width:100%;border:1px solid #ccc}
.host{background:#fff4e5}.muted{color:#666}@media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
`;

export function renderReport(input: ReportInput): string {
  const t = translator(input.lang);
  const sections: SafeHtml[] = input.sessions.map(({ summary: s, events }) => {
    const chat = events.filter((e) => e.type === 'chat');
    const shots = events.filter((e) => e.type === 'screenshot');
    const video = videoParts(s.id, events);
    return html`<section>
      <h2>${t('reportSession')} ${s.id}</h2>
      <dl>
        <dt>${t('reportUrl')}</dt>
        <dd>${s.url}</dd>
        <dt>${t('reportTitle')}</dt>
        <dd>${s.title}</dd>
        <dt>${t('reportPlatform')}</dt>
        <dd>${s.platform}</dd>
        <dt>${t('reportStarted')}</dt>
        <dd>${s.startedAt}</dd>
        <dt>${t('reportEnded')}</dt>
        <dd>${s.endedAt ?? t('reportStillOpen')}</dd>
        <dt>${t('reportCounts')}</dt>
        <dd>${t('reportCountsValue', s.eventCount, s.chatCount, s.screenshotCount)}</dd>
        <dt>${t('reportChainHead')}</dt>
        <dd class="mono">${s.chainHead}</dd>
      </dl>
      <h3>${t('reportScreenshots')}</h3>
      ${shots.length === 0 ? html`<p class="muted">${t('reportNone')}</p>` : ''}
      ${shots.map(
        (e) =>
          html`<figure>
            <img src="${screenshotPath(s.id, e.seq)}" alt="${t('reportScreenshotAlt', e.seq, e.time)}" />
            <figcaption>
              #${e.seq} · ${e.time} · <span class="mono">${String(e.data.sha256)}</span>
            </figcaption>
          </figure>`,
      )}
      <h3>${t('videoReportHeading')}</h3>
      ${video.length === 0 ? html`<p class="muted">${t('reportNone')}</p>` : ''}
      ${video.map(
        (v) =>
          html`<div class="video">
            <p>
              <a href="${v.path}">${v.path.slice(v.path.lastIndexOf('/') + 1)}</a> ·
              ${t('videoReportPart', v.start, v.end, v.chunks)} ·
              ${t(v.reason === 'detection' ? 'videoReason_detection' : v.reason === 'command' ? 'videoReason_command' : 'videoReason_manual')}
            </p>
            ${
              v.moments.length
                ? html`<ul>
                    ${v.moments.map(
                      (m) =>
                        html`<li>
                          ${t('videoReportMoment', clock(m.offsetSeconds), m.seq, m.category, m.text)}
                        </li>`,
                    )}
                  </ul>`
                : ''
            }
          </div>`,
      )}
      <h3>${t('reportChat')}</h3>
      ${
        chat.length === 0
          ? html`<p class="muted">${t('reportNone')}</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>#</th>
                  <th>${t('reportTimeUtc')}</th>
                  <th>${t('reportAuthor')}</th>
                  <th>${t('reportText')}</th>
                </tr>
              </thead>
              <tbody>
                ${chat.map(
                  (e) =>
                    html`<tr${e.data.kind === 'host' ? html` class="host"` : ''}><td>${e.seq}</td><td>${e.time}</td><td>${String(e.data.author)}</td><td>${String(e.data.text)}</td></tr>\n`,
                )}
              </tbody>
            </table>`
      }
    </section>`;
  });

  return html`<!doctype html>
    <html lang="${input.lang === 'en' ? 'en' : 'zh-CN'}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta
          http-equiv="Content-Security-Policy"
          content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
        />
        <title>${t('reportDocTitle', input.name)}</title>
        <style>
          ${rawCss()}
        </style>
      </head>
      <body>
        <h1>${t('reportHeading')}</h1>
        <p class="muted">${t('reportMeta', input.name, input.created, input.toolVersion)}</p>
        <p>${t('reportIntro')}</p>
        ${sections}
        <h2>${t('reportHowToVerify')}</h2>
        <p>${t('reportHowToVerifyText')}</p>
      </body>
    </html> `.html;
}

function rawCss(): SafeHtml {
  return new SafeHtml(CSS);
}
