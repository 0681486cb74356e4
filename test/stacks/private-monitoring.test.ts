/**
 * Private monitoring and the enterprise-hub options: the Azure Monitor Private Link Scope over the workspace and
 * Application Insights (its scoped services, its private endpoint with the five Azure Monitor zones, its access modes,
 * public ingestion and query off), the gateway logger's data path through it, zone groups managed by a hub's policy,
 * and bring-your-own monitoring. Invariants run over every environment the project loads.
 */
import { describe, expect, it } from 'vitest';
import { type TerraformJson, StackPlan } from '../../constructs/shared/plan';
import { PRIVATE_DNS_ZONES, PRIVATE_LINK_SERVICES } from '../../constructs/shared/catalog';
import { checkDataPaths, type PathResult } from '../../constructs/shared/paths';
import { type Environment, loadEnvironments, parseEnvironment } from '../../environments';
import { privateMonitoring } from '../../environments/network-plan';
import { auditEnvironment } from '../../scripts/lib/audit/model';
import { dataPathContext } from '../../stacks/governance';
import { problemsOf } from '../helpers/config';
import { byoInput, HUB_PROVIDES } from '../helpers/network';
import { exampleEnvironment, exampleInput, synthEnvironment, type Synthesized } from '../helpers/synth';

type Json = TerraformJson & { resource: Record<string, Record<string, Record<string, unknown>>> };

const MONITOR_ZONES = PRIVATE_LINK_SERVICES.monitorPrivateLinkScope.zones.map((z) => PRIVATE_DNS_ZONES[z]);
const SUB = '00000000-0000-0000-0000-0000000000aa';
const HUB_WORKSPACE = `/subscriptions/${SUB}/resourceGroups/rg-hub-monitor/providers/Microsoft.OperationalInsights/workspaces/log-hub`;
const HUB_COMPONENT = `/subscriptions/${SUB}/resourceGroups/rg-hub-monitor/providers/Microsoft.Insights/components/appi-hub`;

const telemetry = (synth: Synthesized, env: Environment): PathResult => {
  const report = checkDataPaths(new StackPlan('test', synth.json), dataPathContext(env));
  const paths = report.paths.filter((p) => p.kind === 'gateway-telemetry');
  expect(paths).toHaveLength(1);
  return paths[0]!;
};

const zoneNames = (synth: Synthesized, pe: { config: Record<string, unknown> }) =>
  (
    (pe.config['private_dns_zone_group'] as { private_dns_zone_ids?: string[] } | undefined)
      ?.private_dns_zone_ids ?? []
  ).map((id) => String(synth.plan.resolve(id)?.config['name'] ?? id.split('/').at(-1)));

describe.each(loadEnvironments().map((env) => [env.name, env] as const))(
  '%s: private monitoring',
  (_n, env) => {
    const synth = synthEnvironment(env);
    const scoped = privateMonitoring(env);
    const config = env.monitoring.privateLinkScope;

    it('has one Private Link Scope with the configured access modes exactly when private monitoring is on', () => {
      const scopes = synth.resources('azurerm_monitor_private_link_scope');
      expect(scopes).toHaveLength(scoped ? 1 : 0);
      if (!scoped) return;
      expect(scopes[0]!.config['ingestion_access_mode']).toBe(config.ingestionAccessMode);
      expect(scopes[0]!.config['query_access_mode']).toBe(config.queryAccessMode);
    });

    it('scopes the workspace and Application Insights, and reaches the scope through an endpoint with all five Azure Monitor zones', () => {
      if (!scoped) return;
      const scope = synth.only('azurerm_monitor_private_link_scope');
      const linked = synth
        .resources('azurerm_monitor_private_link_scoped_service')
        .map(
          (s) => synth.plan.resolve(s.config['linked_resource_id'])?.type ?? s.config['linked_resource_id'],
        );
      expect(linked.sort()).toEqual(['azurerm_application_insights', 'azurerm_log_analytics_workspace']);
      const endpoints = synth
        .resources('azurerm_private_endpoint')
        .filter((pe) =>
          synth.plan.refersTo(
            (pe.config['private_service_connection'] as Record<string, unknown>)[
              'private_connection_resource_id'
            ],
            scope,
          ),
        );
      expect(endpoints).toHaveLength(1);
      const pe = endpoints[0]!;
      expect(
        (pe.config['private_service_connection'] as Record<string, unknown>)['subresource_names'],
      ).toEqual(['azuremonitor']);
      expect(zoneNames(synth, pe).sort()).toEqual([...MONITOR_ZONES].sort());
      // Every VNet of the environment resolves them: each zone is linked to each VNet.
      const vnets = synth.resources('azurerm_virtual_network');
      for (const zone of MONITOR_ZONES) {
        const resource = synth.resources('azurerm_private_dns_zone').find((z) => z.config['name'] === zone)!;
        const links = synth
          .resources('azurerm_private_dns_zone_virtual_network_link')
          .filter((l) => synth.plan.resolve(l.config['private_dns_zone_name']) === resource);
        expect(
          links.map((l) => synth.plan.resolve(l.config['virtual_network_id'])?.address).sort(),
          zone,
        ).toEqual(vnets.map((v) => v.address).sort());
      }
    });

    it('turns public ingestion and query off on the workspace and Application Insights, unless config says why not', () => {
      for (const type of ['azurerm_log_analytics_workspace', 'azurerm_application_insights']) {
        const resource = synth.only(type);
        expect(resource.config['internet_ingestion_enabled'], type).toBe(
          !scoped || config.publicIngestion.enabled,
        );
        expect(resource.config['internet_query_enabled'], type).toBe(!scoped || config.publicQuery.enabled);
      }
    });

    it('proves the gateway logger → Application Insights through the scope’s endpoint where the gateway has a VNet', () => {
      const path = telemetry(synth, env);
      expect(path.verdict).toBe('proven');
      const dns = path.hops.find((h) => h.hop === 'dns')!;
      if (scoped && env.gateway.network !== 'public')
        expect(dns.summary).toMatch(/ via privatelink\.monitor\.azure\.com$/);
      else expect(dns.summary).toBe('public DNS');
    });
  },
);

