/**
 * Reads the unit id from where the route says, as the bytes DESIGN.md hashes, returned as a
 * binary string (one char per byte). Headers and cookies arrive from Node as latin1 strings,
 * which are already their bytes; query and body strings are re-encoded as UTF-8.
 */
import type { UnitSource } from '../config/schema.ts';
import { utf8Binary } from './hash.ts';
import { getPointer, parsePointer } from './json-pointer.ts';

export interface UnitInputs {
  header(name: string): string | undefined;
  /** raw query string without '?' (or '') */
  query: string;
  /** parsed JSON body, when the route reads the unit from it */
  body?: unknown;
}

const trimOws = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, '');

export function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (trimOws(part.slice(0, eq)) === name) {
      let v = trimOws(part.slice(eq + 1));
      if (v.length >= 2 && v[0] === '"' && v[v.length - 1] === '"') v = v.slice(1, -1);
      return v;
    }
  }
  return undefined;
}

export type UnitReader = (inputs: UnitInputs) => string | null;

/** Compiles a unit source into a reader (done once per config version). */
export function unitReader(source: UnitSource | undefined): UnitReader {
  if (!source) return () => null;
  if ('header' in source) {
    const name = source.header;
    return (i) => {
      const v = i.header(name);
      if (v === undefined) return null;
      const t = trimOws(v);
      return t === '' ? null : t; // latin1 string = the bytes as sent
    };
  }
  if ('cookie' in source) {
    const name = source.cookie;
    return (i) => {
      const h = i.header('cookie');
      if (h === undefined) return null;
      const v = cookieValue(h, name);
      return v ? v : null;
    };
  }
  if ('query' in source) {
    const name = source.query;
    return (i) => {
      if (!i.query) return null;
      const v = new URLSearchParams(i.query).get(name);
      return v ? utf8Binary(v) : null;
    };
  }
  const tokens = parsePointer(source.body);
  return (i) => {
    const v = getPointer(i.body, tokens);
    if (typeof v === 'string') return v === '' ? null : utf8Binary(v);
    if (typeof v === 'number' && Number.isFinite(v)) return JSON.stringify(v);
    return null;
  };
}

export const readsBody = (source: UnitSource | undefined): boolean => !!source && 'body' in source;
