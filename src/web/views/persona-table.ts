import { html, type SafeHtml } from '../html.ts';

/** A sandbox persona as its sign-in details are shown (the console's sandbox page, /demo). */
export interface PersonaDetails {
  email: string;
  /** Null once an operator changed it from the published one. */
  password: string | null;
  community: string;
  description: string;
}

/** The personas with their sign-in details and outcome, in a table captioned for assistive technology. */
export function personaTable(personas: PersonaDetails[], caption: string): SafeHtml {
  return html`<table class="table">
    <caption class="visually-hidden">
      ${caption}
    </caption>
    <thead>
      <tr>
        <th scope="col">Email</th>
        <th scope="col">Password</th>
        <th scope="col">Community</th>
        <th scope="col">Outcome</th>
      </tr>
    </thead>
    <tbody>
      ${personas.map(
        (persona) =>
          html`<tr>
            <td><code class="value">${persona.email}</code></td>
            <td>
              ${
                persona.password === null
                  ? html`<span class="muted">set by your operator</span>`
                  : html`<code class="value">${persona.password}</code>`
              }
            </td>
            <td>${persona.community}</td>
            <td>${persona.description}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}
