/**
 * The gateway invariants on the whole synthesized plan of each example environment: every backend protected and
 * authenticated, pools ordered by deployment type, every serving account reachable by the gateway identity.
 */
import { describe, expect, it } from 'vitest';
import { body as armBody } from '../../constructs/shared/plan';
import { REMOTE_PRIORITY_OFFSET } from '../../constructs/ai-gateway/regional-routing';
import { regionalRoutingRows, routingRows } from '../../scripts/lib/routes';
import { exampleEnvironment, synthEnvironment } from '../helpers/synth';

describe.each(['dev', 'staging', 'prod'] as const)('%s gateway', (name) => {
  const synth = synthEnvironment(exampleEnvironment(name));
  const plan = synth.plan;
  const body = (address: string | undefined) => {
    const resource = plan.resolve(address);
    return ((resource && armBody(resource)['properties']) ?? {}) as Record<string, unknown>;
  };
  const azapi = plan.byType('azapi_resource');
  const pools = azapi.filter((r) => (armBody(r)['properties'] as { type?: string }).type === 'Pool');
  const backends = azapi.filter(
    (r) =>
      String(r.config['type']).includes('/backends@') &&
      !pools.includes(r) &&
      !String(r.config['name']).startsWith('content-safety') &&
      r.config['name'] !== 'language',
  );

  it('gives every model backend a breaker on 429 and 5xx that honours Retry-After, and managed-identity credentials', () => {
    expect(backends.length).toBeGreaterThan(0);
    for (const backend of backends) {
      const p = body(backend.address);
      const rule = (p['circuitBreaker'] as { rules: Array<Record<string, unknown>> }).rules[0]!;
      expect(rule, backend.address).toMatchObject({
        acceptRetryAfter: true,
        failureCondition: {
          statusCodeRanges: [
            { min: 429, max: 429 },
            { min: 500, max: 503 },
          ],
        },
      });
      expect(p['credentials'], backend.address).toMatchObject({
        managedIdentity: { resource: 'https://cognitiveservices.azure.com' },
      });
    }
  });

  it('orders every pool by deployment type: provisioned at priority 1, pay-as-you-go at 2, batch never; a regional pool puts every remote backend behind the local ones', () => {
    const regionalPool = new Map(regionalRoutingRows(plan).map((row) => [row[2], row[0]]));
    for (const row of routingRows(plan)) {
      const [, pool, backend, region, type, priority] = row;
      expect(type, `${pool} ${backend}`).not.toMatch(/Batch/);
      const remote = regionalPool.has(pool) && regionalPool.get(pool) !== region;
      expect(priority, `${pool} ${backend}`).toBe(
        (remote ? REMOTE_PRIORITY_OFFSET : 0) + (String(type).includes('Provisioned') ? 1 : 2),
      );
    }
  });

  it('routes each regional gateway to its own region first: every local backend before any remote one', () => {
    const rows = regionalRoutingRows(plan);
    const regions = plan
      .byType('azurerm_api_management')
      .flatMap((s) => [
        s.config['location'],
        ...((s.config['additional_location'] as { location: string }[] | undefined) ?? []).map(
          (l) => l.location,
        ),
      ]);
    // Every region of a multi-region gateway has its own pools; a one-region gateway has none.
    expect(new Set(rows.map((r) => r[0]))).toEqual(regions.length > 1 ? new Set(regions) : new Set());
    for (const pool of new Set(rows.map((r) => r[2]))) {
      const tiers = rows.filter((r) => r[2] === pool).map((r) => r[6]);
      expect(tiers.join(','), String(pool)).toMatch(/^(local,)*(local|remote)(,remote)*$/);
      expect(tiers.lastIndexOf('local'), String(pool)).toBeLessThan(
        tiers.includes('remote') ? tiers.indexOf('remote') : Infinity,
      );
    }
  });

  it('gives the gateway\'s system identity (its backends\' credentials) "Cognitive Services OpenAI User" on every account a pool routes to', () => {
    const service = synth.only('azurerm_api_management');
    const grants = synth
      .resources('azurerm_role_assignment')
      .filter(
        (r) =>
          r.config['principal_id'] === `\${${service.address}.identity[0].principal_id}` &&
          r.config['role_definition_name'] === 'Cognitive Services OpenAI User',
      )
      .map((r) => r.config['scope']);
    const accounts = new Set(
      backends.map((b) => {
        const host = /^https:\/\/([^.]+)\./.exec(String(body(b.address)['url']))![1];
        const account = synth.resources('azurerm_cognitive_account').find((a) => a.config['name'] === host)!;
        return `\${${account.address}.id}`;
      }),
    );
    expect(accounts.size).toBeGreaterThan(0);
    for (const account of accounts) expect(grants, account).toContain(account);
  });

  it('routes every real-time deployment and no batch deployment', () => {
    const env = exampleEnvironment(name);
    const routed = new Set(routingRows(plan).map((row) => row[0]));
    for (const account of Object.values(env.endpoints.accounts)) {
      for (const [deployment, config] of Object.entries(account!.deployments)) {
        const spilloverTarget = Object.values(account!.deployments).some((d) => d.spilloverTo === deployment);
        expect(routed.has(deployment), deployment).toBe(!config.type.endsWith('Batch') && !spilloverTarget);
      }
    }
  });
});

