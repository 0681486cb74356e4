import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import type { Environment } from '../schema';
import { optIn } from './primitives';

export const KeyVaultSection = z
  .strictObject({
    skuName: z
      .enum(['standard', 'premium'])
      .default('standard')
      .describe('premium adds HSM-protected keys; secrets for the gateway need only standard.'),
    softDeleteRetentionInDays: z
      .number()
      .int({ message: 'expected a whole number of days' })
      .min(7, { message: 'Key Vault keeps deleted vaults 7–90 days; expected at least 7' })
      .max(90, { message: 'Key Vault keeps deleted vaults 7–90 days; expected at most 90' })
      .default(90)
      .describe(
        'How long a deleted vault and its objects stay recoverable (7–90 days). Set once: Azure keeps it.',
      ),
    disablePurgeProtection: optIn(
      'Turn purge protection off, so that a destroyed vault can be purged and its name reused at once. Dev only.',
    ),
  })
  .prefault({})
  .describe(
    'The environment’s Key Vault: RBAC only, private, purge-protected; the gateway reads secrets from it.',
  );

export const KEY_VAULT_FIELDS = { keyVault: KeyVaultSection };

export const KEY_VAULT_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'key-vault-purge-protection',
    reads: [['stage'], ['keyVault', 'disablePurgeProtection']],
    check: (env, report) => {
      if (env.stage !== 'dev' && env.keyVault.disablePurgeProtection.enabled) {
        report({
          path: ['keyVault', 'disablePurgeProtection', 'enabled'],
          message: `${env.stage}: purge protection must stay on, so that a deleted vault and its secrets can be recovered; expected false`,
        });
      }
    },
  },
  {
    id: 'prod-key-vault-soft-delete-90',
    reads: [['stage'], ['keyVault', 'softDeleteRetentionInDays']],
    check: (env, report) => {
      if (env.stage === 'prod' && env.keyVault.softDeleteRetentionInDays !== 90) {
        report({
          path: ['keyVault', 'softDeleteRetentionInDays'],
          message:
            'prod: a deleted vault must stay recoverable for the longest retention Azure offers; expected 90',
        });
      }
    },
  },
];
