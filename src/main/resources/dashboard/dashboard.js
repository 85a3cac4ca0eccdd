// The operator's page: polls GET /api/metrics/overview with the token kept in sessionStorage and
// shows the flow, dead letters (replay: POST /api/dlq/{service}/replay, admin), an order's timeline
// (GET /api/orders/{id}) and a file's status (GET /api/files/{id}). No build step, no library.
(function () {
  'use strict';
  const KEY = 'hubToken';
  const POLL_MS = Number(new URLSearchParams(location.search).get('poll')) || 2000;
  const $ = (id) => document.getElementById(id);
  let previous = null;
  let timer = null;

  function token() { return sessionStorage.getItem(KEY); }

  async function api(method, path) {
    const response = await fetch(path, {
      method,
      headers: { Authorization: 'Bearer ' + token(), Accept: 'application/json' },
      cache: 'no-store'
    });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
    if (!response.ok) {
      const detail = body && (body.detail || body.title) ? (body.detail || body.title) : response.statusText;
      throw new Error(response.status + ': ' + detail);
    }
    return body;
  }

  function cell(text, attrs, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    Object.entries(attrs || {}).forEach(([k, v]) => td.setAttribute(k, v));
    return td;
  }

  function rate(service, type, processed, seconds) {
    if (!previous || seconds <= 0) return '–';
    const before = previous.get(service + '|' + type);
    return before === undefined ? '–' : ((processed - before) / seconds).toFixed(1);
  }

  function render(overview) {
    const now = Date.parse(overview.at);
    const seconds = previous ? (now - previous.at) / 1000 : 0;
    const counts = new Map();
    const body = $('flow').querySelector('tbody');
    body.replaceChildren();
    for (const flow of overview.flow) {
      flow.services.forEach((s, i) => {
        const tr = document.createElement('tr');
        const at = { 'data-type': flow.type, 'data-service': s.service };
        tr.appendChild(cell(i === 0 ? flow.type : '', {}, 'type'));
        tr.appendChild(cell(s.service));
        tr.appendChild(cell(rate(s.service, flow.type, s.processed, seconds), { ...at, 'data-field': 'throughput' }));
        tr.appendChild(cell(s.processed, { ...at, 'data-field': 'processed' }));
        tr.appendChild(cell(s.failed, { ...at, 'data-field': 'failed' }, s.failed > 0 ? 'alert' : ''));
        tr.appendChild(cell(s.retried, { ...at, 'data-field': 'retried' }));
        tr.appendChild(cell(s.duplicates, { ...at, 'data-field': 'duplicates' }));
        tr.appendChild(cell(s.lag, { ...at, 'data-field': 'lag' }, s.lag > 0 ? 'alert' : ''));
        tr.appendChild(cell(s.dlqPending, { ...at, 'data-field': 'dlq' }, s.dlqPending > 0 ? 'alert' : ''));
        body.appendChild(tr);
        counts.set(s.service + '|' + flow.type, s.processed);
      });
    }
    const dlq = $('dlq').querySelector('tbody');
    // redrawn only when a count changed, so a button is not replaced under the pointer
    const dlqKey = JSON.stringify(overview.services.map((s) => [s.service, s.dlqPending, s.deadLettered]));
    if (dlq.getAttribute('data-key') !== dlqKey) {
      dlq.setAttribute('data-key', dlqKey);
      dlq.replaceChildren();
      for (const s of overview.services) {
        const tr = document.createElement('tr');
        tr.appendChild(cell(s.service));
        tr.appendChild(cell(s.dlqPending, { 'data-dlq': s.service }, s.dlqPending > 0 ? 'alert' : ''));
        tr.appendChild(cell(s.deadLettered));
        const td = document.createElement('td');
        const button = document.createElement('button');
        button.className = 'replay';
        button.id = 'replay-' + s.service;
        button.textContent = 'Replay';
        button.disabled = s.dlqPending === 0;
        button.addEventListener('click', () => replay(s.service, button));
        td.appendChild(button);
        tr.appendChild(td);
        dlq.appendChild(tr);
      }
    }
    const intake = overview.intake || {};
    let accepted = 0, refused = 0;
    Object.entries(intake).forEach(([status, n]) => { if (status.startsWith('2')) accepted += n; else refused += n; });
    $('intake-accepted').textContent = accepted;
    $('intake-refused').textContent = refused;
    $('pending-orders').textContent = overview.pending.orders;
    $('pending-files').textContent = overview.pending.files;
    counts.at = now;
    previous = counts;
    $('status').textContent = 'Updated ' + new Date(now).toLocaleTimeString() + ' · every ' + POLL_MS / 1000 + ' s';
    $('status').className = 'muted';
  }

  async function poll() {
    try {
      render(await api('GET', '/api/metrics/overview'));
    } catch (e) {
      $('status').textContent = 'Overview unavailable: ' + e.message;
      $('status').className = 'error';
    }
  }

  function start() {
    if (timer) clearInterval(timer);
    if (!token()) return;
    poll();
    timer = setInterval(poll, POLL_MS);
  }

  async function replay(service, button) {
    button.disabled = true;
    try {
      const answer = await api('POST', '/api/dlq/' + encodeURIComponent(service) + '/replay');
      $('replay-result').textContent = 'Replayed ' + answer.replayed + ' dead letter(s) of ' + service + '.';
      $('replay-result').className = 'muted';
      poll();
    } catch (e) {
      $('replay-result').textContent = 'Replay of ' + service + ' failed: ' + e.message;
      $('replay-result').className = 'error';
      button.disabled = false;
    }
  }

  function list(items, line) {
    const ol = document.createElement('ol');
    items.forEach((item) => { const li = document.createElement('li'); li.textContent = line(item); ol.appendChild(li); });
    return ol;
  }

  function show(target, title, status, more) {
    target.replaceChildren();
    const p = document.createElement('p');
    p.textContent = title + ' ';
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = status;
    badge.setAttribute('data-status', status);
    p.appendChild(badge);
    target.appendChild(p);
    if (more) target.appendChild(more);
  }

  async function lookup(kind, id, target) {
    if (!id) return;
    try {
      if (kind === 'order') {
        const order = await api('GET', '/api/orders/' + encodeURIComponent(id));
        show(target, 'Order ' + id + (order.reason ? ' (' + order.reason + ')' : ''), order.status,
          list(order.timeline || [], (e) => e.at + '  ' + e.type + (e.applied ? '' : ' (not applied)') + (e.note ? ' · ' + e.note : '')));
      } else {
        const file = await api('GET', '/api/files/' + encodeURIComponent(id));
        show(target, 'File ' + (file.name || id), file.status,
          list(Object.entries(file.tasks || {}), ([task, t]) => task + ': ' + (t && t.status ? t.status : t)));
      }
    } catch (e) {
      target.replaceChildren();
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = e.message;
      target.appendChild(p);
    }
  }

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(KEY, $('token').value.trim());
    $('token').value = '';
    start();
  });
  $('order-form').addEventListener('submit', (e) => { e.preventDefault(); lookup('order', $('order-id').value.trim(), $('order-result')); });
  $('file-form').addEventListener('submit', (e) => { e.preventDefault(); lookup('file', $('file-id').value.trim(), $('file-result')); });
  start();
})();
