import { describe, expect, it } from 'vitest';
import { loadEnvironments, type Environment } from '../../environments';
import { environmentCapacityClaims } from '../../environments/capacity';
import { tenantsIn } from '../../environments/sections/tenants';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfExamples, examplesOutdir, examplesOutput } from '../helpers/examples';
import { runCommand } from '../helpers/run';
import { main as costs } from '../../scripts/costs';

/** An amount as the report prints it, formatted here on its own: `12,345.60 EUR`. */
function amount(value: number, currency: string): string {
  const [whole, cents] = (Math.round(value * 100) / 100).toFixed(2).split('.');
  return `${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents} ${currency}`;
}

/**
 * The cost plan worked out from config alone (the deployments of the endpoints and the tenants, the tenants'
 * quotas and the price table), never from the code under test.
 */
function expectedFromConfig(env: Environment) {
  const finops = env.finops!;
  const price = (c: { model: string; type: string; region: string }) =>
    (finops.prices[c.model] as Record<string, Record<string, Record<string, number | undefined>>>)[c.type]![
      c.region
    ]!;
  const claims = environmentCapacityClaims(env);
  const ptu = claims.filter((c) => c.type.includes('Provisioned'));
  const tokens = claims.filter((c) => !c.type.includes('Provisioned'));
  const { inputShare: i, cachedInputShare: k } = finops.tokenMix;
  const blended = (p: Record<string, number | undefined>) =>
    i * (1 - k) * p['inputPerMillion']! +
    i * k * (p['cachedInputPerMillion'] ?? p['inputPerMillion']!) +
    (1 - i) * p['outputPerMillion']!;
  const ownerOf = (path: readonly (string | number)[]) =>
    path[0] === 'tenants' ? String(path[1]) : undefined;
  const fixed = ptu.reduce((sum, c) => sum + c.capacity * price(c)['perPtuMonth']!, 0);
  const tenants = tenantsIn(env)
    .filter((t) => t.hasAccess)
    .map((t) => {
      const reachable = tokens.filter((c) => [undefined, t.slug].includes(ownerOf(c.path)));
      const best = Math.max(...reachable.map((c) => blended(price(c))));
      const own = ptu
        .filter((c) => ownerOf(c.path) === t.slug)
        .reduce((sum, c) => sum + c.capacity * price(c)['perPtuMonth']!, 0);
      return {
        slug: t.slug,
        quota: t.allocation.monthlyTokenQuota,
        best,
        payg: (t.allocation.monthlyTokenQuota / 1e6) * best,
        own,
      };
    });
  return { currency: finops.currency, fixed, tenants, payg: tenants.reduce((s, t) => s + t.payg, 0) };
}

const synthesized = new Set(examplesOutput().stackIds);
const priced = loadEnvironments().filter((env) => env.finops && synthesized.has(env.name));

describe('npm run costs', () => {
  // One run for every environment: each environment's section is its text up to the next `## `.
  const run = runCommand(costs, ['--outdir', examplesOutdir()]);
  const section = (name: string) =>
    run.stdout.split(/^## /m).find((part) => part.startsWith(`${name}\n`)) ?? '';

  it('has environments with prices to check', () => {
    expect(priced.length).toBeGreaterThan(0);
  });

  it.each(priced.map((env) => [env.name, env] as const))(
    '%s: prints PTU fixed and each tenant bounded by its quota, to the cent of the figures from config',
    (name, env) => {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const stdout = section(name);
      const perTenant = stdout.split('### Per tenant')[1] ?? '';
      const want = expectedFromConfig(env);
      const c = want.currency;
      expect(run.stdout).toContain(`## ${name}\n`);
      expect(stdout).toContain(`Prices: ${env.finops!.source}`);
      expect(stdout).toContain(
        `Fixed: ${amount(want.fixed, c)} a month. Pay-as-you-go: at most ${amount(want.payg, c)} a month. Environment: at most ${amount(want.fixed + want.payg, c)} a month.`,
      );
      for (const t of want.tenants) {
        const row = perTenant.split('\n').find((line) => line.startsWith(`| ${t.slug} |`));
        expect(row, t.slug).toBeDefined();
        const cells = row!.split(' | ');
        expect(cells[1]).toBe(t.quota.toLocaleString('en-US'));
        expect(cells[3]).toBe(amount(t.best, c));
        expect(cells[4]).toBe(amount(t.payg, c));
        expect(cells[5]).toBe(amount(t.own, c));
      }
    },
  );

  it('states the token-mix assumption it used', () => {
    const env = priced[0]!;
    const stdout = section(env.name);
    const { inputShare, cachedInputShare } = env.finops!.tokenMix;
    expect(stdout).toContain(
      `Token mix (finops.tokenMix): ${inputShare * 100} % input, of which ${cachedInputShare * 100} % cached; ${100 - inputShare * 100} % output.`,
    );
  });
});

describe('npm run costs on a plan it cannot price', () => {
  it('marks a deployment without a price and exits 1', () => {
    const outdir = copyOfExamples();
    const stack = priced[0]!.name;
    const file = join(outdir, 'stacks', stack, 'policy.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { facts: { finops: { prices: object } } };
    report.facts.finops.prices = {};
    writeFileSync(file, JSON.stringify(report));
    const { status, stdout } = runCommand(costs, ['--outdir', outdir, '--env', stack]);
    expect(status).toBe(1);
    expect(stdout).toMatch(/No price for: .+ \(add them to finops\.prices\)\./);
  });
});
