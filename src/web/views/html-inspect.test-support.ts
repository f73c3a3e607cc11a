/**
 * A tiny reader for the HTML our views render, for tests (no DOM library in the project). It understands
 * start tags, quoted attributes and entities, which is all our own templates produce.
 */
export interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** Offset just after the start tag. */
  end: number;
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

export function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_match, name: string) => entities[name] ?? '');
}

const tagPattern =
  /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const attrPattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** Every start tag, optionally only those named `name`. */
export function tags(markup: string, name?: string): Tag[] {
  const found: Tag[] = [];
  for (const match of markup.matchAll(tagPattern)) {
    const tagName = (match[1] ?? '').toLowerCase();
    if (name !== undefined && tagName !== name) continue;
    const attrs: Record<string, string> = {};
    for (const attr of (match[2] ?? '').matchAll(attrPattern)) {
      attrs[(attr[1] ?? '').toLowerCase()] = decode(attr[2] ?? attr[3] ?? attr[4] ?? '');
    }
    found.push({ name: tagName, attrs, end: match.index + match[0].length });
  }
  return found;
}

/** Visible text of a fragment: tags removed, entities decoded, whitespace collapsed. */
export function text(markup: string): string {
  return decode(markup.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text inside an element (up to its closing tag; our templates do not nest same-named elements). */
export function textOf(markup: string, tag: Tag): string {
  const close = markup.indexOf(`</${tag.name}>`, tag.end);
  return text(markup.slice(tag.end, close === -1 ? undefined : close));
}

export function byId(markup: string, id: string): Tag | undefined {
  return tags(markup).find((tag) => tag.attrs.id === id);
}

/** The control whose <label> reads exactly `label`, found through the label's `for` and the control's id. */
export function control(markup: string, label: string): Tag {
  const labels = tags(markup, 'label').filter((tag) => textOf(markup, tag) === label);
  if (labels.length !== 1) throw new Error(`expected one label "${label}", found ${labels.length}`);
  const target = labels[0]?.attrs.for;
  const found = target === undefined ? undefined : byId(markup, target);
  if (found === undefined) throw new Error(`label "${label}" is not tied to any element`);
  return found;
}

/** Submit buttons with their visible text. */
export function buttons(markup: string): { text: string; attrs: Record<string, string> }[] {
  return tags(markup, 'button').map((tag) => ({ text: textOf(markup, tag), attrs: tag.attrs }));
}

/** Anything the strict CSP would block or that runs script: inline scripts, style blocks/attributes, on* handlers. */
export function inlineCode(markup: string): string[] {
  const offenders: string[] = [];
  for (const tag of tags(markup)) {
    if (tag.name === 'style') offenders.push('<style>');
    if (tag.name === 'script' && tag.attrs.src === undefined) offenders.push('inline <script>');
    for (const name of Object.keys(tag.attrs)) {
      if (name === 'style' || name.startsWith('on')) offenders.push(`${name}= on <${tag.name}>`);
    }
    for (const name of ['href', 'src', 'action']) {
      if (/^\s*javascript:/i.test(tag.attrs[name] ?? '')) offenders.push(`javascript: URL in ${name}`);
    }
  }
  return offenders;
}

/** The element's described-by texts, in order. */
export function descriptions(markup: string, tag: Tag): string[] {
  return (tag.attrs['aria-describedby'] ?? '')
    .split(/\s+/)
    .filter((id) => id !== '')
    .map((id) => {
      const target = byId(markup, id);
      if (target === undefined) throw new Error(`aria-describedby points at missing #${id}`);
      return textOf(markup, target);
    });
}
