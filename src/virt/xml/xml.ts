// A small XML reader and writer for libvirt's own documents (domain,
// snapshot, pool, network XML): well-formed, no DTDs. Enough to parse what
// libvirt returns and to build what it accepts, with escaping done here once.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element (trimmed). */
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITIES[e]!);
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Parse a document and return its root element; throws on malformed input. */
export function parseXml(src: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const texts: string[][] = [];
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) break;
    if (lt > i && stack.length) texts[texts.length - 1]!.push(decodeEntities(src.slice(i, lt)));
    if (src.startsWith('<!--', lt)) { i = end(src, '-->', lt) + 3; continue; }
    if (src.startsWith('<?', lt)) { i = end(src, '?>', lt) + 2; continue; }
    if (src.startsWith('<![CDATA[', lt)) {
      const e = end(src, ']]>', lt);
      if (stack.length) texts[texts.length - 1]!.push(src.slice(lt + 9, e));
      i = e + 3;
      continue;
    }
    if (src.startsWith('<!', lt)) { i = end(src, '>', lt) + 1; continue; }
    const gt = end(src, '>', lt);
    const tag = src.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const el = stack.pop();
      if (!el || el.name !== name) throw new Error(`XML: unexpected </${name}>`);
      el.text = texts.pop()!.join('').trim();
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const nm = /^\s*([^\s/>]+)/.exec(body);
    if (!nm) throw new Error('XML: malformed tag');
    const el: XmlElement = { name: nm[1]!, attrs: {}, children: [], text: '' };
    const ar = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
    let m: RegExpExecArray | null;
    const rest = body.slice(nm[0].length);
    while ((m = ar.exec(rest))) el.attrs[m[1]!] = decodeEntities(m[3] ?? m[4] ?? '');
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else if (!root) root = el;
    else throw new Error('XML: more than one root element');
    if (!selfClosing) { stack.push(el); texts.push([]); }
  }
  if (stack.length) throw new Error(`XML: <${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('XML: no root element');
  return root;
}

function end(src: string, token: string, from: number): number {
  const e = src.indexOf(token, from);
  if (e < 0) throw new Error(`XML: unterminated ${src.slice(from, from + 12)}`);
  return e;
}

/** First child with this name (a path like "os/type" walks down). */
export function child(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const part of path.split('/')) {
    cur = cur?.children.find((c) => c.name === part);
    if (!cur) return undefined;
  }
  return cur;
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

export function textOf(el: XmlElement | undefined, path: string): string | undefined {
  const c = child(el, path);
  return c ? c.text : undefined;
}

/** A node for the writer: element name, attributes (undefined ones are left out), children or text. */
export type XmlNode = { name: string; attrs?: Record<string, string | number | boolean | undefined>; children?: (XmlNode | undefined | false)[]; text?: string | number };

export function x(name: string, attrs?: XmlNode['attrs'], ...kids: (XmlNode | string | number | undefined | false)[]): XmlNode {
  const text = kids.filter((k) => typeof k === 'string' || typeof k === 'number').join('');
  const nodes = kids.filter((k): k is XmlNode => typeof k === 'object' && k !== null);
  return { name, attrs, children: nodes, text: text === '' ? undefined : text };
}

export function renderXml(node: XmlNode, indent = ''): string {
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}='${escapeXml(String(v))}'`).join('');
  const kids = (node.children ?? []).filter((c): c is XmlNode => Boolean(c));
  if (!kids.length && node.text === undefined) return `${indent}<${node.name}${attrs}/>`;
  if (!kids.length) return `${indent}<${node.name}${attrs}>${escapeXml(String(node.text))}</${node.name}>`;
  return `${indent}<${node.name}${attrs}>\n${kids.map((c) => renderXml(c, `${indent}  `)).join('\n')}\n${indent}</${node.name}>`;
}
