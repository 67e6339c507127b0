import { fail, type Account, type Locator, type Page, type TargetInfo } from 'journey-prober';
import { Secret as OtpSecret, TOTP } from 'otpauth';
import { declare, guess, type Locators } from './locators.js';
import { anyOf, arrivalOf, failIfOutage, ui } from './ui.js';

const PERIOD_S = 30;
/** The last TOTP time step used per secret in this process: GitLab.com refuses a reused code. */
const lastStep = new Map<string, number>();

/**
 * A fresh TOTP code (RFC 6238, what GitLab.com's two-factor form expects). A code already used
 * in this 30 s step is refused as a replay, so a second sign-in within the step takes the next
 * step's code (GitLab.com accepts one step of drift).
 */
export function totpCode(secret: string, nowMs: number = Date.now()): string {
  const totp = new TOTP({
    secret: OtpSecret.fromBase32(secret.replace(/\s+/g, '').toUpperCase()),
    period: PERIOD_S,
  });
  const now = Math.floor(nowMs / 1000 / PERIOD_S);
  const used = lastStep.get(secret);
  const step = used !== undefined && used >= now ? used + 1 : now;
  lastStep.set(secret, step);
  return totp.generate({ timestamp: step * PERIOD_S * 1000 });
}

/** The portal's `/customers/sign_in`: "Continue with GitLab.com account" (OAuth). */
export class PortalSignInPage {
  readonly continueWithGitlab: Locator;
  readonly alert: Locator;
  readonly error: Locator;
  /** Shown on every portal page once signed in. */
  readonly signedIn: Locator;
  readonly locators: Locators;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.continueWithGitlab = page.getByRole('button', { name: 'Continue with GitLab.com account' });
    this.alert = page.getByTestId('flash-alert');
    this.error = page.getByTestId('error-message');
    this.signedIn = page.getByRole('button', { name: 'Sign out' });
    this.locators = declare({
      continueWithGitlab: this.continueWithGitlab,
      signOut: guess(this.signedIn),
    });
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/customers/sign_in`);
    await anyOfVisible(this.page, this.continueWithGitlab);
  }
}

/** GitLab.com's sign-in, two-factor and consent pages, as the portal's OAuth sends a buyer there. */
export class GitlabSignInPage {
  readonly login: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly otp: Locator;
  readonly verify: Locator;
  readonly authorize: Locator;
  readonly alert: Locator;
  readonly oauthError: Locator;
  readonly locators: Locators;

  constructor(readonly page: Page) {
    this.login = page.locator('#user_login');
    this.password = page.locator('#user_password');
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.otp = page.locator('#user_otp_attempt');
    this.verify = page.getByRole('button', { name: 'Verify code' });
    this.authorize = page.getByRole('button', { name: 'Authorize' });
    this.alert = page.getByTestId('flash-alert');
    this.oauthError = page.getByTestId('oauth-error');
    this.locators = declare({
      login: this.login,
      password: this.password,
      signIn: this.submit,
      // Only shown to a two-factor account, and consent only the first time: doctor may not meet them.
      otp: this.otp,
      verifyCode: this.verify,
      authorize: this.authorize,
    });
  }
}

/** Keeps the session a run signed in with, and signs in again when a page finds it expired. */
const resignIn = new WeakMap<Page, () => Promise<void>>();

/**
 * Signed in on the portal: with the account's kept session when it still works, else a fresh
 * sign-in through GitLab.com (counted). Any refusal fails the step as `auth`.
 */
export async function signIn(page: Page, target: TargetInfo, account: Account): Promise<void> {
  const portal = new PortalSignInPage(page, target.baseUrl);
  resignIn.set(page, () => freshSignIn(page, portal, account, false));
  if (account.session?.restored !== undefined) {
    await page.goto(`${target.baseUrl}/subscriptions`);
    const shown = await anyOfVisible(page, portal.signedIn, portal.continueWithGitlab);
    if (shown === 0) return;
    account.session.expired();
    await freshSignIn(page, portal, account, false);
    return;
  }
  await portal.goto();
  await freshSignIn(page, portal, account, true);
}

/**
 * When a page meets the portal's or GitLab.com's sign-in instead of what it expected (the
 * session expired mid-run), signs in again: the portal sends the browser back (`return_to`).
 * Returns false when this page has no sign-in to repeat.
 */
export async function signInAgain(page: Page): Promise<boolean> {
  const again = resignIn.get(page);
  if (again === undefined) return false;
  await again();
  return true;
}

/**
 * Which of the locators shows first (their index); every wait bounded by the step. The
 * portal's outage page (a 5xx) ends the wait at once as `http_error`: without it a sign-in
 * during an outage waited out the whole 15 s for a control that never came, twice with a
 * retry, and runs every 5 s became one run in 35 s (no burn-rate page in the alert e2e).
 */
async function anyOfVisible(page: Page, ...locators: Locator[]): Promise<number> {
  const [first, ...rest] = locators;
  await ui(anyOf(first!, ...rest, arrivalOf(page).outage), 'the page after navigating').toBeVisible();
  await failIfOutage(page);
  for (const [i, l] of locators.entries()) if (await l.isVisible()) return i;
  return -1;
}

/** Signs in from wherever the browser is in the sign-in (portal or GitLab.com), counted. */
export async function freshSignIn(
  page: Page,
  portal: PortalSignInPage,
  account: Account,
  onPortal: boolean,
): Promise<void> {
  const gitlab = new GitlabSignInPage(page);
  const refused = (why: string): never => {
    account.session?.signInFailed();
    return fail('auth', `sign in refused: ${why}`);
  };
  if (onPortal || (await portal.continueWithGitlab.isVisible())) await portal.continueWithGitlab.click();
  const login = account.username ?? account.email;
  for (let hop = 0; hop < 4; hop++) {
    const shown = await anyOfVisible(
      page,
      portal.signedIn,
      gitlab.login,
      gitlab.otp,
      gitlab.authorize,
      gitlab.alert,
      gitlab.oauthError,
      portal.error,
    );
    switch (shown) {
      case 0: {
        account.session?.signedIn(await page.context().storageState());
        return;
      }
      case 1:
        if (hop > 0 && (await gitlab.alert.isVisible()))
          return refused(oneLine(await gitlab.alert.innerText()));
        await gitlab.login.fill(login);
        await gitlab.password.fill(account.password.reveal());
        await gitlab.submit.click();
        break;
      case 2: {
        if (await gitlab.alert.isVisible()) return refused(oneLine(await gitlab.alert.innerText()));
        const secret = account.otpSecret;
        if (secret === undefined)
          return refused('GitLab.com asks for a two-factor code and the account has no TOTP secret');
        await gitlab.otp.fill(totpCode(secret.reveal()));
        await gitlab.verify.click();
        break;
      }
      case 3:
        await gitlab.authorize.click();
        break;
      case 4:
        return refused(oneLine(await gitlab.alert.innerText()));
      default:
        return refused(oneLine(await (shown === 5 ? gitlab.oauthError : portal.error).innerText()));
    }
  }
  return refused('GitLab.com kept asking after the code and the consent');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
