/**
 * One synthesized stack as a plan to read: its resources by type, address and construct path, the references
 * between them (within the stack, and across stacks through `terraform_remote_state` outputs), its outputs and its
 * backend. The rule pack, the audit, the scripts and the tests all read cdk.tf.json through this class. Pure data:
 * no cdktf import, no file access (`files.ts` reads cdktf.out).
 */
import { readTemplate } from '../template';
import { METADATA_KEY, type BlockConfig, type TerraformJson } from './terraform';

/** One resource (or data source) of a stack. */
export interface PlanResource {
  /** Terraform type (`azurerm_key_vault`, `azapi_resource`). */
  readonly type: string;
  /** Logical id in the stack (the block's name). */
  readonly name: string;
  /** `type.name` for a resource, `data.type.name` for a data source, as Terraform addresses it. */
  readonly address: string;
  /** Construct path inside the stack (`KeyVault/Vault`); the address when the plan carries no path. */
  readonly path: string;
  /** The stack it belongs to. */
  readonly stack: string;
  /** For azapi resources: the ARM type without the API version (`Microsoft.ApiManagement/service/backends`). */
  readonly armType?: string;
  /** Its arguments, without cdktf's `//` metadata. */
  readonly config: BlockConfig;
}

/** A `terraform_remote_state` data source: another stack's state, read for its outputs. */
export interface RemoteState {
  /** Its name (`cross-stack-reference-input-prod`). */
  readonly name: string;
  readonly backend: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A backend in the terms a `terraform_remote_state` uses to read it (the `cloud` block reads as `remote`). */
export interface BackendAsRemoteState {
  readonly backend: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** `${type.name…}` anywhere in a string: the resource (or `data`) a Terraform expression refers to. */
const REFERENCE = /\$\{([a-z0-9_]+)\.([^.}\s]+)(?:\.([^}]*))?\}/g;
/** A reference at the start of a value (`${type.name.attr}…`), or a bare `type.name`. */
const LEADING_REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}\s]+)(?:\.[^}]*)?\}/;
const BARE_ADDRESS = /^([a-z0-9_]+)\.([^.\s]+)$/;
/** A value read from another stack: `${data.terraform_remote_state.<state>.outputs.<output>…}`. */
const REMOTE_OUTPUT = /^\$\{data\.terraform_remote_state\.([^.}\s]+)\.outputs\.([^.}\s[]+)/;
/** Named values of Terraform's language that are not blocks of the plan (`${var.x}`, `${each.key}`). */
const NAMED_VALUES = new Set(['var', 'local', 'terraform', 'each', 'count', 'path', 'self', 'module']);

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toResource(
  stack: string,
  type: string,
  name: string,
  address: string,
  raw: BlockConfig,
): PlanResource {
  const config: Record<string, unknown> = {};
  for (const key in raw) if (key !== METADATA_KEY) config[key] = raw[key];
  const fullPath = (raw[METADATA_KEY] as { metadata?: { path?: string } } | undefined)?.metadata?.path;
  const armType =
    type.startsWith('azapi_') && typeof config['type'] === 'string'
      ? (config['type'] as string).split('@')[0]
      : undefined;
  return {
    type,
    name,
    address,
    path: fullPath ? fullPath.slice(fullPath.indexOf('/') + 1) : address,
    stack,
    ...(armType ? { armType } : {}),
    config,
  };
}

/** One `${type.name…}` expression found in a config: the whole expression and the block it names. */
interface Expression {
  readonly text: string;
  readonly type: string;
  readonly name: string;
}

/**
 * Every `${type.name…}` expression inside a config value, depth first. Only what Terraform evaluates counts: escaped
 * config text (`$${azurerm_x.y.id}`) is text, not a reference.
 */
