import { z } from 'zod';
import { BUILT_IN_POLICIES } from '../../constructs/shared/catalog';
import { RULE_IDS } from '../../constructs/shared/policy/registry';
import type { EnvironmentRule } from '../rules';
import type { Environment } from '../schema';
import { Reason } from './primitives';

const RuleId = z.enum(RULE_IDS, {
  error: () =>
    'unknown policy rule; expected a rule id of the pack, a plan check or a data-path rule, such as "LZ.KeyVault.PurgeProtection" or "LZ.Path.Route" (policy.json and the audit report list them)',
});

/**
 * A secure default that stays on unless config turns it off, and turning it off needs a reason, which the audit
 * report shows (the mirror of `optIn`).
 */
function optOut(description: string) {
  return z
    .discriminatedUnion('enabled', [
      z.strictObject({ enabled: z.literal(true) }),
      z.strictObject({ enabled: z.literal(false), reason: Reason }),
    ])
    .default({ enabled: true })
    .describe(description);
}

export const GovernanceSection = z
  .strictObject({
    downgradeToWarning: z
      .partialRecord(RuleId, Reason)
      .default({})
      .describe(
        'dev only: policy rules whose violations are warnings instead of errors, each with the reason. staging and prod cannot downgrade.',
      ),
    suppressions: z
      .array(
        z.strictObject({
          rule: RuleId,
          resource: z
            .string()
            .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, {
              message: 'expected a construct path such as PromptLibrary/Account (construct ids joined by /)',
            })
            .describe(
              'Construct path of the resource inside the stack, e.g. "PromptLibrary/Account" (policy.json lists every path).',
            ),
          reason: Reason,
        }),
      )
      .default([])
      .describe(
        'One policy rule switched off for one resource, with the reason an auditor reads in the report.',
      ),
    runtime: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            'Assign the built-in Azure Policy definition of every rule that has one (constructs/shared/catalog/policy-definitions.ts): Deny in prod, Audit elsewhere. Each suppression of such a rule becomes a policy exemption.',
          ),
        scope: z
          .enum(['resourceGroups', 'subscription'])
          .default('resourceGroups')
          .describe(
            'Where the assignments go: each resource group the environment creates, or its subscription (needs the right to assign policy there).',
          ),
        exemptions: z
          .array(
            z.strictObject({
              rule: RuleId,
              resource: z
                .string()
                .regex(/^[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/, {
                  message:
                    'expected a construct path such as PromptLibrary/Account (construct ids joined by /)',
                })
                .describe('Construct path of the resource inside the stack (policy.json lists every path).'),
              reason: Reason,
            }),
          )
          .default([])
          .describe(
            'Run-time only: a policy exemption for one resource that passes at synth but may drift at run time by design (a break-glass change). The rule must have a built-in policy equivalent.',
          ),
      })
      .prefault({})
      .describe('Run-time guardrails: Azure Policy assignments and exemptions generated from the rule pack.'),
    defender: z
      .strictObject({
        enabled: z
          .boolean()
          .optional()
          .describe(
            'Microsoft Defender for Cloud plans AI, Api, KeyVaults and StorageAccounts (Standard tier) on the subscription. Default: on in prod, off elsewhere. They are subscription-wide: one environment per subscription should own them.',
          ),
        reason: Reason.optional().describe('Why prod runs without them (required to turn them off in prod).'),
      })
      .prefault({})
      .describe('Defender for Cloud plans, opt-in per environment.'),
  })
  .prefault({})
  .describe('The policy rule pack: per-resource suppressions and (dev only) downgrades to warnings.');

export const ProtectionSection = z
  .strictObject({
    deleteLocks: optOut(
      'CanNotDelete locks on the Key Vault, the prompt library, the workspace and the model accounts. Azure applies a lock to child resources too: in a locked environment, deleting a deployment, content filter or blocklist item needs the lock lifted first.',
    ),
    preventDestroy: optOut(
      'lifecycle.prevent_destroy on the same resources: Terraform refuses a plan that destroys or replaces them.',
    ),
  })
  .prefault({})
  .describe('Data protection of the stateful resources. On by default; prod cannot turn it off.');

export const GOVERNANCE_FIELDS = { governance: GovernanceSection, protection: ProtectionSection };

export const GOVERNANCE_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'governance-downgrade-dev-only',
    reads: [['stage'], ['governance', 'downgradeToWarning']],
    check: (env, report) => {
      if (env.stage === 'dev') return;
      for (const rule of Object.keys(env.governance.downgradeToWarning)) {
        report({
          path: ['governance', 'downgradeToWarning', rule],
          message: `${env.stage}: a policy violation is an error here; expected no downgrade (fix the resource or suppress the rule on it with a reason)`,
        });
      }
    },
  },
  {
    id: 'runtime-exemption-has-policy',
    reads: [['governance', 'runtime', 'exemptions']],
    check: (env, report) => {
      env.governance.runtime.exemptions.forEach((exemption, i) => {
        if (BUILT_IN_POLICIES[exemption.rule]) return;
        report({
          path: ['governance', 'runtime', 'exemptions', i, 'rule'],
          message: `${exemption.rule} has no built-in Azure Policy equivalent, so there is no assignment to exempt from; expected one of ${Object.keys(BUILT_IN_POLICIES).join(', ')} (suppress a design-time rule in governance.suppressions instead)`,
        });
      });
    },
  },
  {
    id: 'prod-defender-reason',
    reads: [['stage'], ['governance', 'defender']],
    check: (env, report) => {
      const defender = env.governance.defender;
      if (env.stage !== 'prod' || defender.enabled !== false || defender.reason) return;
      report({
        path: ['governance', 'defender', 'reason'],
        message:
          'prod: Defender for Cloud plans are on by default; expected a reason to turn them off (or leave enabled unset)',
      });
    },
  },
  {
    id: 'prod-data-protection',
    reads: [['stage'], ['protection']],
    check: (env, report) => {
      if (env.stage !== 'prod') return;
      for (const key of ['deleteLocks', 'preventDestroy'] as const) {
        if (!env.protection[key].enabled) {
          report({
            path: ['protection', key, 'enabled'],
            message:
              'prod: the vault, prompt library, workspace and model accounts must be protected from deletion; expected true',
          });
        }
      }
    },
  },
];
