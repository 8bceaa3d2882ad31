// Auditor console: reads the console JSON endpoints (same origin, session cookie) and draws tables, a timeline
// and two SVG charts. Every value is inserted with textContent or SVG attributes, never as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#2f5d8a', '#c27c2c', '#1f7a4d', '#8a3f8a', '#b3261e', '#4b8fb3', '#7a6a1f'];

async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.redirected || response.status === 401 || response.status === 403) {
    window.location.assign('/audit/login');
    throw new Error('signed out');
  }
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attributes || {}).forEach(([k, v]) => node.setAttribute(k, String(v)));
  if (text !== undefined) node.textContent = text;
  return node;
}

function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', '') : '–';
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min';
  if (seconds < 86400) return (seconds / 3600).toFixed(1) + ' h';
  return (seconds / 86400).toFixed(1) + ' d';
}

async function loadChainStatus() {
  const badge = document.getElementById('chain-status');
  const { verification, headSeq } = await getJson('/audit/api/verify');
  badge.classList.remove('intact', 'broken');
  if (verification.intact) {
    badge.textContent = 'chain intact · ' + verification.eventsChecked + ' events';
    badge.classList.add('intact');
  } else {
    badge.textContent = 'chain BROKEN at seq ' + verification.firstBrokenSeq + ': ' + verification.reason;
    badge.classList.add('broken');
  }
  // Pin the export to the head seen now, so the .jsonl and the .p7s cover exactly the same rows.
  document.getElementById('export-link').href = '/audit/export?fromSeq=1&toSeq=' + headSeq;
  document.getElementById('export-sig-link').href = '/audit/export.sig?fromSeq=1&toSeq=' + headSeq;
}

async function search(query) {
  const rows = await getJson('/audit/api/referrals?q=' + encodeURIComponent(query || ''));
  const body = document.querySelector('#results tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = el('tr');
    const td = el('td', 'no referral matches', 'empty');
    td.colSpan = 5;
    tr.append(td);
    body.append(tr);
  }
  rows.forEach(r => {
    const tr = el('tr', null, 'referral-row');
    tr.dataset.id = r.referralId;
    tr.append(el('td', r.referralId, 'mono'), el('td', r.sender), el('td', time(r.receivedAt)),
      el('td', r.lastStep), el('td', r.providers.join(', ')));
    tr.addEventListener('click', () => showTimeline(r.referralId, tr));
    body.append(tr);
  });
  if (rows.length === 1) showTimeline(rows[0].referralId, body.querySelector('tr'));
}

async function showTimeline(referralId, row) {
  document.querySelectorAll('#results tr.selected').forEach(tr => tr.classList.remove('selected'));
  if (row) row.classList.add('selected');
  const story = await getJson('/audit/api/referrals/' + encodeURIComponent(referralId));
  document.getElementById('timeline-title').textContent = referralId;
  const list = document.getElementById('timeline');
  list.replaceChildren();
  const views = story.events.filter(e => e.type === 'AUDITOR_QUERIED').length;
  story.events.filter(e => e.type !== 'AUDITOR_QUERIED').forEach(e => {
    const li = el('li', null, e.type);
    // The provider's acceptance is the ACKNOWLEDGED row; say so in words an auditor expects.
    const label = e.type === 'ACKNOWLEDGED' ? 'ACKNOWLEDGED (accepted)' : e.type;
    li.dataset.type = e.type;
    li.append(el('span', label, 'step'), el('span', time(e.at) + ' '));
    const who = e.counterpart ? (e.actor || '?') + ' → ' + e.counterpart : (e.actor || '');
    li.append(el('span', ' ' + who + ' '));
    if (e.detail) li.append(el('code', e.detail));
    li.append(el('div', '#' + e.seq + ' hash ' + e.hash.substring(0, 16) + '…', 'hash mono'));
    list.append(li);
  });
  list.append(el('li', 'looked up ' + views + ' time(s) by auditors (each lookup is itself in the trail)', 'muted'));
}

async function loadStuck(hours) {
  const rows = await getJson('/audit/api/stuck' + (hours === '' ? '' : '?hours=' + encodeURIComponent(hours)));
  const body = document.querySelector('#stuck tbody');
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = el('tr');
    const td = el('td', 'none', 'empty');
    td.colSpan = 4;
    tr.append(td);
    body.append(tr);
  }
  rows.forEach(r => {
    const tr = el('tr', null, 'referral-row');
    const at = r.awaiting.length ? r.lastStep + ' · awaiting ' + r.awaiting.join(', ') : r.lastStep;
    tr.append(el('td', r.referralId, 'mono'), el('td', r.sender), el('td', at), el('td', time(r.lastStepAt)));
    tr.addEventListener('click', () => showTimeline(r.referralId));
    body.append(tr);
  });
}

// Horizontal grid lines at whole-number steps (counts are integers), at most five of them.
function gridLines(chart, max, left, width, yOf) {
  const step = Math.max(1, Math.ceil(max / 4));
  for (let value = 0; value <= max; value += step) {
    const y = yOf(value);
    chart.append(svg('line', { x1: left, x2: width - 10, y1: y, y2: y, stroke: '#dde3ea' }));
    chart.append(svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, String(value)));
  }
}

