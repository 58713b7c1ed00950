// The marker's page in a real Chromium (issue 10, items 4 and 10; SPEC GRD-1..3, AH 57) on
// web/marking.html, run by tests/e2e/t0052-marking-web.sh after it set up subject 01's marking
// (3 scripts; scheme 10 + 20, tolerance 3; flags over 2 scripts) over the API:
//   mk1   — logs in on the page; "next script" shows one script: its code, 一评, the scheme;
//           the focus on question 1; an empty mark and a question above its maximum refused by
//           the page beside the input; the running sum; Enter submits and the next script comes
//           by itself; three scripts (20, 10, 10), then the words that none is left.
//   mk2   — the same three in 二评 (21, 20, 6): the first settles, two go to a third marker.
//   mk3   — 三评 of the two (15: still beyond the tolerance — to the chief; 9: settles); on a
//           390-px phone in English.
//   lead  — the lead's tab: the progress (待仲裁 1), the markers with their flags (mk1 too
//           strict against the others), the arbitration queue, "arbitrate the next one" in
//           round 4 (16); mk3 suspended with a reason and reinstated; closing asks first,
//           then the total (46, 3 scripts).
//   agency— the check tab: a wrong total refused in the server's words; the right one (after
//           the confirmation) unblinds; the results with their tickets.
// At every step of mk1-mk3 the page's HTML holds no candidate name, identity number or ticket
// (KW_SECRETS) and never another marker's mark.
// Screenshots: marking-N-*.png in SCREENSHOT_DIR. Usage: node marking.mjs BASE_URL SCREENSHOT_DIR
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const env = process.env;
const secrets = (env.KW_SECRETS || '').split(',').filter(Boolean);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const text = async (loc) => ((await loc.innerText()) || '').replace(/\s+/g, ' ').trim();
check(secrets.length >= 6, 'KW_SECRETS holds too little: ' + secrets.length);

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
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });
const flashOk = (page, pattern) => page.locator('#flash .alert.ok', { hasText: pattern }).waitFor();
const rows = (page, sel) => page.locator(sel + ' tbody tr').evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim()).join('|')));

async function login(user, device, extra) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/marking.html' + (extra || ''));
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  await page.locator('#tab-body').waitFor();
  return { ctx, page };
}
// AH 57(1): nothing of a candidate in a marker's page, ever.
async function blind(page, who) {
  const html = await page.content();
  for (const s of secrets) check(!html.includes(s), `${who}'s page holds a candidate's data (${s.length} characters)`);
}

// After a mark: the next script shown (its code not prev) or the words that none is left.
const nextShown = (page, prev) => page.waitForFunction((p) => {
  const c = document.getElementById('script-code');
  return document.querySelector('.none-left') || (c && c.textContent !== p && document.activeElement && document.activeElement.id === 'q1');
}, prev);

// One marker's round: every script the page hands out, marked with the next of marks
// ([q1, q2] each); returns the codes in order.
async function markAll(page, who, marks, round) {
  const codes = [];
  await page.click('#next');
  await nextShown(page, '');
  for (const [a, b] of marks) {
    const code = await text(page.locator('#script-code'));
    check(/^[0-9A-Z]{12}$/.test(code) && !codes.includes(code), `${who}: a script code ${code}`);
    check((await text(page.locator('#round'))).startsWith(round), `${who}: the round shown: ` + await text(page.locator('#round')));
    check(await page.evaluate(() => document.activeElement && document.activeElement.id) === 'q1', `${who}: the focus is not on question 1`);
    await blind(page, who);
    await page.keyboard.type(String(a));
    await page.keyboard.press('Tab');
    await page.keyboard.type(String(b));
    await page.locator('#sum', { hasText: String(a + b) }).waitFor();
    await page.keyboard.press('Enter');
    await flashOk(page, code);
    await nextShown(page, code);
    codes.push(code);
  }
  await page.locator('.none-left').waitFor();
  await blind(page, who);
  return codes;
}

