import { expect, fail, type Locator, type Page } from 'journey-prober';
import { declare, type Locators } from './locators.js';
import { arrive, ui } from './ui.js';

/** How long to wait for provisioning, and how often to reload meanwhile. */
export interface ProvisioningBound {
  readonly timeoutMs: number;
  readonly intervalMs: number;
}

/**
 * The group's billing page, where a purchase lands: "<group> is currently using the
 * Premium SaaS Plan" once provisioning (asynchronous) reached the group.
 */
export class BillingPage {
  readonly header: Locator;
  /** Reached only after an order was placed, so `doctor`'s read-only walk never sees it. */
  readonly locators: Locators;

  constructor(readonly page: Page) {
    this.header = page.getByTestId('billing-plan-header');
    this.locators = declare({ header: this.header });
  }

  async expectShown(): Promise<void> {
    await arrive(this.page, this.header, "the group's billing page");
  }

  /**
   * Reloads until the group is on `planName`, as GitLab's QA does: quick first probes, then
   * every `intervalMs`, for at most `timeoutMs`. Still on another plan then: `timeout`.
   */
  async expectProvisioned(groupName: string, planName: string, bound: ProvisioningBound): Promise<void> {
    const wanted = `${groupName} is currently using the ${planName} SaaS Plan`;
    try {
      await expect(async () => {
        await this.page.reload();
        await ui(this.header, "the group's billing page").toHaveText(/is currently using the .+ Plan/, {
          timeout: 2_000,
        });
        expect((await this.header.innerText()).trim(), 'the plan on the billing page').toBe(wanted);
      }).toPass({ intervals: [250, 500, 1_000, bound.intervalMs], timeout: bound.timeoutMs });
    } catch {
      // What does the page show now? An outage or error page, or still the old plan.
      await this.expectShown();
      const shown = (await this.header.innerText()).trim();
      if (shown === wanted) return;
      fail('timeout', `not provisioned after ${bound.timeoutMs} ms: the billing page still reads "${shown}"`);
    }
  }
}