describe('private monitoring: the data path breaks when a link of it is missing', () => {
  const env = exampleEnvironment('prod');
  const synth = synthEnvironment(env);
  const proven = telemetry(synth, env);
  const mutate = (change: (json: Json) => void) => {
    const json = structuredClone(synth.json) as Json;
    change(json);
    const report = checkDataPaths(new StackPlan('test', json), dataPathContext(env));
    return report.paths.find((p) => p.id === proven.id)!;
  };
  const find = (json: Json, type: string, test: (r: Record<string, unknown>) => boolean) =>
    Object.entries(json.resource[type] ?? {}).find(([, r]) => test(r))!;

  it('fails name resolution when the endpoint’s zone group lacks privatelink.monitor.azure.com', () => {
    const path = mutate((json) => {
      const [, pe] = find(json, 'azurerm_private_endpoint', (r) => String(r['name']).endsWith('-ampls'));
      const group = pe['private_dns_zone_group'] as { private_dns_zone_ids: string[] };
      group.private_dns_zone_ids = group.private_dns_zone_ids.filter((id) => !id.includes('_monitor_'));
    });
    expect(path.verdict).toBe('broken');
    expect(path.hops.find((h) => h.hop === 'dns')!.detail).toMatch(
      /does not hold privatelink\.monitor\.azure\.com/,
    );
  });

  it('fails name resolution when the monitor zone is not linked to the gateway’s VNet', () => {
    const path = mutate((json) => {
      const links = json.resource['azurerm_private_dns_zone_virtual_network_link']!;
      for (const [key, link] of Object.entries(links))
        if (
          String(link['private_dns_zone_name']).includes('_monitor_') &&
          String(link['virtual_network_id']).includes('swedencentral')
        )
          delete links[key];
    });
    expect(path.hops.find((h) => h.hop === 'dns')!.status).toBe('fail');
  });

  it('fails when Application Insights leaves the scope: it refuses public networks and has no other endpoint', () => {
    const path = mutate((json) => {
      const [key] = find(json, 'azurerm_monitor_private_link_scoped_service', (r) =>
        String(r['linked_resource_id']).startsWith('${azurerm_application_insights.'),
      );
      delete json.resource['azurerm_monitor_private_link_scoped_service']![key];
    });
    expect(path.verdict).toBe('broken');
    expect(path.hops.find((h) => h.hop === 'dns')!.detail).toMatch(
      /no private endpoint and refuses public networks/,
    );
  });
});

