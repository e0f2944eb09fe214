// Medida dashboard: the little script the server-rendered pages need. Each page names itself in
// <body data-page>; state-changing calls go to the JSON API (the server checks the role again).
'use strict';

const FINAL = ['EXE', 'WARN', 'FAIL'];

async function api(method, path, body) {
  const options = { method, headers: { 'Accept': 'application/json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new Error(json && json.error ? json.error : response.status + ' ' + response.statusText);
    error.body = json;
    throw error;
  }
  return json;
}

function element(tag, attributes, text) {
  const e = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function sleep(ms) { return new Promise(resolve => setTimeout(resolve, ms)); }

// ---- meter page: on-demand orders followed until their final state, and the load-profile chart

function meterPage() {
  const actions = document.getElementById('actions');
  if (actions) {
    actions.querySelectorAll('button[data-kind]').forEach(button =>
      button.addEventListener('click', () => runOrder(actions.dataset.serial, button.dataset.kind)));
  }
  const range = document.getElementById('range');
  range.addEventListener('submit', event => { event.preventDefault(); drawProfile(); });
  drawProfile();
}

async function runOrder(serial, kind) {
  const out = document.getElementById('order-result');
  out.replaceChildren(element('p', { id: 'order-state' }, kind + ': sending...'));
  try {
    let order = await api('POST', '/api/workorders', { serial, kind, priority: 'HIGH' });
    showOrder(out, order);
    while (!FINAL.includes(order.state)) {
      await sleep(1000);
      order = await api('GET', '/api/workorders/' + encodeURIComponent(order.correlationId));
      showOrder(out, order);
    }
  } catch (e) {
    out.replaceChildren(element('p', { id: 'order-state', class: 'error' }, kind + ' failed: ' + e.message));
  }
}

function showOrder(out, order) {
  const p = element('p', { id: 'order-state', 'data-state': order.state, class: order.state },
    order.kind + ' ' + order.state + (order.reason ? ': ' + order.reason : '') + ' (' + order.correlationId + ')');
  const parts = [p];
  if (order.supply) {
    const relay = order.supply.relayClosed ? 'closed (supply on)' : 'open (supply off)';
    parts.push(element('p', { id: 'order-supply' }, 'relay ' + relay));
    const known = document.getElementById('relay');
    if (known && FINAL.includes(order.state)) known.textContent = relay;
  }
  if (order.registers && order.registers.length) {
    const table = element('table', { id: 'order-registers' });
    table.appendChild(element('tr')).append(element('th', {}, 'OBIS'), element('th', {}, 'value'),
      element('th', {}, 'unit'), element('th', {}, 'captured'));
    order.registers.forEach(r => table.appendChild(element('tr')).append(element('td', {}, r.obis),
      element('td', {}, r.value), element('td', {}, r.unit), element('td', {}, r.captureTime || r.readAt)));
    parts.push(table);
  }
  out.replaceChildren(...parts);
}

let chart;

async function drawProfile() {
  const canvas = document.getElementById('profile');
  const note = document.getElementById('chart-note');
  const from = document.getElementById('from').value + ':00Z';
  const to = document.getElementById('to').value + ':00Z';
  try {
    const data = await api('GET', '/api/meters/' + encodeURIComponent(canvas.dataset.serial) + '/intervals?from='
      + encodeURIComponent(from) + '&to=' + encodeURIComponent(to));
    // cumulative channel values -> energy per interval, per reading type
    const series = new Map();
    data.values.forEach(v => {
      if (!series.has(v.readingType)) series.set(v.readingType, []);
      series.get(v.readingType).push(v);
    });
    const datasets = [];
    series.forEach((values, type) => {
      const points = [];
      for (let i = 1; i < values.length; i++) {
        points.push({ x: Date.parse(values[i].end), y: Number(values[i].value) - Number(values[i - 1].value) });
      }
      datasets.push({ label: type, data: points, pointRadius: 1.5, borderWidth: 1.5 });
    });
    if (chart) chart.destroy();
    chart = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        scales: {
          x: { type: 'linear', ticks: { callback: v => new Date(v).toISOString().substring(5, 16).replace('T', ' ') } },
          y: { title: { display: true, text: 'per interval (register unit)' } }
        }
      }
    });
    const count = datasets.reduce((n, d) => n + d.data.length, 0);
    note.textContent = count + ' intervals from ' + from + ' to ' + to;
    canvas.dataset.points = String(count);
  } catch (e) {
    note.textContent = 'Cannot show the profile: ' + e.message;
    note.className = 'error';
  }
}

