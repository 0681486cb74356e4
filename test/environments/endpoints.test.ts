import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, EXAMPLE_ENVIRONMENTS, loadEnvironments, readConfigFile } from '../../environments';
import { environmentQuotaPlan } from '../../environments/capacity';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput } from '../helpers/synth';

/** The dev example with one deployment replaced. */
function devWith(deployment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return exampleInput('dev', {
    // Probe deployments have no price: the cost plan's rule has its own tests (test/environments/finops.test.ts).
    finops: undefined,
    endpoints: {
      accounts: {
        swedencentral: {
          deployments: {
            probe: {
              model: { name: 'gpt-4o', version: '2024-11-20' },
              contentFilter: 'standard',
              ...deployment,
            },
          },
        },
      },
      quota: {
        swedencentral: {
          'gpt-4o': { ProvisionedManaged: 500, GlobalProvisionedManaged: 500, Standard: 500 },
        },
      },
      ...extra,
    },
  });
}

describe('deployment input', () => {
  it('rejects an unknown deployment type with the list of known ones', () => {
    expect(problemsOf(devWith({ type: 'Premium', capacity: 10 }))).toEqual([
      {
        path: 'endpoints.accounts.swedencentral.deployments.probe.type',
        message: expect.stringContaining(
          'expected a deployment type: one of Standard, GlobalStandard, DataZoneStandard',
        ),
        received: '"Premium"',
      },
    ]);
  });

  it('rejects PTU capacity below the minimum', () => {
    expect(problemsOf(devWith({ type: 'ProvisionedManaged', capacity: 25 }))).toEqual([
      {
        path: 'endpoints.accounts.swedencentral.deployments.probe.capacity',
        message: 'ProvisionedManaged gpt-4o needs at least 50 PTU; expected 50 or more in steps of 50',
        received: '25',
        rule: 'deployment-capacity-fits-type',
      },
    ]);
  });

  it('rejects PTU capacity off the increment and names both neighbours', () => {
    const [problem] = problemsOf(devWith({ type: 'GlobalProvisionedManaged', capacity: 17 }));
    expect(problem?.message).toBe(
      'GlobalProvisionedManaged gpt-4o scales in steps of 5 PTU from 15; expected 15 or 20',
    );
  });

  it('lets config extend the PTU table, and asks for it when a model is missing', () => {
    const unknownModel = devWith({
      model: { name: 'gpt-5', version: '2025-08-07' },
      type: 'GlobalProvisionedManaged',
      capacity: 30,
    });
    expect(problemsOf(unknownModel).map((p) => p.message)).toContain(
      'no PTU minimum is known for gpt-5 as GlobalProvisionedManaged; expected an entry in endpoints.provisionedThroughputRules["gpt-5"].GlobalProvisionedManaged',
    );
    const extended = devWith(
      { model: { name: 'gpt-5', version: '2025-08-07' }, type: 'GlobalProvisionedManaged', capacity: 30 },
      {
        provisionedThroughputRules: { 'gpt-5': { GlobalProvisionedManaged: { minimum: 30, increment: 10 } } },
        quota: { swedencentral: { '*': { GlobalProvisionedManaged: 100 } } },
      },
    );
    expect(() =>
      exampleEnvironment('dev', {
        finops: undefined,
        ...(extended.endpoints === undefined ? {} : { endpoints: extended.endpoints }),
      }),
    ).not.toThrow();
  });

  it('rejects pay-as-you-go capacity that is not a positive whole number of thousands of TPM', () => {
    expect(problemsOf(devWith({ type: 'Standard', capacity: 0.5 }))[0]?.message).toBe(
      'expected a whole number',
    );
    expect(problemsOf(devWith({ type: 'Standard', capacity: -1 }))[0]?.message).toBe(
      'expected a positive capacity',
    );
  });

  it('rejects a deployment that references a missing content filter', () => {
    expect(problemsOf(devWith({ type: 'Standard', capacity: 10, contentFilter: 'lenient' }))).toEqual([
      {
        path: 'endpoints.accounts.swedencentral.deployments.probe.contentFilter',
        message: 'no content filter "lenient" in endpoints.contentFilters; expected one of: strict, standard',
        received: '"lenient"',
        rule: 'deployment-content-filter-exists',
      },
    ]);
  });

  it('rejects a duplicate deployment key in a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-dup-'));
    const file = join(dir, 'dev.yaml');
    writeFileSync(
      file,
      'endpoints:\n  accounts:\n    swedencentral:\n      deployments:\n        gpt-4o: { type: Standard }\n        gpt-4o: { type: GlobalStandard }\n',
    );
    expect(() => readConfigFile(file)).toThrow(/line 6, column 9: invalid YAML: duplicate key/);
  });

  it('rejects a custom subdomain that breaks DNS label rules', () => {
    const problems = problemsOf(
      exampleInput('dev', { endpoints: { accounts: { swedencentral: { name: 'Contoso_GenAI' } } } }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'endpoints.accounts.swedencentral.name',
        rule: 'names-fit-azure-rules',
        message: expect.stringMatching(
          /^customSubdomain name "Contoso_GenAI" allows only lowercase letters, digits and hyphens/,
        ),
      }),
    );
  });

  it('rejects a data zone type in a region outside the US and EU data zones', () => {
    const input = exampleInput('dev', {
      finops: undefined,
      regions: { primary: 'japaneast' },
      endpoints: {
        accounts: {
          swedencentral: undefined,
          japaneast: {
            deployments: {
              probe: {
                model: { name: 'gpt-4o', version: '2024-11-20' },
                type: 'DataZoneStandard',
                capacity: 10,
                contentFilter: 'standard',
              },
            },
          },
        },
        quota: { swedencentral: undefined, japaneast: { 'gpt-4o': { DataZoneStandard: 100 } } },
      },
    });
    expect(problemsOf({ ...input, tenants: {} }).map((p) => p.rule)).toEqual(['data-zone-region']);
  });

  it('rejects an account in a region the environment does not declare', () => {
    const input = exampleInput('dev', { endpoints: { accounts: { francecentral: { deployments: {} } } } });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'endpoints.accounts.francecentral',
        rule: 'endpoint-regions-declared',
      }),
    ]);
  });

  it('checks the spillover target: provisioned source, same account, pay-as-you-go twin of the same model', () => {
    const base = exampleInput('prod');
    const sdc = base.endpoints!.accounts!.swedencentral!;
    const broken = (patch: Record<string, unknown>) =>
      problemsOf(
        exampleInput('prod', {
          endpoints: { accounts: { swedencentral: { deployments: { ...sdc.deployments, ...patch } } } },
        }),
      );
    expect(broken({ 'gpt-4o': { ...sdc.deployments['gpt-4o'], spilloverTo: 'nope' } })[0]?.message).toMatch(
      /no deployment "nope" on this account/,
    );
    expect(
      broken({ 'gpt-4o': { ...sdc.deployments['gpt-4o'], spilloverTo: 'text-embedding-3-large' } })[0]
        ?.message,
    ).toMatch(
      /spillover needs a pay-as-you-go deployment of gpt-4o 2024-11-20; "text-embedding-3-large" is Standard text-embedding-3-large 1/,
    );
    expect(
      broken({
        'text-embedding-3-large': { ...sdc.deployments['text-embedding-3-large'], spilloverTo: 'gpt-4o' },
      })[0]?.message,
    ).toMatch(/only provisioned deployments spill over/);
  });

  it('rejects a non-OpenAI model on an OpenAI account', () => {
    const input = devWith({
      type: 'Standard',
      capacity: 10,
      model: { name: 'Phi-4', version: '7', format: 'Microsoft' },
    });
    input.endpoints!.accounts!.swedencentral!.kind = 'OpenAI';
    expect(problemsOf(input).map((p) => p.rule)).toContain('model-format-fits-account');
  });

  it('requires restricted outbound access on prod accounts', () => {
    const input = exampleInput('prod', {
      endpoints: { accounts: { germanywestcentral: { restrictOutboundNetworkAccess: false } } },
    });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'endpoints.accounts.germanywestcentral.restrictOutboundNetworkAccess',
        rule: 'prod-restricts-outbound',
      }),
    ]);
  });
});

