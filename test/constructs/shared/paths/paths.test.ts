/**
 * The data-path proof on synthesized plans. Blueprint invariants run over every environment the project loads (an
 * adopter's own too) and over a 3-region bring-your-own variant; the mutation tests take a synthesized plan, remove
 * one link (a peering, a zone link, a zone group entry, an A record, a role assignment, an NSG allow) and check that
 * the proof fails at that hop and names it.
 */
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  assumptionRows,
  checkDataPaths,
  FOUNDRY_MANAGED_NETWORK,
  type DataPathContext,
  type DataPathReport,
  type HopKind,
  PATH_RULES,
  type PathResult,
  pathRuleResults,
} from '../../../../constructs/shared/paths';
import { StackPlan, type TerraformJson } from '../../../../constructs/shared/plan';
import { type Environment, loadEnvironments, parseEnvironment } from '../../../../environments';
import { dataPathContext } from '../../../../stacks/governance';
import { PlatformStack } from '../../../../stacks/platform-stack';
import { byoInput, HUB_PROVIDES, spokeSubnetId } from '../../../helpers/network';
import { synthEnvironment, synthesizeStack } from '../../../helpers/synth';
import { type AzureRegion, regionCode } from '../../../../constructs/shared/catalog';

type Json = TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

/** Every environment the project loads, and a 3-region bring-your-own variant whose hub declares what it provides. */
const HUB = HUB_PROVIDES;
/** Bring-your-own prod with the hub's declarations and an application subnet in every region. */
function byoWithApps() {
  const input = byoInput('prod', { providedByHub: HUB });
  const network = input.network as { subnetIds: Record<string, Record<string, string>> };
  for (const [region, ids] of Object.entries(network.subnetIds))
    ids['appIntegration'] = spokeSubnetId(region, 'snet-app');
  return input;
}
const byo = parseEnvironment(byoWithApps(), 'test:byo-prod');
const environments: Environment[] = [...loadEnvironments(), byo];
const synthesized = new Map(
  environments.map((env, i) => {
    const json = structuredClone(synthEnvironment(env).json) as Json;
    return [`${i}:${env.name}`, { env, json }] as const;
  }),
);

function check(json: Json, context: DataPathContext): DataPathReport {
  return checkDataPaths(new StackPlan('test', json), context);
}

const hop = (path: PathResult, kind: HopKind) => path.hops.find((h) => h.hop === kind)!;
const clone = (json: Json): Json => structuredClone(json);

