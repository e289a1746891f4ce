/** The sign-in page: an API token, pasted once, becomes a session. */
import { html, type Html } from '../html.js';
import { page } from '../layout.js';

export function signInPage(csrf: string, next: string, message?: { text: string; kind: 'problem' | 'notice' }): Html {
  return page(
    { title: 'Sign in', session: null },
    html`<h1>Sign in</h1>
      ${message === undefined ? '' : html`<p class="${message.kind}" role="${message.kind === 'problem' ? 'alert' : 'status'}">${message.text}</p>`}
      <form class="sign-in" method="post" action="/sign-in">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <input type="hidden" name="next" value="${next}" />
        <div class="field">
          <label for="token">API token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" aria-describedby="token-hint" required />
          <p class="hint" id="token-hint">
            A csm or csops token from <code>playbook tokens create</code>. It is sent once; the console keeps a session cookie instead.
          </p>
        </div>
        <button type="submit" class="primary">Sign in</button>
      </form>`,
  );
}
