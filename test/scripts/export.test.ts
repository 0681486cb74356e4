/**
 * `npm run export`: every environment the project loads, written as a config file, parses to the same environment
 * as its module, in both formats; the command refuses to replace a file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as exportCommand } from '../../scripts/export';
import { runCommand } from '../helpers/run';
import { EXAMPLE_ENVIRONMENTS, loadEnvironments, parseEnvironment } from '../../environments';
import { exportText, schemaReference, shippedInput } from '../../scripts/lib/export';

const dir = mkdtempSync(join(tmpdir(), 'lz-export-'));
const names = loadEnvironments({ rules: false }).map((env) => env.name);

describe.each(names)('%s', (name) => {
  it.each(['json', 'yaml'] as const)('as %s parses to the same environment as its module', (format) => {
    const file = join(dir, `${name}.${format}`);
    writeFileSync(file, exportText(shippedInput(name), format, schemaReference(file)));
    const { $schema: _fromFile, ...fromFile } = loadEnvironments({ configFiles: [file], rules: false })[0]!;
    const { $schema: _shipped, ...shipped } = parseEnvironment(EXAMPLE_ENVIRONMENTS[name], name, {
      rules: false,
    });
    expect(fromFile).toEqual(shipped);
    const text = readFileSync(file, 'utf8');
    if (format === 'json') expect(JSON.parse(text).$schema).toMatch(/environments\/schema\.json$/);
    else expect(text).toMatch(/^# yaml-language-server: \$schema=\S+environments\/schema\.json\n/);
  });
});

describe('the command', () => {
  const [name] = names;
  it('writes --out once, then refuses to replace it; an unknown environment names the known ones', () => {
    const out = join(dir, 'once.yaml');
    const first = runCommand(exportCommand, ['--env', name!, '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^# yaml-language-server/);
    const second = runCommand(exportCommand, ['--env', name!, '--out', out]);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toMatch(/refuses --out .*the file exists/);
    const unknown = runCommand(exportCommand, ['--env', 'nowhere']);
    expect(unknown.stderr).toContain(`unknown environment "nowhere"; expected one of: ${names.join(', ')}`);
  });
});
