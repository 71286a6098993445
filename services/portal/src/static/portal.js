// Progressive enhancement only: every page works without this script.
// 1. Deadlines count down. 2. Views that show referrals refresh when the server says one changed.
(function () {
  'use strict';
  var lang = document.body.getAttribute('data-lang') === 'en' ? 'en' : 'vi';

  function timeLeft(iso) {
    var ms = Date.parse(iso) - Date.now();
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var mins = minutes % 60;
    var parts =
      lang === 'en'
        ? [days ? days + ' d' : '', days || hours ? hours + ' h' : '', mins + ' min']
        : [days ? days + ' ngày' : '', days || hours ? hours + ' giờ' : '', mins + ' phút'];
    var span = parts.filter(Boolean).join(' ');
    if (ms < 0) return { text: lang === 'en' ? span + ' overdue' : 'quá hạn ' + span, overdue: true };
    return { text: lang === 'en' ? span + ' left' : 'còn ' + span, overdue: false };
  }

  function tick() {
    var nodes = document.querySelectorAll('[data-deadline]');
    for (var i = 0; i < nodes.length; i++) {
      var left = timeLeft(nodes[i].getAttribute('data-deadline'));
      if (nodes[i].textContent !== left.text) nodes[i].textContent = left.text;
      nodes[i].classList.toggle('overdue', left.overdue);
    }
  }
  // Without what changes on every render (form keys, countdown texts), to tell real changes.
  function comparable(text) {
    return text.replace(/name="requestKey" value="[^"]*"/g, '').replace(/(data-deadline="[^"]*">)[^<]*/g, '$1');
  }
  var regionAtLoad = document.querySelector('[data-live-region]');
  var serverHtml = regionAtLoad ? regionAtLoad.innerHTML : '';
  tick();
  setInterval(tick, 15000);

  // 3. A referral form's facilities: only the group of the sector chosen above the list (the
  // server sends every sector's group, each already limited to what serves the child's commune).
  function followSector(select) {
    var from = document.getElementById(select.getAttribute('data-sector-from'));
    if (!from) return;
    var groups = select.querySelectorAll('optgroup[data-sector]');
    for (var i = 0; i < groups.length; i++) {
      var other = groups[i].getAttribute('data-sector') !== from.value;
      groups[i].disabled = other;
      groups[i].hidden = other;
    }
    var chosen = select.options[select.selectedIndex];
    if (!chosen || chosen.parentNode.disabled) {
      var first = select.querySelector('optgroup:not([disabled]) option');
      if (first) first.selected = true;
      else select.selectedIndex = -1;
    }
  }
  function followSectors() {
    var selects = document.querySelectorAll('select[data-sector-from]');
    for (var i = 0; i < selects.length; i++) followSector(selects[i]);
  }
  followSectors();
  document.addEventListener('change', function (event) {
    if (event.target && event.target.id && document.querySelector('[data-sector-from="' + event.target.id + '"]')) {
      followSectors();
    }
  });

  var live = document.body.getAttribute('data-live');
  var region = document.querySelector('[data-live-region]');
  if (!live || !region || !window.EventSource) return;
  // What the server last sent (countdowns change the DOM, so the DOM is not the reference).
  var shown = comparable(serverHtml);

  // A form someone opened or is filling in is never replaced under their hands.
  var dirty = false;
  region.addEventListener('input', function () {
    dirty = true;
  });
  region.addEventListener(
    'toggle',
    function () {
      dirty = true;
    },
    true,
  );

  var status = document.getElementById('live-status');
  function announce(text) {
    if (status) status.textContent = text;
  }

  // The server's time of the last read: the next refresh asks whether anything changed since, and
  // an unchanged view is answered 204 without reading the services (no audit entry for an idle tab).
  var since = null;
  var pending = null;
  function refresh() {
    var question = since ? since + ';' + live : 'full';
    fetch(location.href, { credentials: 'same-origin', headers: { 'x-live-refresh': question } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var at = response.headers.get('x-live-at');
        return response.text().then(function (text) {
          if (at) since = at;
          return response.status === 204 ? '' : text;
        });
      })
      .then(function (text) {
        if (!text) return;
        var next = new DOMParser().parseFromString(text, 'text/html').querySelector('[data-live-region]');
        if (!next || comparable(next.innerHTML) === shown) return;
        if (dirty) {
          announce(
            lang === 'en' ? 'New changes: reload the page to see them.' : 'Có thay đổi mới: tải lại trang để xem.',
          );
          return;
        }
        shown = comparable(next.innerHTML);
        region.innerHTML = next.innerHTML;
        followSectors();
        tick();
        announce(lang === 'en' ? 'Updated.' : 'Đã cập nhật.');
      })
      .catch(function () {
        /* The next event or a reload will try again. */
      });
  }

  // The services' read models follow the same events within moments (seconds on a busy server):
  // read now, then three more times.
  var later = [];
  function schedule() {
    clearTimeout(pending);
    pending = setTimeout(refresh, 300);
    later.forEach(clearTimeout);
    later = [setTimeout(refresh, 1500), setTimeout(refresh, 4000), setTimeout(refresh, 10000)];
  }

  function matches(update) {
    if (live.indexOf('case:') === 0) return update.caseId === live.slice(5);
    return true;
  }

  // A safety net for an event missed while the stream was down: read the view every minute.
  setInterval(refresh, 60000);

  var source = new EventSource('/events');
  // Whatever changed between rendering this page and connecting (or while reconnecting) is read once.
  source.addEventListener('open', function () {
    document.body.setAttribute('data-live-connected', 'true');
    refresh();
  });
  source.addEventListener('error', function () {
    document.body.removeAttribute('data-live-connected');
  });
  // The session ended (sign-out, expiry) or too many tabs are open: stop, do not reconnect.
  function stop() {
    source.close();
    document.body.removeAttribute('data-live-connected');
  }
  source.addEventListener('session-ended', stop);
  source.addEventListener('too-many-streams', stop);
  source.addEventListener('referral', function (message) {
    var update;
    try {
      update = JSON.parse(message.data);
    } catch {
      return;
    }
    if (matches(update)) schedule();
  });
  // Protection case moves refresh the protection officer's board and case list.
  source.addEventListener('protection', function () {
    if (live === 'board') schedule();
  });
})();
