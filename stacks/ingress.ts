/**
 * The ingress part of the platform stack: a regional WAF (Application Gateway WAF_v2) in front of each regional
 * gateway when `gateway.ingress` is not "none". Kept apart from `platform-stack.ts` so the stack reads as a list of
 * capabilities.
 */
import type { Construct } from 'constructs';
import type { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { regionalGatewayHostName } from '../constructs/ai-gateway';
import { RegionalWaf } from '../constructs/ingress';
import type { KeyVault } from '../constructs/key-vault';
import type { Monitoring } from '../constructs/monitoring';
import { type AzureRegion, gatewayHostNames } from '../constructs/shared/catalog';
import type { EnvironmentNames } from '../environments/names';
import { gatewayRegions } from '../environments/sections/gateway-regions';
import type { Environment } from '../environments/schema';

/** One WAF per gateway region, keyed by region (the key forms the construct id); none without ingress. */
export function buildIngress(
  scope: Construct,
  env: Environment,
  names: EnvironmentNames,
  deps: {
    readonly resourceGroups: Readonly<Record<AzureRegion, ResourceGroup>>;
    readonly keyVault: KeyVault;
    readonly monitoring: Monitoring;
    readonly ingressSubnetIds: Readonly<Partial<Record<AzureRegion, string>>>;
  },
): Partial<Record<AzureRegion, RegionalWaf>> {
  const ingress = env.gateway.ingress;
  if (ingress.mode === 'none') return {};
  const regions = gatewayRegions(env);
  const multiRegion = regions.length > 1;
  const wafs: Partial<Record<AzureRegion, RegionalWaf>> = {};
  for (const region of regions) {
    const regionNames = names.gatewayRegions[region]!.ingress!;
    const subnetId = deps.ingressSubnetIds[region];
    if (!subnetId) throw new Error(`${scope.node.path}: no ingress subnet in ${region}`);
    const location = region === env.regions.primary ? undefined : env.gateway.regions.additional[region];
    const zones = location ? location.zones : env.gateway.zones;
    wafs[region] = new RegionalWaf(scope, `Ingress-${region}`, {
      name: regionNames.applicationGateway,
      wafPolicyName: regionNames.wafPolicy,
      publicIpName: regionNames.publicIp,
      identityName: regionNames.identity,
      location: region,
      resourceGroupName: deps.resourceGroups[region].name,
      subnetId,
      zones,
      hostName: ingress.hostName,
      keyVaultId: deps.keyVault.resourceId,
      certificateSecretId: `${deps.keyVault.vaultUri}secrets/${ingress.certificateName}`,
      // Each region's WAF calls its own regional gateway; one region has only the gateway's own host name.
      backendHostName: multiRegion
        ? regionalGatewayHostName(names.gateway.service, region)
        : gatewayHostNames(names.gateway.service)['gateway']!,
      capacity: ingress.capacity,
      mode: ingress.wafMode,
      diagnosticSettings: { workspaceId: deps.monitoring.workspaceId },
    });
  }
  return wafs;
}
