import { html, type SafeHtml } from '../web/html.ts';
import { page } from '../web/layout.ts';

export interface HomeView {
  /** The signed-in person's email, if any. */
  email?: string | undefined;
  /** No administrator yet: offer first-run setup. */
  setupOpen: boolean;
  /** The OpenID Connect discovery document's path. */
  discoveryPath: string;
  /** The development demo is on: link `/demo`, a sign-in to the Demo Shop as a test persona. */
  demo: boolean;
}

function section(title: string, id: string, body: SafeHtml): SafeHtml {
  return html`<section class="section" aria-labelledby="${id}">
    <h2 id="${id}">${title}</h2>
    ${body}
  </section>`;
}

/** `/`: what Vetted is, and where people, partners and staff go from here. */
export function renderHome(view: HomeView): string {
  const setup =
    view.setupOpen &&
    html`<div class="banner">
      <h2 class="banner__title">Set up this Vetted</h2>
      <p>
        There is no administrator yet. Create the first one with the setup code printed in the start-up log
        (the line that starts with “First-run setup”).
      </p>
      <p><a class="button button--primary" href="/setup">Create the first administrator</a></p>
    </div>`;
  const account =
    view.email === undefined
      ? html`<p>
            Sign in to see your verifications, the applications you shared them with, and to delete them.
          </p>
          <ul class="home-links">
            <li><a href="/account/sign-in?next=%2Faccount%2Fverifications">Sign in to my account</a></li>
            <li><a href="/account/sign-up">Create an account</a></li>
          </ul>`
      : html`<p>You are signed in as <strong class="email">${view.email}</strong>.</p>
          <ul class="home-links">
            <li><a href="/account/verifications">My verifications</a></li>
            <li><a href="/account/apps">Connected applications</a></li>
          </ul>`;
  return page({
    title: 'Home',
    body: html`<h1 class="card__title">Vetted</h1>
      <p class="card__lede">
        Vetted is an identity provider you run yourself. It verifies who people are and the communities they
        belong to (military, students, teachers, first responders and others), by email domain, official
        records, documents or a reviewer, and lets partner sites ask for those facts through OpenID Connect.
        People decide what each site receives and can see and delete their verifications at any time.
      </p>
      ${setup}
      ${
        view.demo &&
        section(
          'Try it',
          'home-demo',
          html`<p>
              Sign in to the sandbox Demo Shop as a test persona and see the verified attributes a partner
              receives, every request shown; no code to write.
            </p>
            <p><a class="button button--secondary" href="/demo">Try a sign-in with the Demo Shop</a></p>`,
        )
      }
      ${section('For people', 'home-people', account)}
      ${section(
        'For partners',
        'home-partners',
        html`<p>Register an application, try it in the sandbox with test personas, then ask to go live.</p>
          <ul class="home-links">
            <li><a href="/developer">Developer console</a></li>
            <li><a href="${view.discoveryPath}">OpenID Connect discovery document</a></li>
          </ul>
          <p class="muted">
            The partner guide (sign-in, tokens, the attributes API) is in the repository: the README’s partner
            section and <code>docs/partner-api.md</code>.
          </p>`,
      )}
      ${section(
        'For staff',
        'home-staff',
        html`<ul class="home-links">
          <li><a href="/review">Review queue</a> for reviewers</li>
          <li><a href="/admin">Administration</a> for administrators</li>
        </ul>`,
      )}`,
  });
}
