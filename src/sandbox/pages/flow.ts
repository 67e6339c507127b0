import { html, jsonScript, type SafeHtml } from '../html.js';
import { layout } from './layout.js';

/** A text/number/select field with its label and an error line (`<id>-error`). */
export function field(id: string, label: string, control: SafeHtml, hint?: string): SafeHtml {
  return html`<div id="${id}-field">
    <label for="${id}">${label}</label>
    ${control} ${hint === undefined ? '' : html`<div class="hint">${hint}</div>`}
    <div class="invalid" id="${id}-error" data-testid="${id}-error" hidden></div>
  </div>`;
}

export function textInput(
  id: string,
  options: { type?: string; value?: string; autocomplete?: string } = {},
): SafeHtml {
  return html`<input
    id="${id}"
    name="${id}"
    type="${options.type ?? 'text'}"
    value="${options.value ?? ''}"
    autocomplete="${options.autocomplete ?? 'off'}"
    data-testid="${id}"
  />`;
}

/** One step: heading, collapsed summary with Edit, and the body with its next button. */
export function step(input: { name: string; title: string; body: SafeHtml; next?: string }): SafeHtml {
  const { name } = input;
  return html`<section
    class="step future"
    data-step="${name}"
    data-testid="step-${name}"
    aria-labelledby="step-${name}-title"
  >
    <h2 id="step-${name}-title" tabindex="-1">${input.title}</h2>
    <div class="step-summary" data-testid="step-summary-${name}" hidden>
      <div class="summary-text"></div>
      <button type="button" class="secondary edit" data-testid="edit-${name}">Edit</button>
    </div>
    <div class="step-body" hidden>
      ${input.body}
      ${input.next === undefined ? '' : html`<div class="actions"><button type="button" class="next" disabled data-testid="continue-${name}">${input.next}</button></div>`}
    </div>
  </section>`;
}

/** A card on file, as "Select existing card" offers it. */
export interface SavedCard {
  readonly id: string;
  readonly brand: string;
  readonly last4: string;
  readonly expMonth: string;
  readonly expYear: string;
}

function cardChoice(card: SavedCard): SafeHtml {
  return html`<div id="payment-choice" role="radiogroup" aria-label="Payment method">
    <label class="inline" for="select-existing-card">
      <input
        type="radio"
        name="payment-choice"
        id="select-existing-card"
        data-testid="select-existing-card"
        checked
      />
      Select existing card
    </label>
    <div class="hint" data-testid="existing-card">
      ${card.brand} ending in ${card.last4} · Exp ${card.expMonth}/${card.expYear.slice(-2)}
    </div>
    <div class="actions">
      <button type="button" id="use-existing-card" data-testid="use-existing-card">Use this card</button>
    </div>
    <label class="inline" for="add-new-card">
      <input type="radio" name="payment-choice" id="add-new-card" data-testid="add-new-card" />
      Add new credit card
    </label>
  </div>`;
}

/**
 * Step "Payment method": a saved card, or a spinner until the payment origin's iframe says
 * it is ready.
 */
export function paymentStep(savedCard?: SavedCard): SafeHtml {
  return step({
    name: 'payment',
    title: 'Payment method',
    body: html`${savedCard === undefined ? '' : cardChoice(savedCard)}
      <div id="new-card" ${savedCard === undefined ? '' : 'hidden'}>
        <div
          class="spinner"
          id="payment-loading"
          data-testid="payment-loading"
          role="status"
          aria-label="Loading payment form"
        ></div>
        <div id="zuora_payment" data-testid="zuora-payment" hidden></div>
      </div>
      <div class="alert" id="payment-error" data-testid="payment-error" role="alert" hidden></div>`,
  });
}

/** The final step: terms checkbox and the button that places the order. */
export function confirmStep(input: { title: string; button: string; testId: string }): SafeHtml {
  return step({
    name: 'confirm',
    title: input.title,
    body: html`<label class="inline" for="privacy-and-terms-confirm">
        <input type="checkbox" id="privacy-and-terms-confirm" data-testid="privacy-and-terms-confirm" />
        I accept the Privacy Statement and Terms of Service.
      </label>
      <div class="alert" id="confirm-error" data-testid="confirm-error" role="alert" hidden></div>
      <div class="actions">
        <button type="button" id="confirm-button" data-testid="${input.testId}" disabled>
          ${input.button}
        </button>
      </div>`,
  });
}

/** One line of the order summary, filled by the price preview (`data-summary` = its key). */
export function summaryRow(key: string, label: string, className = ''): SafeHtml {
  return html`<dt class="${className}">${label}</dt>
    <dd class="${className}" data-summary="${key}" data-testid="${key}">–</dd>`;
}

export function orderSummary(title: string, rows: SafeHtml, note?: SafeHtml): SafeHtml {
  return html`<aside
    class="summary"
    id="order-summary"
    data-testid="order-summary"
    aria-label="Order summary"
    aria-busy="true"
  >
    <h2>${title}</h2>
    <div data-summary="selected-plan" data-testid="selected-plan">–</div>
    <div class="hint" data-summary="per-user" data-testid="per-user">–</div>
    <div class="hint" data-summary="dates" data-testid="dates">–</div>
    <div
      class="spinner"
      id="summary-loading"
      data-testid="summary-loading"
      role="status"
      aria-label="Loading price details"
    ></div>
    <dl>${rows}</dl>
    ${note ?? ''}
    <div class="alert" id="price-preview-error" data-testid="price-preview-error" role="alert" hidden></div>
  </aside>`;
}

/** Subtotal, discount (shown only when there is one), tax and total. */
export const TOTAL_ROWS = html`${summaryRow('total-ex-vat', 'Subtotal')}
  <dt data-optional-label="discount" hidden>Discount</dt>
  <dd data-summary="discount" data-testid="discount" data-optional hidden>–</dd>
  ${summaryRow('vat', 'Tax')}${summaryRow('total-amount', 'Total', 'total')}`;

/** A whole flow page: steps on the left, order summary on the right, the flow script. */
export type FlowKind = 'checkout' | 'seats' | 'renew';

export function flowPage(input: {
  kind: FlowKind;
  title: string;
  username: string;
  steps: SafeHtml;
  summary: SafeHtml;
  config: Record<string, unknown>;
}): string {
  return layout({
    title: input.title,
    username: input.username,
    body: html`<h1>${input.title}</h1>
      <div class="layout">
        <div class="steps">${input.steps}</div>
        ${input.summary}
      </div>
      ${jsonScript('flow-config', { kind: input.kind, ...input.config })}`,
    scripts: ['flow-kinds.js', 'flow-machine.js'],
  });
}
