// Drives Debian's Chromium through the TokenLedger dashboard for DashboardBrowserIT (Playwright never
// downloads a browser here). Three modes, each printing one line the Java test parses:
//   read  URL TOKEN|- PAGES_JSON SCREENSHOT_DIR   -> RESULT {page: {tiles, tables, texts}}   (what a person sees)
//   live  URL TOKEN|- SCOPE_KEY TIMEOUT_MS        -> READY <status>, then DENY <delay_ms>     (no reload in between)
//   open  URL TOKEN PAGE                          -> OPENED <state> <text>                  (a tenant token on another tenant's page)
//   firstchart URL TOKEN|- LOADS                  -> FIRSTCHART <ms> per load              (DashboardBenchmark: navigation start
//                                                    to the overview's stacked chart drawn; the first load has an empty cache)
const { chromium } = require('playwright-core');

const BROWSER = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

async function open(url, token) {
  const browser = await chromium.launch({ executablePath: BROWSER, args: ARGS, headless: true });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', e => console.error('PAGE ERROR ' + e.message));
  const sep = url.includes('?') ? '&' : '?';
  if (token && token !== '-') {
    // the first load keeps the token for the tab (sessionStorage) and takes it out of the address
    await page.goto(url.replace(/\/$/, '') + '/' + sep + 'token=' + encodeURIComponent(token) + '#/overview');
    await page.waitForSelector('main[data-state="ready"], main[data-state="error"]');
  }
  return { browser, page };
}

async function show(page, base, hash) {
  await page.goto(base.replace(/\/$/, '') + '/#/' + hash);
  // the page rendered for this address (not the one before it) and finished: ready, or refused
  await page.waitForFunction(h => {
    const m = document.querySelector('main');
    return location.hash === '#/' + h && m.dataset.hash === location.hash && (m.dataset.state === 'ready' || m.dataset.state === 'error');
  }, hash, { timeout: 30000 });
}

async function read(page) {
  return page.evaluate(() => {
    const tiles = {};
    document.querySelectorAll('[data-testid]').forEach(e => { tiles[e.dataset.testid] = e.textContent; });
    const tables = {};
    document.querySelectorAll('table[data-query]').forEach(t => {
      const cols = [...t.querySelectorAll('thead th')].map(th => th.textContent.replaceAll(' ', '_'));
      tables[t.dataset.query] = [...t.querySelectorAll('tbody tr[data-row]')].map(tr => {
        const row = {};
        tr.querySelectorAll('td[data-col]').forEach((td, i) => { row[td.dataset.col] = td.textContent; });
        return row;
      });
    });
    const scopes = {};
    document.querySelectorAll('.scope[data-scope]').forEach(s => {
      scopes[s.dataset.scope] = { status: s.querySelector('[data-testid=status]').textContent,
        spent: s.querySelector('[data-testid=spent]').textContent, limit: s.querySelector('[data-testid=limit]').textContent };
    });
    const charts = [...document.querySelectorAll('.chart[data-rendered=true] canvas')].length;
    return { state: document.querySelector('main').dataset.state, tiles, tables, scopes, charts };
  });
}

async function main() {
  const [mode, url, token, arg, extra] = process.argv.slice(2);
  const { browser, page } = await open(url, token);
  try {
    if (mode === 'read') {
      const pages = JSON.parse(arg);
      const result = {};
      for (const [name, hash] of Object.entries(pages)) {
        await show(page, url, hash);
        if (hash.startsWith('budgets')) await page.waitForSelector('#live-budgets .scope, #live-budgets .note');
        result[name] = await read(page);
        await page.screenshot({ path: extra + '/dashboard-' + name + '.png', fullPage: true });
      }
      console.log('RESULT ' + JSON.stringify(result));
    } else if (mode === 'live') {
      const sel = '.scope[data-scope="' + arg + '"] [data-testid=status]';
      await show(page, url, 'budgets');
      await page.waitForSelector(sel, { timeout: 30000 });
      console.log('READY ' + await page.textContent(sel));
      const navigations = [];
      page.on('framenavigated', f => { if (f === page.mainFrame()) navigations.push(f.url()); });
      await page.waitForFunction(s => document.querySelector(s)?.textContent === 'DENY', sel, { timeout: Number(extra), polling: 'raf' });
      const card = await page.$eval('.scope[data-scope="' + arg + '"]', c => ({ seen: Number(c.dataset.seenAt), updated: Date.parse(c.dataset.updatedAt) }));
      console.log('DENY ' + (card.seen - card.updated) + ' navigations=' + navigations.length);
    } else if (mode === 'firstchart') {
      for (let i = 0; i < Number(arg); i++) {
        await page.goto('about:blank');
        const started = Date.now();
        await page.goto(url.replace(/\/$/, '') + '/#/overview');
        await page.waitForSelector('#chart-daily-feature[data-rendered=true]', { timeout: 60000 });
        console.log('FIRSTCHART ' + (Date.now() - started));
      }
    } else if (mode === 'open') {
      await show(page, url, arg);
      const r = await read(page);
      const text = await page.textContent('main');
      console.log('OPENED ' + r.state + ' ' + JSON.stringify({ text, tables: Object.keys(r.tables) }));
    } else {
      throw new Error('unknown mode ' + mode);
    }
  } finally {
    await browser.close();
  }
}

main().catch(e => { console.error(e.stack || String(e)); process.exit(1); });
