import { html, raw, type SafeHtml } from '../html.js';
import { CSS } from '../pages/style.js';

/** GitLab.com's page frame: its own brand, the signed-in username. */
function gitlabLayout(input: { title: string; username?: string; body: SafeHtml }): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${input.title} · GitLab</title>
        <style>
          ${raw(CSS)} header.top {
            background: #171321;
          }
        </style>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">GitLab</a>
          <nav></nav>
          ${input.username === undefined ? '' : html`<span data-testid="gitlab-user">${input.username}</span>`}
        </header>
        <main>
          <section class="card" style="max-width:520px;margin:40px auto">${input.body}</section>
        </main>
      </body>
    </html>`.value;
}

function flash(error: string | undefined, notice?: string): SafeHtml {
  return html`${notice === undefined ? '' : html`<div class="notice" role="status" data-testid="flash-notice">${notice}</div>`}
  ${error === undefined ? '' : html`<div class="alert" role="alert" data-testid="flash-alert">${error}</div>`}`;
}

/** `/users/sign_in`: username or primary email, and password. */
export function gitlabSignInPage(input: { redirectTo: string; error?: string; notice?: string }): string {
  return gitlabLayout({
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
      ${flash(input.error, input.notice)}
      <form method="post" action="/users/sign_in" data-testid="gitlab-sign-in-form">
        <input type="hidden" name="redirect_to" value="${input.redirectTo}" />
        <label for="user_login">Username or primary email</label>
        <input id="user_login" name="user[login]" type="text" autocomplete="username" required />
        <label for="user_password">Password</label>
        <input
          id="user_password"
          name="user[password]"
          type="password"
          autocomplete="current-password"
          required
        />
        <div class="actions"><button type="submit" data-testid="sign-in-button">Sign in</button></div>
      </form>`,
  });
}

/** The second step for an account with two-factor authentication. */
export function twoFactorPage(input: { pending: string; error?: string }): string {
  return gitlabLayout({
    title: 'Two-factor authentication',
    body: html`<h1>Two-factor authentication</h1>
      ${flash(input.error)}
      <form method="post" action="/users/sign_in" data-testid="two-factor-form">
        <input type="hidden" name="pending" value="${input.pending}" />
        <label for="user_otp_attempt">Enter verification code</label>
        <input
          id="user_otp_attempt"
          name="user[otp_attempt]"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
        />
        <div class="actions"><button type="submit" data-testid="verify-code-button">Verify code</button></div>
      </form>`,
  });
}

/** The consent page, shown the first time an account signs in to the portal. */
export function consentPage(input: { username: string; params: Readonly<Record<string, string>> }): string {
  const hidden = Object.entries(input.params).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`,
  );
  return gitlabLayout({
    title: 'Authorize application',
    username: input.username,
    body: html`<h1>Authorize Customers Portal to use your account?</h1>
      <p>
        An application called Customers Portal is requesting access to your GitLab account. It will be able to
        read your user information.
      </p>
      <form method="post" action="/oauth/authorize">
        ${hidden}
        <div class="actions">
          <button type="submit" name="decision" value="authorize" data-testid="authorize-button">
            Authorize
          </button>
          <button type="submit" name="decision" value="deny" class="secondary" data-testid="deny-button">
            Deny
          </button>
        </div>
      </form>`,
  });
}

export function oauthErrorPage(message: string): string {
  return gitlabLayout({
    title: 'An error has occurred',
    body: html`<h1>An error has occurred</h1>
      <div class="alert" role="alert" data-testid="oauth-error">${message}</div>`,
  });
}

/** `/groups/:path/-/billings`: what GitLab shows once provisioning reached the group. */
export function billingPage(input: {
  username: string;
  groupName: string;
  planName: string | undefined;
}): string {
  const plan = input.planName === undefined ? 'Free Plan' : `${input.planName} SaaS Plan`;
  return gitlabLayout({
    title: `Billing · ${input.groupName}`,
    username: input.username,
    body: html`<h1 data-testid="billing-plan-header">${input.groupName} is currently using the ${plan}</h1>
      ${input.planName === undefined ? html`<p class="hint" data-testid="provisioning-hint">A new subscription can take a moment to reach the group: reload this page.</p>` : ''}`,
  });
}

/** Any other GitLab.com page: a message (home, not found, "create a group first"). */
export function gitlabMessagePage(input: { title: string; message: string; username?: string }): string {
  return gitlabLayout({
    title: input.title,
    ...(input.username === undefined ? {} : { username: input.username }),
    body: html`<h1>${input.title}</h1>
      <div class="alert" role="alert" data-testid="error-message">${input.message}</div>`,
  });
}
