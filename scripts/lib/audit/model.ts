/**
 * The audit of one environment, derived from its plan and policy results only: inventory, rule results, internet
 * exposure, identities and roles, tenant isolation, model deployments and quota. Plain tables, rendered to Markdown
 * and HTML by the sibling modules, in a stable order so that the same plan gives the same bytes.
 */
import { body, field, type PlanResource, policyDocument, type StackPlan } from '../../../constructs/shared/plan';
import { nsgRules } from '../../../constructs/shared/policy/rules/network';
import { productPolicies, tokenLimits } from '../../../constructs/shared/policy/rules/apim';
import { usersOf } from '../../../constructs/shared/policy/rules/common';
import type { RuleResult } from '../../../constructs/shared/policy/engine';
import {
  analyzeResilience,
  assumptionRows,
  PATH_TABLE_HEADER,
  pathRows,
  RESILIENCE_TABLE_HEADER,
  resilienceRows,
} from '../../../constructs/shared/paths';
import type { AuditedStack } from './read';

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Shown instead of an empty table. */
  readonly empty: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly intro: string;
  readonly tables: readonly { readonly caption?: string; readonly table: Table; readonly collapsed?: boolean }[];
}

export interface EnvironmentAudit {
  readonly name: string;
  readonly stage: string;
  readonly description: string;
  readonly summary: { resources: number; pass: number; suppressed: number; fail: number; exposed: number; tenants: number };
  readonly sections: readonly Section[];
}

const byText = (a: readonly string[], b: readonly string[]) => a.join('\u0000').localeCompare(b.join('\u0000'));
const sorted = (rows: string[][]) => rows.sort(byText);

/** A resource's display name: its `name`, else its construct path. */
export function nameOf(resource: PlanResource | undefined): string {
  if (!resource) return '?';
  const name = resource.config['name'];
  return typeof name === 'string' && !name.includes('${') ? name : resource.path;
}

export function kindOf(resource: PlanResource): string {
  return resource.armType ? `${resource.type} (${resource.armType})` : resource.type;
}

