import { html } from '../html.js';
import { layout } from './layout.js';

export const EMAIL_LINK_UNSUPPORTED = 'Signing in with an email link is not supported in the sandbox.';

/** `/customers/sign_in`: the two ways in; only GitLab.com works in the sandbox. */
export function signInPage(input: { returnTo: string; error?: string; notice?: string }): string {
  return layout({
    title: 'Sign in',
    body: html`<section class="card" style="max-width:460px;margin:40px auto">
      <h1>Sign in to the Customers Portal</h1>
      ${input.notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${input.notice}</div>`}
      ${input.error === undefined ? '' : html`<div class="alert" role="alert" data-testid="flash-alert">${input.error}</div>`}
      <form method="post" action="/auth/gitlab" data-testid="sign-in-form">
        <input type="hidden" name="return_to" value="${input.returnTo}" />
        <div class="actions">
          <button type="submit" data-testid="sign-in-with-gitlab">Continue with GitLab.com account</button>
        </div>
      </form>
      <p class="hint">or</p>
      <form method="post" action="/customers/sign_in/email">
        <input type="hidden" name="return_to" value="${input.returnTo}" />
        <button type="submit" class="secondary" data-testid="sign-in-with-email">
          Sign in with your email
        </button>
      </form>
    </section>`,
  });
}
