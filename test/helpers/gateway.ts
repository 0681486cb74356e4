import type { AiGatewayProps } from '../../constructs/ai-gateway';

export const ACCOUNT_ID = (region: string) =>
  `/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/ais-${region}`;

/** A gateway with two regions: a PTU deployment first, pay-as-you-go next. */
export function gatewayProps(overrides: Partial<AiGatewayProps> = {}): AiGatewayProps {
  return {
    name: 'apim-test',
    location: 'swedencentral',
    resourceGroupName: 'rg-test',
    sku: { tier: 'Premium', capacity: 2 },
    publisher: { name: 'Platform', email: 'platform@contoso.com' },
    network: { mode: 'internal', subnetId: '/subscriptions/s/.../subnets/snet-apim' },
    identity: {
      resourceId: '/subscriptions/s/.../userAssignedIdentities/id-apim',
      clientId: 'client-1',
      principalId: 'principal-1',
    },
    pools: [
      {
        model: 'gpt-4o',
        candidates: [
          {
            region: 'swedencentral',
            deployment: 'gpt-4o',
            type: 'ProvisionedManaged',
            capacity: 100,
            weight: 100,
          },
          {
            region: 'francecentral',
            deployment: 'gpt-4o',
            type: 'DataZoneStandard',
            capacity: 300,
            weight: 60,
          },
        ],
      },
    ],
    accounts: {
      swedencentral: {
        name: 'ais-sdc',
        resourceId: ACCOUNT_ID('sdc'),
        openAiEndpoint: 'https://ais-sdc.openai.azure.com/',
      },
      francecentral: {
        name: 'ais-frc',
        resourceId: ACCOUNT_ID('frc'),
        openAiEndpoint: 'https://ais-frc.openai.azure.com/',
      },
    },
    circuitBreaker: { failureCount: 3, failureIntervalSeconds: 60, tripDurationSeconds: 120 },
    retryCount: 1,
    tokenLimit: { tokensPerMinute: 1000 },
    tokenMetrics: { namespace: 'genai', dimensions: ['Tenant', 'Model'] },
    contentSafety: {
      endpoint: 'https://cs-test.cognitiveservices.azure.com/',
      resourceId: '/subscriptions/s/.../accounts/cs-test',
      shieldPrompt: true,
      thresholds: { hate: 4, sexual: 4, selfHarm: 4, violence: 4 },
    },
    applicationInsights: {
      resourceId: '/subscriptions/s/.../components/appi',
      connectionString: 'InstrumentationKey=x',
    },
    ...overrides,
  };
}
