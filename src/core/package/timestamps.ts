/**
 * The one place where the verifier learns to check RFC 3161 tokens: every front door (CLI,
 * verify.html, the locker) passes `checkToken` from here. It checks the token with core/tsa: the
 * signature with the certificate the token carries, the signing-certificate binding, the
 * timeStamping key usage, and that the stamped imprint is the chain head the event names.
 */
import { checkTimeStampToken, problemText } from '../tsa';
import type { CheckToken } from './verify';

export const checkToken: CheckToken | undefined = async (token, expectedImprintHex) => {
  const r = await checkTimeStampToken(token, expectedImprintHex);
  return {
    ok: r.ok,
    ...(r.tsaName ? { tsa: r.tsaName } : {}),
    ...(r.genTime ? { time: r.genTime } : {}),
    ...(r.ok ? {} : { reason: problemText(r.problems) }),
  };
};
