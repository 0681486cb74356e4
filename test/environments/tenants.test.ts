import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../environments';
import { environmentTpm, tenantsIn } from '../../environments/sections/tenants';
import { environmentWithTenants } from '../../scripts/lib/generate';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput } from '../helpers/synth';

describe('the tenant registry', () => {
  it('needs an explicit allocation, or "none", for every environment', () => {
    // A name no tenant has an allocation for: every tenant of the registry is reported, in registry order.
    const input = { ...exampleInput('prod'), name: 'zz-new' };
    const tenants = Object.keys(input.tenants ?? {});
    expect(tenants.length).toBeGreaterThan(0);
    expect(
      problemsOf(input)
        .filter((p) => p.rule === 'tenant-allocation-per-environment')
        .map((p) => p.path),
    ).toEqual(tenants.map((slug) => `tenants.${slug}.allocations.zz-new`));
  });
});

describe('tenant input', () => {
  it('rejects a duplicate slug in a config file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lz-tenants-')), 'prod.yaml');
    writeFileSync(file, 'tenants:\n  legal: { tier: shared }\n  legal: { tier: dedicated }\n');
    expect(() => readConfigFile(file)).toThrow(/line 3, column 3: invalid YAML: duplicate key/);
  });

  it('rejects slugs that collide once hyphens are dropped from compact names', () => {
    const legal = exampleInput('prod').tenants!['legal']!;
    const problems = problemsOf(exampleInput('prod', { tenants: { 'le-gal': legal } }));
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'tenants.legal',
        rule: 'tenant-slugs-distinct-in-names',
        message:
          'slug "legal" becomes "legal" in compact names, like "le-gal"; expected slugs that differ in letters or digits',
      }),
    );
  });

  it('rejects a slug that cannot form Azure names', () => {
    const legal = exampleInput('prod').tenants!['legal']!;
    const bad = problemsOf(exampleInput('prod', { tenants: { Legal_EU: legal } }));
    expect(bad).toContainEqual(
      expect.objectContaining({
        path: 'tenants.Legal_EU',
        message: expect.stringMatching(/tenant slug must start with a lowercase letter/),
      }),
    );
    const long = problemsOf(
      exampleInput('prod', {
        naming: { prefix: 'contx' },
        tenants: { researchlab1: exampleInput('prod').tenants!['research']! },
      }),
    );
    expect(long).toContainEqual(
      expect.objectContaining({
        path: 'tenants.researchlab1',
        rule: 'names-fit-azure-rules',
        message: expect.stringMatching(
          /^keyVault name "kvcontxgenaiprdsdctresearchlab1" is 31 characters long/,
        ),
      }),
    );
  });

  it('rejects an allowed model that is not deployed in that environment', () => {
    const problems = problemsOf(
      exampleInput('dev', { tenants: { legal: { allowedModels: ['gpt-4o-mini', 'gpt-4o'] } } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'tenants.legal.allowedModels[1]',
        message:
          '"gpt-4o" is not a model the gateway routes in dev (real-time, or batch on the batch account); expected one of gpt-4o-mini, text-embedding-3-small',
      }),
    ]);
  });

  it('rejects allocations that add up to more than the environment serves, and says by how much', () => {
    const env = exampleEnvironment('staging');
    const capacity = environmentTpm(env);
    const withAccess = tenantsIn(env).filter((t) => t.hasAccess);
    expect(withAccess.length).toBeGreaterThan(0);
    const [first, ...others] = withAccess;
    const problems = problemsOf(
      exampleInput('staging', {
        tenants: {
          [first!.slug]: { allocations: { staging: { tokensPerMinute: capacity, monthlyTokenQuota: 1 } } },
        },
      }),
    );
    // The first tenant takes the whole capacity; every other tenant with access is over it.
    const requested = capacity + others.reduce((sum, t) => sum + t.allocation.tokensPerMinute, 0);
    const over = problems.filter((p) => p.rule === 'tenant-allocations-fit-capacity');
    if (others.length === 0) {
      expect(over).toEqual([]);
      return;
    }
    expect(over).toEqual([
      expect.objectContaining({
        path: 'tenants',
        message: `tenants are allocated ${requested} tokens per minute in staging, the deployments serve ${capacity}; over by ${requested - capacity} (lower allocations or add capacity)`,
      }),
    ]);
  });

  it('rejects a dedicated tenant with no capacity of its own', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        tenants: {
          research: {
            allocations: { prod: { tokensPerMinute: 1000, monthlyTokenQuota: 1000, dedicated: undefined } },
          },
        },
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'tenants.research.allocations.prod.dedicated',
        rule: 'tenant-dedicated-capacity',
      }),
    );
  });

  it('checks the PTU rules on dedicated deployments too', () => {
    const research = exampleInput('prod').tenants!['research']!;
    const prod = research.allocations.prod as {
      dedicated: { accounts: { swedencentral: { deployments: Record<string, { capacity: number }> } } };
    };
    prod.dedicated.accounts.swedencentral.deployments['gpt-4o']!.capacity = 17;
    expect(problemsOf(exampleInput('prod', { tenants: { research } })).map((p) => p.message)).toContain(
      'GlobalProvisionedManaged gpt-4o scales in steps of 5 PTU from 15; expected 15 or 20',
    );
  });

  it('says which API Management limit a config exceeds', () => {
    const input = environmentWithTenants(101, { base: 'dev', dedicatedEvery: 0 });
    input.gateway = { ...input.gateway!, sku: { tier: 'Developer', capacity: 1 } };
    const problems = problemsOf(input).filter((p) => p.rule === 'tenants-fit-gateway-limits');
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'tenants',
        message: expect.stringMatching(
          /^101 tenants need 101 products; API Management Developer allows 100 products per service \(https:\/\/learn\.microsoft\.com\/.*\); expected a larger tier \(Basic, BasicV2, Standard, StandardV2, Premium, PremiumV2\)/,
        ),
      }),
    ]);
  });

  it('deletes data only of an offboarded tenant, and keeps offboarded data protected in prod', () => {
    expect(
      problemsOf(
        exampleInput('prod', {
          tenants: { legal: { deleteData: 'The legal team moved to another platform in May.' } },
        }),
      ).map((p) => p.rule),
    ).toEqual(['tenant-delete-data-only-offboarded']);
    expect(
      problemsOf(exampleInput('prod', { tenancy: { protectOffboardedData: false } })).map((p) => p.rule),
    ).toEqual(['prod-protects-offboarded-data']);
  });
});
