/**
 * YAML parsing for ctl's file arguments (`put`, `canary start --file`, `experiment start
 * --file`), loaded on first use: the yaml package costs tens of milliseconds to load, and most
 * ctl calls never read a file. Synchronous, so the pure plan builders stay synchronous.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function parseYaml(text: string): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text);
}