function expressionsIn(value: unknown, into: Expression[] = []): Expression[] {
  if (typeof value === 'string') {
    if (value.includes('${'))
      for (const sequence of value.includes('$${') ? readTemplate(value).sequences : [value])
        for (const [text, type, name] of sequence.matchAll(REFERENCE))
          into.push({ text, type: type!, name: name! });
  } else if (Array.isArray(value)) for (const item of value) expressionsIn(item, into);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) expressionsIn(item, into);
  return into;
}

/** A stable text of a JSON value (sorted keys, undefined left out), to compare configurations. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compare(a, b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The key a remote state and a backend share when one reads the other (the `workspace` argument aside). */
function backendKey(backend: string, config: Readonly<Record<string, unknown>>): string {
  const { workspace: _workspace, ...rest } = config;
  return canonical({ backend, config: rest });
}

export class StackPlan {
  /** Every resource, sorted by address (data sources are in `dataSources`). */
  readonly resources: readonly PlanResource[];
  /** Every data source, sorted by address. */
  readonly dataSources: readonly PlanResource[];
  private readonly byAddressMap = new Map<string, PlanResource>();
  private byTypeMap?: Map<string, PlanResource[]>;
  private byPathMap?: Map<string, PlanResource>;
  private referrerIndex?: Map<string, PlanResource[]>;
  private readonly expressions = new Map<PlanResource, readonly Expression[]>();
  private remoteSources?: Map<string, StackPlan | undefined>;

  /**
   * @param name - the stack id (`prod`, `prod-tenants-1`)
   * @param json - the stack's Terraform JSON, as written to cdk.tf.json
   * @param upstream - the stacks this one reads through remote state (a tenant shard reads the platform stack), so
   *   that a reference to their outputs resolves to the resource behind it
   */
  constructor(
    readonly name: string,
    readonly json: TerraformJson,
    readonly upstream: readonly StackPlan[] = [],
  ) {
    const resources: PlanResource[] = [];
    for (const [type, byName] of Object.entries(json.resource ?? {}))
      for (const [id, raw] of Object.entries(byName))
        resources.push(toResource(name, type, id, `${type}.${id}`, raw));
    const dataSources: PlanResource[] = [];
    for (const [type, byName] of Object.entries(json.data ?? {}))
      for (const [id, raw] of Object.entries(byName))
        dataSources.push(toResource(name, type, id, `data.${type}.${id}`, raw));
    // Ephemeral resources (Terraform 1.10+) are opened at plan and apply and never stored in state; they count as
    // data sources here, addressed `ephemeral.type.name`.
    for (const [type, byName] of Object.entries(json.ephemeral ?? {}))
      for (const [id, raw] of Object.entries(byName))
        dataSources.push(toResource(name, type, id, `ephemeral.${type}.${id}`, raw));
    resources.sort((a, b) => compare(a.address, b.address));
    dataSources.sort((a, b) => compare(a.address, b.address));
    this.resources = resources;
    this.dataSources = dataSources;
    for (const r of [...resources, ...dataSources]) this.byAddressMap.set(r.address, r);
  }

  /** Resources whose Terraform type or (for azapi) ARM type is one of `kinds`, by address. */
  byType(...kinds: readonly string[]): PlanResource[] {
    if (!this.byTypeMap) {
      const index = new Map<string, PlanResource[]>();
      const add = (key: string, r: PlanResource) => {
        const list = index.get(key);
        if (list) list.push(r);
        else index.set(key, [r]);
      };
      for (const r of this.resources) {
        add(r.type, r);
        if (r.armType !== undefined) add(r.armType, r);
      }
      this.byTypeMap = index;
    }
    if (kinds.length === 1) return [...(this.byTypeMap.get(kinds[0]!) ?? [])];
    const found = new Set<PlanResource>();
    for (const kind of kinds) for (const r of this.byTypeMap.get(kind) ?? []) found.add(r);
    return [...found].sort((a, b) => compare(a.address, b.address));
  }

  /** The resource or data source (`data.type.name`) at this address. */
  byAddress(address: string): PlanResource | undefined {
    return this.byAddressMap.get(address);
  }

