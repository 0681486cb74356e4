/**
 * Every rule of the pack, on a compliant and a non-compliant synthesized resource. A rule without both cases fails
 * the first test, so a new rule cannot land untested.
 */
import type { TerraformStack } from 'cdktf';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { describe, expect, it } from 'vitest';
import { PLAN_CHECKS, POLICY_RULES } from '../../../../constructs/shared/policy';
import { renderXml } from '../../../../constructs/ai-gateway/policies/xml';
import { tokenLimit } from '../../../../constructs/ai-gateway/policies/llm';
import { evaluateStack, RawResource } from '../../../helpers/policy';

type Case = (stack: TerraformStack, compliant: boolean) => RawResource;
const raw = (s: TerraformStack, id: string, type: string, config: Record<string, unknown>) =>
  new RawResource(s, id, type, config);
/** Returns `good` for the compliant case, `bad` for the other. */
const pick = <T>(compliant: boolean, good: T, bad: T) => (compliant ? good : bad);

const account = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Account', 'azurerm_cognitive_account', {
    kind: 'AIServices',
    local_auth_enabled: false,
    public_network_access_enabled: false,
    custom_subdomain_name: 'ais-x',
    outbound_network_access_restricted: true,
    identity: { type: 'SystemAssigned' },
    ...over,
  });
const privateEndpoint = (s: TerraformStack, target: RawResource, subresource: string, zones: string[]) =>
  raw(s, 'Endpoint', 'azurerm_private_endpoint', {
    private_service_connection: {
      private_connection_resource_id: target.ref(),
      subresource_names: [subresource],
    },
    private_dns_zone_group: {
      name: 'default',
      private_dns_zone_ids: zones.map(
        (z) => `/subscriptions/x/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/${z}`,
      ),
    },
  });
const diagnostics = (
  s: TerraformStack,
  target: RawResource,
  log: Record<string, unknown> = { category_group: 'allLogs' },
) =>
  raw(s, 'Diagnostics', 'azurerm_monitor_diagnostic_setting', {
    target_resource_id: target.ref(),
    log_analytics_workspace_id:
      '/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/log',
    enabled_log: [log],
  });
const redis = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Cache', 'azapi_resource', {
    type: 'Microsoft.Cache/redisEnterprise@2025-07-01',
    name: 'amr-x',
    body: {
      sku: { name: 'Balanced_B1' },
      properties: { minimumTlsVersion: '1.2', publicNetworkAccess: 'Disabled', ...over },
    },
  });
const redisDatabase = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Database', 'azapi_resource', {
    type: 'Microsoft.Cache/redisEnterprise/databases@2025-07-01',
    name: 'default',
    body: {
      properties: {
        clientProtocol: 'Encrypted',
        clusteringPolicy: 'EnterpriseCluster',
        evictionPolicy: 'NoEviction',
        modules: [{ name: 'RediSearch' }],
        accessKeysAuthentication: 'Enabled',
        ...over,
      },
    },
  });
const SECURE_APIM = {
  frontend_ssl30_enabled: false,
  frontend_tls10_enabled: false,
  frontend_tls11_enabled: false,
  backend_ssl30_enabled: false,
  backend_tls10_enabled: false,
  backend_tls11_enabled: false,
  triple_des_ciphers_enabled: false,
  tls_rsa_with_aes128_cbc_sha_ciphers_enabled: false,
  tls_rsa_with_aes256_cbc_sha_ciphers_enabled: false,
  tls_rsa_with_aes128_cbc_sha256_ciphers_enabled: false,
  tls_rsa_with_aes256_cbc_sha256_ciphers_enabled: false,
  tls_ecdhe_rsa_with_aes128_cbc_sha_ciphers_enabled: false,
  tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled: false,
  tls_rsa_with_aes128_gcm_sha256_ciphers_enabled: false,
};
const apim = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Service', 'azurerm_api_management', {
    sku_name: 'Developer_1',
    public_network_access_enabled: false,
    identity: { type: 'UserAssigned' },
    min_api_version: '2022-08-01',
    security: SECURE_APIM,
    sign_up: { enabled: false },
    virtual_network_configuration: { subnet_id: '/subscriptions/x/snet' },
    ...over,
  });
