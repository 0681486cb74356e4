import type { EnvironmentInput } from './schema';
import { EXAMPLE_EVALUATION, EXAMPLE_PROMPT_VERSIONS } from './example-genaiops';
import { BLOCKLISTS, CONTENT_FILTERS } from './responsible-ai';
import { TENANTS } from './tenants';
import { EXAMPLE_FINOPS } from './example-prices';

/** prod: three regions for PTU-first spillover and failover, private only, remote state, nothing purged on destroy. */
export const prod = {
  $schema: './schema.json',
  name: 'prod',
  stage: 'prod',
  description: 'Production: customer traffic, private endpoints only, changes arrive through the pipeline.',
  workload: 'genai',
  naming: { prefix: 'cx' },
  regions: { primary: 'swedencentral', additional: ['francecentral', 'germanywestcentral'] },
  tags: {
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-PRD',
    businessUnit: 'digital-products',
    criticality: 'mission-critical',
    dataClassification: 'confidential',
    additional: { compliance: 'iso27001' },
  },
  backend: {
    type: 'azurerm',
    resourceGroupName: 'rg-cx-tfstate-sdc',
    storageAccountName: 'stcxtfstatesdc',
    // One container per environment: each deploy identity can write its own environment's state only.
    containerName: 'tfstate-prod',
    useOidc: true,
  },
  // Ranges assigned by the network team's IPAM, pinned so that no subnet ever moves.
  network: {
    mode: 'create',
    vnets: {
      swedencentral: {
        addressSpace: '10.30.0.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.0.0/24' },
          privateEndpoints: { addressPrefix: '10.30.1.0/24' },
          appIntegration: { addressPrefix: '10.30.2.0/26' },
          ingress: { addressPrefix: '10.30.3.0/24' },
        },
      },
      francecentral: {
        addressSpace: '10.30.4.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.4.0/24' },
          privateEndpoints: { addressPrefix: '10.30.5.0/24' },
          appIntegration: { addressPrefix: '10.30.6.0/26' },
          ingress: { addressPrefix: '10.30.7.0/24' },
        },
      },
      germanywestcentral: {
        addressSpace: '10.30.8.0/22',
        subnets: {
          gateway: { addressPrefix: '10.30.8.0/24' },
          privateEndpoints: { addressPrefix: '10.30.9.0/24' },
          appIntegration: { addressPrefix: '10.30.10.0/26' },
        },
      },
    },
  },
  // Foundry, private like every account: a platform project and the projects tenants opt in to.
  foundry: { enabled: true },
  promptLibrary: {
    replication: 'GZRS',
    blobSoftDeleteRetentionInDays: 90,
    containerSoftDeleteRetentionInDays: 90,
    changeFeedRetentionInDays: 365,
  },
  endpoints: {
    accounts: {
      swedencentral: {
        deployments: {
          'gpt-4o': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'ProvisionedManaged',
            capacity: 100,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
            spilloverTo: 'gpt-4o-overflow',
          },
          'gpt-4o-overflow': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'DataZoneStandard',
            capacity: 150,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalProvisionedManaged',
            capacity: 15,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'text-embedding-3-large': {
            model: { name: 'text-embedding-3-large', version: '1' },
            type: 'Standard',
            capacity: 350,
            contentFilter: 'standard',
          },
        },
      },
      francecentral: {
        deployments: {
          'gpt-4o': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'DataZoneStandard',
            capacity: 300,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalStandard',
            capacity: 450,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'text-embedding-3-large': {
            model: { name: 'text-embedding-3-large', version: '1' },
            type: 'Standard',
            capacity: 350,
            contentFilter: 'standard',
          },
          'gpt-4o-mini-batch': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'DataZoneBatch',
            capacity: 2000,
            contentFilter: 'standard',
          },
        },
      },
      germanywestcentral: {
        deployments: {
          'gpt-4o': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'GlobalStandard',
            capacity: 450,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-mini': {
            model: { name: 'gpt-4o-mini', version: '2024-07-18' },
            type: 'GlobalStandard',
            capacity: 450,
            contentFilter: 'standard',
            versionUpgrade: 'NoAutoUpgrade',
          },
          'gpt-4o-batch': {
            model: { name: 'gpt-4o', version: '2024-11-20' },
            type: 'GlobalBatch',
            capacity: 5000,
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
        '*': { ProvisionedManaged: 200, GlobalProvisionedManaged: 50 },
        'gpt-4o': { DataZoneStandard: 300 },
        'text-embedding-3-large': { Standard: 350 },
      },
      francecentral: {
        'gpt-4o': { DataZoneStandard: 450 },
        'gpt-4o-mini': { GlobalStandard: 1000, DataZoneBatch: 5000 },
        'text-embedding-3-large': { Standard: 350 },
      },
      germanywestcentral: {
        'gpt-4o': { GlobalStandard: 450, GlobalBatch: 10000 },
        'gpt-4o-mini': { GlobalStandard: 1000 },
      },
    },
  },
  gateway: {
    sku: { tier: 'Premium', capacity: 3 },
    publisher: { name: 'Contoso AI Platform', email: 'ai-platform@contoso.com' },
    network: 'internal',
    zones: ['1', '2', '3'],
    // A second regional gateway of the same service: one set of APIs, policies and products, two data planes.
    regions: { additional: { francecentral: { capacity: 2, zones: ['1', '2'] } } },
    // Clients outside the VNet come in through a WAF in each gateway region.
    ingress: {
      mode: 'waf',
      hostName: 'ai.contoso.com',
      certificateName: 'ai-contoso-com',
      wafMode: 'Prevention',
    },
    circuitBreaker: { failureCount: 3, failureIntervalSeconds: 60, tripDurationSeconds: 60 },
    tokenLimit: { tokensPerMinute: 100000, quota: { tokens: 100000000, period: 'Monthly' } },
    tokenMetrics: { dimensions: ['Tenant', 'Model', 'API ID', 'Backend ID'] },
    contentSafety: { shieldPrompt: true, thresholds: { hate: 2, sexual: 2, selfHarm: 2, violence: 2 } },
    logging: { samplingPercentage: 10 },
    // Semantic caching for the tenants that opt in, each in its own partition (Azure Managed Redis with RediSearch).
    semanticCache: {
      enabled: true,
      embeddingsDeployment: 'text-embedding-3-large',
      scoreThreshold: 0.05,
      durationSeconds: 3600,
      // A replica of every shard: the cache survives a node failure.
      cache: { mode: 'create', sku: 'Balanced_B3', highAvailability: true },
    },
  },
  tenants: TENANTS,
  finops: EXAMPLE_FINOPS,
  monitoring: {
    // Event Hubs ingestion into the usage ledger needs a commitment tier (Learn, "Ingest events from Azure Event Hubs
    // into Azure Monitor Logs").
    commitmentTierGbPerDay: 100,
    logRetentionInDays: 90,
    actionGroups: {
      // Critical and error alerts page the on-call engineer; the pager URL carries its integration key, so it comes
      // from a sensitive Terraform variable (TF_VAR_oncall_webhook_url), never from this file.
      oncall: {
        paging: true,
        shortName: 'prd-oncall',
        severities: ['critical', 'error'],
        email: { 'ai-oncall': 'ai-oncall@contoso.com' },
        webhook: { pager: { uriFromVariable: 'oncall_webhook_url' } },
      },
      platform: {
        shortName: 'prd-platform',
        severities: ['critical', 'error', 'warning', 'informational'],
        email: { 'ai-platform': 'ai-platform@contoso.com' },
      },
    },
    alerts: {
      modelThrottling: { aboveCount: 20, windowMinutes: 15, severity: 'warning' },
      modelAvailability: { belowPercent: 99.5, severity: 'error', windowMinutes: 5 },
      modelLatency: { aboveMs: 10_000, severity: 'warning' },
      ptuUtilization: { abovePercent: 85, severity: 'warning' },
      modelContentFilterBlocks: { aboveCount: 50, severity: 'informational' },
      gatewayServerErrors: { abovePercent: 2, minimumRequests: 20, severity: 'error', windowMinutes: 5 },
      gatewayBackendDuration: { aboveMs: 15_000, severity: 'warning' },
      gatewayCapacity: { abovePercent: 70, severity: 'warning' },
      gatewayThrottling: { aboveCount: 25, severity: 'error', windowMinutes: 15 },
      gatewayPoolExhausted: { aboveCount: 1, severity: 'error', windowMinutes: 5 },
      gatewayContentSafetyBlocks: { aboveCount: 50, severity: 'informational' },
      tenantTokenQuota: { abovePercent: 80, severity: 'warning' },
      keyVaultAvailability: { belowPercent: 99.9, severity: 'error', windowMinutes: 5 },
      keyVaultAccessDenied: { aboveCount: 3, severity: 'warning' },
    },
    budget: {
      amount: 25_000,
      startDate: '2026-12-01',
      notifications: [
        { thresholdPercent: 50, type: 'Actual' },
        { thresholdPercent: 80, type: 'Actual' },
        { thresholdPercent: 100, type: 'Actual' },
        { thresholdPercent: 100, type: 'Forecasted' },
      ],
      contactEmails: ['finops@contoso.com'],
      actionGroups: ['platform'],
    },
  },
  // GenAIOps: the prompt versions prod runs, published by the deploy identity (service connection lz-prod-deploy), and
  // the evaluation gate prod requires of staging's results.
  prompts: {
    versions: { ...EXAMPLE_PROMPT_VERSIONS, 'contract-summary': '1.0.0' },
    publisherPrincipalId: '6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a53',
  },
  evaluation: {
    ...EXAMPLE_EVALUATION,
    // Continuous evaluation: the sampled logs of opted-in tenants are scored every day; decay pages on-call.
    continuous: {
      windowHours: 24,
      severity: 'error',
      // The identity the scheduled evaluation runs as (the pipeline's prod-evaluate environment).
      runnerPrincipalId: '7a2d3b5f-4c6e-4f80-9b1c-2d3e4f5a6b73',
    },
  },
} satisfies EnvironmentInput;
