// The expert-facing item analysis page web/analysis.html in a real Chromium (issue 10 item 6),
// run by tests/e2e/t0051-analysis.sh: agency staff sign in on the scoring page of run KW_RUN
// and follow its link to /analysis.html, where that run (the latest of subject 01) is chosen;
// the overview gives the sheets analysed and the reliability; the items table has one row per master item with the flagged ones marked
// (class "flagged" on exactly the rows whose flags the API lists); the histogram image loads
// (an SVG of 800 px) and changes with the centre picked; the XLSX link points at the report;
// the correct options appear only after the confirmation (key=1, audited) and the key column
// shows the master key; English redraws the page; a screenshot of each state.
// Usage: node analysis.mjs BASE_URL SCREENSHOT_DIR (KW_EXAM, KW_RUN)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const env = process.env;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
let page = null;
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  // from the scoring page's run: its link to the analysis
  await page.goto(base + `/scoring.html?exam=${encodeURIComponent(env.KW_EXAM)}&subject=01&run=${env.KW_RUN}`);
  await page.locator('#username').waitFor();
  await page.fill('#username', 'agency');
  await page.fill('#password', 'agency-password-1');
  await page.click('#login button[type=submit]');
  await page.locator('#to-analysis').click();
  await page.waitForURL(/\/analysis\.html\?/);
  await page.locator('table.items-list tbody tr').first().waitFor();
  check(await page.locator('#run').inputValue() === env.KW_RUN, 'the latest run is not the one chosen');
  check(new URL(page.url()).searchParams.get('run') === env.KW_RUN, 'the address does not name the run');
  // the API's own answer, to compare with what the page shows
  const a = await page.evaluate(async (run) => (await fetch(`/api/v1/score_runs/${run}/analysis`)).json(), env.KW_RUN);
  check((await page.locator('#n-sheets').innerText()).trim() === String(a.sheets), 'the sheets analysed');
  check((await page.locator('#alpha').innerText()).trim() === Number(a.reliability.alpha).toFixed(3), 'alpha');
  const rows = page.locator('table.items-list tbody tr');
  check(await rows.count() === a.items.length, `${await rows.count()} item rows, the API has ${a.items.length}`);
  const flagged = await rows.evaluateAll((trs) => trs.map((tr) => tr.classList.contains('flagged')));
  check(JSON.stringify(flagged) === JSON.stringify(a.items.map((it) => it.flags.length > 0)), 'flagged rows: ' + JSON.stringify(flagged));
  check((await page.locator('#flagged').innerText()).includes(String(flagged.filter(Boolean).length)), 'the count of flagged items');
  check(await page.locator('.opt.correct').count() === 0, 'a correct option shown without asking');
  // ordered by discrimination: the lowest first
  await page.selectOption('#sort', 'disc');
  const first = (await page.locator('table.items-list tbody tr').first().locator('td').first().innerText()).trim();
  const lowest = [...a.items].sort((x, y) => (x.discrimination ?? -2) - (y.discrimination ?? -2) || x.item - y.item)[0].item;
  check(first === String(lowest), `sorted by discrimination: item ${first} first, not ${lowest}`);
  await page.selectOption('#sort', 'item');
  // the histogram: the server's SVG, loaded
  const img = page.locator('#histogram img');
  await page.waitForFunction(() => { const i = document.querySelector('#histogram img'); return i && i.complete && i.naturalWidth > 0; });
  check(await img.evaluate((i) => i.naturalWidth) === 800, 'the histogram is not 800 px wide');
  check((await img.getAttribute('src')).endsWith('/histogram.svg?lang=zh-CN'), 'the histogram is not the subject\'s SVG');
  check((await page.locator('#xlsx').getAttribute('href')) === `/api/v1/score_runs/${env.KW_RUN}/report.xlsx?lang=zh-CN`, 'the XLSX link');
  await page.screenshot({ path: join(shots, 'analysis-1-zh.png'), fullPage: true });
  const centre = a.centres[0];
  await page.selectOption('#pic', 'centre:' + centre.id);
  check((await img.getAttribute('src')).endsWith('/histogram.svg?centre=' + centre.id + '&lang=zh-CN'), 'the centre\'s histogram');
  await page.waitForFunction(() => { const i = document.querySelector('#histogram img'); return i && i.complete && i.naturalWidth > 0; });
  // the key: a confirmation, then key=1
  await page.click('#key-toggle');
  await page.click('#dlg-ok');
  await page.locator('table.items-list thead th', { hasText: '答案' }).waitFor();
  await page.locator('#flash .alert.ok').waitFor();
  const keys = await page.locator('table.items-list tbody tr td:last-child').evaluateAll((tds) => tds.map((td) => td.innerText.trim()));
  check(keys.join(',') === 'B,D,ACD,A,BC,E', 'the key column: ' + keys.join(','));
  check(await page.locator('.opt.correct').count() === 9, 'the correct options marked: ' + await page.locator('.opt.correct').count());
  await page.screenshot({ path: join(shots, 'analysis-2-key.png'), fullPage: true });
  // English
  await page.click('.lang button[data-lang=en]');
  await page.locator('#items-h', { hasText: 'Items' }).waitFor();
  check((await page.locator('#sum-h').innerText()).startsWith('Overview'), 'English overview');
  check((await page.locator('#histogram img').getAttribute('src')).endsWith('&lang=en'), 'the English picture');
  await page.waitForFunction(() => { const i = document.querySelector('#histogram img'); return i && i.complete && i.naturalWidth > 0; });
  await page.screenshot({ path: join(shots, 'analysis-3-en.png'), fullPage: true });
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
} catch (e) {
  if (page) {
    await page.screenshot({ path: join(shots, 'analysis-failed.png'), fullPage: true }).catch(() => {});
    console.error('page: ' + (await page.locator('main').innerText().catch(() => '')).slice(0, 2000));
  }
  console.error('console: ' + problems.join(' | '));
  throw e;
} finally {
  await browser.close();
}
