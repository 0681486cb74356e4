/**
 * A small typed binding for the `Azure/azapi` Terraform provider.
 *
 * No prebuilt azapi package exists for cdktf, and `cdktf get` needs Terraform and the registry, so we write the few
 * classes we use by hand: the provider, `azapi_resource` (create an ARM resource from its REST body) and
 * `azapi_update_resource` (patch properties of a resource that azurerm created). We use them only where azurerm 4.55
 * lacks the feature; each use says why.
 *
 * `body` keeps ARM's camelCase keys: `TerraformResource` does not snake-case resource attributes, and azapi 2.x takes
 * the body as an object (no `jsonencode`).
 */
import { type Construct } from 'constructs';
import {
  type ITerraformDependable,
  ref,
  TerraformElement,
  TerraformProvider,
  TerraformStack,
  TerraformResource,
  type TerraformResourceLifecycle,
  Token,
} from 'cdktf';

/** The azapi provider version constraint written into `required_providers`. */
export const AZAPI_VERSION_CONSTRAINT = '2.12.0';

const GENERATOR_METADATA = { providerName: 'azapi', providerVersionConstraint: AZAPI_VERSION_CONSTRAINT };

/** Settings of the azapi provider; credentials come from the same `ARM_*` environment variables as azurerm. */
export interface AzapiProviderConfig {
  /** Authenticate with an OIDC token (GitHub Actions, Azure DevOps workload identity). @default - provider default (false) */
  readonly useOidc?: boolean;
  /** @default - `ARM_SUBSCRIPTION_ID` */
  readonly subscriptionId?: string;
  /** @default - `ARM_TENANT_ID` */
  readonly tenantId?: string;
}

/** The `Azure/azapi` provider. */
export class AzapiProvider extends TerraformProvider {
  private readonly config: AzapiProviderConfig;

  constructor(scope: Construct, id: string, config: AzapiProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'azapi',
      terraformGeneratorMetadata: GENERATOR_METADATA,
      terraformProviderSource: 'Azure/azapi',
    });
    this.config = config;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      use_oidc: this.config.useOidc,
      subscription_id: this.config.subscriptionId,
      tenant_id: this.config.tenantId,
    };
  }
}

/** A JSON value as ARM accepts it in a request body. Tokens (strings from other resources) are allowed. */
export type ArmValue =
  string | number | boolean | null | readonly ArmValue[] | { readonly [key: string]: ArmValue };
export type ArmBody = { readonly [key: string]: ArmValue };

interface AzapiCommonConfig {
  /** ARM type with API version: `Microsoft.ApiManagement/service/backends@2024-06-01-preview`. */
  readonly type: string;
  /** The request body, in ARM's camelCase. */
  readonly body: ArmBody;
  /**
   * Paths of the response to export into `output` (azapi 2.x). @default - nothing exported
   * @example ['properties.endpoint']
   */
  readonly responseExportValues?: readonly string[];
  /** Resource ids to lock on, so that azapi serializes operations on one parent. @default - none */
  readonly locks?: readonly string[];
  readonly dependsOn?: readonly ITerraformDependable[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** Settings of one `azapi_resource`. */
export interface AzapiResourceConfig extends AzapiCommonConfig {
  readonly name: string;
  /** The ARM id of the parent: a resource group, or the resource this one is a child of. */
  readonly parentId: string;
  /** @default - none (child resources have no location) */
  readonly location?: string;
  /**
   * Write-only parts of the body (secrets), merged into the request but kept out of the plan's diff output
   * (`sensitive_body`, azapi 2.x). @default - none
   */
  readonly sensitiveBody?: ArmBody;
  /**
   * A version per path of `sensitive_body` (`{ 'properties.value': '2' }`): azapi cannot see a write-only value
   * change, so it sends that path again when its version changes (`sensitive_body_version`). @default - none
   */
  readonly sensitiveBodyVersion?: Readonly<Record<string, string>>;
  /**
   * Validate `body` against azapi's embedded schema. Preview API versions are often missing from it.
   * @default true
   */
  readonly schemaValidationEnabled?: boolean;
}

function lockList(locks: readonly string[] | undefined): string[] | undefined {
  return locks && locks.length > 0 ? [...locks] : undefined;
}

/**
 * `azapi_resource`: an ARM resource that azurerm cannot express. Child resources (backends, blocklist items) take no
 * tags; use {@link AzapiTrackedResource} for a resource that does.
 */
export class AzapiResource extends TerraformResource {
  public static readonly tfResourceType = 'azapi_resource';

  private readonly config: AzapiResourceConfig;
  /** Set only by {@link AzapiTrackedResource}. */
  protected tagsValue: Record<string, string> | undefined;

  constructor(scope: Construct, id: string, config: AzapiResourceConfig) {
    super(scope, id, {
      terraformResourceType: AzapiResource.tfResourceType,
      terraformGeneratorMetadata: GENERATOR_METADATA,
      ...(config.dependsOn ? { dependsOn: [...config.dependsOn] } : {}),
      ...(config.lifecycle ? { lifecycle: config.lifecycle } : {}),
    });
    this.config = config;
  }

  /** The ARM id of the created resource. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** The name, as configured. */
  public get name(): string {
    return this.config.name;
  }

  /** The ARM type with API version, as configured. */
  public get armType(): string {
    return this.config.type;
  }

  /** The request body, as configured (for tests and policy rules). */
  public get body(): ArmBody {
    return this.config.body;
  }

  /** A value exported with `responseExportValues`, e.g. `output('properties.endpoint')`. */
  public output(path: string): string {
    return Token.asString(this.interpolationForAttribute(`output.${path}`));
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      name: this.config.name,
      parent_id: this.config.parentId,
      location: this.config.location,
      body: this.config.body,
      sensitive_body: this.config.sensitiveBody,
      sensitive_body_version: this.config.sensitiveBodyVersion
        ? { ...this.config.sensitiveBodyVersion }
        : undefined,
      tags: this.tagsValue,
      response_export_values: this.config.responseExportValues
        ? [...this.config.responseExportValues]
        : undefined,
      schema_validation_enabled: this.config.schemaValidationEnabled,
      locks: lockList(this.config.locks),
    };
  }
}

/** Settings of a tracked (top-level, taggable) ARM resource. */
export interface AzapiTrackedResourceConfig extends AzapiResourceConfig {
  readonly location: string;
  /** @default - none; the tags aspect adds the mandatory tags */
  readonly tags?: Record<string, string>;
}

/** `azapi_resource` for a tracked ARM resource, which has a location and tags (the tags aspect sees it). */
export class AzapiTrackedResource extends AzapiResource {
  constructor(scope: Construct, id: string, config: AzapiTrackedResourceConfig) {
    super(scope, id, config);
    this.tagsValue = config.tags;
  }

