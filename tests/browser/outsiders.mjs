// Browser walks of t0064 and t0065 (issue 8: outsiders' cases, VIO-11; the public query of the
// qualification archive, Order No. 31 art. 12), in Debian's Chromium by playwright-core.
//   outsider  — agency staff open the outsider's case KW_CASE on cases.html: the page says no
//               penalty follows (no deadlines, no notice or decision panes), shows the link to
//               the candidate's case and the referrals; the reply to the referral still
//               waiting is recorded through its form (refused by the form without the text);
//               then a new outsider's case is opened from the list page's folded form
//               (refused without the name) and lands on its page; the phone shows no side
//               scroll; the same in English.
//   integrity — on a 390-px phone, /integrity.html without login: KW_IDN and KW_NAME give
//               the record (the exam KW_EXAM, the article 第七条…); a wrong name gives the one
//               no-match answer; English; no side scroll.
// Usage: node outsiders.mjs outsider|integrity BASE_URL SCREENSHOT_DIR
// (outsider: KW_CASE, KW_LINKED, KW_EXAM_NAME; integrity: KW_IDN, KW_NAME, KW_EXAM)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [phase, base, shots] = process.argv.slice(2);
const env = process.env;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const text = async (loc) => ((await loc.innerText()) || '').replace(/\s+/g, ' ').trim();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what}: the page is ${w} px wide on a 390-px phone`);
}
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });

async function staff(user, device, path) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/cases.html');
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  await page.locator('#list-h').waitFor();
  if (path) await page.goto(base + path);
  return { ctx, page };
}

async function outsider() {
  const { ctx, page } = await staff('agency', desktop, '/cases.html?case=' + env.KW_CASE);
  await page.locator('#case-h').waitFor();
  check(/其他人员/.test(await text(page.locator('.case-head'))), 'the head does not say the party is an outsider');
  await page.locator('#out-note').waitFor();
  for (const gone of ['#deadlines', '#decision', '.notify-form', '.decide-form']) {
    check((await page.locator(gone).count()) === 0, gone + ' is shown on an outsider\'s case');
  }
  check((await text(page.locator('#record'))).includes('#' + env.KW_LINKED), 'the linked candidate case is not shown');
  const refs = page.locator('#referrals li');
  check((await refs.count()) === 2, 'two referrals expected');
  const waiting = page.locator('#referrals li.waiting');
  check((await waiting.count()) === 1, 'one referral awaiting its reply expected');
  await waiting.locator('summary').click();
  const form = waiting.locator('form.reply-form');
  await form.locator('input[name=replied_on]').fill('2026-11-24');
  await form.locator('button[type=submit]').click();
  await form.locator('.err:not(:empty)').first().waitFor();
  await form.locator('textarea[name=reply]').fill('单位已给予张某某记过处分');
  await form.locator('button[type=submit]').click();
  await page.locator('#flash').getByText('已登记回复').waitFor();
  check((await page.locator('#referrals li.replied').count()) === 2, 'the reply did not show');
  await shot(page, 'outsider-case-zh.png');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Violation cases', level: 1 }).waitFor();
  check(/Neither candidate nor staff/.test(await text(page.locator('.case-head'))), 'the English head does not name the outsider');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '违纪违规案件', level: 1 }).waitFor();
  // a new outsider's case from the list page
  await page.goto(base + '/cases.html');
  await page.locator('#out-h').waitFor();
  await page.locator('.open-out-fold summary').click();
  const f = page.locator('form.open-out-form');
  await f.locator('select[name=exam_id]').selectOption({ label: env.KW_EXAM_NAME });
  await f.locator('textarea[name=facts]').fill('场外人员通过无线电向考场内传递答案');
  await f.locator('input[name=occurred_at]').fill('2026-11-22T10:05');
  await f.locator('button[type=submit]').click();
  await f.locator('.err:not(:empty)').first().waitFor();
  await f.locator('input[name=person_name]').fill('王某');
  await f.locator('select[name=outsider_role]').selectOption('outside_help');
  await f.locator('button[type=submit]').click();
  await page.locator('#case-h').getByText('王某').waitFor();
  await page.locator('#out-note').waitFor();
  await ctx.close();
  const p2 = await staff('agency', phone, '/cases.html?case=' + env.KW_CASE);
  await p2.page.locator('#case-h').waitFor();
  await noSideScroll(p2.page, 'outsider case');
  await shot(p2.page, 'outsider-case-phone.png');
  await p2.ctx.close();
}

async function integrity() {
  const ctx = await browser.newContext(phone);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/notice.html');
  await page.locator('footer a[href="/integrity.html"]').click();
  await page.locator('#lookup').waitFor();
  await page.click('#send');
  check((await text(page.locator('#idno-err'))).length > 0, 'the form sent without the number');
  await page.fill('#idno', env.KW_IDN);
  await page.fill('#name', env.KW_NAME);
  await page.click('#send');
  await page.locator('#verdict').waitFor();
  const res = await text(page.locator('#result'));
  check(res.includes(env.KW_EXAM), 'the record does not name the exam: ' + res);
  check(/第七条/.test(res), 'the record does not cite the article: ' + res);
  check(!res.includes(env.KW_IDN), 'the whole identity number is shown');
  await noSideScroll(page, 'integrity result');
  await shot(page, 'integrity-phone-zh.png');
  await page.fill('#name', env.KW_NAME + '甲');
  await page.click('#send');
  await page.locator('#none').waitFor();
  check((await page.locator('#result').isHidden()), 'the previous result stayed');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Query the qualification-exam integrity archive', level: 1 }).waitFor();
  await noSideScroll(page, 'integrity English');
  await shot(page, 'integrity-phone-en.png');
  await ctx.close();
}

try {
  if (phase === 'outsider') await outsider();
  else if (phase === 'integrity') await integrity();
  else fail('unknown phase ' + phase);
  check(problems.length === 0, 'console: ' + problems.join(' | '));
} catch (e) {
  if (!process.exitCode) console.error('FAIL: ' + (e && e.stack ? e.stack : e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
