/**
 * A small XML builder for API Management policies. Policies are composed from typed functions that return elements,
 * never from hand-edited strings, so that attribute values (policy expressions included) are always escaped and the
 * document is always well-formed.
 */

/** One XML element. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly children: readonly XmlNode[];
}
/** An element, or text content. */
export type XmlNode = XmlElement | { readonly text: string };

/** An element. Attributes set to `undefined` are left out. */
export function el(
  name: string,
  attributes: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ...children: readonly (XmlNode | false | undefined | readonly XmlNode[])[]
): XmlElement {
  return {
    name,
    attributes,
    children: children.flatMap((child) =>
      child === false || child === undefined ? [] : Array.isArray(child) ? child : [child as XmlNode],
    ),
  };
}

/** Text content, such as a header value or a policy expression inside an element. */
export function text(value: string): XmlNode {
  return { text: value };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Attribute values are double-quoted: escape the quote too. */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
}

function escapeText(value: string): string {
  return value.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

/** Renders the element with two-space indentation. */
export function renderXml(node: XmlNode, depth = 0): string {
  const pad = '  '.repeat(depth);
  if ('text' in node) return `${pad}${escapeText(node.text)}`;
  const attributes = Object.entries(node.attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`)
    .join('');
  if (node.children.length === 0) return `${pad}<${node.name}${attributes} />`;
  if (node.children.length === 1 && 'text' in node.children[0]!) {
    return `${pad}<${node.name}${attributes}>${escapeText(node.children[0].text)}</${node.name}>`;
  }
  return [
    `${pad}<${node.name}${attributes}>`,
    ...node.children.map((c) => renderXml(c, depth + 1)),
    `${pad}</${node.name}>`,
  ].join('\n');
}

/** A policy expression: `@(…)`. */
export function expr(code: string): string {
  return `@(${code})`;
}

/** A C# string literal for use inside a policy expression. */
export function csString(value: string): string {
  return JSON.stringify(value);
}
