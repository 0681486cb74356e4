import type { EnvironmentInput } from './schema';
import { EXAMPLE_EVALUATION, EXAMPLE_PROMPT_VERSIONS } from './example-genaiops';
import { BLOCKLISTS, CONTENT_FILTERS } from './responsible-ai';
import { TENANTS } from './tenants';
import { EXAMPLE_FINOPS } from './example-prices';

/** staging: the shape of prod (two regions, private network, remote state) at smaller sizes. */
export const staging = {
  $schema: './schema.json',
  name: 'staging',
  stage: 'staging',
  description: 'Pre-production: same topology as prod, smaller capacity; release candidates are tested here.',
  workload: 'genai',
  naming: { prefix: 'cx' },
  regions: { primary: 'swedencentral', additional: ['francecentral'] },
  tags: {
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-STG',
    criticality: 'medium',
    dataClassification: 'confidential',
  },
  backend: {
    type: 'azurerm',
    resourceGroupName: 'rg-cx-tfstate-sdc',
    storageAccountName: 'stcxtfstatesdc',
    // One container per environment: each deploy identity can write its own environment's state only.
    containerName: 'tfstate-staging',
    useOidc: true,
  },
  // Subnets are carved from each /22 with the default sizes (gateway /24, private endpoints /24, app integration /26).
  network: {
    mode: 'create',
    vnets: {
      swedencentral: { addressSpace: '10.20.0.0/22' },
      francecentral: { addressSpace: '10.20.4.0/22' },
    },
  },
  // Geo-redundant like prod: staging rehearses prod's restore path (LZ.Storage.GeoReplication).
  // Foundry, private like every account: a platform project and the projects tenants opt in to.
  foundry: { enabled: true },
  promptLibrary: { replication: 'GZRS' },
  endpoints: {
    accounts: {
      swedencentral: {
        deployments: {
          'gpt-4o': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'DataZoneProvisionedManaged',
            capacity: 15,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
            spilloverTo: 'gpt-4o-overflow',
          },
          'gpt-4o-overflow': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'DataZoneStandard',
            capacity: 50,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalStandard',
            capacity: 50,
            contentFilter: 'standard',
          },
          'text-embedding-3-large': {
            model: { name: 'text-embedding-3-large', version: '1' },
            type: 'Standard',
            capacity: 50,
            contentFilter: 'standard',
          },
        },
      },
      francecentral: {
        deployments: {
          'gpt-4o': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'DataZoneStandard',
            capacity: 100,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalStandard',
            capacity: 50,
            contentFilter: 'standard',
          },
          'gpt-4o-mini-batch': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'DataZoneBatch',
            capacity: 500,
            contentFilter: 'standard',
          },
        },
      },
    },
    // PII detection and redaction for tenants' prompts (pii: detect | redact).
    language: { enabled: true },
    contentFilters: CONTENT_FILTERS,
    blocklists: BLOCKLISTS,
    quota: {
      swedencentral: {
        '*': { DataZoneProvisionedManaged: 30 },
        'gpt-4o': { DataZoneStandard: 100 },
        'gpt-4o-mini': { GlobalStandard: 150 },
        'text-embedding-3-large': { Standard: 100 },
      },
      francecentral: {
        'gpt-4o': { DataZoneStandard: 150 },
        'gpt-4o-mini': { GlobalStandard: 150, DataZoneBatch: 1000 },
      },
    },
  },
  gateway: {
    sku: { tier: 'StandardV2', capacity: 1 },
    publisher: { name: 'Contoso AI Platform', email: 'ai-platform@contoso.com' },
    network: 'privateEndpoint',
    circuitBreaker: { failureCount: 3, failureIntervalSeconds: 60, tripDurationSeconds: 60 },
    tokenLimit: { tokensPerMinute: 50000, quota: { tokens: 20000000, period: 'Monthly' } },
    tokenMetrics: { dimensions: ['Tenant', 'Model', 'API ID', 'Backend ID'] },
    contentSafety: { shieldPrompt: true, thresholds: { hate: 4, sexual: 4, selfHarm: 4, violence: 4 } },
    logging: { samplingPercentage: 50 },
    // Semantic caching for the tenants that opt in, each in its own partition (Azure Managed Redis with RediSearch).
    semanticCache: {
      enabled: true,
      embeddingsDeployment: 'text-embedding-3-large',
      scoreThreshold: 0.05,
      durationSeconds: 3600,
      // A disposable cache: a failover empties it, which costs only cache misses.
      cache: { mode: 'create', sku: 'Balanced_B0', highAvailability: false },
    },
  },
  tenants: TENANTS,
  finops: EXAMPLE_FINOPS,
  monitoring: {
    // Event Hubs ingestion into the usage ledger needs a commitment tier (Learn, "Ingest events from Azure Event Hubs
    // into Azure Monitor Logs").
    commitmentTierGbPerDay: 100,
    // staging mirrors prod's alerts at prod-like thresholds, but tells the team by e-mail: nobody is paged for staging.
    actionGroups: {
      platform: { email: { 'ai-platform': 'ai-platform@contoso.com' } },
    },
    alerts: {
      modelThrottling: { aboveCount: 100 },
      gatewayServerErrors: { abovePercent: 5, minimumRequests: 20 },
      gatewayThrottling: { aboveCount: 100 },
    },
    budget: {
      amount: 4000,
      startDate: '2026-12-01',
      notifications: [
        { thresholdPercent: 80, type: 'Actual' },
        { thresholdPercent: 100, type: 'Forecasted' },
      ],
      contactEmails: ['finops@contoso.com'],
      actionGroups: ['platform'],
    },
  },
  // GenAIOps: the prompt versions staging runs, published by the deploy identity (service connection lz-staging-deploy), and
  // the evaluation gate the pipeline runs after the apply.
  prompts: {
    versions: { ...EXAMPLE_PROMPT_VERSIONS, 'contract-summary': '1.0.0' },
    publisherPrincipalId: '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a52',
  },
  evaluation: {
    ...EXAMPLE_EVALUATION,
    // staging runs what prod runs, message logging included (the promotion guard compares the policies).
    continuous: {
      windowHours: 24,
      severity: 'warning',
      // The identity the scheduled evaluation runs as (the pipeline's staging-evaluate environment).
      runnerPrincipalId: '7a2d3b5f-4c6e-4f80-9b1c-2d3e4f5a6b72',
    },
  },
} satisfies EnvironmentInput;
