// The interview pages web/interview.html and web/examiner.html in a real Chromium (issue 12
// item 8; INT-2, INT-3, INT-4, INT-6, SEC-1, SEC-3), on tests/e2e/interview.sh's exam.
// Walk "manage" (before the interview): the agency sets the weights 60/40, builds and publishes
// the shortlist, records two declines — the first replaced by nobody, the second by the next
// in order —, creates panel G2: 6 examiners refused (PANEL_SIZE), K8 refused (PANEL_RECUSAL,
// naming K8 and no relation), then 7 accepted; reads its members; the interview supervisor is
// told in words that the list is secret until the start (SEC-1); the day is scheduled and the
// lotteries' commitments shown without seeds.
// Walk "day" (on the day): the agency draws the rooms and G2's order numbers (the seeds and
// the `kaowu draw` commands shown; printed here for the shell to re-check); 7 examiners, each
// in their own browser context, score the 3 order numbers on the tablet page (no name or
// ticket on it; a score over the maximum stopped by the page; the others' scores hidden until
// all are in; a correction with a reason); the supervisor's sign-off before the scorer's is
// refused in words; the scorer computes (71.40: K7's 100.00 and K3's 68.00 marked dropped),
// the supervisor and the chief sign in order; the agency publishes the results (on time, the
// 48-hour deadline shown) and the page's composites equal a hand computation.
// Usage: node interview.mjs WALK BASE_URL SCREENSHOT_DIR   (env: KW_EXAM exam id; KW_TK1..6
// tickets; KW_WRITTEN "ticket:hundredths,…" the written totals)
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
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const tablet = { viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'zh-CN' };
const problems = [];
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();
const shot = (p, name) => p.screenshot({ path: join(shots, name), fullPage: true });
const t0 = Date.now();
const mark = (m) => { if (process.env.KW_PROFILE) console.error(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}`); };

async function open(opts, path, user) {
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
  return p;
}
async function confirm(p, reason) {
  await p.locator('dialog.confirm').waitFor();
  if (reason !== undefined) await p.fill('#dlg-reason', reason);
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
const duty = (p, code, d) => p.selectOption(`select.duty[data-code="${code}"]`, d);

async function manage() {
  const exam = env('KW_EXAM');
  const TK = [0, 1, 2, 3, 4, 5, 6].map((i) => process.env['KW_TK' + i]);
  const p = await open(desktop, '/interview.html?exam=' + exam, 'agency');
  await p.locator('#settings-card').waitFor();
  // ① the weights (INT-6)
  await p.fill('#w-written', '60');
  await p.fill('#w-interview', '40');
  await p.selectOption('#method', 'trimmed');
  await p.click('#save-settings');
  await p.locator('#set-msg .alert.ok').waitFor();
  // ② the shortlist: 3:1 of 1, the tie at 7 all in (INT-2)
  await p.click('#build');
  await p.locator('#lists .shortlist').waitFor();
  const head = await text(p.locator('#lists .shortlist h3'));
  check(/入围目标 3 人/.test(head) && /已入围 4 人/.test(head) && /草稿/.test(head), 'the shortlist head: ' + head);
  await p.click('#lists .publish-sl');
  await confirm(p);
  await p.locator('#lists .shortlist h3', { hasText: '已公布' }).waitFor();
  // declines: the first leaves 3 (no replacement), the second brings in the next in order
  await p.click(`#lists button[data-ticket="${TK[1]}"]`);
  await confirm(p, '本人书面放弃');
  await p.locator('#sl-msg .alert.ok', { hasText: '无人递补' }).waitFor();
  await p.click(`#lists button[data-ticket="${TK[2]}"]`);
  await confirm(p, '本人书面放弃');
  await p.locator('#sl-msg .alert.ok', { hasText: '递补入围：' }).waitFor();
  const rep = await text(p.locator('#sl-msg .alert.ok'));
  check(rep.includes('递补入围') && rep.includes(TK[5]), 'the replacement: ' + rep);
  const declined = await p.locator('#lists tr.st-declined').count();
  check(declined === 2, 'two declined rows: ' + declined);
  await noNull(p);
  await shot(p, 'interview-1-shortlist-desktop-zh.png');
  // ③ the panel: 6 examiners refused, K8 (related to a candidate) refused, 7 accepted
  await p.fill('#p-code', 'G2');
  await p.fill('#p-date', '2027-01-10');
  await p.fill('#p-time', '08:30');
  await duty(p, 'K1', 'chief');
  await duty(p, 'K2', 'deputy');
  for (const k of ['K3', 'K4', 'K5', 'K6']) await duty(p, k, 'examiner');
  await duty(p, 'SUP', 'supervisor');
  await duty(p, 'SCO', 'scorer');
  await duty(p, 'TIM', 'timer');
  check((await text(p.locator('#chosen'))).includes('6 人'), 'the count of examiners: ' + await text(p.locator('#chosen')));
  await p.click('#create-panel');
  await p.locator('#panel-msg .alert').waitFor();
  let why = await text(p.locator('#panel-msg'));
  check(why.includes('PANEL_SIZE') && why.includes('不少于 5 人的奇数') && why.includes('现为 6 人'), 'PANEL_SIZE: ' + why);
  await duty(p, 'K8', 'examiner');
  await p.click('#create-panel');
  await p.locator('#panel-msg .alert', { hasText: 'PANEL_RECUSAL' }).waitFor();
  why = await text(p.locator('#panel-msg'));
  check(why.includes('需要回避') && why.includes('K8') && !/钱五|配偶|spouse/.test(why), 'PANEL_RECUSAL: ' + why);
  await shot(p, 'interview-2-panel-refused-desktop-zh.png');
  await duty(p, 'K8', '');
  await duty(p, 'K7', 'examiner');
  await p.click('#create-panel');
  await p.locator('#panel-msg .alert.ok').waitFor();
  check((await text(p.locator('#panel-msg'))).includes('考官 7 人'), 'created: ' + await text(p.locator('#panel-msg')));
  await p.click('#panel-list button[data-panel="G2"]');
  await p.locator('#members table').waitFor();
  const members = await text(p.locator('#members'));
  check(members.includes('考官1') && members.includes('主考官') && members.includes('计分员'), 'the members: ' + members);
  // ④ the day: commitments before any seed
  await p.fill('#d-date', '2027-01-10');
  await p.fill('#d-ends', '18:00');
  await p.fill('#d-rooms', '301,302,303');
  await p.check('#day-form input.dpanel');
  await p.fill('#d-dims', '综合分析,40\n言语表达,30\n应变能力,30');
  await p.click('#create-day');
  await p.locator('#days .day').waitFor();
  check(await p.locator('#days tr.draw').count() === 2, 'two lotteries');
  check(await p.locator('#days code.commitment').count() === 2, 'two commitments');
  check(await p.locator('#days code.seed').count() === 0, 'a seed before the draw');
  for (const c of await p.locator('#days code.commitment').allTextContents()) check(/^[0-9a-f]{64}$/.test(c), 'a commitment: ' + c);
  check((await text(p.locator('#results'))).includes('2027-01-12 18:00'), 'the 48-hour deadline: ' + await text(p.locator('#results')));
  await noNull(p);
  await shot(p, 'interview-3-day-desktop-zh.png');
  // SEC-1: the supervisor, before the start, is told why the list is hidden
  const s = await open(phone, '/interview.html?exam=' + exam, 'isup');
  await s.click('.lang button[data-lang=en]');
  await s.locator('#panel-list button[data-panel="G2"]').waitFor();
  await s.click('#panel-list button[data-panel="G2"]');
  await s.locator('#members .alert.secret').waitFor();
  const sec = await text(s.locator('#members'));
  check(sec.includes('secret until the interview starts') && sec.includes('INTERVIEW_EXAMINERS_SECRET') && !sec.includes('考官1'), 'SEC-1: ' + sec);
  check(await s.locator('#build').count() === 1, 'the page');
  await s.locator('#panels').screenshot({ path: join(shots, 'interview-4-secret-phone-en.png') });
  await wideOk(s, 390);
}

