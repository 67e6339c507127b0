// What differs between checkout, add seats and renew (browser code, loaded before
// flow-machine.js): each flow's step checks, step summaries, preview and order bodies.
(function () {
  'use strict';

  function checkout(h) {
    const { $, cfg } = h;
    function usersValid() {
      const n = h.intValue('number-of-users');
      let message = '';
      if (isNaN(n) || n < 1) message = 'Enter a whole number of users.';
      else if (n < cfg.seatsInUse) message = 'Must be ' + cfg.seatsInUse + ' (your seats in use) or more.';
      else if (n > cfg.maxSeats) message = 'Must be ' + cfg.maxSeats + ' or fewer.';
      h.fieldError('number-of-users', message);
      return message === '';
    }
    function required(id) {
      const ok = $(id).value.trim() !== '';
      h.fieldError(id, ok ? '' : 'This field is required.');
      return ok;
    }
    const stateRequired = () => Object.prototype.hasOwnProperty.call(cfg.states, $('country').value);
    function fillStates() {
      const select = $('state');
      const list = cfg.states[$('country').value] || [];
      select.textContent = '';
      select.appendChild(new Option('Select state', ''));
      for (const [code, name] of list) select.appendChild(new Option(name, code));
      $('state-field').hidden = list.length === 0;
    }
    return {
      previewInputs: ['number-of-users'],
      init() {
        if (cfg.returning) return;
        $('country').addEventListener('change', () => {
          fillStates();
          h.refresh();
        });
        fillStates();
      },
      steps: {
        details: {
          validate: usersValid,
          summary: () => [
            cfg.planName + ' · ' + $('number-of-users').value + ' users',
            'Group: ' + cfg.groupName,
          ],
        },
        billing: {
          validate() {
            if (cfg.returning) return true;
            let ok = required('country');
            ok = required('street-address-1') && ok;
            ok = required('city') && ok;
            if (stateRequired()) ok = required('state') && ok;
            return required('zip-code') && ok;
          },
          summary() {
            if (cfg.returning) return ['Contact information on file'];
            const line2 = $('street-address-2').value.trim();
            const street = $('street-address-1').value.trim() + (line2 ? ', ' + line2 : '');
            const region = stateRequired() ? $('state').value + ' ' : '';
            return [
              street,
              $('city').value.trim() + ', ' + region + $('zip-code').value.trim(),
              $('country').selectedOptions[0].textContent,
            ];
          },
        },
      },
      previewBody() {
        const n = h.intValue('number-of-users');
        return isNaN(n) || n < 1 || n > cfg.maxSeats ? null : { plan: cfg.plan, quantity: n };
      },
      orderBody() {
        const body = {
          plan: cfg.plan,
          quantity: h.intValue('number-of-users'),
          namespaceId: cfg.namespaceId,
        };
        if (!cfg.returning) {
          body.address = {
            country: $('country').value,
            street1: $('street-address-1').value.trim(),
            street2: $('street-address-2').value.trim(),
            city: $('city').value.trim(),
            state: stateRequired() ? $('state').value : '',
            zip: $('zip-code').value.trim(),
          };
        }
        return body;
      },
    };
  }

  function seats(h) {
    const { cfg } = h;
    const additional = () => h.intValue('number-of-additional-users');
    return {
      previewInputs: ['number-of-additional-users'],
      steps: {
        seats: {
          validate() {
            const n = additional();
            let message = '';
            if (isNaN(n) || n < 1) message = 'Enter a whole number of users, 1 or more.';
            else if (cfg.currentSeats + n > cfg.maxSeats)
              message = 'Must be ' + (cfg.maxSeats - cfg.currentSeats) + ' or fewer.';
            h.fieldError('number-of-additional-users', message);
            return message === '';
          },
          summary: () => [
            additional() + ' additional users',
            cfg.currentSeats + additional() + ' users in total',
          ],
        },
      },
      previewBody() {
        const n = additional();
        return isNaN(n) || n < 1 || cfg.currentSeats + n > cfg.maxSeats
          ? null
          : { namespaceId: cfg.namespaceId, additional: n };
      },
      orderBody: () => ({ namespaceId: cfg.namespaceId, additional: additional() }),
    };
  }

  function renew(h) {
    const { cfg } = h;
    const users = () => h.intValue('seats');
    return {
      previewInputs: ['seats'],
      steps: {
        seats: {
          validate() {
            const n = users();
            let message = '';
            if (isNaN(n) || n < 1) message = 'Enter a whole number of users.';
            else if (n < cfg.seatsInUse)
              message = 'Must be ' + cfg.seatsInUse + ' (your seats in use) or more.';
            else if (n > cfg.maxSeats) message = 'Must be ' + cfg.maxSeats + ' or fewer.';
            h.fieldError('seats', message);
            return message === '';
          },
          summary: () => [users() + ' users for the next term'],
        },
      },
      previewBody() {
        const n = users();
        return isNaN(n) || n < 1 || n > cfg.maxSeats ? null : { namespaceId: cfg.namespaceId, quantity: n };
      },
      orderBody: () => ({ namespaceId: cfg.namespaceId, quantity: users() }),
    };
  }

  window.SANDBOX_FLOWS = { checkout, seats, renew };
})();
