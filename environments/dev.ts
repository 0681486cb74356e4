import type { EnvironmentInput } from './schema';
import { EXAMPLE_PROMPT_VERSIONS } from './example-genaiops';
import { TENANTS } from './tenants';
import { EXAMPLE_FINOPS } from './example-prices';

/**
 * dev: one region, no private network, public endpoints (with the reason written down), local state, and teardown
 * made easy. Still Entra ID only: dev never gets key auth.
 */
export const dev = {
  $schema: './schema.json',
  name: 'dev',
  stage: 'dev',
  description: 'Developer sandbox: cheap, public, torn down often.',
  workload: 'genai',
  naming: { prefix: 'cx' },
  regions: { primary: 'swedencentral' },
  tags: {
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-DEV',
    criticality: 'low',
    dataClassification: 'internal',
  },
  azure: { purgeSoftDeletedOnDestroy: true },
  // The pipeline deploys dev too, so its state is shared like the others'; its own container keeps RBAC per environment.
  backend: {
    type: 'azurerm',
    resourceGroupName: 'rg-cx-tfstate-sdc',
    storageAccountName: 'stcxtfstatesdc',
    containerName: 'tfstate-dev',
    useOidc: true,
  },
  network: {
    mode: 'none',
    publicNetworkAccess: {
      enabled: true,
      reason: 'Developers call the dev gateway from laptops without VPN; dev holds synthetic data only.',
    },
  },
  keyVault: {
    softDeleteRetentionInDays: 7,
    disablePurgeProtection: {
      enabled: true,
      reason: 'dev is torn down and rebuilt daily; a purge-protected vault would block its name for 7 days.',
    },
  },
  protection: {
    deleteLocks: {
      enabled: false,
      reason: 'dev is torn down and rebuilt daily from the pipeline; a lock would block every teardown.',
    },
    preventDestroy: {
      enabled: false,
      reason: 'dev is torn down and rebuilt daily from the pipeline; it holds synthetic data only.',
    },
  },
  governance: {
    suppressions: [
      {
        rule: 'LZ.Storage.GeoReplication',
        resource: 'PromptLibrary/Account',
        reason:
          'dev holds synthetic prompts only and is rebuilt daily; a second region would add cost and protect nothing.',
      },
      {
        rule: 'LZ.AI.RestrictOutbound',
        resource: 'AiEndpoints/swedencentral/Account',
        reason:
          'Developers try features that fetch external data (On Your Data, web sources) in dev, which holds synthetic data only.',
      },
    ],
  },
  // Foundry in dev too: the same shape as staging and prod, and no standing cost (S0 is pay per use, projects
  // are free); developers try prompt flows and evaluations here first.
  foundry: { enabled: true },
  promptLibrary: {
    replication: 'LRS',
    blobSoftDeleteRetentionInDays: 7,
    containerSoftDeleteRetentionInDays: 7,
  },
  endpoints: {
    accounts: {
      swedencentral: {
        deployments: {
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalStandard',
            capacity: 30,
            contentFilter: 'standard',
          },
          'text-embedding-3-small': {
            model: { name: 'text-embedding-3-small', version: '1' },
            type: 'Standard',
            capacity: 30,
            contentFilter: 'standard',
          },
        },
        restrictOutboundNetworkAccess: false,
      },
    },
    contentFilters: {
      strict: {
        categories: {
          hate: { prompt: 'Low', completion: 'Low' },
          sexual: { prompt: 'Low', completion: 'Low' },
          violence: { prompt: 'Low', completion: 'Low' },
          selfHarm: { prompt: 'Low', completion: 'Low' },
        },
      },
      standard: {
        categories: {
          hate: { prompt: 'Medium', completion: 'Medium' },
          sexual: { prompt: 'Medium', completion: 'Medium' },
          violence: { prompt: 'Medium', completion: 'Medium' },
          selfHarm: { prompt: 'Medium', completion: 'Medium' },
        },
      },
    },
    quota: {
      swedencentral: {
        'gpt-4o-mini': { GlobalStandard: 100 },
        'text-embedding-3-small': { Standard: 120 },
      },
    },
    contentSafety: { sku: 'F0' },
  },
  gateway: {
    sku: { tier: 'Developer', capacity: 1 },
    publisher: { name: 'Contoso AI Platform', email: 'ai-platform@contoso.com' },
    network: 'public',
    tokenLimit: { tokensPerMinute: 20000, quota: { tokens: 2000000, period: 'Monthly' } },
    logging: {
      samplingPercentage: 100,
      llmMessages: {
        enabled: true,
        reason: 'Developers debug prompts against synthetic data; dev never holds customer data.',
      },
    },
  },
  tenants: TENANTS,
  finops: {
    ...EXAMPLE_FINOPS,
    // dev has no private network and no commitment-tier workspace: the ledger would need both.
    ledger: {
      enabled: false,
      reason: 'dev has no private network and carries synthetic traffic only; chargeback starts in staging.',
    },
  },
  monitoring: {
    // dev tells the team by e-mail only, and only when something is clearly broken: loose thresholds, no paging.
    actionGroups: {
      platform: { email: { 'ai-platform': 'ai-platform@contoso.com' } },
    },
    alerts: {
      modelThrottling: { aboveCount: 500, windowMinutes: 30, severity: 'informational' },
      modelAvailability: { belowPercent: 90, severity: 'warning' },
      modelLatency: { aboveMs: 60_000, severity: 'informational' },
      gatewayServerErrors: { abovePercent: 25, minimumRequests: 50, severity: 'warning', windowMinutes: 15 },
      gatewayThrottling: { aboveCount: 500, severity: 'informational' },
      gatewayPoolExhausted: { aboveCount: 50, severity: 'informational', windowMinutes: 15 },
      keyVaultAvailability: { belowPercent: 95, severity: 'warning' },
      keyVaultAccessDenied: { aboveCount: 50, severity: 'informational' },
    },
  },
  // GenAIOps: the prompt versions dev runs, published by the deploy identity (service connection lz-dev-deploy).
  prompts: {
    versions: { ...EXAMPLE_PROMPT_VERSIONS },
    publisherPrincipalId: '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a51',
  },
} satisfies EnvironmentInput;
