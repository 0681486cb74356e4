/**
 * Tenant security at the gateway, proven on the synthesized plans of every environment the project loads: every
 * tenant's product policy and every operation of the inference API are walked, and the tenant's config (not an
 * example name) says what each policy must do.
 *
 * - a tenant that signs in with Entra validates the token before anything else;
 * - every operation that names or creates a stored object checks ownership before it forwards (or the tenant is
 *   stateless: store forced false, the rest refused);
 * - batch operations reach only an account with batch deployments, never a real-time pool;
 * - tenants with PII redaction mask the prompt before the model, and refuse when the check cannot run.
 *
 * And two tenants built on one shared account: no policy path lets tenant B use an id that tenant A created.
 */
import { describe, expect, it } from 'vitest';
import {
  bearsObjectIds,
  DEPLOYMENT_PARAMETER,
  GATEWAY_OPERATIONS,
  objectParameters,
} from '../../constructs/ai-gateway/operations';
import {
  CLAIMED_ID_VARIABLE,
  OBJECT_BASE_URL_VARIABLE,
} from '../../constructs/ai-gateway/policies/ownership';
import { PROMPT_TEXT_PATHS } from '../../constructs/ai-gateway/policies/pii';
import { body, type PlanResource, type StackPlan } from '../../constructs/shared/plan';
import { type Environment, loadEnvironments, parseEnvironment } from '../../environments';
import { tenantAuth, tenantPii, tenantsIn } from '../../environments/sections/tenants';
import { examplesOutput } from '../helpers/examples';
import { exampleInput, synthEnvironment } from '../helpers/synth';
import { child, type Element, findAll, parseXml } from '../helpers/xml';

interface Operation {
  readonly id: string;
  readonly template: string;
  readonly params: readonly string[];
}

function operationsOf(plan: StackPlan): Operation[] {
  return plan.byType('azurerm_api_management_api_operation').map((o) => {
    const template = String(o.config['url_template']);
    return { id: String(o.config['operation_id']), template, params: objectParameters(template) };
  });
}

const tableEntry = (id: string) => GATEWAY_OPERATIONS.find((o) => o.id === id);

/** Each tenant's product policy, with the product's slug. */
function productPolicies(plan: StackPlan): { slug: string; policy: Element; resource: PlanResource }[] {
  return plan.byType('azurerm_api_management_product_policy').map((resource) => {
    const product = plan.resolve(resource.config['product_id']);
    const slug = String(product?.config['product_id'] ?? resource.config['product_id']);
    return { slug, policy: parseXml(String(resource.config['xml_content'])), resource };
  });
}

const inbound = (policy: Element) => child(policy, 'inbound')!.children;
const outbound = (policy: Element) => child(policy, 'outbound')!.children;
const attr = (e: Element, name: string) => e.attributes[name] ?? '';
/** Text of the whole subtree: attributes and text, for "does this branch mention X". */
const textOf = (e: Element): string =>
  [e.name, ...Object.values(e.attributes), e.text, ...e.children.map(textOf)].join(' ');

/** The `when` branches (with their conditions) on the way to each element of a given name. */
function guarded(elements: readonly Element[], name: string, conditions: string[] = []) {
  const found: { element: Element; conditions: string[] }[] = [];
  for (const e of elements) {
    if (e.name === name) found.push({ element: e, conditions });
    for (const branch of e.children)
      found.push(
        ...guarded(
          [branch],
          name,
          branch.name === 'when' ? [...conditions, attr(branch, 'condition')] : conditions,
        ).filter((f) => f.element !== branch || branch.name === name),
      );
  }
  return [...new Set(found)];
}

const environments = loadEnvironments();
const plans = new Map(
  examplesOutput()
    .stacks()
    .map((plan) => [plan.name, plan] as const),
);

