import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Budgets } from '../constructs/monitoring';
import { environmentNames } from '../environments/names';
import type { Environment } from '../environments/schema';
import { shardStackId } from '../environments/stack-ids';
import { tenantShardPlan } from '../environments/sections/tenant-shards';
import { addStackFoundation } from './foundation';
import { applyGovernance } from './governance';
import { synthesizeLeanly } from './performance';
import type { PlatformStack } from './platform-stack';
import type { Tenant } from '../constructs/tenant';
import { buildTenants, dedicatedBudgets } from './tenants';

export interface TenantShardStackProps {
  /** The platform stack of the same environment: the gateway, Key Vault, prompt library, network and monitoring. */
  readonly platform: PlatformStack;
  /** Which shard, from 1 to `tenantShards.count`. */
  readonly shard: number;
}

/**
 * One tenant shard of an environment (`<environment>-tenants-<n>`): the tenants that the shard plan assigns to it,
 * each under `Tenants/<slug>` as in the platform stack, with its prompt-library container and, for dedicated tenants,
 * its budget. Everything shared stays in the platform stack; the shard references it (the gateway service and API,
 * the Key Vault, the prompt-library account, the workspace, subnets and DNS zones, the resource groups), which cdktf
 * turns into outputs of the platform stack and one `terraform_remote_state` of its backend here. Its own state has
 * its own key (or workspace), and the rule pack runs on it as on the platform stack (its own policy.json).
 */
export class TenantShardStack extends TerraformStack {
  readonly environment: Environment;
  readonly shard: number;
  /** The tenants of this shard, by slug order. */
  readonly tenants: readonly Tenant[];

  constructor(scope: Construct, id: string, props: TenantShardStackProps) {
    super(scope, id);
    synthesizeLeanly(this);
    const { platform, shard } = props;
    const env = platform.environment;
    this.environment = env;
    this.shard = shard;
    addStackFoundation(this, env, shard);
    // Always after the platform stack, also while the shard is empty and references nothing yet.
    this.addDependency(platform);

    const names = environmentNames(env);
    const slugs = new Set(tenantShardPlan(env)?.get(shard) ?? []);
    this.tenants = buildTenants(
      this,
      env,
      names,
      platform.resourceGroups,
      { ...platform.tenantDependencies, containers: 'tenant' },
      slugs,
    );
    const budgets = dedicatedBudgets(env, names, this.tenants);
    if (budgets.length > 0) new Budgets(this, 'Budgets', { dedicated: budgets });
    applyGovernance(this);
  }
}

/** The tenant shard stacks of a platform stack's environment (none when it is not sharded). */
export function addTenantShards(scope: Construct, platform: PlatformStack): TenantShardStack[] {
  const count = platform.environment.tenantShards?.count ?? 0;
  return Array.from(
    { length: count },
    (_, i) =>
      new TenantShardStack(scope, shardStackId(platform.environment.name, i + 1), { platform, shard: i + 1 }),
  );
}
