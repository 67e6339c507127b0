import { COMMON_JS } from './common.js';

/** Checkout: subscription details, billing address, payment method, confirm. */
const CHECKOUT_JS = String.raw`
function seatsInUse() {
  var path = $('group-name').value;
  var found = cfg.groups.filter(function (g) { return g.path === path; })[0];
  return found ? found.seatsInUse : 1;
}
function isNewGroup() { return $('group-name').value === '__new__'; }
function usersValid(id, min) {
  var n = intValue(id);
  if (isNaN(n) || n < 1) { fieldError(id, 'Enter a whole number of users.'); return false; }
  if (n < min) { fieldError(id, 'Must be ' + min + ' (your seats in use) or more.'); return false; }
  if (n > cfg.maxSeats) { fieldError(id, 'Must be ' + cfg.maxSeats + ' or fewer.'); return false; }
  fieldError(id, '');
  return true;
}
function required(id) {
  var ok = $(id).value.trim() !== '';
  fieldError(id, ok ? '' : 'This field is required.');
  return ok;
}
function stateRequired() { return Object.prototype.hasOwnProperty.call(cfg.states, $('country').value); }
function fillStates() {
  var select = $('state');
  var list = cfg.states[$('country').value] || [];
  select.textContent = '';
  var blank = document.createElement('option');
  blank.value = '';
  blank.textContent = 'Select state';
  select.appendChild(blank);
  list.forEach(function (pair) {
    var o = document.createElement('option');
    o.value = pair[0];
    o.textContent = pair[1];
    select.appendChild(o);
  });
  $('state-field').hidden = list.length === 0;
}
var FLOW = {
  previewInputs: ['plan-name', 'number-of-users'],
  init: function () {
    var toggle = function () { $('company-name-field').hidden = !isNewGroup(); refresh(); };
    $('group-name').addEventListener('change', toggle);
    $('country').addEventListener('change', function () { fillStates(); refresh(); });
    toggle();
    fillStates();
  },
  steps: {
    details: {
      validate: function () {
        var ok = $('plan-name').value !== '' && $('group-name').value !== '';
        if (isNewGroup()) ok = required('company-name') && ok;
        return usersValid('number-of-users', seatsInUse()) && ok;
      },
      summary: function () {
        var group = isNewGroup() ? $('company-name').value.trim() : $('group-name').selectedOptions[0].textContent;
        return [$('plan-name').selectedOptions[0].textContent + ' · ' + $('number-of-users').value + ' users', 'Group: ' + group];
      },
    },
    billing: {
      validate: function () {
        var ok = required('country');
        ok = required('street-address-1') && ok;
        ok = required('city') && ok;
        if (stateRequired()) ok = required('state') && ok;
        return required('zip-code') && ok;
      },
      summary: function () {
        var street = $('street-address-1').value.trim() + ($('street-address-2').value.trim() ? ', ' + $('street-address-2').value.trim() : '');
        var region = stateRequired() ? $('state').value + ' ' : '';
        return [street, $('city').value.trim() + ', ' + region + $('zip-code').value.trim(), $('country').selectedOptions[0].textContent];
      },
    },
  },
  previewBody: function () {
    var n = intValue('number-of-users');
    return isNaN(n) || n < 1 || n > cfg.maxSeats ? null : { plan: $('plan-name').value, quantity: n };
  },
  orderBody: function () {
    return {
      plan: $('plan-name').value,
      quantity: intValue('number-of-users'),
      group: isNewGroup() ? { name: $('company-name').value.trim() } : { path: $('group-name').value },
      address: {
        country: $('country').value,
        street1: $('street-address-1').value.trim(),
        street2: $('street-address-2').value.trim(),
        city: $('city').value.trim(),
        state: stateRequired() ? $('state').value : '',
        zip: $('zip-code').value.trim(),
      },
    };
  },
};
`;

/** Add seats: number of additional users, payment method, confirm. */
const SEATS_JS = String.raw`
function additional() { return intValue('number-of-additional-users'); }
var FLOW = {
  previewInputs: ['number-of-additional-users'],
  steps: {
    seats: {
      validate: function () {
        var n = additional();
        var msg = isNaN(n) || n < 1 ? 'Enter a whole number of users, 1 or more.' : cfg.currentSeats + n > cfg.maxSeats ? 'Must be ' + (cfg.maxSeats - cfg.currentSeats) + ' or fewer.' : '';
        fieldError('number-of-additional-users', msg);
        return msg === '';
      },
      summary: function () { return [additional() + ' additional users', cfg.currentSeats + additional() + ' users in total']; },
    },
  },
  previewBody: function () {
    var n = additional();
    return isNaN(n) || n < 1 || cfg.currentSeats + n > cfg.maxSeats ? null : { group: cfg.group, additional: n };
  },
  orderBody: function () { return { group: cfg.group, additional: additional() }; },
};
`;

/** Renew: number of users for the next term, payment method, confirm. */
const RENEW_JS = String.raw`
function users() { return intValue('number-of-users'); }
var FLOW = {
  previewInputs: ['number-of-users'],
  steps: {
    seats: {
      validate: function () {
        var n = users();
        var msg = isNaN(n) || n < 1 ? 'Enter a whole number of users.' : n < cfg.seatsInUse ? 'Must be ' + cfg.seatsInUse + ' (your seats in use) or more.' : n > cfg.maxSeats ? 'Must be ' + cfg.maxSeats + ' or fewer.' : '';
        fieldError('number-of-users', msg);
        return msg === '';
      },
      summary: function () { return [users() + ' users for the next term']; },
    },
  },
  previewBody: function () {
    var n = users();
    return isNaN(n) || n < 1 || n > cfg.maxSeats ? null : { group: cfg.group, quantity: n };
  },
  orderBody: function () { return { group: cfg.group, quantity: users() }; },
};
`;

const FLOWS = { checkout: CHECKOUT_JS, seats: SEATS_JS, renew: RENEW_JS } as const;
export type FlowKind = keyof typeof FLOWS;

/** The page script of one flow: its FLOW definition and the shared step machine, in one scope. */
export function flowScript(kind: FlowKind): string {
  return `(function () {\n'use strict';\n${FLOWS[kind]}\n${COMMON_JS}\n})();`;
}