describe.each([...synthesized.entries()])('%s: every data path', (_key, { env, json }) => {
  const report = check(json, dataPathContext(env));
  const paths = report.paths;
  const of = (kind: string) => paths.filter((p) => p.kind === kind);

  it('is proven hop by hop, or rests only on what config declares provided outside the stack', () => {
    const broken = paths.filter((p) => p.verdict === 'broken');
    expect(broken.map((p) => [p.id, p.hops.filter((h) => h.status === 'fail').map((h) => h.detail)])).toEqual(
      [],
    );
    // Outside bring-your-own, only a hop that Foundry's managed side runs rests on a declaration (with its reason).
    const managedOnly = (p: PathResult) =>
      p.hops.every((h) => h.status !== 'assumed' || h.origin === FOUNDRY_MANAGED_NETWORK.origin);
    if (env.network.mode !== 'byo')
      expect(paths.filter((p) => p.verdict !== 'proven' && !managedOnly(p)).map((p) => p.id)).toEqual([]);
  });

  it('covers every backend the gateway calls: models in every region, Content Safety, dedicated accounts', () => {
    const backends = Object.values(json.resource['azapi_resource'] ?? {}).filter(
      (r) =>
        String(r['type']).startsWith('Microsoft.ApiManagement/service/backends@') &&
        typeof (r['body'] as { properties?: { url?: unknown } }).properties?.url === 'string',
    );
    expect(backends.length).toBeGreaterThan(0);
    expect(of('gateway-backend')).toHaveLength(backends.length);
    // The Foundry account is no backend: its projects reach models through the gateway.
    const accounts = Object.values(json.resource['azurerm_cognitive_account'] ?? {}).filter(
      (a) => a['project_management_enabled'] !== true,
    );
    const called = new Set(of('gateway-backend').map((p) => p.host.split('.')[0]));
    for (const account of accounts)
      expect(called, String(account['name'])).toContain(account['custom_subdomain_name']);
  });

  it('covers the gateway logger, the gateway’s Key Vault, and each tenant identity’s secret and container', () => {
    expect(of('gateway-telemetry')).toHaveLength(1);
    expect(of('gateway-keyvault').length).toBeGreaterThanOrEqual(1);
    const identities = Object.values(json.resource['azurerm_user_assigned_identity'] ?? {}).filter(
      (i) => (i['tags'] as Record<string, string>)['tenant'],
    );
    const secrets = Object.values(json.resource['azapi_resource'] ?? {}).filter(
      (r) =>
        String(r['type']).startsWith('Microsoft.KeyVault/vaults/secrets@') &&
        (r['body'] as { tags?: Record<string, string> }).tags?.['tenant'] !== undefined,
    );
    expect(of('tenant-secret')).toHaveLength(identities.length);
    expect(secrets).toHaveLength(identities.length);
    const withData = env.tenantShards
      ? []
      : identities.filter((i) =>
          Object.values(json.resource['azurerm_storage_container'] ?? {}).some(
            (c) =>
              (c['metadata'] as Record<string, string>)['tenant'] ===
              (i['tags'] as Record<string, string>)['tenant'],
          ),
        );
    expect(of('tenant-prompts')).toHaveLength(withData.length);
  });

  it('covers the usage ledger: the gateway’s logger to the hub, and Azure Monitor’s ingestion from it', () => {
    const loggers = Object.values(json.resource['azurerm_api_management_logger'] ?? {}).filter(
      (l) => l['eventhub'],
    );
    const associations = Object.keys(json.resource['azurerm_monitor_data_collection_rule_association'] ?? {});
    const expected = env.finops?.ledger.enabled ? 1 : 0;
    expect(loggers).toHaveLength(expected);
    expect(associations).toHaveLength(expected);
    expect(of('gateway-ledger')).toHaveLength(expected);
    expect(of('ledger-ingestion')).toHaveLength(expected);
  });

  it('covers the external cache from every gateway region', () => {
    const entities = Object.values(json.resource['azapi_resource'] ?? {}).filter((r) =>
      String(r['type']).startsWith('Microsoft.ApiManagement/service/caches@'),
    );
    const regions = 1 + Object.keys(env.gateway.regions.additional).length;
    expect(of('gateway-cache')).toHaveLength(entities.length * regions);
    expect(entities.length).toBe(env.gateway.semanticCache.enabled ? 1 : 0);
  });

  it('covers every connection of every Foundry project, and each tenant application’s call to its own project', () => {
    const connections = Object.entries(json.resource['azapi_resource'] ?? {}).filter(([, r]) =>
      String(r['type']).startsWith('Microsoft.CognitiveServices/accounts/projects/connections@'),
    );
    const foundry = paths.filter((p) => p.kind.startsWith('foundry-'));
    expect(foundry.map((p) => p.id.slice(p.id.indexOf(':') + 1)).sort()).toEqual(
      connections.map(([name]) => `azapi_resource.${name}`).sort(),
    );
    for (const path of foundry) {
      // The network is Foundry's own (declared), everything else is proven from the plan.
      expect(hop(path, 'auth').status, path.id).toBe('pass');
      expect(['pass', 'assumed'], path.id).toContain(hop(path, 'route').status);
    }
    const tenantProjects = Object.entries(json.resource['azurerm_cognitive_account_project'] ?? {}).filter(
      ([, p]) => (p['tags'] as Record<string, string> | undefined)?.['tenant'],
    );
    expect(
      of('client-foundry')
        .map((p) => p.id.split('->')[1])
        .sort(),
    ).toEqual(tenantProjects.map(([name]) => `azurerm_cognitive_account_project.${name}`).sort());
    for (const path of of('client-foundry')) {
      expect(path.verdict, path.id).toBe(env.network.mode === 'byo' ? 'assumed' : 'proven');
      expect(hop(path, 'auth').summary, path.id).toMatch(/^Azure AI User on proj-/);
    }
    for (const path of of('foundry-gateway')) {
      const tenant = /t-([a-z0-9-]+)$/.exec(path.caller)?.[1];
      expect(hop(path, 'auth').summary, path.id).toBe(`subscription key of product ${tenant}`);
    }
  });

  it('covers the application subnets of every region, or clients on the internet where there is no private network', () => {
    const callers = of('client-gateway').map((p) => p.caller);
    if (env.network.mode === 'create') {
      const regions = [env.regions.primary, ...env.regions.additional];
      expect(callers).toHaveLength(regions.length);
      for (const region of regions)
        expect(
          callers.some((c) => c.startsWith(`apps in ${region} `)),
          region,
        ).toBe(true);
    } else if (env.network.mode === 'none') {
      expect(callers).toEqual(['clients on the internet']);
    }
  });
});

/** The first synthesized environment with VNets in at least two regions and an internal or private-endpoint gateway. */
const multiRegion = [...synthesized.values()].find(
  ({ env }) => env.network.mode === 'create' && env.regions.additional.length > 0,
)!;

function firstPath(report: DataPathReport, test: (p: PathResult) => boolean): PathResult {
  const found = report.paths.find(test);
  if (!found) throw new Error('no path matches');
  return found;
}

function remove(json: Json, address: string): void {
  const [type, name] = [address.slice(0, address.indexOf('.')), address.slice(address.indexOf('.') + 1)];
  expect(json.resource[type]?.[name], address).toBeDefined();
  delete json.resource[type]![name];
}

/** The path with `id` after a mutation, and its hop of `kind`. */
function after(json: Json, env: Environment, id: string, kind: HopKind) {
  const path = check(json, dataPathContext(env)).paths.find((p) => p.id === id)!;
  return { path, hop: hop(path, kind) };
}

