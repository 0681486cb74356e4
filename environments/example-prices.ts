import type { EnvironmentInput } from './schema';

/**
 * EXAMPLE FIGURES, NOT PRICES. Round numbers that make the cost plan readable; they are not Microsoft's list prices,
 * current or past. Replace them with the prices of your agreement (the Azure pricing calculator or your price sheet)
 * before you read a cost plan as a forecast.
 */
const tokens = (inputPerMillion: number, outputPerMillion: number, cachedInputPerMillion?: number) => ({
  inputPerMillion,
  outputPerMillion,
  ...(cachedInputPerMillion === undefined ? {} : { cachedInputPerMillion }),
});

export const EXAMPLE_FINOPS = {
  currency: 'EUR',
  source:
    'EXAMPLE figures for illustration only, not Microsoft list prices: replace them with your agreement before use.',
  tokenMix: { inputShare: 0.75, cachedInputShare: 0.2 },
  prices: {
    'gpt-4o': {
      GlobalStandard: { germanywestcentral: tokens(2.5, 10, 1.25) },
      DataZoneStandard: { francecentral: tokens(2.75, 11, 1.4), swedencentral: tokens(2.75, 11, 1.4) },
      GlobalBatch: { germanywestcentral: tokens(1.25, 5) },
      ProvisionedManaged: { swedencentral: { perPtuMonth: 2500 } },
      GlobalProvisionedManaged: { swedencentral: { perPtuMonth: 2000 } },
      DataZoneProvisionedManaged: { swedencentral: { perPtuMonth: 2200 } },
    },
    'gpt-4o-mini': {
      GlobalStandard: {
        francecentral: tokens(0.15, 0.6, 0.075),
        germanywestcentral: tokens(0.15, 0.6, 0.075),
        swedencentral: tokens(0.15, 0.6, 0.075),
      },
      DataZoneBatch: { francecentral: tokens(0.08, 0.33) },
      GlobalProvisionedManaged: { swedencentral: { perPtuMonth: 2000 } },
    },
    'text-embedding-3-large': {
      Standard: { francecentral: tokens(0.13, 0), swedencentral: tokens(0.13, 0) },
    },
    'text-embedding-3-small': {
      Standard: { swedencentral: tokens(0.02, 0) },
    },
  },
} as const satisfies NonNullable<EnvironmentInput['finops']>;
