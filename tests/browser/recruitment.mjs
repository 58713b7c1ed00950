// The recruitment page web/recruitment.html in a real Chromium (issue 12 item 6; INT-6, INF-4;
// VH 10-14), on the exam of tests/e2e/recruit.sh: four candidates interviewed, their results
// published (composites 李三 43.5, 张一 39.5, 欧阳娜娜 39.5, 赵四 33.5; quota 1).
// Walk "notice" (on the interview day): the agency, come by the interview page's link, builds
// the list (the tie shown as rank 2, 2, the higher written score first), passes 李三's physical
// exam, fails their vetting — first without a reason (the API's refusal beside the form), then
// with one —, replaces them by the next in order (张一), passes 张一's steps and makes the
// notice; the agency's own approval is refused (SELF_APPROVAL) in words; the authority officer
// approves it (period 2026-12-14 to 2026-12-21), opens its PDF, records an objection and its
// reply.
// Walk "appoint" (after the period): the agency, on a phone, comes by the page's own choice of
// exam and position and, in English, appoints 张一 (probation to 2027-12-21; passing it now
// refused in words); the interview supervisor (interview.read only) opens the list by its id
// (?list=) and sees the whole page and no action.
// Walk "both": "notice", then READY on stdout; the server's new URL (restarted after the period)
// and the list's id read from stdin, then "appoint" — one browser for the two.
// Usage: node recruitment.mjs WALK BASE_URL SCREENSHOT_DIR   (env: KW_EXAM, KW_SL the exam and
// shortlist ids; KW_TK1..4 the tickets of 张一, 欧阳娜娜, 李三, 赵四; KW_LIST for "appoint" alone)
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [walk, base0, shots] = process.argv.slice(2);
let base = base0;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const env = (k) => process.env[k] || fail(k + ' is needed');

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const problems = [];
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();
const shot = (p, name) => p.screenshot({ path: join(shots, name), fullPage: true });
const mark = (m) => { if (process.env.KW_PROFILE) console.error(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`); };
mark('launched');
const SL = env('KW_SL');
const TK = [0, 1, 2, 3, 4].map((i) => process.env['KW_TK' + i]);
const PAGE = '/recruitment.html?shortlist=' + SL;

// A page of user's, logged in: path, or the recruitment page by a link (link: its selector) on
// the page at path.
async function open(opts, user, path, link) {
  const ctx = await browser.newContext(opts);
  const p = await ctx.newPage();
  p.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(user + ': ' + m.text()); });
  p.on('pageerror', (e) => problems.push(user + ': ' + String(e)));
  await p.goto(base + path);
  await p.locator('#username').waitFor();
  await p.fill('#username', user);
  await p.fill('#password', user + '-password-1');
  await p.click('#login button[type=submit]');
  await p.locator('#who:not([hidden])').waitFor();
  if (link) await p.locator(link).click();
  await p.locator('#pos-line').waitFor();
  return p;
}
async function confirm(p) {
  await p.locator('dialog.confirm').waitFor();
  await p.click('#dlg-ok');
  await p.locator('dialog.confirm').waitFor({ state: 'detached' });
}
async function noNull(p) {
  const body = await text(p.locator('#view'));
  check(!/\bnull\b|undefined|NaN|\{\w+\}/.test(body), 'null/undefined/placeholder on ' + p.url() + ': ' + body.slice(0, 300));
}
async function wideOk(p, w) {
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  check(sw <= w, `the page scrolls sideways at ${w}px: ${sw}`);
}
const cand = (p, n) => p.locator(`article.cand[data-ticket="${TK[n]}"]`);
// Records a step of candidate n in their block; with confirm for an outcome other than a pass.
async function step(p, n, outcome, reason) {
  const c = cand(p, n);
  await c.locator('select.outcome').selectOption(outcome);
  if (reason !== undefined) await c.locator('textarea.reason-in').fill(reason);
  await c.locator('button.record').click();
  if (outcome !== 'pass') await confirm(p);
}

async function notice() {
  const a = await open(desktop, 'agency', '/interview.html?exam=' + env('KW_EXAM'), `#results a.to-recruit[href="${PAGE}"]`);
  check((await text(a.locator('#pos-line'))).includes('100011'), 'the position line');
  // ① the list, from the published results, with the defaults (1 round, 5 days, 12 months)
  await a.locator('#build-form').waitFor();
  check((await text(a.locator('#build-card'))).includes('面试成绩已于'), 'the publication of the results is shown');
  await a.click('#build');
  await confirm(a);
  await a.locator('#ranking').waitFor();
  const order = await a.locator('#ranking tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.ticket));
  check(order.join() === [TK[3], TK[1], TK[2], TK[4]].join(), 'the order (tie: the higher written first): ' + order);
  const ranks = await a.locator('#ranking td.rank').allTextContents();
  check(ranks.join() === '1,2,2,4', 'the ranks: ' + ranks);
  const comps = await a.locator('#ranking td.composite').allTextContents();
  check(comps.join() === '43.5,39.5,39.5,33.5', 'the composites: ' + comps);
  check((await text(a.locator(`#ranking tr[data-ticket="${TK[1]}"] td.state`))) === '候补', '张一 in reserve');
  mark('built');
  // ② 李三: the physical exam passed; the vetting failed — refused without its reason, then with
  check((await text(cand(a, 3).locator('.next'))).includes('体检'), 'the physical exam comes first');
  await step(a, 3, 'pass');
  await cand(a, 3).locator('ol.done-steps li', { hasText: '体检：合格' }).waitFor();
  check((await cand(a, 3).locator('select.step-sel').inputValue()) === 'vetting', 'the vetting offered next');
  await step(a, 3, 'fail', '');
  await cand(a, 3).locator('.step-msg .alert', { hasText: 'VALIDATION_FAILED' }).waitFor();
  check((await text(cand(a, 3).locator('.step-msg .alert'))).includes('原因'), 'the refusal names the missing reason');
  await step(a, 3, 'fail', '考察发现其不具备职位要求的两年基层工作经历');
  await cand(a, 3).locator('.badge.st-out').first().waitFor();
  check((await text(cand(a, 3))).includes('考察不合格'), 'the reason of the exit');
  // the replacement: the next in order, 张一 (the tie's winner)
  await cand(a, 3).locator('button.replace-btn').click();
  await confirm(a);
  await a.locator('.step-msg .alert.ok', { hasText: '张一' }).waitFor();
  check((await text(a.locator(`#ranking tr[data-ticket="${TK[1]}"] td.state`))).includes('递补 李三'), '张一 replaces 李三');
  check((await text(a.locator('#list .params'))).includes('递补已用 1/1 次'), 'the round used');
  check(await cand(a, 3).locator('button.replace-btn').count() === 0, 'no second replacement for 李三');
  await step(a, 1, 'pass');
  await cand(a, 1).locator('ol.done-steps li', { hasText: '体检：合格' }).waitFor();
  await step(a, 1, 'pass');
  await cand(a, 1).locator('.badge.st-passed').first().waitFor();
  mark('steps');
  // ③ the notice: made by the agency, whose own approval is refused (INF-4)
  await a.click('#make-notice');
  await a.locator('.notice-block .badge.ns-pending').waitFor();
  await a.locator('.notice-block button.approve').click();
  await confirm(a);
  const refusal = a.locator('.notice-block .step-msg .alert', { hasText: 'SELF_APPROVAL' });
  await refusal.waitFor();
  check((await text(refusal)).includes('另一人'), 'the self-approval refusal in words: ' + await text(refusal));
  await noNull(a);
  mark('refused');
  // the authority officer approves; the period, the PDF, an objection and its reply
  const b = await open(desktop, 'auth', PAGE);
  check((await text(b.locator('.notice-block .who-made'))).includes('agency'), 'the maker is named');
  await b.locator('.notice-block button.approve').click();
  await confirm(b);
  await b.locator('.notice-block .badge.ns-published').waitFor();
  check((await text(b.locator('.notice-block .period'))).includes('2026-12-14 至 2026-12-21'), 'the period: ' + await text(b.locator('.notice-block .period')));
  const entries = await b.locator('.grid.entries tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.ticket));
  check(entries.join() === TK[1], 'the notice lists 张一 only: ' + entries);
  check(/^\d{6}\*{8}\d{3}[\dX]$/.test(await text(b.locator('.grid.entries tbody td.tickets').first())), 'the identity number masked');
  mark('approved');
  const href = await b.locator('.notice-block a.pdf').getAttribute('href');
  const pdf = await b.request.get(base + href);
  check(pdf.ok() && (await pdf.body()).subarray(0, 4).toString() === '%PDF', 'the notice PDF');
  await b.locator('details.add-obj summary').click();
  await b.locator('details.add-obj input[id$="-who"]').fill('群众来信');
  await b.locator('details.add-obj textarea').fill('反映该考生曾在企业兼职，与报考条件不符');
  await b.locator('button.add-objection').click();
  await b.locator('li.objection .badge.os-open').waitFor();
  await b.locator('li.objection textarea').fill('经核查，该考生兼职情况已于报考前终止，反映问题不影响录用');
  await b.locator('li.objection button.reply').click();
  await b.locator('li.objection .badge.os-replied').waitFor();
  check((await text(b.locator('li.objection .obj-reply'))).includes('异议不成立'), 'the reply, not sustained');
  mark('replied');
  await noNull(b);
  await wideOk(b, 1280);
  await shot(b, 'recruitment-1-notice-desktop-zh.png');
  mark('notice');
}

async function appoint(list) {
  // from the page's own choice of exam and position
  const a = await open(phone, 'agency', '/recruitment.html?exam=' + env('KW_EXAM'), `.pick-list a[href="?shortlist=${SL}"]`);
  await a.click('.lang button[data-lang=en]');
  await cand(a, 1).locator('button.appoint-btn', { hasText: 'Record the appointment' }).waitFor();
  check((await cand(a, 1).locator('form.appoint input[type=date]').inputValue()) === '2026-12-22', 'the first day after the period offered');
  await cand(a, 1).locator('button.appoint-btn').click();
  await confirm(a);
  await cand(a, 1).locator('.badge.st-appointed').first().waitFor();
  check((await text(cand(a, 1).locator('.probation'))).includes('probation until 2027-12-21'), 'the probation end');
  await cand(a, 1).locator('button.pass-probation').click();
  await confirm(a);
  const running = cand(a, 1).locator('.step-msg .alert', { hasText: 'RECRUIT_PROBATION_RUNNING' });
  await running.waitFor();
  check((await text(running)).includes('2027-12-21'), 'the refusal gives the end of probation: ' + await text(running));
  mark('refused');
  await noNull(a);
  await wideOk(a, 390);
  await shot(a, 'recruitment-2-appointed-phone-en.png');
  mark('appointed');
  // a reader: everything, no action
  const r = await open(desktop, 'isup', '/recruitment.html?list=' + list);
  await r.locator('#read-only').waitFor();
  await r.locator('#ranking').waitFor();
  check(await r.locator('#view form, #view button:not(.refresh), #view details').count() === 0, 'a reader is offered an action');
  check((await text(r.locator('#view'))).includes('异议不成立'), 'the reader sees the objection and its reply');
  check(await r.locator('.notice-block a.pdf').count() === 1, 'the reader sees the PDF link');
  await noNull(r);
  mark('reader');
}

async function nextLine() {
  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return fail('no server URL on stdin');
}

try {
  if (walk === 'notice') await notice();
  else if (walk === 'appoint') await appoint(env('KW_LIST'));
  else if (walk === 'both') {
    await notice();
    console.log('READY');
    const [b, list] = (await nextLine()).split(' ');
    base = b;
    await appoint(list);
  }
  else fail('unknown walk ' + walk);
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
} finally {
  await browser.close();
}