describe('private monitoring: configuration', () => {
  it('is on by default wherever there is a private network, off without one', () => {
    for (const env of loadEnvironments())
      expect(privateMonitoring(env), env.name).toBe(env.network.mode !== 'none');
  });

  it('refuses a Private Link Scope in an environment without a network, naming the path', () => {
    expect(problemsOf(exampleInput('dev', { monitoring: { privateLinkScope: { enabled: true } } }))).toEqual([
      expect.objectContaining({
        path: 'monitoring.privateLinkScope.enabled',
        received: 'true',
        rule: 'monitoring-private-link-needs-network',
        message: expect.stringMatching(/^network\.mode "none" has no subnet for the private endpoint/),
      }),
    ]);
  });

  it('refuses a public gateway behind a scope without public ingestion and its reason', () => {
    const input = exampleInput('dev', {
      network: { mode: 'create', vnets: { swedencentral: { addressSpace: '10.40.0.0/22' } } },
    });
    expect(problemsOf(input)).toEqual([
      expect.objectContaining({
        path: 'monitoring.privateLinkScope.publicIngestion',
        rule: 'monitoring-public-gateway-ingests-publicly',
      }),
    ]);
    const reason = 'The dev gateway is public and sends its telemetry over the internet.';
    const env = parseEnvironment(
      exampleInput('dev', {
        network: { mode: 'create', vnets: { swedencentral: { addressSpace: '10.40.0.0/22' } } },
        monitoring: { privateLinkScope: { publicIngestion: { enabled: true, reason } } },
      }),
      'dev-with-vnet',
    );
    const synth = synthEnvironment(env);
    expect(synth.only('azurerm_application_insights').config['internet_ingestion_enabled']).toBe(true);
    expect(synth.only('azurerm_application_insights').config['internet_query_enabled']).toBe(false);
    expect(telemetry(synth, env).verdict).toBe('proven');
  });

  it('takes Open access modes from config', () => {
    const synth = synthEnvironment(
      exampleEnvironment('staging', {
        monitoring: { privateLinkScope: { ingestionAccessMode: 'Open', queryAccessMode: 'Open' } },
      }),
    );
    const scope = synth.only('azurerm_monitor_private_link_scope');
    expect([scope.config['ingestion_access_mode'], scope.config['query_access_mode']]).toEqual([
      'Open',
      'Open',
    ]);
    expect(
      problemsOf(
        exampleInput('staging', { monitoring: { privateLinkScope: { queryAccessMode: 'Closed' } } }),
      ),
    ).toEqual([expect.objectContaining({ path: 'monitoring.privateLinkScope.queryAccessMode' })]);
  });
});

describe('enterprise hub: zone groups managed by the hub’s policy', () => {
  for (const [label, input] of [
    ['create', exampleInput('prod', { network: { privateDnsZoneGroups: 'managedByPolicy' } })],
    [
      'byo',
      byoInput('prod', {
        providedByHub: HUB_PROVIDES,
        privateDnsZoneGroups: 'managedByPolicy',
        privateDnsZoneIds: {},
      }),
    ],
  ] as const) {
    describe(label, () => {
      const env = parseEnvironment(input, `test:${label}`);
      const synth = synthEnvironment(env);
      const endpoints = synth.resources('azurerm_private_endpoint');

      it('creates every private endpoint without a zone group and ignores the zone group the policy adds', () => {
        expect(endpoints.length).toBeGreaterThan(0);
        for (const pe of endpoints) {
          expect(pe.config['private_dns_zone_group'], pe.path).toBeUndefined();
          expect((pe.config['lifecycle'] as { ignore_changes?: string[] }).ignore_changes, pe.path).toContain(
            'private_dns_zone_group',
          );
        }
      });

      it('creates no privatelink zone: the hub owns them', () => {
        const names = synth.resources('azurerm_private_dns_zone').map((z) => String(z.config['name']));
        expect(names.filter((n) => n.startsWith('privatelink.'))).toEqual([]);
      });

      it('proves name resolution to every private endpoint as the declared assumption, and shows it in policy.json', () => {
        const report = checkDataPaths(new StackPlan('test', synth.json), dataPathContext(env));
        expect(report.paths.filter((p) => p.verdict === 'broken')).toEqual([]);
        const assumed = report.paths
          .flatMap((p) => p.hops)
          .filter((h) => h.hop === 'dns' && h.origin === 'network.privateDnsZoneGroups');
        expect(assumed.length).toBeGreaterThan(0);
        expect(assumed.every((h) => h.status === 'assumed' && /DeployIfNotExists/.test(h.reason!))).toBe(
          true,
        );
        const suppressed = synth.policy.results.filter(
          (r) => r.rule === 'LZ.PrivateEndpoint.DnsZoneGroup' && r.status === 'suppressed',
        );
        expect(suppressed).toHaveLength(endpoints.length);
        expect(suppressed.every((r) => r.origin === 'network.privateDnsZoneGroups')).toBe(true);
      });
    });
  }

  it('without it, an endpoint without a zone group still breaks the path and the rule', () => {
    const env = exampleEnvironment('prod');
    const json = structuredClone(synthEnvironment(env).json) as Json;
    for (const pe of Object.values(json.resource['azurerm_private_endpoint']!)) {
      delete pe['private_dns_zone_group'];
      pe['lifecycle'] = { ignore_changes: ['private_dns_zone_group'] };
    }
    const report = checkDataPaths(new StackPlan('test', json), dataPathContext(env));
    expect(report.paths.some((p) => p.verdict === 'broken')).toBe(true);
  });

  it('rejects an unknown mode, naming both', () => {
    expect(problemsOf(exampleInput('prod', { network: { privateDnsZoneGroups: 'hub' } }))).toEqual([
      expect.objectContaining({
        path: 'network.privateDnsZoneGroups',
        message: expect.stringMatching(/"blueprint".*"managedByPolicy"/),
      }),
    ]);
  });
});

