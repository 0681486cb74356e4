/**
 * Hostile values in every string field of the schema, enumerated from the schema itself: each reaches the plan as the
 * literal text it is (Terraform evaluates nothing of it), or the schema refuses it with the field's path. Never a
 * crash, never an expression that did not come from the blueprint's own references.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../constructs/shared/template';
import { ConfigError, type Environment, parseEnvironment } from '../../environments';
import { formatPath } from '../../environments/errors';
import { EnvironmentShapeSchema } from '../../environments/schema';
import { synthesizeAtomically } from '../../stacks/synthesize';
import { everyFieldConfigs } from '../helpers/every-field';
import { type FieldInstance, fieldInstances, stringFields } from '../helpers/schema-fields';

const FIELDS = stringFields(EnvironmentShapeSchema);
const CONFIGS = everyFieldConfigs();

type Path = readonly (string | number)[];

/** A copy of `input` with each instance's value (or key) replaced. */
function withValues(input: unknown, replacements: ReadonlyMap<FieldInstance, string>): unknown {
  const copy = structuredClone(input);
  // Keys last and deepest first, so that a renamed key does not move the paths of the other replacements.
  const ordered = [...replacements].sort(
    ([a], [b]) => Number(a.kind === 'key') - Number(b.kind === 'key') || b.path.length - a.path.length,
  );
  for (const [instance, value] of ordered) {
    const parent = instance.path
      .slice(0, -1)
      .reduce<Record<string | number, unknown>>(
        (node, key) => node[key] as Record<string | number, unknown>,
        copy as Record<string, unknown>,
      );
    const last = instance.path[instance.path.length - 1]!;
    if (instance.kind === 'value') parent[last] = value;
    else {
      const entries = Object.entries(parent).map(([k, v]) => [k === last ? value : k, v] as const);
      for (const key of Object.keys(parent)) delete parent[key];
      // defineProperty: `parent["__proto__"] = v` would set the prototype, as no parser does.
      for (const [k, v] of entries)
        Object.defineProperty(parent, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

/** Where a problem about an instance can be reported: at its value or key, its original key, or below them. */
function locations(instance: FieldInstance, value: string): string[] {
  const at = [formatPath(instance.path as Path)];
  if (instance.kind === 'key') at.push(formatPath([...instance.path.slice(0, -1), value]));
  return at;
}

/** The paths that own a problem at `problemPath`: itself and each prefix that ends before a `.` or a `[`, longest first. */
function owningPaths(problemPath: string): string[] {
  const found = [problemPath];
  for (let i = problemPath.length - 1; i > 0; i--)
    if (problemPath[i] === '.' || problemPath[i] === '[') found.push(problemPath.slice(0, i));
  return found;
}

interface Fed {
  readonly env?: Environment;
  /** The value each accepted instance took. */
  readonly accepted: ReadonlyMap<FieldInstance, string>;
  /** Instances that refused every value they were offered. */
  readonly refused: number;
}

/**
 * Offers each instance its values in turn, all instances at once: an instance the schema refuses (the refusal must
 * name a fed field's path; the most specific one owns it) gets its next value, or drops out when none is left, until
 * the rest parses.
 */
function feed(input: unknown, offers: ReadonlyMap<FieldInstance, readonly string[]>): Fed {
  const next = new Map([...offers].map(([instance]) => [instance, 0]));
  const current = () =>
    new Map(
      [...next].flatMap(([instance, i]) =>
        i < offers.get(instance)!.length ? [[instance, offers.get(instance)![i]!]] : [],
      ),
    );
  for (let round = 0; round < 40; round++) {
    const active = current();
    if (active.size === 0) return { accepted: active, refused: offers.size };
    try {
      const env = parseEnvironment(withValues(input, active), 'hostile');
      return { env, accepted: active, refused: offers.size - active.size };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Each place a fed instance can be reported at, with the first instance (in feeding order) reported there.
      const at = new Map<string, FieldInstance>();
      for (const [instance, value] of active)
        for (const location of locations(instance, value)) if (!at.has(location)) at.set(location, instance);
      const owners = new Set<FieldInstance>();
      const traces: string[] = [];
      const unowned: string[] = [];
      for (const problem of error.problems) {
        if (/\n\s+at /.test(problem.message)) traces.push(`${problem.path}: ${problem.message}`);
        // The most specific fed place at or above the problem owns it.
        const owner = owningPaths(problem.path).find((path) => at.has(path));
        if (owner === undefined) unowned.push(`${problem.path}: ${problem.message}`);
        else owners.add(at.get(owner)!);
      }
      expect(traces, 'problems with a stack trace').toEqual([]);
      expect(unowned, 'problems at no fed field').toEqual([]);
      for (const owner of owners) next.set(owner, next.get(owner)! + 1);
    }
  }
  throw new Error('the schema kept refusing');
}

/** Every string in the JSON files under `dir`, values and keys. */
function planStrings(dir: string): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) {
        strings.push(key);
        walk(item);
      }
  };
  for (const stack of readdirSync(join(dir, 'stacks')))
    walk(JSON.parse(readFileSync(join(dir, 'stacks', stack, 'cdk.tf.json'), 'utf8')));
  return strings;
}

function synth(env: Environment): string[] {
  const dir = join(mkdtempSync(join(tmpdir(), 'lz-hostile-')), 'cdktf.out');
  synthesizeAtomically([env], dir);
  return planStrings(dir);
}

/** The fields whose fed value was found in a plan, over every run: the properties are not vacuous. */
const reachedFields = new Set<string>();

/** What the blueprint's own references look like: `${azurerm_x.y.id}`, `${var.oncall}`, `${data.x.y.outputs.z}`. */
const REFERENCE = /^\$\{[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+|\[\d+\])+\}$/;

describe('the configs the properties feed', () => {
  it('hold a value for every string field the schema has, and parse', () => {
    const covered = new Set(
      Object.values(CONFIGS).flatMap((input) => fieldInstances(input, FIELDS).map((i) => i.pattern)),
    );
    const missing = FIELDS.map((f) => f.join('/')).filter((f) => !covered.has(f));
    expect(missing, 'add a value of each new field to test/helpers/every-field.ts').toEqual([]);
    expect(FIELDS.length).toBeGreaterThan(150);
    for (const [name, input] of Object.entries(CONFIGS))
      expect(() => parseEnvironment(input, name)).not.toThrow();
  });
});

describe('every string field fed ${…}, %{…}, $${…} and literal text', () => {
  it.each(Object.keys(CONFIGS))(
    '%s: the plan holds it as literal text, or the schema refuses it with the field’s path',
    (name) => {
      const instances = fieldInstances(CONFIGS[name], FIELDS);
      // All three sequences first, then fewer (tag names refuse `%`), then one at a time. Each value keeps the rest of
      // the original text where it can, so that only the template sequences can be what is wrong.
      const offers = new Map(
        instances.map((instance, i) => {
          const m = `f${i}}`;
          const cores = [`\${${m}%{${m}$\${${m}`, `\${${m}$\${${m}`, `\${${m}`, `%{${m}`, `$\${${m}`];
          return [
            instance,
            cores.map((core) =>
              instance.value.length > core.length ? core + instance.value.slice(core.length) : core,
            ),
          ] as const;
        }),
      );
      const fed = feed(CONFIGS[name], offers);
      expect(fed.accepted.size).toBeGreaterThan(20);
      const strings = synth(fed.env!);
      // Terraform evaluates nothing but the blueprint's own references: no config text became an expression.
      expect(strings.flatMap((s) => readTemplate(s).sequences).filter((s) => !REFERENCE.test(s))).toEqual([]);
      // Every fed value that reaches the plan reads back as exactly the text it was.
      const texts = strings.map((s) => readTemplate(s).text).join('\n');
      let reached = 0;
      for (const [instance, value] of fed.accepted) {
        const marker = `f${instances.indexOf(instance)}}`;
        if (!texts.includes(marker)) continue;
        reached += 1;
        reachedFields.add(instance.pattern);
        expect(texts, `${formatPath(instance.path as Path)} = ${value}`).toContain(
          value.slice(0, value.lastIndexOf(marker) + marker.length),
        );
      }
      expect(reached).toBeGreaterThan(3);
    },
    60_000,
  );
});

describe('the fields fed', () => {
  it('reached the plan: tag names and values, display names, cost centers, blocklists, the publisher', () => {
    expect([...reachedFields]).toEqual(
      expect.arrayContaining([
        'tags/additional/{key}',
        'tags/additional/*',
        'tags/costCenter',
        'tenants/*/displayName',
        'tenants/*/costCenter',
        'endpoints/blocklists/*/terms/*',
        'endpoints/blocklists/*/patterns/*',
        'endpoints/blocklists/*/description',
        'gateway/publisher/name',
      ]),
    );
  });
});

describe.each(['constructor', '__proto__', '${TfToken[TOKEN.1]}'])(
  'every string field and key fed %s',
  (hostile) => {
    it.each(Object.keys(CONFIGS))('%s: refused with its path, never a crash', (name) => {
      const instances = fieldInstances(CONFIGS[name], FIELDS);
      // Values all at once; keys one per record and round, since two keys of one record cannot both take the name.
      const rounds: FieldInstance[][] = [instances.filter((i) => i.kind === 'value')];
      const keysByRecord = new Map<string, FieldInstance[]>();
      for (const key of instances.filter((i) => i.kind === 'key')) {
        const record = formatPath(key.path.slice(0, -1) as Path);
        keysByRecord.set(record, [...(keysByRecord.get(record) ?? []), key]);
      }
      for (const keys of keysByRecord.values()) keys.forEach((key, i) => (rounds[i + 1] ??= []).push(key));
      let refused = 0;
      for (const round of rounds) {
        const fed = feed(CONFIGS[name], new Map(round.map((instance) => [instance, [hostile]])));
        // Not one field took it: a config string named like an object member or a token never reaches a lookup.
        expect(fed.accepted.size).toBe(0);
        refused += fed.refused;
      }
      expect(refused).toBe(instances.length);
    });
  },
);
