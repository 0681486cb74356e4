import type { EnvironmentInput } from './schema';

/**
 * The tenant registry: declared once, used by every environment. Each tenant says per environment what it may use
 * there (`allocations.<env>`), or `none`. Keys are slugs: they form every id and name the tenant owns, so never
 * rename one (offboard it and add a new one). An allocation larger in prod than in staging names who approved it
 * (`approval`): the promotion guard (`npm run promote`) blocks it otherwise.
 */
export const TENANTS = {
  legal: {
    displayName: 'Legal assistant',
    owner: 'legal-it@contoso.com',
    costCenter: 'CC-2210-LEGAL',
    tier: 'shared',
    allowedModels: ['gpt-4o-mini'],
    contentFilter: 'strict',
    // Client matters: prod redacts personal data before the model (the default for confidential data).
    dataClassification: 'confidential',
    // Recurring questions about the same clauses: a cached answer only for a near-identical question, kept 10 minutes.
    semanticCache: { scoreThreshold: 0.02, durationSeconds: 600 },
    // Continuous evaluation of the contract summaries in prod: 5% of the exchanges, logged after redaction.
    messageLogging: {
      samplingPercent: 5,
      reason:
        'Legal IT reviews summary quality weekly; the logged prompts are redacted by the gateway first.',
    },
    entra: {
      tenantId: '0f3c2a1e-5b6d-4c7e-8f90-a1b2c3d4e5f6',
      audience: 'api://contoso-ai-gateway',
      clientApplicationIds: ['3d9e7c52-1a4b-4f6e-9c8d-2b7a5e4f1c03'],
      tokensPerMinutePerUser: 5000,
    },
    allocations: {
      dev: { tokensPerMinute: 5000, monthlyTokenQuota: 1000000 },
      staging: { tokensPerMinute: 20000, monthlyTokenQuota: 10000000, budget: { monthly: 2 } },
      prod: {
        tokensPerMinute: 60000,
        monthlyTokenQuota: 150000000,
        budget: { monthly: 30 },
        approval: { approvedBy: 'ai-platform-owner@contoso.com', reference: 'CHG-2026-0412' },
      },
    },
  },
  marketing: {
    displayName: 'Marketing content studio',
    owner: 'marketing-tech@contoso.com',
    costCenter: 'CC-3105-MKT',
    tier: 'shared',
    allowedModels: ['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-large'],
    contentFilter: 'standard',
    // Campaign copy needs no server-side state: responses are never stored, files and batches are refused.
    storedObjects: 'stateless',
    // Many near-identical briefs: the environment's threshold and duration.
    semanticCache: {},
    // The studio builds its prompt flows and evaluations in a Foundry project of its own, in staging and prod. The
    // project reaches models through this product with the subscription key (Foundry's API Management connection
    // takes a key), so the product validates a token whenever an application presents one instead of demanding it.
    foundryProject: { staging: true, prod: true },
    auth: 'both',
    entra: {
      tenantId: '0f3c2a1e-5b6d-4c7e-8f90-a1b2c3d4e5f6',
      audience: 'api://contoso-ai-gateway',
      clientApplicationIds: [],
    },
    allocations: {
      dev: 'none',
      staging: { tokensPerMinute: 40000, monthlyTokenQuota: 20000000 },
      prod: {
        tokensPerMinute: 150000,
        monthlyTokenQuota: 400000000,
        approval: { approvedBy: 'ai-platform-owner@contoso.com', reference: 'CHG-2026-0431' },
      },
    },
  },
  research: {
    displayName: 'Research copilot',
    owner: 'research-platform@contoso.com',
    costCenter: 'CC-4400-RND',
    tier: 'dedicated',
    allowedModels: ['gpt-4o', 'text-embedding-3-large'],
    contentFilter: 'standard',
    dataClassification: 'confidential',
    // Research corpora are pseudonymised upstream: the gateway counts what it still finds, and masks nothing.
    pii: 'detect',
    auth: 'entra',
    entra: {
      tenantId: '0f3c2a1e-5b6d-4c7e-8f90-a1b2c3d4e5f6',
      audience: 'api://contoso-ai-gateway',
      clientApplicationIds: ['8b1f4e2d-7c6a-4d3b-a5e9-0f2c1d8b7a64', 'e4a7c1b9-2d3f-4a6e-8b5c-9f0e1d2c3b4a'],
    },
    allocations: {
      dev: 'none',
      staging: {
        tokensPerMinute: 30000,
        monthlyTokenQuota: 20000000,
        dedicated: {
          accounts: {
            swedencentral: {
              deployments: {
                'gpt-4o': {
                  model: { name: 'gpt-4o', version: '2024-11-20' },
                  type: 'DataZoneStandard',
                  capacity: 30,
                  contentFilter: 'standard',
                  versionUpgrade: 'NoAutoUpgrade',
                },
              },
            },
          },
          budget: {
            monthlyAmount: 2000,
            startDate: '2026-12-01',
            contactEmails: ['research-platform@contoso.com'],
          },
        },
      },
      prod: {
        tokensPerMinute: 40000,
        monthlyTokenQuota: 300000000,
        approval: { approvedBy: 'ai-platform-owner@contoso.com', reference: 'CHG-2026-0457' },
        dedicated: {
          accounts: {
            swedencentral: {
              deployments: {
                'gpt-4o': {
                  model: { name: 'gpt-4o', version: '2024-11-20' },
                  type: 'GlobalProvisionedManaged',
                  capacity: 15,
                  contentFilter: 'standard',
                  versionUpgrade: 'NoAutoUpgrade',
                },
              },
            },
          },
          budget: {
            monthlyAmount: 25000,
            startDate: '2026-12-01',
            contactEmails: ['research-platform@contoso.com', 'finops@contoso.com'],
          },
        },
      },
    },
  },
  // The tenant `npm run verify` calls the gateway as after every apply: every routed model, a tiny allocation (its
  // token-limit check sends requests until the gateway answers 429), no data of its own beyond its key and container.
  verification: {
    displayName: 'Platform verification (npm run verify)',
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-PLATFORM',
    tier: 'shared',
    purpose: 'verification',
    contentFilter: 'strict',
    // No application signs in as this tenant: only the verify job, which reads its key at run time (listSecrets).
    auth: 'key',
    keyAuthReason:
      'Verification tenant: no application uses it; the pipeline reads its key at run time through ARM and keeps it in memory only.',
    allocations: {
      dev: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
      staging: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
      prod: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
    },
  },
  // Suspended for good: verify proves that the gateway refuses a suspended tenant's key.
  'verify-off': {
    displayName: 'Platform verification, suspended (npm run verify)',
    owner: 'ai-platform@contoso.com',
    costCenter: 'CC-4711-PLATFORM',
    tier: 'shared',
    purpose: 'verification',
    contentFilter: 'strict',
    auth: 'key',
    keyAuthReason:
      'Verification tenant: no application uses it; the pipeline reads its key at run time through ARM and keeps it in memory only.',
    lifecycle: 'suspended',
    allocations: {
      dev: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
      staging: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
      prod: { tokensPerMinute: 1000, monthlyTokenQuota: 2000000 },
    },
  },
  pilot: {
    displayName: 'Field-service pilot (ended)',
    owner: 'field-service@contoso.com',
    costCenter: 'CC-5120-FS',
    tier: 'shared',
    allowedModels: ['gpt-4o-mini'],
    contentFilter: 'standard',
    lifecycle: 'offboarded',
    allocations: {
      dev: 'none',
      staging: { tokensPerMinute: 10000, monthlyTokenQuota: 5000000 },
      prod: { tokensPerMinute: 10000, monthlyTokenQuota: 5000000 },
    },
  },
} satisfies NonNullable<EnvironmentInput['tenants']>;
