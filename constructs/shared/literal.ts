/**
 * Config text reaches the plan as text, never as a Terraform expression.
 *
 * Terraform reads every string of a `*.tf.json` file as a template: `${…}` is evaluated and `%{…}` is a directive;
 * literal text escapes them as `$${` and `%%{` (Terraform: "JSON Configuration Syntax", string values are string
 * templates; "Strings and Templates", escape sequences). A tag value such as `${file("/etc/passwd")}` written
 * verbatim would be evaluated at plan time. cdktf escapes `${` only inside its own function expressions
 * (`Fn.rawString`), not in attribute values, and never `%{`.
 *
 * {@link LiteralStringsAspect} escapes the literal text of every string (and every map key) that a resource, data
 * source or provider writes, at the moment cdktf asks it for its Terraform JSON: what comes from a token (a reference
 * to another resource, a variable) stays an expression, everything else becomes text. A new config field is safe
 * without anyone remembering to escape it.
 */
import {
  type IAspect,
  type IResolvable,
  TerraformDataSource,
  type TerraformElement,
  TerraformProvider,
  TerraformResource,
  Token,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { escapeTemplate } from './template';

/** cdktf's marker of a string token inside a string: `${TfToken[TOKEN.12]}` (cdktf 0.21 `tokens/private/encoding`). */
const TOKEN_MARKER = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;
const TEMPLATE_START = /[$%]\{/;

/** A literal part of a string that also holds tokens: resolved as is, so cdktf never reads its `${` as an escape. */
class LiteralText implements IResolvable {
  readonly creationStack: string[] = [];
  constructor(private readonly text: string) {}
  resolve(): string {
    return this.text;
  }
  toString(): string {
    return Token.asString(this);
  }
}

/** One token per distinct literal: toTerraform runs several times per synth, the token map should not grow each time. */
const literalTokens = new Map<string, string>();

function literalToken(escaped: string): string {
  let token = literalTokens.get(escaped);
  if (token === undefined) {
    token = Token.asString(new LiteralText(escaped));
    literalTokens.set(escaped, token);
  }
  return token;
}

/** The string as Terraform must read it: literal parts escaped, token markers untouched. */
function literalString(value: string): string {
  if (value.indexOf('{') < 0 || !TEMPLATE_START.test(value)) return value;
  const markers = [...value.matchAll(TOKEN_MARKER)];
  if (markers.length === 0) return escapeTemplate(value);
  let result = '';
  let at = 0;
  for (const marker of [...markers, undefined]) {
    const end = marker ? marker.index : value.length;
    let literal = value.slice(at, end);
    // A `$` right before an interpolation would make Terraform read `$${` as an escape: write it as `${"$"}`.
    const dollarBeforeToken = marker !== undefined && literal.endsWith('$');
    if (dollarBeforeToken) literal = literal.slice(0, -1);
    if (TEMPLATE_START.test(literal)) result += literalToken(escapeTemplate(literal));
    else result += literal;
    if (dollarBeforeToken) result += literalToken('${"$"}');
    if (marker) result += marker[0];
    at = end + (marker ? marker[0].length : 0);
  }
  return result;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Escapes every string and map key of an element's unresolved Terraform JSON; tokens and numbers pass through. Copies
 * only what changes: on the hot path (every resource, several times per synth) nothing does.
 */
export function literalStrings(value: unknown): unknown {
  if (typeof value === 'string') return literalString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const escaped = literalStrings(item);
      if (escaped !== item) (copy ??= [...value])[i] = escaped;
    });
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value; // a token object (IResolvable): what it resolves to is an expression
  let copy: Record<string, unknown> | undefined;
  const entries = Object.entries(value);
  entries.forEach(([key, item], i) => {
    const escapedKey = literalString(key);
    const escaped = literalStrings(item);
    if (copy === undefined && escapedKey === key && escaped === item) return;
    if (copy === undefined) copy = Object.fromEntries(entries.slice(0, i));
    copy[escapedKey] = escaped;
  });
  return copy ?? value;
}

const ESCAPING = Symbol.for('genai-landing-zone.literal-strings');

/**
 * Makes every resource, data source and provider in scope write its literal text escaped. Registered on every stack
 * (`stacks/foundation.ts`). Backends, remote state and variables are left alone: Terraform does not evaluate backend
 * settings, and cdktf's remote state writes `${terraform.workspace}` on purpose.
 */
export class LiteralStringsAspect implements IAspect {
  visit(node: IConstruct): void {
    if (
      !TerraformResource.isTerraformResource(node) &&
      !TerraformDataSource.isTerraformDataSource(node) &&
      !TerraformProvider.isTerraformProvider(node)
    )
      return;
    const element = node as TerraformElement & { [ESCAPING]?: true };
    if (element[ESCAPING]) return;
    element[ESCAPING] = true;
    const toTerraform = element.toTerraform.bind(element);
    element.toTerraform = () => literalStrings(toTerraform()) as ReturnType<typeof toTerraform>;
  }
}
