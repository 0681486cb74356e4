import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderXml } from '../../constructs/ai-gateway/policies/xml';
import { tokenLimit } from '../../constructs/ai-gateway/policies/llm';
import { auditFiles, writeAudit } from '../../scripts/lib/audit';
import { auditEnvironment, tenantRows } from '../../scripts/lib/audit/model';
import { markerText, OUTPUT_MARKER } from '../../stacks/output-dir';
import { runCommand } from '../helpers/run';
import { main as auditCommand } from '../../scripts/audit';
import { EXAMPLE_ENVIRONMENTS } from '../../environments';
import { StackPlan } from '../../constructs/shared/plan';
import { RawResource } from '../helpers/policy';
import { synthesizeStack } from '../helpers/synth';
import { copyOfExamples, examplesOutdir } from '../helpers/examples';
import { Testing, TerraformStack } from 'cdktf';

let outdir: string;
let files: Map<string, string>;

// A synth of the three examples: a few seconds, more on a busy machine than the default hook timeout allows.
beforeAll(() => {
  outdir = examplesOutdir();
  files = auditFiles(outdir);
}, 60_000);

describe('npm run audit', () => {
  it('keeps the committed reports in audit/ up to date with a fresh synth of the examples', () => {
    expect(readdirSync('audit').sort()).toEqual([OUTPUT_MARKER, ...files.keys()].sort());
    expect(readFileSync(join('audit', OUTPUT_MARKER), 'utf8')).toBe(markerText('audit'));
    for (const [name, content] of files) {
      expect(
        readFileSync(join('audit', name), 'utf8') === content,
        `audit/${name} is stale: run npm run synth && npm run audit`,
      ).toBe(true);
    }
  });

  it('gives byte-identical reports for the same plan', () => {
    const again = auditFiles(outdir);
    expect([...again.entries()]).toEqual([...files.entries()]);
  });

  it('writes one md per environment and one self-contained html with a diagram per environment', () => {
    const html = files.get('index.html')!;
    const names = Object.keys(EXAMPLE_ENVIRONMENTS);
    expect([...files.keys()]).toEqual([...names.map((name) => `${name}.md`), 'index.html']);
    expect(html.match(/<svg /g)).toHaveLength(names.length);
    expect(html).not.toMatch(/<script|<link |src="http|href="http/);
  });

  it('lists what is reachable from the internet with the reason written in config or code', () => {
    const prod = files.get('prod.md')!;
    expect(prod).toMatch(
      /\| pip-cx-genai-prd-sdc-apim \| public IP \| Standard address attached to apim-cx-genai-prd-sdc \| Zonal VNet injection/,
    );
    const dev = files.get('dev.md')!;
    expect(dev).toMatch(
      /\| kvcxgenaidevsdc \| Key Vault \| public endpoint; firewall default Deny; Entra ID only \| Developers call the dev gateway from laptops/,
    );
    expect(files.get('staging.md')).toContain('Nothing is reachable from the internet.');
  });

  it('shows each tenant with its token limit, its keys scoped to it, and what its identity can reach', () => {
    const prod = files.get('prod.md')!;
    for (const tenant of ['legal', 'marketing', 'research']) {
      expect(prod).toMatch(
        new RegExp(
          `\\| ${tenant} \\| azure-openai \\| 1 \\(active\\) \\| \\d+ tokens/min, \\d+ per Monthly, by .* \\| off \\| (Azure AI User on proj-\\S+-t-${tenant} .*)?Key Vault Secrets User on apim-key-${tenant} .*Storage Blob Data Contributor on tenant-${tenant} `,
        ),
      );
    }
  });

  it('says "no tenants" for a plan without products', () => {
    const audit = auditEnvironment({
      name: 'empty',
      plan: new StackPlan('empty', { resource: {} }),
      policy: {
        version: 1,
        stack: 'empty',
        facts: {},
        downgraded: {},
        rules: [],
        notAdopted: [],
        results: [],
        unusedSuppressions: [],
        problems: [],
      },
    });
    expect(audit.sections.find((s) => s.id === 'tenants')?.intro).toMatch(
      /^No tenants: the plan defines no API Management product yet\./,
    );
  });

  it('lists the differences between staging and prod', () => {
    expect(files.get('prod.md')).toMatch(/\| gateway SKU \| StandardV2_1 \| Premium_3 \| differs \|/);
  });

  it('fails in one sentence, writing nothing, when cdktf.out is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-audit-'));
    const result = runCommand(auditCommand, ['--outdir', join(dir, 'nothing'), '--out', join(dir, 'audit')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/has no manifest\.json: run `npm run synth` first\./);
    expect(existsSync(join(dir, 'audit'))).toBe(false);
  });

  it('fails in one sentence, writing nothing, when a policy report is corrupt', () => {
    const copy = copyOfExamples();
    const dir = join(copy, '..');
    writeFileSync(join(copy, 'stacks', 'dev', 'policy.json'), '{"version": 1, "results": [');
    const result = runCommand(auditCommand, ['--outdir', copy, '--out', join(dir, 'audit')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/policy\.json is not valid JSON .*: run `npm run synth` again\.\n$/);
    expect(existsSync(join(dir, 'audit'))).toBe(false);
    rmSync(join(copy, 'stacks', 'dev', 'policy.json'));
    expect(runCommand(auditCommand, ['--outdir', copy, '--out', join(dir, 'audit')]).stderr).toMatch(
      /policy\.json is missing/,
    );
  });
});

