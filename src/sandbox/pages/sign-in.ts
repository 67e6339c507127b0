import { html } from '../html.js';
import { layout } from './layout.js';

/** `/customers/sign_in`: email and password, and the error after a failed attempt. */
export function signInPage(input: {
  error?: string;
  email?: string;
  returnTo: string;
  notice?: string;
}): string {
  return layout({
    title: 'Sign in',
    body: html`<section class="card" style="max-width:460px;margin:40px auto">
      <h1>Sign in to the Customers Portal</h1>
      ${input.notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${input.notice}</div>`}
      ${input.error === undefined ? '' : html`<div class="alert" role="alert" data-testid="flash-alert">${input.error}</div>`}
      <form method="post" action="/customers/sign_in" data-testid="sign-in-form">
        <input type="hidden" name="return_to" value="${input.returnTo}" />
        <label for="user_email">Email</label>
        <input
          id="user_email"
          name="user[email]"
          type="email"
          autocomplete="username"
          required
          value="${input.email ?? ''}"
          data-testid="user-email"
        />
        <label for="user_password">Password</label>
        <input
          id="user_password"
          name="user[password]"
          type="password"
          autocomplete="current-password"
          required
          data-testid="user-password"
        />
        <div class="actions"><button type="submit" data-testid="sign-in-button">Sign in</button></div>
      </form>
    </section>`,
  });
}
