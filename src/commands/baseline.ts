/**
 * `modelgate baseline build --route R --variant V FILE [--out F] [--upload]`: builds a
 * variant's drift baseline (docs/readme/monitor.md "Baselines") from a training file (CSV or
 * JSON Lines), with a progress bar on large files; writes it as JSON and/or uploads it with
 * `PUT /admin/routes/{route}/baseline` (MODELGATE_ADMIN_URL, MODELGATE_ADMIN_TOKEN).
 */
import { statSync, writeFileSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { AdminClient } from '../ctl/client.ts';
import { readTrainingFile } from '../monitor/drift/training-file.ts';

interface BuildOpts {
  route: string;
  variant: string;
  modelVersion?: string;
  outputColumn?: string;
  exclude?: string;
  out?: string;
  upload?: boolean;
  default?: boolean;
  adminUrl?: string;
  token?: string;
}

const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

export function defineBaseline(program: Command): void {
  const baseline = program.command('baseline').description('drift baselines');
  baseline
    .command('build <file>')
    .description('build a variant baseline from a training file (.csv, or .jsonl/.ndjson)')
    .requiredOption('--route <route>', 'route the baseline is for')
    .requiredOption('--variant <variant>', 'variant the baseline is for')
    .option('--model-version <label>', 'model version the training data belongs to')
    .option('--output-column <name>', 'column holding the model output (default: prediction)')
    .option('--exclude <cols>', 'comma-separated columns that are not features (ids, labels)')
    .option('--out <file>', 'write the baseline JSON here (default: stdout unless --upload)')
    .option('--upload', 'upload it through the admin API')
    .option('--default', 'make it the route default reference (for variants without their own)')
    .option('--admin-url <url>', 'admin API base URL (or MODELGATE_ADMIN_URL)')
    .option('--token <token>', 'admin token (prefer MODELGATE_ADMIN_TOKEN)')
    .action(async (file: string, o: BuildOpts) => {
      let size = 0;
      try {
        size = statSync(file).size;
      } catch (e) {
        process.stderr.write(`modelgate baseline: ${(e as Error).message}\n`);
        process.exit(2);
      }
      const bar = size >= PROGRESS_MIN_BYTES ? new SingleBar({ format: 'reading {bar} {percentage}% | {value}/{total} MiB', stream: process.stderr }, Presets.shades_classic) : undefined;
      bar?.start(Math.ceil(size / 1048576), 0);
      const builder = await readTrainingFile(file, {
        outputColumn: o.outputColumn,
        exclude: o.exclude?.split(',').map((s) => s.trim()).filter(Boolean),
        onBytes: bar ? (b) => bar.update(Math.floor(b / 1048576)) : undefined,
      }).finally(() => bar?.stop());
      if (builder.rows === 0) {
        process.stderr.write(`modelgate baseline: ${file} has no rows\n`);
        process.exit(1);
      }
      const b = builder.build({ variant: o.variant, model_version: o.modelVersion ?? '', source: 'file' });
      const json = JSON.stringify(b);
      if (o.out) writeFileSync(o.out, json);
      else if (!o.upload) process.stdout.write(`${json}\n`);
      process.stderr.write(`baseline for ${o.route}/${o.variant}: ${builder.rows} rows, ${Object.keys(b.features).length} features, output ${b.output ? b.output.kind : 'none'}\n`);
      if (o.upload) {
        const url = o.adminUrl ?? process.env.MODELGATE_ADMIN_URL ?? 'http://127.0.0.1:8081';
        const client = new AdminClient({ url, token: o.token ?? process.env.MODELGATE_ADMIN_TOKEN });
        const q = `?variant=${encodeURIComponent(o.variant)}${o.default ? '&default=true' : ''}`;
        try {
          const r = await client.call('PUT', `/admin/routes/${encodeURIComponent(o.route)}/baseline${q}`, b);
          process.stderr.write(`uploaded: baseline version ${r.body.version} (default ${r.body.default})\n`);
        } catch (e) {
          process.stderr.write(`modelgate baseline: upload failed: ${(e as Error).message}\n`);
          process.exit(1);
        }
      }
    });
}
