import { Construct } from 'constructs';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import type {
  DiagnosticSettingsOptions,
  LockOptions,
  ManagedIdentityOptions,
  PrivateEndpointOptions,
  RoleAssignmentOptions,
  StandardResourceProps,
} from './interfaces';

/** The resource a feature attaches to. */
export interface FeatureTarget {
  /** ARM id of the resource. */
  readonly resourceId: string;
  /** Region of the resource. */
  readonly location: string;
  /** Resource group of the resource (private endpoints go there too). */
  readonly resourceGroupName: string;
  /** The private-link sub-resource (`account`, `vault`, `blob`, `Gateway`). @default - no private endpoint possible */
  readonly privateLinkSubresource?: string;
}

/** Name of every diagnostic setting the blueprint creates: one per resource, to the environment's workspace. */
export const DIAGNOSTIC_SETTING_NAME = 'diag-to-log-analytics';

/** A diagnostic setting that sends logs and metrics to Log Analytics. */
export function addDiagnosticSetting(
  scope: Construct,
  id: string,
  targetResourceId: string,
  options: DiagnosticSettingsOptions,
): MonitorDiagnosticSetting {
  const logs =
    options.logCategories && options.logCategories.length > 0
      ? options.logCategories.map((category) => ({ category }))
      : (options.logCategoryGroups ?? ['allLogs']).map((categoryGroup) => ({ categoryGroup }));
  if (logs.length === 0 && options.metrics === false) {
    throw new Error(
      `${scope.node.path}/${id}: a diagnostic setting needs at least one log category or metrics`,
    );
  }
  return new MonitorDiagnosticSetting(scope, id, {
    name: DIAGNOSTIC_SETTING_NAME,
    targetResourceId,
    logAnalyticsWorkspaceId: options.workspaceId,
    ...(options.destinationType === 'Dedicated' ? { logAnalyticsDestinationType: 'Dedicated' } : {}),
    ...(logs.length > 0 ? { enabledLog: logs } : {}),
    ...(options.metrics === false
      ? {}
      : { enabledMetric: (options.metricCategories ?? ['AllMetrics']).map((category) => ({ category })) }),
  });
}

/** A private endpoint with its DNS zone group. */
export function addPrivateEndpoint(
  scope: Construct,
  id: string,
  target: FeatureTarget,
  options: PrivateEndpointOptions,
): PrivateEndpoint {
  if (!target.privateLinkSubresource) {
    throw new Error(
      `${scope.node.path}: this resource type has no private-link sub-resource; remove privateEndpoint`,
    );
  }
  const byPolicy = options.zoneGroupManagedByPolicy === true;
  if (byPolicy && options.privateDnsZoneIds.length > 0) {
    throw new Error(
      `${scope.node.path}: privateEndpoint.privateDnsZoneIds is set, but the zone group is managed by policy; give no zone ids`,
    );
  }
  if (!byPolicy && options.privateDnsZoneIds.length === 0) {
    throw new Error(
      `${scope.node.path}: privateEndpoint.privateDnsZoneIds is empty; a private endpoint needs a DNS zone group or its name resolves publicly`,
    );
  }
  return new PrivateEndpoint(scope, id, {
    name: options.name,
    location: options.location ?? target.location,
    resourceGroupName: target.resourceGroupName,
    subnetId: options.subnetId,
    customNetworkInterfaceName: `${options.name}-nic`,
    privateServiceConnection: {
      name: `psc-${options.name}`,
      isManualConnection: false,
      privateConnectionResourceId: target.resourceId,
      subresourceNames: [target.privateLinkSubresource],
    },
    ...(byPolicy
      ? // The hub's DeployIfNotExists policy writes the zone group after creation; Terraform must not remove it.
        { lifecycle: { ignoreChanges: ['private_dns_zone_group'] } }
      : { privateDnsZoneGroup: { name: 'default', privateDnsZoneIds: [...options.privateDnsZoneIds] } }),
  });
}

/** One role assignment at `scopeId`. */
export function addRoleAssignment(
  scope: Construct,
  id: string,
  scopeId: string,
  options: RoleAssignmentOptions,
): RoleAssignment {
  return new RoleAssignment(scope, id, {
    scope: scopeId,
    roleDefinitionName: options.roleDefinitionName,
    principalId: options.principalId,
    principalType: options.principalType ?? 'ServicePrincipal',
    ...(options.description ? { description: options.description } : {}),
  });
}

/** A management lock at `scopeId`. */
export function addLock(scope: Construct, id: string, scopeId: string, options: LockOptions): ManagementLock {
  return new ManagementLock(scope, id, {
    name: `lock-${options.level.toLowerCase()}`,
    scope: scopeId,
    lockLevel: options.level,
    notes: options.notes,
  });
}

/** The `identity` block of an azurerm resource, or undefined when the resource has no managed identity. */
export function identityBlock(
  options: ManagedIdentityOptions | undefined,
): { type: string; identityIds?: string[] } | undefined {
  const system = options?.systemAssigned ?? false;
  const user = options?.userAssignedIdentityIds ?? [];
  if (!system && user.length === 0) return undefined;
  const type =
    system && user.length > 0 ? 'SystemAssigned, UserAssigned' : system ? 'SystemAssigned' : 'UserAssigned';
  return user.length > 0 ? { type, identityIds: [...user] } : { type };
}

/** What {@link addStandardFeatures} created, for constructs that expose them. */
export interface StandardFeatures {
  readonly diagnosticSetting?: MonitorDiagnosticSetting;
  readonly privateEndpoint?: PrivateEndpoint;
  readonly lock?: ManagementLock;
  readonly roleAssignments: Readonly<Record<string, RoleAssignment>>;
}

/**
 * Attaches the standard features a resource construct was given. Children get fixed ids (`Diagnostics`,
 * `PrivateEndpoint`, `Lock`, `RoleAssignments/<key>`), so that their addresses never depend on order.
 */
export function addStandardFeatures(
  scope: Construct,
  target: FeatureTarget,
  props: StandardResourceProps,
): StandardFeatures {
  const roleScope =
    props.roleAssignments && Object.keys(props.roleAssignments).length > 0
      ? new Construct(scope, 'RoleAssignments')
      : undefined;
  const roleAssignments = Object.fromEntries(
    Object.entries(props.roleAssignments ?? {}).map(([key, options]) => [
      key,
      addRoleAssignment(roleScope!, key, target.resourceId, options),
    ]),
  );
  return {
    ...(props.diagnosticSettings
      ? {
          diagnosticSetting: addDiagnosticSetting(
            scope,
            'Diagnostics',
            target.resourceId,
            props.diagnosticSettings,
          ),
        }
      : {}),
    ...(props.privateEndpoint
      ? { privateEndpoint: addPrivateEndpoint(scope, 'PrivateEndpoint', target, props.privateEndpoint) }
      : {}),
    ...(props.lock ? { lock: addLock(scope, 'Lock', target.resourceId, props.lock) } : {}),
    roleAssignments,
  };
}
