// TKT-3 (AH 19): corrections of the admission ticket in a real Chromium — the candidate's
// part of web/register.html's status view and the agency's web/corrections.html. Run three
// times by tests/e2e/t0034-corrections-web.sh, which checks the database between the runs:
//   apply   — candidate 4, who has no seat, is told so in place of the form (the server's askable);
//             candidate 1 opens 准考证信息有误？申请更正, is stopped by the form (nothing to
//             correct, no proof, no statement), then by the server (the name is what the
//             record says: the message beside the name field), corrects it and sends the new
//             name, the new photo and a proof PDF; the request shows 待处理 and the form gives
//             way to a note (one request at a time); the same on a 390-px phone, in English
//             too. Counter staff of the exam area enter the unit's request for candidate 2
//             and find they may not decide it (the buttons are off, the note says why).
//   decide  — agency staff see the queue: three pending, oldest first, what the ticket says
//             beside what it should say, the current photo beside the new one, the proof;
//             a refusal without reasons is blocked by the form; candidate 2's is refused with
//             reasons (after a confirmation naming the consequence); candidate 3's, decided
//             meanwhile by another member of staff, is refused by the server in its words;
//             candidate 1's is approved with a note; the filter shows the decided ones; in
//             English, and on a 390-px phone.
//   outcome — candidate 1 sees the approval (and that the old ticket is void); candidate 2,
//             on a phone, the refusal with its reasons, in Chinese and in English.
// Usage: node corrections.mjs apply|decide|outcome BASE_URL SCREENSHOT_DIR
// (KW_CAND1, KW_CAND2, KW_CAND4 — paid after publication, no seat —, KW_CAND_PASSWORD, KW_EXAM_ID, KW_EXAM_NAME, KW_REG2, KW_FILES; for
// decide also KW_AG2 — agency2's token —, KW_C1, KW_C2, KW_C3)
import { chromium } from 'playwright-core';
import { join } from 'node:path';

const [phase, base, shots] = process.argv.slice(2);
const env = process.env;
const files = env.KW_FILES;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const text = async (loc) => ((await loc.textContent()) || '').replace(/\s+/g, ' ').trim();

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  // The refusals the walk provokes (400, 401 before login, 404 for a photo not there, 409)
  // show as failed loads: only those are expected.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what}: the page is ${w} px wide on a 390-px phone`);
}
async function shot(page, name) {
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

// ---- the candidate: log in on register.html, land on 我的报名; → { ctx, page, part } ----
async function candidate(idNumber, device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/register.html');
  const form = page.locator('form[aria-labelledby=login-h]');
  await form.locator('[name=id_number]').fill(idNumber);
  await form.locator('[name=password]').fill(env.KW_CAND_PASSWORD);
  await form.locator('button[type=submit]').click();
  await page.getByRole('heading', { name: '我的报名' }).waitFor();
  const part = page.locator('ul.list > li', { hasText: env.KW_EXAM_NAME }).locator('section.correction');
  await part.getByRole('heading', { name: '准考证信息更正' }).waitFor();
  return { ctx, page, part };
}
// ---- staff: log in on corrections.html, the exam chosen ----
async function staffPage(user, device) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/corrections.html');
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#exam');
  await page.selectOption('#exam', env.KW_EXAM_ID);
  await page.getByRole('button', { name: '查看', exact: true }).click();
  await page.locator('#queue-sum').waitFor();
  return { ctx, page };
}
// The error beside the field named `name` (not the group's around it).
const errOf = (scope, name) => scope.locator(`div.field:has(> [name="${name}"]) > .err`);
const article = (page, id) => page.locator('article.corr', { has: page.locator(`h3[id="c-${id}-h"]`) });
async function showStatus(page, status, label) {
  await page.selectOption('#status', status);
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForFunction((s) => new URLSearchParams(location.search).get('status') === s || (s === 'pending' && !location.search.includes('status=')), status);
  await page.locator('#queue[aria-busy]').waitFor({ state: 'detached' });
}