/** What a reference or an ARM id points to, in words. */
function target(plan: StackPlan, value: unknown): string {
  const resource = plan.resolve(value);
  if (resource) {
    const attribute = /\.([a-z_[\]0-9.]+)\}$/.exec(String(value))?.[1] ?? 'id';
    const name = `${nameOf(resource)} (${resource.type.replace(/^azurerm_/, '')})`;
    return attribute.includes('principal_id') && resource.type !== 'azurerm_user_assigned_identity' ? `system identity of ${name}` : name;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function reasonFor(results: readonly RuleResult[], rule: string, path: string): string | undefined {
  return results.find((r) => r.rule === rule && r.path === path && r.status === 'suppressed')?.reason;
}

function inventory(plan: StackPlan): Section {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(kindOf(r), (counts.get(kindOf(r)) ?? 0) + 1);
  return {
    id: 'inventory',
    title: 'Resource inventory',
    intro: `${plan.resources.length} resources in the plan, by type.`,
    tables: [
      {
        table: {
          header: ['type', 'count'],
          rows: [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => [type, String(n)]),
          empty: 'The plan has no resources.',
        },
      },
    ],
  };
}

function ruleResults(stack: AuditedStack): Section {
  const { policy } = stack;
  const catalog = new Map(policy.rules.map((r) => [r.id, r]));
  const perRule = policy.rules.map((rule) => {
    const results = policy.results.filter((r) => r.rule === rule.id);
    const count = (status: string) => String(results.filter((r) => r.status === status).length);
    return [rule.id, rule.severity, rule.title, count('pass'), count('suppressed'), count('fail'), rule.sources.join('; ')];
  });
  const exceptions = policy.results
    .filter((r) => r.status !== 'pass')
    .map((r) => [r.rule, r.path, r.status === 'fail' ? `FAIL (${r.level})` : 'suppressed', r.detail ?? '', r.reason ?? catalog.get(r.rule)?.fix ?? '', r.origin ?? '']);
  const all = policy.results.map((r) => [r.rule, r.path, r.status === 'fail' ? `FAIL (${r.level})` : r.status]);
  const downgraded = Object.entries(policy.downgraded).map(([rule, reason]) => [rule, reason]);
  return {
    id: 'rules',
    title: 'Policy rule results',
    intro: `${policy.rules.length} rules, evaluated on every resource they apply to at synth: ${count(policy.results, 'pass')} pass, ${count(policy.results, 'suppressed')} suppressed with a reason, ${count(policy.results, 'fail')} fail. A failure stops synth in staging and prod, unless its rule only warns (a review check such as LZ.Monitor.DiagnosticsClassified).`,
    tables: [
      {
        caption: 'Suppressions and failures, with the reason and where it was written',
        table: { header: ['rule', 'resource', 'status', 'finding', 'reason', 'declared in'], rows: sorted(exceptions), empty: 'Every rule passes on every resource.' },
      },
      ...(downgraded.length > 0
        ? [{ caption: 'Rules downgraded to warnings (dev only)', table: { header: ['rule', 'reason'], rows: downgraded, empty: '' } }]
        : []),
      {
        caption: 'Rules',
        collapsed: true,
        table: { header: ['rule', 'severity', 'title', 'pass', 'suppressed', 'fail', 'public source'], rows: perRule, empty: 'No rules.' },
      },
      {
        caption: 'Every rule × resource',
        collapsed: true,
        table: { header: ['rule', 'resource', 'status'], rows: all, empty: 'No results.' },
      },
      {
        caption: 'Public checks read and not adopted',
        collapsed: true,
        table: { header: ['source', 'check', 'why not'], rows: policy.notAdopted.map((n) => [n.source, n.title, n.reason]), empty: 'None.' },
      },
    ],
  };
}

function count(results: readonly RuleResult[], status: string): number {
  return results.filter((r) => r.status === status).length;
}

/** Everything reachable from the internet, and why. */
export function exposureRows(stack: AuditedStack): string[][] {
  const { plan, policy } = stack;
  const rows: string[][] = [];
  for (const service of plan.byType('azurerm_api_management')) {
    const internal = service.config['virtual_network_type'] === 'Internal';
    const disabled =
      service.config['public_network_access_enabled'] === false ||
      plan.byType('azapi_update_resource').some((u) => plan.refersTo(u.config['resource_id'], service) && field(body(u), 'properties.publicNetworkAccess') === 'Disabled');
    if (!internal && !disabled) {
      rows.push([nameOf(service), 'API Management gateway', 'public HTTPS endpoint; subscription key and managed identity to the models', reasonFor(policy.results, 'LZ.APIM.PublicNetworkAccess', service.path) ?? 'no reason recorded']);
    }
  }
  const publicTypes: Record<string, [string, string]> = {
    azurerm_cognitive_account: ['LZ.AI.PublicNetworkAccess', 'model or Content Safety account'],
    azurerm_key_vault: ['LZ.KeyVault.PublicNetworkAccess', 'Key Vault'],
    azurerm_storage_account: ['LZ.Storage.PublicNetworkAccess', 'storage account'],
  };
  for (const [type, [rule, label]] of Object.entries(publicTypes)) {
    for (const resource of plan.byType(type)) {
      if (resource.config['public_network_access_enabled'] === false) continue;
      const acl = field(resource.config, type === 'azurerm_storage_account' ? 'network_rules.default_action' : 'network_acls.default_action');
      const auth =
        resource.config['local_auth_enabled'] === false || resource.config['shared_access_key_enabled'] === false || resource.config['rbac_authorization_enabled'] === true
          ? 'Entra ID only'
          : 'keys accepted';
      rows.push([nameOf(resource), label, `public endpoint; firewall default ${String(acl ?? 'Allow')}; ${auth}`, reasonFor(policy.results, rule, resource.path) ?? 'no reason recorded']);
    }
  }
  for (const ip of plan.byType('azurerm_public_ip')) {
    const users = usersOf(plan, ip).map(nameOf).join(', ') || 'nothing';
    rows.push([nameOf(ip), 'public IP', `${String(ip.config['sku'])} address attached to ${users}`, reasonFor(policy.results, 'LZ.PublicIP.Justified', ip.path) ?? 'no reason recorded']);
  }
  for (const nsg of plan.byType('azurerm_network_security_group')) {
    for (const rule of nsgRules(nsg, plan)) {
      if (rule.direction !== 'Inbound' || rule.access !== 'Allow') continue;
      if (!rule.sources.some((s) => ['*', 'internet', '0.0.0.0/0', 'any'].includes(s.toLowerCase()))) continue;
      rows.push([`${nameOf(nsg)} / ${rule.name}`, 'NSG rule', `inbound ${rule.protocol} ${rule.ports.join(',')} from ${rule.sources.join(',')}`, 'an NSG rule open to the internet']);
    }
  }
  return sorted(rows);
}

function exposure(stack: AuditedStack, rows: string[][]): Section {
  const { plan } = stack;
  const endpoints = plan.byType('azurerm_private_endpoint').length;
  const internalGateway = plan.byType('azurerm_api_management').some((s) => s.config['virtual_network_type'] === 'Internal');
  return {
    id: 'exposure',
    title: 'Network exposure',
    intro:
      rows.length === 0
        ? `Nothing is reachable from the internet. ${endpoints} private endpoints carry the traffic to the services.`
        : `${rows.length} item(s) reachable from the internet, each with the reason written in config or code. ${endpoints} private endpoints.${internalGateway ? ' Clients reach the gateway on its internal address only.' : ''}`,
    tables: [{ table: { header: ['what', 'kind', 'how it is reachable', 'why'], rows, empty: 'Nothing is reachable from the internet.' } }],
  };
}

function identities(plan: StackPlan): Section {
  const assignments = plan.byType('azurerm_role_assignment').map((a) => [
    target(plan, a.config['principal_id']),
    String(a.config['role_definition_name'] ?? a.config['role_definition_id'] ?? '?'),
    target(plan, a.config['scope']),
    String(a.config['description'] ?? ''),
  ]);
  const holders: string[][] = [];
  for (const resource of plan.resources) {
    const type = field(resource.config, 'identity.type');
    if (typeof type !== 'string') continue;
    const ids = field(resource.config, 'identity.identity_ids');
    const used = Array.isArray(ids) ? ids.map((id) => target(plan, id)).join(', ') : '';
    holders.push([nameOf(resource), resource.type.replace(/^azurerm_/, ''), type, used]);
  }
  return {
    id: 'rbac',
    title: 'Identities and roles',
    intro: 'Who holds which role on what. Every principal is a managed identity; no key or password exists.',
    tables: [
      { caption: 'Role assignments', table: { header: ['principal', 'role', 'scope', 'why'], rows: sorted(assignments), empty: 'No role assignments.' } },
      { caption: 'Managed identities', table: { header: ['resource', 'type', 'identity', 'user-assigned identities'], rows: sorted(holders), empty: 'No managed identities.' } },
    ],
  };
}

export function tenantRows(plan: StackPlan): string[][] {
  const products = plan.byType('azurerm_api_management_product', 'Microsoft.ApiManagement/service/products');
  return sorted(
    products.map((product) => {
      const id = String(product.type.startsWith('azurerm_') ? product.config['product_id'] : product.config['name']);
      const apis = plan
        .byType('azurerm_api_management_product_api')
        .filter((l) => l.config['product_id'] === id || plan.refersTo(l.config['product_id'], product, 'product_id'))
        .map((l) => String(l.config['api_name']).replace(/^\$\{.*\}$/, (m) => nameOf(plan.resolve(m))));
      const subscriptions = plan
        .byType('azurerm_api_management_subscription')
        .filter((s) => plan.refersTo(s.config['product_id'], product) || String(s.config['product_id']).endsWith(`/products/${id}`));
      const limits = productPolicies(plan, product).flatMap((p) => {
        const doc = policyDocument(p);
        return typeof doc === 'string' ? [] : tokenLimits(doc);
      });
      const limit = limits
        .map((l) => [l.attributes['tokens-per-minute'] && `${l.attributes['tokens-per-minute']} tokens/min`, l.attributes['token-quota'] && `${l.attributes['token-quota']} per ${l.attributes['token-quota-period'] ?? '?'}`, `by ${l.attributes['counter-key'] ?? '?'}`].filter(Boolean).join(', '))
        .join('; ');
      const tagged = plan.resources.filter((r) => (r.config['tags'] as Record<string, unknown> | undefined)?.['tenant'] === id);
      const tracing = subscriptions.some((s) => s.config['allow_tracing'] !== false) ? 'allowed on some' : 'off';
      const roles = plan
        .byType('azurerm_role_assignment')
        .filter((a) => tagged.some((t) => plan.refersTo(a.config['principal_id'], t, 'principal_id')))
        .map((a) => `${String(a.config['role_definition_name'])} on ${target(plan, a.config['scope'])}`)
        .sort();
      return [
        id,
        apis.join(', ') || 'none',
        `${subscriptions.length} (${subscriptions.map((s) => String(s.config['state'] ?? 'submitted')).join(', ') || '-'})`,
        limit || 'NONE',
        tracing,
        roles.join('; ') || 'none',
        tagged.length > 0 ? tagged.map(nameOf).sort().join(', ') : 'none',
      ];
    }),
  );
}

function tenants(rows: string[][]): Section {
  return {
    id: 'tenants',
    title: 'Tenant isolation',
    intro:
      rows.length === 0
        ? 'No tenants: the plan defines no API Management product yet. Once tenants exist, this matrix shows each product with its APIs, subscriptions, token limits and the resources tagged with its id.'
        : 'Each tenant is an API Management product: its subscriptions are scoped to it, its policy limits its tokens, its identities hold roles on its own resources only, and the resources tagged with its id are its own.',
    tables: [
      {
        table: {
          header: [
            'tenant (product)',
            'APIs',
            'subscriptions (state)',
            'token limit',
            'tracing',
            'roles of its identities',
            'resources tagged with the tenant',
          ],
          rows,
          empty: 'No tenants.',
        },
      },
    ],
  };
}

const UNITS: Record<string, string> = { Provisioned: 'PTU', Batch: 'k tokens enqueued' };
function unitOf(sku: string): string {
  return sku.includes('Provisioned') ? UNITS['Provisioned']! : sku.includes('Batch') ? UNITS['Batch']! : 'k TPM';
}

function models(stack: AuditedStack): Section {
  const { plan, policy } = stack;
  const rows = plan.byType('azurerm_cognitive_deployment').map((d) => {
    const account = plan.resolve(d.config['cognitive_account_id']);
    const sku = (d.config['sku'] ?? {}) as { name?: string; capacity?: number };
    const model = (d.config['model'] ?? {}) as { name?: string; version?: string };
    const filter = plan.resolve(d.config['rai_policy_name']);
    return [
      String(account?.config['location'] ?? '?'),
      nameOf(account),
      String(d.config['name']),
      `${model.name ?? '?'} ${model.version ?? ''}`.trim(),
      String(sku.name ?? '?'),
      `${sku.capacity ?? '?'} ${unitOf(String(sku.name ?? ''))}`,
      filter ? nameOf(filter) : String(d.config['rai_policy_name'] ?? 'none'),
    ];
  });
  const quota = ((policy.facts['quota'] as { region: string; model: string; type: string; requested: number; quota: number | null }[] | undefined) ?? []).map((q) => [
    q.region,
    q.model,
    q.type,
    `${q.requested} ${unitOf(q.type)}`,
    q.quota === null ? 'none declared' : String(q.quota),
    q.quota === null ? '-' : String(q.quota - q.requested),
  ]);
  return {
    id: 'models',
    title: 'Model deployments and quota',
    intro: `${rows.length} deployments. Every one names a custom content filter of its account (rule LZ.AI.DeploymentContentFilter).`,
    tables: [
      { caption: 'Deployments', table: { header: ['region', 'account', 'deployment', 'model', 'type', 'capacity', 'content filter'], rows: sorted(rows), empty: 'No model deployments.' } },
      { caption: 'Quota plan (declared in config; synth rejects a plan over it)', table: { header: ['region', 'model', 'type', 'requested', 'quota', 'headroom'], rows: sorted(quota), empty: policy.facts['platformStack'] ? `The environment's quota plan is in the report of its platform stack, ${String(policy.facts['platformStack'])}.` : 'No quota declared.' } },
    ],
  };
}

/** What each model keeps when one region is lost (`npm run resilience`), against the environment's floor. */
function resilience(stack: AuditedStack): Section {
  const analysis = analyzeResilience(stack.plan);
  const floor = (stack.policy.facts['resilience'] as { minSurvivingCapacityPercent?: number } | undefined)?.minSurvivingCapacityPercent ?? 0;
  return {
    id: 'resilience',
    title: 'Resilience: the loss of one region',
    intro:
      analysis.models.length === 0
        ? 'No gateway in this stack.'
        : `Gateway regions: ${analysis.gatewayRegions.join(', ')}. Each row removes one region (its regional gateway and its deployments); every model must keep ${floor}% of each kind of capacity, and in prod synth fails when a loss stops a model (rule LZ.Resilience.RegionLoss).`,
    tables: [{ table: { header: [...RESILIENCE_TABLE_HEADER], rows: resilienceRows(analysis, floor), empty: 'No models routed.' } }],
  };
}

/** The data-path proof synth ran on this plan: one row per path, and what config declares provided outside. */
function dataPaths(stack: AuditedStack): Section {
  const report = stack.policy.paths;
  const paths = report?.paths ?? [];
  const count = (verdict: string) => paths.filter((p) => p.verdict === verdict).length;
  return {
    id: 'paths',
    title: 'Data paths',
    intro: report
      ? `Every call the platform makes at run time, proven from the plan hop by hop: the callee's name resolves inside the caller's network, the caller's subnet routes to the endpoint and both NSGs allow it, and the caller's identity holds a role whose data actions cover the call. ${paths.length} paths: ${count('proven')} proven, ${count('assumed')} proven with an assumption declared in config, ${count('broken')} broken. A broken path fails synth. Not seen: on-premises DNS forwarders, user-defined routes and firewalls, NAT for outbound internet traffic.`
      : 'The data-path proof did not run on this stack.',
    tables: [
      { table: { header: [...PATH_TABLE_HEADER], rows: report ? pathRows(report) : [], empty: 'This stack declares no data path.' } },
      ...(report && assumptionRows(report).length > 0
        ? [{ caption: 'Assumptions: hops provided outside the stack, as config declares them', table: { header: ['hop', 'declared in', 'reason', 'paths'], rows: assumptionRows(report), empty: '' } }]
        : []),
    ],
  };
}

/** policy.json's `facts.runtimeGuardrails`, written by the stack's governance (stacks/runtime-guardrails.ts). */
interface RuntimeGuardrailsFacts {
  readonly scope: string;
  readonly assignments: readonly { rule: string; definition: string; displayName: string; effect: string; scopes: readonly string[] }[];
  readonly exemptions: readonly { rule: string; resource: string; reason: string; origin: string }[];
  readonly designTimeOnly: readonly { rule: string; resource: string; origin: string }[];
}

/** policy.json's `facts.privateMonitoring` (stacks/governance.ts). */
interface PrivateMonitoringFacts {
  readonly enabled: boolean;
  readonly ingestion: { readonly enabled: boolean; readonly reason: string };
  readonly query: { readonly enabled: boolean; readonly reason: string };
  readonly notGoverned: readonly string[];
  readonly existing: readonly { readonly resource: string; readonly assumes: string }[];
}

/** The Defender plans, the Azure Monitor Private Link Scope and the public access of monitoring, from the plan. */
function monitoringGuardrails(stack: AuditedStack) {
  const { plan } = stack;
  const facts = stack.policy.facts['privateMonitoring'] as PrivateMonitoringFacts | undefined;
  const defender = plan.byType('azurerm_security_center_subscription_pricing').map((p) => [String(p.config['resource_type']), String(p.config['tier'])]);
  const named = (value: unknown) => (plan.resolve(value) ? nameOf(plan.resolve(value)) : String(value));
  const scopes = plan.byType('azurerm_monitor_private_link_scope').map((scope) => {
    const scoped = plan.byType('azurerm_monitor_private_link_scoped_service').filter((s) => plan.resolve(s.config['scope_name']) === scope);
    const endpoints = plan.byType('azurerm_private_endpoint').filter((pe) => plan.refersTo(field(pe.config, 'private_service_connection.private_connection_resource_id'), scope));
    const zones = endpoints.flatMap((pe) => {
      const ids = field(pe.config, 'private_dns_zone_group.private_dns_zone_ids');
      return Array.isArray(ids) ? ids.map(named) : ['zone group managed by the hub’s policy'];
    });
    return [nameOf(scope), String(scope.config['ingestion_access_mode']), String(scope.config['query_access_mode']), scoped.map((s) => named(s.config['linked_resource_id'])).sort().join(', '), endpoints.map(nameOf).join(', '), zones.join(', ')];
  });
  const access = ['azurerm_log_analytics_workspace', 'azurerm_application_insights'].flatMap((type) =>
    plan.byType(type).map((r) => [
      nameOf(r),
      r.config['internet_ingestion_enabled'] === false ? 'off' : 'on',
      r.config['internet_query_enabled'] === false ? 'off' : 'on',
      [r.config['internet_ingestion_enabled'] === false ? '' : `ingestion: ${facts?.ingestion.reason ?? 'no reason recorded'}`, r.config['internet_query_enabled'] === false ? '' : `query: ${facts?.query.reason ?? 'no reason recorded'}`].filter(Boolean).join('; ') || 'every caller goes through the scope',
    ]),
  );
  for (const existing of facts?.existing ?? []) access.push([existing.resource, 'not changed by the stack', 'not changed by the stack', 'existing resource (monitoring.existing)']);
  return { facts, defender, scopes, access };
}

/** The Azure Policy assignments and exemptions beside the rules they enforce at run time. */
function runtimeGuardrails(stack: AuditedStack): Section {
  const monitoring = monitoringGuardrails(stack);
  const facts = stack.policy.facts['runtimeGuardrails'] as RuntimeGuardrailsFacts | undefined;
  const titles = new Map(stack.policy.rules.map((r) => [r.id, r.title]));
  const assignments = (facts?.assignments ?? []).map((a) => [
    a.rule,
    titles.get(a.rule) ?? '',
    `${a.displayName} (${a.definition})`,
    a.effect,
    a.scopes.join(', '),
    String(facts!.exemptions.filter((e) => e.rule === a.rule).length),
  ]);
  return {
    id: 'runtime-guardrails',
    title: 'Runtime guardrails',
    intro: facts
      ? `Azure Policy keeps the rules after deployment: each rule with a built-in equivalent is assigned at ${facts.scope === 'subscription' ? 'the subscription' : 'each resource group of the stack'} (Deny in prod where the definition allows it, Audit elsewhere), and each suppression of such a rule is a policy exemption with the same reason. ${assignments.length} rules assigned, ${facts.exemptions.length} exemptions; the other rules hold at synth only. Beside them: the Defender for Cloud plans, and the private monitoring path with the public access the workspace and Application Insights keep, each with its reason.`
      : 'Run-time guardrails are off in config (governance.runtime.enabled: false): the rules hold at synth only. The Defender for Cloud plans and the private monitoring path follow.',
    tables: [
      { caption: 'Assignments, beside the rule each enforces', table: { header: ['rule', 'what it checks', 'built-in definition', 'effect', 'scopes', 'exemptions'], rows: sorted(assignments), empty: 'No assignment.' } },
      { caption: 'Exemptions (each a suppression of the rule pack, with its reason)', table: { header: ['rule', 'resource', 'declared in', 'reason'], rows: sorted((facts?.exemptions ?? []).map((e) => [e.rule, e.resource, e.origin, e.reason])), empty: 'No exemption.' } },
      { caption: 'Suppressions that hold at synth only (no built-in policy equivalent)', table: { header: ['rule', 'resource', 'declared in'], rows: sorted((facts?.designTimeOnly ?? []).map((d) => [d.rule, d.resource, d.origin])), empty: 'None.' } },
      { caption: 'Defender for Cloud plans (subscription-wide; governance.defender)', table: { header: ['plan', 'tier'], rows: sorted(monitoring.defender), empty: 'No Defender plan: off in config for this environment (governance.defender.enabled).' } },
      { caption: 'Private monitoring: the Azure Monitor Private Link Scope', table: { header: ['scope', 'ingestion access mode', 'query access mode', 'scoped resources', 'private endpoint', 'DNS zones'], rows: monitoring.scopes, empty: 'No Azure Monitor Private Link Scope: the workspace and Application Insights answer on public endpoints (no private network in this environment, or monitoring.privateLinkScope.enabled: false).' } },
      { caption: 'Public network access of the workspace and Application Insights', table: { header: ['resource', 'ingestion from public networks', 'queries from public networks', 'why'], rows: sorted(monitoring.access), empty: 'No monitoring resource in this stack.' } },
      ...(monitoring.facts && monitoring.facts.notGoverned.length > 0
        ? [{ caption: 'What the network access settings do not govern (Learn, "Design Azure Monitor Private Link configuration")', table: { header: ['note'], rows: monitoring.facts.notGoverned.map((n) => [n]), empty: '' } }]
        : []),
      ...(monitoring.facts && monitoring.facts.existing.length > 0
        ? [{ caption: 'Existing monitoring resources: what the stack and its data-path proof assume of them', table: { header: ['resource', 'assumed'], rows: monitoring.facts.existing.map((e) => [e.resource, e.assumes]), empty: '' } }]
        : []),
    ],
  };
}

export function auditEnvironment(stack: AuditedStack): EnvironmentAudit {
  const exposed = exposureRows(stack);
  const tenantTable = tenantRows(stack.plan);
  const results = stack.policy.results;
  return {
    name: stack.name,
    stage: String(stack.policy.facts['stage'] ?? '?'),
    description: String(stack.policy.facts['description'] ?? ''),
    summary: {
      resources: stack.plan.resources.length,
      pass: count(results, 'pass'),
      suppressed: count(results, 'suppressed'),
      fail: count(results, 'fail'),
      exposed: exposed.length,
      tenants: tenantTable.length,
    },
    sections: [
      ruleResults(stack),
      dataPaths(stack),
      runtimeGuardrails(stack),
      exposure(stack, exposed),
      identities(stack.plan),
      tenants(tenantTable),
      models(stack),
      resilience(stack),
      inventory(stack.plan),
    ],
  };
}

/** What differs between a staging and a prod plan: the facts, sizes and settings an auditor compares. */
export function differences(staging: AuditedStack, prod: AuditedStack): Section {
  const aspects: [string, (s: AuditedStack) => string][] = [
    ['regions', (s) => ((s.policy.facts['regions'] as string[] | undefined) ?? []).join(', ')],
    ['network mode', (s) => String(s.policy.facts['networkMode'] ?? '?')],
    ['gateway SKU', (s) => s.plan.byType('azurerm_api_management').map((a) => String(a.config['sku_name'])).join(', ')],
    ['gateway network', (s) => s.plan.byType('azurerm_api_management').map((a) => `${String(a.config['virtual_network_type'])} (${String(s.policy.facts['gatewayNetwork'])})`).join(', ')],
    ['gateway zones', (s) => s.plan.byType('azurerm_api_management').map((a) => ((a.config['zones'] as string[] | undefined) ?? []).join(',') || 'none').join(', ')],
    ['public IPs', (s) => String(s.plan.byType('azurerm_public_ip').length)],
    ['prompt library replication', (s) => s.plan.byType('azurerm_storage_account').map((a) => String(a.config['account_replication_type'])).join(', ')],
    ['Key Vault soft delete (days)', (s) => s.plan.byType('azurerm_key_vault').map((a) => String(a.config['soft_delete_retention_days'])).join(', ')],
    ['log retention (days)', (s) => s.plan.byType('azurerm_log_analytics_workspace').map((a) => String(a.config['retention_in_days'])).join(', ')],
    ['delete locks', (s) => String(s.plan.byType('azurerm_management_lock').length)],
    ['resources kept from destroy', (s) => String(s.plan.resources.filter((r) => (r.config['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy).length)],
    ['model deployments', (s) => String(s.plan.byType('azurerm_cognitive_deployment').length)],
    ['provisioned throughput (PTU)', (s) => String(s.plan.byType('azurerm_cognitive_deployment').filter((d) => String(field(d.config, 'sku.name')).includes('Provisioned')).reduce((sum, d) => sum + Number(field(d.config, 'sku.capacity') ?? 0), 0))],
    ['private endpoints', (s) => String(s.plan.byType('azurerm_private_endpoint').length)],
    ['suppressed rule results', (s) => String(count(s.policy.results, 'suppressed'))],
    ['resources', (s) => String(s.plan.resources.length)],
  ];
  const rows = aspects.map(([name, read]) => [name, read(staging), read(prod), read(staging) === read(prod) ? 'same' : 'differs']);
  const kinds = new Set([...staging.plan.resources, ...prod.plan.resources].map(kindOf));
  const typeRows = [...kinds]
    .sort()
    .map((kind) => [kind, String(staging.plan.resources.filter((r) => kindOf(r) === kind).length), String(prod.plan.resources.filter((r) => kindOf(r) === kind).length)])
    .filter(([, a, b]) => a !== b);
  return {
    id: 'differences',
    title: `Differences between ${staging.name} and ${prod.name}`,
    intro: 'Read from the two plans: every difference is a value in the environment config, never a different stack class.',
    tables: [
      { table: { header: ['aspect', staging.name, prod.name, ''], rows, empty: '' } },
      { caption: 'Resource types whose count differs', collapsed: true, table: { header: ['type', staging.name, prod.name], rows: typeRows, empty: 'The same resource types, in the same numbers.' } },
    ],
  };
}
