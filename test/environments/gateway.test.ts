import { describe, expect, it } from 'vitest';
import { defaultRetryCount, planRoutes } from '../../constructs/ai-gateway';
import { gatewayPools } from '../../environments/sections/gateway';
import { problemsOf } from '../helpers/config';
import { exampleEnvironment, exampleInput } from '../helpers/synth';

describe('the routing plan', () => {
  const prod = exampleEnvironment('prod');
  const routes = planRoutes(gatewayPools(prod));

  it('pools each real-time model across regions, PTU first', () => {
    const gpt4o = routes.find((r) => r.model === 'gpt-4o')!;
    expect(gpt4o.members.map((m) => [m.region, m.type, m.priority])).toEqual([
      ['swedencentral', 'ProvisionedManaged', 1],
      ['francecentral', 'DataZoneStandard', 2],
      ['germanywestcentral', 'GlobalStandard', 2],
    ]);
  });

  it('derives priorities from the deployment types: provisioned 1, pay-as-you-go 2', () => {
    for (const member of routes.flatMap((r) => r.members)) {
      expect(member.priority, `${member.deployment} ${member.region}`).toBe(
        member.type.includes('Provisioned') ? 1 : 2,
      );
    }
  });

  it('keeps batch deployments and native spillover targets out of every pool', () => {
    const members = routes.flatMap((r) => r.members);
    expect(members.filter((m) => m.type.endsWith('Batch'))).toEqual([]);
    expect(routes.map((r) => r.model)).not.toContain('gpt-4o-overflow');
    expect(routes.map((r) => r.model).sort()).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-large']);
  });

  it('retries one less than the largest pool', () => {
    expect(defaultRetryCount(routes)).toBe(2);
  });

  it('lets config override members and priorities', () => {
    const env = exampleEnvironment('prod', {
      gateway: {
        pools: {
          'gpt-4o': {
            members: ['swedencentral', 'germanywestcentral'],
            priorities: { germanywestcentral: 5 },
          },
        },
      },
    });
    expect(
      planRoutes(gatewayPools(env))
        .find((r) => r.model === 'gpt-4o')!
        .members.map((m) => [m.region, m.priority]),
    ).toEqual([
      ['swedencentral', 1],
      ['germanywestcentral', 5],
    ]);
  });
});

