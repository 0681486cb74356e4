/**
 * A synthesized Terraform plan (the JSON cdktf writes to cdk.tf.json), as the policy rules and the audit read it:
 * resources with their address, construct path and snake_case config, and the references between them.
 * Pure data: no cdktf import, so scripts can read cdktf.out with the same model the rules used at synth time.
 */
import { readTemplate } from '../template';

/** One resource of the plan. */
export interface PlanResource {
  /** Terraform resource type (`azurerm_key_vault`, `azapi_resource`). */
  readonly type: string;
  /** Logical id in the plan. */
  readonly name: string;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
  /** Construct path inside the stack (`KeyVault/Vault`); the address when the plan carries no path. */
  readonly path: string;
  /** For azapi resources: the ARM type without the API version (`Microsoft.ApiManagement/service/backends`). */
  readonly armType?: string;
  /** The synthesized config, without cdktf's `//` metadata. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** The Terraform JSON of one stack, as far as the model reads it. */
export interface TerraformJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly [key: string]: unknown;
}

const REFERENCE = /\$\{([a-z0-9_]+)\.([^.}\s]+)(?:\.([^}]*))?\}/g;

/** A value read from another stack's state: `${data.terraform_remote_state.<name>.outputs.<output>…}`. */
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.[^.}\s]+\.outputs\.([^.}\s[]+)/;

export class PolicyPlan {
  /** Every resource, sorted by address. */
  readonly resources: readonly PlanResource[];
  private readonly byAddressMap: ReadonlyMap<string, PlanResource>;
  private referrerIndex?: Map<string, PlanResource[]>;
  /** Outputs of the stacks this one reads (cross-stack references), by name: where each one's value comes from. */
  private readonly upstreamOutputs = new Map<string, { plan: PolicyPlan; value: unknown }>();
  /** The plans of the stacks this one reads through cross-stack references. */
  readonly upstream: readonly PolicyPlan[];

  /**
   * @param upstream - the Terraform JSON of the stacks this stack reads through cross-stack references (a tenant
   *   shard reads the platform stack), so that a reference to their outputs resolves to the resource behind it.
   */
  constructor(json: TerraformJson, upstream: readonly TerraformJson[] = []) {
    const upstreamPlans: PolicyPlan[] = [];
    for (const other of upstream) {
      const plan = new PolicyPlan(other);
      upstreamPlans.push(plan);
      const outputs = (other['output'] ?? {}) as Record<string, { value?: unknown }>;
      for (const [name, output] of Object.entries(outputs))
        this.upstreamOutputs.set(name, { plan, value: output.value });
    }
    this.upstream = upstreamPlans;
    const resources: PlanResource[] = [];
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      for (const [name, raw] of Object.entries(byName)) {
        const { '//': meta, ...config } = raw as Record<string, unknown>;
        const fullPath = (meta as { metadata?: { path?: string } } | undefined)?.metadata?.path;
        const armType =
          type.startsWith('azapi_') && typeof config['type'] === 'string'
            ? (config['type'] as string).split('@')[0]
            : undefined;
        resources.push({
          type,
          name,
          address: `${type}.${name}`,
          path: fullPath ? fullPath.split('/').slice(1).join('/') : `${type}.${name}`,
          ...(armType ? { armType } : {}),
          config,
        });
      }
    }
    resources.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
    this.resources = resources;
    this.byAddressMap = new Map(resources.map((r) => [r.address, r]));
  }

  /** Resources whose Terraform type or ARM type is one of `kinds`. */
  byType(...kinds: readonly string[]): PlanResource[] {
    return this.resources.filter(
      (r) => kinds.includes(r.type) || (r.armType !== undefined && kinds.includes(r.armType)),
    );
  }

  byAddress(address: string): PlanResource | undefined {
    return this.byAddressMap.get(address);
  }

  /** The interpolation another resource uses to refer to an attribute of `resource`: `${type.name.id}`. */
  ref(resource: PlanResource, attribute = 'id'): string {
    return `\${${resource.address}.${attribute}}`;
  }

  /** True when `value` is (or starts with) a reference to `resource`'s attribute. */
  refersTo(value: unknown, resource: PlanResource, attribute = 'id'): boolean {
    return typeof value === 'string' && value.startsWith(this.ref(resource, attribute));
  }

  /**
   * The resource a reference such as `${azapi_resource.X.id}` (or a bare `type.name`) points to; a reference to an
   * upstream stack's output resolves to the resource in that stack.
   */
  resolve(reference: unknown): PlanResource | undefined {
    if (typeof reference !== 'string') return undefined;
    const remote = REMOTE_OUTPUT.exec(reference)?.[1];
    if (remote !== undefined) {
      const output = this.upstreamOutputs.get(remote);
      return output ? output.plan.resolve(output.value) : undefined;
    }
    const match =
      /^\$\{([a-z0-9_]+)\.([^.}\s]+)(?:\.[^}]*)?\}/.exec(reference) ??
      /^([a-z0-9_]+)\.([^.\s]+)$/.exec(reference);
    return match ? this.byAddressMap.get(`${match[1]}.${match[2]}`) : undefined;
  }

  /**
   * A value as the stack that owns it wrote it: a reference to an upstream stack's output becomes that output's value
   * (`${azurerm_virtual_network.X.id}/subnets/…`); anything else is returned as it is.
   */
  dereference(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const match = /^\$\{data\.terraform_remote_state\.[^.}\s]+\.outputs\.([^.}\s[]+)\}/.exec(value);
    const output = match ? this.upstreamOutputs.get(match[1]!) : undefined;
    if (!match || !output) return value;
    const upstream = output.plan.dereference(output.value);
    // What follows the reference (`/subnets/<name>`) stays.
    return typeof upstream === 'string' ? `${upstream}${value.slice(match[0].length)}` : upstream;
  }

  /** Resources whose config refers to `resource` anywhere (any attribute). */
  referrers(resource: PlanResource): PlanResource[] {
    if (!this.referrerIndex) {
      const index = new Map<string, PlanResource[]>();
      for (const referrer of this.resources) {
        const seen = new Set<string>();
        for (const text of strings(referrer.config)) {
          // Only what Terraform evaluates refers: escaped config text (`$${azurerm_x.y.id}`) is text.
          if (!text.includes('${')) continue;
          for (const match of readTemplate(text).sequences.join(' ').matchAll(REFERENCE)) {
            const target = `${match[1]}.${match[2]}`;
            if (target === referrer.address || seen.has(target)) continue;
            seen.add(target);
            index.set(target, [...(index.get(target) ?? []), referrer]);
          }
        }
      }
      this.referrerIndex = index;
    }
    return this.referrerIndex.get(resource.address) ?? [];
  }
}

/** Every string inside a config value, depth first. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) yield* strings(item);
}

/** The value at a dotted path (`network_acls.default_action`); a single block may be an object or a 1-element list. */
export function field(config: unknown, path: string): unknown {
  let current: unknown = config;
  for (const key of path.split('.')) {
    if (Array.isArray(current)) current = current.length === 1 ? current[0] : undefined;
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A nested block list, whether cdktf wrote one block as an object or several as an array. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value))
    return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

/** The request body of an azapi resource (azapi 2.x takes it as an object). */
export function body(resource: PlanResource): Record<string, unknown> {
  const value = resource.config['body'];
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
