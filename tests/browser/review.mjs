// Score review and certificates in a real Chromium (issue 10, items 8-10; SPEC GRD-9, GRD-10,
// INF-4, INF-5(7)): the candidate portal web/portal.html, the staff page
// web/reviews.html?exam=KW_EXAM, the console's approvals, the public look-up
// web/scores.html?exam=KW_EXAM_ID and the public check web/verify.html. Run five times by
// tests/e2e/t0050-review-web.sh, which checks the database between the walks (see there).
// Every page's clock is the server's test clock (KW_NOW), so deadlines count from the same day.
// Screenshots: review-N-*.png and verify-N-*.png in SCREENSHOT_DIR; the downloaded certificate
// in KW_WORK/cert.pdf.
// Usage: node review.mjs request|handle|approve|certs|revoke BASE_URL SCREENSHOT_DIR
// (KW_EXAM, KW_EXAM_ID, KW_NOW, KW_WORK, KW_TK1 … KW_TK4, KW_ID1 … KW_ID4)
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';

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
  // The refusals the walk provokes (401 before login, 403 approvals, 404, 409, 422) show as failed loads.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', acceptDownloads: true };
async function open(device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  await page.clock.setFixedTime(new Date(env.KW_NOW));
  watch(page);
  return { ctx, page };
}
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what}: the page is ${w} px wide on a 390-px phone`);
}
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });
const rows = (page, sel) => page.locator(sel + ' tbody tr').evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim()).join('|')));
const flashOk = (page, pattern) => page.locator('#flash .alert.ok', { hasText: pattern }).waitFor();
const reviews = '/reviews.html?exam=' + encodeURIComponent(env.KW_EXAM);

// A candidate logs in on the portal.
async function candidate(n, device) {
  const s = await open(device);
  await s.page.goto(base + '/portal.html');
  await s.page.locator('#m-login').waitFor();
  await s.page.getByLabel('证件号码').fill(env['KW_ID' + n]);
  await s.page.getByLabel('密码').fill('cand-pass-1');
  await s.page.getByRole('button', { name: '登录', exact: true }).click();
  await s.page.locator('#mine article.exam-card').first().waitFor();
  return s;
}
// Staff log in on the review page (or the console).
async function staff(user, device, path) {
  const s = await open(device);
  await s.page.goto(base + (path || reviews));
  await s.page.locator('#username').waitFor();
  await s.page.fill('#username', user);
  await s.page.fill('#password', user + '-password-1');
  await s.page.click('#login button[type=submit]');
  if (!path) await s.page.locator('#rv-h').waitFor();
  return s;
}
async function confirm(page, pattern, reason) {
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  const said = await text(dlg.locator('#dlg-msg'));
  check(pattern.test(said), 'the confirmation: ' + said);
  if (reason) await dlg.locator('#dlg-reason').fill(reason);
  await page.click('#dlg-ok');
  await dlg.waitFor({ state: 'detached' });
}
const exam = '#ex-' + env.KW_EXAM_ID;

if (phase === 'request') {
  const { ctx, page } = await candidate(1, desktop);
  const card = page.locator(exam);
  check(/成绩公布时间：2026-12-10 18:\d\d（北京时间）/.test(await text(card)), 'the publication time: ' + await text(card));
  check(/申请期限：成绩公布之日起 30 日内（约 2027-01-09 前，遇法定节假日顺延），还有 30 天/.test(await text(card.locator('.deadline'))), 'the deadline before a request: ' + await text(card.locator('.deadline')));
  // GRD-9: a request per subject, with a reason
  await page.click(`#ask-${env.KW_EXAM_ID}-01`);
  await page.getByLabel('申请理由（选填）').fill('第3题我确定涂的是A');
  await page.click(`#send-${env.KW_EXAM_ID}-01`);
  await page.locator(`#rv-msg-${env.KW_EXAM_ID}-01 .alert.ok`).waitFor();
  const item = card.locator('li.subject[data-subject="01"]');
  const said = await text(item);
  check(/经济基础知识 01 已提交，等待受理 公布成绩：2.5 分 · 2026-12-10 18:\d\d 申请 复核申请已提交/.test(said), 'the request: ' + said);
  check(/申请截止：2027-01-09（含当天，北京时间），还有 30 天/.test(await text(card.locator('.deadline'))), 'the server\'s deadline: ' + await text(card.locator('.deadline')));
  // one request per subject: no second button for 01, one for 02
  check(await page.locator(`#ask-${env.KW_EXAM_ID}-01`).count() === 0 && await page.locator(`#ask-${env.KW_EXAM_ID}-02`).count() === 1, 'the buttons after a request');
  check(/暂无证书/.test(await text(card)), 'certificates before any');
  await shot(page, 'review-1-portal-request.png');
  await ctx.close();
  // candidate 4 was absent: nothing to re-check, said in the server's words
  const ph = await candidate(4, phone);
  await ph.page.click(`#ask-${env.KW_EXAM_ID}-01`);
  await ph.page.click(`#send-${env.KW_EXAM_ID}-01`);
  const no = ph.page.locator(`#rv-msg-${env.KW_EXAM_ID}-01 [role=alert]`);
  await no.waitFor();
  check(await no.getAttribute('data-code') === 'REVIEW_NOT_REVIEWABLE', 'the absent candidate\'s refusal: ' + await no.getAttribute('data-code'));
  check(!/REVIEW_/.test(await text(no)) && (await text(no)).length > 6, 'the refusal is not in words: ' + await text(no));
  await noSideScroll(ph.page, 'the portal on a phone');
  const box = await ph.page.locator(`#ask-${env.KW_EXAM_ID}-02`).boundingBox();
  check(box.height >= 44, 'the request button is small on a phone: ' + JSON.stringify(box));
  await ph.page.locator('#mine').screenshot({ path: join(shots, 'review-2-phone-not-reviewable.png') });
  await ph.ctx.close();
} else if (phase === 'handle') {
  const { ctx, page } = await staff('agency', desktop);
  let r = await rows(page, 'table.reviews-list');
  check(r.length === 1 && new RegExp(`^#\\d+\\|${env.KW_TK1}\\|01 经济基础知识\\|2.5\\|第3题我确定涂的是A\\|已申请\\|申请截止 2027-01-09（还有 30 天） 转送截止 2027-01-19（还有 40 天）\\|—\\|受理 不予受理$`).test(r[0]), 'the request: ' + r.join(' / '));
  check(/已申请 1/.test(await text(page.locator('#rv-counts'))), 'the counts: ' + await text(page.locator('#rv-counts')));
  check(await page.locator('#forward-all').isDisabled(), 'forward offered with nothing accepted');
  await page.locator('button[id^=accept-]').click();
  await confirm(page, /受理第 \d+ 号申请（准考证号 \d+，科目 01 经济基础知识）？受理后须在 2027-01-19 前转送部考试中心。/);
  await flashOk(page, /号申请已受理。/);
  await page.click('#forward-all');
  await confirm(page, /把 1 件已受理的申请转送部考试中心复核？转送截止 2027-01-19/);
  await flashOk(page, '已转送 1 件申请（其中逾期 0 件）。');
  r = await rows(page, 'table.reviews-list');
  check(/\|已转送复核\|.*反馈截止 2026-12-25（还有 15 天） 已于 2026-12-10 18:\d\d 转送\|—\|记录复核结果$/.test(r[0]), 'forwarded: ' + r[0]);
  // the re-check: corrected, its fields checked before sending
  await page.locator('button[id^=result-]').click();
  await page.locator('#result-form').waitFor();
  await page.getByLabel('更正成绩').check();
  await page.click('#f-send');
  check(await text(page.locator('#f-score-err')) === '更正成绩时请填写复核后的成绩。' && await text(page.locator('#f-cause-err')) === '请填写原因。', 'the empty form');
  await page.getByLabel('复核后的成绩').fill('4.5');
  await page.getByLabel('原因').fill('登分错误');
  await page.getByLabel('说明', { exact: true }).fill('第3题读卡有误，原卡为A');
  await page.getByLabel('复核中发现的异常（选填）').fill('同批次另有1张答题卡第3题读卡异常，已报告');
  await shot(page, 'review-3a-result-form.png');
  await page.click('#f-send');
  await flashOk(page, /号申请的更正已提交，等待另一人审批（审批单 #\d+）。/);
  r = await rows(page, 'table.reviews-list');
  check(/\|更正待审批\|.*\|更正为 4.5 分 原因：登分错误 说明：第3题读卡有误，原卡为A 异常：同批次另有1张答题卡第3题读卡异常，已报告\|审批单 #\d+ · 须由记录人以外、有权审批的人员（考试主管部门）批准 到工作台“待审批事项”审批$/.test(r[0]), 'pending: ' + r[0]);
  check(await page.locator('button[id^=approve-]').count() === 0, 'agency staff are offered to approve');
  await shot(page, 'review-3-staff-pending.png');
  await ctx.close();
} else if (phase === 'approve') {
  // the console's approvals: the correction named by its exam and facts
  const { ctx, page } = await staff('auth', desktop, '/console.html#/approvals');
  await page.locator('table.grid tbody tr').first().waitFor();
  const r = await rows(page, 'table.grid');
  check(r.length === 1 && new RegExp(`^\\d+\\|成绩复核更正\\|2027年度经济专业技术资格考试（JJ27）：第 \\d+ 号复核申请，准考证号 ${env.KW_TK1}，科目 01：2.5 分 → 4.5 分 原因：登分错误；说明：第3题读卡有误，原卡为A 到成绩复核与证书页\\|agency\\|`).test(r[0]), 'the approval: ' + r.join(' / '));
  await shot(page, 'review-4-console-approval.png');
  await page.getByRole('button', { name: '批准' }).click();
  await confirm(page, /批准后，第 \d+ 号复核申请的成绩更正为 4.5 分（最终成绩），立即生效。/);
  await page.locator('table.grid').waitFor({ state: 'detached' });
  await ctx.close();
  // the public look-up shows the corrected score at once (GRD-9: final)
  const pub = await open(desktop);
  await pub.page.goto(base + '/scores.html?exam=' + env.KW_EXAM_ID);
  await pub.page.getByLabel('准考证号').fill(env.KW_TK1);
  await pub.page.getByLabel('身份证件号码').fill(env.KW_ID1);
  await pub.page.getByLabel('姓名').fill('张一');
  await pub.page.getByRole('button', { name: '查询成绩' }).click();
  await pub.page.locator('#result-h').waitFor();
  const sc = await rows(pub.page, 'table.scores-table');
  check(sc[0] === '经济基础知识 01|已评分|4.5', 'the look-up after the correction: ' + sc.join(' / '));
  await shot(pub.page, 'review-5-lookup-corrected.png');
  await pub.ctx.close();
  // agency answers the applicant
  const ag = await staff('agency', desktop);
  let rr = await rows(ag.page, 'table.reviews-list');
  check(/\|已更正\|/.test(rr[0]), 'corrected: ' + rr[0]);
  await ag.page.locator('button[id^=answer-]').click();
  await confirm(ag.page, /答复第 \d+ 号申请的考生？考生会在考生服务页收到复核结果：更正为 4.5 分。/);
  await flashOk(ag.page, /已答复第 \d+ 号申请的考生。/);
  rr = await rows(ag.page, 'table.reviews-list');
  check(/\|已答复考生\|/.test(rr[0]) && /已于 2026-12-10 18:\d\d 答复考生/.test(rr[0]), 'answered: ' + rr[0]);
  await ag.ctx.close();
  // the applicant sees the outcome and the answer (a portal message), never the notes
  const c = await candidate(1, phone);
  const item = c.page.locator(exam + ' li.subject[data-subject="01"]');
  const said = await text(item);
  check(/已答复 公布成绩：2.5 分/.test(said) && /复核结果：成绩更正为 4.5 分（原公布 2.5 分）。 原因：登分错误/.test(said), 'the outcome on the portal: ' + said);
  check(!/同批次/.test(await text(c.page.locator('#mine'))), 'the applicant sees the anomaly');
  check(/4.5/.test(await text(c.page.locator(exam + ' ul.msgs'))), 'the answer message: ' + await text(c.page.locator(exam)));
  await noSideScroll(c.page, 'the portal with an answer');
  await shot(c.page, 'review-6-portal-answered.png');
  await c.ctx.close();
} else if (phase === 'certs') {
  const ag = await staff('agency', desktop);
  // the list refused without pass standards, in the server's words
  await ag.page.click('#ql-send');
  await confirm(ag.page, /生成“2027年度经济专业技术资格考试”的合格人员名单/);
  await ag.page.locator('#ql-msg [role=alert]').waitFor();
  check(/QUALIFY_NO_STANDARD/.test(await text(ag.page.locator('#ql-msg'))), 'no standard: ' + await text(ag.page.locator('#ql-msg')));
  // pass standards: each subject required
  await ag.page.getByLabel('01 经济基础知识 合格分数线').fill('3');
  await ag.page.click('#ps-save');
  check(await text(ag.page.locator('#cut-02-err')) === '请填写每个科目的合格分数线。', 'the missing cut score');
  await ag.page.getByLabel('02 专业知识和实务 合格分数线').fill('3');
  await ag.page.click('#ps-save');
  await flashOk(ag.page, '合格标准已保存。');
  check(/第 1 版/.test(await text(ag.page.locator('#standards'))), 'the version');
  await ag.page.click('#ql-send');
  await confirm(ag.page, /合格人员名单/);
  await flashOk(ag.page, /已生成第 \d+ 号合格人员名单：合格 2 人，暂缓 0 人（资格核查中），等待另一人确认（审批单 #\d+）。/);
  const l = await rows(ag.page, 'table.lists-list');
  check(l.length === 1 && /^#\d+\|待确认\|4\|2\|0\|01 ≥ 3，02 ≥ 3\|agency\|—\|2026-12-10 18:\d\d\|—\|审批单 #\d+/.test(l[0]), 'the list: ' + l.join(' / '));
  await ag.ctx.close();
  // auth confirms on the review page
  const au = await staff('auth', desktop);
  await au.page.locator('button[id^=ql-approve-]').click();
  await confirm(au.page, /确认第 \d+ 号合格人员名单（合格 2 人）？确认后立即颁发电子证书。/);
  await flashOk(au.page, /号合格人员名单已确认：颁发证书 2 张，撤销 0 张。/);
  const ct = await rows(au.page, 'table.certs-list');
  const mine = ct.find((x) => x.split('|')[1] === '张一') || '';
  check(ct.length === 2 && /^JJ27-00000[12]\|张一\|\d{6}\*{8}\d{3}[\dX]\|2026-12-10\|有效\|01 经济基础知识 4.5；02 专业知识和实务 4.5\|PDF 撤销$/.test(mine), 'the certificates: ' + ct.join(' / '));
  const num = mine.split('|')[0];
  writeFileSync(join(env.KW_WORK, 'number'), num);
  await shot(au.page, 'review-7-staff-certificates.png');
  await au.ctx.close();
  // the candidate downloads the certificate on the portal
  const c = await candidate(1, desktop);
  const cert = c.page.locator(exam + ' li.cert');
  check(new RegExp(`证书编号 ${num} 有效 颁发日期 2026-12-10`).test(await text(cert)), 'the portal\'s certificate: ' + await text(cert));
  const [dl] = await Promise.all([c.page.waitForEvent('download'), cert.getByRole('button', { name: '下载证书（PDF）' }).click()]);
  check(dl.suggestedFilename() === num + '.pdf', 'the file name: ' + dl.suggestedFilename());
  await dl.saveAs(join(env.KW_WORK, 'cert.pdf'));
  check(readFileSync(join(env.KW_WORK, 'cert.pdf')).subarray(0, 5).toString() === '%PDF-', 'the download is not a PDF');
  await cert.locator('.dl-msg', { hasText: `证书已下载（${num}.pdf）。` }).waitFor();
  await shot(c.page, 'review-8-portal-certificate.png');
  const pay = await c.page.evaluate(async (id) => {
    const r = await fetch('/api/v1/exams/' + id + '/certificates', { headers: { Authorization: 'Bearer ' + sessionStorage.getItem('kw_cand') } });
    return (await r.json()).items[0].qr_payload;
  }, env.KW_EXAM_ID);
  writeFileSync(join(env.KW_WORK, 'payload'), pay);
  await c.ctx.close();
  // the public check on a phone: by number and name, then by the QR text
  const v = await open(phone);
  await v.page.goto(base + '/verify.html');
  await v.page.locator('#by-number').waitFor();
  await noSideScroll(v.page, 'the verification page');
  await v.page.click('#send-number');
  check(await text(v.page.locator('#number-err')) === '请填写证书编号。' && await text(v.page.locator('#name-err')) === '请填写持证人姓名。', 'the empty form');
  await v.page.getByLabel('证书编号', { exact: true }).fill(num.toLowerCase());
  await v.page.getByLabel('持证人姓名', { exact: true }).fill('张二');
  await v.page.click('#send-number');
  await v.page.locator('#msg [role=alert][data-code=CERT_NO_MATCH]').waitFor();
  await shot(v.page, 'verify-1-phone-no-match.png');
  await v.page.getByLabel('持证人姓名', { exact: true }).fill(' 张一 ');
  await v.page.click('#send-number');
  await v.page.locator('#result [data-verdict=valid]').waitFor();
  const res = await text(v.page.locator('#result'));
  check(/✔ 证书有效/.test(res) && new RegExp(`证书编号 ${num} 姓名 张\\* 证件号码 \\d{6}\\*{8}\\d{3}[\\dX] 考试 2027年度经济专业技术资格考试 颁发日期 2026-12-10`).test(res) &&
    /经济基础知识 01 4.5 专业知识和实务 02 4.5/.test(res), 'valid: ' + res);
  check(!res.includes('张一') && !res.includes(env.KW_ID1), 'the answer shows the whole name or number');
  await noSideScroll(v.page, 'the verification page with an answer');
  await shot(v.page, 'verify-2-phone-valid.png');
  await v.page.getByLabel('二维码内容', { exact: true }).fill(pay);
  await v.page.click('#send-code');
  await v.page.locator('#sig').waitFor();
  check(await v.page.locator('#sig.sig-ok').count() === 1, 'the browser\'s signature check: ' + await text(v.page.locator('#sig')));
  check(await v.page.locator('#result [data-verdict=valid]').count() === 1, 'valid by the code');
  // a forged code: the score raised inside the signed part
  const [, b, sg] = pay.split('.');
  const forged = 'KWC1.' + Buffer.from(Buffer.from(b, 'base64url').toString().replace('"4.5"', '"9.5"')).toString('base64url') + '.' + sg;
  await v.page.getByLabel('二维码内容', { exact: true }).fill(forged);
  await v.page.click('#send-code');
  await v.page.locator('#result [data-verdict=tampered]').waitFor();
  check(/✗ 二维码内容无效/.test(await text(v.page.locator('#result'))) && await v.page.locator('#sig.sig-bad').count() === 1, 'forged: ' + await text(v.page.locator('#result')));
  await shot(v.page, 'verify-3-phone-tampered.png');
  await v.ctx.close();
} else if (phase === 'revoke') {
  const num = readFileSync(join(env.KW_WORK, 'number'), 'utf8');
  const ag = await staff('agency', desktop);
  await ag.page.locator(`tr[data-number="${num}"] button[id^=revoke-]`).click();
  await confirm(ag.page, new RegExp(`撤销证书 ${num}（张一）？撤销后公开查验将显示“已撤销”。`), '以欺骗手段取得证书，依法撤销');
  await flashOk(ag.page, new RegExp(`证书 ${num} 的撤销已提交，等待另一人审批（审批单 #\\d+）。`));
  await ag.ctx.close();
  const au = await staff('auth', desktop);
  const row = au.page.locator(`tr[data-number="${num}"]`);
  check(/撤销待审批（审批单 #\d+）/.test(await text(row)), 'the pending revocation: ' + await text(row));
  await row.getByRole('button', { name: '批准撤销' }).click();
  await confirm(au.page, new RegExp(`批准撤销证书 ${num}？撤销立即生效。`));
  await flashOk(au.page, `证书 ${num} 已撤销。`);
  check(/已撤销 撤销原因：以欺骗手段取得证书，依法撤销/.test(await text(au.page.locator(`tr[data-number="${num}"]`))), 'revoked: ' + await text(au.page.locator(`tr[data-number="${num}"]`)));
  await au.ctx.close();
  const v = await open(phone);
  await v.page.goto(base + '/verify.html#' + readFileSync(join(env.KW_WORK, 'payload'), 'utf8'));
  await v.page.click('#send-code');
  await v.page.locator('#result [data-verdict=revoked]').waitFor();
  check(/✗ 证书已撤销/.test(await text(v.page.locator('#result'))) && /撤销时间 2026-12-10 18:\d\d/.test(await text(v.page.locator('#result'))), 'revoked: ' + await text(v.page.locator('#result')));
  await shot(v.page, 'verify-4-phone-revoked.png');
  await v.page.getByRole('button', { name: 'English' }).click();
  await v.page.getByLabel('Certificate number', { exact: true }).fill(num);
  await v.page.getByLabel('Holder\'s name').fill('张一');
  await v.page.click('#send-number');
  await v.page.locator('#result [data-verdict=revoked]').waitFor();
  check(/✗ Certificate revoked/.test(await text(v.page.locator('#result'))), 'English: ' + await text(v.page.locator('#result')));
  await noSideScroll(v.page, 'the verification page, en');
  await shot(v.page, 'verify-4-phone-revoked-en.png');
  await v.ctx.close();
} else {
  fail('the phase must be request, handle, approve, certs or revoke, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
