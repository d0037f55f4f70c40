/**
 * Loads the YAML config file once at start: parse, apply environment overrides, validate
 * everything (all problems at once), freeze.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { fileSchema, type FileConfig } from './schema.ts';
import { deepFreeze, validate } from './validate.ts';
import { ConfigError } from '../errors.ts';

export function parseConfig(raw: unknown, source = 'config', env: NodeJS.ProcessEnv = process.env): FileConfig {
  const input = (raw ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError(source, [{ path: '(root)', message: 'expected a mapping' }]);
  const withEnv: Record<string, unknown> = { ...input };
  if (env.REDIS_URL) withEnv.redis = { ...((input.redis as object) ?? {}), url: env.REDIS_URL };
  if (env.MODELGATE_LOG_KEY) withEnv.log = { ...((input.log as object) ?? {}), hmac_key: env.MODELGATE_LOG_KEY };
  const r = validate(fileSchema, withEnv);
  if (!r.ok) throw new ConfigError(source, r.problems);
  return deepFreeze(r.value);
}

export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): FileConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, [{ path: '(file)', message: (e as Error).message }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ConfigError(path, [{ path: '(yaml)', message: (e as Error).message }]);
  }
  return parseConfig(raw, path, env);
}
