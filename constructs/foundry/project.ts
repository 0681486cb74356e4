import { Construct } from 'constructs';
import { CognitiveAccountProject } from '@cdktf/provider-azurerm/lib/cognitive-account-project';
import type { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AzapiResource, type ArmBody } from '../shared/azapi';
import { addRoleAssignment } from '../shared/features';

/**
 * The ARM type of a project connection. azurerm 4.55 has no resource for it, so the blueprint writes it through azapi.
 * 2025-06-01 is the first GA version with projects (Learn, "Microsoft.CognitiveServices accounts/projects/connections"
 * template reference; later versions add no property the blueprint sets).
 */
export const PROJECT_CONNECTION_TYPE = 'Microsoft.CognitiveServices/accounts/projects/connections@2025-06-01';

/**
 * The inference API version a gateway connection sends (`?api-version=`): the Azure OpenAI GA data-plane version the
 * gateway's `/openai` API serves (Learn, "Azure OpenAI in Foundry Models REST API reference").
 */
export const GATEWAY_INFERENCE_API_VERSION = '2024-10-21';

/** The connection keys of a project, which are also the connections' names. */
export const CONNECTION_NAMES = {
  gateway: 'ai-gateway',
  applicationInsights: 'application-insights',
  promptLibrary: 'prompt-library',
  contentSafety: 'content-safety',
} as const;

/** The gateway, reached through the tenant's own product. */
export interface GatewayConnectionTarget {
  /** `https://<apim>.azure-api.net/openai`: the inference API. */
  readonly url: string;
  /** The API Management service. */
  readonly resourceId: string;
  /**
   * The tenant's subscription key (its product's subscription). Written through azapi's `sensitive_body`: it never
   * appears in the plan's diff, and the value is the one the subscription resource already keeps in state.
   */
  readonly subscriptionKey: string;
  /** The deployments the tenant's product allows: the models the project lists. */
  readonly models: readonly string[];
}

/** What a project connects to. */
export interface FoundryConnectionTargets {
  /** Tracing: the environment's Application Insights (Entra ingestion only). */
  readonly applicationInsights: { readonly resourceId: string; readonly connectionString: string };
  /** The prompt library: the storage account, and the container the project works in (a tenant's own). */
  readonly promptLibrary: {
    readonly resourceId: string;
    readonly name: string;
    readonly blobEndpoint: string;
    /** @default - the whole account (the platform project) */
    readonly container?: { readonly name: string; readonly resourceId: string };
  };
  /** Content Safety, for evaluations' safety metrics and apps that check content themselves. @default - none */
  readonly contentSafety?: { readonly resourceId: string; readonly endpoint: string };
  /** The gateway, through a tenant's own product. @default - none (the platform project has no product) */
  readonly gateway?: GatewayConnectionTarget;
}

/** The identity a project runs as. */
export type FoundryProjectIdentity =
  | { readonly kind: 'system' }
  /** A tenant's user-assigned identity: the identity its product already accepts and its container already trusts. */
  | { readonly kind: 'user'; readonly resourceId: string; readonly principalId: string };

export interface FoundryProjectProps {
  /** Project name (a child of the Foundry account). */
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  /** The Foundry account (`Foundry.resourceId`) and its region. */
  readonly account: { readonly resourceId: string; readonly location: string };
  readonly identity: FoundryProjectIdentity;
  readonly connections: FoundryConnectionTargets;
  /**
   * Give the project's identity "Storage Blob Data Reader" on the library (or its container). Off when the identity
   * already holds a role there (a tenant's Contributor on its own container). @default true
   */
  readonly grantPromptLibraryReader?: boolean;
  /** Principals that get the Foundry user role ("Azure AI User") on this project only, keyed by a stable name. @default - none */
  readonly users?: Readonly<Record<string, { readonly principalId: string; readonly description: string }>>;
  /** @default - none; the tags aspect adds the mandatory ones */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * One Foundry project (azurerm `cognitive_account_project`) with its connections (azapi: azurerm has no connection
 * resource) and the roles its identity needs to use them: Monitoring Metrics Publisher on Application Insights (Entra
 * ingestion), Cognitive Services User on Content Safety, Storage Blob Data Reader on the prompt library. Its users get
 * the Foundry user role on the project, never on the account. Connections that need no secret use Entra ID; the
 * gateway connection carries the tenant's subscription key write-only.
 */
export class FoundryProject extends Construct {
  readonly project: CognitiveAccountProject;
  readonly resourceId: string;
  readonly name: string;
  /** The object id the project's calls run as. */
  readonly principalId: string;
  readonly connections: Readonly<Partial<Record<keyof typeof CONNECTION_NAMES, AzapiResource>>>;
  readonly roleAssignments: Readonly<Record<string, RoleAssignment>>;