describe('quota planning', () => {
  it('passes the shipped plans and reports the headroom', () => {
    const rows = environmentQuotaPlan(exampleEnvironment('prod'));
    expect(rows.find((r) => r.region === 'swedencentral' && r.type === 'ProvisionedManaged')).toMatchObject({
      model: '*',
      requested: 100,
      quota: 200,
    });
  });

  it('sums every deployment of a region, model and type, and says by how much it is over', () => {
    const input = exampleInput('prod', {
      endpoints: { quota: { francecentral: { 'gpt-4o': { DataZoneStandard: 250 } } } },
    });
    expect(problemsOf(input)).toEqual([
      {
        path: 'endpoints.accounts.francecentral.deployments.gpt-4o.capacity',
        message:
          'francecentral gpt-4o DataZoneStandard: deployments ask for 300 thousand TPM in all, the quota is 250; over by 50',
        received: '300',
        rule: 'quota-covers-requests',
      },
    ]);
  });

  it('asks for a quota when none is declared', () => {
    const input = exampleInput('dev');
    input.endpoints!.quota = { swedencentral: { 'text-embedding-3-small': { Standard: 120 } } };
    expect(problemsOf(input)[0]?.message).toBe(
      'no quota declared for gpt-4o-mini GlobalStandard in swedencentral; expected an entry in endpoints.quota.swedencentral["gpt-4o-mini"].GlobalStandard',
    );
  });

  it('counts provisioned deployments of every model against the model-independent PTU quota', () => {
    const input = exampleInput('prod', {
      endpoints: { quota: { swedencentral: { '*': { ProvisionedManaged: 60 } } } },
    });
    expect(problemsOf(input)[0]?.message).toBe(
      'swedencentral * ProvisionedManaged: deployments ask for 100 PTU in all, the quota is 60; over by 40',
    );
  });
});

