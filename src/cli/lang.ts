import { pickLang, translator } from '../core/i18n';

/** The CLI speaks Chinese unless the environment asks for English (`LIVEPROOF_LANG` or `LANG`). */
export const cliLang = pickLang(process.env.LIVEPROOF_LANG ?? process.env.LC_ALL ?? process.env.LANG);
export const t = translator(cliLang);
