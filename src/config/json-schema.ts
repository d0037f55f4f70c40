/**
 * JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) of a zod schema, as the input it
 * accepts: so a published document describes exactly what the validator takes. Keeps the
 * schema library inside config/.
 */
import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}
