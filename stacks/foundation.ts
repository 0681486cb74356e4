/**
 * What every stack of an environment has, whether it is the platform stack or a tenant shard: the providers, the
 * backend with one state per stack, and the mandatory tags.
 */
import { Aspects, AzurermBackend, LocalBackend, type TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { AzapiProvider } from '../constructs/shared/azapi';
import { LiteralStringsAspect } from '../constructs/shared/literal';
import { TagsAspect } from '../constructs/shared/tags';
import { environmentTags, stateKey } from '../environments/sections/foundation';
import type { Environment } from '../environments/schema';
import { HcpTerraformBackend } from './hcp-terraform-backend';

/** Terraform that the cloud block needs: saved plans on HCP Terraform (`plan -out`, `apply <plan>`) came in 1.6. */
export const CLOUD_REQUIRED_VERSION = '>= 1.6.0';

export { environmentTags, MANAGED_BY } from '../environments/sections/foundation';

/**
 * Adds the providers, the backend and the tags aspect to a stack of `env`. `shard` is the tenant shard the stack
 * holds (undefined for the platform stack); it decides the state key or workspace.
 */
export function addStackFoundation(stack: TerraformStack, env: Environment, shard?: number): void {
  const id = stack.node.id;
  const useOidc = env.backend.type === 'local' ? undefined : env.backend.useOidc;
  new AzurermProvider(stack, 'azurerm', {
    features: [
      {
        keyVault: [
          {
            purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy,
            recoverSoftDeletedKeyVaults: true,
          },
        ],
        cognitiveAccount: [{ purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy }],
        apiManagement: [
          { purgeSoftDeleteOnDestroy: env.azure.purgeSoftDeletedOnDestroy, recoverSoftDeleted: true },
        ],
        resourceGroup: [{ preventDeletionIfContainsResources: true }],
        // Storage accounts are private and key-less: manage them through ARM only, never the data plane, so that
        // plan and apply work from a runner outside the VNet.
        storage: [{ dataPlaneAvailable: false }],
      },
    ],
    storageUseAzuread: true,
    ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
    ...(env.azure.tenantId ? { tenantId: env.azure.tenantId } : {}),
    ...(useOidc ? { useOidc } : {}),
  });
  new AzapiProvider(stack, 'azapi', {
    ...(env.azure.subscriptionId ? { subscriptionId: env.azure.subscriptionId } : {}),
    ...(env.azure.tenantId ? { tenantId: env.azure.tenantId } : {}),
    ...(useOidc ? { useOidc } : {}),
  });
  new RandomProvider(stack, 'random');

  const backend = env.backend;
  if (backend.type === 'azurerm') {
    new AzurermBackend(stack, {
      resourceGroupName: backend.resourceGroupName,
      storageAccountName: backend.storageAccountName,
      containerName: backend.containerName,
      key: stateKey(env, shard),
      useAzureadAuth: true,
      ...(backend.useOidc ? { useOidc: true } : {}),
      ...(backend.subscriptionId ? { subscriptionId: backend.subscriptionId } : {}),
      ...(backend.tenantId ? { tenantId: backend.tenantId } : {}),
    });
  } else if (backend.type === 'cloud') {
    new HcpTerraformBackend(stack, {
      organization: backend.organization,
      workspace: `${backend.workspacePrefix}${id}`,
      ...(backend.project ? { project: backend.project } : {}),
      ...(backend.hostname ? { hostname: backend.hostname } : {}),
    });
    stack.addOverride('terraform.required_version', CLOUD_REQUIRED_VERSION);
  } else {
    // Relative to cdktf.out/stacks/<id>: the state stays in the project root, outside the synthesized output that
    // every synth replaces, and no absolute path leaks into the plan.
    new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
  }

  Aspects.of(stack).add(new TagsAspect(environmentTags(env)));
  // Config text reaches the plan as text: every string a resource writes has its template sequences escaped.
  Aspects.of(stack).add(new LiteralStringsAspect());
}