function perDayChart(perDay) {
  const box = document.getElementById('chart-per-day');
  box.replaceChildren();
  const senders = Object.keys(perDay.counts);
  if (perDay.days.length === 0) { box.append(el('p', 'no referrals yet', 'empty')); return; }
  const width = 520, height = 220, left = 34, bottom = 36, top = 10;
  const totals = perDay.days.map((_, i) => senders.reduce((sum, s) => sum + perDay.counts[s][i], 0));
  const max = Math.max(1, ...totals);
  const slot = (width - left - 10) / perDay.days.length;
  const barWidth = Math.min(40, slot * 0.7);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 24}`, role: 'img', 'aria-label': 'referrals per day by sender' });
  const scale = v => (height - bottom - top) * v / max;
  gridLines(chart, max, left, width, y => height - bottom - scale(y));
  perDay.days.forEach((day, i) => {
    let y = height - bottom;
    const x = left + i * slot + (slot - barWidth) / 2;
    senders.forEach((sender, s) => {
      const h = scale(perDay.counts[sender][i]);
      if (h > 0) {
        const rect = svg('rect', { x, y: y - h, width: barWidth, height: h, fill: COLOURS[s % COLOURS.length] });
        rect.append(svg('title', {}, sender + ' ' + day + ': ' + perDay.counts[sender][i]));
        chart.append(rect);
        y -= h;
      }
    });
    chart.append(svg('text', { x: x + barWidth / 2, y: height - bottom + 14, 'text-anchor': 'middle' }, day.substring(5)));
  });
  senders.forEach((sender, s) => {
    const x = left + (s % 4) * 125, y = height + 4 + Math.floor(s / 4) * 14;
    chart.append(svg('rect', { x, y: y - 9, width: 10, height: 10, fill: COLOURS[s % COLOURS.length] }));
    chart.append(svg('text', { x: x + 14, y }, sender));
  });
  box.append(chart);
}

function timeChart(entries) {
  const box = document.getElementById('chart-time');
  box.replaceChildren();
  if (entries.length === 0) { box.append(el('p', 'no delivered referrals yet', 'empty')); return; }
  const buckets = [['< 1 min', 60], ['1–10 min', 600], ['10–60 min', 3600], ['1–6 h', 21600], ['6–24 h', 86400],
    ['1–3 d', 259200], ['> 3 d', Infinity]];
  const count = key => buckets.map(([, upper], i) => entries.filter(e => e[key] !== null
    && e[key] < upper && (i === 0 || e[key] >= buckets[i - 1][1])).length);
  const delivered = count('secondsToDelivery');
  const accepted = count('secondsToAcceptance');
  const width = 1000, height = 200, left = 34, bottom = 30, top = 10;
  const max = Math.max(1, ...delivered, ...accepted);
  const slot = (width - left - 10) / buckets.length;
  const bar = Math.min(36, slot * 0.35);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 20}`, role: 'img', 'aria-label': 'time from receipt to delivery and acceptance' });
  const scale = v => (height - bottom - top) * v / max;
  gridLines(chart, max, left, width, y => height - bottom - scale(y));
  buckets.forEach(([label], i) => {
    const x = left + i * slot + slot / 2;
    [[delivered[i], COLOURS[0], -bar], [accepted[i], COLOURS[2], 0]].forEach(([v, colour, dx]) => {
      const rect = svg('rect', { x: x + dx, y: height - bottom - scale(v), width: bar, height: scale(v), fill: colour });
      rect.append(svg('title', {}, label + ': ' + v));
      chart.append(rect);
    });
    chart.append(svg('text', { x, y: height - bottom + 14, 'text-anchor': 'middle' }, label));
  });
  [['delivered to a provider', COLOURS[0]], ['accepted by the provider', COLOURS[2]]].forEach(([label, colour], i) => {
    chart.append(svg('rect', { x: left + i * 200, y: height + 2, width: 10, height: 10, fill: colour }));
    chart.append(svg('text', { x: left + 14 + i * 200, y: height + 11 }, label));
  });
  const median = key => {
    const values = entries.map(e => e[key]).filter(v => v !== null).sort((a, b) => a - b);
    return values.length ? values[Math.floor(values.length / 2)] : null;
  };
  box.append(chart, el('p', 'median to delivery ' + duration(median('secondsToDelivery'))
    + ' · median to acceptance ' + duration(median('secondsToAcceptance')), 'muted'));
}

async function loadCharts() {
  const charts = await getJson('/audit/api/charts');
  perDayChart(charts.perDay);
  timeChart(charts.timeToOutcome);
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('search-form').addEventListener('submit', event => {
    event.preventDefault();
    search(document.getElementById('search-input').value.trim());
  });
  document.getElementById('stuck-form').addEventListener('submit', event => {
    event.preventDefault();
    loadStuck(document.getElementById('stuck-hours').value);
  });
  loadChainStatus();
  search('');
  loadStuck(document.getElementById('stuck-hours').value);
  loadCharts();
});
