/**
 * scripts/bootstrap-state: syntax, the commands it runs (dry run, no Azure), idempotency against a fake `az`, and
 * one-sentence errors.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = 'scripts/bootstrap-state';
const SUBSCRIPTION = '00000000-0000-4000-8000-000000000001';
const WRITER = '11111111-1111-4111-8111-111111111111';
const READER = '22222222-2222-4222-8222-222222222222';
const ARGS = [
  '--subscription',
  SUBSCRIPTION,
  '--location',
  'swedencentral',
  '--resource-group',
  'rg-cx-tfstate-sdc',
  '--storage-account',
  'stcxtfstatesdc',
  '--container',
  'tfstate-prod',
  '--writer',
  WRITER,
  '--reader',
  READER,
];

function run(args: string[], path = '/usr/bin:/bin') {
  return spawnSync('bash', [SCRIPT, ...args], { encoding: 'utf8', env: { PATH: path } });
}

describe('bootstrap-state', () => {
  it('is valid bash with strict mode', () => {
    expect(spawnSync('bash', ['-n', SCRIPT]).status).toBe(0);
    expect(readFileSync(SCRIPT, 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n[\s\S]*^set -euo pipefail$/m);
  });

  it('prints its usage with --help', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: scripts\/bootstrap-state --subscription/);
  });

  it('prints, in a dry run without az, every command that secures the state', () => {
    const dry = run([...ARGS, '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    const commands = dry.stdout.split('\n').filter((line) => line.startsWith('+ az '));
    const find = (prefix: string) => {
      const line = commands.find((c) => c.startsWith(`+ az ${prefix}`));
      expect(line, prefix).toBeDefined();
      return line!;
    };
    expect(find('group create')).toContain('--location swedencentral');
    const account = find('storage account create');
    for (const flag of [
      '--allow-shared-key-access false',
      '--min-tls-version TLS1_2',
      '--allow-blob-public-access false',
      '--https-only true',
      '--kind StorageV2',
      '--sku Standard_ZRS',
    ]) {
      expect(account).toContain(flag);
    }
    const blob = find('storage account blob-service-properties update');
    for (const flag of [
      '--enable-versioning true',
      '--enable-delete-retention true --delete-retention-days 30',
      '--enable-container-delete-retention true --container-delete-retention-days 30',
    ]) {
      expect(blob).toContain(flag);
    }
    expect(find('lock create')).toContain('--lock-type CanNotDelete');
    expect(find('storage container-rm create')).toMatch(/--name tfstate-prod --public-access off$/);
    const scope = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-cx-tfstate-sdc/providers/Microsoft.Storage/storageAccounts/stcxtfstatesdc/blobServices/default/containers/tfstate-prod`;
    const grants = commands.filter((c) => c.startsWith('+ az role assignment create'));
    expect(grants).toEqual([
      expect.stringMatching(
        new RegExp(
          `--assignee-object-id ${WRITER} .*Storage\\\\ Blob\\\\ Data\\\\ Contributor --scope ${scope}$`,
        ),
      ),
      expect.stringMatching(
        new RegExp(`--assignee-object-id ${READER} .*Storage\\\\ Blob\\\\ Data\\\\ Reader --scope ${scope}$`),
      ),
    ]);
  });

  it('updates what exists and grants only what is missing (a fake az that knows the account and the writer)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-az-'));
    const log = join(dir, 'calls');
    writeFileSync(
      join(dir, 'az'),
      `#!/usr/bin/env bash
printf '%s\\n' "$*" >> ${JSON.stringify(log)}
case "$*" in
  "storage account show"*) exit 0 ;;
  "role assignment list"*"--assignee ${WRITER}"*) echo 1 ;;
  "role assignment list"*) echo 0 ;;
esac
exit 0
`,
    );
    chmodSync(join(dir, 'az'), 0o755);
    const result = run(ARGS, `${dir}:/usr/bin:/bin`);
    expect(result.stderr).toContain(`for ${WRITER} on tfstate-prod: already assigned`);
    expect(result.status).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls.some((c) => c.startsWith('storage account update'))).toBe(true);
    expect(calls.some((c) => c.startsWith('storage account create'))).toBe(false);
    expect(calls.filter((c) => c.startsWith('role assignment create'))).toEqual([
      expect.stringContaining(`--assignee-object-id ${READER}`),
    ]);
  });

  it.each([
    [[], '--subscription is required.'],
    [['--subscription', 'abc'], '--subscription must be a subscription id (a GUID), got "abc".'],
    [
      [...ARGS.slice(0, 6), '--storage-account', 'St_1', '--container', 'x'],
      '--storage-account must be 3-24 lowercase letters and digits, got "St_1".',
    ],
    [[...ARGS, '--retention-days', '0'], '--retention-days must be a whole number from 1 to 365, got "0".'],
    [[...ARGS, '--writer', 'me'], '--writer and --reader take a principal object id (a GUID), got "me".'],
    [[...ARGS, '--frobnicate'], 'unknown option "--frobnicate".'],
    [ARGS, 'the Azure CLI (az) is not on PATH; install it, or look at the commands with --dry-run.'],
  ])('refuses %j in one sentence with exit code 2', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(`bootstrap-state: ${message}`);
    expect(result.stdout).toBe('');
  });
});
