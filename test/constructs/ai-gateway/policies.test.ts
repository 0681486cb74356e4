import { describe, expect, it } from 'vitest';
import { emitTokenMetric, tokenLimit } from '../../../constructs/ai-gateway/policies/llm';
import {
  CLIENT_CREDENTIAL_HEADERS,
  INTERNAL_RESPONSE_HEADERS,
  inferencePolicy,
  renderPolicy,
} from '../../../constructs/ai-gateway/policies/inference-policy';
import { el, renderXml } from '../../../constructs/ai-gateway/policies/xml';
import { tenantProductPolicy } from '../../../constructs/ai-gateway/policies/product-policy';
import { child, findAll, findOne, parseXml } from '../../helpers/xml';

const base = {
  routes: [
    { model: 'gpt-4o', backendId: 'pool-gpt-4o' },
    { model: 'text-embedding-3-large', backendId: 'pool-text-embedding-3-large' },
  ],
  retryCount: 2,
  tokenLimit: { tokensPerMinute: 1000, quota: { tokens: 50000, period: 'Monthly' as const } },
  tokenMetrics: { namespace: 'genai', dimensions: ['Tenant', 'Model', 'API ID'] },
  contentSafety: {
    backendId: 'content-safety',
    shieldPrompt: true,
    thresholds: { hate: 2, sexual: 3, selfHarm: 4, violence: 5 },
  },
};

const policy = parseXml(renderPolicy(inferencePolicy(base)));
const inbound = child(policy, 'inbound')!;

