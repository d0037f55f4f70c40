/**
 * Admin bearer tokens, each with a name (the audit trail's actor). Read from
 * MODELGATE_ADMIN_TOKENS (`name:token,name:token`) and/or `admin.tokens_file` (the same pairs,
 * one per line or comma-separated; `#` starts a comment). Only SHA-256 digests are kept, and
 * a presented token is compared against every one of them in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface TokenProblem {
  source: string;
  message: string;
}

export interface TokenSet {
  readonly names: readonly string[];
  /** the token's name, or undefined */
  verify(token: string): string | undefined;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Parses `name:token` pairs; problems never echo a token. */
export function parseTokenPairs(text: string, source: string): { pairs: Array<[string, string]>; problems: TokenProblem[] } {
  const pairs: Array<[string, string]> = [];
  const problems: TokenProblem[] = [];
  const items = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, ''))
    .flatMap((l) => l.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  items.forEach((item, i) => {
    const colon = item.indexOf(':');
    const name = colon > 0 ? item.slice(0, colon).trim() : '';
    const token = colon > 0 ? item.slice(colon + 1).trim() : '';
    if (!name || !token) problems.push({ source, message: `entry ${i + 1} is not name:token` });
    else if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) problems.push({ source, message: `entry ${i + 1}: token names use A-Z a-z 0-9 . _ @ -` });
    else pairs.push([name, token]);
  });
  return { pairs, problems };
}

export function tokenSet(pairs: ReadonlyArray<readonly [string, string]>): TokenSet {
  const entries = pairs.map(([name, token]) => ({ name, hash: digest(token) }));
  return {
    names: entries.map((e) => e.name),
    verify(token: string) {
      const h = digest(token);
      let found: string | undefined;
      // no early exit: the time taken does not depend on which token matched
      for (const e of entries) if (timingSafeEqual(h, e.hash) && found === undefined) found = e.name;
      return found;
    },
  };
}

/** Loads tokens from the environment and the optional file. */
export function loadTokens(env: NodeJS.ProcessEnv, tokensFile?: string): { tokens: TokenSet; problems: TokenProblem[] } {
  const all: Array<[string, string]> = [];
  const problems: TokenProblem[] = [];
  if (env.MODELGATE_ADMIN_TOKENS) {
    const r = parseTokenPairs(env.MODELGATE_ADMIN_TOKENS, 'MODELGATE_ADMIN_TOKENS');
    all.push(...r.pairs);
    problems.push(...r.problems);
  }
  if (tokensFile) {
    try {
      const r = parseTokenPairs(readFileSync(tokensFile, 'utf8'), tokensFile);
      all.push(...r.pairs);
      problems.push(...r.problems);
    } catch (e) {
      problems.push({ source: tokensFile, message: (e as NodeJS.ErrnoException).code ?? 'unreadable' });
    }
  }
  return { tokens: tokenSet(all), problems };
}
