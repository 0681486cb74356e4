import type { EnvironmentInput } from './schema';

type Endpoints = NonNullable<EnvironmentInput['endpoints']>;

/**
 * The organisation's content filters and blocklists for pre-production and production.
 * staging and prod read the same objects, so what was tested in staging is what prod enforces;
 * the promotion guard and the prod >= staging rule still compare the two at synth time.
 */
export const CONTENT_FILTERS = {
  standard: {
    mode: 'Default',
    categories: {
      hate: { prompt: 'Medium', completion: 'Medium' },
      sexual: { prompt: 'Medium', completion: 'Medium' },
      violence: { prompt: 'Medium', completion: 'Medium' },
      selfHarm: { prompt: 'Medium', completion: 'Medium' },
    },
    promptShields: { jailbreak: true, indirectAttack: true },
    protectedMaterial: { text: true, code: true },
    blocklists: ['internal-codenames'],
  },
  strict: {
    mode: 'Default',
    categories: {
      hate: { prompt: 'Low', completion: 'Low' },
      sexual: { prompt: 'Low', completion: 'Low' },
      violence: { prompt: 'Low', completion: 'Low' },
      selfHarm: { prompt: 'Low', completion: 'Low' },
    },
    blocklists: ['internal-codenames'],
  },
} satisfies NonNullable<Endpoints['contentFilters']>;

export const BLOCKLISTS = {
  'internal-codenames': {
    description: 'Unreleased product code names must never appear in prompts or answers.',
    terms: ['Project Bluebird', 'Falcon-X'],
    patterns: ['\\bCX-[0-9]{5}\\b'],
  },
} satisfies NonNullable<Endpoints['blocklists']>;
