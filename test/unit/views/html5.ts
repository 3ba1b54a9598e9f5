/**
 * Reads the issue page the way a browser does: with parse5, a complete HTML5 parser (a dev
 * dependency only). The sanitiser's tests compare trees, not strings, so that they check HTML
 * rather than the sanitiser's own idea of it.
 */
import { parse } from 'parse5';
import { mulberry32 } from '../../emulator/data';

export interface Node {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: Node[];
  parentNode?: Node | null;
}

export function parsePage(html: string): Node {
  return parse(html) as unknown as Node;
}

export function* walk(node: Node): Generator<Node> {
  yield node;
  for (const child of node.childNodes ?? []) yield* walk(child);
}

export function elements(root: Node): Node[] {
  return [...walk(root)].filter((n) => n.tagName !== undefined);
}

export function byId(root: Node, id: string): Node {
  const found = elements(root).find((n) => n.attrs?.some((a) => a.name === 'id' && a.value === id));
  if (!found) throw new Error(`no element #${id}`);
  return found;
}

/** The tag names from the document down to the node's parent, e.g. `html > body > section`. */
export function ancestry(node: Node): string {
  const names: string[] = [];
  for (let p = node.parentNode; p && p.nodeName !== '#document'; p = p.parentNode) names.unshift(p.nodeName);
  return names.join(' > ');
}

/** Every text node that contains `needle`, with its ancestry. */
export function textAncestries(root: Node, needle: string): string[] {
  return [...walk(root)].filter((n) => n.nodeName === '#text' && n.value?.includes(needle)).map(ancestry);
}

/** A seeded random generator: the same cases on every run. */
export const seeded = mulberry32;