describe('gateway input', () => {
  it('rejects a one-member pool in prod unless a reason is given', () => {
    const single = { gateway: { pools: { 'gpt-4o': { members: ['swedencentral'] } } } };
    expect(problemsOf(exampleInput('prod', single))).toEqual([
      expect.objectContaining({
        path: 'gateway.pools.gpt-4o',
        rule: 'gateway-prod-pools-fail-over',
        message: expect.stringContaining('has one backend (swedencentral) and no failover'),
      }),
    ]);
    expect(() =>
      exampleEnvironment('prod', {
        gateway: {
          pools: {
            'gpt-4o': {
              members: ['swedencentral'],
              singleMemberReason: 'Data residency keeps gpt-4o in Sweden only.',
            },
          },
        },
      }),
    ).not.toThrow();
  });

  it('rejects weights and priorities out of range', () => {
    const priority = problemsOf(
      exampleInput('prod', { gateway: { pools: { 'gpt-4o': { priorities: { swedencentral: 101 } } } } }),
    );
    expect(priority[0]).toMatchObject({
      path: 'gateway.pools.gpt-4o.priorities.swedencentral',
      received: '101',
    });
    expect(priority[0]!.message).toMatch(/expected a priority of 0–100/);
    const weight = problemsOf(
      exampleInput('dev', {
        endpoints: { accounts: { swedencentral: { deployments: { 'gpt-4o-mini': { gatewayWeight: 0 } } } } },
      }),
    );
    expect(weight[0]!.message).toMatch(/expected a weight of 1–100/);
  });

  it('rejects a model routed to no deployment', () => {
    expect(problemsOf(exampleInput('prod', { gateway: { pools: { 'gpt-5': {} } } }))).toEqual([
      expect.objectContaining({
        path: 'gateway.pools.gpt-5',
        message:
          'model "gpt-5" is routed to no deployment; expected a deployment named "gpt-5" in endpoints.accounts',
      }),
    ]);
  });

  it('rejects more than 5 metric dimensions, and unbounded ones', () => {
    const six = problemsOf(
      exampleInput('prod', {
        gateway: {
          tokenMetrics: { dimensions: ['Tenant', 'Model', 'API ID', 'Backend ID', 'Location', 'Gateway ID'] },
        },
      }),
    );
    expect(six).toEqual([
      expect.objectContaining({
        path: 'gateway.tokenMetrics.dimensions',
        message: 'llm-emit-token-metric allows at most 5 custom dimensions',
      }),
    ]);
    const ip = problemsOf(
      exampleInput('prod', { gateway: { tokenMetrics: { dimensions: ['Tenant', 'Client IP'] } } }),
    );
    expect(ip[0]).toMatchObject({ path: 'gateway.tokenMetrics.dimensions[1]', received: '"Client IP"' });
    expect(ip[0]!.message).toMatch(/client IPs, user ids and request ids are never allowed/);
  });

  it('rejects a batch deployment placed in a real-time pool', () => {
    const input = exampleInput('prod', {
      gateway: { pools: { 'gpt-4o-batch': { members: ['germanywestcentral'] } } },
    });
    expect(problemsOf(input)).toContainEqual(
      expect.objectContaining({
        path: 'gateway.pools.gpt-4o-batch.members[0]',
        message:
          '"gpt-4o-batch" in germanywestcentral is a GlobalBatch deployment; batch deployments never join a real-time pool',
      }),
    );
  });

  it('rejects a SKU that cannot do the requested VNet mode or zones', () => {
    expect(
      problemsOf(exampleInput('prod', { gateway: { sku: { tier: 'StandardV2', capacity: 3 } } })).map(
        (p) => p.rule,
      ),
    ).toEqual([
      'gateway-tier-supports-network',
      'gateway-zones-fit-tier',
      'gateway-additional-locations-premium',
    ]);
    const uneven = problemsOf(exampleInput('prod', { gateway: { sku: { capacity: 4 } } }));
    expect(uneven).toEqual([
      expect.objectContaining({
        path: 'gateway.sku.capacity',
        message: '4 units cannot spread evenly over 3 zones; expected a multiple of 3',
      }),
    ]);
    expect(
      problemsOf(exampleInput('staging', { gateway: { sku: { tier: 'Standard' } } }))[0]?.message,
    ).toMatch(/Standard cannot reach private model endpoints behind a private endpoint/);
  });

  it('rejects a capacity outside the tier range, a public gateway in staging and Developer in prod', () => {
    expect(problemsOf(exampleInput('dev', { gateway: { sku: { capacity: 2 } } }))[0]?.message).toBe(
      'Developer takes exactly 1 unit',
    );
    expect(
      problemsOf(exampleInput('staging', { gateway: { network: 'public' } })).map((p) => p.rule),
    ).toContain('gateway-private-in-private-stages');
    expect(
      problemsOf(
        exampleInput('prod', { gateway: { sku: { tier: 'Developer', capacity: 1 }, zones: [] } }),
      ).map((p) => p.rule),
    ).toContain('gateway-prod-sla');
  });

  it('needs a reason to log prompts and completions', () => {
    expect(
      problemsOf(exampleInput('prod', { gateway: { logging: { llmMessages: { enabled: true } } } }))[0],
    ).toMatchObject({
      path: 'gateway.logging.llmMessages.reason',
      message: 'is required: expected string',
    });
  });

  it('rejects a public gateway in front of private model accounts', () => {
    const input = { ...exampleInput('dev'), network: { mode: 'create' as const } };
    expect(problemsOf(input).map((p) => p.rule)).toContain('gateway-network-matches-environment');
  });
});

