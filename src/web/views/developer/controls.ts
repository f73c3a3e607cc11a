import { fieldId } from '../../components.ts';
import { attributes, html, type SafeHtml } from '../../html.ts';

export interface CheckboxChoice {
  value: string;
  label: string;
  hint?: string;
}

/** A group of checkboxes under a legend; the error is tied to the group. */
export function checkboxes(options: {
  name: string;
  legend: string;
  hint?: string;
  choices: readonly CheckboxChoice[];
  checked: ReadonlySet<string>;
  error?: string | undefined;
}): SafeHtml {
  const id = fieldId(options.name);
  const describedBy = [options.hint && `${id}-hint`, options.error && `${id}-error`]
    .filter(Boolean)
    .join(' ');
  return html`<fieldset
    class="field choices${options.error === undefined ? '' : ' field--error'}"
    id="${id}"
    ${describedBy === '' ? '' : html`aria-describedby="${describedBy}"`}
  >
    <legend class="field__label">${options.legend}</legend>
    ${options.hint !== undefined && html`<p class="field__hint" id="${id}-hint">${options.hint}</p>`}
    ${
      options.error !== undefined &&
      html`<p class="field__error" id="${id}-error">
        <span class="visually-hidden">Error: </span>${options.error}
      </p>`
    }
    ${options.choices.map((choice, index) => {
      const inputId = `${id}-${index}`;
      return html`<div class="choice">
        <input${attributes({
          type: 'checkbox',
          id: inputId,
          name: options.name,
          value: choice.value,
          checked: options.checked.has(choice.value),
        })} />
        <label for="${inputId}"
          >${choice.label}${choice.hint !== undefined && html` <span class="muted">${choice.hint}</span>`}</label
        >
      </div>`;
    })}
  </fieldset>`;
}

/** A value to copy (client id, discovery URL) with its label. */
export function copyable(label: string, value: string): SafeHtml {
  return html`<div class="facts__row">
    <dt>${label}</dt>
    <dd><code class="value">${value}</code></dd>
  </div>`;
}

/** A secret shown once, with the warning that it cannot be shown again. */
export function secretOnce(label: string, value: string, what: string): SafeHtml {
  return html`<div class="secret" role="status">
    <p>
      <strong>${label}</strong> — copy it now: ${what} is shown only this once and is stored only as a hash.
    </p>
    <p><code aria-label="${label}">${value}</code></p>
  </div>`;
}
