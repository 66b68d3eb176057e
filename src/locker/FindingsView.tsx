import type { FindingRow, Findings } from '../core/package';
import { splitTerms } from '../core/terms';
import { t } from '../i18n';

/**
 * A text whose terms ("SHA-256") stay on one line and whose ids never break at a hyphen (base.css
 * `.term`, `.id-part`; see core/terms.ts); its text is unchanged.
 */
export function Termed(props: { text: string }) {
  return (
    <>
      {splitTerms(props.text).map((p, i) =>
        p.kind === 'text' ? (
          p.text
        ) : (
          <span key={i} class={p.kind === 'term' ? 'term' : 'id-part'}>
            {p.text}
          </span>
        ),
      )}
    </>
  );
}

const MARK: Record<FindingRow['mark'], string> = { ok: '✓', bad: '✗', unchecked: '?', info: '' };

/** One table, so that the facts, the sessions and the time-stamps line up in the same columns. */
function Rows(props: { groups: readonly (readonly FindingRow[])[] }) {
  const testids = ['facts', 'sessions', 'timestamps'];
  return (
    <table class="findings">
      <colgroup>
        <col class="c-label" />
        <col class="c-mark" />
        <col />
      </colgroup>
      {props.groups.map((rows, g) => (
        <tbody key={g} data-testid={testids[g]}>
          {rows.map((r, i) => (
            <tr key={i} data-mark={r.mark}>
              <th scope="row">
                <Termed text={r.label} />
              </th>
              <td class={`mark mark-${r.mark}`}>{MARK[r.mark]}</td>
              <td class={r.mono ? 'mono' : undefined}>
                <Termed text={r.value} />
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

/** A verification's findings, as verify.html and the CLI show them. */
export function FindingsView(props: { findings: Findings; hasManifest: boolean }) {
  const f = props.findings;
  const stamps: FindingRow[] = f.timestamps.length
    ? f.timestamps
    : [{ label: t('verifyRowTimestamps'), value: t('verifyTimestampsNone'), mark: 'info' }];
  return (
    <section class="verify-result" data-testid="verify-result" data-ok={String(f.ok)}>
      <p class={`verdict ${f.ok ? 'ok' : 'bad'}`} role="status">
        <Termed text={f.verdict} />
      </p>
      {f.rows.length > 0 && <Rows groups={props.hasManifest ? [f.rows, f.sessions, stamps] : [f.rows]} />}
      {f.problems.length > 0 && (
        <>
          <h3>{t('verifyProblemsHeading')}</h3>
          <ul class="problems">
            {f.problems.slice(0, 50).map((p, i) => (
              <li key={i}>
                <Termed text={p} />
              </li>
            ))}
          </ul>
          {f.problems.length > 50 && <p>{t('verifyMoreProblems', f.problems.length - 50)}</p>}
        </>
      )}
      <Scope />
    </section>
  );
}

export function Scope() {
  return (
    <div class="scope" data-testid="scope">
      <p>{t('verifyProves')}</p>
      <p>{t('verifyDoesNotProve')}</p>
    </div>
  );
}
