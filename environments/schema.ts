/**
 * The schema of one environment: shapes, defaults and cross-field rules, parsed once at start-up.
 *
 * Objects are strict (an unknown key is an error). Each cross-field rule is its own refinement with its own message,
 * listed in {@link ENVIRONMENT_RULES}.
 */
import { z } from 'zod';
import { environmentCapacityClaims } from './capacity';
import { environmentNames, NAME_INPUT_PATHS } from './names';
import { type EnvironmentRule, withRules } from './rules';
import { ENDPOINT_FIELDS, endpointRules } from './sections/endpoints';
import { DERIVED_TAGS, FOUNDATION_FIELDS } from './sections/foundation';
import { KEY_VAULT_FIELDS, KEY_VAULT_RULES } from './sections/key-vault';
import { GATEWAY_FIELDS, gatewayRules } from './sections/gateway';
import { GOVERNANCE_FIELDS, GOVERNANCE_RULES } from './sections/governance';
import { TENANT_FIELDS, tenantRules } from './sections/tenants';
import { TENANT_SHARD_FIELDS, tenantShardRules } from './sections/tenant-shards';
import { MONITORING_FIELDS, monitoringRules } from './sections/monitoring';

import { NETWORK_FIELDS } from './sections/network';
import { NETWORK_RULES } from './sections/network-rules';
import { PROMPT_LIBRARY_FIELDS, PROMPT_LIBRARY_RULES } from './sections/prompt-library';

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
    ...GOVERNANCE_FIELDS,
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
      const reserved = new Set<string>([
        ...DERIVED_TAGS,
        'owner',
        'costCenter',
        'businessUnit',
        'criticality',
        'dataClassification',
      ]);
      for (const name of Object.keys(env.tags.additional)) {
        if (reserved.has(name)) {
          report({
            path: ['tags', 'additional', name],
            message: `tag "${name}" is set by the blueprint or has its own field; expected another name`,
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
  ...NETWORK_RULES,
  ...KEY_VAULT_RULES,
  ...PROMPT_LIBRARY_RULES,
  ...GOVERNANCE_RULES,
];

/** The environment schema with every cross-field rule. */
export const EnvironmentSchema = withRules(EnvironmentObject, ENVIRONMENT_RULES);

/** Shapes and defaults only, without the cross-field rules: for reports that show what a rule would reject. */
export const EnvironmentShapeSchema = EnvironmentObject;