  /** The resource at this construct path inside the stack (`KeyVault/Vault`). */
  byPath(path: string): PlanResource | undefined {
    this.byPathMap ??= new Map(this.resources.map((r) => [r.path, r]));
    return this.byPathMap.get(path);
  }

  /** The interpolation another resource of this stack uses to refer to an attribute of `resource`: `${type.name.id}`. */
  ref(resource: PlanResource, attribute = 'id'): string {
    return `\${${resource.address}.${attribute}}`;
  }

  /** True when `value` is (or starts with) a reference to `resource`'s attribute, in this stack. */
  refersTo(value: unknown, resource: PlanResource, attribute = 'id'): boolean {
    return typeof value === 'string' && value.startsWith(this.ref(resource, attribute));
  }

  /** The value of one of this stack's outputs. */
  output(name: string): unknown {
    return this.json.output?.[name]?.value;
  }

  /** The stack's backend, as a remote state that reads it would name it; undefined without one. */
  get backend(): BackendAsRemoteState | undefined {
    const cloud = this.json.terraform?.cloud;
    if (cloud) {
      return {
        backend: 'remote',
        config: {
          organization: cloud.organization,
          workspaces: { name: cloud.workspaces?.name },
          ...(cloud.hostname ? { hostname: cloud.hostname } : {}),
        },
      };
    }
    const [type, config] = Object.entries(this.json.terraform?.backend ?? {})[0] ?? [];
    return type && config ? { backend: type, config } : undefined;
  }

  /** The `terraform_remote_state` data sources: the other stacks' states this stack reads. */
  remoteStates(): RemoteState[] {
    return this.dataSources
      .filter((d) => d.type === 'terraform_remote_state')
      .map((d) => ({
        name: d.name,
        backend: String(d.config['backend']),
        config: (d.config['config'] ?? {}) as Record<string, unknown>,
      }));
  }

  /** Whether `state` (another stack's remote state) reads this stack's backend. */
  writes(state: RemoteState): boolean {
    const backend = this.backend;
    return (
      backend !== undefined &&
      backendKey(backend.backend, backend.config) === backendKey(state.backend, state.config)
    );
  }

  /** The upstream stack whose backend a remote state reads, if it is one of `upstream`. */
  sourceOf(state: RemoteState): StackPlan | undefined {
    return this.upstream.find((u) => u.writes(state));
  }

  /** The outputs of a remote state that this stack reads (`…outputs.<name>`), each once. */
  outputsRead(state: RemoteState): string[] {
    const prefix = `\${data.terraform_remote_state.${state.name}.outputs.`;
    const names = new Set<string>();
    const expressions = [
      ...this.resources.flatMap((r) => this.expressionsOf(r)),
      ...expressionsIn(this.json.output ?? {}),
    ];
    for (const { text } of expressions) {
      const match = text.startsWith(prefix) ? /^([^.}\s[]+)/.exec(text.slice(prefix.length)) : null;
      if (match) names.add(match[1]!);
    }
    return [...names].sort(compare);
  }

  /** The `${…}` expressions of a resource's config, found once. */
  private expressionsOf(resource: PlanResource): readonly Expression[] {
    let found = this.expressions.get(resource);
    if (!found) {
      found = expressionsIn(resource.config);
      this.expressions.set(resource, found);
    }
    return found;
  }

  /**
   * The resource a reference points to: `${type.name.attr}` (or a bare `type.name`) in this stack, `${data.…}` to a
   * data source, and `${data.terraform_remote_state.<state>.outputs.<output>}` to the resource in the upstream stack
   * that the output exposes.
   */
  resolve(reference: unknown): PlanResource | undefined {
    if (typeof reference !== 'string') return undefined;
    const remote = REMOTE_OUTPUT.exec(reference);
    if (remote) {
      if (!this.remoteSources) {
        this.remoteSources = new Map(this.remoteStates().map((state) => [state.name, this.sourceOf(state)]));
      }
      const output = remote[2]!;
      const source =
        this.remoteSources.get(remote[1]!) ??
        this.upstream.find((u) => u.json.output?.[output] !== undefined);
      return source?.resolve(source.output(output));
    }
    if (reference.startsWith('${data.') || reference.startsWith('${ephemeral.')) {
      const data = /^\$\{(data|ephemeral)\.([a-z0-9_]+)\.([^.}\s]+)/.exec(reference);
      return data ? this.byAddressMap.get(`${data[1]}.${data[2]}.${data[3]}`) : undefined;
    }
    const match = LEADING_REFERENCE.exec(reference) ?? BARE_ADDRESS.exec(reference);
    return match ? this.byAddressMap.get(`${match[1]}.${match[2]}`) : undefined;
  }

