import { heading, type ClientSummary } from '../components.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';

export interface CommunityPickerView {
  client: ClientSummary & { color?: string | null };
  choices: { name: string; subgroups: string[]; href: string }[];
  cancelHref: string;
}

/** "Which community do you belong to?": one link per community, each continuing to the authorization. */
export function renderCommunityPicker(view: CommunityPickerView): string {
  return page({
    title: 'Choose your community',
    brandColor: view.client.color,
    body: html`${heading('Choose your community', view.client, '')}
      <p>${view.client.name} offers a benefit to these communities. Choose the one you belong to.</p>
      <ul class="community-list">
        ${view.choices.map(
          (choice) =>
            html`<li>
              <a class="community-choice" href="${choice.href}">
                <span class="community-choice__name">${choice.name}</span>
                <span class="community-choice__groups">${choice.subgroups.join(', ')}</span>
              </a>
            </li>`,
        )}
      </ul>
      <p><a class="button button--secondary" href="${view.cancelHref}">Cancel</a></p>`,
  });
}