describe('prod gateway', () => {
  const synth = synthEnvironment(exampleEnvironment('prod'));

  it('is Premium, zone-redundant and injected in internal mode, so it has no public endpoint', () => {
    const service = synth.only('azurerm_api_management');
    expect(service.config).toMatchObject({
      sku_name: 'Premium_3',
      zones: ['1', '2', '3'],
      virtual_network_type: 'Internal',
      virtual_network_configuration: {
        subnet_id: expect.stringMatching(
          /^\$\{azurerm_virtual_network\..*\.id\}\/subnets\/snet-cx-genai-prd-sdc-apim$/,
        ),
      },
    });
    const ips = synth.resources('azurerm_public_ip');
    expect(ips.find((ip) => ip.config['location'] === 'swedencentral')!.config).toMatchObject({
      sku: 'Standard',
      zones: ['1', '2', '3'],
    });
  });

  it('runs a second regional gateway in francecentral, injected into that region’s subnet, zonal, with its own public IP', () => {
    const service = synth.only('azurerm_api_management');
    const ip = synth
      .resources('azurerm_public_ip')
      .find((r) => r.config['location'] === 'francecentral' && String(r.config['name']).includes('apim'))!;
    expect(service.config['additional_location']).toEqual([
      {
        location: 'francecentral',
        capacity: 2,
        zones: ['1', '2'],
        public_ip_address_id: `\${${ip.address}.id}`,
        virtual_network_configuration: {
          subnet_id: expect.stringMatching(/\/subnets\/snet-cx-genai-prd-frc-apim$/),
        },
      },
    ]);
    expect(ip.config).toMatchObject({ sku: 'Standard', zones: ['1', '2'] });
  });

  it('keeps prompts and completions out of the logs, and samples traces', () => {
    const llm = synth
      .resources('azapi_resource')
      .find((r) => r.config['name'] === 'azuremonitor' && String(r.config['type']).includes('diagnostics'))!;
    expect(JSON.stringify(llm.config['body'])).toContain('"messages":"none"');
    const appi = synth.resources('azapi_resource').find((r) => r.config['name'] === 'applicationinsights')!;
    expect(appi.config['body']).toMatchObject({
      properties: { sampling: { percentage: 10 }, metrics: true },
    });
  });
});

describe('staging gateway', () => {
  const synth = synthEnvironment(exampleEnvironment('staging'));

  it('is StandardV2 behind a private endpoint, with VNet integration on a delegated subnet, and public access turned off', () => {
    const service = synth.only('azurerm_api_management');
    expect(service.config).toMatchObject({ sku_name: 'StandardV2_1', virtual_network_type: 'External' });
    const pep = synth
      .resources('azurerm_private_endpoint')
      .find((p) => p.config['name'] === 'pep-cx-genai-stg-sdc-apim')!;
    expect(pep.config['private_service_connection']).toMatchObject({ subresource_names: ['Gateway'] });
    const second = synth
      .resources('azapi_update_resource')
      .find((r) => r.config['resource_id'] === `\${${service.address}.id}`)!;
    expect(second.config).toMatchObject({
      body: { properties: { publicNetworkAccess: 'Disabled' } },
      depends_on: [pep.address],
    });
    const vnet = synth
      .resources('azurerm_virtual_network')
      .find((v) => v.config['location'] === 'swedencentral')!;
    const gatewaySubnet = (vnet.config['subnet'] as Array<Record<string, unknown>>).find((s) =>
      String(s['name']).endsWith('-apim'),
    )!;
    expect(gatewaySubnet['delegation']).toEqual([
      expect.objectContaining({
        service_delegation: [expect.objectContaining({ name: 'Microsoft.Web/serverFarms' })],
      }),
    ]);
  });
});
