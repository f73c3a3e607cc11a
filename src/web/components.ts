import { attributes, html, safeImageUrl, type SafeHtml } from './html.ts';

/** Shared pieces of the pages: form fields with their errors, the error summary, notices, the app banner. */

export interface FieldOptions {
  name: string;
  /** The visible label, exactly as the user reads it. */
  label: string;
  type?: 'text' | 'email' | 'password' | 'date';
  value?: string | undefined;
  autocomplete?: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'text';
  pattern?: string;
  minlength?: number;
  maxlength?: number;
  /** Turn off spellcheck and auto-capitalisation (email addresses, codes). */
  verbatim?: boolean;
}

/** The id of a field's input: error summaries link to it. */
export function fieldId(name: string): string {
  return `field-${name}`;
}

interface Labelled {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
}

/**
 * The label, hint and error around one control, tied to it: `describe` gives the control its id,
 * aria-describedby (hint and error) and aria-invalid (when there is an error).
 */
function labelled(
  options: Labelled,
  control: (describe: Record<string, string | undefined>) => SafeHtml,
): SafeHtml {
  const id = fieldId(options.name);
  const hintId = options.hint === undefined ? undefined : `${id}-hint`;
  const errorId = options.error === undefined ? undefined : `${id}-error`;
  const describedBy = [hintId, errorId].filter((part) => part !== undefined).join(' ');
  return html`<div class="field${errorId === undefined ? '' : ' field--error'}">
    <label class="field__label" for="${id}">${options.label}</label>
    ${hintId !== undefined && html`<p class="field__hint" id="${hintId}">${options.hint}</p>`}
    ${
      errorId !== undefined &&
      html`<p class="field__error" id="${errorId}">
        <span class="visually-hidden">Error: </span>${options.error}
      </p>`
    }
    ${control({
      id,
      'aria-describedby': describedBy === '' ? undefined : describedBy,
      'aria-invalid': errorId === undefined ? undefined : 'true',
    })}
  </div>`;
}

/** A labelled input; its hint and error are tied to it with aria-describedby, and aria-invalid marks errors. */
export function field(options: FieldOptions): SafeHtml {
  return labelled(options, (describe) => {
    const input = attributes({
      class: 'field__input',
      ...describe,
      name: options.name,
      type: options.type ?? 'text',
      value: options.type === 'password' ? undefined : options.value,
      autocomplete: options.autocomplete,
      inputmode: options.inputmode,
      pattern: options.pattern,
      minlength: options.minlength,
      maxlength: options.maxlength,
      required: options.required ?? false,
      spellcheck: options.verbatim === true ? 'false' : undefined,
      autocapitalize: options.verbatim === true ? 'none' : undefined,
    });
    return html`<input${input} />`;
  });
}

export interface SummaryItem {
  message: string;
  /** The field the message is about; the summary links to it. */
  field?: string;
}

/** The list of problems at the top of a form, announced to screen readers (role="alert"). */
export function errorSummary(items: readonly SummaryItem[]): SafeHtml | false {
  if (items.length === 0) return false;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>
    <ul class="error-summary__list">
      ${items.map(
        (item) =>
          html`<li>
            ${item.field === undefined ? item.message : html`<a href="#${fieldId(item.field)}">${item.message}</a>`}
          </li>`,
      )}
    </ul>
  </div>`;
}

/** A calm confirmation (a code was sent, a password was changed), announced politely. */
export function notice(text: string | undefined): SafeHtml | false {
  return text !== undefined && html`<div class="notice" role="status">${text}</div>`;
}

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}

export function button(
  label: string,
  options: { variant?: 'primary' | 'secondary'; name?: string; value?: string } = {},
): SafeHtml {
  const variant = options.variant ?? 'primary';
  return html`<button${attributes({ class: `button button--${variant}`, type: 'submit', name: options.name, value: options.value })}>${label}</button>`;
}

export interface ClientSummary {
  name: string;
  logoUri?: string | undefined;
}

/** The partner's logo, when it has a safe URL. */
export function clientLogo(client: ClientSummary, size: 'small' | 'large' = 'small'): SafeHtml | false {
  const src = safeImageUrl(client.logoUri);
  return (
    src !== undefined &&
    html`<img class="client-logo client-logo--${size}" src="${src}" alt="${client.name} logo" />`
  );
}

/** The page heading, with "to continue to {app}" under it when the user came from a partner. */
export function heading(title: string, client: ClientSummary | undefined, fallback: string): SafeHtml {
  return html`${client !== undefined && clientLogo(client)}
    <h1 class="card__title">${title}</h1>
    <p class="card__lede">
      ${client === undefined ? fallback : html`to continue to <strong class="client-name">${client.name}</strong>`}
    </p>`;
}

export interface ChoiceOption {
  value: string;
  label: string;
}

/** A labelled select; its hint and error are tied to it like a field's. */
export function selectField(
  options: Labelled & {
    choices: readonly ChoiceOption[];
    value?: string | undefined;
    required?: boolean;
    /** A first, empty choice ("Choose…") so that nothing is preselected. */
    placeholder?: string;
  },
): SafeHtml {
  return labelled(options, (describe) => {
    const select = attributes({
      class: 'field__input field__select',
      ...describe,
      name: options.name,
      required: options.required ?? false,
    });
    return html`<select${select}>
      ${options.placeholder !== undefined && html`<option value="">${options.placeholder}</option>`}
      ${options.choices.map(
        (choice) =>
          html`<option${attributes({ value: choice.value, selected: choice.value === options.value })}>${choice.label}</option>`,
      )}
    </select>`;
  });
}

/** A labelled file input limited to the given types (the server checks the content anyway). */
export function fileField(options: Labelled & { accept: string; required?: boolean }): SafeHtml {
  return labelled(options, (describe) => {
    const input = attributes({
      class: 'field__input field__file',
      ...describe,
      name: options.name,
      type: 'file',
      accept: options.accept,
      required: options.required ?? false,
    });
    return html`<input${input} />`;
  });
}

/** A multi-line text input. */
export function textareaField(
  options: Labelled & { value?: string | undefined; maxlength?: number },
): SafeHtml {
  return labelled(options, (describe) => {
    const textarea = attributes({
      class: 'field__input field__textarea',
      ...describe,
      name: options.name,
      rows: 3,
      maxlength: options.maxlength,
    });
    return html`<textarea${textarea}>${options.value ?? ''}</textarea>`;
  });
}
