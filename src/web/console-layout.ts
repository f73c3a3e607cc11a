import { button, csrfField } from './components.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

export interface ConsoleLink {
  href: string;
  label: string;
}

export interface ConsolePageOptions {
  /** The page's own title (document title and h1). */
  title: string;
  /** `Developer console` or `Administration` */
  area: string;
  /** The signed-in person, shown with a sign-out button. */
  email: string;
  csrfToken: string;
  /** The area's main sections; the one whose href is a prefix of `current` is marked current. */
  sections: readonly ConsoleLink[];
  current: string;
  /** Where this page sits, outermost first (the last is this page, not linked). */
  breadcrumbs?: readonly ConsoleLink[];
  /** Tabs of one object (an application's pages); the one equal to `current` is marked. */
  tabs?: readonly ConsoleLink[];
  body: HtmlValue;
}

function navigation(
  label: string,
  links: readonly ConsoleLink[],
  isCurrent: (href: string) => boolean,
  kind: string,
) {
  return html`<nav class="${kind}" aria-label="${label}">
    <ul>
      ${links.map(
        (link) =>
          html`<li>
            <a href="${link.href}" ${isCurrent(link.href) ? html`aria-current="page"` : ''}>${link.label}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** The developer console's and the administrator console's pages: the sign-in pages' look, wider. */
export function consolePage(options: ConsolePageOptions): string {
  const crumbs: SafeHtml | false =
    options.breadcrumbs !== undefined &&
    options.breadcrumbs.length > 0 &&
    html`<nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        ${options.breadcrumbs.map((crumb) => html`<li><a href="${crumb.href}">${crumb.label}</a></li>`)}
        <li aria-current="page">${options.title}</li>
      </ol>
    </nav>`;
  // The deepest section containing this page is the current one.
  const section = [...options.sections]
    .filter((link) => options.current === link.href || options.current.startsWith(`${link.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return page({
    title: `${options.title} · ${options.area}`,
    width: 'wide',
    body: html`<div class="console">
      <div class="staff-bar console__bar">
        <p class="account">${options.area} · <strong class="email">${options.email}</strong></p>
        <form method="post" action="/account/sign-out">
          ${csrfField(options.csrfToken)} ${button('Sign out', { variant: 'secondary' })}
        </form>
      </div>
      ${navigation(options.area, options.sections, (href) => href === section, 'console-nav')}
      <div class="card console__card">
        ${crumbs}
        <h1 class="card__title">${options.title}</h1>
        ${options.tabs !== undefined && navigation('Sections', options.tabs, (href) => href === options.current, 'tabs')}
        ${options.body}
      </div>
    </div>`,
  });
}

/** "Previous / Next" links for a list read `limit` at a time from `offset`. */
export function pager(view: {
  total: number;
  offset: number;
  limit: number;
  href: (offset: number) => string;
}) {
  const { total, offset, limit } = view;
  if (total <= limit) return false;
  const first = Math.min(total, offset + 1);
  const last = Math.min(total, offset + limit);
  return html`<nav class="pager" aria-label="Pages">
    <span class="muted">${first}–${last} of ${total}</span>
    ${offset > 0 && html`<a href="${view.href(Math.max(0, offset - limit))}" rel="prev">Previous</a>`}
    ${last < total && html`<a href="${view.href(offset + limit)}" rel="next">Next</a>`}
  </nav>`;
}

/** A small coloured label: mode, status. */
export function badge(text: string, tone: 'neutral' | 'good' | 'warn' | 'bad' = 'neutral'): SafeHtml {
  return html`<span class="badge badge--${tone}">${text}</span>`;
}
