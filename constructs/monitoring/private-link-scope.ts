import { Construct } from 'constructs';
import { MonitorPrivateLinkScope } from '@cdktf/provider-azurerm/lib/monitor-private-link-scope';
import { MonitorPrivateLinkScopedService } from '@cdktf/provider-azurerm/lib/monitor-private-link-scoped-service';
import type { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { PRIVATE_LINK_SERVICES } from '../shared/catalog';
import { addPrivateEndpoint } from '../shared/features';
import type { PrivateEndpointOptions } from '../shared/interfaces';

/** What the networks of the scope may reach: only the scope's resources, or also resources outside it. */
export type PrivateLinkAccessMode = 'PrivateOnly' | 'Open';

export interface PrivateLinkScopeProps {
  /** Name of the Azure Monitor Private Link Scope. */
  readonly name: string;
  readonly resourceGroupName: string;
  /** Region of the private endpoint (the scope itself is global). */
  readonly location: string;
  /** Ingestion from the connected networks. @default 'PrivateOnly' */
  readonly ingestionAccessMode?: PrivateLinkAccessMode;
  /** Queries from the connected networks. @default 'PrivateOnly' */
  readonly queryAccessMode?: PrivateLinkAccessMode;
  /**
   * The Azure Monitor resources in the scope (workspaces, Application Insights components), by a stable key that
   * names the scoped-service entry and its construct id.
   */
  readonly scopedResources: Readonly<Record<string, string>>;
  /** The private endpoint that connects the network to the scope (sub-resource `azuremonitor`). */
  readonly privateEndpoint: PrivateEndpointOptions;
}

/**
 * An Azure Monitor Private Link Scope (AMPLS): the workspace and Application Insights reached through one private
 * endpoint, whose zone group holds the five Azure Monitor zones (monitor, oms, ods, agentsvc, blob). Both access modes
 * default to PrivateOnly, so the connected networks reach only the scope's resources (no exfiltration to other
 * workspaces). One scope per DNS: a second scope's endpoint would overwrite the same global records.
 *
 * Learn: "Configure your private link" (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-configure);
 * "Design Azure Monitor Private Link configuration" (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-design).
 */
export class PrivateLinkScope extends Construct {
  readonly scope: MonitorPrivateLinkScope;
  readonly scopedServices: Readonly<Record<string, MonitorPrivateLinkScopedService>>;
  readonly privateEndpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: PrivateLinkScopeProps) {
    super(scope, id);
    this.scope = new MonitorPrivateLinkScope(this, 'Scope', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      ingestionAccessMode: props.ingestionAccessMode ?? 'PrivateOnly',
      queryAccessMode: props.queryAccessMode ?? 'PrivateOnly',
    });
    const services: Record<string, MonitorPrivateLinkScopedService> = {};
    for (const [key, resourceId] of Object.entries(props.scopedResources)) {
      services[key] = new MonitorPrivateLinkScopedService(this, `Scoped-${key}`, {
        name: `amplss-${key}`,
        resourceGroupName: props.resourceGroupName,
        scopeName: this.scope.name,
        linkedResourceId: resourceId,
      });
    }
    this.scopedServices = services;
    this.privateEndpoint = addPrivateEndpoint(
      this,
      'PrivateEndpoint',
      {
        resourceId: this.scope.id,
        location: props.location,
        resourceGroupName: props.resourceGroupName,
        privateLinkSubresource: PRIVATE_LINK_SERVICES.monitorPrivateLinkScope.subresource,
      },
      props.privateEndpoint,
    );
    // The endpoint's DNS records name the scope's resources only once they are in the scope.
    this.privateEndpoint.dependsOn = Object.values(services).map((s) => s.fqn);
  }
}