// ---- the day ----
const SCORES = { // order → examiner → [综合分析, 言语表达, 应变能力]
  1: { K1: ['30', '20', '20'], K2: ['30.5', '21.5', '20'], K3: ['28', '20', '19'], K4: ['30', '25', '20'], K5: ['30', '21', '20'], K6: ['29', '20', '20'], K7: ['40', '30', '30'] },
  2: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((k) => ['K' + k, ['30', '24', '24']])),
  3: { K1: ['20', '20', '20'], K2: ['20', '20', '20'], K3: ['20', '20', '20'], K4: ['20', '21', '20'], K5: ['21', '20', '20'], K6: ['22', '20', '20'], K7: ['20', '20', '20'] },
};
// by hand: the totals, then trimmed (drop one highest and one lowest) → interview (hundredths)
const INTERVIEW = { 1: 7140, 2: 7800, 3: 6040 }; // (70+72+75+71+69)/5; 78; (60+60+60+61+61)/5
const half = (x, d) => Math.floor((2 * x + d) / (2 * d));
const show = (hund) => (hund / 100).toFixed(2).replace(/\.?0+$/, '');

async function enter(p, no, vals) {
  await p.click(`button.order[data-order="${no}"]`);
  await p.locator('#score-form').waitFor();
  for (let i = 0; i < vals.length; i++) await p.fill('#dim-' + i, vals[i]);
  await p.click('#submit-scores');
  await confirm(p);
  await p.locator('#flash .alert.ok').waitFor();
}

