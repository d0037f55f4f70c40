/**
 * The operator console end to end in headless Chromium (Debian's, driven by playwright-core)
 * against a real gateway, monitor and private redis-server: sign in, weights with dry-run and
 * a stale edit, a canary paused from the page, drift after shifted traffic (both histograms
 * side by side, the persisted per-window history charted with its thresholds), shadows, the
 * experiment (its always-valid p-value per look, planned vs reached sample) and audit/restore.
 * Screenshots of every view go to test-artifacts/console/ (the routes, drift and experiment
 * views are also copied to docs/images/ with MODELGATE_UPDATE_DOC_IMAGES=1). No console errors
 * on any page other than the two refusals a step provokes on purpose (401, 412).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, type Browser } from './helpers/browser.ts';
import { CONSOLE_TOKEN, startConsoleStack, type ConsoleStack } from './helpers/console-stack.ts';
import { until } from './helpers/wait.ts';
import { OutcomePoster, outcomesFor } from '../src/demo/outcomes.ts';
import { rng } from '../src/demo/traffic.ts';

const ARTIFACTS = join('test-artifacts', 'console');
const UI_WAIT = 15_000;

let stack: ConsoleStack;
let b: Browser;

const shot = async (name: string, docs = false) => {
  const file = join(ARTIFACTS, `${name}.png`);
  await b.page.screenshot({ path: file, fullPage: true });
  if (docs && process.env.MODELGATE_UPDATE_DOC_IMAGES === '1') copyFileSync(file, join('docs', 'images', `console-${name}.png`));
};
const go = async (hash: string) => {
  await b.page.goto(`${stack.adminUrl}/ui/${hash}`);
};
const weights = async (route = 'fraud') => (await stack.api('GET', `/admin/routes/${route}`)).body.weights;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  b = await launchBrowser(); // fails first, with the line to run, when chromium is missing
  ensureConsoleBuilt();
  stack = await startConsoleStack();
  // live traffic for the rates on the routes view
  await stack.traffic({ rate: 200, count: 400, seed: 3 });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await stack?.close();
});

describe('operator console', () => {
  it('serves the page without a token under a strict CSP, and refuses a wrong token with one clear error', async () => {
    const res = await fetch(`${stack.adminUrl}/ui/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect((await fetch(`${stack.adminUrl}/admin/stats`)).status).toBe(401);

    b.phase = 'wrong-token';
    await b.page.goto(`${stack.adminUrl}/ui`);
    await b.page.getByLabel('Admin token').fill('not-the-token');
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = b.page.getByRole('alert');
    await alert.waitFor({ timeout: UI_WAIT });
    expect(await alert.count()).toBe(1);
    expect(await alert.textContent()).toContain('refused (401');
    await shot('sign-in');
    expect(await b.page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('signs in and shows every route with variants, weights, live traffic and replicas', async () => {
    b.phase = 'routes';
    await b.page.getByLabel('Admin token').fill(CONSOLE_TOKEN);
    await b.page.getByRole('button', { name: 'Sign in' }).click();
    await b.page.getByRole('link', { name: 'fraud', exact: true }).waitFor({ timeout: UI_WAIT });
    await b.page.getByRole('link', { name: 'score', exact: true }).waitFor();
    expect(await b.page.evaluate(() => Object.keys(sessionStorage))).toEqual(['modelgate.admin-token']);
    expect(await b.page.context().cookies()).toEqual([]);
    const fraud = b.page.getByRole('region', { name: 'route fraud' });
    // the 400 requests are inside the stats window: v1's rate is a number, not a dash
    await until('a live rate for v1', async () => (parseFloat((await fraud.locator('tr[data-variant=v1] td').nth(3).textContent()) ?? '') > 0 ? true : undefined), UI_WAIT);
    expect(await fraud.locator('tr[data-variant=v1] td').nth(5).textContent()).toMatch(/\d ms$/); // a p99 from the histogram
    expect(await fraud.locator('tr[data-variant=v1] td').nth(2).textContent()).toBe('90 %');
    expect(await fraud.textContent()).toContain('v3 3.0.0-rc1');
    await b.page.getByRole('cell', { name: 'yes' }).first().waitFor({ timeout: UI_WAIT }); // the replica has converged
    await shot('routes', true);
  });

  it('changes weights 90/10 -> 75/25 after a dry run showing 15 % moving', async () => {
    b.phase = 'weights';
    await b.page.getByRole('link', { name: 'fraud', exact: true }).click();
    await b.page.getByLabel('v1', { exact: true }).fill('75');
    await b.page.getByLabel('v2', { exact: true }).fill('25');
    await b.page.getByRole('button', { name: 'Dry run' }).click();
    const dry = b.page.getByRole('status', { name: 'dry run' });
    await dry.waitFor({ timeout: UI_WAIT });
    expect(await dry.textContent()).toContain('15.0 % of units would move');
    expect(await dry.textContent()).toContain('v1 → v2: 15.0 %');
    expect(await weights()).toEqual({ v1: 90, v2: 10 }); // a dry run changes nothing
    await shot('weights-dry-run');
    await b.page.getByRole('button', { name: 'Apply' }).click();
    await b.page.getByText(/Applied as config version \d+; 15\.0 % of units moved/).waitFor({ timeout: UI_WAIT });
    expect(await weights()).toEqual({ v1: 75, v2: 25 });
  });

  it('explains a stale edit (412) instead of overwriting a change made behind its back', async () => {
    b.phase = 'stale';
    const cur = await stack.api('GET', '/admin/routes/fraud');
    const behind = await stack.api('PATCH', '/admin/routes/fraud/weights', { weights: { v1: 70, v2: 30 } }, { 'if-match': cur.etag! });
    expect(behind.status).toBe(200);
    await b.page.getByLabel('v1', { exact: true }).fill('60');
    await b.page.getByLabel('v2', { exact: true }).fill('40');
    await b.page.getByRole('button', { name: 'Apply' }).click();
    const alert = b.page.getByRole('alert');
    await alert.waitFor({ timeout: UI_WAIT });
    expect(await alert.textContent()).toContain('the config changed after this page read it');
    expect(await alert.textContent()).toContain('412');
    expect(await weights()).toEqual({ v1: 70, v2: 30 });
    await shot('weights-stale');
  });

  it('shows a canary started through the API with its progress, and pauses it from the page', async () => {
    b.phase = 'canary';
    const started = await stack.api('POST', '/admin/routes/score/canary', { canary: 'candidate', stable: 'stable', steps: [10, 50, 100], step_min_ms: 3_600_000, step_min_requests: 100_000 });
    expect(started.status).toBe(201);
    await go('#/routes/score/canary');
    const bar = b.page.getByRole('progressbar', { name: 'canary steps' });
    await bar.waitFor({ timeout: UI_WAIT });
    expect(await bar.getAttribute('aria-valuetext')).toBe('step 1 of 3');
    expect(await b.page.getByTestId('canary-state').textContent()).toBe('progressing');
    expect(await b.page.getByText('canary at').textContent()).toContain('10 %');
    for (const name of ['Pause', 'Resume', 'Promote', 'Abort']) expect(await b.page.getByRole('button', { name }).count()).toBe(1);
    await b.page.getByRole('button', { name: 'Pause' }).click();
    await until('the page to show paused', async () => ((await b.page.getByTestId('canary-state').textContent()) === 'paused' ? true : undefined), UI_WAIT);
    expect((await stack.api('GET', '/admin/routes/score/canary')).body.state).toBe('paused');
    await shot('canary');
  });

  it('flags the shifted feature on the drift view after a shifted traffic run', async () => {
    b.phase = 'drift';
    await stack.traffic({ rate: 250, count: 1200, shift: 'amount', seed: 5 });
    await until(
      'the drift report to flag amount on v1',
      async () => {
        const r = await stack.api('GET', '/admin/routes/fraud/drift');
        return r.body?.variants?.v1?.features?.amount?.status === 'significant' ? true : undefined;
      },
      60_000,
      200,
    );
    await go('#/routes/fraud/drift');
    const row = b.page.getByRole('region', { name: 'drift of v1' }).locator('tr[data-feature=amount]');
    await row.waitFor({ timeout: UI_WAIT });
    expect(await row.locator('td').nth(1).textContent()).toBe('significant');
    for (const f of ['merchant_risk', 'hour', 'country']) expect(await b.page.getByRole('region', { name: 'drift of v1' }).locator(`tr[data-feature=${f}] td`).nth(1).textContent(), f).not.toBe('significant');
    await b.page.getByRole('img', { name: 'PSI now (v1)' }).waitFor({ timeout: UI_WAIT });

    // the report carries the bins behind the PSI: the reference's and the window's counts
    const report = (await stack.api('GET', '/admin/routes/fraud/drift')).body;
    const amount = report.variants.v1.features.amount;
    expect(amount.histogram.edges).toHaveLength(9);
    expect(amount.histogram.reference).toHaveLength(10);
    expect(amount.histogram.current.reduce((a: number, c: number) => a + c, 0)).toBe(amount.n);
    // x3 amounts: the top decile bin of the reference holds far more than its 10 % now
    expect(amount.histogram.current[9] / amount.n).toBeGreaterThan(0.3);
    const country = report.variants.v1.features.country;
    expect(country.histogram.categories.length).toBe(country.histogram.current.length);

    // ... and both histograms are drawn side by side
    const v1 = b.page.getByRole('region', { name: 'drift of v1' });
    const pair = v1.getByRole('figure', { name: 'histograms of amount (v1)' });
    await pair.waitFor({ timeout: UI_WAIT });
    for (const which of ['baseline', 'current']) expect(await pair.getByRole('img', { name: `${which} histogram of amount (v1)` }).locator('rect').count(), which).toBe(10);

    // the persisted history: one record per judged window, the flagged ones last, charted with the thresholds
    const hist = (await stack.api('GET', '/admin/routes/fraud/drift/history?role=live&variant=v1')).body;
    expect(hist.windows.length).toBeGreaterThanOrEqual(2);
    expect(hist.windows.every((w: { variant: string; role: string }) => w.variant === 'v1' && w.role === 'live')).toBe(true);
    expect(hist.windows.at(-1).features.amount.status).toBe('significant');
    expect(hist.windows.some((w: any) => w.features.amount && w.features.amount.status !== 'significant')).toBe(true); // the windows before the shift
    await v1.getByRole('img', { name: 'PSI per window (v1)' }).waitFor({ timeout: UI_WAIT });
    await v1.getByRole('img', { name: 'adjusted p-value per window (v1)' }).waitFor({ timeout: UI_WAIT });
    const legend = await v1.getByRole('img', { name: 'PSI per window (v1)' }).textContent();
    for (const label of ['amount', 'moderate', 'significant']) expect(legend).toContain(label);
    await shot('drift', true);
  }, 120_000);

  it('shows the shadow report, the experiment and the audit trail, and restores a version after a confirmation', async () => {
    b.phase = 'shadows';
    await until('a shadow window', async () => ((await stack.api('GET', '/admin/routes/fraud/shadows/report')).body?.shadows?.v3?.windows?.length ? true : undefined), 30_000, 200);
    await go('#/routes/fraud/shadows');
    await b.page.getByRole('img', { name: 'agreement with live' }).waitFor({ timeout: UI_WAIT });
    expect(await b.page.getByRole('region', { name: 'shadow v3' }).textContent()).toContain('Agreement');
    await shot('shadows');

    b.phase = 'experiment';
    const exp = await stack.api('POST', '/admin/routes/fraud/experiment', { metric: 'converted', mde: 0.05, baseline_rate: 0.2 });
    expect(exp.status).toBe(201);
    await go('#/routes/fraud/experiment');
    await b.page.getByTestId('experiment-status').waitFor({ timeout: UI_WAIT });
    expect(await b.page.getByTestId('experiment-status').textContent()).toBe('running');
    // traffic whose units convert (v2 clearly better), so the p-value has a course to draw
    const poster = new OutcomePoster(stack.dataUrl, 200);
    const draw = rng(11);
    await stack.traffic({ rate: 250, count: 800, seed: 9, onReply: (r) => r.status === 200 && r.requestId && poster.add(outcomesFor('fraud', r.requestId, r.unit, r.variant, r.amount, draw, { v1: 0.1, v2: 0.3 })) });
    await poster.close();
    expect(poster.accepted).toBeGreaterThan(0);
    let lastHistory: unknown;
    const looks = await until(
      'looks with units on both arms in the experiment history',
      async () => {
        const h = (await stack.api('GET', '/admin/routes/fraud/experiment/history')).body;
        lastHistory = h;
        const withUnits = (h?.looks ?? []).filter((l: any) => l.units.v1 > 0 && l.units.v2 > 0);
        // a look with evidence, and a course: three looks, or fewer when the evidence ended it (the final look is always kept)
        const ended = (await stack.api('GET', '/admin/routes/fraud/experiment')).body.status !== 'running';
        return h?.id === exp.body.id && withUnits.length >= (ended ? 2 : 3) && withUnits.at(-1).p_always_valid.v2 < 1 ? h.looks : undefined;
      },
      60_000,
      250,
      () => JSON.stringify(lastHistory).slice(-1500),
    );
    for (let i = 1; i < looks.length; i++) expect(looks[i].at).toBeGreaterThan(looks[i - 1].at);
    const chart = b.page.getByRole('img', { name: 'always-valid p-value per look' });
    await chart.waitFor({ timeout: UI_WAIT });
    expect(await chart.textContent()).toContain('v2 vs v1');
    expect(await chart.textContent()).toContain('α per comparison');
    await b.page.getByRole('img', { name: 'units per arm: reached vs planned' }).waitFor({ timeout: UI_WAIT });
    const bar = b.page.getByRole('progressbar', { name: 'sample of v2' });
    await until('the reached sample of v2 on the page', async () => (Number(await bar.getAttribute('value')) > 0 ? true : undefined), UI_WAIT);
    expect(Number(await bar.getAttribute('max'))).toBe((await stack.api('GET', '/admin/routes/fraud/experiment')).body.planning.units_per_arm);
    await shot('experiment', true);

    b.phase = 'audit';
    const audit = (await stack.api('GET', '/admin/audit')).body.entries as { version: number; action: string; route?: string }[];
    const target = audit.find((e) => e.action === 'weights' && e.route === 'fraud' && e.version < audit[0].version - 1)!; // the 75/25 change
    expect(target).toBeDefined();
    await go('#/audit');
    await b.page.getByRole('button', { name: `Restore version ${target.version}` }).click();
    const confirm = b.page.getByRole('group', { name: `confirm restoring version ${target.version}` });
    await confirm.waitFor({ timeout: UI_WAIT });
    expect(await weights()).toEqual({ v1: 70, v2: 30 }); // nothing happens before the confirmation
    await shot('audit-confirm');
    await confirm.getByRole('button', { name: 'Confirm restore' }).click();
    await b.page.getByText(`Restored version ${target.version} as version`).waitFor({ timeout: UI_WAIT });
    expect(await weights()).toEqual({ v1: 75, v2: 25 });
    await shot('audit');
  }, 180_000);

  it('logged no console error on any page except the refusals provoked on purpose', () => {
    const unexpected = b.errors.filter((e) => !(e.phase === 'wrong-token' && /status of 401/.test(e.text)) && !(e.phase === 'stale' && /status of 412/.test(e.text)));
    expect(unexpected).toEqual([]);
  });
});
