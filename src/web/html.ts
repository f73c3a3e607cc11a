/**
 * Typed HTML templates. `html` escapes every interpolated value unless it is already `SafeHtml` (another
 * `html` template or an explicit `raw()`), so pages compose without double escaping and without holes.
 * Attribute values must always be quoted in templates: escaping covers both text and quoted attributes.
 */
export class SafeHtml {
  readonly #html: string;

  constructor(markup: string) {
    this.#html = markup;
  }

  toString(): string {
    return this.#html;
  }
}

/** What may appear inside `${…}`: text and numbers are escaped; `false`, null and undefined render nothing. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[];

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === false || value === null || value === undefined) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** The tagged template: `html\`<p>${untrusted}</p>\``. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup, inserted as is. Never pass anything that came from a request, a partner or a user. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments with a separator (itself escaped unless SafeHtml). */
export function join(values: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(values.map(render).join(render(separator)));
}

/**
 * A URL that is safe in `href`/`src`: absolute http(s), or a path on this site. Escaping alone does not stop
 * `javascript:` URLs, so partner-supplied links (logos, policies) go through this first.
 */
export function safeUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Like safeUrl, and also `data:image/…` URLs (the CSP allows them for images; an <img> never runs script). */
export function safeImageUrl(value: string | undefined): string | undefined {
  if (value !== undefined && /^data:image\/[a-z0-9.+-]+[;,]/i.test(value)) return value;
  return safeUrl(value);
}

export type AttributeValue = string | number | boolean | null | undefined;

/**
 * Renders attributes from a record: `true` gives a bare attribute, `false`/null/undefined leave it out, and
 * every value is escaped and double-quoted. Names are the caller's (never from input).
 */
export function attributes(record: Readonly<Record<string, AttributeValue>>): SafeHtml {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (value === false || value === null || value === undefined) continue;
    parts.push(value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`);
  }
  return new SafeHtml(parts.join(''));
}
