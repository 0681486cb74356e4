/**
 * A small, strict reader for API Management policy documents: elements, attributes and text, enough for rules that
 * look for `<base />`, `<llm-token-limit>` or `<cors>`. It rejects what is not well-formed, so a rule can say so
 * instead of guessing. (The gateway renders its policies with `constructs/ai-gateway/policies/xml.ts`, which
 * escapes everything.)
 */

export interface ParsedXmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly ParsedXmlElement[];
  readonly text: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const ENTITY = /^(?:#x[0-9a-f]+|#[0-9]+|[a-z]+)$/i;

/** `&name;`, `&#10;` and `&#x0A;` decoded, left to right, each once; an unknown name stays as it is. */
function decode(value: string): string {
  let at = value.indexOf('&');
  if (at < 0) return value;
  let decoded = '';
  let from = 0;
  while (at >= 0) {
    const end = value.indexOf(';', at + 1);
    if (end < 0) break;
    const entity = value.slice(at + 1, end);
    if (!ENTITY.test(entity)) {
      at = value.indexOf('&', at + 1);
      continue;
    }
    const text =
      entity[0] !== '#'
        ? Object.hasOwn(ENTITIES, entity)
          ? ENTITIES[entity]!
          : `&${entity};`
        : String.fromCodePoint(
            entity[1] === 'x' || entity[1] === 'X'
              ? parseInt(entity.slice(2), 16)
              : parseInt(entity.slice(1), 10),
          );
    decoded += value.slice(from, at) + text;
    from = end + 1;
    at = value.indexOf('&', from);
  }
  return decoded + value.slice(from);
}

/** Parses a document; throws an Error that says where it is not well-formed. */
export function parseXml(source: string): ParsedXmlElement {
  let at = 0;
  const stack: {
    name: string;
    attributes: Record<string, string>;
    children: ParsedXmlElement[];
    text: string;
  }[] = [];
  let root: ParsedXmlElement | undefined;
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  const attribute = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  while (at < source.length) {
    if (source.startsWith('<?', at)) {
      const end = source.indexOf('?>', at);
      if (end < 0) throw new Error(`unterminated processing instruction at offset ${at}`);
      at = end + 2;
    } else if (source.startsWith('<!--', at)) {
      const end = source.indexOf('-->', at);
      if (end < 0) throw new Error(`unterminated comment at offset ${at}`);
      at = end + 3;
    } else if (source.startsWith('<![CDATA[', at)) {
      const end = source.indexOf(']]>', at);
      if (end < 0 || stack.length === 0) throw new Error(`misplaced CDATA at offset ${at}`);
      stack[stack.length - 1]!.text += source.slice(at + 9, end);
      at = end + 3;
    } else if (source[at] === '<') {
      tag.lastIndex = at;
      const match = tag.exec(source);
      if (!match) throw new Error(`malformed tag at offset ${at}`);
      const [whole, closing, name, attributeText, selfClosing] = match;
      at += whole.length;
      if (closing) {
        const open = stack.pop();
        if (!open || open.name !== name)
          throw new Error(`unexpected </${name}> at offset ${at - whole.length}`);
        const element: ParsedXmlElement = { ...open, text: open.text.trim() };
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]!.children.push(element);
        continue;
      }
      if (root || (stack.length === 0 && root !== undefined)) throw new Error('more than one root element');
      const attributes: Record<string, string> = {};
      for (const a of (attributeText ?? '').matchAll(attribute))
        attributes[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const element = { name: name!, attributes, children: [] as ParsedXmlElement[], text: '' };
      if (selfClosing) {
        if (stack.length === 0) root = element;
        else stack[stack.length - 1]!.children.push(element);
      } else stack.push(element);
    } else {
      const next = source.indexOf('<', at);
      const text = source.slice(at, next < 0 ? source.length : next);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element at offset ${at}`);
      } else stack[stack.length - 1]!.text += decode(text);
      at = next < 0 ? source.length : next;
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element below `root` (itself included) with this name, in document order. */
export function findAll(
  root: ParsedXmlElement,
  name: string,
  found: ParsedXmlElement[] = [],
): ParsedXmlElement[] {
  if (root.name === name) found.push(root);
  for (const child of root.children) findAll(child, name, found);
  return found;
}

/** The direct child with this name, if any. */
export function child(root: ParsedXmlElement, name: string): ParsedXmlElement | undefined {
  return root.children.find((c) => c.name === name);
}
