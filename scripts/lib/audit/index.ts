/**
 * The audit: reads cdktf.out, builds every report in memory, and only then replaces the output directory, so that a
 * failure writes nothing.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { architectureSvg } from './diagram';
import { indexHtml } from './html';
import { environmentMarkdown } from './markdown';
import { auditEnvironment, differences } from './model';
import { readAuditInput } from './read';

/** File name → content, for every file of the report. */
export function auditFiles(outdir: string): Map<string, string> {
  const stacks = readAuditInput(outdir);
  const staging = stacks.find((s) => s.policy.facts['stage'] === 'staging');
  const prod = stacks.find((s) => s.policy.facts['stage'] === 'prod');
  const diff = staging && prod ? differences(staging, prod) : undefined;
  const audits = stacks.map((stack) => ({ stack, audit: auditEnvironment(stack), svg: architectureSvg(stack) }));
  const files = new Map<string, string>();
  for (const { stack, audit } of audits) {
    files.set(`${stack.name}.md`, environmentMarkdown(audit, diff && (stack === staging || stack === prod) ? [diff] : []));
  }
  files.set('index.html', indexHtml(audits, diff));
  return files;
}

/** Writes the report into `target`, replacing it whole once everything is built. */
export function writeAudit(outdir: string, target: string): string[] {
  const files = auditFiles(outdir);
  const destination = resolve(target);
  mkdirSync(dirname(destination), { recursive: true });
  const staging = mkdtempSync(join(dirname(destination), `.${basename(destination)}.tmp-`));
  try {
    for (const [name, content] of files) writeFileSync(join(staging, name), content);
    rmSync(destination, { recursive: true, force: true });
    renameSync(staging, destination);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return [...files.keys()];
}
