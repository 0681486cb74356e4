/**
 * Literal text stays literal: the aspect escapes every template sequence that did not come from a token, exactly, and
 * leaves references alone.
 */
import { Aspects, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AzapiProvider, AzapiResource } from '../../../constructs/shared/azapi';
import { LiteralStringsAspect } from '../../../constructs/shared/literal';
import { escapeTemplate, readTemplate } from '../../../constructs/shared/template';

describe('escapeTemplate and readTemplate', () => {
  it('round-trip any text exactly, with no interpolation left', () => {
    const text = fc.string({ unit: fc.constantFrom(...'$%{}~"\\ ab'.split('')), maxLength: 40 });
    fc.assert(
      fc.property(text, (s) => {
        expect(readTemplate(escapeTemplate(s))).toEqual({ text: s, sequences: [] });
      }),
      { seed: 22, numRuns: 2000 },
    );
  });

  it('reads Terraform’s escapes and template sequences as its scanner does', () => {
    expect(readTemplate('a $${x} %%{y} $$$${z}')).toEqual({ text: 'a ${x} %{y} $$${z}', sequences: [] });
    expect(readTemplate('${azurerm_x.y.id}/sub %{ if a }b%{ endif }').sequences).toEqual([
      '${azurerm_x.y.id}',
      '%{ if a }',
      '%{ endif }',
    ]);
    expect(readTemplate('$$${var.x}')).toEqual({ text: '$${var.x}', sequences: [] });
    expect(readTemplate('${jsonencode({a = "}"})}!').sequences).toEqual(['${jsonencode({a = "}"})}']);
  });
});

function synth(build: (stack: TerraformStack) => void): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzapiProvider(stack, 'azapi');
  build(stack);
  Aspects.of(stack).add(new LiteralStringsAspect());
  return JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
}

function body(json: Record<string, unknown>, id: string): Record<string, unknown> {
  return (json['resource'] as Record<string, Record<string, Record<string, unknown>>>)['azapi_resource']![
    id
  ]!;
}

describe('LiteralStringsAspect', () => {
  const hostile = '${file("/etc/passwd")} %{ if true }x%{ endif } $${already} end$';

  it('writes config text escaped in values and map keys, so that Terraform reads the text itself', () => {
    const json = synth((stack) => {
      new AzapiResource(stack, 'Thing', {
        type: 'Microsoft.Test/things@2024-01-01',
        name: 'thing',
        parentId: '/subscriptions/x',
        body: { properties: { note: hostile, [`\${key}`]: ['%{a}', { deep: hostile }] } },
      });
    });
    const config = body(json, 'Thing');
    const properties = (config['body'] as { properties: Record<string, unknown> }).properties;
    expect(readTemplate(properties['note'] as string)).toEqual({ text: hostile, sequences: [] });
    expect(Object.keys(properties).sort()).toEqual(['$${key}', 'note']);
    expect(properties['$${key}']).toEqual(['%%{a}', { deep: escapeTemplate(hostile) }]);
  });

  it('keeps references and variables as expressions, also next to escaped text and after a literal $', () => {
    const json = synth((stack) => {
      const first = new AzapiResource(stack, 'First', {
        type: 'Microsoft.Test/things@2024-01-01',
        name: 'first',
        parentId: '/subscriptions/x',
        body: {},
      });
      const secret = new TerraformVariable(stack, 'secret', { type: 'string', sensitive: true });
      new AzapiResource(stack, 'Second', {
        type: 'Microsoft.Test/things@2024-01-01',
        name: 'second',
        parentId: first.id,
        body: {
          properties: {
            mixed: `\${literal} ${first.id} %{x} ${secret.stringValue}`,
            dollar: `price $${first.id}`,
          },
        },
      });
    });
    const config = body(json, 'Second');
    expect(config['parent_id']).toBe('${azapi_resource.First.id}');
    const properties = (config['body'] as { properties: Record<string, string> }).properties;
    const mixed = readTemplate(properties['mixed']!);
    expect(mixed.sequences).toEqual(['${azapi_resource.First.id}', '${var.secret}']);
    expect(mixed.text).toBe('${literal}  %{x} ');
    // A `$` right before a reference is written as the expression ${"$"}: Terraform reads "price $" + the id.
    const dollar = readTemplate(properties['dollar']!);
    expect(dollar.sequences).toEqual(['${"$"}', '${azapi_resource.First.id}']);
    expect(dollar.text).toBe('price ');
  });

  it('leaves a plan without template sequences byte-identical', () => {
    const build = (stack: TerraformStack) => {
      new AzapiResource(stack, 'Plain', {
        type: 'Microsoft.Test/things@2024-01-01',
        name: 'plain',
        parentId: '/subscriptions/x',
        body: { properties: { a: 'b', c: [1, 'd'] } },
      });
    };
    const plain = new TerraformStack(Testing.app(), 'test');
    new AzapiProvider(plain, 'azapi');
    build(plain);
    expect(JSON.stringify(synth(build))).toBe(JSON.stringify(JSON.parse(Testing.synth(plain))));
  });
});
