/**
 * `npm run new-env`: a new environment copied from an existing one, as source edits in a repository root. Every edit
 * is a plain text change in the adopter's own files (comments and layout kept), and each one must find exactly the
 * text it expects, or nothing is written and the error says which file and what was expected.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stage } from '../../environments/sections/foundation';
import { ScriptError } from './cli';

export interface NewEnvironment {
  /** The new environment's name (its stack id). */
  readonly name: string;
  /** The environment to copy. */
  readonly from: string;
  /** The new environment's stage. @default - the stage of `from` */
  readonly stage?: Stage;
  /** Its short code in resource names (1–4 lowercase letters and digits). @default - derived from the name */
  readonly code?: string;
}

/** What the repository knows of its environments: name, stage and naming code, in promotion order. */
export interface KnownEnvironment {
  readonly name: string;
  readonly stage: Stage;
  readonly code: string;
  /** It has `evaluation.continuous`: the scheduled evaluation pipelines list it, and a copy of it. */
  readonly continuousEvaluation?: boolean;
}

export interface NewEnvironmentPlan {
  /** File → new text. */
  readonly files: ReadonlyMap<string, string>;
  /** What the repository cannot do: printed for the user. */
  readonly manual: readonly string[];
  /** What was done, one line per file. */
  readonly done: readonly string[];
}

const RANK: Readonly<Record<Stage, number>> = { dev: 0, staging: 1, prod: 2 };
const NAME = /^[a-z][a-z0-9-]{0,19}[a-z0-9]$/;

/** The module's export: prod-eu → prodEu. */
export const identifierOf = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** The Azure DevOps id: stage and job ids take no hyphen. */
const adoIdOf = (name: string) => name.replace(/-/g, '_');
const keyOf = (name: string) => (/^[a-z_$][\w$]*$/i.test(name) ? name : `'${name}'`);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A naming code for the new environment, unused by the others: the letters of its name, at most 4. */
export function codeFor(name: string, taken: readonly string[]): string {
  const letters = name.replace(/[^a-z0-9]/g, '');
  const parts = name.split('-');
  // Short first: names carry the code, and the longest (Key Vault, 24 characters) leave room for 3 at most.
  const candidates = [
    parts.map((part) => part[0]).join(''),
    letters.slice(0, 3),
    ...Array.from({ length: 9 }, (_, i) => `${letters.slice(0, 2)}${i + 1}`),
  ].filter((code) => /^[a-z][a-z0-9]{0,3}$/.test(code));
  const code = candidates.find((c) => !taken.includes(c));
  if (!code)
    throw new ScriptError(`new-env found no free naming code for ${name}; pass --code <1-4 letters>.`);
  return code;
}

