// The publication of scores in a real Chromium (issue 10, items 7 and 10; SPEC GRD-7, GRD-8,
// INF-4): the staff scoring page web/scoring.html?exam=KW_EXAM and the public look-up
// web/scores.html?exam=KW_EXAM_ID. Run three times by tests/e2e/t0046-publication-web.sh,
// which checks the database between the walks:
//   prepare — agency staff: the publication panel marks both subjects not ready; "prepare"
//             is refused in the server's words (GRD-7: PUBLISH_NOT_CROSSCHECKED, subject 01,
//             then 02) until each subject's latest run is cross-checked and kept from its
//             scores (the kept list, the overview's column, the readiness ✔); the
//             confirmation names the runs frozen (cancelled once: nothing sent); prepared:
//             #1 待审批 with who must approve and the link to the console's approvals, no
//             approve button (agency staff decide no approvals); again while it waits:
//             PUBLISH_PENDING; the public page says the scores are not published, no form.
//   approve — auth (authority_officer) approves #1 on the page → 已发布, approved by auth, the
//             look-up link; prepares #2 (the confirmation says it replaces #1) and tries to
//             approve it: SELF_APPROVAL's message (INF-4); auth2 on a 390-px phone approves
//             #2: #2 已发布, #1 已被替代; English.
//   lookup  — the public: the notice page's 成绩查询 card leads to the look-up; the portal's
//             step 9 to the list of exams with published scores; empty fields refused one by
//             one; candidate 1: 张*, 经济基础知识 已评分 4.5, 专业知识和实务 已评分 2.5; a wrong
//             name: the one message; candidate 3: 成绩无效 and 缺考 without a score, each
//             explained; candidate 5's ticket (used up by the script): 429, the countdown, the
//             button waiting; nothing kept in localStorage, sessionStorage, the address or a
//             cookie; a 390-px phone: candidate 2 (欧**娜, her name typed with spaces), then
//             English (the answer redrawn, a wrong name in English).
// Screenshots: publication-N-*.png and scores-N-*.png in SCREENSHOT_DIR.
// Usage: node publication.mjs prepare|approve|lookup BASE_URL SCREENSHOT_DIR
// (KW_EXAM, KW_EXAM_ID, KW_TK1 … KW_TK5, KW_ID1 … KW_ID5)
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
  // The refusals the walk provokes (401 before login, 403 approvals, 404 no match, 409, 429)
  // show as failed loads.
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
const scoring = '/scoring.html?exam=' + encodeURIComponent(env.KW_EXAM);
const rows = (page, sel) => page.locator(sel + ' tbody tr').evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim()).join('|')));
const flashOk = (page, pattern) => page.locator('#flash .alert.ok', { hasText: pattern }).waitFor();

// Staff log in on the scoring page itself.
async function staff(user, device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + scoring);
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  await page.locator('#pub-h').waitFor();
  await page.locator('#publications h3', { hasText: '发布记录' }).waitFor();
  return { ctx, page };
}
// The confirmation: its words checked, then confirmed (or cancelled).
async function confirm(page, pattern, cancel) {
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  const said = await text(dlg);
  check(pattern.test(said), 'the confirmation: ' + said);
  await page.click(cancel ? '#dlg-cancel' : '#dlg-ok');
  await dlg.waitFor({ state: 'detached' });
}
const ready = (page) => page.locator('ul.ready li').evaluateAll((lis) => lis.map((li) => li.dataset.ready + ':' + li.innerText.replace(/\s+/g, ' ').trim()));
const refused = async (page, code) => {
  const a = page.locator('#pub-msg [role=alert]', { hasText: code });
  await a.waitFor();
  return text(a);
};

