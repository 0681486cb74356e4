/**
 * Azure AI Foundry on the synthesized plans of every environment the project loads (an adopter's own too): the
 * Foundry resource is hardened like every account, every project has its connections, and each tenant's identity
 * holds the Foundry user role on its own project only: no role on another tenant's project, none on the account.
 */
import { describe, expect, it } from 'vitest';
import { body, field, type PlanResource, type StackPlan } from '../../constructs/shared/plan';
import { CONNECTION_NAMES, PROJECT_CONNECTION_TYPE } from '../../constructs/foundry';
import { type Environment, loadEnvironments } from '../../environments';
import { environmentNames } from '../../environments/names';
import { foundryTenants } from '../../environments/sections/foundry';
import { tenantsIn } from '../../environments/sections/tenants';
import { stacksOfEnvironment } from '../../environments/stack-ids';
import { examplesOutput } from '../helpers/examples';

const environments = loadEnvironments();
const output = examplesOutput();

/** Every resource of one type across the environment's stacks (the platform stack and its tenant shards). */
function resourcesOf(plans: readonly StackPlan[], type: string): PlanResource[] {
  return plans.flatMap((plan) => plan.byType(type));
}

function resolveIn(plans: readonly StackPlan[], reference: unknown): PlanResource | undefined {
  for (const plan of plans) {
    const found = plan.resolve(reference);
    if (found) return found;
  }
  return undefined;
}

const tag = (r: PlanResource, key: string) => (r.config['tags'] as Record<string, string> | undefined)?.[key];

