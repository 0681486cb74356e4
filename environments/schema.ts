/**
 * The schema of one environment: shapes, defaults and cross-field rules, parsed once at start-up.
 *
 * Objects are strict (an unknown key is an error). Each cross-field rule is its own refinement with its own message,
 * listed in {@link ENVIRONMENT_RULES}.
 */
import { z } from 'zod';
import { environmentCapacityClaims } from './capacity';
import { describeHolder, environmentNames, NAME_INPUT_PATHS, nameClashes } from './names';
import { type EnvironmentRule, withRules } from './rules';
import { ENDPOINT_FIELDS, endpointRules } from './sections/endpoints';
import { TAG_LIMITS } from '../constructs/shared/tags';
import { DERIVED_TAGS, environmentTags, FOUNDATION_FIELDS } from './sections/foundation';
import { KEY_VAULT_FIELDS, KEY_VAULT_CONFIG_RULES } from './sections/key-vault';
import { GATEWAY_FIELDS, gatewayRules } from './sections/gateway';
import { GATEWAY_REGION_CONFIG_RULES } from './sections/gateway-regions';
import { RESILIENCE_FIELDS } from './sections/resilience';
import { GOVERNANCE_FIELDS, GOVERNANCE_CONFIG_RULES } from './sections/governance';
import { FINOPS_FIELDS, finopsRules, ledgerRules } from './sections/finops';
import { TENANT_FIELDS, tenantRules, tenantsIn, tenantTags } from './sections/tenants';
import { TENANT_SHARD_FIELDS, tenantShardRules } from './sections/tenant-shards';
import { MONITORING_FIELDS, monitoringRules } from './sections/monitoring';

import { NETWORK_FIELDS } from './sections/network';
import { NETWORK_CONFIG_RULES } from './sections/network-rules';
import { PROMPT_LIBRARY_FIELDS, PROMPT_LIBRARY_CONFIG_RULES } from './sections/prompt-library';
import { GENAIOPS_FIELDS, GENAIOPS_CONFIG_RULES } from './sections/genaiops';
import { FOUNDRY_FIELDS, foundryRules } from './sections/foundry';

const EnvironmentObject = z
  .strictObject({
    ...FOUNDATION_FIELDS,
    ...ENDPOINT_FIELDS,
    ...GATEWAY_FIELDS,
    ...TENANT_FIELDS,
    ...TENANT_SHARD_FIELDS,
    ...MONITORING_FIELDS,
    ...NETWORK_FIELDS,
    ...KEY_VAULT_FIELDS,
    ...PROMPT_LIBRARY_FIELDS,
    ...FOUNDRY_FIELDS,
    ...GOVERNANCE_FIELDS,
    ...RESILIENCE_FIELDS,
    ...FINOPS_FIELDS,
    ...GENAIOPS_FIELDS,
  })
  .describe('One environment of the GenAI landing zone (dev, staging, prod, …).');

/** A parsed environment: validated, defaults filled in. */
export type Environment = z.output<typeof EnvironmentObject>;
/** What a config file or an `environments/<env>.ts` module writes. */
export type EnvironmentInput = z.input<typeof EnvironmentObject>;

const PRIVATE_STAGES: ReadonlySet<Environment['stage']> = new Set(['staging', 'prod']);