async function day() {
  const exam = env('KW_EXAM');
  const written = Object.fromEntries(env('KW_WRITTEN').split(',').map((x) => x.split(':')).map(([t, w]) => [t, Number(w)]));
  const a = await open(desktop, '/interview.html?exam=' + exam, 'agency');
  await a.locator('#days tr.draw[data-kind=rooms] button.draw-btn').waitFor();
  await a.click('#days tr.draw[data-kind=rooms] button.draw-btn');
  await a.locator('#days tr.draw[data-kind=rooms] code.seed').waitFor();
  check((await text(a.locator('#days tr.draw[data-kind=rooms]'))).includes('G2 → 面试室'), 'the room result: ' + await text(a.locator('#days tr.draw[data-kind=rooms]')));
  await a.click('#days tr.draw[data-kind=order] button.draw-btn');
  await a.locator('#days tr.draw[data-kind=order] code.seed').waitFor();
  const orderOf = {}; // ticket → order number, from the page
  for (const li of await a.locator('#days tr.draw[data-kind=order] ul.result li').allTextContents()) {
    const m = li.match(/顺序号 (\d+) → 准考证号 (\S+)/);
    check(m, 'an order result: ' + li);
    orderOf[m[2]] = Number(m[1]);
  }
  check(Object.keys(orderOf).length === 3, 'three order numbers: ' + JSON.stringify(orderOf));
  for (const kind of ['rooms', 'order']) {
    const row = a.locator(`#days tr.draw[data-kind=${kind}]`);
    const cmds = await row.locator('.cmds code').allTextContents();
    check(cmds.length === 2 && cmds[0].startsWith('kaowu draw verify ') && cmds[1].startsWith('kaowu draw shuffle '), 'the commands: ' + cmds);
    console.log(`DRAW ${kind} ${await text(row.locator('code.purpose'))} ${await text(row.locator('code.seed'))} ${await text(row.locator('code.commitment'))}`);
  }
  for (const [t, o] of Object.entries(orderOf)) console.log(`ORDER ${o} ${t}`);
  await noNull(a);
  await shot(a, 'interview-5-draws-desktop-zh.png');
  mark('draws');

  // the examiners, each on their own tablet (K1 the chief, K2 the deputy)
  const ex = {};
  await Promise.all([1, 2, 3, 4, 5, 6, 7].map(async (k) => { ex['K' + k] = await open(k === 2 ? phone : tablet, '/examiner.html', 'kg' + k); }));
  const k1 = ex.K1;
  await k1.locator('button.order').first().waitFor();
  const page1 = await text(k1.locator('#view'));
  for (const t of Object.keys(orderOf)) check(!page1.includes(t), 'a ticket on the examiner page');
  for (const n of ['张', '欧阳', '李三', '赵四', '钱五', '孙六']) check(!page1.includes(n), 'a name on the examiner page: ' + n);
  check(page1.includes('主考官') && page1.includes('签字确认'), 'the chief sees scoring and sign-off: ' + page1.slice(0, 200));
  // the page stops a score over the maximum before sending
  await k1.click('button.order[data-order="1"]');
  await k1.fill('#dim-0', '40.5');
  await k1.fill('#dim-1', '20');
  await k1.fill('#dim-2', '20');
  await k1.click('#submit-scores');
  check((await text(k1.locator('#err-0'))).includes('0 到 40 分'), 'the range check: ' + await text(k1.locator('#err-0')));
  check(await k1.locator('dialog.confirm').count() === 0, 'a dialog for a bad score');
  await shot(k1, 'interview-6-examiner-range-tablet-zh.png');
  await k1.click('#back');
  const each = (ks, f) => Promise.all(ks.map((k) => f(k))); // the examiners score at once
  mark('examiners open');
  await each([1, 2, 3, 4, 5, 6], (k) => enter(ex['K' + k], 1, SCORES[1]['K' + k]));
  mark('order 1 by six');
  // K3 corrects before the scorer computes: a reason is needed
  const k3 = ex.K3;
  await k3.click('button.order[data-order="1"]');
  await k3.click('#start-correct');
  await k3.locator('#score-form').waitFor();
  await k3.fill('#dim-2', '20');
  await k3.click('#submit-scores');
  check((await text(k3.locator('#reason-err'))).includes('原因'), 'a correction without a reason');
  await k3.fill('#reason', '误填应变能力');
  await k3.click('#submit-scores');
  await k3.locator('#flash .alert.ok', { hasText: '已更正' }).waitFor();
  check((await text(k3.locator('#flash'))).includes('68'), 'corrected total: ' + await text(k3.locator('#flash')));
  // K2 (phone, English) cannot see the others' scores before K7 has entered
  const k2 = ex.K2;
  await k2.click('.lang button[data-lang=en]');
  await k2.click('button.order[data-order="1"]');
  await k2.click('#show-others');
  await k2.locator('#others .hidden-scores').waitFor();
  const hid = await text(k2.locator('#others'));
  check(hid.includes('hidden until all 7') && hid.includes('6 so far') && hid.includes('INTERVIEW_SCORES_HIDDEN'), 'hidden: ' + hid);
  await shot(k2, 'interview-7-examiner-hidden-phone-en.png');
  await wideOk(k2, 390);
  await k2.click('#back');
  mark('order 1 less K7');
  await enter(ex.K7, 1, SCORES[1].K7);
  await each([1, 2, 3, 4, 5, 6, 7], async (k) => { for (const no of [2, 3]) await enter(ex['K' + k], no, SCORES[no]['K' + k]); });
  check((await text(ex.K5.locator('#orders'))).match(/✓/g).length === 3, 'K5 scored three');
  await shot(ex.K5, 'interview-8-examiner-done-tablet-zh.png');

  mark('scored');
  // sign-offs: the supervisor first is refused; scorer → supervisor → chief
  const sup = await open(phone, '/examiner.html', 'isup');
  const sco = await open(desktop, '/examiner.html', 'sco');
  const row = (p, no) => p.locator(`li.sign-row[data-order="${no}"]`);
  await row(sup, 1).locator('button.sign').click();
  await sup.locator('#sign-msg .alert').waitFor();
  const ref = await text(sup.locator('#sign-msg'));
  check(ref.includes('INTERVIEW_SIGNOFF_ORDER') && ref.includes('下一步应由计分员签字'), 'out of order: ' + ref);
  await shot(sup, 'interview-9-signoff-refused-phone-zh.png');
  for (const no of [1, 2, 3]) {
    await row(sco, no).locator('button.sign').click();
    await row(sco, no).locator('.badge.st-scorer').waitFor();
    check((await text(row(sco, no))).includes(show(INTERVIEW[no])), `the score of ${no}: ` + await text(row(sco, no)));
  }
  // the trimmed totals of order 1: K7's 100 and K3's 68 struck out
  await row(sco, 1).locator('button:not(.sign)').click();
  await row(sco, 1).locator('table.scores').waitFor();
  const dropped = await row(sco, 1).locator('tr.dropped').allTextContents();
  check(dropped.length === 2, 'two dropped: ' + dropped);
  const hi = await text(row(sco, 1).locator('tr[data-examiner=K7]'));
  const lo = await text(row(sco, 1).locator('tr[data-examiner=K3]'));
  check(hi.includes('去掉的最高分') && hi.includes('100'), 'K7 dropped as the highest: ' + hi);
  check(lo.includes('去掉的最低分') && lo.includes('68') && lo.includes('更正 1 次'), 'K3 dropped as the lowest: ' + lo);
  check(await row(sco, 1).locator('tr[data-examiner=K7] td.total s').count() === 1, 'the dropped total struck through');
  check((await text(row(sco, 1).locator('.panel-score'))).includes('71.4'), 'the panel score');
  await shot(sco, 'interview-10-signoff-trimmed-desktop-zh.png');
  await sco.click('.lang button[data-lang=en]');
  await row(sco, 1).locator('button:not(.sign)').click();
  await row(sco, 1).locator('tr.dropped', { hasText: 'dropped: highest' }).waitFor();
  await shot(sco, 'interview-11-signoff-trimmed-desktop-en.png');
  // the chief before the supervisor: refused; then in order
  await sup.reload();
  await row(sup, 1).waitFor();
  await k1.reload();
  await row(k1, 1).waitFor();
  await row(k1, 1).locator('button.sign').click();
  await k1.locator('#sign-msg .alert', { hasText: '监督员' }).waitFor();
  for (const no of [1, 2, 3]) {
    await row(sup, no).locator('button.sign').click();
    await row(sup, no).locator('.badge.st-supervisor').waitFor();
  }
  await wideOk(sup, 390);
  for (const no of [1, 2, 3]) {
    await row(k1, no).locator('button.sign').click();
    await row(k1, no).locator('.badge.st-chief').waitFor();
  }
  await shot(k1, 'interview-12-chief-tablet-zh.png');

  mark('signed');
  // ⑤ the results: published on time, composites = written × 60% + interview × 40%
  await a.reload();
  await a.locator('#results .pub-res').waitFor();
  check((await text(a.locator('#results'))).includes('2027-01-12 18:00'), 'the deadline');
  await a.click('#results .pub-res');
  await confirm(a);
  await a.locator('#results .badge.in-use', { hasText: '按期发布' }).waitFor();
  for (const [t, o] of Object.entries(orderOf)) {
    const r = a.locator(`#results tr[data-ticket="${t}"]`);
    const iv = INTERVIEW[o];
    const comp = half(written[t] * 60 + iv * 40, 100);
    check(await text(r.locator('td.interview')) === show(iv), `interview of ${t}: ${await text(r.locator('td.interview'))} ≠ ${show(iv)}`);
    check(await text(r.locator('td.composite')) === show(comp), `composite of ${t}: ${await text(r.locator('td.composite'))} ≠ ${show(comp)}`);
    console.log(`COMPOSITE ${t} ${show(comp)}`);
  }
  await noNull(a);
  await shot(a, 'interview-13-results-desktop-zh.png');
  const ph = await open(phone, '/interview.html?exam=' + exam, 'agency');
  await ph.click('.lang button[data-lang=en]');
  await ph.locator('#results .badge', { hasText: 'On time' }).waitFor();
  await ph.locator('#results').screenshot({ path: join(shots, 'interview-14-results-phone-en.png') });
  await wideOk(ph, 390);
}

try {
  if (walk === 'manage') await manage();
  else if (walk === 'day') await day();
  else fail('unknown walk ' + walk);
  check(problems.length === 0, 'console errors: ' + problems.join(' | '));
} finally {
  await browser.close();
}