/** The index of the bracket that closes the one at `open`, skipping strings and comments. */
export function matchingClose(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) break;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i) + 1;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === '}' || c === ']' || c === ')') {
      if (stack.pop() !== c) break;
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

class Edits {
  readonly files = new Map<string, string>();
  readonly problems: string[] = [];
  constructor(private readonly root: string) {}
  read(file: string): string {
    return this.files.get(file) ?? readFileSync(join(this.root, file), 'utf8');
  }
  /** Replaces the single match of `pattern` in `file`; records a problem when it matches 0 or several times. */
  replaceOnce(file: string, pattern: RegExp, replace: string, what: string): void {
    const text = this.read(file);
    const matches = [...text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`))];
    if (matches.length !== 1) {
      this.problems.push(`${file}: expected one ${what} (${pattern}), found ${matches.length}`);
      return;
    }
    this.files.set(file, text.replace(pattern, replace));
  }
}

/** The top-level blocks of a YAML list or map at `indent` spaces inside `text`: each block's text with its start. */
function yamlBlocks(text: string, head: RegExp): Array<{ start: number; end: number; text: string }> {
  const lines = text.split('\n');
  const blocks: Array<{ start: number; end: number; text: string }> = [];
  let offset = 0;
  let current: { start: number; lines: string[] } | undefined;
  const close = (end: number) => {
    if (!current) return;
    while (current.lines.length > 0 && current.lines.at(-1)!.trim() === '') current.lines.pop();
    const body = current.lines.join('\n');
    blocks.push({ start: current.start, end: current.start + body.length, text: body });
    current = undefined;
    void end;
  };
  for (const line of lines) {
    if (head.test(line)) {
      close(offset);
      current = { start: offset, lines: [line] };
    } else if (current && line !== '' && !line.startsWith(' '.repeat(current.lines[0]!.search(/\S/) + 1))) {
      close(offset);
    } else current?.lines.push(line);
    offset += line.length + 1;
  }
  close(offset);
  return blocks;
}

/** Inserts `insert` after the block that `find` selects in `file`; records a problem when none or several match. */
function addAfterBlock(
  edits: Edits,
  file: string,
  head: RegExp,
  find: (block: string) => boolean,
  make: (block: string) => string,
  what: string,
): void {
  const text = edits.read(file);
  const found = yamlBlocks(text, head).filter((b) => find(b.text));
  if (found.length !== 1) {
    edits.problems.push(`${file}: expected one ${what}, found ${found.length}`);
    return;
  }
  const block = found[0]!;
  // Top-level blocks are separated by a blank line, nested ones follow each other.
  const gap = block.text.startsWith('  - ') || /^ {2}[\w-]+:/.test(block.text) ? '\n\n' : '\n';
  edits.files.set(file, `${text.slice(0, block.end)}${gap}${make(block.text)}${text.slice(block.end)}`);
}

/**
 * The edits that add `request.name` as a copy of `request.from`, for the repository at `root` whose environments
 * are `known`.
 */
export function planNewEnvironment(
  root: string,
  request: NewEnvironment,
  known: readonly KnownEnvironment[],
): NewEnvironmentPlan {
  const { name, from } = request;
  const source = known.find((e) => e.name === from);
  if (!NAME.test(name)) {
    throw new ScriptError(
      `new-env: --name must be 2-21 lowercase letters, digits and hyphens, starting with a letter, got "${name}".`,
    );
  }
  if (!source) {
    throw new ScriptError(
      `new-env: unknown --from "${from}"; expected one of: ${known.map((e) => e.name).join(', ')}.`,
    );
  }
  if (known.some((e) => e.name === name) || existsSync(join(root, 'environments', `${name}.ts`))) {
    throw new ScriptError(`new-env: environment ${name} exists already (environments/${name}.ts).`);
  }
  const stage = request.stage ?? source.stage;
  const code =
    request.code ??
    codeFor(
      name,
      known.map((e) => e.code),
    );
  if (known.some((e) => e.code === code)) {
    throw new ScriptError(
      `new-env: the naming code "${code}" is used by another environment; pass another --code.`,
    );
  }
  const sameStage = known.filter((e) => e.stage === stage).at(-1);
  if (!sameStage) {
    throw new ScriptError(
      `new-env: no environment of stage ${stage} to copy the pipeline jobs from; add the pipeline entries by hand.`,
    );
  }
  const staging = known.filter((e) => e.stage === 'staging').at(-1);
  const ident = identifierOf(name);
  const fromIdent = identifierOf(from);
  const container = `tfstate-${name}`;
  const edits = new Edits(root);
  const done: string[] = [];

  // 1. The environment file, a copy of the source's with its own name, stage, naming code and state container.
  const envFile = `environments/${name}.ts`;
  edits.files.set(envFile, edits.read(`environments/${from}.ts`));
  edits.replaceOnce(
    envFile,
    new RegExp(`export const ${fromIdent} = \\{`),
    `export const ${ident} = {`,
    'export',
  );
  edits.replaceOnce(envFile, new RegExp(`\\n  name: '${escape(from)}',`), `\n  name: '${name}',`, 'name');
  edits.replaceOnce(envFile, /\n {2}stage: '[a-z]+',/, `\n  stage: '${stage}',`, 'stage');
  edits.replaceOnce(
    envFile,
    /\n {2}description: '(?:[^'\\]|\\.)*',/,
    `\n  description: 'Copied from ${from} by npm run new-env: review every value.',`,
    'description',
  );
  const naming = edits.read(envFile);
  if (/environmentCode: '[a-z0-9]+'/.test(naming)) {
    edits.replaceOnce(
      envFile,
      /environmentCode: '[a-z0-9]+'/,
      `environmentCode: '${code}'`,
      'environmentCode',
    );
  } else {
    edits.replaceOnce(envFile, /\n {2}naming: \{ /, `\n  naming: { environmentCode: '${code}', `, 'naming');
  }
  if (/\n {4}containerName: '/.test(edits.read(envFile))) {
    edits.replaceOnce(
      envFile,
      /\n {4}containerName: '[^']*',/,
      `\n    containerName: '${container}',`,
      'state container',
    );
  }
  done.push(
    `${envFile}: copied from environments/${from}.ts (stage ${stage}, naming code ${code}, state container ${container})`,
  );

  // 2. The registry, in promotion order.
  const index = 'environments/index.ts';
  edits.replaceOnce(
    index,
    new RegExp(`(\\nimport \\{ ${fromIdent} \\} from '\\./${escape(from)}';)`),
    `$1\nimport { ${ident} } from './${name}';`,
    `import of ./${from}`,
  );
  const registry = /(EXAMPLE_ENVIRONMENTS: Readonly<Record<string, EnvironmentInput>> = \{ )([^}]*)( \};)/;
  const entries = registry.exec(edits.read(index))?.[2]?.split(', ');
  if (entries) {
    const position = known.filter((e) => RANK[e.stage] <= RANK[stage]).length;
    entries.splice(position, 0, name === ident ? name : `${keyOf(name)}: ${ident}`);
    edits.replaceOnce(index, registry, `$1${entries.join(', ')}$3`, 'EXAMPLE_ENVIRONMENTS');
  } else edits.problems.push(`${index}: expected EXAMPLE_ENVIRONMENTS on one line`);
  done.push(`${index}: registered ${name}`);

  // 3. Every tenant's allocation for the new environment: the source's, marked for review.
  const tenants = 'environments/tenants.ts';
  let text = edits.read(tenants);
  let copied = 0;
  for (let at = text.indexOf('allocations: {'); at >= 0; at = text.indexOf('allocations: {', at + 1)) {
    const open = at + 'allocations: '.length;
    const close = matchingClose(text, open);
    const body = text.slice(open, close);
    const entry = new RegExp(`\\n(\\s*)(?:${escape(from)}|'${escape(from)}'): `).exec(body);
    if (!entry) continue;
    const valueStart = open + entry.index + entry[0].length;
    const valueEnd =
      text[valueStart] === '{' ? matchingClose(text, valueStart) + 1 : text.indexOf(',', valueStart);
    const value = text.slice(valueStart, valueEnd);
    const indent = entry[1]!;
    const insert = `\n${indent}// ${name}: copied from ${from} by npm run new-env; review it.\n${indent}${keyOf(name)}: ${value},`;
    const after = text[valueEnd] === ',' ? valueEnd + 1 : valueEnd;
    text = `${text.slice(0, after)}${insert}${text.slice(after)}`;
    copied++;
  }
  edits.files.set(tenants, text);
  done.push(
    `${tenants}: ${copied} tenant allocations for ${name}, copied from ${from} and marked for review`,
  );

  // 4. GitHub Actions: the deploy jobs (and a promotion guard for a prod environment) and the pull-request matrix.
  const deploy = '.github/workflows/deploy.yml';
  const jobHead = /^ {2}[\w-]+:$/;
  const envJob = (env: string) => (block: string) =>
    block.includes('uses: ./.github/workflows/terraform-environment.yml') &&
    new RegExp(`\\n {6}environment: ${escape(env)}\\n`).test(`${block}\n`);
  const guardId = `promotion-guard-${name}`;
  if (stage === 'prod') {
    addAfterBlock(
      edits,
      deploy,
      jobHead,
      (block) => new RegExp(`--to ${escape(sameStage.name)}\\b`).test(block),
      (block) =>
        block
          .replace(/^ {2}[\w-]+:/, `  ${guardId}:`)
          .replace(new RegExp(`--to ${escape(sameStage.name)}\\b`, 'g'), `--to ${name}`)
          .replace(new RegExp(`→ ${escape(sameStage.name)}\\b`, 'g'), `→ ${name}`),
      `promotion guard job to ${sameStage.name}`,
    );
  }
  addAfterBlock(
    edits,
    deploy,
    jobHead,
    envJob(sameStage.name),
    (block) => {
      const copy = block
        .replace(/^ {2}[\w-]+:/, `  ${name}:`)
        .replace(/\n {6}environment: \S+/, `\n      environment: ${name}`);
      return stage === 'prod' ? copy.replace(/\n {4}needs: \S+/, `\n    needs: ${guardId}`) : copy;
    },
    `deploy job of ${sameStage.name}`,
  );
  const pullRequest = '.github/workflows/pull-request.yml';
  edits.replaceOnce(
    pullRequest,
    /(\n\s+environment: \[)([^\]]*)\]/,
    `$1$2, ${name}]`,
    'matrix.environment list',
  );
  if (stage === 'prod') {
    edits.replaceOnce(
      pullRequest,
      new RegExp(`(\\n(\\s+)- \\{ from: ([\\w-]+), to: ${escape(sameStage.name)} \\})`),
      `$1\n$2- { from: $3, to: ${name} }`,
      `promotion-guard matrix entry to ${sameStage.name}`,
    );
  }
  done.push(`${deploy}, ${pullRequest}: ${name} planned on pull requests and deployed on main`);

  // 5. Azure DevOps: the plan job on pull requests, the environment's stages and a promotion guard for prod.
  const ado = 'azure-pipelines.yml';
  const id = adoIdOf(name);
  const adoGuard = `promotion_guard_${id}`;
  // A guard on main also reads the source environment's verification report (verificationArgs); one on a pull
  // request has none to read.
  const guardParameters = (indent: string, fromEnv: string, verified: boolean) =>
    `\n${indent}  parameters:\n${indent}    from: ${fromEnv}\n${indent}    to: ${name}` +
    (verified
      ? `\n${indent}    verificationArgs: --verification verification/${fromEnv}\n${indent}    evaluationArgs: --evaluation evaluation/${fromEnv}.json`
      : '');
  const withParameters = (block: string, fromEnv: string) =>
    block.replace(
      /\n(\s*)- template: \.azure-pipelines\/promotion-guard-steps\.yml((?:\n\s+parameters:)?(?:\n\s+(?:from|to|verificationArgs|evaluationArgs): [^\n]+)*)/,
      (_, indent: string, parameters: string) =>
        `\n${indent}- template: .azure-pipelines/promotion-guard-steps.yml${guardParameters(
          indent,
          fromEnv,
          /verificationArgs:/.test(parameters),
        )}`,
    );
  addAfterBlock(
    edits,
    ado,
    /^ {6}- (template|job): /,
    (block) =>
      block.includes('plan-job.yml') && new RegExp(`environment: ${escape(sameStage.name)}$`).test(block),
    (block) => block.replace(/environment: \S+$/, `environment: ${name}`),
    `pull-request plan job of ${sameStage.name}`,
  );
  if (stage === 'prod') {
    const fromEnv = staging?.name ?? 'staging';
    addAfterBlock(
      edits,
      ado,
      /^ {6}- (template|job): /,
      // The pull-request stage's guard job (the main guard stage's job is displayed as the command).
      (block) => /^ {6}- job: promotion_guard$/m.test(block) && /displayName: promotion guard/.test(block),
      (block) =>
        withParameters(block.replace(/- job: promotion_guard$/m, `- job: ${adoGuard}`), fromEnv).replace(
          /→ \S+/,
          `→ ${name}`,
        ),
      'pull-request promotion_guard job',
    );
    addAfterBlock(
      edits,
      ado,
      /^ {2}- (stage|template): /,
      (block) => /^ {2}- stage: promotion_guard$/m.test(block),
      (block) =>
        withParameters(block.replace(/- stage: promotion_guard$/m, `- stage: ${adoGuard}`), fromEnv)
          .replace(/→ \S+/, `→ ${name}`)
          .replace(/--to \S+/, `--to ${name}`)
          .replace(/--from \S+/, `--from ${fromEnv}`)
          .replace(/dependsOn: \S+/, `dependsOn: ${adoIdOf(fromEnv)}_evaluate`),
      'promotion_guard stage',
    );
  }
  addAfterBlock(
    edits,
    ado,
    /^ {2}- (stage|template): /,
    (block) =>
      block.includes('terraform-environment.yml') &&
      new RegExp(`\\n\\s+environment: ${escape(sameStage.name)}\\n`).test(`${block}\n`),
    (block) => {
      const copy = block.replace(/(\n\s+environment: )\S+/, `$1${name}`);
      return stage === 'prod' ? copy.replace(/(\n\s+dependsOn: )\S+/, `$1${adoGuard}`) : copy;
    },
    `terraform-environment stages of ${sameStage.name}`,
  );
  done.push(`${ado}: ${name} planned on pull requests and deployed on main`);

  // 6. Continuous evaluation: a copy of an environment with `evaluation.continuous` has it too, so both scheduled
  // pipelines evaluate it.
  if (source.continuousEvaluation) {
    const scheduled = [
      ['.github/workflows/continuous-evaluation.yml', /(\n\s+environment: \[)([^\]]*)\]/],
      ['.azure-pipelines/continuous-evaluation.yml', /(\n\s+default: \[)([^\]]*)\]/],
    ] as const;
    for (const [file, list] of scheduled) {
      edits.replaceOnce(file, list, `$1$2, ${name}]`, 'list of environments with continuous evaluation');
    }
    done.push(`${scheduled.map(([file]) => file).join(', ')}: ${name} evaluated from its logs every day`);
  }

  if (edits.problems.length > 0) {
    throw new ScriptError(
      `new-env changed nothing: ${edits.problems.length} edits did not find what they expected:\n${edits.problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
  }
  const manual = [
    `Create the state container: scripts/bootstrap-state ... --container ${container} --writer <deploy identity> --reader <plan identity> (see "Deploying with remote state").`,
    `Create the identities: a plan identity and a deploy identity for ${name}, with federated credentials for the GitHub environments ${name}-plan and ${name}, and the Azure DevOps service connections lz-${name}-plan and lz-${name}-deploy; a verify identity for the GitHub environment ${name}-verify and the service connection lz-${name}-verify (README, Verifying a deployment).`,
    ...(source.continuousEvaluation
      ? [
          `Create the evaluation identity of ${name} (evaluation.continuous.runnerPrincipalId) with a federated credential for the GitHub environment ${name}-evaluate and the Azure DevOps service connection and variable group lz-${name}-evaluate (README, GenAIOps).`,
        ]
      : []),
    `Create the GitHub environments ${name}-plan and ${name}${stage === 'dev' ? '' : ' (required reviewers on the latter)'}, and the Azure DevOps environments ${name}-plan and ${name} (Exclusive Lock${stage === 'dev' ? '' : ', Approvals'}).`,
    `Review environments/${name}.ts (regions, address spaces, capacity, tags) and the allocations marked "copied from ${from}" in environments/tenants.ts.`,
    'Run npm run regen (synth, audit, schema, snapshots) and npm test; review the diff.',
  ];
  return { files: edits.files, manual, done };
}

/** Writes the plan's files under `root`; the environment file must not exist (checked before). */
export function applyNewEnvironment(root: string, plan: NewEnvironmentPlan): void {
  for (const [file, text] of plan.files) writeFileSync(join(root, file), text);
}