describe(`mutations of a synthesized multi-region plan (${multiRegion.env.name})`, () => {
  const { env, json } = multiRegion;
  const context = dataPathContext(env);
  const report = check(json, context);
  const crossRegion = firstPath(
    report,
    (p) => p.kind === 'gateway-backend' && hop(p, 'route').summary.startsWith('peered'),
  );

  it('route: passes over a peering in both directions, and fails naming the VNets when one direction is removed', () => {
    const route = hop(crossRegion, 'route');
    expect(route.status).toBe('pass');
    const mutated = clone(json);
    remove(mutated, route.address!);
    const { path, hop: broken } = after(mutated, env, crossRegion.id, 'route');
    expect(path.verdict).toBe('broken');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/are not peered: no azurerm_virtual_network_peering vnet-\S+ → vnet-\S+/);
  });

  it('name resolution: passes through the private endpoint’s zone, and fails naming the zone when its link to the caller’s VNet is removed', () => {
    const dns = hop(crossRegion, 'dns');
    expect(dns.status).toBe('pass');
    const zoneName = /via (\S+)$/.exec(dns.summary)![1]!;
    const mutated = clone(json);
    const caller = Object.entries(json.resource['azurerm_api_management']!)[0]!;
    const subnetId = String((caller[1]['virtual_network_configuration'] as { subnet_id: string }).subnet_id);
    const vnetRef = subnetId.slice(0, subnetId.indexOf('/subnets/'));
    const zone = Object.entries(json.resource['azurerm_private_dns_zone']!).find(
      ([, z]) => z['name'] === zoneName,
    )!;
    const link = Object.entries(json.resource['azurerm_private_dns_zone_virtual_network_link']!).find(
      ([, l]) =>
        l['private_dns_zone_name'] === `\${azurerm_private_dns_zone.${zone[0]}.name}` &&
        l['virtual_network_id'] === vnetRef,
    )!;
    remove(mutated, `azurerm_private_dns_zone_virtual_network_link.${link[0]}`);
    const { hop: broken } = after(mutated, env, crossRegion.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain(`${zoneName} is not linked to vnet-`);
    expect(broken.address).toBe(`azurerm_private_dns_zone.${zone[0]}`);
  });

  it('name resolution: fails naming the private endpoint when its zone group loses the zone', () => {
    const dns = hop(crossRegion, 'dns');
    const zoneName = /via (\S+)$/.exec(dns.summary)![1]!;
    const mutated = clone(json);
    const [, name] = dns.address!.split('.');
    const endpoint = mutated.resource['azurerm_private_endpoint']![name!]!;
    const group = endpoint['private_dns_zone_group'] as { private_dns_zone_ids: string[] };
    const zones = Object.entries(json.resource['azurerm_private_dns_zone']!);
    group.private_dns_zone_ids = group.private_dns_zone_ids.filter(
      (id) =>
        !zones.some(([key, z]) => z['name'] === zoneName && id === `\${azurerm_private_dns_zone.${key}.id}`),
    );
    const { hop: broken } = after(mutated, env, crossRegion.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(
      new RegExp(
        `the private endpoint \\S+'s DNS zone group does not hold ${zoneName.replace(/\./g, '\\.')}`,
      ),
    );
    expect(broken.address).toBe(dns.address);
  });

  it('authorization: passes with a role that covers the call, and fails naming the callee when the role assignment is removed', () => {
    const auth = hop(crossRegion, 'auth');
    expect(auth.status).toBe('pass');
    expect(auth.summary).toMatch(/^Cognitive Services OpenAI User on /);
    const mutated = clone(json);
    remove(mutated, auth.address!);
    const { hop: broken } = after(mutated, env, crossRegion.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/holds no role on \S+ or a parent scope/);
    expect(broken.detail).toContain('chat/completions/action');
  });

  it('authorization: fails when the role does not grant the data action (a reader role)', () => {
    const auth = hop(crossRegion, 'auth');
    const mutated = clone(json);
    const [, name] = auth.address!.split('.');
    mutated.resource['azurerm_role_assignment']![name!]!['role_definition_name'] = 'Monitoring Reader';
    const { hop: broken } = after(mutated, env, crossRegion.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/holds Monitoring Reader on .* whose data actions .* do not cover/);
  });

  it('network security: passes by the named allow rules, and fails naming the NSG and the deny rule when the allow is removed', () => {
    const nsg = hop(crossRegion, 'nsg');
    expect(nsg.status).toBe('pass');
    const rule = /^out ([^,\s]+)/.exec(nsg.summary)![1]!;
    const mutated = clone(json);
    // The NSG of the gateway's subnet: the caller's side.
    const service = Object.values(json.resource['azurerm_api_management']!)[0]!;
    const subnetId = String((service['virtual_network_configuration'] as { subnet_id: string }).subnet_id);
    const [, vnetName, subnetName] = /^\$\{azurerm_virtual_network\.([^.]+)\.id\}\/subnets\/(.+)$/.exec(
      subnetId,
    )!;
    const subnet = (
      json.resource['azurerm_virtual_network']![vnetName!]!['subnet'] as {
        name: string;
        security_group: string;
      }[]
    ).find((b) => b.name === subnetName)!;
    const nsgName = /^\$\{azurerm_network_security_group\.([^.]+)\.id\}$/.exec(subnet.security_group)![1]!;
    const owner = [nsgName, mutated.resource['azurerm_network_security_group']![nsgName]!] as const;
    owner[1]['security_rule'] = (owner[1]['security_rule'] as { name: string }[]).filter(
      (r) => r.name !== rule,
    );
    const { hop: broken } = after(mutated, env, crossRegion.id, 'nsg');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/denies outbound TCP 443 .* by rule DenyAllOutbound/);
    expect(broken.address).toBe(`azurerm_network_security_group.${owner[0]}`);
  });

  it('turns a broken hop into a failed rule result of the rule pack: the rule, the resource, the path and what broke', () => {
    const route = hop(crossRegion, 'route');
    const mutated = clone(json);
    remove(mutated, route.address!);
    const results = pathRuleResults(check(mutated, context));
    const failed = results.find((r) => r.status === 'fail' && r.detail?.includes(crossRegion.host))!;
    expect(failed.rule).toBe('LZ.Path.Route');
    expect(failed.address).toMatch(/^azurerm_virtual_network\./);
    expect(failed.detail).toMatch(
      new RegExp(`^path ${crossRegion.caller} → .* \\(${crossRegion.host.replace(/\./g, '\\.')}\\): vnet-`),
    );
    expect(PATH_RULES.map((r) => r.id)).toContain(failed.rule);
  });
});