describe('enterprise hub: bring your own workspace and Application Insights', () => {
  // The usage ledger changes the workspace (a table, a commitment tier), so it needs the blueprint's own: off here,
  // with the tenant budget it would measure.
  const env = exampleEnvironment('prod', {
    monitoring: { existing: { workspaceId: HUB_WORKSPACE, applicationInsightsId: HUB_COMPONENT } },
    finops: { ledger: { enabled: false, reason: 'the hub owns the workspace' } },
    tenants: { legal: { allocations: { prod: { budget: undefined } } } },
  });
  const synth = synthEnvironment(env);

  it('creates neither, and reads the component’s connection string with a data source', () => {
    expect(synth.resources('azurerm_log_analytics_workspace')).toEqual([]);
    expect(synth.resources('azurerm_application_insights')).toEqual([]);
    const data = synth.plan.dataSources.filter((d) => d.type === 'azurerm_application_insights');
    expect(data.map((d) => [d.config['name'], d.config['resource_group_name']])).toEqual([
      ['appi-hub', 'rg-hub-monitor'],
    ]);
  });

  it('passes the rule pack: a diagnostic setting to the given workspace counts as one to the environment’s', () => {
    expect(synth.notes.filter((n) => n.level === 'error')).toEqual([]);
  });

  it('sends every diagnostic setting to the given workspace', () => {
    const settings = synth.resources('azurerm_monitor_diagnostic_setting');
    expect(settings.length).toBeGreaterThan(5);
    for (const s of settings) expect(s.config['log_analytics_workspace_id'], s.path).toBe(HUB_WORKSPACE);
  });

  it('points the logger, its role, the alerts, the workbook and the scope at the given ids', () => {
    const logger = synth.resources('Microsoft.ApiManagement/service/loggers')[0]!;
    expect(JSON.stringify(logger.config['body'])).toContain(HUB_COMPONENT);
    const publisher = synth
      .resources('azurerm_role_assignment')
      .filter((a) => a.config['role_definition_name'] === 'Monitoring Metrics Publisher');
    // The logger's identity, and the Foundry projects' identities for their tracing connections.
    expect(publisher.length).toBeGreaterThan(0);
    for (const assignment of publisher)
      expect(assignment.config['scope'], assignment.path).toBe(HUB_COMPONENT);
    expect(
      synth
        .resources('azurerm_monitor_private_link_scoped_service')
        .map((s) => s.config['linked_resource_id'])
        .sort(),
    ).toEqual([HUB_COMPONENT, HUB_WORKSPACE].sort());
    const alerts = [
      ...synth.resources('azurerm_monitor_metric_alert'),
      ...synth.resources('azurerm_monitor_scheduled_query_rules_alert_v2'),
    ].map((a) => JSON.stringify(a.config['scopes']));
    expect(alerts.some((scopes) => scopes.includes(HUB_COMPONENT) || scopes.includes(HUB_WORKSPACE))).toBe(
      true,
    );
    const text = synth.text;
    expect(text).not.toMatch(/azurerm_log_analytics_workspace\./);
    expect(text).not.toMatch(/\$\{azurerm_application_insights\./);
    expect(String(synth.only('azurerm_application_insights_workbook').config['data_json'])).toContain(
      HUB_COMPONENT,
    );
  });

  it('proves the logger → the existing component through the scope, authorized on its id', () => {
    const path = telemetry(synth, env);
    expect(path.verdict).toBe('proven');
    expect(path.callee).toBe('appi-hub (existing)');
    expect(path.hops.find((h) => h.hop === 'auth')!.summary).toBe(
      'Monitoring Metrics Publisher on appi-hub (existing)',
    );
  });

  it('refuses the usage ledger on a workspace the stack does not own, naming the workspace id', () => {
    const problems = problemsOf(
      exampleInput('prod', { monitoring: { existing: { workspaceId: HUB_WORKSPACE } } }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'monitoring.existing.workspaceId',
        received: expect.stringMatching(/^"\/subscriptions\/.+\/resourceGroups\/rg-hub-mo/),
        message: expect.stringMatching(/usage ledger adds its table.*finops\.ledger off with a reason/),
      }),
    ]);
  });

  it('refuses ids of another type, naming the path, the value and the expected shape', () => {
    const wrong = HUB_COMPONENT;
    const problems = problemsOf(
      exampleInput('prod', {
        monitoring: { existing: { workspaceId: wrong, applicationInsightsId: HUB_WORKSPACE } },
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'monitoring.existing.workspaceId',
        received: expect.stringMatching(/^"\/subscriptions\/.+\/resourceGroups\/rg-hub-mo/),
        message: expect.stringMatching(
          /^expected the ARM id of a Log Analytics workspace: \/subscriptions\/<id>\/resourceGroups\/<group>\/providers\/Microsoft\.OperationalInsights\/workspaces\/<name>$/,
        ),
      }),
      expect.objectContaining({
        path: 'monitoring.existing.applicationInsightsId',
        message: expect.stringMatching(/^expected the ARM id of an Application Insights component/),
      }),
    ]);
  });
});

