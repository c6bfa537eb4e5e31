// The dashboard's pages: plain ES modules, ECharts from the jar (webjar), data from /api/v1.
// Every number shown comes from the API as the warehouse computed it; the page only formats it.
import * as echarts from '/vendor/echarts/echarts.esm.min.js';
import { usd, pct, count } from '/decimal.js';

const TOKEN_KEY = 'tokenledger.token';
const FILTERS = ['from', 'to', 'feature', 'tenant', 'plan', 'env'];
let meta = null;
let stream = null;       // the open budget event stream (an AbortController)
let charts = [];

// A token given as ?token=... is kept for the tab and removed from the address bar.
(function takeToken() {
  const u = new URL(location.href);
  const t = u.searchParams.get('token');
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    u.searchParams.delete('token');
    history.replaceState(null, '', u.pathname + u.search + u.hash);
  }
})();

function headers() {
  const t = sessionStorage.getItem(TOKEN_KEY);
  return t ? { Authorization: 'Bearer ' + t } : {};
}

class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path) {
  const r = await fetch(path, { headers: headers() });
  if (!r.ok) {
    let msg = 'HTTP ' + r.status;
    try { const b = await r.json(); msg = b.error + (b.error_id ? ' (id ' + b.error_id + ')' : ''); } catch (e) { /* not JSON */ }
    throw new ApiError(r.status, msg);
  }
  return r.json();
}

