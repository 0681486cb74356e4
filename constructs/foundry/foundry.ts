import { Construct } from 'constructs';
import type { CognitiveAccount } from '@cdktf/provider-azurerm/lib/cognitive-account';
import { addHardenedAccount } from '../shared/hardened-account';
import type { StandardFeatures } from '../shared/features';
import type { OptIn, StandardResourceProps } from '../shared/interfaces';
import { FoundryProject, type FoundryProjectProps } from './project';

export interface FoundryProps extends StandardResourceProps {
  /** Account name; also its custom subdomain (`<name>.services.ai.azure.com`). */
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  /** @default 'S0' */
  readonly sku?: 'S0';
  /** @default { enabled: false } - public access disabled, network ACL default Deny */
  readonly publicNetworkAccess?: OptIn;
  /**
   * The hosts the account may call out to: those of its projects' connections (gateway, storage, Content Safety,
   * Application Insights ingestion). Outbound calls are restricted to them. @default - none (nothing)
   */
  readonly allowedFqdns?: readonly string[];
  /** The platform project: its name and connections (no gateway connection: the platform has no product). */
  readonly platformProject: Pick<FoundryProjectProps, 'name' | 'connections'>;
}

/**
 * The environment's Azure AI Foundry resource (Learn, "What is Azure AI Foundry": a Foundry resource is an
 * AIServices account with project management, and projects are its children): hardened like every other account
 * (Entra ID only, private, outbound restricted to its connections' hosts, system-assigned identity, diagnostics,
 * lock), with a platform project. Tenants add their own projects with {@link addProject}, in their own scope.
 */
export class Foundry extends Construct {
  readonly account: CognitiveAccount;
  readonly features: StandardFeatures;
  readonly resourceId: string;
  readonly name: string;
  readonly location: string;
  /** `https://<name>.services.ai.azure.com/`: the Foundry endpoint; a project is `<endpoint>api/projects/<name>`. */
  readonly endpoint: string;
  readonly platformProject: FoundryProject;

  constructor(scope: Construct, id: string, props: FoundryProps) {
    super(scope, id);
    const { account, features } = addHardenedAccount(this, {
      ...props,
      kind: 'AIServices',
      sku: props.sku ?? 'S0',
      projectManagementEnabled: true,
      restrictOutboundNetworkAccess: true,
      ...(props.allowedFqdns ? { allowedFqdns: props.allowedFqdns } : {}),
    });
    this.account = account;
    this.features = features;
    this.resourceId = account.id;
    this.name = props.name;
    this.location = props.location;
    this.endpoint = `https://${props.name}.services.ai.azure.com/`;
    this.platformProject = this.addProject(this, 'PlatformProject', {
      ...props.platformProject,
      displayName: 'Platform',
      description: 'The platform team’s project: evaluations, tracing and the whole prompt library.',
      identity: { kind: 'system' },
      ...(props.tags ? { tags: props.tags } : {}),
    });
  }

  /** A project of this account, built in `scope` (a tenant's construct, so that its address is the tenant's). */
  addProject(scope: Construct, id: string, props: Omit<FoundryProjectProps, 'account'>): FoundryProject {
    return new FoundryProject(scope, id, {
      ...props,
      account: { resourceId: this.resourceId, location: this.location },
    });
  }

  /** The endpoint of one of this account's projects. */
  projectEndpoint(projectName: string): string {
    return `${this.endpoint}api/projects/${projectName}`;
  }
}
