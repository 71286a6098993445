// In-app notifications for protection officers (progressive enhancement, no case details):
// a new report in the commune, an escalation reaching the officer's unit, and steps due within
// two hours. Live events come from the portal's event stream; due steps from /notifications.
(function () {
  'use strict';
  var area = document.getElementById('notifications');
  if (!area || !window.EventSource) return;
  var list = area.querySelector('ul');
  var en = document.body.getAttribute('data-lang') === 'en';
  var words = {
    'protection.case_reported': en ? 'New report received in your commune (form 01)' : 'Có tin báo mới tại xã (Mẫu 01)',
    'protection.step_escalated': en
      ? 'A missed protection step was escalated to your unit'
      : 'Một bước bảo vệ trẻ em quá hạn đã được báo cáo đến đơn vị của bạn',
    'referral.escalated': en
      ? 'An overdue referral was escalated to your unit'
      : 'Một chuyển tuyến quá hạn đã được báo cáo đến đơn vị của bạn',
  };
  var links = {
    'protection.case_reported': '/protection-cases',
    'protection.step_escalated': '/board',
    'referral.escalated': '/board',
  };

  function show(id, text, href) {
    if (list.querySelector('[data-notice="' + id + '"]')) return;
    var item = document.createElement('li');
    item.setAttribute('data-notice', id);
    var link = document.createElement('a');
    link.href = href;
    link.textContent = text;
    item.appendChild(link);
    list.appendChild(item);
    area.hidden = false;
  }

  function dueSteps() {
    fetch('/notifications', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : { items: [] };
      })
      .then(function (body) {
        (body.items || []).forEach(function (n) {
          show(n.id, n.text, n.href);
        });
      })
      .catch(function () {
        /* The next minute tries again. */
      });
  }

  function onEvent(message) {
    var update;
    try {
      update = JSON.parse(message.data);
    } catch {
      return;
    }
    var text = words[update.kind];
    if (text)
      show(
        update.kind + '-' + (update.protectionCaseId || update.referralId) + '-' + update.at,
        text,
        links[update.kind],
      );
    if (update.kind && update.kind.indexOf('protection.') === 0) setTimeout(dueSteps, 1500);
  }

  var source = new EventSource('/events');
  source.addEventListener('open', function () {
    area.setAttribute('data-connected', 'true');
  });
  source.addEventListener('protection', onEvent);
  source.addEventListener('referral', onEvent);
  dueSteps();
  setInterval(dueSteps, 60000);
})();