if (phase === 'apply') {
  // ---- candidate 1, on a desktop: the form's refusals, the server's, then the request ----
  const c1 = await candidate(env.KW_CAND1, desktop);
  const { page, part } = c1;
  await part.getByText('准考证信息有误？申请更正').click();
  const form = part.locator('form.corr-form');
  await form.waitFor();
  check(/2027-06-01/.test(await text(form)), 'the form does not say by when: ' + await text(form));
  check(/准考证上现在是：王小明/.test(await text(form)), 'the form does not show the name on the ticket');
  const send = form.getByRole('button', { name: '提交更正申请' });
  await send.click();
  const changes = form.locator('fieldset[name=changes]');
  check(/请至少填写一项要更正的内容/.test(await text(changes.locator('> .err'))), 'nothing to correct was not refused');
  check(/请选择证明材料文件/.test(await text(errOf(form, 'proof_files'))), 'no proof was not refused');
  check(/请填写情况说明/.test(await text(errOf(form, 'statement'))), 'no statement was not refused');
  check(await page.evaluate(() => document.activeElement && document.activeElement.name === 'changes.name'), 'the focus is not on the first field to fill');
  await shot(page, 'corr-1-form-refused.png');
  // the name as it is: the server says so beside the field
  await form.getByLabel('正确的姓名').fill('王小明');
  await form.getByLabel('新照片').setInputFiles(join(files, 'new-photo.jpg'));
  await form.getByLabel('证明材料（可以一次选多份）').setInputFiles(join(files, '户口簿.pdf'));
  await form.getByLabel('情况说明（哪里有误，正确的应是什么）').fill('姓名错一字，应为“晓”；照片是旧照片。');
  await send.click();
  const nameErr = errOf(form, 'changes.name');
  await nameErr.filter({ hasText: /\S/ }).waitFor();
  check(/与现在的信息相同/.test(await text(nameErr)), 'the server\'s "unchanged" is not beside the name: ' + await text(nameErr));
  check((await form.getByLabel('正确的姓名').getAttribute('aria-invalid')) === 'true', 'the name field is not marked');
  check(/提交的数据有误/.test(await text(form.locator('.alert'))), 'the server\'s message is not shown');
  await shot(page, 'corr-2-server-refused.png');
  // corrected and resent (the files already uploaded are not sent again: the shell counts)
  await form.getByLabel('正确的姓名').fill('王晓明');
  await send.click();
  const ok = part.locator('.alert.ok');
  await ok.waitFor();
  check(/更正申请已提交/.test(await text(ok)), 'not told the request is sent: ' + await text(ok));
  const req = part.locator('ul.corrections > li');
  check((await req.count()) === 1, 'the request is not listed once');
  const words = await text(req);
  check(/待处理/.test(words) && /王小明 → 更正为 王晓明/.test(words), 'the request does not show pending and the change: ' + words);
  check(/姓名错一字/.test(words) && /户口簿/.test(words), 'the statement or the proof is not listed: ' + words);
  await req.locator('img.corr-photo').waitFor();
  check(await req.locator('img.corr-photo').evaluate((i) => i.complete && i.naturalWidth > 0), 'the new photo is not shown');
  check((await part.locator('form.corr-form').count()) === 0, 'the form is still offered while a request waits');
  check(/正在等待考区考试机构处理/.test(await text(part.locator('.corr-wait'))), 'no note that a request waits');
  await shot(page, 'corr-3-pending.png');
  await c1.ctx.close();

  // ---- the same on a 390-px phone, in Chinese and in English ----
  const p1 = await candidate(env.KW_CAND1, phone);
  await p1.part.locator('ul.corrections > li img.corr-photo').waitFor();
  await noSideScroll(p1.page, 'pending, zh-CN');
  await p1.part.scrollIntoViewIfNeeded();
  await shot(p1.page, 'corr-3-phone-pending.png');
  await p1.page.getByRole('button', { name: 'English' }).click();
  const en = p1.page.locator('ul.list > li', { hasText: env.KW_EXAM_NAME }).locator('section.correction');
  await en.getByRole('heading', { name: 'Correcting the ticket' }).waitFor();
  await en.locator('ul.corrections > li img.corr-photo').waitFor();
  const enWords = await text(en);
  check(/Pending/.test(enWords) && /王小明 → corrected to 王晓明/.test(enWords) && /waiting for the exam-area agency/.test(enWords), 'English: ' + enWords);
  await noSideScroll(p1.page, 'pending, en');
  await shot(p1.page, 'corr-3-phone-pending-en.png');
  await p1.page.getByRole('button', { name: '中文' }).click();
  await p1.page.getByRole('heading', { name: '我的报名' }).waitFor();
  await p1.ctx.close();

  // ---- candidate 4 paid after the seats were published: the server's words replace the form ----
  const c4 = await candidate(env.KW_CAND4, phone);
  const closed = c4.part.locator('.corr-closed[role=alert]');
  await closed.waitFor();
  check(/该报名尚无已公布的考场座位/.test(await text(closed)) && !/CORRECTION_/.test(await text(closed)), 'no seat: ' + await text(closed));
  check((await c4.part.locator('form.corr-form').count()) === 0, 'the form stays for a registration without a seat');
  await noSideScroll(c4.page, 'no seat');
  await c4.part.screenshot({ path: join(shots, 'corr-0-phone-no-seat.png') });
  await c4.ctx.close();

  // ---- candidate 2's form, in English on a phone (nothing sent) ----
  const p2 = await candidate(env.KW_CAND2, phone);
  await p2.page.getByRole('button', { name: 'English' }).click();
  const en2 = p2.page.locator('ul.list > li', { hasText: env.KW_EXAM_NAME }).locator('section.correction');
  await en2.getByText('Something wrong on the ticket? Ask for a correction').click();
  const f2 = en2.locator('form.corr-form');
  await f2.getByRole('button', { name: 'Ask for the correction' }).tap();
  check(/Fill in at least one thing to correct/.test(await text(f2.locator('fieldset[name=changes] > .err'))), 'English: nothing to correct');
  check(/2027-06-01/.test(await text(f2)) && /The ticket now says: 李华/.test(await text(f2)), 'English form: ' + await text(f2));
  await noSideScroll(p2.page, 'the form, en');
  const sendBox = await f2.getByRole('button', { name: 'Ask for the correction' }).boundingBox();
  check(sendBox.height >= 44, `the send button is ${sendBox.height} px tall`);
  await shot(p2.page, 'corr-3-phone-form-en.png');
  await p2.page.getByRole('button', { name: '中文' }).click();
  await p2.page.getByRole('heading', { name: '我的报名' }).waitFor();
  await p2.ctx.close();

  // ---- counter staff of the exam area enter the unit's request for candidate 2 ----
  const s = await staffPage('counter', desktop);
  const f = s.page.locator('#enter-form');
  await f.getByLabel('报名号').fill(String(env.KW_REG2));
  await f.getByLabel('报名号').press('Tab');
  check(await f.getByLabel('考生所在单位').isChecked(), 'the unit is not the applicant by default');
  await f.getByRole('button', { name: '录入申请' }).click();
  check(/请填写单位名称/.test(await text(errOf(f, 'applicant_unit'))), 'no unit name was not refused');
  await f.getByLabel('单位名称').fill('合肥市统计局');
  await f.getByLabel('正确的姓名').fill('李桦');
  await f.getByLabel('证明材料（可以一次选多份；PDF、JPEG 或 PNG）').setInputFiles(join(files, '单位证明.pdf'));
  await f.getByLabel('材料名称（选填，如“单位证明”）').fill('单位证明');
  await f.getByLabel('情况说明').fill('单位集体报名时录错姓名，应为“桦”。');
  await f.getByRole('button', { name: '录入申请' }).click();
  const entered = f.locator('.alert.ok');
  await entered.waitFor();
  check(/已录入更正申请 #\d+（报名号 \d+），等待另一位工作人员处理/.test(await text(entered)), 'not told the request is entered: ' + await text(entered));
  const id2 = /#(\d+)/.exec(await text(entered))[1];
  const mine = article(s.page, id2);
  await mine.waitFor();
  check(/单位申请：合肥市统计局/.test(await text(mine)) && /李华/.test(await text(mine)) && /李桦/.test(await text(mine)), 'the entered request: ' + await text(mine));
  check(/由您录入：须由另一位工作人员处理/.test(await text(mine)), 'no note that the one who entered it does not decide it');
  check((await mine.getByRole('button').count()) === 0 && (await mine.locator('textarea').count()) === 0, 'the one who entered it is offered the decision');
  check(/待处理 3 件/.test(await text(s.page.locator('#queue-sum'))), 'the queue count: ' + await text(s.page.locator('#queue-sum')));
  await shot(s.page, 'corr-4-counter-entered.png');
  await s.ctx.close();
} else if (phase === 'decide') {
  const s = await staffPage('agency', desktop);
  const { page } = s;
  const sum = await text(page.locator('#queue-sum'));
  check(/待处理 3 件，最早一件 2026-11-24 10:00 提交/.test(sum), 'the queue summary: ' + sum);
  const order = await page.locator('article.corr h3').evaluateAll((hs) => hs.map((x) => x.id));
  check(JSON.stringify(order) === JSON.stringify([`c-${env.KW_C3}-h`, `c-${env.KW_C1}-h`, `c-${env.KW_C2}-h`]), 'the queue is not oldest first: ' + order);
  // candidate 1's: the name and the photo, before and after; the proof
  const a1 = article(page, env.KW_C1);
  const rows = a1.locator('table.compare tbody tr');
  const cells = (await rows.nth(0).locator('th, td').allInnerTexts()).map((x) => x.trim());
  check(JSON.stringify(cells) === JSON.stringify(['姓名', '王小明', '王晓明']), 'the names side by side: ' + cells);
  const pics = rows.nth(1).locator('img');
  check((await pics.count()) === 2, 'not two photos side by side');
  for (let i = 0; i < 2; i++) {
    await pics.nth(i).evaluate((img) => (img.complete ? null : new Promise((r) => { img.onload = r; img.onerror = r; })));
    check(await pics.nth(i).evaluate((img) => img.naturalWidth > 0), `photo ${i + 1} did not load`);
  }
  check(/现在的照片/.test(await text(rows.nth(1))) && /新照片/.test(await text(rows.nth(1))), 'the photos are not captioned');
  const proof = a1.getByRole('link', { name: '户口簿' });
  const res = await page.request.get(new URL(await proof.getAttribute('href'), base).href);
  check(res.status() === 200 && res.headers()['content-type'] === 'application/pdf', 'the proof link: ' + res.status());
  check(/考生本人申请/.test(await text(a1)), 'the applicant is not named');
  await shot(page, 'corr-5-queue.png');

  // candidate 2's (the unit's): no refusal without reasons; then refused with them
  const a2 = article(page, env.KW_C2);
  await a2.getByRole('button', { name: '不予更正' }).click();
  const noteErr = errOf(a2, 'reason');
  check(/不予更正须写明理由/.test(await text(noteErr)), 'a refusal without reasons was not blocked: ' + await text(noteErr));
  check((await a2.getByLabel('处理意见').getAttribute('aria-invalid')) === 'true', 'the note is not marked');
  check((await page.locator('dialog').count()) === 0, 'a confirmation opened for a refusal without reasons');
  await shot(page, 'corr-6-no-reason.png');
  await a2.getByLabel('处理意见').fill('单位证明未加盖公章，请补正后重新申请');
  await a2.getByRole('button', { name: '不予更正' }).click();
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  check(/申请人将看到您写的理由/.test(await text(dlg)), 'the confirmation does not name the consequence: ' + await text(dlg));
  await page.click('#dlg-ok');
  await page.locator('#flash .alert.ok', { hasText: `已不予更正申请 #${env.KW_C2}` }).waitFor();
  check((await article(page, env.KW_C2).count()) === 0, 'the refused request stays in the queue');

  // candidate 3's, decided by agency2 meanwhile: the server's words
  const r = await page.request.post(base + `/api/v1/ticket_corrections/${env.KW_C3}/approve`, {
    headers: { Authorization: 'Bearer ' + env.KW_AG2, 'Content-Type': 'application/json' }, data: {},
  });
  check(r.status() === 200, 'agency2 could not approve: ' + r.status());
  const a3 = article(page, env.KW_C3);
  await a3.getByRole('button', { name: '同意更正' }).click();
  await dlg.waitFor();
  await page.click('#dlg-ok');
  const said = a3.locator('.decide-msg [role=alert]');
  await said.waitFor();
  check(/该审批已处理，不能再次处理/.test(await text(said)), 'the server\'s refusal is not shown: ' + await text(said));
  await shot(page, 'corr-7-decided-meanwhile.png');

  // candidate 1's approved with a note
  await a1.getByLabel('处理意见').fill('经核对户口簿，同意更正');
  await a1.getByRole('button', { name: '同意更正' }).click();
  await dlg.waitFor();
  check(/姓名、照片/.test(await text(dlg)) && /准考证作废/.test(await text(dlg)), 'the approval does not name what changes: ' + await text(dlg));
  await page.click('#dlg-ok');
  await page.locator('#flash .alert.ok', { hasText: `已同意更正申请 #${env.KW_C1}` }).waitFor();
  check(/没有待处理的更正申请/.test(await text(page.locator('#queue-sum'))), 'the queue is not empty: ' + await text(page.locator('#queue-sum')));

  // the decided ones under the filter
  await showStatus(page, 'refused', '查看');
  const refused = page.locator('article.corr');
  check((await refused.count()) === 1, 'the refused filter does not show one request');
  check(/不予更正/.test(await text(refused)) && /理由：单位证明未加盖公章，请补正后重新申请/.test(await text(refused)), 'the refusal: ' + await text(refused));
  await showStatus(page, 'all', '查看');
  check((await page.locator('article.corr').count()) === 3, 'the "all" filter does not show three');
  check(/处理意见：经核对户口簿，同意更正/.test(await text(article(page, env.KW_C1))), 'the approval note is not shown');
  await shot(page, 'corr-8-all.png');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Ticket corrections', level: 1 }).waitFor();
  await page.locator('#queue-sum').waitFor();
  const en = await text(page.locator('#queue'));
  check(/Refused/.test(en) && /Reasons: 单位证明未加盖公章/.test(en) && /Corrected/.test(en), 'English queue: ' + en);
  await shot(page, 'corr-8-all-en.png');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '准考证信息更正', level: 1 }).waitFor();
  await s.ctx.close();

  // the staff page on a 390-px phone
  const p = await staffPage('agency', phone);
  await showStatus(p.page, 'all', '查看');
  await p.page.locator('article.corr').first().waitFor();
  await noSideScroll(p.page, 'the staff page');
  const box = await p.page.getByRole('button', { name: '查看', exact: true }).boundingBox();
  check(box.height >= 44, `the button is ${box.height} px tall`);
  await shot(p.page, 'corr-9-phone-staff.png');
  await p.page.locator('article.corr').nth(1).screenshot({ path: join(shots, 'corr-9-phone-staff-item.png') });
  await p.page.getByRole('button', { name: 'English' }).click();
  await p.page.getByRole('heading', { name: 'Ticket corrections', level: 1 }).waitFor();
  await p.page.locator('article.corr').first().waitFor();
  await noSideScroll(p.page, 'the staff page, en');
  await p.page.locator('article.corr').nth(0).screenshot({ path: join(shots, 'corr-9-phone-staff-item-en.png') });
  await p.page.getByRole('button', { name: '中文' }).click();
  await p.ctx.close();
} else if (phase === 'outcome') {
  // candidate 1: approved, with the note, and the old ticket void
  const c1 = await candidate(env.KW_CAND1, desktop);
  const li = c1.part.locator('ul.corrections > li');
  await li.waitFor();
  const words = await text(li);
  check(/已同意更正/.test(words) && /处理意见：经核对户口簿，同意更正/.test(words) && /之前下载的准考证作废/.test(words), 'candidate 1: ' + words);
  check((await c1.part.getByText('准考证信息有误？申请更正').count()) === 1, 'the form is not offered again after the decision');
  await shot(c1.page, 'corr-10-approved.png');
  await c1.ctx.close();
  // candidate 2, on a phone: refused, with the reasons, asked by the unit
  const c2 = await candidate(env.KW_CAND2, phone);
  const r2 = c2.part.locator('ul.corrections > li');
  await r2.waitFor();
  const w2 = await text(r2);
  check(/不予更正/.test(w2) && /理由：单位证明未加盖公章，请补正后重新申请/.test(w2) && /单位申请：合肥市统计局/.test(w2), 'candidate 2: ' + w2);
  check(/可以重新申请/.test(w2), 'not told they may ask again');
  await noSideScroll(c2.page, 'refused, zh-CN');
  await r2.scrollIntoViewIfNeeded();
  await shot(c2.page, 'corr-11-phone-refused.png');
  await c2.part.screenshot({ path: join(shots, 'corr-11-phone-refused-part.png') });
  await c2.page.getByRole('button', { name: 'English' }).click();
  const en = c2.page.locator('ul.list > li', { hasText: env.KW_EXAM_NAME }).locator('section.correction ul.corrections > li');
  await en.filter({ hasText: 'Refused' }).waitFor();
  const we = await text(en);
  check(/Reasons: 单位证明未加盖公章，请补正后重新申请/.test(we) && /asked by the unit: 合肥市统计局/.test(we), 'English: ' + we);
  await noSideScroll(c2.page, 'refused, en');
  await shot(c2.page, 'corr-11-phone-refused-en.png');
  await c2.page.getByRole('button', { name: '中文' }).click();
  await c2.page.getByRole('heading', { name: '我的报名' }).waitFor();
  await c2.ctx.close();
} else {
  fail('the phase must be apply, decide or outcome, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
