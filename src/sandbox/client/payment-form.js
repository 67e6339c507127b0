// The payment provider's hosted card form (served by the payment origin, framed by the portal
// as iframe#z_hppm_iframe). It talks to the portal only by postMessage.
(function () {
  'use strict';
  const cfg = JSON.parse(document.getElementById('hpm-config').textContent);
  const $ = (id) => document.getElementById(id);
  const post = (message) => window.parent.postMessage(message, cfg.parentOrigin);
  const fields = [
    'creditCardHolderName',
    'creditCardNumber',
    'creditCardExpirationMonth',
    'creditCardExpirationYear',
    'cardSecurityCode',
  ];
  const submit = $('submitButton');
  const NO_ANSWER = 'The payment provider did not answer. Try again.';

  function showError(message, code) {
    $('error').textContent = message;
    $('error').hidden = false;
    post({ type: 'zuora:error', code, message });
  }

  async function send() {
    const body = {
      token: cfg.token,
      holderName: $('input-creditCardHolderName').value,
      number: $('input-creditCardNumber').value,
      expMonth: $('input-creditCardExpirationMonth').value,
      expYear: $('input-creditCardExpirationYear').value,
      cvv: $('input-cardSecurityCode').value,
    };
    let response;
    let data;
    try {
      response = await fetch('/hpm/submit', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      data = await response.json();
    } catch {
      showError(NO_ANSWER, 'network');
      return;
    }
    if (response.ok) {
      const { refId, brand, last4, expMonth, expYear } = data;
      post({ type: 'zuora:success', refId, brand, last4, expMonth, expYear });
    } else if (data.field) {
      $('error-' + data.field).textContent = data.error;
    } else {
      showError(data.error, data.code || 'error');
    }
  }

  submit.addEventListener('click', (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    for (const f of fields) $('error-' + f).textContent = '';
    $('error').hidden = true;
    submit.setAttribute('aria-disabled', 'true');
    void send().finally(() => submit.setAttribute('aria-disabled', 'false'));
  });
  post({ type: 'zuora:ready' });
})();
