import { adminSections } from '../../../admin/sections.ts';
import type { ApplicationMode, ApplicationStatus } from '../../../partners/application.ts';
import { badge, consolePage, type ConsoleLink } from '../../console-layout.ts';
import { attributes, html, type HtmlValue, type SafeHtml } from '../../html.ts';

/** What every administrator page shows around its content. */
export interface AdminFrame {
  email: string;
  csrfToken: string;
}

/** An administrator console page: the console shell with the administration sections. */
export function adminPage(
  frame: AdminFrame,
  options: { title: string; current: string; breadcrumbs?: readonly ConsoleLink[]; body: HtmlValue },
): string {
  return consolePage({
    title: options.title,
    area: 'Administration',
    email: frame.email,
    csrfToken: frame.csrfToken,
    sections: adminSections,
    current: options.current,
    ...(options.breadcrumbs === undefined ? {} : { breadcrumbs: options.breadcrumbs }),
    body: options.body,
  });
}

/** `2024-05-01 14:03 UTC`: times in the console, to the minute. */
export function when(date: Date | null | undefined, none = '—'): string {
  if (date === null || date === undefined) return none;
  return `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

export function modeBadge(mode: ApplicationMode): SafeHtml {
  return badge(mode === 'production' ? 'Production' : 'Sandbox', mode === 'production' ? 'good' : 'neutral');
}

export function statusBadge(status: ApplicationStatus): SafeHtml {
  if (status === 'active') return badge('Active', 'good');
  return badge(status === 'suspended' ? 'Suspended' : 'Disabled', status === 'suspended' ? 'warn' : 'bad');
}

/** A labelled checkbox; its hint sits under the label. */
export function checkbox(options: {
  name: string;
  value?: string;
  label: HtmlValue;
  checked: boolean;
  hint?: string | undefined;
  id?: string;
}): SafeHtml {
  const input = attributes({
    type: 'checkbox',
    id: options.id,
    name: options.name,
    value: options.value ?? 'on',
    checked: options.checked,
  });
  return html`<div class="field">
    <label><input${input} /> ${options.label}</label>
    ${options.hint !== undefined && html`<p class="field__hint">${options.hint}</p>`}
  </div>`;
}

/** A GET search form over a list, keeping what was searched for. */
export function searchForm(options: { action: string; label: string; query: string }): SafeHtml {
  return html`<form class="form form--inline" method="get" action="${options.action}" role="search">
    <div class="field">
      <label class="field__label" for="field-q">${options.label}</label>
      <input class="field__input" id="field-q" name="q" type="search" value="${options.query}" />
    </div>
    <button class="button button--secondary" type="submit">Search</button>
  </form>`;
}