function route() {
  const h = location.hash.replace(/^#\/?/, '');
  const [page, q = ''] = h.split('?');
  return { page: page || 'overview', params: new URLSearchParams(q) };
}

function filterQuery(params, extra = {}) {
  const q = new URLSearchParams();
  for (const f of [...FILTERS, 'root']) if (params.get(f)) q.set(f, params.get(f));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

async function query(name, params, extra) {
  return api('/api/v1/query/' + name + '?' + filterQuery(params, extra));
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = !message;
}

/** How a column's value is written: money, ratio, count or text, from its name. */
function cell(col, v) {
  if (col.endsWith('_usd')) return { text: usd(v, 4), num: true };
  if (col.endsWith('_pct') && col !== 'threshold_pct' || col.startsWith('share') || col.endsWith('_rate') || col.endsWith('_trend')) {
    return { text: pct(v), num: true };
  }
  if (typeof v === 'number') return { text: count(v), num: true };
  if (v === null) return { text: '–', num: false };
  return { text: String(v), num: false };
}

/** A table of a query's numbers, each cell tagged with its column (data-col) for people and tests. */
function table(t, opts = {}) {
  const cols = opts.columns || t.columns;
  const idx = cols.map(c => t.columns.indexOf(c));
  const tbl = el('table', { 'data-query': t.name });
  tbl.append(el('thead', {}, el('tr', {}, ...cols.map(c => el('th', {}, c.replaceAll('_', ' '))))));
  const body = el('tbody');
  t.rows.forEach((row, r) => {
    const tr = el('tr', { 'data-row': r });
    cols.forEach((c, i) => {
      const v = row[idx[i]];
      const f = cell(c, v);
      const td = el('td', { 'data-col': c, class: f.num ? 'num' : '' });
      if (opts.link && opts.link[c]) {
        td.append(el('a', { class: 'root', onclick: () => opts.link[c](v, row) }, f.text));
      } else {
        td.textContent = f.text;
      }
      tr.append(td);
    });
    body.append(tr);
  });
  if (!t.rows.length) body.append(el('tr', {}, el('td', { colspan: cols.length, class: 'note' }, 'No rows for these filters.')));
  tbl.append(body);
  return tbl;
}

/** The CSV of one query with the page's filters, fetched with the token and saved. */
function csvButton(name, params, extra = {}) {
  return el('button', {
    type: 'button', 'data-csv': name,
    onclick: async () => {
      const r = await fetch('/api/v1/query/' + name + '?' + filterQuery(params, { ...extra, format: 'csv' }), { headers: headers() });
      const blob = await r.blob();
      const a = el('a', { href: URL.createObjectURL(blob), download: name + '.csv' });
      document.body.append(a); a.click(); a.remove();
    }
  }, 'CSV');
}

function section(title, name, params, extra, ...content) {
  return el('section', { 'data-section': name }, el('h2', {}, title, name ? csvButton(name, params, extra) : null), ...content);
}

function chart(container, option) {
  const c = echarts.init(container, null, { renderer: 'canvas' });
  // no animation: what the page shows is final at once (and the first chart is not delayed by a tween)
  c.setOption({ animation: false, ...option });
  charts.push(c);
  container.setAttribute('data-rendered', 'true');
  return c;
}

/** Bar heights need numbers; the labels and tooltips keep the exact strings. */
const height = s => (s === null ? 0 : Number(s));

function stackedByFeature(container, t) {
  const days = [...new Set(t.rows.map(r => r[0]))];
  const features = [...new Set(t.rows.map(r => r[1]))];
  const exact = new Map(t.rows.map(r => [r[0] + '|' + r[1], r[3]]));
  chart(container, {
    tooltip: { trigger: 'item', formatter: p => p.seriesName + ' ' + p.name + ': ' + usd(exact.get(p.name + '|' + p.seriesName), 4) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 60, right: 10, top: 10, bottom: 50 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', axisLabel: { formatter: v => '$' + v } },
    series: features.map(f => ({ name: f, type: 'bar', stack: 'cost', data: days.map(d => height(exact.get(d + '|' + f) ?? null)) })),
  });
}

// ---------------------------------------------------------------------------------------------- pages

async function overview(main, params) {
  // every query leaves at once; each part is drawn as soon as its own answer is in (the chart first, when it can)
  const summaryQ = query('summary', params);
  const dailyQ = query('daily_feature', params);
  const topsQ = Promise.all([query('top_features', params), query('top_tenants', params), query('top_models', params)]);
  const budgetsQ = api('/api/v1/budgets');
  const tiles = el('div', { class: 'tiles' });
  const box = el('div', { class: 'chart', id: 'chart-daily-feature' });
  const tops = el('div', { class: 'grid' });
  main.append(tiles, section('Spend per feature per day', 'daily_feature', params, {}, box), tops);
  const drawChart = dailyQ.then(daily => stackedByFeature(box, daily));
  const summary = await summaryQ;
  const s = Object.fromEntries(summary.columns.map((c, i) => [c, summary.rows[0][i]]));
  const tile = (label, id, value, trendId, trend) => el('div', { class: 'tile' }, el('div', { class: 'label' }, label),
      el('div', { class: 'value', 'data-testid': id }, value), el('div', { class: 'trend', 'data-testid': trendId }, trend));
  tiles.append(
      tile('Spend today (UTC)', 'today-usd', usd(s.today_usd), 'today-trend',
          'vs yesterday ' + usd(s.yesterday_usd) + ': ' + (s.today_trend === null ? 'new' : pct(s.today_trend))),
      tile('Spend this month', 'month-usd', usd(s.month_usd), 'month-trend',
          'vs same days last month ' + usd(s.last_month_same_days_usd) + ': ' + (s.month_trend === null ? 'new' : pct(s.month_trend))),
      tile('Calls today', 'today-calls', count(s.today_calls), 'month-calls', count(s.month_calls) + ' this month'));
  const [feats, tenants, models] = await topsQ;
  tops.append(
      section('Top features', 'top_features', params, {}, table(feats)),
      section('Top tenants', 'top_tenants', params, {}, table(tenants)),
      section('Top models', 'top_models', params, {}, table(models)));
  await drawChart;
  const burn = el('div', { id: 'burn-rate' });
  main.append(el('section', { 'data-section': 'burn_rate' }, el('h2', {}, 'Burn rate per budget'), burn));
  const b = await budgetsQ;
  if (!b.live) {
    burn.append(el('p', { class: 'note', 'data-testid': 'live-off' }, b.message));
  } else {
    for (const sc of b.scopes) {
      burn.append(el('p', { 'data-scope': sc.scope_key }, el('b', {}, sc.scope_key), ': spent ', usd(sc.spent_usd), ' of ', usd(sc.limit_usd),
          ' — ', runsOut(sc)));
    }
    if (!b.scopes.length) burn.append(el('p', { class: 'note' }, 'No budgets.'));
  }
}

function runsOut(sc) {
  if (sc.runs_out_at === null) return 'at this period\'s rate it lasts until the period ends (' + sc.period_end + ')';
  if (Number(sc.remaining_usd) <= 0) return 'exhausted';
  return 'at this period\'s rate it runs out on ' + sc.runs_out_at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function scopeCard(sc) {
  const limit = height(sc.limit_usd);
  const spentW = limit > 0 ? Math.min(100, 100 * height(sc.spent_usd) / limit) : 100;
  const heldW = limit > 0 ? Math.min(100 - spentW, 100 * (height(sc.reserved_usd) + height(sc.leased_usd)) / limit) : 0;
  const o = sc.override;
  // data-updated-at / data-seen-at: when the enforcer changed the state and when this page showed it
  return el('div', { class: 'scope', 'data-scope': sc.scope_key, 'data-updated-at': sc.updated_at, 'data-seen-at': String(Date.now()) },
      el('div', {}, el('b', {}, sc.scope_key), ' ', el('span', { class: 'status ' + sc.status, 'data-testid': 'status' }, sc.status),
          ' ', el('span', { class: 'note' }, sc.mode + ' · ' + (sc.period || '') + ' · ' + sc.reason_code)),
      el('div', { class: 'bar ' + sc.status }, el('div', { class: 'spent', style: 'width:' + spentW + '%' }),
          el('div', { class: 'held', style: 'left:' + spentW + '%;width:' + heldW + '%' })),
      el('div', {}, 'spent ', el('span', { 'data-testid': 'spent' }, usd(sc.spent_usd, 4)), ' · reserved ', usd(sc.reserved_usd, 4),
          ' · leased ', usd(sc.leased_usd, 4), ' · limit ', el('span', { 'data-testid': 'limit' }, usd(sc.limit_usd, 4)),
          ' · remaining ', usd(sc.remaining_usd, 4)),
      el('div', { class: 'note' }, 'thresholds ' + (sc.thresholds_pct.length ? sc.thresholds_pct.join(' / ') + ' %' : '–') + ' · ' + runsOut(sc)),
      o ? el('div', { class: 'note' }, 'override by ' + o.by + ' until ' + o.until + ': ' + o.reason + ' (limit ' + usd(o.limit_usd) + ')') : null);
}

async function budgets(main, params) {
  const live = el('div', { id: 'live-budgets' });
  main.append(el('section', { 'data-section': 'budget_state' }, el('h2', {}, 'Budgets, live'), live));
  const cards = new Map();
  const render = sc => {
    const card = scopeCard(sc);
    const old = cards.get(sc.scope_key);
    if (old) old.replaceWith(card); else live.append(card);
    cards.set(sc.scope_key, card);
  };
  openStream(snapshot => {
    live.replaceChildren();
    cards.clear();
    if (!snapshot.live) live.append(el('p', { class: 'note', 'data-testid': 'live-off' }, snapshot.message));
    else if (!snapshot.scopes.length) live.append(el('p', { class: 'note' }, 'No budget state yet.'));
    snapshot.scopes.forEach(render);
  }, render);
  const [alerts, overrides, denials] = await Promise.all([query('alerts', params), query('overrides', params), query('denials', params)]);
  const timeline = el('div', { class: 'chart', id: 'chart-alerts' });
  main.append(section('Alert timeline', 'alerts', params, {}, timeline, table(alerts)));
  chart(timeline, {
    tooltip: { trigger: 'item', formatter: p => p.data[2] },
    grid: { left: 160, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'time' },
    yAxis: { type: 'category', data: [...new Set(alerts.rows.map(r => r[1]))] },
    series: [{ type: 'scatter', symbolSize: 12,
      data: alerts.rows.map(r => [r[0], r[1], r[1] + ' ' + r[2] + ' % at ' + r[0] + ': spent ' + usd(r[3], 4) + ' of ' + usd(r[4], 4) + ' → ' + r[5]]) }],
  });
  main.append(el('div', { class: 'grid' },
      section('Overrides: who and why', 'overrides', params, {}, table(overrides)),
      section('Denials by reason code', 'denials', params, {}, table(denials))));
}

/** Follows /api/v1/budgets/events (server-sent events, read with fetch so the bearer token goes along). */
async function openStream(onSnapshot, onState) {
  const ctl = new AbortController();
  stream = ctl;
  try {
    const r = await fetch('/api/v1/budgets/events', { headers: headers(), signal: ctl.signal });
    if (!r.ok) throw new ApiError(r.status, 'budget events: HTTP ' + r.status);
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block);
        const data = /^data: (.*)$/m.exec(block);
        if (!ev || !data) continue;
        const body = JSON.parse(data[1]);
        if (ev[1] === 'snapshot') onSnapshot(body); else if (ev[1] === 'state') onState(body);
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') showError(e.message);
  }
}

async function economics(main, params) {
  const [cpu, margin, cache, mix] = await Promise.all([query('cost_per_active_user', params), query('tenant_margin', params),
    query('cache_savings', params), query('model_mix', params)]);
  main.append(section('Cost per active user (median and p90 across tenants)', 'cost_per_active_user', params, {}, table(cpu)));
  main.append(el('div', { class: 'grid' },
      section('Tenant margin', 'tenant_margin', params, {}, table(margin)),
      section('Cache hit rate and savings', 'cache_savings', params, {}, table(cache))));
  const box = el('div', { class: 'chart', id: 'chart-model-mix' });
  main.append(section('Model mix per feature over time (share of the feature\'s daily cost)', 'model_mix', params, {}, box, table(mix)));
  const days = [...new Set(mix.rows.map(r => r[0]))];
  const keys = [...new Set(mix.rows.map(r => r[1] + ' · ' + r[2]))];
  const share = new Map(mix.rows.map(r => [r[0] + '|' + r[1] + ' · ' + r[2], r[5]]));
  chart(box, {
    tooltip: { trigger: 'item', formatter: p => p.seriesName + ' ' + p.name + ': ' + pct(share.get(p.name + '|' + p.seriesName)) },
    legend: { type: 'scroll', bottom: 0 },
    grid: { left: 50, right: 10, top: 10, bottom: 50 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value', max: 1, axisLabel: { formatter: v => Math.round(v * 100) + ' %' } },
    series: keys.map(k => ({ name: k, type: 'line', data: days.map(d => height(share.get(d + '|' + k) ?? null)) })),
  });
}

async function workflows(main, params) {
  const list = await query('workflows', params);
  const detail = el('div', { id: 'workflow-detail' });
  const open = root => { const p = new URLSearchParams(params); p.set('root', root); location.hash = '#/workflows?' + p; };
  main.append(section('Costliest user actions', 'workflows', params, {}, table(list, { link: { root_request_id: open } })));
  main.append(el('section', { 'data-section': 'workflow' }, el('h2', {}, 'Call tree', params.get('root') ? csvButton('workflow', params) : null), detail));
  if (!params.get('root')) {
    detail.append(el('p', { class: 'note' }, 'Pick a user action above.'));
    return;
  }
  const w = await query('workflow', params);
  if (!w.rows.length) { detail.append(el('p', { class: 'note' }, 'No calls for ' + params.get('root'))); return; }
  const col = c => w.columns.indexOf(c);
  detail.append(el('p', {}, 'Root ', el('b', {}, params.get('root')), ': ', count(w.rows.length), ' calls, total ',
      el('span', { 'data-testid': 'workflow-total' }, usd(w.rows[0][col('workflow_cost_usd')], 4))));
  const byParent = new Map();
  const ids = new Set(w.rows.map(r => r[col('request_id')]));
  for (const r of w.rows) {
    const p = ids.has(r[col('parent_request_id')]) ? r[col('parent_request_id')] : null;
    if (!byParent.has(p)) byParent.set(p, []);
    byParent.get(p).push(r);
  }
  const node = r => el('li', { 'data-request': r[col('request_id')] },
      el('b', {}, r[col('model')]), ' ', r[col('kind')], r[col('attempt')] > 1 ? ' (attempt ' + r[col('attempt')] + ')' : '',
      ' · in ' + count(r[col('input_tokens')]) + ' · out ' + count(r[col('output_tokens')]) + ' (reasoning ' + count(r[col('reasoning_tokens')])
      + ') · cache read ' + count(r[col('cache_read_tokens')]) + ' · cache write ' + count(r[col('cache_write_tokens')]) + ' · ',
      el('span', { 'data-col': 'cost_usd' }, usd(r[col('cost_usd')], 6)),
      byParent.has(r[col('request_id')]) ? el('ul', {}, ...byParent.get(r[col('request_id')]).map(node)) : null);
  detail.append(el('div', { class: 'tree' }, el('ul', {}, ...(byParent.get(null) || []).map(node))));
}

async function unpriced(main, params) {
  const t = await query('unpriced', params);
  const box = el('div', { class: 'chart', id: 'chart-unpriced' });
  main.append(section('Calls no price entry covered, by model', 'unpriced', params, {}, box, table(t)));
  chart(box, {
    tooltip: {}, grid: { left: 200, right: 20, top: 10, bottom: 30 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', data: t.rows.map(r => r[0] + ' / ' + r[1]) },
    series: [{ type: 'bar', data: t.rows.map(r => r[2]) }],
  });
  if (!t.rows.length) main.append(el('p', { class: 'note', 'data-testid': 'all-priced' }, 'Every call in this range was priced.'));
}

const PAGES = { overview, budgets, economics, workflows, unpriced };

async function render() {
  if (stream) { stream.abort(); stream = null; }
  charts.forEach(c => c.dispose());
  charts = [];
  const { page, params } = route();
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.dataset.page === page));
  const form = document.getElementById('filters');
  for (const f of FILTERS) form.elements[f].value = params.get(f) || '';
  if (meta && meta.tenant) form.elements.tenant.value = params.get('tenant') || meta.tenant;
  const main = document.getElementById('page');
  main.replaceChildren();
  main.dataset.page = page;
  main.dataset.hash = location.hash;
  main.dataset.state = 'loading';
  showError('');
  try {
    if (!meta) {
      meta = await api('/api/v1/meta');
      document.getElementById('whoami').textContent = (meta.tenant ? 'tenant ' + meta.tenant : 'all tenants') + ' · ' + meta.warehouse
          + (meta.live ? ' · live' : ' · no live state');
    }
    await (PAGES[page] || overview)(main, params);
    main.dataset.state = 'ready';
  } catch (e) {
    main.dataset.state = 'error';
    main.replaceChildren(el('p', { 'data-testid': 'refused' }, e.message));
    showError(e.message);
  }
}

document.getElementById('filters').addEventListener('submit', ev => {
  ev.preventDefault();
  const form = ev.target;
  const q = new URLSearchParams();
  for (const f of FILTERS) if (form.elements[f].value) q.set(f, form.elements[f].value);
  location.hash = '#/' + route().page + (q.toString() ? '?' + q : '');
});
window.addEventListener('hashchange', render);
window.addEventListener('resize', () => charts.forEach(c => c.resize()));
render();
