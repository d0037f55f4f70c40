import { describe, expect, it } from 'vitest';
import { loadConfigFile } from './load.ts';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors.ts';

describe('config files', () => {
  it('the shipped examples are valid', () => {
    for (const f of ['config/gateway.yaml', 'config/demo.yaml']) expect(() => loadConfigFile(f, {}), f).not.toThrow();
  });

  it('reports every problem at once, with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cfg-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `listen: { port: 99999 }
routes:
  r:
    models: [m]
    unit: { header: "bad header" }
    variants:
      - { name: a, backend: "ftp://x", weight: 50.001 }
      - { name: a, backend: "http://127.0.0.1:1", weight: 40 }
`,
    );
    try {
      loadConfigFile(file, {});
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const paths = (e as ConfigError).problems.map((p) => p.path);
      expect(paths).toEqual(expect.arrayContaining(['listen.port', 'routes.r.unit.header', 'routes.r.variants[0].backend', 'routes.r.variants[0].weight', 'routes.r.variants[1].name', 'routes.r.variants']));
    }
  });
});
