/**
 * Azure OpenAI / AI Services and Content Safety accounts (azurerm_cognitive_account), model deployments and content
 * filters. Sources: checkov CKV_AZURE_134/236/238/247, PSRule Azure.AI.*, and our responsible-AI invariants.
 */
import { blocks, body, field } from '../../plan';
import { check, fail, notApplicable, pass, rule } from '../rule';
import { privateEndpointsOf } from './common';

const ACCOUNT = 'azurerm_cognitive_account';
const PROJECT = 'azurerm_cognitive_account_project';
const CONNECTION = 'Microsoft.CognitiveServices/accounts/projects/connections';
/** Connection auth types that sign in with the project's or the caller's Entra identity, no secret. */
const KEYLESS_CONNECTIONS = [
  'AAD',
  'ProjectManagedIdentity',
  'AccountManagedIdentity',
  'UserEntityToken',
  'None',
];
const HARM_CATEGORIES = ['Hate', 'Sexual', 'Violence', 'Selfharm'];

export const AI_RULES = [
  rule({
    id: 'LZ.AI.DisableLocalAuth',
    title: 'Model and Content Safety accounts accept Entra ID tokens only (no API keys)',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_236', 'Azure.AI.DisableLocalAuth'],
    fix: 'Set local_auth_enabled = false and call the account with a managed identity.',
    check: (r) =>
      check(r.config['local_auth_enabled'] === false, 'local_auth_enabled is not false (keys work)'),
  }),
  rule({
    id: 'LZ.AI.PublicNetworkAccess',
    title: 'Accounts refuse traffic from public networks',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_134', 'Azure.AI.PublicAccess'],
    fix: 'Set public_network_access_enabled = false and reach the account through a private endpoint.',
    check: (r) =>
      check(
        r.config['public_network_access_enabled'] === false,
        'public_network_access_enabled is not false',
      ),
  }),
  rule({
    id: 'LZ.AI.PrivateEndpoint',
    title: 'Accounts are reached through a private endpoint',
    severity: 'high',
    appliesTo: [ACCOUNT],
    sources: ['Azure.AI.PrivateEndpoints'],
    fix: 'Give the account a private endpoint in the environment network (network.mode "create" or "byo").',
    check: (r, plan) => check(privateEndpointsOf(plan, r).length > 0, 'no private endpoint connects to it'),
  }),
  rule({
    id: 'LZ.AI.ManagedIdentity',
    title: 'Accounts have a managed identity',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: ['CKV_AZURE_238', 'Azure.AI.ManagedIdentity'],
    fix: 'Add an identity block (SystemAssigned or UserAssigned).',
    check: (r) => check(typeof field(r.config, 'identity.type') === 'string', 'no identity block'),
  }),
  rule({
    id: 'LZ.AI.CustomSubdomain',
    title: 'Accounts have a custom subdomain',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: [
      'own: Entra ID tokens, private endpoints and network ACLs need a custom subdomain (azurerm docs)',
    ],
    fix: 'Set custom_subdomain_name (the blueprint uses the account name).',
    check: (r) =>
      check(
        typeof r.config['custom_subdomain_name'] === 'string' && r.config['custom_subdomain_name'] !== '',
        'custom_subdomain_name is not set',
      ),
  }),
  rule({
    id: 'LZ.AI.RestrictOutbound',
    title: 'Accounts that serve models cannot call out except to listed FQDNs',
    severity: 'medium',
    appliesTo: [ACCOUNT],
    sources: [
      'CKV_AZURE_247 (followed for AIServices too; an empty FQDN list is accepted: it allows nothing)',
    ],
    fix: 'Set outbound_network_access_restricted = true and list what the account may reach in fqdns.',
    check: (r) => {
      if (!['OpenAI', 'AIServices', 'ContentSafety', 'TextAnalytics'].includes(String(r.config['kind'])))
        return notApplicable();
      return check(
        r.config['outbound_network_access_restricted'] === true,
        'outbound_network_access_restricted is not true',
      );
    },
  }),
  rule({
    id: 'LZ.AI.FoundryProjectIdentity',
    title: 'Foundry projects run as a managed identity, and tenant projects as the tenant’s own',
    severity: 'high',
    appliesTo: [PROJECT],
    sources: [
      'Learn: Role-based access control for Microsoft Foundry (a project calls its connections as its managed identity)',
    ],
    fix: 'Give the project an identity block: the tenant’s user-assigned identity for a tenant project, system-assigned for the platform’s.',
    check: (r, plan) => {
      const type = String(field(r.config, 'identity.type') ?? '');
      if (!type) return fail('no identity block');
      const tenant = (r.config['tags'] as Record<string, unknown> | undefined)?.['tenant'];
      if (tenant === undefined) return pass();
      const ids = (field(r.config, 'identity.identity_ids') as unknown[] | undefined) ?? [];
      const foreign = ids
        .map((id) => plan.resolve(id))
        .filter(
          (identity) =>
            (identity?.config['tags'] as Record<string, unknown> | undefined)?.['tenant'] !== tenant,
        );
      return check(
        ids.length > 0 && foreign.length === 0,
        ids.length === 0
          ? `tenant ${String(tenant)}'s project has no user-assigned identity`
          : `tenant ${String(tenant)}'s project carries an identity of another owner`,
      );
    },
  }),
  rule({
    id: 'LZ.AI.ConnectionSecretsWriteOnly',
    title: 'Foundry connections use Entra ID, or keep their key write-only',
    severity: 'high',
    appliesTo: [CONNECTION],
    sources: [
      'own: a key in the body is in the plan output; azapi sensitive_body is write-only (Learn: Foundry connections API, ConnectionPropertiesV2 authType)',
    ],
    fix: 'Use an Entra auth type (AAD, ProjectManagedIdentity), or put credentials in sensitive_body.',
    check: (r) => {
      const plain = field(r.config['body'], 'properties.credentials');
      if (plain !== undefined) return fail('credentials are in the body, readable in the plan');
      const authType = String(field(body(r), 'properties.authType'));
      if (KEYLESS_CONNECTIONS.includes(authType)) return pass();
      return check(
        field(r.config['sensitive_body'], 'properties.credentials') !== undefined,
        `authType ${authType} without credentials in sensitive_body`,
      );
    },
  }),
  rule({
    id: 'LZ.AI.DeploymentContentFilter',
    title: 'Every model deployment names a custom content filter of its own account',
    severity: 'high',
    appliesTo: ['azurerm_cognitive_deployment'],
    sources: [
      'own: no deployment runs on the implicit default filter (azurerm 4.55 also diffs forever without it)',
    ],
    fix: 'Set rai_policy_name to a content filter (azurerm_cognitive_account_rai_policy) created on the same account.',
    check: (r, plan) => {
      const name = r.config['rai_policy_name'];
      if (typeof name !== 'string' || name === '') return fail('rai_policy_name is not set');
      const policy = plan.resolve(name);
      if (!policy || policy.type !== 'azurerm_cognitive_account_rai_policy') {
        return fail(`rai_policy_name "${name}" is not a content filter defined in this plan`);
      }
      return check(
        policy.config['cognitive_account_id'] === r.config['cognitive_account_id'],
        `content filter ${policy.address} belongs to another account`,
      );
    },
  }),
  rule({
    id: 'LZ.AI.ContentFilterBlocks',
    title: 'Content filters filter and block every harm category on prompts and completions',
    severity: 'high',
    appliesTo: ['azurerm_cognitive_account_rai_policy'],
    sources: ['own: Azure OpenAI content filtering (Hate, Sexual, Violence, Self-harm on input and output)'],
    fix: 'Give every harm category a content_filter block with filter_enabled and block_enabled on both sources.',
    check: (r) => {
      const filters = blocks(r.config['content_filter']);
      const missing = HARM_CATEGORIES.flatMap((name) =>
        ['Prompt', 'Completion']
          .filter(
            (source) =>
              !filters.some(
                (f) =>
                  f['name'] === name &&
                  f['source'] === source &&
                  f['filter_enabled'] === true &&
                  f['block_enabled'] === true,
              ),
          )
          .map((source) => `${name}/${source}`),
      );
      return check(missing.length === 0, `not filtered and blocked: ${missing.join(', ')}`);
    },
  }),
  rule({
    id: 'LZ.AI.PromptShields',
    title: 'Content filters block jailbreak and indirect prompt attacks',
    severity: 'high',
    appliesTo: ['azurerm_cognitive_account_rai_policy'],
    sources: ['own: Azure AI Content Safety Prompt Shields'],
    fix: 'Turn on the Jailbreak and Indirect Attack filters on the prompt (promptShields in the content filter config).',
    check: (r) => {
      const filters = blocks(r.config['content_filter']);
      const off = ['Jailbreak', 'Indirect Attack'].filter(
        (name) =>
          !filters.some(
            (f) =>
              f['name'] === name &&
              f['source'] === 'Prompt' &&
              f['filter_enabled'] === true &&
              f['block_enabled'] === true,
          ),
      );
      return off.length === 0 ? pass() : fail(`off: ${off.join(', ')}`);
    },
  }),
] as const;