const backend = (s: TerraformStack, properties: Record<string, unknown>) =>
  raw(s, 'Backend', 'azapi_resource', {
    type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
    name: 'gpt-4o-sdc',
    parent_id: '/subscriptions/x/apim',
    body: {
      properties: {
        url: 'https://ais-x.openai.azure.com/openai',
        protocol: 'http',
        tls: { validateCertificateChain: true, validateCertificateName: true },
        credentials: { managedIdentity: { clientId: 'c', resource: 'https://cognitiveservices.azure.com' } },
        circuitBreaker: {
          rules: [
            {
              failureCondition: { count: 3, statusCodeRanges: [{ min: 429, max: 429 }] },
              tripDuration: 'PT60S',
              acceptRetryAfter: true,
            },
          ],
        },
        ...properties,
      },
    },
  });
const policy = (s: TerraformStack, xml: string, type = 'azurerm_api_management_api_policy') =>
  raw(s, 'Policy', type, {
    api_name: 'api',
    api_management_name: 'apim',
    resource_group_name: 'rg',
    product_id: 'tenant-a',
    xml_content: xml,
  });
const sections = (inbound: string, backendSection = '<base />') =>
  `<policies><inbound><base />${inbound}</inbound><backend>${backendSection}</backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
const product = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Product', 'azurerm_api_management_product', {
    product_id: 'tenant-a',
    api_management_name: 'apim',
    resource_group_name: 'rg',
    display_name: 'Tenant A',
    description: 'Tenant A models',
    subscription_required: true,
    approval_required: true,
    published: true,
    ...over,
  });
const vault = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Vault', 'azurerm_key_vault', {
    purge_protection_enabled: true,
    soft_delete_retention_days: 90,
    rbac_authorization_enabled: true,
    public_network_access_enabled: false,
    network_acls: { default_action: 'Deny', bypass: 'AzureServices' },
    ...over,
  });
const eventHubs = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Namespace', 'azurerm_eventhub_namespace', {
    name: 'evhns-x',
    local_authentication_enabled: false,
    minimum_tls_version: '1.2',
    public_network_access_enabled: false,
    network_rulesets: { default_action: 'Deny', trusted_service_access_enabled: true },
    ...over,
  });
const storage = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Account', 'azurerm_storage_account', {
    https_traffic_only_enabled: true,
    min_tls_version: 'TLS1_2',
    allow_nested_items_to_be_public: false,
    shared_access_key_enabled: false,
    local_user_enabled: false,
    public_network_access_enabled: false,
    network_rules: { default_action: 'Deny', bypass: ['AzureServices'] },
    account_replication_type: 'GZRS',
    blob_properties: {
      delete_retention_policy: { days: 30 },
      container_delete_retention_policy: { days: 30 },
    },
    ...over,
  });
const nsgRule = (over: Record<string, unknown>) => ({
  name: 'Rule',
  priority: 100,
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  source_address_prefix: 'VirtualNetwork',
  destination_address_prefix: '*',
  destination_port_range: '443',
  ...over,
});
const nsg = (s: TerraformStack, rules: Record<string, unknown>[]) =>
  raw(s, 'Nsg', 'azurerm_network_security_group', { name: 'nsg', security_rule: rules });
const DENY_OUT = nsgRule({
  name: 'DenyAllOutbound',
  priority: 4096,
  direction: 'Outbound',
  access: 'Deny',
  protocol: '*',
  source_address_prefix: '*',
  destination_port_range: '*',
});
const assignment = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Assignment', 'azurerm_role_assignment', {
    scope: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
    role_definition_name: 'Key Vault Secrets User',
    principal_type: 'ServicePrincipal',
    description: 'The gateway reads named values.',
    ...over,
  });
const diagnosticSetting = (properties: Record<string, unknown>) => (s: TerraformStack) =>
  raw(s, 'Diagnostic', 'azapi_resource', {
    type: 'Microsoft.ApiManagement/service/apis/diagnostics@2024-06-01-preview',
    name: 'azuremonitor',
    parent_id: '/subscriptions/x/apis/openai',
    body: { properties },
  });
const NO_BODIES = { request: { body: { bytes: 0 } }, response: { body: { bytes: 0 } } };
const HARM = ['Hate', 'Sexual', 'Violence', 'Selfharm'].flatMap((name) =>
  ['Prompt', 'Completion'].map((source) => ({
    name,
    source,
    filter_enabled: true,
    block_enabled: true,
    severity_threshold: 'Medium',
  })),
);
const SHIELDS = ['Jailbreak', 'Indirect Attack'].map((name) => ({
  name,
  source: 'Prompt',
  filter_enabled: true,
  block_enabled: true,
  severity_threshold: 'High',
}));
const publicIp = (s: TerraformStack, over: Record<string, unknown> = {}) =>
  raw(s, 'Ip', 'azurerm_public_ip', {
    sku: 'Standard',
    zones: ['1', '2', '3'],
    allocation_method: 'Static',
    ...over,
  });
const stateful = (s: TerraformStack) => vault(s);
const tokenLimitXml = renderXml(
  tokenLimit({ counterKey: '@(context.Subscription.Id)', tokensPerMinute: 1000 }),
);

type RuleId = (typeof POLICY_RULES)[number]['id'];

/** A compliant and a non-compliant case for each rule of the pack (the plan checks have their own tests). */
const CASES: Record<RuleId, Case> = {
  'LZ.AI.DisableLocalAuth': (s, ok) => account(s, { local_auth_enabled: pick(ok, false, true) }),
  'LZ.AI.PublicNetworkAccess': (s, ok) =>
    account(s, { public_network_access_enabled: pick(ok, false, true) }),
  'LZ.AI.PrivateEndpoint': (s, ok) => {
    const target = account(s);
    if (ok) privateEndpoint(s, target, 'account', []);
    return target;
  },
  'LZ.AI.ManagedIdentity': (s, ok) =>
    account(s, { identity: pick(ok, { type: 'SystemAssigned' }, undefined) }),
  'LZ.AI.CustomSubdomain': (s, ok) => account(s, { custom_subdomain_name: pick(ok, 'ais-x', undefined) }),
  'LZ.AI.RestrictOutbound': (s, ok) => account(s, { outbound_network_access_restricted: ok }),
  'LZ.AI.FoundryProjectIdentity': (s, ok) => {
    const own = raw(s, 'Own', 'azurerm_user_assigned_identity', { name: 'id-a', tags: { tenant: 'a' } });
    const other = raw(s, 'Other', 'azurerm_user_assigned_identity', { name: 'id-b', tags: { tenant: 'b' } });
    return raw(s, 'Project', 'azurerm_cognitive_account_project', {
      name: 'proj-a',
      tags: { tenant: 'a' },
      identity: { type: 'UserAssigned', identity_ids: [pick(ok, own, other).ref()] },
    });
  },
  'LZ.AI.ConnectionSecretsWriteOnly': (s, ok) =>
    raw(s, 'Connection', 'azapi_resource', {
      type: 'Microsoft.CognitiveServices/accounts/projects/connections@2025-06-01',
      name: 'ai-gateway',
      parent_id: '/subscriptions/x/projects/proj-a',
      body: {
        properties: {
          category: 'ApiManagement',
          authType: 'ApiKey',
          ...(ok ? {} : { credentials: { key: 'the-key' } }),
        },
      },
      ...(ok ? { sensitive_body: { properties: { credentials: { key: 'the-key' } } } } : {}),
    }),
  'LZ.AI.DeploymentContentFilter': (s, ok) => {
    const target = account(s);
    const filter = raw(s, 'Filter', 'azurerm_cognitive_account_rai_policy', {
      name: 'standard',
      cognitive_account_id: target.ref(),
    });
    return raw(s, 'Deployment', 'azurerm_cognitive_deployment', {
      cognitive_account_id: target.ref(),
      rai_policy_name: pick(ok, filter.ref('name'), 'Microsoft.DefaultV2'),
    });
  },
  'LZ.AI.ContentFilterBlocks': (s, ok) =>
    raw(s, 'Filter', 'azurerm_cognitive_account_rai_policy', {
      content_filter: pick(
        ok,
        HARM,
        HARM.map((f) => (f.name === 'Violence' ? { ...f, block_enabled: false } : f)),
      ),
    }),
  'LZ.AI.PromptShields': (s, ok) =>
    raw(s, 'Filter', 'azurerm_cognitive_account_rai_policy', {
      content_filter: [...HARM, ...pick(ok, SHIELDS, SHIELDS.slice(1))],
    }),
  'LZ.APIM.PublicNetworkAccess': (s, ok) => {
    const service = apim(s, { public_network_access_enabled: true, virtual_network_type: 'External' });
    raw(s, 'SecondStep', 'azapi_update_resource', {
      type: 'Microsoft.ApiManagement/service@2024-06-01-preview',
      resource_id: service.ref(),
      body: { properties: { publicNetworkAccess: pick(ok, 'Disabled', 'Enabled') } },
    });
    return service;
  },
  'LZ.APIM.VirtualNetwork': (s, ok) =>
    apim(s, { virtual_network_configuration: pick(ok, { subnet_id: '/subscriptions/x/snet' }, undefined) }),
  'LZ.APIM.Protocols': (s, ok) => apim(s, { security: { ...SECURE_APIM, frontend_tls11_enabled: !ok } }),
  'LZ.APIM.Ciphers': (s, ok) =>
    apim(s, {
      security: {
        ...SECURE_APIM,
        tls_rsa_with_aes128_gcm_sha256_ciphers_enabled: pick(ok, false, undefined),
      },
    }),
  'LZ.APIM.MinApiVersion': (s, ok) => apim(s, { min_api_version: pick(ok, '2021-08-01', '2019-12-01') }),
  'LZ.APIM.ManagedIdentity': (s, ok) => apim(s, { identity: pick(ok, { type: 'UserAssigned' }, undefined) }),
  'LZ.APIM.AvailabilityZones': (s, ok) =>
    apim(s, { sku_name: pick(ok, 'Premium_3', 'Premium_1'), zones: ['1', '2', '3'] }),
  'LZ.APIM.MultiRegion': (s, ok) =>
    apim(s, {
      sku_name: 'Premium_2',
      additional_location: pick(ok, [{ location: 'francecentral' }], undefined),
    }),
  'LZ.APIM.DeveloperPortalSignUp': (s, ok) => apim(s, { sign_up: { enabled: !ok } }),
  'LZ.APIM.HttpsApis': (s, ok) =>
    raw(s, 'Api', 'azurerm_api_management_api', {
      protocols: pick(ok, ['https'], ['http', 'https']),
      display_name: 'A',
      description: 'B',
    }),
  'LZ.APIM.ApiDescriptors': (s, ok) =>
    raw(s, 'Api', 'azurerm_api_management_api', {
      protocols: ['https'],
      display_name: 'A',
      description: pick(ok, 'What it does', undefined),
    }),
  'LZ.APIM.HttpsBackends': (s, ok) =>
    backend(s, {
      url: pick(ok, 'https://ais-x.openai.azure.com/openai', 'http://ais-x.openai.azure.com/openai'),
    }),
  'LZ.APIM.BackendCircuitBreaker': (s, ok) => backend(s, pick(ok, {}, { circuitBreaker: undefined })),
  'LZ.APIM.BackendManagedIdentity': (s, ok) =>
    backend(s, {
      credentials: pick(ok, { managedIdentity: { clientId: 'c' } }, { header: { 'api-key': ['k'] } }),
    }),
  'LZ.APIM.PoolMembers': (s, ok) => {
    const member = backend(s, {});
    return raw(s, 'Pool', 'azapi_resource', {
      type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
      name: 'pool-gpt-4o',
      body: {
        properties: {
          type: 'Pool',
          pool: { services: [{ id: pick(ok, member.ref(), '/subscriptions/x/elsewhere'), priority: 1 }] },
        },
      },
    });
  },
  'LZ.APIM.NamedValuesFromKeyVault': (s, ok) =>
    raw(
      s,
      'Value',
      'azurerm_api_management_named_value',
      pick<Record<string, unknown>>(
        ok,
        { value_from_key_vault: { secret_id: 'https://kv/secrets/x' } },
        { value: 'x' },
      ),
    ),
  'LZ.APIM.PolicyBase': (s, ok) => policy(s, sections('', pick(ok, '<base />', '<forward-request />'))),
  'LZ.APIM.CorsNoWildcard': (s, ok) =>
    policy(
      s,
      sections(
        `<cors><allowed-origins><origin>${pick(ok, 'https://app.contoso.com', '*')}</origin></allowed-origins></cors>`,
      ),
    ),
  'LZ.APIM.ModelApiTokenLimit': (s, ok) => {
    raw(s, 'Pool', 'azapi_resource', {
      type: 'Microsoft.ApiManagement/service/backends@2024-06-01-preview',
      name: 'pool-gpt-4o',
      body: { properties: { type: 'Pool' } },
    });
    return policy(
      s,
      sections(`<set-backend-service backend-id="pool-gpt-4o" />${pick(ok, tokenLimitXml, '')}`),
    );
  },
  'LZ.APIM.ProductTokenLimit': (s, ok) => {
    const target = product(s);
    policy(
      s,
      sections(pick(ok, tokenLimitXml, '<rate-limit calls="10" renewal-period="60" />')),
      'azurerm_api_management_product_policy',
    );
    return target;
  },
  'LZ.APIM.ProductSubscription': (s, ok) => product(s, { subscription_required: ok }),
  'LZ.APIM.ProductApproval': (s, ok) => product(s, { approval_required: ok }),
  'LZ.APIM.SampleProducts': (s, ok) => product(s, { product_id: pick(ok, 'tenant-a', 'starter') }),
  'LZ.APIM.ProductDescriptors': (s, ok) =>
    product(s, { description: pick(ok, 'Tenant A models', undefined) }),
  'LZ.APIM.SubscriptionScope': (s, ok) =>
    raw(s, 'Subscription', 'azurerm_api_management_subscription', {
      product_id: pick(ok, '/subscriptions/x/products/tenant-a', undefined),
      allow_tracing: false,
    }),
  'LZ.APIM.SubscriptionTracing': (s, ok) =>
    raw(s, 'Subscription', 'azurerm_api_management_subscription', {
      product_id: '/p',
      allow_tracing: pick(ok, false, undefined),
    }),
  'LZ.APIM.DiagnosticsNoBodies': (s, ok) =>
    diagnosticSetting({
      logClientIp: false,
      frontend: pick<Record<string, unknown>>(ok, NO_BODIES, { request: { body: { bytes: 8192 } } }),
    })(s),
  'LZ.APIM.LlmMessageLogging': (s, ok) =>
    diagnosticSetting({
      largeLanguageModel: {
        logs: 'enabled',
        requests: { messages: pick(ok, 'none', 'all') },
        responses: { messages: 'none' },
      },
    })(s),
  'LZ.KeyVault.PurgeProtection': (s, ok) => vault(s, { purge_protection_enabled: ok }),
  'LZ.KeyVault.SoftDelete': (s, ok) => vault(s, { soft_delete_retention_days: pick(ok, 7, 3) }),
  'LZ.KeyVault.Rbac': (s, ok) => vault(s, { rbac_authorization_enabled: ok }),
  'LZ.KeyVault.NoAccessPolicies': (s, ok) =>
    vault(s, { access_policy: pick(ok, undefined, [{ object_id: 'x', secret_permissions: ['Get'] }]) }),
  'LZ.KeyVault.PublicNetworkAccess': (s, ok) => vault(s, { public_network_access_enabled: !ok }),
  'LZ.KeyVault.Firewall': (s, ok) =>
    vault(s, { network_acls: { default_action: pick(ok, 'Deny', 'Allow') } }),
  'LZ.Redis.MinimumTls': (s, ok) => redis(s, pick(ok, {}, { minimumTlsVersion: '1.0' })),
  'LZ.Redis.PublicNetworkAccess': (s, ok) => redis(s, pick(ok, {}, { publicNetworkAccess: 'Enabled' })),
  'LZ.Redis.PrivateEndpoint': (s, ok) => {
    const target = redis(s);
    if (ok) privateEndpoint(s, target, 'redisEnterprise', ['privatelink.redis.azure.net']);
    return target;
  },
  'LZ.Redis.EncryptedOnly': (s, ok) => redisDatabase(s, pick(ok, {}, { clientProtocol: 'Plaintext' })),
  'LZ.Redis.AccessKeysDisabled': (s, ok) =>
    redisDatabase(s, pick(ok, { accessKeysAuthentication: 'Disabled' }, {})),
  'LZ.Redis.SemanticCacheReady': (s, ok) =>
    redisDatabase(s, pick(ok, {}, { clusteringPolicy: 'OSSCluster', evictionPolicy: 'AllKeysLRU' })),
  'LZ.KeyVault.PrivateEndpoint': (s, ok) => {
    const target = vault(s);
    if (ok) privateEndpoint(s, target, 'vault', []);
    return target;
  },
  'LZ.KeyVault.AuditLogs': (s, ok) => {
    const target = vault(s);
    diagnostics(
      s,
      target,
      pick<Record<string, unknown>>(
        ok,
        { category: 'AuditEvent' },
        { category: 'AzurePolicyEvaluationDetails' },
      ),
    );
    return target;
  },
  'LZ.EventHubs.LocalAuth': (s, ok) => eventHubs(s, { local_authentication_enabled: !ok }),
  'LZ.EventHubs.MinTls': (s, ok) => eventHubs(s, { minimum_tls_version: pick(ok, '1.2', '1.0') }),
  'LZ.EventHubs.PublicNetworkAccess': (s, ok) =>
    eventHubs(s, {
      public_network_access_enabled: !ok,
      network_rulesets: { default_action: pick(ok, 'Deny', 'Allow'), trusted_service_access_enabled: true },
    }),
  'LZ.EventHubs.PrivateEndpoint': (s, ok) => {
    const target = eventHubs(s);
    if (ok) privateEndpoint(s, target, 'namespace', ['privatelink.servicebus.windows.net']);
    return target;
  },
  'LZ.Storage.SecureTransfer': (s, ok) => storage(s, { https_traffic_only_enabled: ok }),
  'LZ.Storage.MinTls': (s, ok) => storage(s, { min_tls_version: pick(ok, 'TLS1_2', 'TLS1_0') }),
  'LZ.Storage.BlobPublicAccess': (s, ok) => storage(s, { allow_nested_items_to_be_public: !ok }),
  'LZ.Storage.SharedKey': (s, ok) => storage(s, { shared_access_key_enabled: !ok }),
  'LZ.Storage.LocalUsers': (s, ok) => storage(s, { local_user_enabled: pick(ok, false, undefined) }),
  'LZ.Storage.PublicNetworkAccess': (s, ok) => storage(s, { public_network_access_enabled: !ok }),
  'LZ.Storage.Firewall': (s, ok) =>
    storage(s, { network_rules: { default_action: 'Deny', bypass: pick(ok, ['AzureServices'], ['None']) } }),
  'LZ.Storage.PrivateEndpoint': (s, ok) => {
    const target = storage(s);
    if (ok) privateEndpoint(s, target, 'blob', []);
    return target;
  },
  'LZ.Storage.BlobSoftDelete': (s, ok) =>
    storage(s, {
      blob_properties: {
        delete_retention_policy: pick(ok, { days: 7 }, undefined),
        container_delete_retention_policy: { days: 7 },
      },
    }),
  'LZ.Storage.ContainerSoftDelete': (s, ok) =>
    storage(s, {
      blob_properties: {
        delete_retention_policy: { days: 7 },
        container_delete_retention_policy: pick(ok, { days: 7 }, undefined),
      },
    }),
  'LZ.Storage.GeoReplication': (s, ok) => storage(s, { account_replication_type: pick(ok, 'GZRS', 'ZRS') }),
  'LZ.Storage.PrivateContainers': (s, ok) =>
    raw(s, 'Container', 'azurerm_storage_container', { container_access_type: pick(ok, 'private', 'blob') }),
  'LZ.LogAnalytics.LocalAuth': (s, ok) =>
    raw(s, 'Workspace', 'azurerm_log_analytics_workspace', { local_authentication_enabled: !ok }),
  'LZ.AppInsights.Workspace': (s, ok) =>
    raw(s, 'Insights', 'azurerm_application_insights', {
      workspace_id: pick(ok, '/subscriptions/x/log', undefined),
      local_authentication_disabled: true,
    }),
  'LZ.AppInsights.LocalAuth': (s, ok) =>
    raw(s, 'Insights', 'azurerm_application_insights', {
      workspace_id: '/w',
      local_authentication_disabled: ok,
    }),
  'LZ.AppInsights.IpMasking': (s, ok) =>
    raw(s, 'Insights', 'azurerm_application_insights', { workspace_id: '/w', disable_ip_masking: !ok }),
  'LZ.Monitor.ResourceDiagnostics': (s, ok) => {
    const target = account(s);
    const workspace = raw(s, 'Workspace', 'azurerm_log_analytics_workspace', { name: 'log' });
    raw(s, 'Diagnostics', 'azurerm_monitor_diagnostic_setting', {
      target_resource_id: target.ref(),
      log_analytics_workspace_id: pick(ok, workspace.ref(), '/subscriptions/x/workspaces/elsewhere'),
      enabled_log: [{ category_group: 'allLogs' }],
    });
    return target;
  },
  'LZ.Monitor.DiagnosticsClassified': (s, ok) =>
    raw(s, 'Thing', pick(ok, 'azurerm_resource_group', 'azurerm_service_plan'), { name: 'x' }),
  'LZ.Network.SubnetNsg': (s, ok) =>
    raw(s, 'Vnet', 'azurerm_virtual_network', {
      subnet: [
        {
          name: 'snet-pep',
          security_group: pick(ok, '/subscriptions/x/nsg', undefined),
          default_outbound_access_enabled: false,
        },
      ],
    }),
  'LZ.Network.PrivateSubnets': (s, ok) =>
    raw(s, 'Vnet', 'azurerm_virtual_network', {
      subnet: [{ name: 'snet-pep', security_group: '/nsg', default_outbound_access_enabled: !ok }],
    }),
  'LZ.Network.VnetDns': (s, ok) =>
    raw(s, 'Vnet', 'azurerm_virtual_network', {
      dns_servers: pick(ok, ['10.0.0.4', '10.0.0.5'], ['10.0.0.4']),
    }),
  'LZ.NSG.NoInternetRdp': (s, ok) =>
    nsg(s, [
      nsgRule({
        destination_port_range: '3389',
        source_address_prefix: pick(ok, 'VirtualNetwork', 'Internet'),
      }),
    ]),
  'LZ.NSG.NoInternetSsh': (s, ok) =>
    nsg(s, [
      nsgRule({ destination_port_range: '20-25', source_address_prefix: pick(ok, '10.0.0.0/8', '*') }),
    ]),
  'LZ.NSG.NoInternetHttp': (s, ok) =>
    nsg(s, [nsgRule({ destination_port_range: pick(ok, '443', '80'), source_address_prefix: 'Internet' })]),
  'LZ.NSG.NoInternetUdp': (s, ok) =>
    nsg(s, [nsgRule({ protocol: 'Udp', source_address_prefix: pick(ok, 'VirtualNetwork', 'Internet') })]),
  'LZ.NSG.AnyInboundSource': (s, ok) =>
    nsg(s, [nsgRule({ source_address_prefix: pick(ok, 'VirtualNetwork', '*') })]),
  'LZ.NSG.ManagementPorts': (s, ok) =>
    nsg(s, [
      nsgRule({
        destination_port_range: '3443',
        source_address_prefix: pick(ok, 'ApiManagement', 'VirtualNetwork'),
      }),
    ]),
  'LZ.NSG.LateralTraversal': (s, ok) => nsg(s, ok ? [DENY_OUT] : []),
  'LZ.NSG.DenyAllInbound': (s, ok) =>
    nsg(s, [
      ...(ok
        ? [nsgRule({ name: 'AllowLoadBalancer', priority: 100, source_address_prefix: 'AzureLoadBalancer' })]
        : []),
      nsgRule({
        name: 'DenyAllInbound',
        priority: 4096,
        access: 'Deny',
        protocol: '*',
        source_address_prefix: '*',
        destination_port_range: '*',
      }),
    ]),
  'LZ.NSG.Associated': (s, ok) => {
    const target = nsg(s, []);
    if (ok)
      raw(s, 'Vnet', 'azurerm_virtual_network', { subnet: [{ name: 'a', security_group: target.ref() }] });
    return target;
  },
  'LZ.PrivateEndpoint.DnsZoneGroup': (s, ok) =>
    privateEndpoint(
      s,
      vault(s),
      'vault',
      pick(ok, ['privatelink.vaultcore.azure.net'], ['privatelink.blob.core.windows.net']),
    ),
  'LZ.Dns.NoAutoRegistration': (s, ok) =>
    raw(s, 'Link', 'azurerm_private_dns_zone_virtual_network_link', { registration_enabled: !ok }),
  'LZ.PublicIP.Justified': (s) => publicIp(s),
  'LZ.PublicIP.StandardSku': (s, ok) => publicIp(s, { sku: pick(ok, 'Standard', 'Basic') }),
  'LZ.PublicIP.Zones': (s, ok) => publicIp(s, { zones: pick(ok, ['1', '2'], ['1']) }),
  'LZ.PublicIP.Attached': (s, ok) => {
    const target = publicIp(s);
    if (ok) apim(s, { public_ip_address_id: target.ref() });
    return target;
  },
  'LZ.RBAC.NoPrivilegedRoles': (s, ok) =>
    assignment(s, { role_definition_name: pick(ok, 'Key Vault Secrets User', 'Contributor') }),
  'LZ.RBAC.NarrowScope': (s, ok) =>
    assignment(s, { scope: pick(ok, '/subscriptions/x/resourceGroups/rg', '/subscriptions/x') }),
  'LZ.RBAC.NoUserAssignments': (s, ok) => assignment(s, { principal_type: pick(ok, 'Group', 'User') }),
  'LZ.RBAC.Described': (s, ok) => assignment(s, { description: pick(ok, 'Why', undefined) }),
  'LZ.Protection.DeleteLock': (s, ok) => {
    const target = stateful(s);
    if (ok)
      raw(s, 'Lock', 'azurerm_management_lock', {
        scope: target.ref(),
        lock_level: 'CanNotDelete',
        notes: 'x',
      });
    return target;
  },
  'LZ.Protection.PreventDestroy': (s, ok) => {
    const target = stateful(s);
    if (ok) target.addOverride('lifecycle.prevent_destroy', true);
    return target;
  },
  'LZ.Protection.LockNotes': (s, ok) =>
    raw(s, 'Lock', 'azurerm_management_lock', {
      lock_level: 'CanNotDelete',
      notes: pick(ok, 'Holds the prompts; lift only for a reviewed change.', undefined),
    }),
  'LZ.Tags.Mandatory': (s, ok) =>
    vault(s, { tags: pick(ok, { environment: 'prod', owner: 'team' }, { environment: 'prod' }) }),
};

/** The status of `rule` on the case's target. */
function statusOf(rule: RuleId, compliant: boolean): string | undefined {
  let path = '';
  const evaluation = evaluateStack((stack) => {
    path = CASES[rule]!(stack, compliant).node.path.replace(/^test\//, '');
  });
  return evaluation.results.find((r) => r.rule === rule && r.path === path)?.status;
}

describe('the rule pack', () => {
  it('has a compliant and a non-compliant case for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(POLICY_RULES.map((r) => r.id).sort());
  });

  it('documents every rule: title, severity, types, a public source or an own reason, and a one-sentence fix', () => {
    for (const rule of POLICY_RULES) {
      expect(rule.id, rule.id).toMatch(/^LZ\.[A-Za-z]+\.[A-Za-z]+$/);
      expect(rule.appliesTo.length, rule.id).toBeGreaterThan(0);
      expect(rule.sources.length, rule.id).toBeGreaterThan(0);
      expect(rule.fix, rule.id).toMatch(/^[A-Z].*\.$/);
    }
  });
});

describe.each(POLICY_RULES.map((r) => [r.id] as const))('%s', (rule) => {
  it('passes a compliant resource', () => {
    const expected = rule === 'LZ.PublicIP.Justified' ? 'fail' : 'pass'; // never passes: it exists to be suppressed with a reason
    expect(statusOf(rule, true)).toBe(expected);
  });
  it('fails a non-compliant resource', () => {
    expect(statusOf(rule, false)).toBe('fail');
  });
});

describe('the plan checks', () => {
  it('document themselves like the rules', () => {
    for (const check of PLAN_CHECKS) {
      expect(check.id).toMatch(/^LZ\.[A-Za-z]+\.[A-Za-z]+$/);
      expect(check.sources.length, check.id).toBeGreaterThan(0);
      expect(check.fix, check.id).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('LZ.Plan.References fails a reference to nothing of the plan, and only that', () => {
    const evaluation = evaluateStack(
      (s) => {
        const group = raw(s, 'Group', 'azurerm_resource_group', { name: 'rg' });
        new AzurermProvider(s, 'azurerm', { features: [{}] });
        new DataAzurermClientConfig(s, 'current', {});
        raw(s, 'Good', 'azurerm_key_vault', {
          resource_group_name: group.ref('name'),
          tags: { w: '${terraform.workspace}', v: '${var.owner}', l: '${local.x}' },
          tenant_id: '${data.azurerm_client_config.current.tenant_id}',
        });
        raw(s, 'Bad', 'azurerm_key_vault', {
          resource_group_name: '${azurerm_resource_group.Elsewhere.name}',
          tenant_id: '${data.azurerm_client_config.missing.tenant_id}',
        });
      },
      { rules: [], planChecks: PLAN_CHECKS },
    );
    expect(evaluation.results).toEqual([
      {
        rule: 'LZ.Plan.References',
        address: 'azurerm_key_vault.Bad',
        path: 'Bad',
        status: 'fail',
        level: 'error',
        detail:
          'refers to what the plan does not have: ${azurerm_resource_group.Elsewhere.name}, ${data.azurerm_client_config.missing.tenant_id}',
      },
    ]);
  });
});