  /**
   * A value as the stack that owns it wrote it: a reference to an upstream stack's output becomes that output's value
   * (`${azurerm_virtual_network.X.id}/subnets/…`), followed into the stack that wrote it; anything else is returned as
   * it is.
   */
  dereference(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const remote = REMOTE_OUTPUT.exec(value);
    // Only a whole output (`…outputs.<name>}`) has a value to follow.
    if (!remote || value[remote[0].length] !== '}') return value;
    const output = remote[2]!;
    const source = this.upstream.find((u) => u.json.output?.[output] !== undefined);
    if (!source) return value;
    const upstream = source.dereference(source.output(output));
    // What follows the reference (`/subnets/<name>`) stays.
    const rest = value.slice(remote[0].length + 1);
    return typeof upstream === 'string' ? `${upstream}${rest}` : upstream;
  }

  /** Every resource that `resource`'s config refers to (in this stack or upstream), each once, by address. */
  references(resource: PlanResource): PlanResource[] {
    const found = new Map<string, PlanResource>();
    for (const { text } of this.expressionsOf(resource)) {
      const target = this.resolve(text);
      if (target && target !== resource) found.set(`${target.stack} ${target.address}`, target);
    }
    return [...found.values()].sort((a, b) => compare(a.stack, b.stack) || compare(a.address, b.address));
  }

  /**
   * The references in `resource`'s config that name nothing of the plan: no such resource or data source here, or
   * an upstream output that does not exist. Terraform fails on them at plan time.
   */
  unresolvedReferences(resource: PlanResource): string[] {
    const found = new Set<string>();
    for (const { text, type, name } of this.expressionsOf(resource)) {
      if (!NAMED_VALUES.has(type) && !this.knows(text, `${type}.${name}`)) found.add(text);
    }
    return [...found].sort(compare);
  }

  /** Whether the plan has what a reference (`${…}`, its `type.name` given) names. */
  private knows(reference: string, address: string): boolean {
    const remote = REMOTE_OUTPUT.exec(reference);
    if (remote) {
      const state = this.byAddressMap.has(`data.terraform_remote_state.${remote[1]}`);
      const output = remote[2]!;
      return (
        state &&
        (this.upstream.length === 0 || this.upstream.some((u) => u.json.output?.[output] !== undefined))
      );
    }
    const data = /^\$\{(data|ephemeral)\.([a-z0-9_]+)\.([^.}\s]+)/.exec(reference);
    return this.byAddressMap.has(data ? `${data[1]}.${data[2]}.${data[3]}` : address);
  }

  /** Resources of this stack whose config refers to `resource` anywhere (any attribute). */
  referrers(resource: PlanResource): PlanResource[] {
    if (!this.referrerIndex) {
      const index = new Map<string, PlanResource[]>();
      for (const referrer of this.resources) {
        const seen = new Set<string>();
        for (const { type, name } of this.expressionsOf(referrer)) {
          const target = `${type}.${name}`;
          if (target === referrer.address || seen.has(target)) continue;
          seen.add(target);
          const list = index.get(target);
          if (list) list.push(referrer);
          else index.set(target, [referrer]);
        }
      }
      this.referrerIndex = index;
    }
    return resource.stack === this.name ? (this.referrerIndex.get(resource.address) ?? []) : [];
  }
}