describe('the audit directory', () => {
  it('is refused in one sentence when the audit does not own it, and nothing is written or deleted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-audit-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'guide.md'), 'mine');
    for (const out of [join(dir, 'docs'), outdir]) {
      const result = runCommand(auditCommand, ['--outdir', outdir, '--out', out]);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(
        /^audit refuses --out [^\n]*: it (is not empty and has no \.lz-output\.json of audit \(if it is audit's output from before the marker, remove it yourself\)|holds the output of synth); [^\n]*\.\n$/,
      );
    }
    expect(readdirSync(join(dir, 'docs'))).toEqual(['guide.md']);
    expect(readdirSync(outdir).sort()).toEqual([OUTPUT_MARKER, 'manifest.json', 'stacks']);
  });

  it('never drops a report silently: it refuses, or with --prune says what it removed and what it left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lz-audit-'));
    const out = join(dir, 'audit');
    writeAudit(outdir, out);
    const before = readdirSync(out).sort();
    // An output without staging: prod's comparison with staging cannot be made, staging.md would go.
    const withoutStaging = join(dir, 'cdktf.out');
    cpSync(outdir, withoutStaging, { recursive: true });
    rmSync(join(withoutStaging, 'stacks', 'staging'), { recursive: true });
    const manifest = JSON.parse(readFileSync(join(withoutStaging, 'manifest.json'), 'utf8'));
    delete manifest.stacks.staging;
    writeFileSync(join(withoutStaging, 'manifest.json'), JSON.stringify(manifest));

    expect(() => writeAudit(withoutStaging, out)).toThrow(
      `${withoutStaging} has no stack for ${out}/staging.md: synthesize that environment (npm run synth), or pass --prune to remove its report.`,
    );
    expect(readdirSync(out).sort()).toEqual(before);

    const result = runCommand(auditCommand, ['--outdir', withoutStaging, '--out', out, '--prune']);
    expect(result.status).toBe(0);
    expect(result.stderr.split('\n')).toEqual(
      expect.arrayContaining([
        'audit: prod.md has no comparison with staging: the output holds no environment of stage staging (npm run synth writes them all)',
        `audit: removed ${out}/staging.md: ${withoutStaging} has no stack for it (--prune)`,
      ]),
    );
    expect(readdirSync(out).sort()).toEqual(before.filter((file) => file !== 'staging.md'));
  });
});

describe('tenant isolation matrix', () => {
  it('fills in from products, their policies and subscriptions', () => {
    const stack = new TerraformStack(Testing.app(), 'tenants');
    const product = new RawResource(stack, 'Product', 'azurerm_api_management_product', {
      product_id: 'tenant-a',
      api_management_name: 'apim',
    });
    new RawResource(stack, 'ProductPolicy', 'azurerm_api_management_product_policy', {
      product_id: product.ref('product_id'),
      api_management_name: 'apim',
      xml_content: `<policies><inbound><base />${renderXml(tokenLimit({ counterKey: '@(context.Subscription.Id)', tokensPerMinute: 5000, quota: { tokens: 1000000, period: 'Monthly' } }))}</inbound></policies>`,
    });
    new RawResource(stack, 'ProductApi', 'azurerm_api_management_product_api', {
      product_id: product.ref('product_id'),
      api_name: 'azure-openai',
    });
    new RawResource(stack, 'Subscription', 'azurerm_api_management_subscription', {
      product_id: product.ref(),
      state: 'active',
      allow_tracing: false,
    });
    const rows = tenantRows(synthesizeStack(stack).plan);
    expect(rows).toEqual([
      [
        'tenant-a',
        'azure-openai',
        '1 (active)',
        '5000 tokens/min, 1000000 per Monthly, by @(context.Subscription.Id)',
        'off',
        'none',
        'none',
      ],
    ]);
  });
});
