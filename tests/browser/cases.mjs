// Violation cases in a real Chromium (issue 8, item 7; SPEC VIO-0, VIO-7, VIO-8, VIO-9, REG-5):
// a room-record violation through notice, defence, decision letter and ban, then a
// registration attempt refused. Run four times by tests/e2e/t0042-cases-web.sh, which checks
// the database between the runs and moves the server's clock past the defence period:
//   record  — agency staff open the case from the registration on web/cases.html (the act
//             chosen from the catalogue: VH 7(1)(3)); the notice is refused in the server's
//             words while the record lacks signatures (VIO-8: CASE_SIGNATURES, beside the form);
//             proctor 1 signs and uploads the photo taken in the room, proctor 2 signs on a
//             phone; proctor 1 is refused the draft notice in the server's words (403: only
//             those who may notify); the agency previews the draft notice before sending it (the
//             citation 第七条第一款第三项, unnumbered, marked 草稿; another act chosen in the form
//             redraws it; its PDF downloaded), is offered only the referrals among the other
//             consequences, and sends the notice: the defence period runs to 2026-12-01.
//   defend  — the candidate reads the notice in the portal (web/register.html), downloads the
//             PDF, is stopped by the form when sending nothing, sends the statement and
//             defence and uploads a paper for it.
//   decide  — (the clock on 2026-12-02) the authority reviews the defence, is refused by the
//             server when deciding in the name of a county unit (VIO-7: CASE_DECIDER_LEVEL)
//             — the draft letter previewed before, in the name of the unit chosen in the form,
//             redrawn when the unit changes, its PDF downloaded —,
//             decides in the provincial unit's name after a confirmation naming the consequence
//             (取消本次考试资格并五年内限制报考公务员，记入诚信档案库), downloads the letter, records
//             the service (the appeal deadlines, provisional), records through the folded form
//             that the employer was told (VH 13: refused by the form without the body, by the
//             server for a day after today) and sees it on the timeline in words; the archive
//             search shows the
//             ban with the case's link and the sharing ledger its pending change; a proctor
//             sees the server's refusal on the archive page.
//   after   — the candidate sees the decision, the letter (downloaded) and the right to review
//             or sue with its deadlines; the attempt to register for another civil-service
//             exam is refused in the page with the server's REG_BANNED message.
//   revoke  — (INF-5(5), INF-4) the agency asks to revoke the decision: refused by the form
//             without grounds, by the server without papers, then sent with the review decision;
//             the maker may not approve it; the authority approves after a confirmation naming
//             the consequence; the effects show undone and the archive entry revoked.
// Screenshots: desktop and 390-px phone, zh-CN and en, of the case page and the portal.
// Drafts are saved as KW_OUT/notice-draft.pdf and KW_OUT/letter-draft.pdf.
// Usage: node cases.mjs record|defend|decide|after|revoke BASE_URL SCREENSHOT_DIR
// (KW_CAND, KW_CAND_PASSWORD, KW_REG, KW_FILES — landscape.jpg, 情况说明.pdf, 行政复议决定书.pdf —, KW_OUT — where
// downloads are saved —; from defend on KW_CASE; for decide KW_UNIT_OK, KW_UNIT_LOW; for after
// KW_EXAM2_NAME, KW_POS2)
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
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
  // The refusals the walk provokes (401 before login, 403, 409, 422) show as failed loads.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', acceptDownloads: true };
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what}: the page is ${w} px wide on a 390-px phone`);
}
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });
// A download started by click(): saved as OUT/name; checked to be a PDF.
async function savePdf(page, click, name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = join(env.KW_OUT, name);
  await dl.saveAs(path);
  check(readFileSync(path).subarray(0, 5).toString() === '%PDF-', name + ' is not a PDF');
  return dl.suggestedFilename();
}

// ---- staff: log in on cases.html, then a page of it ----
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
async function casePage(user, device) {
  const s = await staff(user, device, '/cases.html?case=' + env.KW_CASE);
  await s.page.locator('#case-h').waitFor();
  return s;
}
const next = (page) => page.locator('#next');
// The answer of the server beside a step's form.
async function refusal(form, pattern, what) {
  const a = form.locator('.step-msg [role=alert]');
  await a.waitFor();
  const words = await text(a);
  check(pattern.test(words), what + ': ' + words);
  return words;
}
async function english(page, heading) {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}
async function chinese(page, heading) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
}

// ---- the candidate: log in on register.html, land on 我的报名 with the cases' section ----
async function candidate(device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/register.html');
  const form = page.locator('form[aria-labelledby=login-h]');
  await form.locator('[name=id_number]').fill(env.KW_CAND);
  await form.locator('[name=password]').fill(env.KW_CAND_PASSWORD);
  await form.locator('button[type=submit]').click();
  await page.getByRole('heading', { name: '我的报名' }).waitFor();
  const part = page.locator('#my-cases');
  await part.getByRole('heading', { name: '违纪违规处理告知与决定' }).waitFor();
  return { ctx, page, part };
}

if (phase === 'record') {
  // ---- the agency opens the case from the registration (VIO-8: a room record) ----
  const { ctx, page } = await staff('agency', desktop);
  const open = page.locator('form.open-form');
  await open.getByRole('button', { name: '立案' }).click();
  check(/请填写报名号/.test(await text(open.locator('div.field:has([name=registration_id]) .err'))), 'no registration number was not refused');
  await open.getByLabel('报名号').fill(env.KW_REG);
  await open.getByLabel('报名号').press('Tab');
  await open.locator('.reg-who', { hasText: '公务员录用违规违纪行为处理办法' }).waitFor();
  check(/2021-09-18/.test(await text(open.locator('.reg-who'))), 'the catalogue\'s version is not shown');
  await open.getByLabel('案件来源').selectOption('room_record');
  await open.getByLabel('来源编号或说明（选填，如“第012考场记录”）').fill('第012考场记录');
  await open.getByLabel('发生环节').selectOption('exam');
  await open.getByLabel('科目或场次（选填）').fill('行政职业能力测验');
  await open.getByLabel('所引条款（违纪违规行为）').selectOption('VH-7-1-3');
  check(/取消本次考试资格并五年内限制报考公务员/.test(await text(open.locator('.entry-text'))), 'the chosen act\'s penalty is not shown');
  await open.getByLabel('违纪违规事实').fill('考试开始后40分钟，监考员发现该考生在桌下使用手机拍摄试题');
  await open.getByLabel('发生时间（北京时间）').fill('2026-11-22T09:40');
  await open.getByLabel('地点（选填）').fill('合肥一中 第012考场');
  await open.getByLabel('现场处置（选填）').fill('当场制止，暂扣手机，拍照固定证据');
  await shot(page, 'cases-1-open-form.png');
  await open.getByRole('button', { name: '立案' }).click();
  await page.locator('#case-h').waitFor();
  const opened = /已立案：案件 #(\d+)/.exec(await text(page.locator('#flash')));
  check(opened, 'not told the case is opened');
  env.KW_CASE = opened[1];
  check(new URL(page.url()).searchParams.get('case') === opened[1], 'the address is not the case\'s: ' + page.url());
  const rec = page.locator('#record');
  const words = await text(rec);
  check(/第七条第一款第三项/.test(words) && /使用禁止携带的通讯设备/.test(words) && /2021-09-18/.test(words) && /考场记录 · 第012考场记录/.test(words),
    'the record: ' + words);
  check(/2026-11-22 09:40/.test(words), 'the time is not shown in China time: ' + words);
  check(/已立案，待告知/.test(await text(page.locator('#case-h'))), 'the state is not shown');
  // the notice before the signatures: the server's words beside the form
  const notify = next(page).locator('form.notify-form');
  await notify.getByLabel('送达方式').selectOption('portal');
  await notify.getByRole('button', { name: '发出告知书' }).click();
  await refusal(notify, /现场记录须由至少 2 名工作人员签名（现有 0 名）/, 'the notice without signatures');
  await shot(page, 'cases-2-notice-refused.png');
  await ctx.close();

  // ---- proctor 1 signs and adds the evidence; proctor 2 signs on a phone ----
  const p1 = await casePage('proc1', desktop);
  const sign = p1.page.locator('form.sign-form');
  await sign.getByLabel('身份（选填，如“监考员”）').fill('监考员');
  await sign.getByRole('button', { name: '在现场记录上签名' }).click();
  await p1.page.locator('#sig-sum', { hasText: '已签名 1 人' }).waitFor();
  check((await p1.page.locator('form.sign-form').count()) === 0 && /您已签名/.test(await text(p1.page.locator('#sig'))), 'signing is offered twice');
  const up = p1.page.locator('form.file-form');
  await up.getByRole('button', { name: '上传材料' }).click();
  check(/请填写材料名称/.test(await text(up.locator('div.field:has([name=label]) .err'))), 'a file without a label was not refused');
  await up.getByLabel('材料名称（如“现场照片”）').fill('现场照片');
  await up.getByLabel('文件（PDF、JPEG 或 PNG）').setInputFiles(join(env.KW_FILES, 'landscape.jpg'));
  await up.getByRole('button', { name: '上传材料' }).click();
  await p1.page.locator('#files .case-files li', { hasText: '现场照片' }).waitFor();
  check(/证据/.test(await text(p1.page.locator('#files .case-files li'))), 'the evidence is not listed as evidence');
  // a proctor may not notify: the draft notice refused in the server's words, in place
  const pd = next(p1.page).locator('details.notice-draft');
  await pd.locator('summary', { hasText: '预览告知书草稿' }).click();
  const no = pd.locator('[role=alert]');
  await no.waitFor();
  check(/您没有执行此操作的权限/.test(await text(no)) && /FORBIDDEN/.test(await text(no)), 'the draft refused to a proctor: ' + await text(no));
  check(await pd.locator('.draft-doc').count() === 0, 'a proctor is shown the draft');
  await p1.ctx.close();
  const p2 = await casePage('proc2', phone);
  await p2.page.locator('form.sign-form').getByLabel('身份（选填，如“监考员”）').fill('监考员');
  await p2.page.locator('form.sign-form').getByRole('button', { name: '在现场记录上签名' }).tap();
  await p2.page.locator('#sig-sum', { hasText: '已签名 2 人' }).waitFor();
  await noSideScroll(p2.page, 'the case, signed');
  await p2.ctx.close();

  // ---- the agency sends the notice; the defence period runs ----
  const ag = await casePage('agency', desktop);
  const checks = await text(ag.page.locator('#next .checks-list'));
  check(/签名 2\/2/.test(checks) && /证据材料 1 份/.test(checks), 'the checklist: ' + checks);
  const nf = next(ag.page).locator('form.notify-form');
  // the draft notice before sending it: the text in place, cited, unnumbered, marked a draft
  const pv = next(ag.page).locator('details.notice-draft');
  await pv.locator('summary', { hasText: '预览告知书草稿' }).click();
  const draft = pv.locator('.draft-doc');
  await draft.waitFor();
  const dw = await text(draft);
  check(/^草稿：尚未签发/.test(dw) && /公务员录用违规违纪行为陈述申辩告知书/.test(dw) && /编号：（草稿，签发时编号）/.test(dw), 'the draft notice is not marked a draft: ' + dw);
  check(/考生王明/.test(dw) && /第七条第一款第三项规定的“使用禁止携带的通讯设备/.test(dw) && /取消本次考试资格并五年内限制报考公务员/.test(dw) && /2026年12月1日24时前/.test(dw),
    'the draft notice: ' + dw);
  check(await draft.getAttribute('data-mark') === '草稿', 'the draft\'s mark across it');
  // another act chosen in the form: the draft follows it; then back to the case's
  await nf.getByLabel('所引条款（违纪违规行为）').selectOption('VH-6-1-1');
  await pv.locator('.draft-doc', { hasText: '第六条第一款第一项' }).waitFor();
  await nf.getByLabel('所引条款（违纪违规行为）').selectOption('VH-7-1-3');
  await pv.locator('.draft-doc', { hasText: '第七条第一款第三项' }).waitFor();
  await savePdf(ag.page, () => pv.getByRole('link', { name: '告知书草稿（PDF）' }).click(), 'notice-draft.pdf');
  await shot(ag.page, 'cases-3-notice-draft.png');
  // before the decision, only the referrals among the other consequences (VH 13, 23)
  const cqf = next(ag.page).locator('details.consequence-fold');
  await cqf.locator('summary', { hasText: '其他后续处理（通知所在单位、移送等）' }).click();
  const kinds = await cqf.locator('select[name=kind] option').evaluateAll((os) => os.map((o) => o.value));
  check(kinds.join() === 'referred_judicial,referred_authority', 'the consequences offered before the decision: ' + kinds);
  await cqf.locator('summary').click();
  await nf.getByLabel('送达方式').selectOption('portal');
  await nf.getByRole('button', { name: '发出告知书' }).click();
  await ag.page.locator('#case-h', { hasText: '已告知' }).waitFor();
  check(/告知书已发出（.+），陈述申辩期限至 2026-12-01/.test(await text(ag.page.locator('#flash'))), 'not told the notice is sent: ' + await text(ag.page.locator('#flash')));
  const dls = await text(ag.page.locator('#deadlines'));
  check(/告知书送达 2026-11-24/.test(dls) && /陈述申辩截止 2026-12-01/.test(dls), 'the deadlines: ' + dls);
  check(await ag.page.locator('#notice-link').count() === 1, 'no link to the notice');
  const tl = await text(ag.page.locator('#timeline'));
  check(/立案/.test(tl) && /签名 · proc1/.test(tl) && /签名 · proc2/.test(tl) && /上传材料/.test(tl) && /发出告知书/.test(tl), 'the timeline: ' + tl);
  await shot(ag.page, 'cases-3-notified.png');
  await english(ag.page, 'Violation cases');
  await ag.page.locator('#case-h', { hasText: 'Notified, defence period' }).waitFor();
  check(/Defence period ends 2026-12-01/.test(await text(ag.page.locator('#deadlines'))), 'English deadlines');
  check(/Art\. 7\(1\)\(3\)/.test(await text(ag.page.locator('#record'))), 'English citation');
  await shot(ag.page, 'cases-3-notified-en.png');
  await chinese(ag.page, '违纪违规案件');
  await ag.ctx.close();
  const ph = await casePage('agency', phone);
  await noSideScroll(ph.page, 'the case, zh-CN');
  await shot(ph.page, 'cases-3-phone.png');
  await english(ph.page, 'Violation cases');
  await ph.page.locator('#case-h').waitFor();
  await noSideScroll(ph.page, 'the case, en');
  await shot(ph.page, 'cases-3-phone-en.png');
  await chinese(ph.page, '违纪违规案件');
  // the list, on the phone
  await ph.page.getByRole('link', { name: '返回案件列表' }).click();
  await ph.page.locator('#list-sum').waitFor();
  check(/共 1 件/.test(await text(ph.page.locator('#list-sum'))), 'the list');
  const row = await text(ph.page.locator('table.cases-list tbody tr'));
  check(/王明/.test(row) && /第七条第一款第三项/.test(row) && /陈述申辩至 2026-12-01/.test(row) && !row.includes(env.KW_CAND), 'the list row: ' + row);
  await noSideScroll(ph.page, 'the list');
  await ph.ctx.close();
} else if (phase === 'defend') {
  // ---- the candidate reads the notice and sends the statement and defence ----
  const { ctx, page, part } = await candidate(phone);
  const c = part.locator('article.my-case');
  const words = await text(c);
  check(/拟处理告知/.test(words) && /拟作出的处理：取消本次考试资格并五年内限制报考公务员/.test(words) && /第七条第一款第三项/.test(words), 'the notice in the portal: ' + words);
  check(/陈述和申辩截止：2026-12-01/.test(words), 'the defence period is not shown: ' + words);
  check(/陈述申辩告知书/.test(await text(part.locator('ul.msgs'))), 'no portal message');
  await savePdf(page, () => c.getByRole('button', { name: '下载告知书（PDF）' }).tap(), 'notice.pdf');
  const form = c.locator('form.defence-form');
  await form.getByRole('button', { name: '提交陈述和申辩' }).tap();
  check(/请写明您的陈述和申辩/.test(await text(form.locator('.err'))), 'sending nothing was not refused');
  await noSideScroll(page, 'the notice');
  await shot(page, 'cases-4-portal-notice.png');
  await form.getByLabel('您的陈述和申辩（事实经过、理由和证据）').fill('手机是关机状态，我只是想看时间。');
  await form.getByRole('button', { name: '提交陈述和申辩' }).tap();
  await part.locator('#my-cases-msg .alert.ok', { hasText: '陈述和申辩已提交' }).waitFor();
  check(/手机是关机状态/.test(await text(part.locator('.my-defence'))), 'the defence sent is not shown');
  const up = part.locator('form.paper-form');
  await up.getByLabel('材料名称（如“情况说明”）').fill('情况说明');
  await up.getByLabel('选择文件（PDF、JPEG 或 PNG）').setInputFiles(join(env.KW_FILES, '情况说明.pdf'));
  await up.getByRole('button', { name: '上传材料' }).tap();
  await part.locator('#my-cases-msg .alert.ok', { hasText: '已上传：情况说明' }).waitFor();
  check(/情况说明/.test(await text(part.locator('.my-defence-box ul.files'))), 'the paper is not listed');
  await noSideScroll(page, 'the defence sent');
  await shot(page, 'cases-5-portal-defence.png');
  await page.getByRole('button', { name: 'English' }).click();
  const en = page.locator('#my-cases');
  await en.getByRole('heading', { name: 'Notices and decisions on violations' }).waitFor();
  check(/Statement and defence until 2026-12-01/.test(await text(en)), 'English portal: ' + await text(en));
  await noSideScroll(page, 'the portal, en');
  await shot(page, 'cases-5-portal-defence-en.png');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '我的报名' }).waitFor();
  await ctx.close();
} else if (phase === 'decide') {
  // ---- the authority reviews and decides (the period ended) ----
  const { ctx, page } = await casePage('auth', desktop);
  const rv = next(page).locator('form.review-form');
  check(/手机是关机状态/.test(await text(next(page))), 'the defence is not shown for review');
  await rv.getByRole('button', { name: '提交复核意见' }).click();
  check(/请填写复核意见/.test(await text(rv.locator('.err'))), 'an empty review was not refused');
  await rv.getByLabel('复核意见').fill('经调取监控，考生在考试中操作手机拍摄试卷，申辩理由不成立。');
  await rv.getByRole('button', { name: '提交复核意见' }).click();
  await page.locator('#flash', { hasText: '复核意见已记录' }).waitFor();
  // VIO-7: a county unit may not decide a five-year ban — the server says so beside the form
  const df = next(page).locator('form.decide-form');
  check(/拟处理：取消本次考试资格并五年内限制报考公务员（第七条第一款第三项）/.test(await text(next(page))), 'the intended decision: ' + await text(next(page)));
  // the draft letter before deciding, in the name of the unit chosen in the form
  const lp = next(page).locator('details.letter-draft');
  await lp.locator('summary', { hasText: '预览处理决定书草稿' }).click();
  await lp.locator('.draft-doc').waitFor();
  await df.getByLabel('作出决定的单位').selectOption(env.KW_UNIT_LOW);
  await lp.locator('.draft-doc', { hasText: 'FXGWY 单位（盖章）' }).waitFor();
  await df.getByLabel('作出决定的单位').selectOption(env.KW_UNIT_OK);
  const letter = lp.locator('.draft-doc', { hasText: 'AHGWY 单位（盖章）' });
  await letter.waitFor();
  const lw = await text(letter);
  check(/^草稿：尚未签发/.test(lw) && /公务员录用违规违纪行为处理决定书/.test(lw) && /编号：（草稿，签发时编号）/.test(lw) && /第七条第一款第三项/.test(lw) &&
    /给予取消本次考试资格并五年内限制报考公务员处理/.test(lw) && /2026年12月2日/.test(lw) && !/FXGWY/.test(lw), 'the draft letter: ' + lw);
  await savePdf(page, () => lp.getByRole('link', { name: '处理决定书草稿（PDF）' }).click(), 'letter-draft.pdf');
  await shot(page, 'cases-6-letter-draft.png');
  await df.getByLabel('作出决定的单位').selectOption(env.KW_UNIT_LOW);
  await df.getByRole('button', { name: '作出处理决定' }).click();
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  await page.click('#dlg-ok');
  await refusal(df, /级别不够/, 'a county unit deciding');
  await shot(page, 'cases-6-decider-refused.png');
  // the provincial authority decides, after the confirmation naming the consequence
  await df.getByLabel('作出决定的单位').selectOption(env.KW_UNIT_OK);
  await df.getByRole('button', { name: '作出处理决定' }).click();
  await dlg.waitFor();
  const said = await text(dlg);
  check(/取消本次考试资格并五年内限制报考公务员，记入诚信档案库/.test(said) && /AHGWY 单位/.test(said), 'the confirmation: ' + said);
  await shot(page, 'cases-7-confirm.png');
  await page.click('#dlg-ok');
  await page.locator('#case-h', { hasText: '已作出决定' }).waitFor();
  const number = await text(page.locator('#decision-number'));
  check(/决/.test(number), 'the decision number: ' + number);
  const eff = await text(page.locator('#decision .effects'));
  check(/取消本次考试资格/.test(eff) && /记入诚信档案库/.test(eff), 'the effects: ' + eff);
  await savePdf(page, () => page.locator('#letter-link').click(), 'letter-staff.pdf');
  // VH 13: the employer of a public official told, recorded through the folded form
  const cqf = next(page).locator('details.consequence-fold');
  await cqf.locator('summary', { hasText: '其他后续处理（通知所在单位、移送等）' }).click();
  const cq = cqf.locator('form.consequence-form');
  const kinds = await cq.locator('select[name=kind] option').evaluateAll((os) => os.map((o) => o.value));
  check(kinds.join() === 'employer_notified,recruitment_cancelled,referred_judicial,referred_authority', 'the consequences offered once decided: ' + kinds);
  await cq.getByLabel('处理类别').selectOption('employer_notified');
  await cq.getByRole('button', { name: '登记', exact: true }).click();
  check(/请填写对方单位的名称/.test(await text(cq.locator('div.field:has([name=to]) .err'))), 'no body named was not refused');
  await cq.getByLabel('所在单位', { exact: true }).fill('合肥市某局');
  await cq.getByLabel('日期（不能晚于今天）').fill('2026-12-05');
  await cq.getByRole('button', { name: '登记', exact: true }).click();
  await cq.locator('div.field:has([name=on]) .err', { hasText: '不能晚于今天' }).waitFor();
  await cq.getByLabel('日期（不能晚于今天）').fill('2026-12-02');
  await cq.getByLabel('备注（选填，如函号、移送材料）').fill('函告违规违纪事实及处理结果');
  await cq.getByRole('button', { name: '登记', exact: true }).click();
  await page.locator('#flash', { hasText: '已登记，记入时间线' }).waitFor();
  const tl = await text(page.locator('#timeline'));
  check(/已函告所在单位：合肥市某局 · auth · 日期 2026-12-02 · 函告违规违纪事实及处理结果/.test(tl), 'the consequence on the timeline: ' + tl);
  // service: the appeal deadlines from receipt, provisional (no 2027 calendar loaded)
  const sv = next(page).locator('form.serve-form');
  await sv.getByLabel('送达方式').selectOption('direct');
  await sv.getByLabel('收到日期').fill('2026-12-02');
  await sv.getByRole('button', { name: '登记送达' }).click();
  await page.locator('#case-h', { hasText: '决定书已送达' }).waitFor();
  const dls = await text(page.locator('#deadlines'));
  check(/申请行政复议截止 2027-01-31 暂定/.test(dls) && /提起行政诉讼截止 2027-06-02 暂定/.test(dls) && /节假日安排尚未载入/.test(dls), 'the appeal deadlines: ' + dls);
  await shot(page, 'cases-8-served.png');
  await english(page, 'Violation cases');
  await page.locator('#case-h', { hasText: 'Letter served' }).waitFor();
  check(/Administrative review until 2027-01-31 provisional/.test(await text(page.locator('#deadlines'))), 'English deadlines');
  check(/Employer told: 合肥市某局 · auth · on 2026-12-02/.test(await text(page.locator('#timeline'))), 'English consequence: ' + await text(page.locator('#timeline')));
  await shot(page, 'cases-8-served-en.png');
  await chinese(page, '违纪违规案件');
  // the archive: the ban, with its case; the ledger's pending change
  await page.locator('#decision .effects').getByRole('link', { name: '查看档案' }).click();
  await page.getByRole('heading', { name: '诚信档案库查询', level: 1 }).waitFor();
  await page.locator('#res-sum').waitFor();
  const row = await text(page.locator('table.archive-list tbody tr'));
  check(/王明/.test(row) && /限制报考/.test(row) && /2026-12-02 至 2031-12-01/.test(row) && /在档（2026-12-02）/.test(row) && row.includes(number) && /案件 #/.test(row),
    'the archive row: ' + row);
  check(!row.includes(env.KW_CAND), 'the archive shows the whole identity number');
  const sh = await text(page.locator('#shares'));
  check(/待共享 1 项，其中已逾期 0 项/.test(sh) && /记入档案库/.test(sh), 'the sharing ledger: ' + sh);
  await shot(page, 'cases-9-archive.png');
  await page.locator('table.archive-list').getByRole('link', { name: /案件 #/ }).click();
  await page.locator('#case-h').waitFor();
  await ctx.close();
  // the archive on a phone
  const ph = await staff('auth', phone, '/archive.html?id_number=' + env.KW_CAND);
  await ph.page.locator('#res-sum').waitFor();
  await noSideScroll(ph.page, 'the archive');
  await shot(ph.page, 'cases-9-archive-phone.png');
  await ph.ctx.close();
  // someone without the role: the server's refusal, not a broken page
  const pr = await staff('proc1', desktop, '/archive.html?id_number=' + env.KW_CAND);
  const no = pr.page.locator('#shares [role=alert]');
  await no.waitFor();
  check(/您没有执行此操作的权限/.test(await text(no)), 'the ledger refusal: ' + await text(no));
  const no2 = pr.page.locator('#results [role=alert]');
  await no2.waitFor();
  check(/您没有执行此操作的权限/.test(await text(no2)), 'the look-up refusal: ' + await text(no2));
  await shot(pr.page, 'cases-10-archive-refused.png');
  await pr.ctx.close();
} else if (phase === 'after') {
  // ---- the candidate: the decision, the letter, the right to review or sue ----
  const { ctx, page, part } = await candidate(phone);
  const c = part.locator('article.my-case');
  const words = await text(c);
  check(/处理决定书已送达/.test(words) && /处理决定：取消本次考试资格并五年内限制报考公务员/.test(words), 'the decision in the portal: ' + words);
  check(/60 日内（2027-01-31 前）依法申请行政复议/.test(words) && /6 个月内（2027-06-02 前）依法向人民法院提起行政诉讼/.test(words), 'the right to review or sue: ' + words);
  check(/暂定/.test(words), 'the deadlines are not marked provisional');
  await savePdf(page, () => c.getByRole('button', { name: '下载处理决定书（PDF）' }).tap(), 'letter.pdf');
  check(/已取消/.test(await text(page.locator('ul.list').first())), 'the registration is not shown cancelled');
  await noSideScroll(page, 'the decision');
  await shot(page, 'cases-11-portal-decision.png');
  await page.getByRole('button', { name: 'English' }).click();
  const en = page.locator('#my-cases');
  await en.getByRole('heading', { name: 'Notices and decisions on violations' }).waitFor();
  check(/within 60 days of receiving the letter \(by 2027-01-31\)/.test(await text(en)), 'English rights: ' + await text(en));
  await noSideScroll(page, 'the decision, en');
  await shot(page, 'cases-11-portal-decision-en.png');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '我的报名' }).waitFor();
  // REG-5: another civil-service exam refused, in the server's words
  await page.getByRole('button', { name: '正在报名的考试' }).tap();
  await page.locator('ul.list li', { hasText: env.KW_EXAM2_NAME }).getByRole('button', { name: '选择此考试' }).tap();
  await page.locator('ul.list li', { hasText: env.KW_POS2 }).getByRole('button', { name: '报考此职位' }).tap();
  await page.locator('input[name=pledge_accepted]').check();
  await page.getByRole('button', { name: '提交报名' }).tap();
  const refused = page.locator('#flash .alert');
  await refused.waitFor();
  check(/您处于公务员录用考试的禁考期内，不能报考本次考试/.test(await text(refused)), 'the registration was not refused with REG_BANNED: ' + await text(refused));
  await noSideScroll(page, 'the refusal');
  await shot(page, 'cases-12-register-refused.png');
  await ctx.close();
} else if (phase === 'revoke') {
  // ---- INF-5(5), INF-4: a revocation with new evidence, approved by a second person ----
  const ag = await casePage('agency', desktop);
  const fold = next(ag.page).locator('details.change-fold');
  await fold.locator('summary').click();
  const cf = fold.locator('form.change-form');
  await cf.getByRole('button', { name: '提交撤销申请' }).click();
  check(/请写明依据和理由/.test(await text(cf.locator('div.field:has([name=grounds]) .err'))), 'a revocation without grounds was not refused');
  await cf.getByLabel('撤销的依据和理由').fill('行政复议决定撤销原处理决定');
  // no papers: the server's words (INF-5(5): new evidence or legal grounds on file)
  await cf.getByRole('button', { name: '提交撤销申请' }).click();
  await refusal(cf, /须有新的确凿证据或法定依据/, 'a revocation without papers');
  await cf.getByLabel('依据材料（可以选多份）').setInputFiles(join(env.KW_FILES, '行政复议决定书.pdf'));
  await cf.getByLabel('材料名称（如“行政复议决定书”）').fill('行政复议决定书');
  await cf.getByRole('button', { name: '提交撤销申请' }).click();
  await ag.page.locator('#flash', { hasText: '撤销申请已提交' }).waitFor();
  const mine = await text(next(ag.page).locator('.pending-change'));
  check(/须由另一位工作人员审批/.test(mine) && /行政复议决定撤销原处理决定/.test(mine) && /行政复议决定书/.test(mine), 'the maker\'s view: ' + mine);
  check((await next(ag.page).getByRole('button', { name: '批准撤销' }).count()) === 0, 'the maker is offered the approval');
  await shot(ag.page, 'cases-13-revoke-asked.png');
  await ag.ctx.close();
  const au = await casePage('auth', desktop);
  await next(au.page).getByRole('button', { name: '批准撤销' }).click();
  const dlg = au.page.locator('dialog.confirm');
  await dlg.waitFor();
  check(/恢复考生的报名，诚信档案库中的记录即时撤销/.test(await text(dlg)), 'the approval does not name the consequence: ' + await text(dlg));
  await au.page.click('#dlg-ok');
  await au.page.locator('#case-h', { hasText: '决定已撤销' }).waitFor();
  check((await au.page.locator('#decision .effects li.reversed').count()) === 2, 'the effects are not shown undone');
  check(/批准撤销，决定已撤销 · auth/.test(await text(au.page.locator('#timeline'))), 'the timeline: ' + await text(au.page.locator('#timeline')));
  await shot(au.page, 'cases-14-revoked.png');
  await au.page.goto(base + '/archive.html?id_number=' + env.KW_CAND);
  await au.page.locator('#res-sum').waitFor();
  check(/已撤销/.test(await text(au.page.locator('table.archive-list tbody tr'))), 'the archive entry is not shown revoked');
  check(/决定撤销，移出/.test(await text(au.page.locator('#shares'))), 'the ledger lacks the revocation');
  await au.ctx.close();
} else {
  fail('the phase must be record, defend, decide, after or revoke, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
