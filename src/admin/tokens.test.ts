import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTokens, parseTokenPairs, tokenSet } from './tokens.ts';

describe('admin tokens', () => {
  it('parses name:token pairs from env and file, problems without the token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-tok-'));
    const file = join(dir, 'tokens');
    writeFileSync(file, '# ops team\nbob:tok-b:with-colon\n\ncarol:tok-c, broken-secret-value\n');
    const { tokens, problems } = loadTokens({ MODELGATE_ADMIN_TOKENS: 'alice:tok-a' }, file);
    expect(tokens.names).toEqual(['alice', 'bob', 'carol']);
    expect(tokens.verify('tok-a')).toBe('alice');
    expect(tokens.verify('tok-b:with-colon')).toBe('bob');
    expect(tokens.verify('tok-c')).toBe('carol');
    expect(tokens.verify('tok-x')).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(JSON.stringify(problems)).not.toContain('broken-secret-value');
  });

  it('reports an unreadable file and accepts nothing without tokens', () => {
    const r = loadTokens({}, '/nonexistent/tokens');
    expect(r.problems[0].message).toBe('ENOENT');
    expect(r.tokens.verify('')).toBeUndefined();
    expect(tokenSet([]).names).toEqual([]);
  });

  it('rejects names that are not identifiers', () => {
    expect(parseTokenPairs('a b:x', 'env').problems).toHaveLength(1);
  });
});
