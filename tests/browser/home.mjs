// The start page in a real Chromium: status from the API, the language switch (and the
// server honouring its cookie), a 360-px phone screen without horizontal scrolling, and
// no console errors (a CSP violation would be one).
// Usage: node home.mjs BASE_URL EXPECTED_DB SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [base, db, shots] = process.argv.slice(2);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  // A fresh context is a fresh profile: no cookies or cache from an earlier run.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  const resp = await page.goto(base + '/');
  if (resp.status() !== 200) fail('GET / gave ' + resp.status());
  if (await page.getAttribute('html', 'lang') !== 'zh-CN') fail('page is not zh-CN');
  await page.waitForSelector('#st-service.ok', { timeout: 10000 });
  const svc = await page.textContent('#st-service');
  if (svc !== '正常运行') fail('service status says ' + svc);
  const dbText = await page.textContent('#st-db');
  const wantDb = db === 'pg' ? 'PostgreSQL' : 'SQLite（内嵌）';
  if (dbText !== wantDb) fail(`database shows ${dbText}, expected ${wantDb}`);
  if (!/^\d+$/.test(await page.textContent('#st-schema'))) fail('schema version missing');
  // Staff login: a wrong password is explained, the right one shows who is logged in and
  // survives a reload (the HttpOnly cookie), logging out ends the session.
  const password = process.env.KAOWU_ADMIN_PASSWORD;
  await page.fill('#username', 'admin');
  await page.fill('#password', 'not-the-password');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#login-error', { state: 'visible' });
  if ((await page.textContent('#login-error')) !== '用户名或密码错误。') fail('login error text: ' + await page.textContent('#login-error'));
  // Chromium logs the refused login's 401 as a console error: that one is expected.
  const expected401 = problems.filter((p) => /status of 401/.test(p));
  if (expected401.length !== 1 || problems.length !== 1) fail('console errors: ' + problems.join(' | '));
  problems.length = 0;
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#whoami', { state: 'visible' });
  if (await page.isVisible('#login')) fail('the login form is still shown after logging in');
  if (!(await page.textContent('#me-name')).includes('(admin)')) fail('who am I: ' + await page.textContent('#me-name'));
  if ((await page.textContent('#me-roles')) !== '系统管理员') fail('roles: ' + await page.textContent('#me-roles'));
  if (!(await page.textContent('#me-until')).includes('UTC+8')) fail('session end not in China time');
  const jsCookies = await page.evaluate(() => document.cookie);
  if (jsCookies.includes('kw_session')) fail('the session cookie is readable by scripts');
  await page.reload();
  await page.waitForSelector('#whoami', { state: 'visible' });
  await page.screenshot({ path: join(shots, 'home-logged-in.png'), fullPage: true });
  await page.click('#logout');
  await page.waitForSelector('#login', { state: 'visible' });
  if (await page.isVisible('#whoami')) fail('still shown as logged in after logout');
  if ((await ctx.request.get(base + '/api/v1/me')).status() !== 401) fail('still logged in after logout');

  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) fail('horizontal scrolling on a 360-px screen: ' + width);
  await page.screenshot({ path: join(shots, 'home-zh.png'), fullPage: true });

  // Switch to English: the page, the cookie, and the server's messages follow.
  await page.click('button[data-lang="en"]');
  await page.waitForFunction(() => document.querySelector('#st-service').textContent === 'Running');
  if (await page.getAttribute('html', 'lang') !== 'en') fail('lang attribute not switched');
  if (await page.getAttribute('button[data-lang="en"]', 'aria-pressed') !== 'true') fail('aria-pressed not set');
  const cookies = await ctx.cookies();
  if (!cookies.some((c) => c.name === 'lang' && c.value === 'en')) fail('lang cookie not set');
  // The context's request client carries the page's cookies, without a console 404.
  const apiMsg = (await (await ctx.request.get(base + '/api/v1/nope')).json()).error.message;
  if (!/does not exist/.test(apiMsg)) fail('server ignored the lang cookie: ' + apiMsg);
  await page.reload();
  await page.waitForSelector('#st-service.ok');
  if ((await page.textContent('h1')) !== 'Personnel examination administration') fail('English not kept after reload');
  await page.screenshot({ path: join(shots, 'home-en.png'), fullPage: true });

  // Keyboard: the language buttons are reachable with Tab.
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.dataset.lang);
  if (!focused) fail('first Tab stop is not a language button');

  if (problems.length) fail('console errors: ' + problems.join(' | '));
  console.log('ok: start page in Chromium (' + wantDb + ')');
} finally {
  await browser.close();
}
