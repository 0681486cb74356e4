import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { AiGateway, type AiGatewayProps } from '../../../constructs/ai-gateway';
import { ACCOUNT_ID, gatewayProps } from '../../helpers/gateway';
import { AzapiProvider } from '../../../constructs/shared/azapi';
import { body, type PlanResource } from '../../../constructs/shared/plan';
import { findAll, parseXml } from '../../helpers/xml';
import { synthesizeStack } from '../../helpers/synth';

function synthGateway(props: AiGatewayProps) {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new AzapiProvider(stack, 'azapi');
  const gateway = new AiGateway(stack, 'Gateway', props);
  return { gateway, plan: synthesizeStack(stack).plan };
}

const properties = (r: PlanResource | undefined) =>
  (r ? body(r) : {})['properties'] as Record<string, unknown>;

describe('AiGateway', () => {
  const { gateway, plan } = synthGateway(gatewayProps());
  const backends = plan
    .byType('azapi_resource')
    .filter((r) => String(r.config['type']).includes('/backends@') && properties(r)['type'] !== 'Pool');
  const pools = plan.byType('azapi_resource').filter((r) => properties(r)['type'] === 'Pool');

  it('creates a hardened service: system- and user-assigned identities, TLS 1.2+, no 3DES, a minimum API version', () => {
    const service = plan.byType('azurerm_api_management')[0]!.config;
    expect(service).toMatchObject({
      sku_name: 'Premium_2',
      identity: {
        type: 'SystemAssigned, UserAssigned',
        identity_ids: ['/subscriptions/s/.../userAssignedIdentities/id-apim'],
      },
      min_api_version: '2022-08-01',
      public_network_access_enabled: true,
      virtual_network_type: 'Internal',
      virtual_network_configuration: { subnet_id: '/subscriptions/s/.../subnets/snet-apim' },
      sign_up: { enabled: false, terms_of_service: { enabled: false, consent_required: false } },
      lifecycle: { ignore_changes: ['public_network_access_enabled'] },
    });
    const security = service['security'] as Record<string, boolean>;
    expect(Object.keys(security).length).toBeGreaterThanOrEqual(15);
    expect(Object.values(security).every((v) => v === false)).toBe(true);
  });

  it('gives every model backend https, TLS validation, managed-identity credentials and a breaker that honours Retry-After', () => {
    expect(backends.map((b) => b.config['name']).sort()).toEqual([
      'content-safety',
      'gpt-4o-frc',
      'gpt-4o-sdc',
    ]);
    for (const backend of backends) {
      const p = properties(backend);
      expect(String(p['url'])).toMatch(/^https:\/\//);
      expect(p['tls']).toEqual({ validateCertificateChain: true, validateCertificateName: true });
      // The documented form: the service's system-assigned identity, audience only (no client id).
      expect(p['credentials']).toEqual({
        managedIdentity: { resource: 'https://cognitiveservices.azure.com' },
      });
      if (backend.config['name'] === 'content-safety') continue;
      expect(p['circuitBreaker']).toEqual({
        rules: [
          {
            name: 'throttling-and-server-errors',
            failureCondition: {
              count: 3,
              interval: 'PT60S',
              statusCodeRanges: [
                { min: 429, max: 429 },
                { min: 500, max: 503 },
              ],
              errorReasons: ['Server errors'],
            },
            tripDuration: 'PT120S',
            acceptRetryAfter: true,
          },
        ],
      });
    }
  });

  it('pools the backends of a model with PTU first and pay-as-you-go next', () => {
    expect(pools).toHaveLength(1);
    const services = (
      properties(pools[0])['pool'] as { services: Array<{ id: string; priority: number; weight: number }> }
    ).services;
    expect(services.map((s) => [plan.resolve(s.id)?.config['name'], s.priority, s.weight])).toEqual([
      ['gpt-4o-sdc', 1, 100],
      ['gpt-4o-frc', 2, 60],
    ]);
    expect(pools[0]!.config['name']).toBe('pool-gpt-4o');
  });

  it('gives the system identity "Cognitive Services OpenAI User" on every account it routes to and "Cognitive Services User" on Content Safety, and the logger identity "Monitoring Metrics Publisher" on Application Insights', () => {
    const service = plan.byType('azurerm_api_management')[0]!;
    const system = `\${${service.address}.identity[0].principal_id}`;
    const roles = plan
      .byType('azurerm_role_assignment')
      .map((r) => [r.config['scope'], r.config['role_definition_name'], r.config['principal_id']]);
    expect(roles).toEqual(
      expect.arrayContaining([
        [ACCOUNT_ID('sdc'), 'Cognitive Services OpenAI User', system],
        [ACCOUNT_ID('frc'), 'Cognitive Services OpenAI User', system],
        ['/subscriptions/s/.../accounts/cs-test', 'Cognitive Services User', system],
        ['/subscriptions/s/.../components/appi', 'Monitoring Metrics Publisher', 'principal-1'],
      ]),
    );
    expect(roles).toHaveLength(4);
  });

  it('exposes the inference API over https with a subscription key in the api-key header', () => {
    expect(plan.byType('azurerm_api_management_api')[0]!.config).toMatchObject({
      path: 'openai',
      protocols: ['https'],
      subscription_required: true,
      subscription_key_parameter_names: { header: 'api-key', query: 'api-key' },
    });
    const operations = plan
      .byType('azurerm_api_management_api_operation')
      .map((o) => `${o.config['method']} ${o.config['url_template']}`);
    // No batch deployment, no image or audio model: real-time inference, stored responses and the model list.
    expect(operations.sort()).toEqual([
      'DELETE /responses/{response-id}',
      'GET /models',
      'GET /responses/{response-id}',
      'GET /responses/{response-id}/input_items',
      'POST /deployments/{deployment-id}/chat/completions',
      'POST /deployments/{deployment-id}/completions',
      'POST /deployments/{deployment-id}/embeddings',
      'POST /responses',
      'POST /responses/{response-id}/cancel',
    ]);
    const policy = parseXml(
      String(plan.byType('azurerm_api_management_api_policy')[0]!.config['xml_content']),
    );
    expect(findAll(policy, 'set-backend-service').map((s) => s.attributes['backend-id'])).toContain(
      'pool-gpt-4o',
    );
    // The policy's token is the system identity's, like the backends' credentials: no client id.
    expect(gateway.policyXml).toContain(
      '<authentication-managed-identity resource="https://cognitiveservices.azure.com" />',
    );
    expect(gateway.policyXml).not.toContain('client-id');
  });

  it('logs to Application Insights with the managed identity, W3C correlation, sampling and metrics on', () => {
    const logger = plan.byType('azapi_resource').find((r) => r.config['name'] === 'application-insights');
    expect(properties(logger)).toMatchObject({
      loggerType: 'applicationInsights',
      credentials: { identityClientId: 'client-1' },
    });
    // The connection string (it holds the instrumentation key) travels in sensitive_body, never in the plan's body.
    expect(JSON.stringify(logger!.config['body'])).not.toContain('InstrumentationKey');
    expect(logger!.config['sensitive_body']).toEqual({
      properties: { credentials: { connectionString: 'InstrumentationKey=x' } },
    });
    const diagnostic = plan.byType('azapi_resource').find((r) => r.config['name'] === 'applicationinsights');
    expect(properties(diagnostic)).toMatchObject({
      httpCorrelationProtocol: 'W3C',
      metrics: true,
      logClientIp: false,
      sampling: { samplingType: 'fixed', percentage: 100 },
    });
    const llm = plan
      .byType('azapi_resource')
      .find((r) => r.config['name'] === 'azuremonitor' && String(r.config['type']).includes('diagnostics'));
    expect(properties(llm)['largeLanguageModel']).toEqual({
      logs: 'enabled',
      requests: { messages: 'none', maxSizeInBytes: 262144 },
      responses: { messages: 'none', maxSizeInBytes: 262144 },
    });
  });

  it('logs prompts and completions only when opted in', () => {
    const { plan: logging } = synthGateway(
      gatewayProps({
        llmMessages: { enabled: true, reason: 'Debugging synthetic data only.' },
        samplingPercentage: 25,
      }),
    );
    const llm = logging
      .byType('azapi_resource')
      .find((r) => r.config['name'] === 'azuremonitor' && String(r.config['type']).includes('diagnostics'));
    expect(properties(llm)['largeLanguageModel']).toMatchObject({ requests: { messages: 'all' } });
  });
});

describe('AiGateway network modes', () => {
  it('private endpoint mode: created public, then public access off once the private endpoint exists', () => {
    const { plan } = synthGateway(
      gatewayProps({
        sku: { tier: 'StandardV2', capacity: 1 },
        network: {
          mode: 'privateEndpoint',
          integrationSubnetId: 'snet-integration',
          privateEndpoint: { name: 'pep-apim', subnetId: 'snet-pep', privateDnsZoneIds: ['zone-apim'] },
        },
      }),
    );
    const service = plan.byType('azurerm_api_management')[0]!;
    expect(service.config).toMatchObject({
      public_network_access_enabled: true,
      virtual_network_type: 'External',
      virtual_network_configuration: { subnet_id: 'snet-integration' },
    });
    expect(service.config['sign_up']).toBeUndefined();
    const pep = plan.byType('azurerm_private_endpoint')[0]!;
    expect(pep.config).toMatchObject({
      private_service_connection: { subresource_names: ['Gateway'] },
      private_dns_zone_group: { private_dns_zone_ids: ['zone-apim'] },
    });
    const second = plan
      .byType('azapi_update_resource')
      .find((r) => r.config['resource_id'] === `\${${service.address}.id}`);
    expect(second?.config).toMatchObject({
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      depends_on: [pep.address],
    });
  });

  it('internal mode with zones: zonal service and a Standard public IP for management traffic', () => {
    const { plan } = synthGateway(
      gatewayProps({
        sku: { tier: 'Premium', capacity: 3 },
        zones: ['1', '2', '3'],
        publicIpName: 'pip-apim',
      }),
    );
    const ip = plan.byType('azurerm_public_ip')[0]!;
    expect(ip.config).toMatchObject({
      name: 'pip-apim',
      sku: 'Standard',
      allocation_method: 'Static',
      zones: ['1', '2', '3'],
    });
    expect(plan.byType('azurerm_api_management')[0]!.config).toMatchObject({
      zones: ['1', '2', '3'],
      public_ip_address_id: `\${${ip.address}.id}`,
    });
    expect(
      plan
        .byType('azapi_update_resource')
        .filter((r) => JSON.stringify(r.config['body']).includes('publicNetworkAccess')),
    ).toEqual([]);
  });

  it('refuses a tier that cannot do the network mode or zones', () => {
    expect(() => synthGateway(gatewayProps({ sku: { tier: 'StandardV2', capacity: 1 } }))).toThrow(
      'StandardV2 cannot be injected into a VNet in internal mode',
    );
    expect(() =>
      synthGateway(gatewayProps({ sku: { tier: 'Developer', capacity: 1 }, zones: ['1'] })),
    ).toThrow('Developer has no availability zones');
  });
});

describe('AiGateway routing decisions', () => {
  const candidate = {
    region: 'swedencentral',
    deployment: 'gpt-4o',
    type: 'GlobalStandard',
    capacity: 10,
    weight: 50,
  } as const;

  it('orders each pool PTU first, leaves batch out, and retries one less than the largest pool by default', () => {
    const { gateway, plan } = synthGateway(
      gatewayProps({
        retryCount: undefined,
        pools: [
          {
            model: 'gpt-4o',
            candidates: [
              candidate,
              { ...candidate, region: 'francecentral', type: 'ProvisionedManaged' },
              { ...candidate, deployment: 'gpt-4o', region: 'francecentral', type: 'GlobalBatch' },
            ],
          },
        ],
      }),
    );
    expect(gateway.routes.map((r) => [r.poolId, r.members.map((m) => [m.backendId, m.priority])])).toEqual([
      [
        'pool-gpt-4o',
        [
          ['gpt-4o-frc', 1],
          ['gpt-4o-sdc', 2],
        ],
      ],
    ]);
    // Every backend id the gateway reports is an entity in the plan.
    const names = plan.byType('azapi_resource').map((r) => r.config['name']);
    expect(names).toEqual(expect.arrayContaining(['gpt-4o-frc', 'gpt-4o-sdc', 'pool-gpt-4o']));
    expect(gateway.retryCount).toBe(1);
    const retry = findAll(parseXml(gateway.policyXml), 'retry')[0]!;
    expect(retry.attributes['count']).toBe('1');
  });

  it('keeps a priority config overrides and a retry count config sets', () => {
    const { gateway } = synthGateway(
      gatewayProps({
        retryCount: 4,
        pools: [
          {
            model: 'gpt-4o',
            candidates: [
              { ...candidate, priority: 1 },
              { ...candidate, region: 'francecentral', type: 'ProvisionedManaged', priority: 3 },
            ],
          },
        ],
      }),
    );
    expect(gateway.routes[0]!.members.map((m) => [m.region, m.priority])).toEqual([
      ['swedencentral', 1],
      ['francecentral', 3],
    ]);
    expect(findAll(parseXml(gateway.policyXml), 'retry')[0]!.attributes['count']).toBe('4');
  });
});