// ---- mk1: the first marking, the page's own refusals, Enter from the keyboard ----
{
  const { ctx, page } = await login('mk1', desktop);
  check(!(await page.locator('nav.tabs').count()), 'a marker sees tabs they may not use');
  check(/您在本科目已评阅 0 份答卷/.test(await text(page.locator('#mine'))), 'the marker\'s count');
  await page.click('#next');
  await page.locator('#mark-form').waitFor();
  const scheme = await text(page.locator('#scheme'));
  check(/满分 30 分；第 1 题 10 分；第 2 题 20 分/.test(scheme), 'the scheme shown: ' + scheme);
  check((await text(page.locator('#round'))) === '一评', 'the round: ' + await text(page.locator('#round')));
  // the page refuses an empty mark and one above the question's maximum, beside the input
  await page.keyboard.press('Enter');
  check(/请填写得分/.test(await text(page.locator('#q1-err'))), 'an empty mark was not refused');
  await page.fill('#q1', '11');
  await page.fill('#q2', '9');
  await page.keyboard.press('Enter');
  check(/不能超过满分 10 分/.test(await text(page.locator('#q1-err'))), 'a mark above the maximum was not refused: ' + await text(page.locator('#q1-err')));
  check(await page.locator('#q1').getAttribute('aria-invalid') === 'true', 'the input is not marked invalid');
  await page.fill('#q1', '');
  await page.fill('#q2', '');
  await page.focus('#q1');
  await shot(page, 'marking-1-script-desktop-zh.png');
  // the same script comes back (held) when asked again: mark it and the others
  await page.reload();
  await page.locator('#tab-body').waitFor();
  const codes = await markAll(page, 'mk1', [[8, 12], [5, 5], [4, 6]], '一评');
  check(/已评阅 3 份/.test(await text(page.locator('#mine'))), 'the count after marking: ' + await text(page.locator('#mine')));
  await shot(page, 'marking-2-done-desktop-zh.png');
  await ctx.close();
  env.CODES = codes.join(',');
}

// ---- mk2: the second marking, blind to the first ----
{
  const { ctx, page } = await login('mk2', desktop);
  const codes = await markAll(page, 'mk2', [[8, 13], [10, 10], [3, 3]], '二评');
  check(codes.join(',') === env.CODES, 'mk2 got other scripts: ' + codes.join(',') + ' / ' + env.CODES);
  await ctx.close();
}

// ---- mk3: the third marking, on a phone, in English ----
{
  const { ctx, page } = await login('mk3', phone);
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Marking', level: 1 }).waitFor();
  await page.locator('#next', { hasText: 'Next script' }).waitFor();
  await page.click('#next');
  await page.locator('#mark-form').waitFor();
  check(/^third marking/.test(await text(page.locator('#round'))), 'the third round in English: ' + await text(page.locator('#round')));
  check(/Question 1 \(at most 10\)/.test(await text(page.locator('#mark-form'))), 'the English labels');
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `the page is ${w} px wide on a 390-px phone`);
  await shot(page, 'marking-3-script-phone-en.png');
  await blind(page, 'mk3');
  const first = await text(page.locator('#script-code'));
  await page.fill('#q1', '5');
  await page.fill('#q2', '10');
  await page.keyboard.press('Enter');
  await page.locator('#flash .alert.ok', { hasText: 'marked: 15' }).waitFor();
  await nextShown(page, first);
  check(!(await page.locator('.none-left').count()), 'mk3 got only one script');
  await page.fill('#q1', '4');
  await page.fill('#q2', '5');
  await page.click('#mark-send');
  await page.locator('.none-left').waitFor();
  await blind(page, 'mk3');
  // back to Chinese for the others (the language is a cookie of this context only)
  await ctx.close();
}

