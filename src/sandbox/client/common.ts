/**
 * The step machine shared by checkout, add seats and renew, as browser JavaScript.
 * It expects `FLOW` (see checkout.ts, seats.ts, renew.ts) and the JSON block `flow-config`:
 * only the active step's body is shown, finished steps collapse to a summary with Edit,
 * the next button is disabled until the step is valid, the price preview comes from the
 * server, the payment form is an iframe on the payment origin talking by postMessage.
 */
export const COMMON_JS = String.raw`
var cfg = JSON.parse(document.getElementById('flow-config').textContent);
var removed = (document.body.getAttribute('data-removed-testids') || '').split(' ');
var steps = Array.prototype.slice.call(document.querySelectorAll('section.step'));
var state = { current: 0, done: {}, preview: null, previewSeq: 0, payment: null, submitting: false, touched: {} };
var LOAD_ERROR = 'Credit card form failed to load. Please try again.';
var PREVIEW_ERROR = 'Something went wrong while loading price details.';

function $(id) { return document.getElementById(id); }
function setTestId(el, id, on) {
  if (on && removed.indexOf(id) < 0) el.setAttribute('data-testid', id);
  else if (!on && el.getAttribute('data-testid') === id) el.removeAttribute('data-testid');
}
function fieldError(id, message) {
  var el = $(id + '-error');
  if (!el) return;
  el.textContent = state.touched[id] ? message || '' : '';
  el.hidden = !el.textContent;
  var input = $(id);
  if (input) input.setAttribute('aria-invalid', message && state.touched[id] ? 'true' : 'false');
}
function intValue(id) {
  var text = $(id).value.trim();
  return /^[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
}
function stepName(i) { return steps[i].getAttribute('data-step'); }
function stepValid(name) {
  var s = FLOW.steps[name];
  return !s || !s.validate || s.validate();
}
function renderSummary(section, name) {
  var s = FLOW.steps[name];
  var box = section.querySelector('.summary-text');
  box.textContent = '';
  var lines = name === 'payment' ? paymentSummary() : s && s.summary ? s.summary() : [];
  lines.forEach(function (line) {
    var div = document.createElement('div');
    div.textContent = line;
    box.appendChild(div);
  });
}
function paymentSummary() {
  if (!state.payment) return [];
  return [state.payment.brand + ' ending in ' + state.payment.last4, 'Exp ' + state.payment.expMonth + '/' + state.payment.expYear.slice(-2)];
}
function activate(i) {
  state.current = i;
  steps.forEach(function (section, j) {
    var body = section.querySelector('.step-body');
    var summary = section.querySelector('.step-summary');
    body.hidden = j !== i;
    setTestId(body, 'active-step-body', j === i);
    var finished = j < i && state.done[j];
    summary.hidden = !finished;
    if (finished) renderSummary(section, stepName(j));
    section.classList.toggle('future', j > i);
  });
  var name = stepName(i);
  steps[i].querySelector('h2').focus();
  if (name === 'payment') loadPaymentForm();
  refresh();
}
function refresh() {
  steps.forEach(function (section) {
    var next = section.querySelector('button.next');
    if (next) next.disabled = !stepValid(section.getAttribute('data-step'));
  });
  var confirm = $('confirm-button');
  if (confirm) {
    var terms = $('privacy-and-terms-confirm');
    confirm.disabled = state.submitting || !terms.checked || !state.preview || !state.payment;
  }
}
steps.forEach(function (section, j) {
  var next = section.querySelector('button.next');
  if (next) next.addEventListener('click', function () {
    if (!stepValid(stepName(j))) return;
    state.done[j] = true;
    activate(j + 1);
  });
  section.querySelector('button.edit').addEventListener('click', function () {
    for (var k = j; k < steps.length; k++) state.done[k] = false;
    if (stepName(j) === 'payment') state.payment = null;
    activate(j);
  });
  section.querySelectorAll('input, select').forEach(function (input) {
    var touch = function () { state.touched[input.id] = true; refresh(); };
    input.addEventListener('input', touch);
    input.addEventListener('change', touch);
    input.addEventListener('blur', touch);
  });
});

function postJson(url, body) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    .then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; }, function () {
        return { ok: false, status: r.status, data: { error: 'Something went wrong (HTTP ' + r.status + ').' } };
      });
    });
}

function loadPreview() {
  var body = FLOW.previewBody();
  var seq = ++state.previewSeq;
  state.preview = null;
  $('price-preview-error').hidden = true;
  $('order-summary').setAttribute('aria-busy', 'true');
  refresh();
  if (!body) return;
  postJson(cfg.previewUrl, body).then(function (r) {
    if (seq !== state.previewSeq) return;
    $('order-summary').setAttribute('aria-busy', 'false');
    if (!r.ok) throw new Error('preview');
    state.preview = r.data;
    Object.keys(r.data.display).forEach(function (key) {
      var el = document.querySelector('[data-summary="' + key + '"]');
      if (el) el.textContent = r.data.display[key];
    });
    refresh();
  }).catch(function () {
    if (seq !== state.previewSeq) return;
    state.preview = null;
    $('order-summary').setAttribute('aria-busy', 'false');
    document.querySelectorAll('[data-summary]').forEach(function (el) { el.textContent = '–'; });
    $('price-preview-error').textContent = PREVIEW_ERROR;
    $('price-preview-error').hidden = false;
    refresh();
  });
}

var frameState = { origin: null, ready: false, timer: null };
function paymentError(message) {
  $('payment-loading').hidden = true;
  $('payment-error').textContent = message;
  $('payment-error').hidden = false;
}
function loadPaymentForm() {
  var box = $('zuora_payment');
  box.textContent = '';
  box.hidden = true;
  $('payment-error').hidden = true;
  $('payment-loading').hidden = false;
  frameState.ready = false;
  clearTimeout(frameState.timer);
  fetch(cfg.paymentFormUrl).then(function (r) {
    if (!r.ok) throw new Error(LOAD_ERROR);
    return r.json();
  }).then(function (data) {
    frameState.origin = new URL(data.url).origin;
    var frame = document.createElement('iframe');
    frame.id = 'z_hppm_iframe';
    frame.title = 'Payment form';
    frame.src = data.url;
    frame.addEventListener('load', function () {
      clearTimeout(frameState.timer);
      frameState.timer = setTimeout(function () { if (!frameState.ready) paymentError(LOAD_ERROR); }, 3000);
    });
    box.appendChild(frame);
    frameState.timer = setTimeout(function () { if (!frameState.ready) paymentError(LOAD_ERROR); }, 30000);
  }).catch(function () { paymentError(LOAD_ERROR); });
}
window.addEventListener('message', function (event) {
  if (event.origin !== frameState.origin || !event.data || typeof event.data.type !== 'string') return;
  var msg = event.data;
  if (msg.type === 'zuora:ready') {
    frameState.ready = true;
    clearTimeout(frameState.timer);
    $('payment-loading').hidden = true;
    $('zuora_payment').hidden = false;
  } else if (msg.type === 'zuora:error') {
    $('payment-error').textContent = msg.message;
    $('payment-error').hidden = false;
  } else if (msg.type === 'zuora:success') {
    state.payment = { id: msg.refId, brand: msg.brand, last4: msg.last4, expMonth: msg.expMonth, expYear: msg.expYear };
    var i = steps.findIndex(function (s) { return s.getAttribute('data-step') === 'payment'; });
    state.done[i] = true;
    activate(i + 1);
  }
});

var confirmButton = $('confirm-button');
var confirmLabel = confirmButton.textContent;
$('privacy-and-terms-confirm').addEventListener('change', refresh);
confirmButton.addEventListener('click', function () {
  if (confirmButton.disabled) return;
  state.submitting = true;
  confirmButton.textContent = FLOW.busyLabel || 'Confirming...';
  $('confirm-error').hidden = true;
  refresh();
  var body = FLOW.orderBody();
  body.idempotencyKey = cfg.idempotencyKey;
  body.paymentMethodId = state.payment.id;
  body.termsAccepted = true;
  postJson(cfg.orderUrl, body).then(function (r) {
    if (r.ok) { window.location.assign(r.data.redirect); return; }
    throw new Error(r.data && r.data.error ? r.data.error : 'Something went wrong (HTTP ' + r.status + ').');
  }).catch(function (e) {
    state.submitting = false;
    confirmButton.textContent = confirmLabel;
    $('confirm-error').textContent = e.message;
    $('confirm-error').hidden = false;
    refresh();
  });
});

FLOW.previewInputs.forEach(function (id) {
  // One event per edit: a count-limited fault must not be spent twice by one change.
  $(id).addEventListener($(id).tagName === 'SELECT' ? 'change' : 'input', loadPreview);
});
if (FLOW.init) FLOW.init();
activate(0);
loadPreview();
`;