export const ENVIRONMENT_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'private-stages-no-public-access',
    reads: [['stage'], ['network', 'publicNetworkAccess']],
    check: (env, report) => {
      if (PRIVATE_STAGES.has(env.stage) && env.network.publicNetworkAccess.enabled) {
        report({
          path: ['network', 'publicNetworkAccess', 'enabled'],
          message: `${env.stage}: public network access must be disabled; expected false`,
        });
      }
    },
  },
  {
    id: 'private-stages-private-network',
    reads: [['stage'], ['network', 'mode']],
    check: (env, report) => {
      if (PRIVATE_STAGES.has(env.stage) && env.network.mode === 'none') {
        report({
          path: ['network', 'mode'],
          message: `${env.stage}: services must sit behind private endpoints; expected "create" or "byo"`,
        });
      }
    },
  },
  {
    id: 'no-network-needs-public-access',
    reads: [['network']],
    check: (env, report) => {
      if (env.network.mode === 'none' && !env.network.publicNetworkAccess.enabled) {
        report({
          path: ['network', 'publicNetworkAccess'],
          message:
            'with network.mode "none" nothing private can reach the services; expected { enabled: true, reason: "…" } or another mode',
        });
      }
    },
  },
  {
    id: 'private-stages-remote-state',
    reads: [['stage'], ['backend']],
    check: (env, report) => {
      if (PRIVATE_STAGES.has(env.stage) && env.backend.type === 'local') {
        report({
          path: ['backend', 'type'],
          message: `${env.stage}: state must be remote and shared by the pipeline; expected "azurerm"`,
        });
      }
    },
  },
  {
    id: 'prod-keeps-soft-deleted',
    reads: [['stage'], ['azure', 'purgeSoftDeletedOnDestroy']],
    check: (env, report) => {
      if (env.stage === 'prod' && env.azure.purgeSoftDeletedOnDestroy) {
        report({
          path: ['azure', 'purgeSoftDeletedOnDestroy'],
          message: 'prod: a destroyed vault or model account must stay recoverable; expected false',
        });
      }
    },
  },
  {
    id: 'regions-distinct',
    reads: [['regions']],
    check: (env, report) => {
      const seen = new Set([env.regions.primary]);
      env.regions.additional.forEach((region, i) => {
        if (seen.has(region)) {
          report({
            path: ['regions', 'additional', i],
            message: `region listed twice (${region} is already the primary or an earlier additional region); expected each region once`,
          });
        }
        seen.add(region);
      });
    },
  },
  {
    id: 'tags-not-reserved',
    reads: [['tags', 'additional']],
    check: (env, report) => {
      // Azure treats tag names case-insensitively: "Owner" would silently replace the mandatory "owner".
      const reserved = new Set<string>(
        [...DERIVED_TAGS, 'owner', 'costCenter', 'businessUnit', 'criticality', 'dataClassification'].map(
          (name) => name.toLowerCase(),
        ),
      );
      const seen = new Map<string, string>();
      for (const name of Object.keys(env.tags.additional)) {
        const folded = name.toLowerCase();
        if (reserved.has(folded)) {
          report({
            path: ['tags', 'additional', name],
            message: `tag "${name}" is set by the blueprint or has its own field (Azure compares tag names case-insensitively); expected another name`,
          });
        } else if (seen.has(folded)) {
          report({
            path: ['tags', 'additional', name],
            message: `tag "${name}" differs from "${seen.get(folded)}" only in case, and Azure treats them as one tag (${TAG_LIMITS.source}); expected one of them`,
          });
        }
        seen.set(folded, name);
      }
    },
  },
  {
    id: 'tags-fit-azure-limits',
    reads: [['name'], ['workload'], ['tags'], ['tenants'], ['network', 'mode']],
    check: (env, report) => {
      // The tags each resource really carries: the environment's on every resource, a tenant's over them on its
      // own. Private DNS zones and their links, which network.mode "create" creates, take fewer and plainer ones.
      const dns = env.network.mode === 'create';
      const platform = environmentTags(env);
      const tagSets = [
        {
          tags: platform,
          what: 'every resource',
          limit: dns ? TAG_LIMITS.perPrivateDnsResource : TAG_LIMITS.perResource,
          where: dns
            ? 'on private DNS zones and their links (network.mode "create" creates them)'
            : 'per resource',
        },
        ...tenantsIn(env).map((t) => ({
          tags: { ...platform, ...tenantTags(t.slug, t.tenant) },
          what: `tenant ${t.slug}'s resources`,
          limit: TAG_LIMITS.perResource,
          where: 'per resource',
        })),
      ];
      const tooMany = tagSets.find((set) => Object.keys(set.tags).length > set.limit);
      if (tooMany) {
        report({
          path: ['tags', 'additional'],
          message: `${tooMany.what} would carry ${Object.keys(tooMany.tags).length} tags; Azure allows ${tooMany.limit} ${tooMany.where} (${TAG_LIMITS.source}); expected fewer tags.additional`,
        });
      }
      if (!dns) return;
      for (const name of Object.keys(env.tags.additional)) {
        if (!TAG_LIMITS.dnsName.test(name)) {
          report({
            path: ['tags', 'additional', name],
            message: `tag "${name}" would reach the private DNS zones (network.mode "create"), whose tag names take no spaces, special or unicode characters and no leading digit (${TAG_LIMITS.source}); expected letters, digits, - and _, starting with a letter`,
          });
        }
      }
    },
  },
  ...endpointRules<Environment>(
    (env) => environmentCapacityClaims(env),
    [['endpoints'], ['name'], ['tenants']],
  ),
  ...gatewayRules<Environment>(),
  ...tenantRules<Environment>(),
  ...tenantShardRules<Environment>(),
  {
    id: 'gateway-network-matches-environment',
    reads: [['network'], ['regions', 'primary'], ['gateway', 'network']],
    check: (env, report) => {
      if (env.gateway.network === 'public' && !env.network.publicNetworkAccess.enabled) {
        report({
          path: ['gateway', 'network'],
          message:
            'a public gateway has no VNet and cannot reach private model accounts; expected "internal" or "privateEndpoint", or public access on the environment (dev)',
        });
      }
      if (env.gateway.network !== 'public' && env.network.mode === 'none') {
        report({
          path: ['gateway', 'network'],
          message: `network.mode "none" has no subnet for a ${env.gateway.network} gateway; expected "public" or a private network`,
        });
      }
      const primary = env.regions.primary;
      if (
        env.gateway.network !== 'public' &&
        env.network.mode === 'byo' &&
        !env.network.subnetIds[primary]?.gateway
      ) {
        report({
          path: ['network', 'subnetIds', primary, 'gateway'],
          message: `a ${env.gateway.network} gateway needs a subnet in ${primary}; expected the ARM id of the gateway subnet`,
        });
      }
    },
  },
  ...monitoringRules<Environment>(),
  {
    id: 'names-fit-azure-rules',
    reads: NAME_INPUT_PATHS,
    check: (env, report) => {
      for (const planned of environmentNames(env).book.entries) {
        for (const problem of planned.problems) {
          report({ path: planned.path, message: `${planned.kind} name "${planned.name}" ${problem}` });
        }
      }
    },
  },
  {
    id: 'names-distinct',
    reads: NAME_INPUT_PATHS,
    check: (env, report) => {
      for (const { entry, holder } of nameClashes(environmentNames(env).book.entries)) {
        report({
          path: entry.path,
          message: `${entry.kind} name "${entry.name}" is already ${describeHolder(holder)}; expected a name of its own${entry.owner === 'tenant' ? ' (another tenant slug)' : ''}`,
        });
      }
    },
  },
  ...NETWORK_CONFIG_RULES,
  ...KEY_VAULT_CONFIG_RULES,
  ...PROMPT_LIBRARY_CONFIG_RULES,
  ...GENAIOPS_CONFIG_RULES,
  ...foundryRules<Environment>(),
  ...GOVERNANCE_CONFIG_RULES,
  ...GATEWAY_REGION_CONFIG_RULES,
  ...finopsRules<Environment>(
    (env) => environmentCapacityClaims(env),
    [['endpoints'], ['name'], ['tenants']],
  ),
  ...ledgerRules<Environment>(),
];

/** The environment schema with every cross-field rule. */
export const EnvironmentSchema = withRules(EnvironmentObject, ENVIRONMENT_RULES);

/** Shapes and defaults only, without the cross-field rules: for reports that show what a rule would reject. */
export const EnvironmentShapeSchema = EnvironmentObject;
