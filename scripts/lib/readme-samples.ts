/**
 * The README's samples of command output, each after a marker line (`<!-- regen: <id> -->`) and in a ```text block:
 * the quota plan, the cost plan, the routing table, an excerpt of the data-path proof and the answer to a broken config, all of the
 * `prod` environment. `npm run regen` rewrites them from the real commands; the README test compares them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main as synth } from '../../stacks/cli';
import { main as costs } from '../costs';
import { main as paths } from '../paths';
import { main as quota } from '../quota';
import { main as routes } from '../routes';
import { type CommandMain, execute } from './cli';
import { exportText, shippedInput } from './export';

/** The environment the README's samples show. */
export const README_SAMPLE_ENVIRONMENT = 'prod';

export const README_SAMPLES = ['quota', 'costs', 'routes', 'paths', 'prod-broken'] as const;
export type ReadmeSampleId = (typeof README_SAMPLES)[number];

/** Where the samples come from: the synthesized output. */
export interface SampleSource {
  readonly outdir: string;
}

/** The edits that make `prod-broken.json` out of the shipped prod: a misspelt tag and public access in prod. */
export const PROD_BROKEN_PATCH = {
  tags: { costcenter: 'CC-1' },
  network: { publicNetworkAccess: { enabled: true, reason: 'Opened for the partner demo next week.' } },
} as const;

/** Runs a command in this process, as `npm run <command>` would, and returns what it printed. */
function run(main: CommandMain, args: readonly string[]): { stdout: string; stderr: string } {
  const printed = { stdout: '', stderr: '' };
  execute(main, args, {
    stdout: { write: (text: string) => (printed.stdout += text) },
    stderr: { write: (text: string) => (printed.stderr += text) },
    env: process.env,
  });
  return printed;
}

const tableRows = (text: string) => text.split('\n').filter((line) => line.startsWith('| '));
const isRule = (row: string) => /^\| -+:? \|/.test(row);
/** A data-path row's key: its caller and callee. */
const pathKey = (row: string) => row.split(' | ').slice(0, 2).join(' | ');

/** The text of the sample's block as the command prints it now; `current` is the block the README holds. */
export function renderSample(id: ReadmeSampleId, source: SampleSource, current = ''): string {
  const env = README_SAMPLE_ENVIRONMENT;
  switch (id) {
    case 'quota':
      return `${run(quota, ['--env', env]).stdout.trim()}\n`;
    case 'costs':
      return `${run(costs, ['--outdir', source.outdir, '--env', env]).stdout.trim()}\n`;
    case 'routes':
      return `${tableRows(run(routes, ['--outdir', source.outdir, '--env', env]).stdout).join('\n')}\n`;
    case 'paths': {
      // An excerpt: the rows the README chose (by caller and callee), as the proof prints them now.
      const rows = tableRows(run(paths, ['--outdir', source.outdir, '--env', env]).stdout);
      const [header, ...body] = rows.filter((row) => !isRule(row));
      const byKey = new Map(body.map((row) => [pathKey(row), row]));
      const chosen = tableRows(current)
        .slice(1)
        .map((row) => byKey.get(pathKey(row)))
        .filter((row): row is string => row !== undefined);
      return `${[header, ...(chosen.length > 0 ? chosen : body.slice(0, 4))].join('\n')}\n`;
    }
    case 'prod-broken': {
      const dir = mkdtempSync(join(tmpdir(), 'lz-prod-broken-'));
      try {
        const input = { ...shippedInput(env) } as Record<string, unknown>;
        const tags = input['tags'] as Record<string, unknown>;
        const network = (input['network'] ?? {}) as Record<string, unknown>;
        const broken = {
          ...input,
          tags: { ...tags, ...PROD_BROKEN_PATCH.tags },
          network: { ...network, ...PROD_BROKEN_PATCH.network },
        };
        writeFileSync(
          join(dir, 'prod-broken.json'),
          exportText(broken as never, 'json', './environments/schema.json'),
        );
        // As run from the directory that holds the file: the answer names the paths as the user typed them.
        const result = run(synth, [
          '--config',
          join(dir, 'prod-broken.json'),
          '--outdir',
          join(dir, 'cdktf.out'),
        ]);
        return `$ npm run synth -- --config prod-broken.json\n${result.stderr.replaceAll(`${dir}/`, '')}`;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

const markerOf = (id: ReadmeSampleId) => `<!-- regen: ${id} -->`;

/** The block after a sample's marker: its text and where it sits; undefined when the README has no such marker. */
export function sampleBlock(
  readme: string,
  id: ReadmeSampleId,
): { text: string; start: number; end: number } | undefined {
  const found = new RegExp(`${markerOf(id)}\\n\\n?\`\`\`text\\n`).exec(readme);
  if (!found) return undefined;
  const start = found.index + found[0].length;
  const end = readme.indexOf('\n```', start - 1) + 1;
  return { text: readme.slice(start, end), start, end };
}

/** The README with every sample rewritten from the real commands, and the ids it could not find. */
export function regenerateSamples(readme: string, source: SampleSource): { text: string; missing: string[] } {
  let text = readme;
  const missing: string[] = [];
  for (const id of README_SAMPLES) {
    const block = sampleBlock(text, id);
    if (!block) {
      missing.push(id);
      continue;
    }
    text = `${text.slice(0, block.start)}${renderSample(id, source, block.text)}${text.slice(block.end)}`;
  }
  return { text, missing };
}