  constructor(scope: Construct, id: string, props: FoundryProjectProps) {
    super(scope, id);
    const identity = props.identity;
    this.project = new CognitiveAccountProject(this, 'Project', {
      name: props.name,
      cognitiveAccountId: props.account.resourceId,
      location: props.account.location,
      displayName: props.displayName,
      description: props.description,
      identity:
        identity.kind === 'system'
          ? { type: 'SystemAssigned' }
          : { type: 'UserAssigned', identityIds: [identity.resourceId] },
      ...(props.tags ? { tags: { ...props.tags } } : {}),
    });
    this.resourceId = this.project.id;
    this.name = props.name;
    this.principalId = identity.kind === 'system' ? this.project.identity.principalId : identity.principalId;

    const targets = props.connections;
    const connectionScope = new Construct(this, 'Connections');
    const connection = (key: keyof typeof CONNECTION_NAMES, body: ArmBody, sensitiveBody?: ArmBody) =>
      new AzapiResource(connectionScope, key, {
        type: PROJECT_CONNECTION_TYPE,
        name: CONNECTION_NAMES[key],
        parentId: this.project.id,
        body,
        ...(sensitiveBody ? { sensitiveBody } : {}),
        // Connections of one project are written one at a time.
        locks: [this.project.id],
      });
    const connections: Partial<Record<keyof typeof CONNECTION_NAMES, AzapiResource>> = {};

    const insights = targets.applicationInsights;
    // Entra ID: the project's identity ingests (Monitoring Metrics Publisher); the component takes no keys.
    connections.applicationInsights = connection('applicationInsights', {
      properties: {
        category: 'AppInsights',
        target: insights.resourceId,
        authType: 'ProjectManagedIdentity',
        isSharedToAll: true,
        metadata: {
          ApiType: 'Azure',
          ResourceId: insights.resourceId,
          ApplicationInsightsConnectionString: insights.connectionString,
        },
      },
    });

    const library = targets.promptLibrary;
    connections.promptLibrary = connection('promptLibrary', {
      properties: {
        category: 'AzureBlob',
        target: library.blobEndpoint,
        authType: 'AAD',
        isSharedToAll: true,
        metadata: {
          ApiType: 'Azure',
          ResourceId: library.resourceId,
          AccountName: library.name,
          ...(library.container ? { ContainerName: library.container.name } : {}),
        },
      },
    });

    if (targets.contentSafety) {
      connections.contentSafety = connection('contentSafety', {
        properties: {
          category: 'CognitiveService',
          target: targets.contentSafety.endpoint,
          authType: 'AAD',
          isSharedToAll: true,
          metadata: {
            ApiType: 'Azure',
            Kind: 'Content Safety',
            ResourceId: targets.contentSafety.resourceId,
          },
        },
      });
    }

    if (targets.gateway) {
      const gateway = targets.gateway;
      // Foundry's API Management connection takes an API key (Learn, "Bring your own AI gateway"): the tenant's
      // subscription key, sent as `api-key`, which selects the tenant's product and so its policy and limits.
      connections.gateway = connection(
        'gateway',
        {
          properties: {
            category: 'ApiManagement',
            target: gateway.url,
            authType: 'ApiKey',
            isSharedToAll: true,
            metadata: {
              ResourceId: gateway.resourceId,
              deploymentInPath: 'true',
              inferenceAPIVersion: GATEWAY_INFERENCE_API_VERSION,
              models: JSON.stringify(
                gateway.models.map((model) => ({
                  name: model,
                  properties: { model: { name: model, version: '', format: 'OpenAI' } },
                })),
              ),
            },
          },
        },
        { properties: { credentials: { key: gateway.subscriptionKey } } },
      );
    }
    this.connections = connections;

    const roleScope = new Construct(this, 'RoleAssignments');
    const roles: Record<string, RoleAssignment> = {};
    roles['telemetry'] = addRoleAssignment(roleScope, 'telemetry', insights.resourceId, {
      roleDefinitionName: 'Monitoring Metrics Publisher',
      principalId: this.principalId,
      description: `Foundry project ${props.name} sends its traces to Application Insights with Entra ID`,
    });
    if (targets.contentSafety) {
      roles['contentSafety'] = addRoleAssignment(
        roleScope,
        'contentSafety',
        targets.contentSafety.resourceId,
        {
          roleDefinitionName: 'Cognitive Services User',
          principalId: this.principalId,
          description: `Foundry project ${props.name} checks content with Content Safety`,
        },
      );
    }
    if (props.grantPromptLibraryReader ?? true) {
      roles['promptLibrary'] = addRoleAssignment(
        roleScope,
        'promptLibrary',
        library.container?.resourceId ?? library.resourceId,
        {
          roleDefinitionName: 'Storage Blob Data Reader',
          principalId: this.principalId,
          description: `Foundry project ${props.name} reads the prompt library`,
        },
      );
    }
    for (const [key, user] of Object.entries(props.users ?? {})) {
      roles[`user-${key}`] = addRoleAssignment(roleScope, `user-${key}`, this.project.id, {
        roleDefinitionName: 'Azure AI User',
        principalId: user.principalId,
        description: user.description,
      });
    }
    this.roleAssignments = roles;
  }
}
