/**
 * API Management as the AI gateway: the service, its APIs, backends and pools (azapi), named values, policies,
 * diagnostics, and the tenant products and subscriptions. Sources: checkov CKV_AZURE_107/173/174/215, PSRule
 * Azure.APIM.*, and our gateway invariants (a breaker on every backend, a token limit on every product).
 */
import {
  body,
  child,
  field,
  findAll,
  type PlanResource,
  policyDocument,
  setting,
  type StackPlan,
  type ParsedXmlElement,
} from '../../plan';
import { check, fail, notApplicable, pass, rule, type Verdict } from '../rule';
import { APIM_SAMPLE_PRODUCTS } from '../../catalog';

const SERVICE = 'azurerm_api_management';
const BACKENDS = ['azurerm_api_management_backend', 'Microsoft.ApiManagement/service/backends'];
const PRODUCTS = ['azurerm_api_management_product', 'Microsoft.ApiManagement/service/products'];
const POLICIES = [
  'azurerm_api_management_api_policy',
  'azurerm_api_management_api_operation_policy',
  'azurerm_api_management_product_policy',
  'Microsoft.ApiManagement/service/apis/policies',
  'Microsoft.ApiManagement/service/products/policies',
];
const TOKEN_LIMITS = ['llm-token-limit', 'azure-openai-token-limit'];

/** Protocol flags in azurerm 4.x, and the deprecated names they replace (checkov still reads the old ones). */
const PROTOCOL_FLAGS = [
  ['frontend_ssl30_enabled', 'enable_frontend_ssl30'],
  ['frontend_tls10_enabled', 'enable_frontend_tls10'],
  ['frontend_tls11_enabled', 'enable_frontend_tls11'],
  ['backend_ssl30_enabled', 'enable_backend_ssl30'],
  ['backend_tls10_enabled', 'enable_backend_tls10'],
  ['backend_tls11_enabled', 'enable_backend_tls11'],
] as const;

/** The weak ciphers of Azure.APIM.Ciphers, by their azurerm 4.x flag. */
const WEAK_CIPHER_FLAGS = [
  'triple_des_ciphers_enabled',
  'tls_rsa_with_aes128_cbc_sha_ciphers_enabled',
  'tls_rsa_with_aes256_cbc_sha_ciphers_enabled',
  'tls_rsa_with_aes128_cbc_sha256_ciphers_enabled',
  'tls_rsa_with_aes256_cbc_sha256_ciphers_enabled',
  'tls_ecdhe_rsa_with_aes128_cbc_sha_ciphers_enabled',
  'tls_ecdhe_rsa_with_aes256_cbc_sha_ciphers_enabled',
  'tls_rsa_with_aes128_gcm_sha256_ciphers_enabled',
];

function skuTier(service: PlanResource): string {
  return String(service.config['sku_name'] ?? '').split('_')[0] ?? '';
}

/** A product's id: azurerm `product_id`, or the azapi resource's name. */
function productIdOf(product: PlanResource): string {
  return String(product.type.startsWith('azurerm_') ? product.config['product_id'] : product.config['name']);
}

function withPolicy(resource: PlanResource, test: (doc: ParsedXmlElement) => Verdict): Verdict {
  const doc = policyDocument(resource);
  return typeof doc === 'string' ? fail(doc) : test(doc);
}

const PRODUCT_POLICY_INDEX = new WeakMap<StackPlan, Map<string, PlanResource[]>>();

/** Product policies by the product they name (`product_id` literal or reference, or the azapi parent), built once per plan. */
function productPolicyIndex(plan: StackPlan): Map<string, PlanResource[]> {
  let index = PRODUCT_POLICY_INDEX.get(plan);
  if (!index) {
    index = new Map();
    for (const policy of plan.byType(...POLICIES)) {
      const keys =
        policy.type === 'azurerm_api_management_product_policy'
          ? [`id:${String(policy.config['product_id'])}`, `ref:${String(policy.config['product_id'])}`]
          : policy.armType === 'Microsoft.ApiManagement/service/products/policies'
            ? [`parent:${String(policy.config['parent_id'])}`]
            : [];
      for (const key of keys) index.set(key, [...(index.get(key) ?? []), policy]);
    }
    PRODUCT_POLICY_INDEX.set(plan, index);
  }
  return index;
}

