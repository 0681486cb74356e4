import { z } from 'zod';
import { AZURE_REGION_NAMES } from '../../constructs/shared/catalog';

/** A written justification: at least a sentence, so that an auditor can read why. */
export const Reason = z
  .string()
  .trim()
  .min(20, { message: 'a reason must be at least a sentence (20 characters or more)' })
  .describe('Why this is acceptable here, in a sentence an auditor can read.');

/**
 * A weakening of a secure default. Off unless config turns it on, and turning it on needs a reason, which the audit
 * report shows.
 */
export function optIn(description: string) {
  return z
    .discriminatedUnion('enabled', [
      z.strictObject({ enabled: z.literal(false) }),
      z.strictObject({ enabled: z.literal(true), reason: Reason }),
    ])
    .default({ enabled: false })
    .describe(description);
}
export type { OptIn } from '../../constructs/shared/interfaces';

/** An Azure region, as ARM spells it. */
export const Region = z.enum(AZURE_REGION_NAMES, {
  error: () => `expected an Azure region such as "swedencentral" (one of: ${AZURE_REGION_NAMES.join(', ')})`,
});

/** A lowercase key that forms ids and names: starts with a letter, letters, digits and single hyphens. */
export function slug(what: string, maxLength: number) {
  return z
    .string()
    .regex(/^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/, {
      message: `${what} must start with a lowercase letter and use only lowercase letters, digits and single hyphens`,
    })
    .max(maxLength, { message: `${what} must be at most ${maxLength} characters` });
}

/** Lowercase letters and digits only: safe inside every Azure name, storage accounts included. */
export function compactCode(what: string, minLength: number, maxLength: number) {
  return z
    .string()
    .regex(/^[a-z][a-z0-9]*$/, {
      message: `${what} must start with a lowercase letter and use only lowercase letters and digits`,
    })
    .min(minLength, { message: `${what} must be at least ${minLength} characters` })
    .max(maxLength, { message: `${what} must be at most ${maxLength} characters` });
}

export const Uuid = z.guid({ message: 'expected a GUID such as 00000000-0000-0000-0000-000000000000' });

/** An e-mail address, at most 254 characters (RFC 5321's path limit less its brackets): it fits a tag value too. */
export const Email = z
  .email({ message: 'expected an e-mail address' })
  .max(254, { message: 'expected an e-mail address of at most 254 characters' });