describe('the audit shows the Defender plans and the private monitoring path beside the policy assignments', () => {
  const section = (env: Environment) => {
    const synth = synthEnvironment(env);
    const audit = auditEnvironment({ name: env.name, plan: synth.plan, policy: synth.policy });
    const found = audit.sections.find((s) => s.id === 'runtime-guardrails')!;
    const table = (caption: string) => found.tables.find((t) => t.caption?.startsWith(caption))!.table;
    return { synth, table };
  };

  it.each(loadEnvironments().map((env) => [env.name, env] as const))('%s', (_name, env) => {
    const { synth, table } = section(env);
    expect(
      table('Defender for Cloud plans')
        .rows.map((r) => r[0])
        .sort(),
    ).toEqual(
      synth
        .resources('azurerm_security_center_subscription_pricing')
        .map((p) => String(p.config['resource_type']))
        .sort(),
    );
    const scopes = table('Private monitoring').rows;
    expect(scopes).toHaveLength(privateMonitoring(env) ? 1 : 0);
    if (privateMonitoring(env)) {
      const [name, ingestion, query, scoped, , zones] = scopes[0]!;
      expect(name).toBe(synth.only('azurerm_monitor_private_link_scope').config['name']);
      expect([ingestion, query]).toEqual([
        env.monitoring.privateLinkScope.ingestionAccessMode,
        env.monitoring.privateLinkScope.queryAccessMode,
      ]);
      expect(scoped!.split(', ').sort()).toEqual(
        [synth.only('azurerm_log_analytics_workspace'), synth.only('azurerm_application_insights')]
          .map((r) => String(r.config['name']))
          .sort(),
      );
      expect(zones!.split(', ').sort()).toEqual([...MONITOR_ZONES].sort());
    }
    for (const row of table('Public network access').rows) {
      if (row[1] === 'on' || row[2] === 'on')
        expect(row[3], row[0]).not.toBe('every caller goes through the scope');
    }
  });

  it('lists what it assumes of bring-your-own monitoring resources, and a public access reason from config', () => {
    const reason = 'Operators query the staging workspace from the portal without a VPN to the spoke.';
    const { table } = section(
      exampleEnvironment('staging', {
        monitoring: {
          existing: { workspaceId: HUB_WORKSPACE },
          privateLinkScope: { publicQuery: { enabled: true, reason } },
        },
        finops: { ledger: { enabled: false, reason: 'the hub owns the workspace' } },
        tenants: { legal: { allocations: { staging: { budget: undefined } } } },
      }),
    );
    expect(table('Existing monitoring resources').rows).toEqual([
      [HUB_WORKSPACE, expect.stringMatching(/^Entra ID only/)],
    ]);
    const access = table('Public network access').rows;
    expect(access.find((r) => r[0] === HUB_WORKSPACE)?.[1]).toBe('not changed by the stack');
    expect(access.find((r) => String(r[0]).startsWith('appi-'))).toEqual([
      expect.stringMatching(/^appi-/),
      'off',
      'on',
      `query: ${reason}`,
    ]);
  });
});
