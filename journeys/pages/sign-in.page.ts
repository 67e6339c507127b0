import { fail, type Locator, type Page, type Secret } from 'journey-prober';
import { anyOf, arrive } from './ui.js';

/** `/customers/sign_in`: the portal's sign-in form. */
export class SignInPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;
  /** Shown on every page once signed in. */
  readonly signedIn: Locator;

  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
  ) {
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.alert = page.getByTestId('flash-alert');
    this.signedIn = page.getByRole('button', { name: 'Sign out' });
  }

  async goto(): Promise<void> {
    await this.page.goto(`${this.baseUrl}/customers/sign_in`);
    await arrive(this.page, this.email, 'the sign-in form');
  }

  /** Signs in; any refusal ("Invalid email or password", a locked account) fails the step as `auth`. */
  async signIn(email: string, password: Secret): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password.reveal());
    await this.submit.click();
    await arrive(this.page, anyOf(this.signedIn, this.alert), 'the page after signing in');
    if (await this.alert.isVisible()) {
      const text = (await this.alert.innerText()).trim();
      fail('auth', `sign in refused: ${text}`);
    }
  }
}