describe(`mutations of the usage ledger's paths (${multiRegion.env.name})`, () => {
  const { env, json } = multiRegion;
  const report = check(json, dataPathContext(env));
  const send = firstPath(report, (p) => p.kind === 'gateway-ledger');
  const ingest = firstPath(report, (p) => p.kind === 'ledger-ingestion');

  it('proves both paths: private endpoint, AMQP through the NSGs, Data Sender; trusted service, Data Receiver', () => {
    expect(send.verdict).toBe('proven');
    expect(hop(send, 'dns').summary).toMatch(/via privatelink\.servicebus\.windows\.net$/);
    expect(hop(send, 'nsg').summary).toBe('out AllowEventHubsOutbound, in AllowVirtualNetworkAmqpsInbound');
    expect(hop(send, 'auth').summary).toMatch(/^Azure Event Hubs Data Sender on /);
    expect(ingest.verdict).toBe('proven');
    expect(hop(ingest, 'route').summary).toBe('trusted Microsoft service (Azure Monitor)');
    expect(hop(ingest, 'auth').summary).toMatch(/^Azure Event Hubs Data Receiver on /);
  });

  it('authorization: the gateway’s send fails when its Data Sender role goes, or is only a Receiver', () => {
    const mutated = clone(json);
    remove(mutated, hop(send, 'auth').address!);
    const { hop: broken } = after(mutated, env, send.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('Microsoft.EventHub/namespaces/messages/send/action');
    const swapped = clone(json);
    const [, name] = hop(send, 'auth').address!.split('.');
    swapped.resource['azurerm_role_assignment']![name!]!['role_definition_name'] =
      'Azure Event Hubs Data Receiver';
    expect(after(swapped, env, send.id, 'auth').hop.detail).toMatch(
      /holds Azure Event Hubs Data Receiver on .* do not cover/,
    );
  });

  it('name resolution: fails naming the private endpoint when its zone group loses privatelink.servicebus.windows.net', () => {
    const mutated = clone(json);
    const [, name] = hop(send, 'dns').address!.split('.');
    const group = mutated.resource['azurerm_private_endpoint']![name!]!['private_dns_zone_group'] as {
      private_dns_zone_ids: string[];
    };
    const zones = Object.entries(json.resource['azurerm_private_dns_zone']!);
    group.private_dns_zone_ids = group.private_dns_zone_ids.filter(
      (id) =>
        !zones.some(
          ([key, z]) => z['name'] === 'privatelink.servicebus.windows.net' && id.includes(`.${key}.`),
        ),
    );
    const { hop: broken } = after(mutated, env, send.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('does not hold privatelink.servicebus.windows.net');
  });

  it('network security: fails naming the gateway subnet’s NSG when AMQP out is no longer allowed', () => {
    const mutated = clone(json);
    for (const nsg of Object.values(mutated.resource['azurerm_network_security_group']!))
      nsg['security_rule'] = (nsg['security_rule'] as { name: string }[]).filter(
        (r) => r.name !== 'AllowEventHubsOutbound',
      );
    const { hop: broken } = after(mutated, env, send.id, 'nsg');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/denies outbound TCP 5671 .* by rule DenyAllOutbound/);
  });

  it('ingestion: fails when the namespace stops admitting trusted services, or the DCR loses Data Receiver', () => {
    const closed = clone(json);
    for (const ns of Object.values(closed.resource['azurerm_eventhub_namespace']!))
      (ns['network_rulesets'] as Record<string, unknown>[])[0]!['trusted_service_access_enabled'] = false;
    const route = after(closed, env, ingest.id, 'route').hop;
    expect(route.status).toBe('fail');
    expect(route.detail).toContain('does not admit trusted Microsoft services');
    const unauthorized = clone(json);
    remove(unauthorized, hop(ingest, 'auth').address!);
    const auth = after(unauthorized, env, ingest.id, 'auth').hop;
    expect(auth.status).toBe('fail');
    expect(auth.detail).toContain('Microsoft.EventHub/namespaces/messages/receive/action');
  });
});

describe('the internal gateway’s DNS', () => {
  const internal = [...synthesized.values()].find(
    ({ json }) =>
      json.resource['azurerm_virtual_network'] &&
      Object.values(json.resource['azurerm_api_management'] ?? {}).some(
        (s) => s['virtual_network_type'] === 'Internal',
      ),
  );

  it.runIf(internal !== undefined)(
    'resolves by an A record per host name, and fails when the record is removed',
    () => {
      const { env, json } = internal!;
      const report = check(json, dataPathContext(env));
      const client = firstPath(report, (p) => p.kind === 'client-gateway');
      const dns = hop(client, 'dns');
      expect(dns.summary).toBe(`A record in ${client.host}`);
      const mutated = clone(json);
      for (const [name, record] of Object.entries(mutated.resource['azurerm_private_dns_a_record'] ?? {}))
        if (String(record['zone_name']).includes(dns.address!.split('.')[1]!))
          delete mutated.resource['azurerm_private_dns_a_record']![name];
      const { hop: broken } = after(mutated, env, client.id, 'dns');
      expect(broken.status).toBe('fail');
      expect(broken.detail).toContain(`holds no A record "@" pointing at`);
    },
  );
});

describe('a 3-region bring-your-own network', () => {
  it('proves the applications of every region to the gateway through the declared subnets', () => {
    const report = check(
      synthesized.get(`${environments.length - 1}:${byo.name}`)!.json,
      dataPathContext(byo),
    );
    const clients = report.paths.filter((p) => p.kind === 'client-gateway');
    expect(clients.map((p) => p.caller).sort()).toEqual(
      [byo.regions.primary, ...byo.regions.additional].map((r) => `apps in ${r} (snet-app)`).sort(),
    );
    // Same spoke VNet as the gateway: routed without an assumption; other regions rest on the hub's peering.
    const primary = clients.find((p) => p.caller.includes(byo.regions.primary))!;
    expect(hop(primary, 'route').summary).toBe(`same VNet vnet-spoke-${byo.regions.primary}`);
    expect(clients.filter((p) => hop(p, 'route').status === 'assumed')).toHaveLength(
      byo.regions.additional.length,
    );
  });

  it('passes with the hub’s peering, DNS and NSGs declared, and lists each as an assumption', () => {
    expect([byo.regions.primary, ...byo.regions.additional]).toHaveLength(3);
    const app = Testing.app();
    const stack = new PlatformStack(app, byo.name, { environment: byo });
    const report = synthesizeStack(stack).policy;
    expect(report.results.filter((r) => r.status === 'fail')).toEqual([]);
    const paths = report.paths!.paths;
    expect(paths.some((p) => p.verdict === 'assumed')).toBe(true);
    expect(paths.every((p) => p.verdict !== 'broken')).toBe(true);
    expect(assumptionRows(report.paths!).map((r) => [r[0], r[1], r[2]])).toEqual(
      expect.arrayContaining([
        ['route', 'network.providedByHub.peering', HUB.peering.reason],
        ['dns', 'network.providedByHub.dns', HUB.dns.reason],
        ['nsg', 'network.providedByHub.networkSecurity', HUB.networkSecurity.reason],
      ]),
    );
    // Assumptions are suppressions with their reason in the rule results, as the audit shows them.
    expect(report.results).toContainEqual(
      expect.objectContaining({
        rule: 'LZ.Path.Route',
        status: 'suppressed',
        origin: 'network.providedByHub.peering',
      }),
    );
  });

  it('fails synth without the declaration, naming the hop and the config that would declare it', () => {
    const env = parseEnvironment(byoInput('prod'), 'test:byo-undeclared');
    const app = Testing.app();
    const stack = new PlatformStack(app, env.name, { environment: env });
    const errors = synthesizeStack(stack).notes.filter((n) => n.level === 'error');
    expect(errors.map((n) => n.message).join('\n')).toMatch(/\[LZ\.Path\.Route\] .*providedByHub\.peering/s);
  });

  it('lets config suppress a broken hop on its resource with a reason, like any rule of the pack', () => {
    const input = byoInput('prod');
    const synth = (env: Environment) =>
      synthesizeStack(new PlatformStack(Testing.app(), env.name, { environment: env })).policy;
    // The hops that name a resource of the plan (a construct path); the others report on the path's id.
    const broken = synth(parseEnvironment(input, 'test:byo-undeclared')).results.filter(
      (r) => r.rule === 'LZ.Path.Route' && r.status === 'fail' && !r.path.includes(':'),
    );
    expect(broken.length).toBeGreaterThan(0);
    const reason = 'The hub team peers every spoke; change CHG-1234 records it.';
    const suppressed = parseEnvironment(
      {
        ...input,
        governance: {
          suppressions: [...new Set(broken.map((r) => r.path))].map((resource) => ({
            rule: 'LZ.Path.Route',
            resource,
            reason,
          })),
        },
      },
      'test:byo-suppressed',
    );
    const report = synth(suppressed);
    const paths = new Set(broken.map((r) => r.path));
    const route = report.results.filter((r) => r.rule === 'LZ.Path.Route' && paths.has(r.path));
    expect(route.map((r) => [r.status, r.reason, r.origin?.startsWith('governance.suppressions[')])).toEqual(
      broken.map(() => ['suppressed', reason, true]),
    );
    expect(report.unusedSuppressions).toEqual([]);
  });
});

describe.each([...synthesized.entries()])('%s: regional gateways and their WAFs', (_key, { env, json }) => {
  const report = check(json, dataPathContext(env));
  const of = (kind: string) => report.paths.filter((p) => p.kind === kind);
  const wafs = Object.keys(json.resource['azurerm_application_gateway'] ?? {});
  const locations = Object.values(json.resource['azurerm_api_management'] ?? {}).flatMap(
    (s) => (s['additional_location'] as { location: string }[] | undefined) ?? [],
  );

  it('proves a path from every WAF to the gateway of its region', () => {
    expect(of('waf-gateway')).toHaveLength(wafs.length);
    for (const path of of('waf-gateway')) expect(path.verdict, path.id).not.toBe('broken');
  });

  it('proves a path from every WAF to the Key Vault of each of its certificates, with its own identity', () => {
    const certificates = Object.values(json.resource['azurerm_application_gateway'] ?? {}).flatMap(
      (w) => (w['ssl_certificate'] as unknown[] | undefined) ?? [],
    );
    expect(of('waf-keyvault')).toHaveLength(certificates.length);
    for (const path of of('waf-keyvault')) {
      expect(path.verdict, path.id).not.toBe('broken');
      // The role is always the plan's own: a hub never provides it.
      const auth = path.hops.find((h) => h.hop === 'auth');
      expect(auth?.status, path.id).toBe('pass');
      expect(auth?.summary, path.id).toMatch(/^Key Vault Secrets User on /);
    }
  });

  it('proves a path from every additional gateway region to each backend it calls: its pools, its own Content Safety, and the rest', () => {
    for (const { location } of locations) {
      const paths = of('regional-gateway-backend').filter((p) => p.caller.endsWith(` in ${location}`));
      // Every backend of the region's pools, and the region's own Content Safety.
      const code = regionCode(location as AzureRegion);
      const poolMembers = new Set(
        Object.values(json.resource['azapi_resource'] ?? {})
          .filter((r) => String(r['name']).startsWith('pool-') && String(r['name']).endsWith(`-${code}`))
          .flatMap((r) =>
            (
              (r['body'] as { properties?: { pool?: { services?: { id: string }[] } } }).properties?.pool
                ?.services ?? []
            ).map((m) => m.id),
          ),
      );
      expect(poolMembers.size, location).toBeGreaterThan(0);
      // Policies call every other backend from any region: Language, the batch account, dedicated deployments.
      const direct = Object.values(json.resource['azapi_resource'] ?? {}).filter(
        (r) =>
          String(r['type']).startsWith('Microsoft.ApiManagement/service/backends@') &&
          typeof (r['body'] as { properties?: { url?: unknown } }).properties?.url === 'string' &&
          !String(r['name']).startsWith('content-safety'),
      );
      expect(direct.length, location).toBeGreaterThanOrEqual(poolMembers.size);
      expect(paths.filter((p) => !p.callee.includes('→ cs-')).length, location).toBe(direct.length);
      expect(paths.filter((p) => p.callee.includes('→ cs-')).length, location).toBe(1);
      for (const path of paths) expect(path.verdict, path.id).not.toBe('broken');
    }
  });
});

const wafRegional = [...synthesized.values()].find(
  ({ json }) =>
    Object.keys(json.resource['azurerm_application_gateway'] ?? {}).length > 1 &&
    Object.values(json.resource['azurerm_api_management'] ?? {}).some((s) => s['additional_location']),
);

describe.runIf(wafRegional !== undefined)('mutations of the regional gateways and their WAFs', () => {
  const { env, json } = wafRegional!;
  const report = check(json, dataPathContext(env));
  const regionalWaf = firstPath(
    report,
    (p) =>
      p.kind === 'waf-gateway' &&
      p.host.includes('-01.regional.') &&
      !p.host.includes(`-${env.regions.primary}-`),
  );
  const remoteBackend = firstPath(
    report,
    (p) => p.kind === 'regional-gateway-backend' && hop(p, 'route').summary.startsWith('peered'),
  );
  const safety = firstPath(
    report,
    (p) => p.kind === 'regional-gateway-backend' && p.callee.includes('→ cs-'),
  );

  it('name resolution: the regional host must answer with its own region’s addresses, not the primary’s', () => {
    expect(hop(regionalWaf, 'dns').status).toBe('pass');
    const mutated = clone(json);
    const service = Object.keys(json.resource['azurerm_api_management']!)[0]!;
    for (const record of Object.values(mutated.resource['azurerm_private_dns_a_record']!)) {
      if (String(record['records']).includes('additional_location'))
        record['records'] = `\${azurerm_api_management.${service}.private_ip_addresses}`;
    }
    const { hop: broken } = after(mutated, env, regionalWaf.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain(`holds no A record "@" pointing at`);
  });

  it('network security: fails naming the regional gateway’s NSG when it stops admitting HTTPS from the WAF', () => {
    expect(hop(regionalWaf, 'nsg').status).toBe('pass');
    const mutated = clone(json);
    const region = /-([a-z0-9]+)-01\.regional\./.exec(regionalWaf.host)![1]!;
    const [name, nsg] = Object.entries(mutated.resource['azurerm_network_security_group']!).find(
      ([key, n]) => key.includes(`_${region}_`) && String(n['name']).endsWith('-apim'),
    )!;
    nsg['security_rule'] = (nsg['security_rule'] as { name: string }[]).filter(
      (r) => r.name !== 'AllowClientsHttpsInbound',
    );
    const { hop: broken } = after(mutated, env, regionalWaf.id, 'nsg');
    expect(broken.status).toBe('fail');
    expect(broken.address).toBe(`azurerm_network_security_group.${name}`);
  });

  it('route: a regional gateway’s call to another region fails naming the VNets when the peering is removed', () => {
    const route = hop(remoteBackend, 'route');
    const mutated = clone(json);
    remove(mutated, route.address!);
    const { path, hop: broken } = after(mutated, env, remoteBackend.id, 'route');
    expect(path.verdict).toBe('broken');
    expect(broken.detail).toMatch(/are not peered/);
  });

  it('authorization: the regional Content Safety check fails when the gateway loses its role on that account', () => {
    const auth = hop(safety, 'auth');
    expect(auth.summary).toMatch(/^Cognitive Services User on cs-/);
    const mutated = clone(json);
    remove(mutated, auth.address!);
    const { hop: broken } = after(mutated, env, safety.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('ContentSafety/text:analyze/action');
  });
});

/** The first synthesized environment that builds the semantic cache behind a private endpoint. */
const cached = [...synthesized.values()].find(
  ({ env }) =>
    env.network.mode === 'create' &&
    env.gateway.semanticCache.enabled &&
    env.gateway.semanticCache.cache.mode === 'create',
)!;

describe(`mutations of the gateway → Managed Redis path (${cached.env.name})`, () => {
  const { env, json } = cached;
  const report = check(json, dataPathContext(env));
  const path = firstPath(report, (p) => p.id.startsWith('gateway-cache:azapi'));
  const entityName = Object.entries(json.resource['azapi_resource']!).find(([, r]) =>
    String(r['type']).startsWith('Microsoft.ApiManagement/service/caches@'),
  )![0];
  const database = () =>
    Object.entries(json.resource['azapi_resource']!).find(([, r]) =>
      String(r['type']).startsWith('Microsoft.Cache/redisEnterprise/databases@'),
    )!;

  it('is proven: the redis zone, the same VNet, port 10000 both ways, the key from a Key Vault named value', () => {
    expect(path.verdict).toBe('proven');
    expect(path.host).toMatch(/^amr-[a-z0-9-]+\.[a-z]+\.redis\.azure\.net$/);
    expect(hop(path, 'dns').summary).toMatch(/via privatelink\.redis\.azure\.net$/);
    expect(hop(path, 'nsg').summary).toBe('out AllowManagedRedisOutbound, in AllowManagedRedisInbound');
    expect(hop(path, 'auth').summary).toBe(
      'access key from Key Vault (named value semantic-cache-connection)',
    );
  });

  it('name resolution: fails naming privatelink.redis.azure.net when its link to the gateway VNet is removed', () => {
    const mutated = clone(json);
    const zone = Object.entries(json.resource['azurerm_private_dns_zone']!).find(
      ([, z]) => z['name'] === 'privatelink.redis.azure.net',
    )!;
    for (const [name, link] of Object.entries(
      json.resource['azurerm_private_dns_zone_virtual_network_link']!,
    ))
      if (link['private_dns_zone_name'] === `\${azurerm_private_dns_zone.${zone[0]}.name}`)
        remove(mutated, `azurerm_private_dns_zone_virtual_network_link.${name}`);
    const { hop: broken } = after(mutated, env, path.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('privatelink.redis.azure.net is not linked to vnet-');
  });

  it('network security: fails naming the NSG when the gateway subnet may not send Redis (10000) out', () => {
    const mutated = clone(json);
    for (const nsg of Object.values(mutated.resource['azurerm_network_security_group']!)) {
      const rules = nsg['security_rule'] as { name: string }[];
      nsg['security_rule'] = rules.filter((r) => r.name !== 'AllowManagedRedisOutbound');
    }
    const { path: after_, hop: broken } = after(mutated, env, path.id, 'nsg');
    expect(after_.verdict).toBe('broken');
    expect(broken.detail).toMatch(/denies outbound TCP 10000 to amr-\S+ by rule DenyAllOutbound/);
  });

  it('auth: fails when the connection string is written into the plan instead of read from Key Vault', () => {
    const mutated = clone(json);
    const entity = mutated.resource['azapi_resource']![entityName]!;
    (entity['body'] as { properties: Record<string, unknown> }).properties['connectionString'] =
      'amr-x.swedencentral.redis.azure.net:10000,password=secret,ssl=True';
    const { hop: broken } = after(mutated, env, path.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain(
      'is not a named value reference ({{name}}): the key is in the plan and in state',
    );
  });

  it('auth: fails when the named value holds its own value instead of a Key Vault secret', () => {
    const mutated = clone(json);
    const [name, value] = Object.entries(mutated.resource['azurerm_api_management_named_value']!).find(
      ([, v]) => v['name'] === 'semantic-cache-connection',
    )!;
    delete value['value_from_key_vault'];
    value['value'] = 'inline';
    const { hop: broken } = after(mutated, env, path.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('does not read a Key Vault secret of the plan');
    expect(broken.address).toBe(`azurerm_api_management_named_value.${name}`);
  });

  it('auth: fails when the database refuses access keys (API Management has no other way in)', () => {
    const mutated = clone(json);
    const [name] = database();
    const db = mutated.resource['azapi_resource']![name]!;
    (db['body'] as { properties: Record<string, unknown> }).properties['accessKeysAuthentication'] =
      'Disabled';
    const { hop: broken } = after(mutated, env, path.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toMatch(/no database of amr-\S+ accepts access keys/);
  });
});

/** The first synthesized environment with a private network and a tenant's Foundry project. */
const withFoundry = [...synthesized.values()].find(
  ({ env, json }) =>
    env.network.mode === 'create' &&
    Object.values(json.resource['azurerm_cognitive_account_project'] ?? {}).some(
      (p) => (p['tags'] as Record<string, string> | undefined)?.['tenant'],
    ),
)!;

describe(`mutations of a Foundry project's paths (${withFoundry.env.name})`, () => {
  const { env, json } = withFoundry;
  const report = check(json, dataPathContext(env));
  const client = firstPath(report, (p) => p.kind === 'client-foundry');
  const gateway = firstPath(report, (p) => p.kind === 'foundry-gateway');
  const telemetry = firstPath(report, (p) => p.kind === 'foundry-telemetry' && p.caller.includes('-t-'));
  const account = Object.entries(json.resource['azurerm_cognitive_account'] ?? {}).find(
    ([, a]) => a['project_management_enabled'] === true,
  )!;

  it('authorization: an application reaches its project by the Foundry user role on it, and fails naming the project when the role is removed', () => {
    const auth = hop(client, 'auth');
    expect(auth.status).toBe('pass');
    const mutated = clone(json);
    remove(mutated, auth.address!);
    const { path, hop: broken } = after(mutated, env, client.id, 'auth');
    expect(path.verdict).toBe('broken');
    expect(broken.detail).toMatch(/holds no role on proj-\S+ or a parent scope/);
    expect(broken.address).toMatch(/^azurerm_cognitive_account_project\./);
  });

  it('name resolution: the Foundry endpoint resolves through privatelink.services.ai.azure.com, and fails naming the private endpoint without that zone', () => {
    const dns = hop(client, 'dns');
    expect(dns.status).toBe('pass');
    expect(dns.summary).toContain('privatelink.services.ai.azure.com');
    const mutated = clone(json);
    const [, name] = dns.address!.split('.');
    const pe = mutated.resource['azurerm_private_endpoint']![name!]!;
    const group = pe['private_dns_zone_group'] as { private_dns_zone_ids: string[] };
    group.private_dns_zone_ids = group.private_dns_zone_ids.filter((id) => !id.includes('_aiServices_'));
    expect(group.private_dns_zone_ids.length).toBeGreaterThan(0);
    const { hop: broken } = after(mutated, env, client.id, 'dns');
    expect(broken.status).toBe('fail');
    expect(broken.detail).toContain('does not hold privatelink.services.ai.azure.com');
    expect(broken.address).toBe(dns.address);
  });

  it("gateway: the project's key must open the tenant's own product, and the path fails naming the subscription when it is another tenant's", () => {
    expect(hop(gateway, 'auth').status).toBe('pass');
    const mutated = clone(json);
    const [, connectionName] = gateway.id.slice(gateway.id.indexOf(':') + 1).split('.');
    const connection = mutated.resource['azapi_resource']![connectionName!]!;
    const key = connection['sensitive_body'] as { properties: { credentials: { key: string } } };
    const own = /azurerm_api_management_subscription\.([A-Za-z0-9_]+)\./.exec(
      key.properties.credentials.key,
    )![1]!;
    const other = Object.keys(mutated.resource['azurerm_api_management_subscription']!).find(
      (n) => n !== own,
    )!;
    key.properties.credentials.key = `\${azurerm_api_management_subscription.${other}.primary_key}`;
    const { path, hop: broken } = after(mutated, env, gateway.id, 'auth');
    expect(path.verdict).toBe('broken');
    expect(broken.detail).toMatch(/not of tenant \S+'s own product/);
    expect(broken.address).toBe(`azurerm_api_management_subscription.${other}`);
  });

  it("route: Foundry's outbound allow-list must name the gateway, and the path fails naming the account when it does not", () => {
    const mutated = clone(json);
    const fqdns = mutated.resource['azurerm_cognitive_account']![account[0]]!['fqdns'] as string[];
    mutated.resource['azurerm_cognitive_account']![account[0]]!['fqdns'] = fqdns.filter(
      (f) => !f.endsWith('.azure-api.net'),
    );
    const { hop: broken } = after(mutated, env, gateway.id, 'route');
    expect(broken.status).toBe('fail');
    expect(broken.address).toBe(`azurerm_cognitive_account.${account[0]}`);
    expect(broken.detail).toContain('do not list apim-');
  });

  it('tracing: the project identity ingests by Monitoring Metrics Publisher, and fails naming Application Insights when the role is removed', () => {
    const auth = hop(telemetry, 'auth');
    expect(auth.summary).toMatch(/^Monitoring Metrics Publisher on /);
    const mutated = clone(json);
    remove(mutated, auth.address!);
    const { hop: broken } = after(mutated, env, telemetry.id, 'auth');
    expect(broken.status).toBe('fail');
    expect(broken.address).toMatch(/^azurerm_application_insights\./);
    expect(broken.detail).toContain('Microsoft.Insights/Telemetry/Write');
  });

  it("lists the managed network hops as assumptions with Foundry's reason", () => {
    const assumed = gateway.hops.filter((h) => h.status === 'assumed');
    expect(assumed.map((h) => h.hop).sort()).toEqual(['dns', 'route']);
    for (const h of assumed) expect(h.reason).toBe(FOUNDRY_MANAGED_NETWORK.reason);
  });
});
