/**
 * Configs that, together with the shipped examples, give every string field of the schema a value: the inputs of the
 * hostile-input properties. A field the schema gains and no config here holds fails those tests until it is added.
 */
import type { EnvironmentInput } from '../../environments';
import { byoInput, HUB_PROVIDES } from './network';
import { exampleInput, patched } from './synth';

const UUID = '11111111-1111-4111-8111-111111111111';

/** prod on a brought-in network, in HCP Terraform, with every optional string of its sections set. */
function prodWithEverything(): EnvironmentInput {
  const base = byoInput('prod');
  const research = base.tenants!['research']!;
  const prodAllocation = research.allocations['prod'] as Record<string, unknown>;
  return patched(base, {
    naming: { environmentCode: 'prd' },
    azure: { subscriptionId: UUID, tenantId: UUID },
    backend: {
      type: 'cloud',
      organization: 'contoso',
      hostname: 'tfe.contoso.com',
      project: 'genai',
      workspacePrefix: 'genai-',
      resourceGroupName: undefined,
      storageAccountName: undefined,
      containerName: undefined,
    },
    network: {
      providedByHub: HUB_PROVIDES,
      privateDnsZoneGroups: 'managedByPolicy',
      subnetIds: {
        swedencentral: {
          appIntegration:
            '/subscriptions/33333333-3333-4333-8333-333333333333/resourceGroups/rg-spoke/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/snet-app',
        },
      },
    },
    endpoints: {
      accounts: {
        swedencentral: {
          kind: 'AIServices',
          name: 'ais-contoso-genai-prod-sdc',
          allowedFqdns: ['contoso.com'],
          deployments: { 'gpt-4o': { model: { format: 'OpenAI' } } },
        },
      },
      contentFilters: { standard: { basePolicy: 'Microsoft.DefaultV2' } },
      provisionedThroughputRules: { 'gpt-4o': { ProvisionedManaged: { minimum: 50, increment: 50 } } },
      contentSafety: { region: 'swedencentral' },
      language: { sku: 'S', region: 'swedencentral' },
    },
    foundry: { enabled: true, sku: 'S0', region: 'swedencentral' },
    gateway: {
      minApiVersion: '2022-08-01',
      pools: {
        'gpt-4o': {
          members: ['swedencentral'],
          priorities: { swedencentral: 1 },
          singleMemberReason: 'Data residency keeps gpt-4o in Sweden only for this copy.',
        },
      },
      tokenMetrics: { namespace: 'genai' },
      batch: { region: 'francecentral' },
      semanticCache: {
        enabled: true,
        embeddingsDeployment: 'text-embedding-3-large',
        scoreThreshold: 0.1,
        durationSeconds: 600,
        connectionSecretVersion: 2,
        cache: {
          mode: 'existing',
          sku: undefined,
          highAvailability: undefined,
          resourceId: `/subscriptions/${UUID}/resourceGroups/rg-cache/providers/Microsoft.Cache/redisEnterprise/amr-genai`,
          region: 'swedencentral',
        },
      },
    },
    tenants: {
      pilot: { deleteData: 'The pilot ended and its owner confirmed the prompts can go.' },
      marketing: {
        auth: 'key',
        keyAuthReason: 'A vendor tool that cannot present Entra tokens yet; replaced in Q3.',
      },
      research: {
        allocations: {
          prod: {
            ...prodAllocation,
            dedicated: {
              ...(prodAllocation['dedicated'] as Record<string, unknown>),
              accounts: {
                swedencentral: {
                  deployments: {
                    'gpt-4o': {
                      model: { name: 'gpt-4o', version: '2024-11-20', format: 'OpenAI' },
                      type: 'GlobalProvisionedManaged',
                      capacity: 15,
                      contentFilter: 'standard',
                      versionUpgrade: 'NoAutoUpgrade',
                      spilloverTo: 'gpt-4o-overflow',
                    },
                    'gpt-4o-overflow': {
                      model: { name: 'gpt-4o', version: '2024-11-20' },
                      type: 'DataZoneStandard',
                      capacity: 10,
                      contentFilter: 'standard',
                      versionUpgrade: 'NoAutoUpgrade',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    tenantShards: { count: 2, pins: { legal: 1 } },
    monitoring: {
      privateLinkScope: {
        ingestionAccessMode: 'Open',
        queryAccessMode: 'PrivateOnly',
        publicIngestion: {
          enabled: true,
          reason: 'The hub forwards agent telemetry from on-premises over the internet.',
        },
        publicQuery: {
          enabled: true,
          reason: 'Operators query from the portal; the hub has no VPN for them yet.',
        },
      },
      actionGroups: {
        oncall: {
          webhook: {
            itsm: {
              uri: 'https://itsm.contoso.com/alerts',
              aadAuth: { objectId: UUID, identifierUri: 'api://itsm-alerts', tenantId: UUID },
            },
          },
        },
      },
    },
    keyVault: { skuName: 'premium' },
  });
}

/** dev with the fields only dev may set, an azurerm backend with every optional setting, and a hub's monitoring. */
function devWithEverything(): EnvironmentInput {
  return exampleInput('dev', {
    backend: { key: 'dev-sandbox.tfstate', subscriptionId: UUID, tenantId: UUID },
    // A hub's workspace and component (dev runs no usage ledger, which needs the blueprint's own workspace).
    monitoring: {
      existing: {
        workspaceId: `/subscriptions/${UUID}/resourceGroups/rg-hub-monitor/providers/Microsoft.OperationalInsights/workspaces/log-hub`,
        applicationInsightsId: `/subscriptions/${UUID}/resourceGroups/rg-hub-monitor/providers/Microsoft.Insights/components/appi-hub`,
      },
    },
    governance: {
      downgradeToWarning: {
        'LZ.KeyVault.PurgeProtection': 'dev is rebuilt daily; a finding here must not stop the rebuild.',
      },
      defender: {
        enabled: false,
        reason: 'dev runs in a sandbox subscription whose plans the hub team sets.',
      },
      runtime: {
        scope: 'resourceGroups',
        exemptions: [
          {
            rule: 'LZ.KeyVault.PublicNetworkAccess',
            resource: 'KeyVault/Vault',
            reason:
              'Break-glass: on-call may open the dev vault to a fixed address during an incident review.',
          },
        ],
      },
    },
  });
}

/** The configs the hostile-input properties feed: the prod example (its own network) and the two above. */
export function everyFieldConfigs(): Record<string, EnvironmentInput> {
  return {
    prod: exampleInput('prod'),
    'prod-everything': prodWithEverything(),
    'dev-everything': devWithEverything(),
  };
}
