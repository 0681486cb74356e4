/**
 * Checks the cross-stack references of a synthesized output: every `terraform_remote_state` a stack declares must
 * read the backend of a stack in the same output (the one it depends on), and every output it reads must exist there.
 * A reference that does not resolve fails at plan time in the pipeline; this finds it at synth time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScriptError } from './cli';

interface StackJson {
  readonly terraform?: {
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly cloud?: { organization?: string; hostname?: string; workspaces?: { name?: string } };
  };
  readonly data?: { readonly terraform_remote_state?: Record<string, RemoteState> };
  readonly output?: Record<string, unknown>;
}

interface RemoteState {
  readonly backend: string;
  readonly config: Record<string, unknown>;
}

/** What a stack's remote state must match: the backend block as a remote-state config (`remote` for the cloud block). */
function backendAsRemoteState(json: StackJson): RemoteState | undefined {
  const cloud = json.terraform?.cloud;
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
  const [type, config] = Object.entries(json.terraform?.backend ?? {})[0] ?? [];
  return type && config ? { backend: type, config } : undefined;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Counts of what was checked, and every reference that does not resolve, one sentence each. */
export interface CrossStackReport {
  readonly remoteStates: number;
  readonly outputsRead: number;
  readonly problems: readonly string[];
}

export function checkCrossStackReferences(outdir: string): CrossStackReport {
  const manifestPath = join(outdir, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new ScriptError(`${outdir} has no manifest.json: run \`npm run synth\` first.`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }>;
  };
  const stacks = new Map(
    Object.entries(manifest.stacks).map(([id, entry]) => [
      id,
      JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as StackJson,
    ]),
  );
  const byBackend = new Map<string, string>();
  for (const [id, json] of stacks) {
    const backend = backendAsRemoteState(json);
    if (backend) byBackend.set(canonical({ ...backend, config: withoutWorkspace(backend.config) }), id);
  }

  const problems: string[] = [];
  let remoteStates = 0;
  let outputsRead = 0;
  for (const [id, json] of stacks) {
    const text = JSON.stringify(json);
    for (const [name, state] of Object.entries(json.data?.terraform_remote_state ?? {})) {
      remoteStates += 1;
      const producer = byBackend.get(
        canonical({ backend: state.backend, config: withoutWorkspace(state.config) }),
      );
      if (!producer) {
        problems.push(
          `${id}: terraform_remote_state.${name} reads ${state.backend} state that no stack of ${outdir} writes (${canonical(state.config)})`,
        );
        continue;
      }
      if (!(manifest.stacks[id]!.dependencies ?? []).includes(producer)) {
        problems.push(`${id}: reads the state of ${producer} but does not depend on it in manifest.json`);
      }
      const outputs = stacks.get(producer)!.output ?? {};
      const pattern = new RegExp(
        `data\\.terraform_remote_state\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.outputs\\.([A-Za-z0-9_-]+)`,
        'g',
      );
      for (const output of new Set([...text.matchAll(pattern)].map((m) => m[1]!))) {
        outputsRead += 1;
        if (!(output in outputs))
          problems.push(`${id}: reads output ${output}, which ${producer} does not have`);
      }
    }
  }
  return { remoteStates, outputsRead, problems };
}

/** The remote state's `workspace` argument is not part of the backend block. */
function withoutWorkspace(config: Record<string, unknown>): Record<string, unknown> {
  const { workspace: _workspace, ...rest } = config;
  return rest;
}