if (phase === 'prepare') {
  const { ctx, page } = await staff('agency', desktop);
  let r = await ready(page);
  check(r.length === 2 && /^false:✗ 未就绪： ?01 经济基础知识：第 1 次评分尚未复核存档$/.test(r[0]) && /^false:.*02 专业知识和实务：第 1 次评分尚未复核存档$/.test(r[1]), 'readiness: ' + r.join(' / '));
  check(/还没有成绩发布/.test(await text(page.locator('#publications'))), 'a publication is listed before any');
  check(/未复核$/.test((await rows(page, 'table.subjects-list'))[0]), 'the overview\'s cross-check column: ' + (await rows(page, 'table.subjects-list'))[0]);
  // GRD-7: refused in words while subject 01's latest run has no cross-check on record
  await page.click('#do-publish');
  await confirm(page, /准备发布“2027年度经济专业技术资格考试”的成绩：冻结01 第 1 次评分、02 第 1 次评分的成绩，生成考生查询记录，提交给另一人审批。/);
  let no = await refused(page, 'PUBLISH_NOT_CROSSCHECKED');
  check(/科目 01 最近一次评分尚无留档的交叉核验，请先核验。/.test(no), 'the refusal: ' + no);
  await shot(page, 'publication-1-refused.png');
  // subject 01: its run's scores, cross-checked and kept
  await page.getByRole('button', { name: '查看成绩' }).click();
  await page.locator('#scores-h', { hasText: '第 1 次评分的成绩 · 01' }).waitFor();
  // the kept list arrives after the scores: wait for it (a timeout fails the walk)
  await page.locator('#cc-kept', { hasText: '这次评分还没有存档的复核' }).waitFor();
  await page.getByRole('button', { name: '复核并存档（逐人重新计算）' }).click();
  await page.locator('#cc-out', { hasText: '复核一致' }).waitFor();
  check(/复核一致：4 人逐人重新计算.*已存档为第 1 号复核记录。/.test(await text(page.locator('#cc-out'))), 'the cross-check: ' + await text(page.locator('#cc-out')));
  await page.locator('table.xc-list tbody tr').first().waitFor();
  const kept = await rows(page, 'table.xc-list');
  check(kept.length === 1 && /^1\|2026-12-10 18:\d\d\|agency\|一致\|4\|[0-9a-f]{12}…$/.test(kept[0]), 'kept: ' + kept.join(' / '));
  await page.locator('ul.ready li[data-ready=true]').waitFor();
  r = await ready(page);
  check(/^true:✔ 已就绪： ?01 经济基础知识：第 1 次评分，复核一致（agency，2026-12-10 18:\d\d）$/.test(r[0]) && /^false:/.test(r[1]), 'readiness after 01: ' + r.join(' / '));
  check(/\|一致（agency，2026-12-10 18:\d\d）$/.test((await rows(page, 'table.subjects-list'))[0]), 'the overview after 01: ' + (await rows(page, 'table.subjects-list'))[0]);
  // still refused: subject 02
  await page.click('#do-publish');
  await confirm(page, /冻结01 第 1 次评分、02 第 1 次评分的成绩/);
  no = await refused(page, 'PUBLISH_NOT_CROSSCHECKED');
  check(/科目 02 最近一次评分尚无留档的交叉核验/.test(no), 'the refusal for 02: ' + no);
  // subject 02 from its tab
  await page.locator('nav.tabs a', { hasText: '02 专业知识和实务' }).click();
  await page.locator('#subject-h', { hasText: '科目 02 专业知识和实务' }).waitFor();
  await page.getByRole('button', { name: '查看成绩' }).click();
  await page.locator('#scores-h', { hasText: '第 1 次评分的成绩 · 02' }).waitFor();
  await page.getByRole('button', { name: '复核并存档（逐人重新计算）' }).click();
  await page.locator('#cc-out', { hasText: '复核一致' }).waitFor();
  await page.locator('ul.ready li[data-ready=true]').nth(1).waitFor();
  // the confirmation names what it freezes; cancelled: nothing sent
  await page.click('#do-publish');
  await confirm(page, /冻结01 第 1 次评分、02 第 1 次评分的成绩.*审批通过后，考生即可凭准考证号、身份证件号码和姓名查询。确定准备发布吗？/, true);
  check(/还没有成绩发布/.test(await text(page.locator('#publications'))), 'a cancelled publication was sent');
  await page.click('#do-publish');
  await confirm(page, /冻结01 第 1 次评分、02 第 1 次评分的成绩/);
  await flashOk(page, /已准备第 1 号成绩发布（5 名考生），等待另一人审批（审批单 #\d+）。/);
  const pubs = await rows(page, 'table.pubs-list');
  check(pubs.length === 1 && /^#1\|待审批\|5\|01 第 1 次评分、 ?02 第 1 次评分\|[0-9a-f]{12}…\|agency\|—\|2026-12-10 18:\d\d\|—\|审批单 #\d+ · 须由准备人以外、有权审批成绩发布的人员（考试机构所属考试主管部门）批准。 ?到工作台“待审批事项”审批$/.test(pubs[0]),
    'the pending publication: ' + pubs.join(' / '));
  check(await page.locator('table.pubs-list button').count() === 0, 'agency staff are offered to approve');
  check(await page.locator('table.pubs-list a', { hasText: '到工作台“待审批事项”审批' }).getAttribute('href') === '/console.html#/approvals', 'the approvals link');
  await page.locator('#publications').scrollIntoViewIfNeeded();
  await shot(page, 'publication-2-pending.png');
  // INF-4: one waits at a time
  await page.click('#do-publish');
  await confirm(page, /冻结/);
  no = await refused(page, 'PUBLISH_PENDING');
  check(/本次考试的成绩发布（第 1 号）正在等待审核，请先处理。/.test(no), 'PUBLISH_PENDING: ' + no);
  await ctx.close();
  // the public: nothing yet
  const pc = await browser.newContext(phone);
  const pp = await pc.newPage();
  watch(pp);
  await pp.goto(base + '/scores.html?exam=' + env.KW_EXAM_ID);
  await pp.locator('#not-published').waitFor();
  check(/本次考试成绩尚未公布/.test(await text(pp.locator('#not-published'))) && await pp.locator('#lookup').count() === 0, 'the look-up before publication');
  await noSideScroll(pp, 'the look-up page before publication');
  await shot(pp, 'scores-0-not-published.png');
  await pc.close();
} else if (phase === 'approve') {
  const { ctx, page } = await staff('auth', desktop);
  await page.locator('#approve-1').waitFor();
  await page.click('#approve-1');
  await confirm(page, /批准第 1 号成绩发布（5 名考生）？批准后考生立即可以查询。/);
  await flashOk(page, '第 1 号成绩发布已批准：考生现在可以查询。');
  let pubs = await rows(page, 'table.pubs-list');
  check(pubs.length === 1 && /^#1\|已发布\|5\|.*\|agency\|auth\|2026-12-10 18:\d\d\|2026-12-10 18:\d\d\|考生查询页$/.test(pubs[0]), 'published: ' + pubs.join(' / '));
  check(await page.locator('table.pubs-list a.lookup-link').getAttribute('href') === '/scores.html?exam=' + env.KW_EXAM_ID, 'the look-up link');
  await shot(page, 'publication-3-published.png');
  // a second publication by auth, who may approve publications but not their own (INF-4)
  await page.click('#do-publish');
  await confirm(page, /查询，并替代正在发布的第 1 号。确定准备发布吗？/);
  await flashOk(page, '已准备第 2 号成绩发布（5 名考生）');
  await page.locator('#approve-2').waitFor();
  await page.click('#approve-2');
  await confirm(page, /批准第 2 号成绩发布（5 名考生）？批准后考生立即可以查询，并替代正在发布的第 1 号。/);
  const no = await refused(page, 'SELF_APPROVAL');
  check(/不能审批自己提出的变更，须由另一人审批（AB角）。/.test(no), 'SELF_APPROVAL: ' + no);
  pubs = await rows(page, 'table.pubs-list');
  check(/^#2\|待审批\|/.test(pubs[0]) && /^#1\|已发布\|/.test(pubs[1]), 'after the refusal: ' + pubs.join(' / '));
  await page.locator('#publications').scrollIntoViewIfNeeded();
  await shot(page, 'publication-4-self-approval.png');
  await ctx.close();
  // auth2 on a phone
  const ph = await staff('auth2', phone);
  await ph.page.locator('#approve-2').waitFor();
  await noSideScroll(ph.page, 'the scoring page with a pending publication');
  await shot(ph.page, 'publication-5-pending-phone.png');
  await ph.page.locator('#publications').screenshot({ path: join(shots, 'publication-5b-panel-pending-phone.png') });
  await ph.page.click('#approve-2');
  await confirm(ph.page, /并替代正在发布的第 1 号/);
  await flashOk(ph.page, '第 2 号成绩发布已批准');
  pubs = await rows(ph.page, 'table.pubs-list');
  check(pubs.length === 2 && /^#2\|已发布\|5\|.*\|auth\|auth2\|/.test(pubs[0]) && /^#1\|已被替代\|5\|.*\|agency\|auth\|/.test(pubs[1]), 'after auth2: ' + pubs.join(' / '));
  // a phone: each publication a card, its cells named
  const labels = await ph.page.locator('table.pubs-list tbody tr').first().locator('td').evaluateAll((tds) => tds
    .filter((td) => getComputedStyle(td).display !== 'none').map((td) => getComputedStyle(td, '::before').content));
  check(labels.slice(0, 3).join() === '"编号","状态","考生"', 'the phone\'s card labels: ' + labels.join());
  await noSideScroll(ph.page, 'the scoring page, published');
  await ph.page.locator('#publications').scrollIntoViewIfNeeded();
  await shot(ph.page, 'publication-6-phone-zh.png');
  await ph.page.locator('#publications').screenshot({ path: join(shots, 'publication-6b-panel-phone-zh.png') });
  await ph.page.getByRole('button', { name: 'English' }).click();
  await ph.page.locator('#pub-h', { hasText: 'Publication of scores' }).waitFor();
  pubs = await rows(ph.page, 'table.pubs-list');
  check(/^#2\|Published\|/.test(pubs[0]) && /^#1\|Superseded\|/.test(pubs[1]), 'English: ' + pubs.join(' / '));
  check(/run 1, cross-checked clean/.test(await text(ph.page.locator('ul.ready'))), 'English readiness');
  await noSideScroll(ph.page, 'the scoring page, en');
  await ph.page.locator('#publications').screenshot({ path: join(shots, 'publication-7-panel-phone-en.png') });
  await ph.ctx.close();
} else if (phase === 'lookup') {
  const ctx = await browser.newContext(desktop);
  const page = await ctx.newPage();
  watch(page);
  // the notice leads to the look-up once the scores are published
  await page.goto(base + '/notice.html?exam=' + env.KW_EXAM_ID);
  await page.locator('#scores').waitFor();
  check(/本次考试成绩已于 2026\/12\/10 18:\d\d:\d\d（北京时间）公布。/.test(await text(page.locator('#scores'))), 'the notice\'s scores card: ' + await text(page.locator('#scores')));
  await page.locator('#scores a', { hasText: '查询成绩' }).click();
  await page.locator('#lookup').waitFor();
  check(new URL(page.url()).pathname === '/scores.html' && new URL(page.url()).search === '?exam=' + env.KW_EXAM_ID, 'the notice linked ' + page.url());
  check(await text(page.locator('#exam-h')) === '2027年度经济专业技术资格考试', 'the exam\'s name: ' + await text(page.locator('#exam-h')));
  check(/成绩公布时间：2026-12-10 18:\d\d（北京时间）/.test(await text(page.locator('#published-at'))), 'the time published');
  // the form: each empty field refused beside it
  await page.click('#send');
  check(await text(page.locator('#ticket-err')) === '请填写准考证号。' && await text(page.locator('#idno-err')) === '请填写身份证件号码。' &&
    await text(page.locator('#name-err')) === '请填写姓名。', 'the empty form');
  check(await page.locator('#ticket').getAttribute('aria-invalid') === 'true', 'the ticket field is not marked');
  check(await page.evaluate(() => document.activeElement.id) === 'ticket', 'the first empty field has not the focus');
  // candidate 1, with labels
  await page.getByLabel('准考证号').fill(env.KW_TK1);
  await page.getByLabel('身份证件号码').fill(env.KW_ID1);
  await page.getByLabel('姓名').fill('张一');
  await page.getByRole('button', { name: '查询成绩' }).click();
  await page.locator('#result-h').waitFor();
  check(await text(page.locator('#r-name')) === '张*' && await text(page.locator('#r-ticket')) === env.KW_TK1, 'the masked name and ticket');
  let sc = await rows(page, 'table.scores-table');
  check(sc.join('\n') === '经济基础知识 01|已评分|4.5\n专业知识和实务 02|已评分|2.5', 'candidate 1:\n' + sc.join('\n'));
  const res = await text(page.locator('#result'));
  check(!res.includes('张一') && !res.includes(env.KW_ID1), 'the answer shows the whole name or the identity number');
  check(await page.evaluate(() => document.activeElement.id) === 'result-h', 'the answer has not the focus');
  await shot(page, 'scores-1-desktop-zh.png');
  // a wrong name: the one message, nothing shown
  await page.getByLabel('姓名').fill('张二');
  await page.click('#send');
  await page.locator('#msg [role=alert]').waitFor();
  check(await text(page.locator('#msg [role=alert]')) === '没有与该准考证号、身份证件号码和姓名相符的已发布成绩，请核对后重试。', 'a wrong name: ' + await text(page.locator('#msg')));
  check(await page.locator('#result').isHidden(), 'the earlier answer stays after a mismatch');
  await shot(page, 'scores-2-no-match.png');
  // candidate 3: 01 voided by a decision, absent in 02 — no score, each explained
  await page.getByLabel('准考证号').fill(env.KW_TK3);
  await page.getByLabel('身份证件号码').fill(env.KW_ID3.toLowerCase());
  await page.getByLabel('姓名').fill('李三');
  await page.click('#send');
  await page.locator('#result-h').waitFor();
  sc = await rows(page, 'table.scores-table');
  check(sc.join('\n') === '经济基础知识 01|成绩无效|—\n专业知识和实务 02|缺考|—', 'candidate 3:\n' + sc.join('\n'));
  const why = await text(page.locator('ul.why'));
  check(/成绩无效：依违纪违规处理决定，该科目成绩无效。/.test(why) && /缺考：未参加该科目考试（不记零分）。/.test(why), 'the explanations: ' + why);
  await shot(page, 'scores-3-void-absent.png');
  // candidate 5's ticket was looked up 10 times this minute: 429, the countdown, the button waits
  await page.getByLabel('准考证号').fill(env.KW_TK5);
  await page.getByLabel('身份证件号码').fill(env.KW_ID5);
  await page.getByLabel('姓名').fill('钱五');
  await page.click('#send');
  await page.locator('#msg [role=alert][data-code=RATE_LIMITED]').waitFor();
  const lim = await text(page.locator('#msg [role=alert]'));
  check(/^请求过于频繁，请 \d+ 秒后再试。 \d+ 秒后可以再次查询。$/.test(lim), 'the 429: ' + lim);
  check(await page.locator('#send').isDisabled(), 'the button does not wait');
  await shot(page, 'scores-4-rate-limited.png');
  // nothing typed is kept anywhere
  const kept = await page.evaluate(() => ({ l: localStorage.length, s: sessionStorage.length, c: document.cookie, q: location.search }));
  check(kept.l === 0 && kept.s === 0 && kept.q === '?exam=' + env.KW_EXAM_ID && !/\d{6}/.test(kept.c), 'kept: ' + JSON.stringify(kept));
  // the portal's step 9 leads to the list of exams with published scores
  await page.goto(base + '/portal.html');
  await page.getByRole('link', { name: '成绩查询' }).click();
  await page.locator('ul.list a').first().waitFor();
  const listed = await page.locator('ul.list a').evaluateAll((as) => as.map((a) => a.textContent + '→' + a.getAttribute('href')));
  check(listed.join() === '2027年度经济专业技术资格考试→/scores.html?exam=' + env.KW_EXAM_ID, 'the exams with scores: ' + listed.join());
  await ctx.close();

  // a phone: candidate 2, her name typed with spaces; then English
  const pc = await browser.newContext(phone);
  const pp = await pc.newPage();
  watch(pp);
  await pp.goto(base + '/scores.html?exam=' + env.KW_EXAM_ID);
  await pp.locator('#lookup').waitFor();
  await noSideScroll(pp, 'the look-up page');
  await pp.getByLabel('准考证号').fill(env.KW_TK2);
  await pp.getByLabel('身份证件号码').fill(env.KW_ID2);
  await pp.getByLabel('姓名').fill(' 欧阳娜娜 ');
  await pp.getByRole('button', { name: '查询成绩' }).click();
  await pp.locator('#result-h').waitFor();
  check(await text(pp.locator('#r-name')) === '欧**娜', 'candidate 2\'s masked name: ' + await text(pp.locator('#r-name')));
  sc = await rows(pp, 'table.scores-table');
  check(sc.join('\n') === '经济基础知识 01|已评分|2.5\n专业知识和实务 02|缺考|—', 'candidate 2:\n' + sc.join('\n'));
  const size = await pp.locator('#send').boundingBox();
  check(size.height >= 44 && size.width >= 300, 'the button is small on a phone: ' + JSON.stringify(size));
  await noSideScroll(pp, 'the look-up page with an answer');
  await shot(pp, 'scores-5-phone-zh.png');
  await pp.getByRole('button', { name: 'English' }).click();
  await pp.locator('#result-h', { hasText: 'Your scores' }).waitFor();
  sc = await rows(pp, 'table.scores-table');
  check(sc.join('\n') === '经济基础知识 01|Scored|2.5\n专业知识和实务 02|Absent|—', 'English:\n' + sc.join('\n'));
  check(await pp.getByLabel('Identity number').inputValue() === env.KW_ID2, 'the typed number was lost with the language');
  await pp.getByLabel('Name', { exact: true }).fill('欧阳娜');
  await pp.getByRole('button', { name: 'Look up my scores' }).click();
  await pp.locator('#msg [role=alert]').waitFor();
  check(/^No published score matches this ticket number, identity number and name\. Check them and try again\.$/.test(await text(pp.locator('#msg [role=alert]'))),
    'the English refusal: ' + await text(pp.locator('#msg')));
  await noSideScroll(pp, 'the look-up page, en');
  await shot(pp, 'scores-5-phone-en.png');
  await pc.close();
} else {
  fail('the phase must be prepare, approve or lookup, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
