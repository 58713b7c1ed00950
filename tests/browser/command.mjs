// The command view web/command.html in a real Chromium (issue 9 item 7; DAY-1): agency staff
// open a sitting's view — both centres' rows, the totals — and, while the page is open, a
// proctor checks a candidate in through the API: the page's row and totals change by
// themselves (server-sent events), within 2 s of the check-in's answer; the state filter and
// the search narrow the list (to nothing, said so); in English too. A proctor (no command view) is told so in the
// server's words.
// Usage: node command.mjs WALK BASE_URL SCREENSHOT_DIR   (KW_AGENCY, KW_PROCTOR: usernames,
// password USERNAME-password-1; KW_EXAM, KW_ROOM: ids; KW_TICKET: a ticket number to check in)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [walk, base, shots] = process.argv.slice(2);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const env = (k) => process.env[k] || fail(k + ' is needed');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

async function login(p, user) {
  await p.locator('#username').waitFor();
  await p.fill('#username', user);
  await p.fill('#password', user + '-password-1');
  await p.click('#login button[type=submit]');
}

try {
  if (walk !== 'live') fail('unknown walk ' + walk);
  const exam = env('KW_EXAM');
  const url = `${base}/command.html?exam=${exam}&subject=01`;
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  p.on('pageerror', (e) => problems.push(String(e)));
  await p.goto(url);
  await login(p, env('KW_AGENCY'));
  const row = p.locator('#centres tr[data-code="HF-01"]');
  await row.waitFor();
  await p.locator('#live.on').waitFor();
  check((await text(row)).includes('0/3'), 'HF-01 before: ' + await text(row));
  check((await text(p.locator('#totals'))).includes('0 / 3'), 'totals before: ' + await text(p.locator('#totals')));
  // a proctor checks candidate 1 in (through the API, as the proctor's tablet does)
  const s = await fetch(base + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: env('KW_PROCTOR'), password: env('KW_PROCTOR') + '-password-1' }) });
  const tok = (await s.json()).token;
  const r = await fetch(`${base}/api/v1/exams/${exam}/sittings/01/checkins`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + tok },
    body: JSON.stringify({ room_id: Number(env('KW_ROOM')), ticket_no: env('KW_TICKET'), id_checked: true }) });
  check(r.status === 201, 'check-in: HTTP ' + r.status + ' ' + await r.text());
  const t0 = Date.now();
  await p.locator('#centres tr[data-code="HF-01"]', { hasText: '1/3' }).waitFor({ timeout: 5000 });
  const ms = Date.now() - t0;
  console.log(`the check-in reached the page in ${ms} ms`);
  check(ms <= 2000, `the update took ${ms} ms (more than 2 s)`);
  check((await text(p.locator('#totals'))).includes('1 / 3'), 'totals after: ' + await text(p.locator('#totals')));
  check((await text(p.locator('#centres tr[data-code="HF-01"]'))).includes('考试中'), 'state: ' + await text(p.locator('#centres tr[data-code="HF-01"]')));
  await p.screenshot({ path: join(shots, 'command-1-live-zh.png'), fullPage: true });
  // the filters: by state, by text
  await p.selectOption('#state', 'open');
  check(await p.locator('#centres tbody tr').count() === 1, 'state=open rows: ' + await p.locator('#centres tbody tr').count());
  await p.selectOption('#state', 'waiting');
  await p.locator('#list .hint').waitFor();
  await p.selectOption('#state', '');
  await p.fill('#q', '合肥市第一');
  await p.locator('#centres tr[data-code="HF-01"]').waitFor();
  await p.fill('#q', 'XYZ');
  await p.locator('#list .hint').waitFor();
  await p.fill('#q', '');
  await p.locator('#centres tr[data-code="HF-01"]').waitFor();
  // English
  await p.click('.lang button[data-lang=en]');
  await p.locator('#live', { hasText: 'Live' }).waitFor();
  await p.locator('#centres tr[data-code="HF-01"]', { hasText: 'In progress' }).waitFor();
  await p.screenshot({ path: join(shots, 'command-2-live-en.png'), fullPage: true });
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
  // a proctor has no command view: told so in the server's words
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const q = await ctx2.newPage();
  await q.goto(url);
  await login(q, env('KW_PROCTOR'));
  await q.locator('#flash .alert', { hasText: 'FORBIDDEN' }).waitFor();
} finally {
  await browser.close();
}