describe('content filter strictness', () => {
  it('prod blocks harm categories at Medium or stricter, with every shield on', () => {
    const input = exampleInput('prod', {
      endpoints: {
        contentFilters: {
          standard: { categories: { violence: { completion: 'High' } }, promptShields: { jailbreak: false } },
        },
      },
    });
    expect(problemsOf(input).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'endpoints.contentFilters.standard.promptShields.jailbreak: prod: prompt shields must be on; expected true',
      'endpoints.contentFilters.standard.categories.violence.completion: prod: harm categories must block at Medium severity or stricter; expected "Medium" or "Low"',
    ]);
  });

  it('staging keeps shields and protected material on but may block at High', () => {
    const input = exampleInput('staging', {
      endpoints: {
        contentFilters: {
          standard: { categories: { hate: { prompt: 'High' } }, protectedMaterial: { code: false } },
        },
      },
    });
    expect(problemsOf(input).map((p) => p.path)).toEqual([
      'endpoints.contentFilters.standard.protectedMaterial.code',
    ]);
  });

  it('rejects a prod filter weaker than staging’s when both are loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-strict-'));
    const staging = join(dir, 'staging.json');
    const prod = join(dir, 'prod.json');
    writeFileSync(
      staging,
      JSON.stringify(
        exampleInput('staging', {
          endpoints: { contentFilters: { standard: { categories: { hate: { prompt: 'Low' } } } } },
        }),
      ),
    );
    writeFileSync(prod, JSON.stringify(exampleInput('prod')));
    let error: unknown;
    try {
      loadEnvironments({ configFiles: [staging, prod] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(
      'endpoints.contentFilters.standard: prod must be at least as strict as staging',
    );
    expect((error as ConfigError).message).toContain(
      'categories.hate.prompt is Medium, expected Low or stricter',
    );
  });

  it('accepts every environment the project loads together', () => {
    expect(loadEnvironments().map((e) => e.name)).toEqual(Object.keys(EXAMPLE_ENVIRONMENTS));
  });
});

describe('content safety', () => {
  it('is required, and paid, in staging and prod', () => {
    expect(
      problemsOf(exampleInput('prod', { endpoints: { contentSafety: { enabled: false } } })).map(
        (p) => p.rule,
      ),
    ).toEqual(['content-safety-in-private-stages', 'gateway-content-safety-account']);
    expect(
      problemsOf(exampleInput('staging', { endpoints: { contentSafety: { sku: 'F0' } } }))[0]?.message,
    ).toMatch(/free tier is throttled and has no SLA; expected "S0"/);
  });
});
