import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../../../environments';
import { foundryTenants } from '../../../environments/sections/foundry';
import { TENANTS } from '../../../environments/tenants';
import { problemsOf } from '../../helpers/config';
import { exampleInput } from '../../helpers/synth';

/** The example registry with one tenant patched. */
const withTenant = (slug: keyof typeof TENANTS, patch: Record<string, unknown>) => ({
  ...TENANTS,
  [slug]: { ...TENANTS[slug], ...patch },
});

describe('foundry section', () => {
  it('is off unless enabled, S0 in the primary region', () => {
    const env = parseEnvironment(
      exampleInput('staging', {
        foundry: undefined,
        tenants: withTenant('marketing', { foundryProject: false }),
      }),
      'staging',
    );
    expect(env.foundry).toEqual({ enabled: false, sku: 'S0' });
    expect(foundryTenants(env)).toEqual([]);
  });

  it('gives a project to a tenant that opts in for this environment, by true or by name', () => {
    const named = parseEnvironment(exampleInput('prod'), 'prod');
    expect(foundryTenants(named)).toContain('marketing');
    const everywhere = parseEnvironment(
      exampleInput('prod', {
        tenants: withTenant('research', { foundryProject: true, auth: 'both' }),
      }),
      'prod',
    );
    expect(foundryTenants(everywhere)).toEqual(['marketing', 'research']);
  });

  it('gives no project where `true` meets no allocation, and none to an offboarded tenant', () => {
    // marketing has no allocation in dev: `true` means "wherever it is", so dev has no project and no error.
    const dev = parseEnvironment(
      exampleInput('dev', { tenants: withTenant('marketing', { foundryProject: true }) }),
      'dev',
    );
    expect(foundryTenants(dev)).toEqual([]);
    const prod = parseEnvironment(
      exampleInput('prod', { tenants: withTenant('pilot', { foundryProject: true, auth: 'both' }) }),
      'prod',
    );
    expect(foundryTenants(prod)).not.toContain('pilot');
  });

  it('rejects a project for a tenant that has no allocation in that environment, naming the path', () => {
    expect(
      problemsOf(
        exampleInput('dev', { tenants: withTenant('marketing', { foundryProject: { dev: true } }) }),
      ),
    ).toEqual([
      {
        path: 'tenants.marketing.foundryProject.dev',
        message:
          'a Foundry project for tenant "marketing" in dev, where it has no allocation (allocations.dev is "none"); expected an allocation in dev, or no project there',
        received: 'true',
        rule: 'foundry-project-needs-allocation',
      },
    ]);
  });

  it('rejects a project named for an environment whose Foundry is off', () => {
    const problems = problemsOf(
      exampleInput('staging', {
        foundry: { enabled: false },
        tenants: withTenant('marketing', { foundryProject: { staging: true } }),
      }),
    );
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['tenants.marketing.foundryProject.staging', 'foundry-project-needs-allocation'],
    ]);
    expect(problems[0]!.message).toContain('where foundry.enabled is false');
  });

  it('rejects a project whose tenant demands an Entra token: the gateway connection sends the key only', () => {
    const problems = problemsOf(
      exampleInput('prod', { tenants: withTenant('legal', { foundryProject: true }) }),
    );
    expect(problems.map((p) => [p.path, p.rule])).toEqual([
      ['tenants.legal.auth', 'foundry-project-gateway-key'],
    ]);
    expect(problems[0]!.message).toContain('expected auth "both"');
    expect(problems[0]!.message).toContain('the prod default');
  });

  it('rejects a Foundry region outside the environment and a value that is neither true nor a map', () => {
    expect(
      problemsOf(exampleInput('staging', { foundry: { enabled: true, region: 'westeurope' } })).map(
        (p) => p.path,
      ),
    ).toEqual(['foundry.region']);
    const wrong = problemsOf(
      exampleInput('prod', { tenants: withTenant('marketing', { foundryProject: 'yes' }) }),
    );
    expect(wrong.map((p) => p.path)).toEqual(['tenants.marketing.foundryProject']);
    expect(wrong[0]!.message).toContain('expected true');
  });
});