/** The policies attached to a product (azurerm product policy by product id, or an azapi child of the product). */
export function productPolicies(plan: StackPlan, product: PlanResource): PlanResource[] {
  const index = productPolicyIndex(plan);
  const candidates = [
    ...(index.get(`id:${productIdOf(product)}`) ?? []),
    ...(index.get(`ref:${plan.ref(product, 'product_id')}`) ?? []),
    ...(index.get(`parent:${plan.ref(product)}`) ?? []),
  ];
  return [...new Set(candidates)].filter(
    (policy) =>
      policy.type !== 'azurerm_api_management_product_policy' ||
      policy.config['api_management_name'] === product.config['api_management_name'] ||
      plan.refersTo(policy.config['api_management_name'], product, 'api_management_name'),
  );
}

/** The token limits of a policy document: `llm-token-limit` / `azure-openai-token-limit` elements. */
export function tokenLimits(doc: ParsedXmlElement): ParsedXmlElement[] {
  return TOKEN_LIMITS.flatMap((name) => findAll(doc, name));
}

function isBackend(resource: PlanResource): boolean {
  if (resource.type === 'azurerm_api_management_backend') return true;
  return field(body(resource), 'properties.type') !== 'Pool';
}

export const APIM_RULES = [
  rule({
    id: 'LZ.APIM.PublicNetworkAccess',
    title: 'The gateway is not reachable from public networks',
    severity: 'high',
    appliesTo: [SERVICE],
    sources: [
      'CKV_AZURE_174 (read with the plan: an Internal VNet gateway, or public access turned off after creation, passes)',
    ],
    fix: 'Use gateway.network "internal" or "privateEndpoint"; the second step then turns public access off.',
    check: (r, plan) => {
      if (r.config['public_network_access_enabled'] === false) return pass();
      if (r.config['virtual_network_type'] === 'Internal') return pass();
      const turnedOff = plan
        .byType('azapi_update_resource')
        .some(
          (u) =>
            plan.refersTo(u.config['resource_id'], r) &&
            field(body(u), 'properties.publicNetworkAccess') === 'Disabled',
        );
      return check(
        turnedOff,
        'public network access stays enabled (no Internal VNet, no second step that disables it)',
      );
    },
  }),
  rule({
    id: 'LZ.APIM.VirtualNetwork',
    title: 'The gateway is connected to a virtual network',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['CKV_AZURE_107'],
    fix: 'Use gateway.network "internal" (injection) or "privateEndpoint" (VNet integration).',
    check: (r) =>
      check(
        typeof field(r.config, 'virtual_network_configuration.subnet_id') === 'string',
        'virtual_network_configuration.subnet_id is not set',
      ),
  }),
  rule({
    id: 'LZ.APIM.Protocols',
    title: 'The gateway accepts TLS 1.2 or later only, on both sides',
    severity: 'high',
    appliesTo: [SERVICE],
    sources: ['CKV_AZURE_173 (azurerm 4.x *_enabled names)', 'Azure.APIM.Protocols'],
    fix: 'Set the security block flags frontend/backend ssl30, tls10 and tls11 to false.',
    check: (r) => {
      const security = field(r.config, 'security');
      const bad = PROTOCOL_FLAGS.filter(
        ([current, deprecated]) => field(security, current) !== false || field(security, deprecated) === true,
      ).map(([current]) => current);
      return check(bad.length === 0, `not explicitly false: ${bad.join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.APIM.Ciphers',
    title: 'The gateway refuses weak and deprecated ciphers',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['Azure.APIM.Ciphers'],
    fix: 'Set every weak cipher flag of the security block (3DES, RSA CBC, ECDHE CBC, RSA AES128 GCM) to false.',
    check: (r) => {
      const security = field(r.config, 'security');
      const bad = WEAK_CIPHER_FLAGS.filter((flag) => field(security, flag) !== false);
      return check(bad.length === 0, `not explicitly false: ${bad.join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.APIM.MinApiVersion',
    title: 'Control-plane calls use API version 2021-08-01 or newer',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['Azure.APIM.MinAPIVersion'],
    fix: 'Set min_api_version to 2021-08-01 or later (gateway.minApiVersion).',
    check: (r) => {
      const version = r.config['min_api_version'];
      return check(
        typeof version === 'string' && version.replace('-preview', '') >= '2021-08-01',
        `min_api_version is ${JSON.stringify(version)}`,
      );
    },
  }),
  rule({
    id: 'LZ.APIM.ManagedIdentity',
    title: 'The gateway has a managed identity',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['Azure.APIM.ManagedIdentity'],
    fix: 'Add an identity block; the blueprint uses the gateway user-assigned identity.',
    check: (r) => check(typeof field(r.config, 'identity.type') === 'string', 'no identity block'),
  }),
  rule({
    id: 'LZ.APIM.AvailabilityZones',
    title: 'A Premium gateway spreads at least two units over at least two zones',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['Azure.APIM.AvailabilityZone'],
    fix: 'List two or more zones in gateway.zones and run at least as many units.',
    check: (r) => {
      if (skuTier(r) !== 'Premium') return notApplicable();
      const zones = Array.isArray(r.config['zones']) ? (r.config['zones'] as unknown[]).length : 0;
      const units = Number(String(r.config['sku_name']).split('_')[1] ?? 0);
      return check(zones >= 2 && units >= zones, `${units} unit(s) over ${zones} zone(s)`);
    },
  }),
  rule({
    id: 'LZ.APIM.MultiRegion',
    title: 'A Premium gateway runs in more than one region',
    severity: 'low',
    appliesTo: [SERVICE],
    sources: ['Azure.APIM.MultiRegion'],
    fix: 'Add an additional_location to the service.',
    check: (r) => {
      if (skuTier(r) !== 'Premium') return notApplicable();
      const extra = r.config['additional_location'];
      return check(
        Array.isArray(extra) ? extra.length > 0 : extra !== undefined && extra !== null,
        'no additional_location',
      );
    },
  }),
  rule({
    id: 'LZ.APIM.DeveloperPortalSignUp',
    title: 'Nobody can sign up to the developer portal',
    severity: 'medium',
    appliesTo: [SERVICE],
    sources: ['own: tenants get subscriptions from the pipeline, never by self sign-up'],
    fix: 'Set sign_up.enabled = false (classic tiers; v2 tiers have no sign-up).',
    check: (r) => {
      if (/V2$/.test(skuTier(r))) return notApplicable();
      return check(field(r.config, 'sign_up.enabled') === false, 'sign_up.enabled is not false');
    },
  }),
  rule({
    id: 'LZ.APIM.HttpsApis',
    title: 'APIs accept HTTPS only',
    severity: 'high',
    appliesTo: ['azurerm_api_management_api'],
    sources: ['Azure.APIM.HTTPEndpoint'],
    fix: 'Set protocols = ["https"].',
    check: (r) => {
      const protocols = r.config['protocols'];
      return check(
        Array.isArray(protocols) && !protocols.includes('http'),
        `protocols are ${JSON.stringify(protocols)}`,
      );
    },
  }),
  rule({
    id: 'LZ.APIM.ApiDescriptors',
    title: 'APIs have a display name and a description',
    severity: 'low',
    appliesTo: ['azurerm_api_management_api'],
    sources: ['Azure.APIM.APIDescriptors'],
    fix: 'Set display_name and description.',
    check: (r) =>
      check(
        Boolean(r.config['display_name']) && Boolean(r.config['description']),
        'display_name or description is missing',
      ),
  }),
  rule({
    id: 'LZ.APIM.HttpsBackends',
    title: 'Backends are called over HTTPS with certificate validation',
    severity: 'high',
    appliesTo: BACKENDS,
    sources: ['CKV_AZURE_215', 'Azure.APIM.HTTPBackend'],
    fix: 'Use an https:// URL and validate the certificate chain and name.',
    check: (r) => {
      if (!isBackend(r)) return notApplicable();
      const azurerm = r.type === 'azurerm_api_management_backend';
      const url = azurerm ? r.config['url'] : field(body(r), 'properties.url');
      if (typeof url !== 'string' || !url.startsWith('https://'))
        return fail(`url is ${JSON.stringify(url)}`);
      const tls = azurerm ? field(r.config, 'tls') : field(body(r), 'properties.tls');
      const chain = field(tls, azurerm ? 'validate_certificate_chain' : 'validateCertificateChain');
      const name = field(tls, azurerm ? 'validate_certificate_name' : 'validateCertificateName');
      return check(chain !== false && name !== false, 'certificate validation is turned off');
    },
  }),
  rule({
    id: 'LZ.APIM.BackendCircuitBreaker',
    title: 'Every gateway backend has a breaker that trips on 429 and honours Retry-After',
    severity: 'high',
    appliesTo: BACKENDS,
    sources: ['own: PTU-first pools spill over only when a breaker opens (domain notes)'],
    fix: 'Give the backend a circuitBreaker rule on status 429 with acceptRetryAfter: true (gateway.circuitBreaker).',
    check: (r) => {
      if (!isBackend(r)) return notApplicable();
      const rules =
        r.type === 'azurerm_api_management_backend'
          ? (field(r.config, 'circuit_breaker_rule') as unknown)
          : field(body(r), 'properties.circuitBreaker.rules');
      const list = (Array.isArray(rules) ? rules : rules ? [rules] : []) as Record<string, unknown>[];
      const trips = list.some((b) => {
        const ranges = (field(b, 'failureCondition.statusCodeRanges') ??
          field(b, 'failure_condition.status_code_range')) as unknown;
        const covers429 = (Array.isArray(ranges) ? ranges : ranges ? [ranges] : []).some((range) => {
          const min = Number(field(range, 'min'));
          const max = Number(field(range, 'max'));
          return min <= 429 && max >= 429;
        });
        const retryAfter = b['acceptRetryAfter'] ?? b['accept_retry_after'];
        return covers429 && retryAfter === true;
      });
      return check(
        trips,
        list.length === 0 ? 'no circuit breaker' : 'the breaker does not trip on 429 with Retry-After',
      );
    },
  }),
  rule({
    id: 'LZ.APIM.BackendManagedIdentity',
    title: 'Backends authenticate with a managed identity, never with a key',
    severity: 'high',
    appliesTo: BACKENDS,
    sources: ['own: no model key exists (Azure.AI.DisableLocalAuth on the gateway side)'],
    fix: 'Use managed-identity credentials on the backend and remove header or query keys.',
    check: (r) => {
      if (!isBackend(r)) return notApplicable();
      if (r.type === 'azurerm_api_management_backend') {
        const credentials = field(r.config, 'credentials');
        return check(
          field(credentials, 'header') === undefined && field(credentials, 'query') === undefined,
          'the backend sends a header or query credential',
        );
      }
      const credentials = field(body(r), 'properties.credentials') as Record<string, unknown> | undefined;
      if (credentials?.['header'] || credentials?.['query'])
        return fail('the backend sends a header or query credential');
      return check(credentials?.['managedIdentity'] !== undefined, 'no managed-identity credentials');
    },
  }),
  rule({
    id: 'LZ.APIM.PoolMembers',
    title: 'Every pool routes to backends of this plan, each in priority order',
    severity: 'medium',
    appliesTo: ['Microsoft.ApiManagement/service/backends'],
    sources: ['own: a pool member that does not exist turns into 500s at run time'],
    fix: 'List backends created in the same stack in pool.services.',
    check: (r, plan) => {
      if (field(body(r), 'properties.type') !== 'Pool') return notApplicable();
      const services = field(body(r), 'properties.pool.services');
      const list = (Array.isArray(services) ? services : []) as Record<string, unknown>[];
      if (list.length === 0) return fail('the pool has no members');
      const dangling = list.filter(
        (s) => plan.resolve(s['id'])?.armType !== 'Microsoft.ApiManagement/service/backends',
      );
      return check(
        dangling.length === 0,
        `members outside the plan: ${dangling.map((s) => String(s['id'])).join(', ')}`,
      );
    },
  }),
  rule({
    id: 'LZ.APIM.NamedValuesFromKeyVault',
    title: 'Named values come from Key Vault secrets',
    severity: 'medium',
    appliesTo: ['azurerm_api_management_named_value'],
    sources: ['Azure.APIM.EncryptValues'],
    fix: 'Use value_from_key_vault with a Key Vault secret id instead of an inline value.',
    check: (r) =>
      check(
        typeof field(r.config, 'value_from_key_vault.secret_id') === 'string',
        'the value is inline, not a Key Vault reference',
      ),
  }),
  rule({
    id: 'LZ.APIM.PolicyBase',
    title: 'Policies keep <base /> in every section',
    severity: 'low',
    appliesTo: POLICIES,
    sources: ['Azure.APIM.PolicyBase'],
    fix: 'Add <base /> to inbound, backend, outbound and on-error.',
    check: (r) =>
      withPolicy(r, (doc) => {
        const missing = ['inbound', 'backend', 'outbound', 'on-error'].filter((section) => {
          const element = child(doc, section);
          return element !== undefined && !element.children.some((c) => c.name === 'base');
        });
        return check(missing.length === 0, `no <base /> in ${missing.join(', ')}`);
      }),
  }),
  rule({
    id: 'LZ.APIM.CorsNoWildcard',
    title: 'CORS policies name their origins, methods and headers',
    severity: 'medium',
    appliesTo: POLICIES,
    sources: ['Azure.APIM.CORSPolicy'],
    fix: 'Replace * in the cors policy with the origins, methods and headers clients use.',
    check: (r) =>
      withPolicy(r, (doc) => {
        const wildcards = findAll(doc, 'cors').flatMap((cors) =>
          ['origin', 'method', 'header'].flatMap((name) =>
            findAll(cors, name)
              .filter((e) => e.text === '*')
              .map(() => name),
          ),
        );
        return check(wildcards.length === 0, `wildcard ${[...new Set(wildcards)].join(', ')}`);
      }),
  }),
  rule({
    id: 'LZ.APIM.ModelApiTokenLimit',
    title: 'Every API that routes to model pools limits tokens',
    severity: 'high',
    appliesTo: ['azurerm_api_management_api_policy', 'Microsoft.ApiManagement/service/apis/policies'],
    sources: ['own: a gateway without a token limit lets one caller drain the shared quota (domain notes)'],
    fix: 'Add llm-token-limit (or azure-openai-token-limit) to the inbound section.',
    check: (r, plan) =>
      withPolicy(r, (doc) => {
        const pools = new Set(
          plan
            .byType('Microsoft.ApiManagement/service/backends')
            .filter((b) => field(body(b), 'properties.type') === 'Pool')
            .map((b) => String(b.config['name'])),
        );
        const routesToPool = findAll(doc, 'set-backend-service').some((e) =>
          pools.has(e.attributes['backend-id'] ?? ''),
        );
        if (!routesToPool) return notApplicable();
        return check(tokenLimits(doc).length > 0, 'routes to a model pool without llm-token-limit');
      }),
  }),
  rule({
    id: 'LZ.APIM.ProductTokenLimit',
    title: 'Every product (tenant) has a policy with a token limit',
    severity: 'high',
    appliesTo: PRODUCTS,
    sources: ['own: tenant isolation: one tenant cannot use another tenant’s tokens'],
    fix: 'Attach a product policy whose inbound section has llm-token-limit with a counter-key per subscription or product.',
    check: (r, plan) => {
      const policies = productPolicies(plan, r);
      if (policies.length === 0) return fail('the product has no policy');
      for (const policy of policies) {
        const doc = policyDocument(policy);
        if (typeof doc === 'string') return fail(`${policy.address}: ${doc}`);
        const limits = tokenLimits(doc);
        if (limits.length > 0) {
          const unkeyed = limits.filter((l) => !l.attributes['counter-key']);
          return check(unkeyed.length === 0, 'llm-token-limit has no counter-key');
        }
      }
      return fail('no llm-token-limit in the product policy');
    },
  }),
  rule({
    id: 'LZ.APIM.ProductSubscription',
    title: 'Products require a subscription',
    severity: 'high',
    appliesTo: PRODUCTS,
    sources: ['Azure.APIM.ProductSubscription'],
    fix: 'Set subscription_required = true.',
    check: (r) => {
      const required = setting(r, 'subscription_required', 'properties.subscriptionRequired');
      return check(required !== false, 'subscription_required is false');
    },
  }),
  rule({
    id: 'LZ.APIM.ProductApproval',
    title: 'Subscriptions to a product need approval',
    severity: 'medium',
    appliesTo: PRODUCTS,
    sources: ['Azure.APIM.ProductApproval'],
    fix: 'Set approval_required = true (the pipeline creates tenant subscriptions; nobody self-approves).',
    check: (r) => {
      const approval = setting(r, 'approval_required', 'properties.approvalRequired');
      return check(approval === true, 'approval_required is not true');
    },
  }),
  rule({
    id: 'LZ.APIM.SampleProducts',
    title: 'The sample products starter and unlimited do not exist',
    severity: 'medium',
    appliesTo: PRODUCTS,
    sources: ['Azure.APIM.SampleProducts'],
    fix: 'Name tenant products after the tenant; never deploy starter or unlimited.',
    check: (r) => {
      const id = productIdOf(r).toLowerCase();
      return check(
        !(APIM_SAMPLE_PRODUCTS as readonly string[]).includes(id),
        `product "${id}" is a sample product`,
      );
    },
  }),
  rule({
    id: 'LZ.APIM.ProductDescriptors',
    title: 'Products have a display name and a description',
    severity: 'low',
    appliesTo: PRODUCTS,
    sources: ['Azure.APIM.ProductDescriptors'],
    fix: 'Set display_name and description.',
    check: (r) => {
      return check(
        Boolean(setting(r, 'display_name', 'properties.displayName')) &&
          Boolean(setting(r, 'description', 'properties.description')),
        'display_name or description is missing',
      );
    },
  }),
  rule({
    id: 'LZ.APIM.SubscriptionScope',
    title: 'Subscriptions are scoped to one product, never to all APIs',
    severity: 'high',
    appliesTo: ['azurerm_api_management_subscription'],
    sources: ['own: tenant isolation: an all-APIs key bypasses every product policy'],
    fix: 'Set product_id on the subscription.',
    check: (r) =>
      check(typeof r.config['product_id'] === 'string', 'no product_id: the key works for every API'),
  }),
  rule({
    id: 'LZ.APIM.SubscriptionTracing',
    title: 'Subscriptions cannot turn on request tracing',
    severity: 'medium',
    appliesTo: ['azurerm_api_management_subscription'],
    sources: ['own: traces expose backend URLs, headers and policy internals (domain notes)'],
    fix: 'Set allow_tracing = false (azurerm defaults it to true).',
    check: (r) => check(r.config['allow_tracing'] === false, 'allow_tracing is not false'),
  }),
  rule({
    id: 'LZ.APIM.DiagnosticsNoBodies',
    title: 'Gateway diagnostics log no client IPs and no HTTP bodies',
    severity: 'medium',
    appliesTo: [
      'Microsoft.ApiManagement/service/apis/diagnostics',
      'Microsoft.ApiManagement/service/diagnostics',
    ],
    sources: ['own: data minimisation; prompts travel in bodies'],
    fix: 'Set logClientIp false and frontend/backend body bytes to 0.',
    check: (r) => {
      const properties = field(body(r), 'properties') as Record<string, unknown> | undefined;
      if (properties?.['logClientIp'] === true) return fail('logClientIp is true');
      const bytes = ['frontend.request', 'frontend.response', 'backend.request', 'backend.response']
        .map((path) => Number(field(properties, `${path}.body.bytes`) ?? 0))
        .some((b) => b > 0);
      return check(!bytes, 'HTTP bodies are logged');
    },
  }),
  rule({
    id: 'LZ.APIM.LlmMessageLogging',
    title: 'Prompts and completions are not logged',
    severity: 'medium',
    appliesTo: ['Microsoft.ApiManagement/service/apis/diagnostics'],
    sources: ['own: data minimisation; ApiManagementGatewayLlmLog keeps token counts without messages'],
    fix: 'Set largeLanguageModel requests and responses messages to "none" (gateway.logging.llmMessages off).',
    check: (r) => {
      const llm = field(body(r), 'properties.largeLanguageModel');
      if (llm === undefined) return notApplicable();
      const logged = ['requests', 'responses'].filter((side) => field(llm, `${side}.messages`) !== 'none');
      return check(logged.length === 0, `messages logged for ${logged.join(' and ')}`);
    },
  }),
] as const;
