/**
 * Runs in the locker page of the real extension (bundled by test/e2e/export-limits.test.ts): seals a
 * session of `count` screenshot records that all point to one small stored picture, as capture
 * would seal them (a package of one file per record).
 */
import { openSeedSession } from '../../../bench/seed-session';

async function seedPictures(count: number): Promise<string> {
  const session = await openSeedSession('截图很多的直播间');
  const data = await session.picture(crypto.getRandomValues(new Uint8Array(64)));
  await session.append(
    Array.from({ length: count }, (_, k) => ({
      key: `shot:${k}`,
      type: 'screenshot' as const,
      time: session.at(k * 50),
      data: { ...data },
    })),
  );
  return session.close();
}

(globalThis as unknown as { __seedPictures: unknown }).__seedPictures = seedPictures;
