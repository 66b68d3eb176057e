import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_DIR, contractSchemas } from '../../../src/cli/schema';
import { EVENT_TYPES } from '../../../src/core/evidence';

describe('the published package contract', () => {
  it('docs/schema/ is what the verifier checks (run `npm run schema` after changing a schema)', () => {
    for (const [name, text] of Object.entries(contractSchemas())) {
      expect(readFileSync(join(SCHEMA_DIR, name), 'utf8'), name).toBe(text);
    }
  });

  it('describes every event type the extension can seal', () => {
    const schema = JSON.parse(contractSchemas()['event.schema.json']!) as {
      oneOf: { properties: { type: { const: string } } }[];
    };
    expect(schema.oneOf.map((o) => o.properties.type.const).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('docs/bundle-format.md names every event type', () => {
    const doc = readFileSync(join(SCHEMA_DIR, '..', 'bundle-format.md'), 'utf8');
    for (const type of EVENT_TYPES) expect(doc, type).toMatch(new RegExp(`^\\| \`${type}\` +\\|`, 'm'));
  });
});