describe('the semantic cache', () => {
  const cache = (over: Record<string, unknown>) => ({ gateway: { semanticCache: over } });
  /** A patch that swaps the example's built cache for an existing one (the patch merges, so it drops the SKU). */
  const EXISTING = { mode: 'existing', region: 'swedencentral', sku: undefined, highAvailability: undefined };
  const CLASSIC =
    '/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-cache/providers/Microsoft.Cache/redis/cache-genai';

  it('refuses a classic Azure Cache for Redis id, naming the path, the value and why', () => {
    const problems = problemsOf(exampleInput('prod', cache({ cache: { ...EXISTING, resourceId: CLASSIC } })));
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'gateway.semanticCache.cache.resourceId',
        received: expect.stringContaining('/resourceGroups/rg-cache/'),
        message: expect.stringMatching(
          /classic Azure Cache for Redis \(Microsoft\.Cache\/redis\) cannot be a semantic cache: .*needs the RediSearch module, which only Azure Managed Redis has/,
        ),
      }),
    ]);
  });

  it('refuses an id that is not a Managed Redis, and a SKU that cannot load RediSearch', () => {
    const problems = problemsOf(
      exampleInput('prod', cache({ cache: { ...EXISTING, resourceId: '/subscriptions/x/redis' } })),
    );
    expect(problems.map((p) => [p.path, p.message])).toEqual([
      [
        'gateway.semanticCache.cache.resourceId',
        expect.stringContaining('Microsoft.Cache/redisEnterprise/<name>'),
      ],
    ]);
    const sku = problemsOf(exampleInput('prod', cache({ cache: { sku: 'FlashOptimized_A250' } })));
    expect(sku.map((p) => [p.path, p.message])).toEqual([
      ['gateway.semanticCache.cache.sku', expect.stringContaining('not FlashOptimized')],
    ]);
  });

  it('needs an embeddings deployment the gateway routes', () => {
    const missing = problemsOf(exampleInput('prod', cache({ embeddingsDeployment: 'text-embedding-ada' })));
    expect(missing).toEqual([
      expect.objectContaining({
        path: 'gateway.semanticCache.embeddingsDeployment',
        rule: 'gateway-semantic-cache-embeddings',
        message: expect.stringContaining(
          'a semantic cache needs an embeddings deployment the gateway routes',
        ),
      }),
    ]);
    const chat = problemsOf(exampleInput('prod', cache({ embeddingsDeployment: 'gpt-4o-mini' })));
    expect(chat.map((p) => p.message)).toEqual([
      expect.stringContaining('runs gpt-4o-mini, not an embeddings model'),
    ]);
  });

  it('takes the score threshold and duration in range, per environment and per tenant, every problem at once', () => {
    const problems = problemsOf(
      exampleInput('prod', {
        ...cache({ scoreThreshold: 1.5, durationSeconds: 0 }),
        tenants: { marketing: { semanticCache: { scoreThreshold: -0.1, durationSeconds: 90000 } } },
      }),
    );
    expect(problems.map((p) => [p.path, p.received])).toEqual([
      ['gateway.semanticCache.scoreThreshold', '1.5'],
      ['gateway.semanticCache.durationSeconds', '0'],
      ['tenants.marketing.semanticCache.scoreThreshold', '-0.1'],
      ['tenants.marketing.semanticCache.durationSeconds', '90000'],
    ]);
    expect(problems[0]!.message).toContain('between 0 and 1');
    expect(problems[1]!.message).toContain('1–86400 seconds');
  });

  it('needs a private gateway: the cache has no public endpoint', () => {
    const dev = exampleInput('dev', {
      gateway: {
        semanticCache: { enabled: true, embeddingsDeployment: 'text-embedding-3-small' },
      },
    });
    expect(problemsOf(dev)).toEqual([
      expect.objectContaining({ path: 'gateway.network', rule: 'gateway-semantic-cache-private' }),
    ]);
  });
});