describe.each(environments.map((env) => [env.name, env] as const))('%s', (name, env) => {
  const plan = plans.get(name)!;
  const operations = operationsOf(plan);
  const apiPolicy = parseXml(
    String(plan.byType('azurerm_api_management_api_policy')[0]!.config['xml_content']),
  );
  const products = productPolicies(plan);
  const tenants = tenantsIn(env).filter((t) => t.hasAccess);

  it('runs every tenant of the environment through its product policy, and every operation is in the table', () => {
    expect(products.map((p) => p.slug).sort()).toEqual(tenants.map((t) => t.slug).sort());
    expect(operations.length).toBeGreaterThan(0);
    for (const o of operations) expect(tableEntry(o.id), o.id).toBeDefined();
    // The product policy runs at the API's <base />, before any statement of the API policy.
    expect(inbound(apiPolicy)[0]!.name).toBe('base');
  });

  it.each(tenants.map((t) => [t.slug, t] as const))(
    '%s: signs in as its config says, with Entra first of all',
    (slug, t) => {
      const policy = products.find((p) => p.slug === slug)!.policy;
      const steps = inbound(policy);
      expect(steps[0]!.name).toBe('base');
      const auth = tenantAuth(t.tenant, env.stage);
      const validations = findAll(policy, 'validate-azure-ad-token');
      if (auth === 'key') {
        expect(validations).toEqual([]);
        return;
      }
      expect(validations).toHaveLength(1);
      const first = steps[1]!;
      if (auth === 'entra') expect(first).toBe(validations[0]);
      else {
        // both: the first step checks a presented token.
        expect(first.name).toBe('choose');
        expect(findAll(first, 'validate-azure-ad-token')[0]).toBe(validations[0]);
        expect(attr(findAll(first, 'when')[0]!, 'condition')).toContain('Authorization');
      }
      const validate = validations[0]!;
      const entra = t.tenant.entra!;
      expect(attr(validate, 'tenant-id')).toBe(entra.tenantId);
      expect(findAll(validate, 'audience').map((a) => a.text)).toEqual([entra.audience]);
      const clients = findAll(validate, 'application-id').map((a) => a.text);
      // The tenant's own identity (a reference to the identity tagged with this tenant), then its app registrations.
      const identity = plan.resolve(clients[0]);
      expect(identity?.type).toBe('azurerm_user_assigned_identity');
      expect((identity?.config['tags'] as Record<string, string>)['tenant']).toBe(slug);
      expect(clients[0]).toBe(`\${${identity!.address}.client_id}`);
      expect(clients.slice(1)).toEqual(entra.clientApplicationIds);
    },
  );

  it.each(tenants.map((t) => [t.slug, t] as const))(
    '%s: checks the owner of every stored object an operation names before forwarding, or is stateless',
    (slug, t) => {
      const policy = products.find((p) => p.slug === slug)!.policy;
      const idBearing = operations.filter((o) => bearsObjectIds(tableEntry(o.id)!));
      expect(idBearing.length).toBeGreaterThan(0);
      if (t.tenant.storedObjects === 'stateless') {
        const refusals = guarded(inbound(policy), 'return-response').filter((r) =>
          textOf(r.element).includes('StatelessTenant'),
        );
        for (const o of idBearing.filter((x) => x.id !== 'responses')) {
          expect(
            refusals.some((r) => r.conditions.some((c) => c.includes(`"${o.id}"`))),
            o.id,
          ).toBe(true);
        }
        // POST /responses: store forced false, and no continuation of a stored response.
        const store = guarded(inbound(policy), 'set-body').find((s) =>
          s.element.text.includes('body["store"] = false'),
        );
        expect(store?.conditions.some((c) => c.includes('"responses"'))).toBe(true);
        expect(findAll(policy, 'cache-store-value')).toEqual([]);
        return;
      }
      // isolate: the claimed id covers every object parameter and body field of the plan's operations ...
      const claim = findAll(policy, 'set-variable').find((v) => attr(v, 'name') === CLAIMED_ID_VARIABLE)!;
      expect(claim).toBeDefined();
      for (const o of idBearing) {
        for (const p of o.params)
          expect(attr(claim, 'value'), `${o.id} {${p}}`).toContain(`ContainsKey("${p}")`);
        const field = tableEntry(o.id)!.usesBodyField;
        if (field) expect(attr(claim, 'value'), o.id).toContain(`"${o.id}" ? ((string)`);
        if (field) expect(attr(claim, 'value'), o.id).toContain(`["${field}"]`);
      }
      // ... is looked up, and anything not recorded for this tenant is refused with 403, in the inbound section.
      const lookup = guarded(inbound(policy), 'cache-lookup-value');
      expect(lookup).toHaveLength(1);
      const refusal = guarded(inbound(policy), 'return-response').find((r) =>
        textOf(r.element).includes('ObjectNotOwned'),
      )!;
      expect(refusal.conditions.at(-1)).toContain(`.Split('|')[0] != "${slug}"`);
      expect(findAll(refusal.element, 'set-status')[0]!.attributes['code']).toBe('403');
      // Outbound: every id an operation creates is recorded for this tenant.
      const stores = guarded(outbound(policy), 'cache-store-value');
      for (const o of operations.filter((x) => (tableEntry(x.id)!.creates ?? []).length > 0)) {
        for (const field of tableEntry(o.id)!.creates!) {
          expect(
            stores.some(
              (s) =>
                s.conditions.some((c) => c.includes(`"${o.id}"`)) &&
                attr(s.element, 'key').includes(field.replace(/_/g, '-')) &&
                attr(s.element, 'value').includes(`"${slug}|"`),
            ),
            `${o.id} → ${field}`,
          ).toBe(true);
        }
      }
      // Keys are the same namespace on both sides, so a lookup finds what any tenant recorded.
      expect(attr(lookup[0]!.element, 'key')).toContain('"owner-"');
      for (const s of stores) expect(attr(s.element, 'key')).toContain('"owner-"');
    },
  );

  it('routes batch operations only to an account with batch deployments, ahead of every real-time route', () => {
    const batchOps = operations.filter((o) => tableEntry(o.id)!.surface === 'batch');
    const batchDeployments = plan
      .byType('azurerm_cognitive_deployment')
      .filter((d) => /Batch$/.test(String((d.config['sku'] as { name: string }).name)));
    if (batchDeployments.length === 0) {
      expect(batchOps).toEqual([]);
      return;
    }
    expect(batchOps.map((o) => o.template).sort()).toEqual(expect.arrayContaining(['/batches', '/files']));
    // Every choose that routes models (one, or one per gateway region and a fallback on a multi-region gateway).
    const routing = [
      ...new Set(
        inbound(apiPolicy).flatMap((c) => (c.name === 'choose' ? [c] : []).concat(findAll(c, 'choose'))),
      ),
    ].filter((c) =>
      c.children.some((w) => w.name === 'when' && /deployment-id"\] == /.test(attr(w, 'condition'))),
    );
    expect(routing.length).toBeGreaterThan(0);
    for (const choose of routing) {
      const whens = choose.children.filter((c) => c.name === 'when');
      const batchWhen = whens.findIndex((w) =>
        batchOps.every((o) => attr(w, 'condition').includes(`"${o.id}"`)),
      );
      // The first branch: nothing a client puts in the body (a model, an id) can route a batch call elsewhere.
      expect(batchWhen).toBe(0);
      const backendName = attr(findAll(whens[batchWhen]!, 'set-backend-service')[0]!, 'backend-id');
      const backend = plan
        .byType('Microsoft.ApiManagement/service/backends')
        .find((b) => b.config['name'] === backendName)!;
      const properties = body(backend)['properties'] as { type?: string; url: string };
      expect(properties.type).not.toBe('Pool');
      const host = /^https:\/\/([^.]+)\./.exec(properties.url)![1];
      const account = plan
        .byType('azurerm_cognitive_account')
        .find((a) => a.config['custom_subdomain_name'] === host)!;
      expect(batchDeployments.some((d) => plan.refersTo(d.config['cognitive_account_id'], account))).toBe(
        true,
      );
    }
    // The product policies never route batch calls (no tenant pool, no base URL for a batch operation).
    for (const { policy } of products) {
      for (const v of findAll(policy, 'set-variable').filter(
        (x) => attr(x, 'name') === OBJECT_BASE_URL_VARIABLE,
      ))
        expect(attr(v, 'value')).not.toMatch(/batch/i);
    }
  });

  it.each(tenants.map((t) => [t.slug, t] as const))(
    '%s: detects or redacts personal data as its config says, before the model',
    (slug, t) => {
      const policy = products.find((p) => p.slug === slug)!.policy;
      const pii = tenantPii(t.tenant, env.stage);
      const calls = findAll(policy, 'send-request');
      if (pii === 'off') {
        expect(calls).toEqual([]);
        return;
      }
      expect(calls).toHaveLength(1);
      // The call goes to the environment's Language account, whose endpoint the named value holds, as the gateway.
      const url = findAll(calls[0]!, 'set-url')[0]!.text;
      expect(url).toMatch(/^\{\{language-endpoint\}\}language\/:analyze-text\?/);
      expect(findAll(calls[0]!, 'authentication-managed-identity')).toHaveLength(1);
      const named = plan
        .byType('azurerm_api_management_named_value')
        .find((v) => v.config['name'] === 'language-endpoint')!;
      const language = plan
        .byType('azurerm_cognitive_account')
        .find((a) => a.config['kind'] === 'TextAnalytics')!;
      expect(named.config['value']).toBe(
        `https://${String(language.config['custom_subdomain_name'])}.cognitiveservices.azure.com/`,
      );
      // Every prompt-bearing operation of the plan is checked.
      const piiStep = guarded(inbound(policy), 'send-request')[0]!;
      for (const o of operations.filter((x) => tableEntry(x.id)!.prompt)) {
        expect(PROMPT_TEXT_PATHS[o.id], o.id).toBeDefined();
        expect(piiStep.conditions[0], o.id).toContain(`"${o.id}"`);
      }
      // Counts only, as a metric.
      const metric = findAll(policy, 'emit-metric')[0]!;
      expect(attr(metric, 'value')).toContain('pii-entities');
      expect(findAll(metric, 'dimension').map((d) => attr(d, 'name'))).toEqual(['Tenant', 'Mode']);
      const bodies = guarded(inbound(policy), 'set-body').filter((s) =>
        s.element.text.includes('redactedText'),
      );
      const refusals = guarded(inbound(policy), 'return-response').filter((r) =>
        textOf(r.element).includes('PiiCheckUnavailable'),
      );
      if (pii === 'detect') {
        expect(bodies).toEqual([]);
        return;
      }
      // redact: the masked text replaces the prompt in the inbound section (before the backend forwards it), and
      // an unanswered check refuses the request.
      expect(bodies).toHaveLength(1);
      expect(refusals).toHaveLength(1);
      const order = inbound(policy);
      const piiIndex = order.findIndex((e) => findAll(e, 'send-request').length > 0);
      const safetyIndex = order.findIndex((e) => e.name === 'llm-content-safety');
      if (safetyIndex >= 0) expect(piiIndex).toBeLessThan(safetyIndex);
    },
  );
});

describe('two tenants on one shared account', () => {
  const input = exampleInput('dev', {
    tenants: {
      alpha: {
        displayName: 'Alpha',
        owner: 'alpha@contoso.com',
        costCenter: 'CC-1',
        tier: 'shared',
        allowedModels: ['gpt-4o-mini'],
        contentFilter: 'standard',
        allocations: { dev: { tokensPerMinute: 1000, monthlyTokenQuota: 100000 } },
      },
      beta: {
        displayName: 'Beta',
        owner: 'beta@contoso.com',
        costCenter: 'CC-2',
        tier: 'shared',
        allowedModels: ['gpt-4o-mini'],
        contentFilter: 'standard',
        allocations: { dev: { tokensPerMinute: 1000, monthlyTokenQuota: 100000 } },
      },
    },
  });
  const env: Environment = parseEnvironment(input, 'test:two-tenants');
  const plan = synthEnvironment(env).plan;
  const operations = operationsOf(plan);
  const policies = new Map(productPolicies(plan).map((p) => [p.slug, p.policy]));

  it('shares one pool: both products reach the same model account', () => {
    expect([...policies.keys()].sort()).toEqual(expect.arrayContaining(['alpha', 'beta']));
    expect(
      plan
        .byType('azurerm_cognitive_account')
        .filter(
          (a) => a.config['kind'] !== 'ContentSafety' && a.config['project_management_enabled'] !== true,
        ).length,
    ).toBe(1);
  });

  it.each([
    ['alpha', 'beta'],
    ['beta', 'alpha'],
  ])('lets no operation of %s use an id that %s created', (b, a) => {
    const creator = policies.get(a)!;
    const user = policies.get(b)!;
    // What A writes: an owner record "A|host" under "owner-<id>" for each id it creates.
    const written = findAll(creator, 'cache-store-value').map((s) => attr(s, 'value'));
    expect(written.length).toBeGreaterThan(0);
    for (const value of written) expect(value).toContain(`"${a}|"`);
    // Nothing else in the plan writes owner records: not the API policy, not another product.
    const api = parseXml(String(plan.byType('azurerm_api_management_api_policy')[0]!.config['xml_content']));
    expect(findAll(api, 'cache-store-value')).toEqual([]);
    // Every operation of B that names an id reaches its forward only through the lookup of that id's owner and the
    // refusal of every owner but B: A's record ("A|…") fails the comparison with "B".
    const claim = findAll(user, 'set-variable').find((v) => attr(v, 'name') === CLAIMED_ID_VARIABLE)!;
    for (const o of operations.filter((x) => x.params.length > 0 || tableEntry(x.id)!.usesBodyField)) {
      const covered =
        o.params.every(
          (p) => p !== DEPLOYMENT_PARAMETER && attr(claim, 'value').includes(`ContainsKey("${p}")`),
        ) &&
        (tableEntry(o.id)!.usesBodyField === undefined || attr(claim, 'value').includes(`"${o.id}"`));
      expect(covered, o.id).toBe(true);
    }
    const refusal = guarded(inbound(user), 'return-response').find((r) =>
      textOf(r.element).includes('ObjectNotOwned'),
    )!;
    const comparison = /\.Split\('\|'\)\[0\] != "([^"]+)"/.exec(refusal.conditions.at(-1)!)![1];
    expect(comparison).toBe(b);
    expect(`${a}|host`.split('|')[0]).not.toBe(comparison);
    // The lookup key and the record key are the same expression of the id: B's lookup finds A's record.
    const lookupKey = attr(findAll(user, 'cache-lookup-value')[0]!, 'key');
    expect(lookupKey).toContain('"owner-"');
    for (const s of findAll(creator, 'cache-store-value')) expect(attr(s, 'key')).toContain('"owner-"');
    // Conversations, vector stores and file references in a prompt are refused outright.
    expect(textOf(user)).toContain('StoredObjectNotAllowed');
  });
});