// ---- plans: create (validation problems shown), follow progress

function plansPage() {
  const form = document.getElementById('new-plan');
  if (!form) return;
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const f = new FormData(form);
    const problems = document.getElementById('plan-problems');
    const body = {
      name: f.get('name'),
      target: { kind: f.get('targetKind'), value: f.get('targetValue') },
      kinds: f.getAll('kinds'),
      firstDay: f.get('firstDay'), lastDay: f.get('lastDay'),
      windowStart: f.get('windowStart'), windowEnd: f.get('windowEnd'),
      maxAttempts: Number(f.get('maxAttempts')), retryAfterSeconds: Number(f.get('retryAfterSeconds'))
    };
    try {
      const plan = await api('POST', '/api/plans', body);
      window.location = '/plans/' + (plan.id !== undefined ? plan.id : plan.planId);
    } catch (e) {
      const list = (e.body && e.body.problems) || [];
      problems.replaceChildren(element('p', {}, e.message), ...list.map(p => element('p', {}, String(p))));
    }
  });
}

async function planPage() {
  const section = document.getElementById('plan-progress');
  const cancel = document.getElementById('cancel-plan');
  if (cancel) {
    cancel.addEventListener('click', async () => {
      await api('POST', '/api/plans/' + cancel.dataset.plan + '/cancel', {});
      window.location.reload();
    });
  }
  for (;;) {
    try {
      const plan = await api('GET', '/api/plans/' + section.dataset.plan);
      const counts = plan.counts || {};
      const total = ['waiting', 'running', 'exe', 'warn', 'fail'].reduce((n, k) => n + (counts[k] || 0), 0);
      ['waiting', 'running', 'exe', 'warn', 'fail'].forEach(k => {
        document.getElementById('bar-' + k).max = Math.max(total, 1);
        document.getElementById('bar-' + k).value = counts[k] || 0;
        document.getElementById('count-' + k).textContent = String(counts[k] || 0);
      });
      if (plan.state) document.getElementById('plan-state').textContent = plan.state;
      section.dataset.total = String(total);
    } catch (e) {
      section.dataset.error = e.message;
    }
    await sleep(1000);
  }
}

// ---- alarms, users

function alarmsPage() {
  document.querySelectorAll('button.acknowledge').forEach(button => button.addEventListener('click', async () => {
    try {
      await api('POST', '/api/alarms/' + button.dataset.alarm + '/acknowledge', {});
      window.location.reload();
    } catch (e) {
      button.replaceWith(element('span', { class: 'error' }, e.message));
    }
  }));
}

function usersPage() {
  const problem = document.getElementById('user-problem');
  const show = e => { problem.textContent = e.message; };
  const change = (user, body) => api('PUT', '/api/users/' + encodeURIComponent(user), body)
    .then(() => window.location.reload(), show);
  document.querySelectorAll('select.user-role').forEach(select =>
    select.addEventListener('change', () => change(select.dataset.user, { role: select.value })));
  document.querySelectorAll('button.user-enable').forEach(button =>
    button.addEventListener('click', () => change(button.dataset.user, { enabled: button.dataset.enabled === 'true' })));
  document.querySelectorAll('button.user-password').forEach(button => button.addEventListener('click', () => {
    const password = window.prompt('New password for ' + button.dataset.user + ' (at least 10 characters)');
    if (password) change(button.dataset.user, { password });
  }));
  document.getElementById('new-user').addEventListener('submit', event => {
    event.preventDefault();
    const f = new FormData(event.target);
    api('POST', '/api/users', { username: f.get('username'), role: f.get('role'), password: f.get('password') })
      .then(() => window.location.reload(), show);
  });
}

const PAGES = { meter: meterPage, plans: plansPage, plan: planPage, alarms: alarmsPage, users: usersPage };

document.addEventListener('DOMContentLoaded', () => {
  const page = PAGES[document.body.dataset.page];
  if (page) page();
});