describe.each(environments.map((env) => [env.name, env] as const))('%s', (_name, env: Environment) => {
  const plans = output.stacks(stacksOfEnvironment(env.name, output.stackIds));
  const accounts = resourcesOf(plans, 'azurerm_cognitive_account').filter(
    (a) => a.config['project_management_enabled'] === true,
  );
  const projects = resourcesOf(plans, 'azurerm_cognitive_account_project');
  const assignments = resourcesOf(plans, 'azurerm_role_assignment');
  const identities = resourcesOf(plans, 'azurerm_user_assigned_identity').filter((i) => tag(i, 'tenant'));
  const names = environmentNames(env);

  it('has one Foundry resource when foundry.enabled, none otherwise', () => {
    expect(accounts).toHaveLength(env.foundry.enabled ? 1 : 0);
    if (!env.foundry.enabled) expect(projects).toHaveLength(0);
  });

  it('hardens the Foundry resource like every account: Entra ID only, private, outbound to its connections only', () => {
    for (const account of accounts) {
      expect(account.config).toMatchObject({
        kind: 'AIServices',
        project_management_enabled: true,
        local_auth_enabled: false,
        public_network_access_enabled: env.network.publicNetworkAccess.enabled,
        outbound_network_access_restricted: true,
        custom_subdomain_name: names.foundry!.account,
        identity: { type: 'SystemAssigned' },
        network_acls: {
          bypass: 'None',
          default_action: env.network.publicNetworkAccess.enabled ? 'Allow' : 'Deny',
        },
      });
      const fqdns = account.config['fqdns'] as string[];
      expect(fqdns).toContain(`${names.gateway.service}.azure-api.net`);
      expect(fqdns).toContain(`${names.promptLibrary.account}.blob.core.windows.net`);
      const targets = (r: PlanResource) =>
        resolveIn(plans, r.config['target_resource_id'] ?? r.config['scope']);
      expect(
        resourcesOf(plans, 'azurerm_monitor_diagnostic_setting').filter((d) => targets(d) === account),
      ).toHaveLength(1);
      if (env.protection.deleteLocks.enabled)
        expect(
          resourcesOf(plans, 'azurerm_management_lock').filter((l) => targets(l) === account),
        ).toHaveLength(1);
      if (env.protection.preventDestroy.enabled)
        expect(field(account.config, 'lifecycle.prevent_destroy')).toBe(true);
      if (env.network.mode !== 'none') {
        const endpoints = resourcesOf(plans, 'azurerm_private_endpoint').filter(
          (pe) =>
            resolveIn(
              plans,
              field(pe.config, 'private_service_connection.private_connection_resource_id'),
            ) === account,
        );
        expect(endpoints).toHaveLength(1);
        const zones = (
          field(endpoints[0]!.config, 'private_dns_zone_group.private_dns_zone_ids') as string[]
        ).map((id) => resolveIn(plans, id)?.config['name'] ?? id);
        expect(zones).toContain('privatelink.services.ai.azure.com');
      }
    }
  });

  it('builds the platform project and a project for every tenant that opts in here, each running as the right identity', () => {
    if (!env.foundry.enabled) return;
    const expected = foundryTenants(env);
    const tenantProjects = projects.filter((p) => tag(p, 'tenant'));
    expect(tenantProjects.map((p) => tag(p, 'tenant')).sort()).toEqual([...expected].sort());
    const platform = projects.filter((p) => !tag(p, 'tenant'));
    expect(platform.map((p) => p.config['name'])).toEqual([names.foundry!.platformProject]);
    expect(field(platform[0]!.config, 'identity.type')).toBe('SystemAssigned');
    for (const project of tenantProjects) {
      const slug = tag(project, 'tenant')!;
      const identity = identities.find((i) => tag(i, 'tenant') === slug)!;
      expect(field(project.config, 'identity.type')).toBe('UserAssigned');
      const ids = field(project.config, 'identity.identity_ids') as unknown[];
      expect(ids.map((id) => resolveIn(plans, id))).toEqual([identity]);
      expect(project.config['name']).toBe(names.tenants[slug]!.foundryProject);
    }
  });

  it('connects every project to Application Insights and the prompt library, the platform project to Content Safety, and tenant projects to the gateway with their own key, write-only', () => {
    const connections = resourcesOf(plans, PROJECT_CONNECTION_TYPE.split('@')[0]!);
    for (const project of projects) {
      const own = connections.filter((c) => resolveIn(plans, c.config['parent_id']) === project);
      const tenant = tag(project, 'tenant');
      const expected = [
        CONNECTION_NAMES.applicationInsights,
        CONNECTION_NAMES.promptLibrary,
        // Tenant projects have no Content Safety connection: its role would open the shared account's blocklists.
        ...(env.endpoints.contentSafety.enabled && !tenant ? [CONNECTION_NAMES.contentSafety] : []),
        ...(tenant ? [CONNECTION_NAMES.gateway] : []),
      ];
      expect(own.map((c) => c.config['name']).sort(), String(project.config['name'])).toEqual(
        expected.sort(),
      );
      for (const connection of own) {
        const properties = field(body(connection), 'properties') as Record<string, unknown>;
        // No credential ever sits in the plain body: only the gateway key, and only in sensitive_body.
        expect(
          field(connection.config['body'], 'properties.credentials'),
          String(connection.config['name']),
        ).toBeUndefined();
        if (properties['authType'] === 'ApiKey') {
          expect(properties['category']).toBe('ApiManagement');
          const key = field(connection.config['sensitive_body'], 'properties.credentials.key');
          const subscription = resolveIn(plans, key)!;
          expect(subscription.type).toBe('azurerm_api_management_subscription');
          expect(resolveIn(plans, subscription.config['product_id'])?.config['product_id']).toBe(tenant);
        } else {
          expect(['AAD', 'ProjectManagedIdentity']).toContain(properties['authType']);
        }
      }
    }
  });

  it("gives each tenant's identity the Foundry user role on its own project only: nothing on another tenant's project or on the account", () => {
    const projectOf = new Map(projects.map((p) => [p.address, p]));
    for (const t of tenantsIn(env).filter((x) => x.hasAccess)) {
      const identity = identities.find((i) => tag(i, 'tenant') === t.slug);
      expect(identity, t.slug).toBeDefined();
      const held = assignments.filter((a) => resolveIn(plans, a.config['principal_id']) === identity);
      const onFoundry = held
        .map((a) => ({ a, scope: resolveIn(plans, a.config['scope']) }))
        .filter(({ scope }) => scope && (projectOf.has(scope.address) || accounts.includes(scope)));
      const own = projects.filter((p) => tag(p, 'tenant') === t.slug);
      expect(
        onFoundry.map(({ a, scope }) => [String(a.config['role_definition_name']), scope!.config['name']]),
        t.slug,
      ).toEqual(own.map((p) => ['Azure AI User', p.config['name']]));
    }
  });
});
