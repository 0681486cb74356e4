/**
 * The naming function, fuzzed: whatever the inputs, a name it accepts also passes Azure's documented rule (an
 * independent oracle), and a name it rejects comes with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkName, composeName, type ResourceKind } from '../../constructs/shared/naming';
import { type Environment, parseEnvironment } from '../../environments';
import { environmentNames, nameNamespace } from '../../environments/names';
import { TenantSlug } from '../../environments/sections/tenants';
import { AZURE_NAME_RULES, AZURE_OTHER_RULES } from '../helpers/azure-rules';
import { byoInput } from '../helpers/network';
import { exampleInput } from '../helpers/synth';
import { AZURE_REGION_NAMES } from '../../constructs/shared/catalog';

/** Naming kinds and the Terraform type whose documented rule applies. */
const KIND_TO_TYPE: Partial<Record<ResourceKind, string>> = {
  customSubdomain: 'customSubdomain',
  resourceGroup: 'azurerm_resource_group',
  keyVault: 'azurerm_key_vault',
  storageAccount: 'azurerm_storage_account',
  aiServicesAccount: 'cognitiveAccountName',
  openAiAccount: 'cognitiveAccountName',
  contentSafetyAccount: 'cognitiveAccountName',
  apiManagement: 'azurerm_api_management',
  logAnalyticsWorkspace: 'azurerm_log_analytics_workspace',
  virtualNetwork: 'azurerm_virtual_network',
  networkSecurityGroup: 'azurerm_network_security_group',
  privateEndpoint: 'azurerm_private_endpoint',
  publicIp: 'azurerm_public_ip',
  userAssignedIdentity: 'azurerm_user_assigned_identity',
};

const token = (max: number) =>
  fc.string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_.AZ'.split('')),
    minLength: 0,
    maxLength: max,
  });

describe('composeName and checkName', () => {
  it('accept only names that Azure accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom(...(Object.keys(KIND_TO_TYPE) as ResourceKind[])),
          prefix: token(6),
          workload: token(12),
          environment: token(6),
          region: fc.constantFrom(...AZURE_REGION_NAMES),
          qualifier: fc.option(token(14), { nil: undefined }),
          instance: fc.option(fc.integer({ min: 0, max: 120 }), { nil: undefined }),
        }),
        (input) => {
          const name = composeName(input);
          const problems = checkName(input.kind, name);
          const type = KIND_TO_TYPE[input.kind]!;
          const oracle = (AZURE_NAME_RULES[type] ?? AZURE_OTHER_RULES[type])!;
          if (problems.length === 0) {
            accepted += 1;
            expect(oracle(name), `${input.kind} "${name}"`).toBe(true);
          } else {
            expect(problems.every((p) => p.length > 0)).toBe(true);
          }
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
});

const someTenant = Object.values(parseEnvironment(exampleInput('prod'), 'prod').tenants)[0]!;

/** A dedicated tenant with an account in every region of `env`: every name a tenant can have. */
function dedicatedEverywhere(env: Environment): Environment['tenants'][string] {
  const regions = [env.regions.primary, ...env.regions.additional];
  return {
    ...someTenant,
    tier: 'dedicated',
    lifecycle: 'active',
    allocations: {
      [env.name]: {
        tokensPerMinute: 1,
        monthlyTokenQuota: 1,
        dedicated: { accounts: Object.fromEntries(regions.map((r) => [r, { deployments: {} }])) },
      },
    },
  };
}

describe('tenant names and platform names', () => {
  const environments = [
    ...(['dev', 'staging', 'prod'] as const).map((name) => parseEnvironment(exampleInput(name), name)),
    parseEnvironment(byoInput('prod'), 'byo'),
  ];
  // Every run of hyphen-separated segments of a platform name that the schema accepts as a slug: `apim`, `pl-blob`,
  // `sdc`, `genai-prd`, … taken from the plan itself, so a new platform name brings its own hostile slugs.
  const platformSlugs = [
    ...new Set(
      environments.flatMap((env) =>
        environmentNames(env).book.entries.flatMap((entry) => {
          const parts = entry.name.toLowerCase().split('-');
          return parts.flatMap((_, i) => parts.slice(i).map((__, j) => parts.slice(i, i + j + 1).join('-')));
        }),
      ),
    ),
  ].filter((candidate) => TenantSlug.safeParse(candidate).success);

  /** Gives every slug a dedicated tenant in `env` and checks that no tenant name equals a platform name. */
  function disjoint(
    env: Environment,
    slugs: readonly string[],
    naming: Environment['naming'] = env.naming,
  ): number {
    const drawn: Environment = {
      ...env,
      naming,
      tenants: Object.fromEntries(
        slugs.filter((s) => TenantSlug.safeParse(s).success).map((s) => [s, dedicatedEverywhere(env)]),
      ),
    };
    const entries = environmentNames(drawn).book.entries;
    const taken = new Map<string, string>();
    for (const entry of entries.filter((e) => e.owner !== 'tenant')) {
      const namespace = nameNamespace(entry.kind);
      if (namespace)
        taken.set(`${namespace}:${entry.name.toLowerCase()}`, `${entry.kind} at ${entry.path.join('.')}`);
    }
    let checked = 0;
    const clashes: string[] = [];
    for (const entry of entries.filter((e) => e.owner === 'tenant')) {
      const namespace = nameNamespace(entry.kind);
      if (!namespace) continue;
      checked += 1;
      const holder = taken.get(`${namespace}:${entry.name.toLowerCase()}`);
      if (holder) clashes.push(`${entry.kind} "${entry.name}" of ${entry.path.join('.')} is the ${holder}`);
    }
    expect(clashes).toEqual([]);
    return checked;
  }

  it('never meet: no slug taken from a platform name produces a platform name, in any environment', () => {
    expect(platformSlugs).toEqual(expect.arrayContaining(['apim', 'ais', 'kv', 'pl-blob', 'cs']));
    for (const env of environments) expect(disjoint(env, platformSlugs)).toBeGreaterThan(1000);
  });

  it('never meet: no random slug the schema accepts does, with random naming inputs, in any kind', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.record({
          env: fc.constantFrom(...environments),
          slugs: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{1,11}$/), { minLength: 1, maxLength: 8 }),
          prefix: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{1,4}$/), { nil: undefined }),
          environmentCode: fc.option(fc.stringMatching(/^[a-z][a-z0-9]{0,3}$/), { nil: undefined }),
        }),
        ({ env, slugs, prefix, environmentCode }) => {
          checked += disjoint(env, slugs, {
            prefix: prefix ?? env.naming.prefix,
            environmentCode: environmentCode ?? env.naming.environmentCode,
          });
        },
      ),
      { seed: 20261201, numRuns: 100 },
    );
    expect(checked).toBeGreaterThan(1000);
  });
});
