import { z } from 'zod';
import type { EnvironmentRule } from '../rules';
import type { Environment } from '../schema';

/** Azure Storage redundancy options for a StorageV2 account. */
export const REPLICATION_TYPES = ['LRS', 'ZRS', 'GRS', 'RAGRS', 'GZRS', 'RAGZRS'] as const;
/** The options that survive the loss of an availability zone. */
export const ZONE_REDUNDANT_REPLICATION: ReadonlySet<string> = new Set(['ZRS', 'GZRS', 'RAGZRS']);

function days(what: string, max: number) {
  return z
    .number()
    .int({ message: 'expected a whole number of days' })
    .min(1, { message: `${what} keeps data 1–${max} days; expected at least 1` })
    .max(max, { message: `${what} keeps data 1–${max} days; expected at most ${max}` });
}

export const PromptLibrarySection = z
  .strictObject({
    replication: z
      .enum(REPLICATION_TYPES)
      .default('ZRS')
      .describe(
        'Redundancy of the account. prod needs ZRS, GZRS or RAGZRS. Changing it may replace the account.',
      ),
    blobSoftDeleteRetentionInDays: days('blob soft delete', 365)
      .default(30)
      .describe('How long deleted or overwritten blobs stay recoverable (1–365 days).'),
    containerSoftDeleteRetentionInDays: days('container soft delete', 365)
      .default(30)
      .describe('How long a deleted container stays recoverable (1–365 days).'),
    changeFeedRetentionInDays: days('the change feed', 146000)
      .optional()
      .describe('How long the change feed (who changed which prompt when) is kept. Default: forever.'),
  })
  .prefault({})
  .describe(
    'The storage account of the prompt library and evaluation data (versioned, soft-deleted, private).',
  );

export const PROMPT_LIBRARY_FIELDS = { promptLibrary: PromptLibrarySection };

export const PROMPT_LIBRARY_CONFIG_RULES: readonly EnvironmentRule<Environment>[] = [
  {
    id: 'prod-prompt-library-zone-redundant',
    reads: [['stage'], ['promptLibrary', 'replication']],
    check: (env, report) => {
      if (env.stage === 'prod' && !ZONE_REDUNDANT_REPLICATION.has(env.promptLibrary.replication)) {
        report({
          path: ['promptLibrary', 'replication'],
          message:
            'prod: the prompt library must survive the loss of a zone; expected "ZRS", "GZRS" or "RAGZRS"',
        });
      }
    },
  },
];