// ---- the lead: progress, flags, arbitration, suspension, close ----
{
  const { ctx, page } = await login('lead', desktop, '?tab=lead');
  await page.locator('#stages').waitFor();
  const st = await text(page.locator('#stages'));
  check(/待仲裁 1/.test(st) && /已定分 2/.test(st) && /答卷总数 3/.test(st), 'the progress: ' + st);
  const mk = await rows(page, 'table.markers-list');
  const m1 = mk.find((r) => r.startsWith('mk1|'));
  check(m1 && /偏严：比其他评卷员平均低 2 分/.test(m1), 'mk1\'s flag: ' + mk.join(' / '));
  check(mk.some((r) => r.startsWith('mk2|') && /偏松/.test(r)), 'mk2 is not flagged lenient: ' + mk.join(' / '));
  check((await page.locator('#arb-queue li').count()) === 1, 'the arbitration queue');
  await shot(page, 'marking-4-lead-desktop-zh.png');
  // round 4 on its own
  await page.click('#arb-next');
  await page.locator('#mark-form').waitFor();
  check(/仲裁/.test(await text(page.locator('#round'))), 'the arbitration round: ' + await text(page.locator('#round')));
  await page.fill('#q1', '6');
  await page.fill('#q2', '10');
  await page.keyboard.press('Enter');
  await flashOk(page, '16 分');
  await page.locator('#arb-queue-empty').waitFor();
  await page.locator('#stages dd[data-k=p-final]', { hasText: '3' }).waitFor();
  // mk3 suspended (a reason asked) and reinstated
  await page.click('#suspend-mk3');
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  check(/暂停 mk3 评阅本科目/.test(await text(dlg)), 'the suspension\'s confirmation: ' + await text(dlg));
  await page.click('#dlg-ok');
  check(/请写明理由/.test(await text(page.locator('#dlg-err'))), 'a suspension without a reason was not refused');
  await page.fill('#dlg-reason', '三评偏差较大，暂停复训');
  await page.click('#dlg-ok');
  await flashOk(page, '已暂停 mk3 评卷');
  check((await rows(page, 'table.markers-list')).some((r) => r.startsWith('mk3|') && /已暂停/.test(r)), 'mk3 is not shown suspended');
  await page.click('#reinstate-mk3');
  await page.click('#dlg-ok');
  await flashOk(page, '已恢复 mk3 评卷');
  // close: a confirmation, then the total
  await page.click('#close-send');
  await dlg.waitFor();
  check(/不再分发或评阅答卷/.test(await text(dlg)), 'the close confirmation: ' + await text(dlg));
  await page.click('#dlg-ok');
  await flashOk(page, '已累分：3 份，总分 46 分');
  await page.locator('#closed-facts', { hasText: 'lead' }).waitFor();
  await ctx.close();
}

// ---- agency staff: the check by a second person, then the results ----
{
  const { ctx, page } = await login('agency', desktop, '?tab=confirm');
  await page.locator('#check-form').waitFor();
  check(/累分人：lead/.test(await text(page.locator('#check-by'))), 'who added up');
  await page.fill('#check-total', '45');
  await page.fill('#check-count', '3');
  await page.keyboard.press('Enter');
  await page.click('#dlg-ok');
  await page.locator('#check-msg [role=alert]').waitFor();
  check(/复核的总分或份数与记录不符/.test(await text(page.locator('#check-msg'))), 'the mismatch in the server\'s words: ' + await text(page.locator('#check-msg')));
  await page.fill('#check-total', '46');
  await page.keyboard.press('Enter');
  await page.click('#dlg-ok');
  await flashOk(page, '复核无误');
  await page.locator('table.results-list').waitFor();
  const res = await rows(page, 'table.results-list');
  check(res.length === 3, 'the results: ' + res.join(' / '));
  const finals = res.map((r) => r.split('|')[2] + ' ' + r.split('|')[3]).sort().join(',');
  check(finals === '16 组长仲裁,20.5 两评平均,9.5 三评取近', 'the finals: ' + finals);
  await shot(page, 'marking-5-results-desktop-zh.png');
  await ctx.close();
}

await browser.close();
if (problems.length) fail('browser errors: ' + problems.join(' | '));
console.log('marking walk ok');
