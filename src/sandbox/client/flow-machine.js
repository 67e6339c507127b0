// The step machine shared by checkout, add seats and renew (browser code, loaded after
// flow-kinds.js). It reads the JSON block `flow-config` and the flow's definition from
// window.SANDBOX_FLOWS[cfg.kind]: only the active step's body is shown, finished steps
// collapse to a summary with Edit, each next button is disabled until its step is valid,
// the price preview comes from the server, and the payment form is an iframe on the
// payment origin talking by postMessage (or a saved card, which submits nothing).
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const cfg = JSON.parse($('flow-config').textContent);
  const removed = (document.body.getAttribute('data-removed-testids') || '').split(' ');
  const steps = Array.from(document.querySelectorAll('section.step'));
  const state = { done: {}, preview: null, previewSeq: 0, payment: null, submitting: false, touched: {} };
  const LOAD_ERROR = 'Credit card form failed to load. Please try again.';
  const PREVIEW_ERROR = 'Something went wrong while loading price details.';

  const helpers = {
    $,
    cfg,
    refresh,
    fieldError(id, message) {
      const el = $(id + '-error');
      if (!el) return;
      el.textContent = state.touched[id] ? message || '' : '';
      el.hidden = !el.textContent;
      const input = $(id);
      if (input) input.setAttribute('aria-invalid', message && state.touched[id] ? 'true' : 'false');
    },
    intValue(id) {
      const text = $(id).value.trim();
      return /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
    },
  };
  const FLOW = window.SANDBOX_FLOWS[cfg.kind](helpers);

  function setTestId(el, id, on) {
    if (on && !removed.includes(id)) el.setAttribute('data-testid', id);
    else if (!on && el.getAttribute('data-testid') === id) el.removeAttribute('data-testid');
  }
  const stepName = (i) => steps[i].getAttribute('data-step');
  function stepValid(name) {
    const s = FLOW.steps[name];
    return !s || !s.validate || s.validate();
  }
  function paymentSummary() {
    if (!state.payment) return [];
    const p = state.payment;
    return [p.brand + ' ending in ' + p.last4, 'Exp ' + p.expMonth + '/' + p.expYear.slice(-2)];
  }
  function renderSummary(section, name) {
    const s = FLOW.steps[name];
    const box = section.querySelector('.summary-text');
    box.textContent = '';
    const lines = name === 'payment' ? paymentSummary() : s && s.summary ? s.summary() : [];
    for (const line of lines) {
      const div = document.createElement('div');
      div.textContent = line;
      box.appendChild(div);
    }
  }
  function activate(i) {
    steps.forEach((section, j) => {
      const body = section.querySelector('.step-body');
      body.hidden = j !== i;
      setTestId(body, 'active-step-body', j === i);
      const finished = j < i && state.done[j];
      section.querySelector('.step-summary').hidden = !finished;
      if (finished) renderSummary(section, stepName(j));
      section.classList.toggle('future', j > i);
    });
    steps[i].querySelector('h2').focus();
    if (stepName(i) === 'payment') startPayment();
    refresh();
  }
  function finishStep(name) {
    const i = steps.findIndex((s) => s.getAttribute('data-step') === name);
    state.done[i] = true;
    activate(i + 1);
  }
  function refresh() {
    for (const section of steps) {
      const next = section.querySelector('button.next');
      if (next) next.disabled = !stepValid(section.getAttribute('data-step'));
    }
    const confirm = $('confirm-button');
    if (confirm) {
      confirm.disabled =
        state.submitting || !$('privacy-and-terms-confirm').checked || !state.preview || !state.payment;
    }
  }
  steps.forEach((section, j) => {
    const next = section.querySelector('button.next');
    if (next) {
      next.addEventListener('click', () => {
        if (!stepValid(stepName(j))) return;
        state.done[j] = true;
        activate(j + 1);
      });
    }
    section.querySelector('button.edit').addEventListener('click', () => {
      for (let k = j; k < steps.length; k++) state.done[k] = false;
      if (stepName(j) === 'payment') state.payment = null;
      activate(j);
    });
    for (const input of section.querySelectorAll('input, select')) {
      const touch = () => {
        state.touched[input.id] = true;
        refresh();
      };
      input.addEventListener('input', touch);
      input.addEventListener('change', touch);
      input.addEventListener('blur', touch);
    }
  });

  async function postJson(url, body) {
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    try {
      return { ok: r.ok, status: r.status, data: await r.json() };
    } catch {
      return {
        ok: false,
        status: r.status,
        data: { error: 'Something went wrong (HTTP ' + r.status + ').' },
      };
    }
  }

  function setSummary(display) {
    for (const el of document.querySelectorAll('[data-summary]')) {
      const key = el.getAttribute('data-summary');
      el.textContent = display ? display[key] || '–' : '–';
      if (el.hasAttribute('data-optional')) el.hidden = !(display && display[key]);
    }
    for (const el of document.querySelectorAll('[data-optional-label]')) {
      el.hidden = !(display && display[el.getAttribute('data-optional-label')]);
    }
  }
  async function loadPreview() {
    const body = FLOW.previewBody();
    const seq = ++state.previewSeq;
    state.preview = null;
    $('price-preview-error').hidden = true;
    $('order-summary').setAttribute('aria-busy', 'true');
    $('summary-loading').hidden = false;
    refresh();
    if (!body) return;
    let r;
    try {
      r = await postJson(cfg.previewUrl, body);
    } catch {
      r = { ok: false };
    }
    if (seq !== state.previewSeq) return;
    $('order-summary').setAttribute('aria-busy', 'false');
    $('summary-loading').hidden = true;
    if (r.ok) {
      state.preview = r.data;
      setSummary(r.data.display);
    } else {
      setSummary(null);
      $('price-preview-error').textContent = PREVIEW_ERROR;
      $('price-preview-error').hidden = false;
    }
    refresh();
  }

  const frame = { origin: null, ready: false, timer: null };
  function paymentError(message) {
    $('payment-loading').hidden = true;
    $('payment-error').textContent = message;
    $('payment-error').hidden = false;
  }
  function startPayment() {
    const choice = $('payment-choice');
    const existing = $('select-existing-card');
    if (choice && existing && existing.checked) {
      $('new-card').hidden = true;
      return;
    }
    $('new-card').hidden = false;
    void loadPaymentForm();
  }
  async function loadPaymentForm() {
    const box = $('zuora_payment');
    box.textContent = '';
    box.hidden = true;
    $('payment-error').hidden = true;
    $('payment-loading').hidden = false;
    frame.ready = false;
    clearTimeout(frame.timer);
    let data;
    try {
      const r = await fetch(cfg.paymentFormUrl);
      if (!r.ok) throw new Error(LOAD_ERROR);
      data = await r.json();
    } catch {
      paymentError(LOAD_ERROR);
      return;
    }
    frame.origin = new URL(data.url).origin;
    const iframe = document.createElement('iframe');
    iframe.id = 'z_hppm_iframe';
    iframe.title = 'Payment form';
    iframe.src = data.url;
    iframe.addEventListener('load', () => {
      clearTimeout(frame.timer);
      frame.timer = setTimeout(() => {
        if (!frame.ready) paymentError(LOAD_ERROR);
      }, 3000);
    });
    box.appendChild(iframe);
    frame.timer = setTimeout(() => {
      if (!frame.ready) paymentError(LOAD_ERROR);
    }, 30000);
  }
  window.addEventListener('message', (event) => {
    if (event.origin !== frame.origin || !event.data || typeof event.data.type !== 'string') return;
    const msg = event.data;
    if (msg.type === 'zuora:ready') {
      frame.ready = true;
      clearTimeout(frame.timer);
      $('payment-loading').hidden = true;
      $('zuora_payment').hidden = false;
    } else if (msg.type === 'zuora:error') {
      $('payment-error').textContent = msg.message;
      $('payment-error').hidden = false;
    } else if (msg.type === 'zuora:success') {
      const { refId, brand, last4, expMonth, expYear } = msg;
      state.payment = { id: refId, brand, last4, expMonth, expYear };
      finishStep('payment');
    }
  });
  if ($('payment-choice')) {
    for (const radio of document.querySelectorAll('input[name=payment-choice]')) {
      radio.addEventListener('change', startPayment);
    }
    $('use-existing-card').addEventListener('click', () => {
      if (!$('select-existing-card').checked) return;
      state.payment = cfg.savedCard;
      finishStep('payment');
    });
  }

  const confirmButton = $('confirm-button');
  const confirmLabel = confirmButton.textContent;
  $('privacy-and-terms-confirm').addEventListener('change', refresh);
  async function confirmOrder() {
    const body = FLOW.orderBody();
    body.idempotencyKey = cfg.idempotencyKey;
    body.paymentMethodId = state.payment.id;
    body.termsAccepted = true;
    let r;
    try {
      r = await postJson(cfg.orderUrl, body);
    } catch {
      r = { ok: false, status: 0, data: { error: 'The portal did not answer. Try again.' } };
    }
    if (r.ok) {
      window.location.assign(r.data.redirect);
      return;
    }
    state.submitting = false;
    confirmButton.textContent = confirmLabel;
    $('confirm-error').textContent =
      r.data && r.data.error ? r.data.error : 'Something went wrong (HTTP ' + r.status + ').';
    $('confirm-error').hidden = false;
    refresh();
  }
  confirmButton.addEventListener('click', () => {
    if (confirmButton.disabled) return;
    state.submitting = true;
    confirmButton.textContent = 'Confirming...';
    $('confirm-error').hidden = true;
    refresh();
    void confirmOrder();
  });

  for (const id of FLOW.previewInputs) {
    // One event per edit: a count-limited fault must not be spent twice by one change.
    $(id).addEventListener($(id).tagName === 'SELECT' ? 'change' : 'input', () => void loadPreview());
  }
  if (FLOW.init) FLOW.init();
  activate(0);
  void loadPreview();
})();