  /** The same getter/setter pair the generated azurerm classes have. */
  public get tags(): Record<string, string> | undefined {
    return this.tagsValue;
  }
  public set tags(value: Record<string, string> | undefined) {
    this.tagsValue = value;
  }
  public get tagsInput(): Record<string, string> | undefined {
    return this.tagsValue;
  }
}

/** Settings of one `azapi_update_resource`. */
export interface AzapiUpdateResourceConfig extends AzapiCommonConfig {
  /** The ARM id of the resource to patch (usually an azurerm resource's `id`). */
  readonly resourceId: string;
}

/** `azapi_update_resource`: sets properties that azurerm does not expose on a resource azurerm manages. */
export class AzapiUpdateResource extends TerraformResource {
  public static readonly tfResourceType = 'azapi_update_resource';

  private readonly config: AzapiUpdateResourceConfig;

  constructor(scope: Construct, id: string, config: AzapiUpdateResourceConfig) {
    super(scope, id, {
      terraformResourceType: AzapiUpdateResource.tfResourceType,
      terraformGeneratorMetadata: GENERATOR_METADATA,
      ...(config.dependsOn ? { dependsOn: [...config.dependsOn] } : {}),
      ...(config.lifecycle ? { lifecycle: config.lifecycle } : {}),
    });
    this.config = config;
  }

  public get armType(): string {
    return this.config.type;
  }

  public get body(): ArmBody {
    return this.config.body;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.config.type,
      resource_id: this.config.resourceId,
      body: this.config.body,
      response_export_values: this.config.responseExportValues
        ? [...this.config.responseExportValues]
        : undefined,
      locks: lockList(this.config.locks),
    };
  }
}

/** Settings of one ephemeral `azapi_resource_action`. */
export interface AzapiEphemeralActionConfig {
  /** ARM type with API version of the resource the action runs on. */
  readonly type: string;
  /** ARM id of that resource (usually another resource's `id`). */
  readonly resourceId: string;
  /** The action: `listKeys`. */
  readonly action: string;
  /** @default 'POST' */
  readonly method?: string;
  /** Paths of the response to expose in `output`. */
  readonly responseExportValues: readonly string[];
}

/**
 * An ephemeral `azapi_resource_action` (azapi 2.x, Terraform 1.10+): the action runs at plan and apply and its
 * response is never written to state or plan, so it may feed only write-only arguments (`sensitive_body`). cdktf
 * 0.21 has no ephemeral block, so this element writes its own under `ephemeral`.
 */
export class AzapiEphemeralResourceAction extends TerraformElement {
  public static readonly tfResourceType = 'azapi_resource_action';
  private readonly config: AzapiEphemeralActionConfig;

  constructor(scope: Construct, id: string, config: AzapiEphemeralActionConfig) {
    super(scope, id, 'ephemeral');
    this.config = config;
  }

  /** A value of the action's response, e.g. `output('primaryKey')`: usable only in a write-only argument. */
  public output(path: string): string {
    return Token.asString(
      ref(
        `ephemeral.${AzapiEphemeralResourceAction.tfResourceType}.${this.friendlyUniqueId}.output.${path}`,
        TerraformStack.of(this),
      ),
    );
  }

  public override toTerraform(): Record<string, unknown> {
    return {
      ephemeral: {
        [AzapiEphemeralResourceAction.tfResourceType]: {
          [this.friendlyUniqueId]: {
            type: this.config.type,
            resource_id: this.config.resourceId,
            action: this.config.action,
            method: this.config.method ?? 'POST',
            response_export_values: [...this.config.responseExportValues],
            '//': { metadata: { path: this.node.path, uniqueId: this.friendlyUniqueId } },
          },
        },
      },
    };
  }
}

/**
 * The plain Terraform address of a resource (`type.name`), for `replace_triggered_by`: cdktf writes a resource
 * reference there as an interpolation (`${type.name}`), while Terraform's JSON syntax expects a bare reference,
 * as in `depends_on`.
 */
export function resourceAddress(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
