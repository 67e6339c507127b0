// The subscriptions page (browser code): each card's "Subscription actions" menu, and the
// cancel dialog, which asks for a reason before it turns auto-renew off.
(function () {
  'use strict';
  const dialog = document.getElementById('cancel-dialog');
  const form = document.getElementById('cancel-form');
  const reason = document.getElementById('cancel-reason');
  const confirm = document.getElementById('confirm-cancel');

  function closeMenus(except) {
    for (const button of document.querySelectorAll('[data-menu]')) {
      if (button === except) continue;
      button.setAttribute('aria-expanded', 'false');
      document.getElementById('menu-' + button.getAttribute('data-menu')).hidden = true;
    }
  }
  for (const button of document.querySelectorAll('[data-menu]')) {
    button.addEventListener('click', () => {
      const menu = document.getElementById('menu-' + button.getAttribute('data-menu'));
      closeMenus(button);
      menu.hidden = !menu.hidden;
      button.setAttribute('aria-expanded', String(!menu.hidden));
    });
  }
  for (const item of document.querySelectorAll('[data-cancel]')) {
    item.addEventListener('click', () => {
      closeMenus(null);
      form.action = '/subscriptions/' + encodeURIComponent(item.getAttribute('data-cancel')) + '/cancel';
      reason.value = '';
      confirm.disabled = true;
      dialog.showModal();
    });
  }
  reason.addEventListener('change', () => {
    confirm.disabled = reason.value === '';
  });
  document.getElementById('keep-subscription').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', () => {
    confirm.disabled = true;
    confirm.textContent = 'Cancelling...';
  });
})();
