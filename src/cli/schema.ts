/**
 * `npm run schema`: writes the JSON Schemas of the package contract to docs/schema/, generated from
 * the valibot schemas the verifier itself uses (a unit test fails when the files are out of date).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { DataPackage, Digest, EventLine } from '../core/package/manifest';
import { ROOT } from './build';

const ID_BASE = 'https://liveproof.invalid/schema/v1/';

export function contractSchemas(): Record<string, string> {
  const make = (name: string, title: string, schema: v.GenericSchema) =>
    JSON.stringify(
      { $id: `${ID_BASE}${name}`, title, ...toJsonSchema(schema, { errorMode: 'throw' }) },
      null,
      2,
    ) + '\n';
  return {
    'datapackage.schema.json': make('datapackage.schema.json', 'LiveProof datapackage.json', DataPackage),
    'datapackage-digest.schema.json': make(
      'datapackage-digest.schema.json',
      'LiveProof datapackage-digest.json',
      Digest,
    ),
    'event.schema.json': make(
      'event.schema.json',
      'LiveProof event: one line of sessions/<id>/events.jsonl',
      EventLine,
    ),
  };
}

export const SCHEMA_DIR = join(ROOT, 'docs/schema');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [name, text] of Object.entries(contractSchemas())) writeFileSync(join(SCHEMA_DIR, name), text);
  console.log(`wrote ${Object.keys(contractSchemas()).join(', ')} to docs/schema/`);
}
