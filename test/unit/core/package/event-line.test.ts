import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { EventLine, isEventLine } from '../../../../src/core/package/manifest';
import { LIMITS } from '../../../../src/core/evidence';

// The verifier's plain test for chat lines must say exactly what the schema says, for valid lines and
// for every way a hostile package could bend one.
const HEX = 'a'.repeat(64);
const chat = (): Record<string, unknown> => ({
  seq: 7,
  type: 'chat',
  time: '2026-11-28T09:40:00.750Z',
  data: { author: '小鹿乱撞', kind: 'chat', text: '这个锅多少钱？' },
  prev: HEX,
  hash: 'b'.repeat(64),
});
const schemaSays = (value: unknown) => v.safeParse(EventLine, value).success;

/** Values a field might be bent into. */
const ODD: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  '7',
  true,
  [],
  {},
  'x'.repeat(LIMITS.authorChars),
  'x'.repeat(LIMITS.authorChars + 1),
  'x'.repeat(LIMITS.textChars + 1),
  'host',
  'gift',
  'chat',
  'A'.repeat(64),
  'a'.repeat(63),
  'a'.repeat(65),
  '2026-11-28T09:40:00Z',
  '2026-11-28T09:40:00.750+08:00',
  '2026-11-28 09:40:00.750Z',
  'product',
  { author: 'a', kind: 'chat', text: 't', extra: 1 },
];

function bent(field: string[], value: unknown): Record<string, unknown> {
  const line = chat();
  let at: Record<string, unknown> = line;
  for (const k of field.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = field[field.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return line;
}

const FIELDS = [
  ['seq'],
  ['type'],
  ['time'],
  ['data'],
  ['prev'],
  ['hash'],
  ['extra'],
  ['__proto__'],
  ['data', 'author'],
  ['data', 'text'],
  ['data', 'kind'],
  ['data', 'id'],
  ['data', 'backlog'],
  ['data', 'truncated'],
  ['data', 'extra'],
];

describe('isEventLine', () => {
  it('accepts chat and host lines with and without their optional members, as the schema does', () => {
    const lines = [
      chat(),
      bent(['data', 'kind'], 'host'),
      bent(['data', 'id'], 'msg-1'),
      bent(['data', 'backlog'], true),
      bent(['data', 'truncated'], false),
      bent(['data', 'text'], 'x'.repeat(LIMITS.textChars)),
      bent(['seq'], 0),
    ];
    for (const line of lines) {
      expect(schemaSays(line)).toBe(true);
      expect(isEventLine(line)).toBe(true);
    }
  });

  it('says what the schema says for every field of a chat line bent every odd way', () => {
    let refused = 0;
    for (const field of FIELDS)
      for (const value of ODD) {
        const line = bent(field, value);
        expect(isEventLine(line), `${field.join('.')} = ${JSON.stringify(value)?.slice(0, 40)}`).toBe(
          schemaSays(line),
        );
        if (!schemaSays(line)) refused++;
      }
    // Most bends make a line the schema refuses: the comparison above is not all "true".
    expect(refused).toBeGreaterThan(200);
  });

  it('says what the schema says for lines parsed from JSON with odd keys', () => {
    const texts = [
      '{"seq":1,"type":"chat","time":"2026-11-28T09:40:00.750Z","data":{"author":"a","kind":"chat","text":"t"},"prev":"' +
        HEX +
        '","hash":"' +
        HEX +
        '","__proto__":{"x":1}}',
      '{"seq":1,"type":"chat","time":"2026-11-28T09:40:00.750Z","data":{"author":"a","kind":"chat","text":"t","__proto__":null},"prev":"' +
        HEX +
        '","hash":"' +
        HEX +
        '"}',
      '{"seq":1,"seq":2,"type":"chat","time":"2026-11-28T09:40:00.750Z","data":{"author":"a","kind":"chat","text":"t"},"prev":"' +
        HEX +
        '","hash":"' +
        HEX +
        '"}',
      '[]',
      '"chat"',
      'null',
    ];
    for (const text of texts) {
      const value = JSON.parse(text) as unknown;
      expect(isEventLine(value), text).toBe(schemaSays(value));
    }
  });

  it('leaves other event types to the schema', () => {
    const shot = {
      ...chat(),
      type: 'screenshot',
      data: { sha256: HEX, bytes: 10, mediatype: 'image/png', reason: 'manual' },
    };
    expect(isEventLine(shot)).toBe(true);
    expect(isEventLine({ ...shot, data: { ...shot.data, reason: 'whim' } })).toBe(false);
    expect(isEventLine({ ...shot, type: 'unknown' })).toBe(false);
  });
});