describe('the inference API policy', () => {
  it('has the four sections, each starting with <base />', () => {
    expect(policy.children.map((c) => c.name)).toEqual(['inbound', 'backend', 'outbound', 'on-error']);
    for (const section of ['inbound', 'outbound', 'on-error'])
      expect(child(policy, section)!.children[0]!.name).toBe('base');
  });

  it("authenticates to the models with the gateway's system identity (the one its backends' credentials use), for Azure AI services", () => {
    expect(findOne(inbound, 'authentication-managed-identity').attributes).toEqual({
      resource: 'https://cognitiveservices.azure.com',
    });
  });

  it("removes the client's gateway key before anything reaches a model", () => {
    const deleted = inbound.children.filter(
      (c) => c.name === 'set-header' && c.attributes['exists-action'] === 'delete',
    );
    expect(deleted.map((c) => c.attributes['name'])).toEqual(CLIENT_CREDENTIAL_HEADERS);
    const names = inbound.children.map((c) => c.name);
    expect(names.indexOf('set-header')).toBeLessThan(names.indexOf('authentication-managed-identity'));
  });

  it("routes a dedicated tenant's own model to its pool first, each other model to its pool, and anything else to 404", () => {
    const routing = inbound.children.find(
      (c) => c.name === 'choose' && findAll(c, 'set-backend-service').length > 0,
    )!;
    const whens = findAll(routing, 'when');
    expect(
      whens.map((w) => [
        w.attributes['condition'],
        findOne(w, 'set-backend-service').attributes['backend-id'] ??
          findOne(w, 'set-backend-service').attributes['base-url'],
      ]),
    ).toEqual([
      // A stored object goes to the account that stores it, as the tenant's ownership check found it.
      [
        '@(context.Variables.ContainsKey("object-base-url"))',
        '@((string)context.Variables["object-base-url"])',
      ],
      [
        '@(context.Variables.ContainsKey("tenant-backend"))',
        '@((string)context.Variables["tenant-backend"])',
      ],
      ['@((string)context.Variables["deployment-id"] == "gpt-4o")', 'pool-gpt-4o'],
      [
        '@((string)context.Variables["deployment-id"] == "text-embedding-3-large")',
        'pool-text-embedding-3-large',
      ],
    ]);
    const otherwise = findOne(inbound, 'otherwise');
    expect(findOne(otherwise, 'set-status').attributes['code']).toBe('404');
  });

  it('retries 429 and 503 across the pool at once, with the body buffered, and never tests StatusReason', () => {
    const retry = findOne(child(policy, 'backend')!, 'retry');
    expect(retry.attributes).toEqual({
      count: '2',
      interval: '0',
      'first-fast-retry': 'true',
      condition: '@(context.Response.StatusCode == 429 || context.Response.StatusCode == 503)',
    });
    expect(retry.children).toEqual([
      expect.objectContaining({ name: 'forward-request', attributes: { 'buffer-request-body': 'true' } }),
    ]);
    expect(renderPolicy(inferencePolicy(base))).not.toMatch(/StatusReason/);
  });

  it('limits tokens per subscription with rate and quota', () => {
    expect(findOne(inbound, 'llm-token-limit').attributes).toMatchObject({
      'counter-key': '@(string.Concat("gateway-", context.Subscription.Id))',
      'tokens-per-minute': '1000',
      'token-quota': '50000',
      'token-quota-period': 'Monthly',
      'estimate-prompt-tokens': 'true',
    });
  });

  it('emits token metrics with bounded dimensions only', () => {
    const metric = findOne(inbound, 'llm-emit-token-metric');
    expect(metric.attributes['namespace']).toBe('genai');
    expect(metric.children.map((d) => d.attributes['name'])).toEqual(['Tenant', 'Model', 'API ID']);
    expect(metric.children.length).toBeLessThanOrEqual(5);
    expect(
      findAll(metric, 'dimension').find((d) => d.attributes['name'] === 'Tenant')?.attributes['value'],
    ).toBe('@(context.Product?.Id ?? "none")');
  });

  it('checks content safety through its backend, with prompt shields and per-category thresholds, only for requests that no product checked', () => {
    const safety = findOne(inbound, 'llm-content-safety');
    const guard = inbound.children.find(
      (c) => c.name === 'choose' && findAll(c, 'llm-content-safety').length > 0,
    )!;
    expect(findOne(guard, 'when').attributes['condition']).toBe('@(context.Product == null)');
    expect(safety.attributes).toEqual({ 'backend-id': 'content-safety', 'shield-prompt': 'true' });
    const categories = findOne(safety, 'categories');
    expect(categories.attributes['output-type']).toBe('EightSeverityLevels');
    expect(
      Object.fromEntries(categories.children.map((c) => [c.attributes['name'], c.attributes['threshold']])),
    ).toEqual({
      Hate: '2',
      Sexual: '3',
      SelfHarm: '4',
      Violence: '5',
    });
  });

  it('strips internal headers from answers and errors, returns the request id, and keeps the trace context', () => {
    for (const section of ['outbound', 'on-error']) {
      const deleted = findAll(child(policy, section)!, 'set-header')
        .filter((h) => h.attributes['exists-action'] === 'delete')
        .map((h) => h.attributes['name']);
      expect(deleted).toEqual(INTERNAL_RESPONSE_HEADERS);
    }
    const all = findAll(policy, 'set-header').map((h) => h.attributes['name']!.toLowerCase());
    expect(all).not.toContain('traceparent');
    expect(all).not.toContain('tracestate');
    expect(
      findAll(child(policy, 'outbound')!, 'set-header').some((h) => h.attributes['name'] === 'x-request-id'),
    ).toBe(true);
  });

  it('never looks up the semantic cache at API scope: only a tenant product does, in its own partition', () => {
    expect(findAll(policy, 'llm-semantic-cache-lookup')).toEqual([]);
    expect(findAll(policy, 'llm-semantic-cache-store')).toEqual([]);
  });

  it("looks up and stores in a tenant's own partition, for chat completions only", () => {
    const doc = (slug: string) =>
      parseXml(
        renderPolicy(
          tenantProductPolicy({
            allowedModels: ['gpt-4o-mini'],
            tokensPerMinute: 1000,
            monthlyTokenQuota: 100000,
            slug,
            semanticCache: {
              embeddingsBackendId: 'semantic-cache-embeddings',
              scoreThreshold: 0.05,
              durationSeconds: 300,
            },
          }),
        ),
      );
    const a = doc('alpha');
    const lookup = findOne(child(a, 'inbound')!, 'llm-semantic-cache-lookup');
    expect(lookup.attributes).toMatchObject({
      'score-threshold': '0.05',
      'embeddings-backend-id': 'semantic-cache-embeddings',
      'embeddings-backend-auth': 'system-assigned',
    });
    expect(findAll(lookup, 'vary-by').map((v) => v.text)).toEqual([
      '@("tenant:alpha")',
      '@((string)context.Variables["deployment-id"])',
    ]);
    expect(findOne(child(a, 'outbound')!, 'llm-semantic-cache-store').attributes['duration']).toBe('300');
    const b = findOne(child(doc('beta'), 'inbound')!, 'llm-semantic-cache-lookup');
    expect(findAll(b, 'vary-by')[0]!.text).toBe('@("tenant:beta")');
    expect(() =>
      tenantProductPolicy({
        allowedModels: ['gpt-4o-mini'],
        tokensPerMinute: 1,
        monthlyTokenQuota: 1,
        semanticCache: { embeddingsBackendId: 'x', scoreThreshold: 0.05, durationSeconds: 1 },
      }),
    ).toThrow(/tenant slug/);
  });

  it('leaves content safety out when not configured', () => {
    const { contentSafety: _omitted, ...withoutSafety } = base;
    expect(findAll(parseXml(renderPolicy(inferencePolicy(withoutSafety))), 'llm-content-safety')).toEqual([]);
  });
});

describe('policy builders', () => {
  it('refuse more than 5 metric dimensions and unbounded ones', () => {
    expect(() =>
      emitTokenMetric('genai', ['Tenant', 'Model', 'API ID', 'Backend ID', 'Location', 'Gateway ID']),
    ).toThrow('llm-emit-token-metric takes at most 5 dimensions, got 6');
    expect(() => emitTokenMetric('genai', ['Tenant', 'Client IP'])).toThrow(
      'unbounded metric dimensions are not allowed: Client IP',
    );
  });

  it('refuse a token limit with neither rate nor quota', () => {
    expect(() => tokenLimit({ counterKey: 'x' })).toThrow(
      'llm-token-limit needs tokensPerMinute, a quota, or both',
    );
  });

  it('escape attribute values and text so any expression stays well-formed', () => {
    const xml = renderXml(el('set-variable', { value: '@(a < b && c == "d")' }));
    expect(xml).toBe('<set-variable value="@(a &lt; b &amp;&amp; c == &quot;d&quot;)" />');
    expect(parseXml(xml).attributes['value']).toBe('@(a < b && c == "d")');
  });
});
