// The candidate's registration wizard and the reviewer's queue in a real Chromium (issue 6):
// the public notice with its pledge and figures without logging in (AH 10); a candidate on a 360-px phone signs up (a wrong check digit refused beside the field
// first), fills the profile, chooses the exam, is told why a position is out of reach
// (every unmet condition), pledges, submits, sees 待审核; a reviewer approves one
// registration and rejects another with a reason; the first candidate pays (the test
// provider calls back) and sees 审核通过 and 已缴费; the second sees the reason.
// The photo (REG-4): the first candidate's landscape photo is refused with the server's
// message, a portrait one is shown, and the reviewer sees its thumbnail; the second, without
// a photo, is told on the pledge step that this exam requires one, submits anyway and gets
// the server's PHOTO_REQUIRED message with the way to the photo, uploads one, comes back and
// registers by proof materials (REG-2), uploading one, which the reviewer sees listed.
// REG-6: the exam's verification tasks (待核查任务) on the queue page, open and decided, each
// leading to its registration's verification panel.
// Usage: node register.mjs BASE_URL SCREENSHOT_DIR   (KW_REVIEWER, KW_REVIEWER_PASSWORD,
// KW_EXAM_ID, KW_POS_OK, KW_POS_MASTER: position codes set up by t0021-register.sh;
// KW_PHOTO, KW_PHOTO_LANDSCAPE: a portrait JPEG and a landscape one)
import { chromium, request } from 'playwright-core';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };

// A resident ID number with its GB 11643 check character.
function idcard(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return first17 + '10X98765432'[s % 11];
}
const good1 = idcard('34010419980512123');
const good2 = idcard('34010419970303456');
const wrong = good1.slice(0, 17) + (good1[17] === '0' ? '1' : '0');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  // Refused requests the test provokes show as console errors of failed loads: only those.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
// An <img> that has loaded a real picture.
async function loaded(page, img, what) {
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle(), { timeout: 10000 })
    .catch(() => fail(what + ': the image did not load'));
}
const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };

async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 360, `${what}: the page is ${w} px wide on a 360-px phone`);
}

// ---- a candidate signs up and registers ----
async function candidate(number, name, education, positionCode, accept, photo) {
  const ctx = await browser.newContext(phone);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/register.html');
  const signup = page.locator('form[aria-labelledby=signup-h]');
  await signup.locator('[name=id_number]').fill(number);
  await signup.locator('[name=name]').fill(name);
  await signup.locator('[name=phone]').fill('13800138000');
  await signup.locator('[name=password]').fill('cand-pass-123');
  await signup.locator('button[type=submit]').click();
  return { ctx, page, signup, education, positionCode, accept, photo };
}

// ---- the public notice (AH 10), no login ----
{
  const ctx = await browser.newContext(phone);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/notice.html');
  await page.getByRole('link', { name: '安徽省考试录用公务员' }).click();
  await page.getByText('考试诚信承诺书').first().waitFor();
  await page.locator('#figures table tbody tr').first().waitFor();
  check((await page.locator('#figures table tbody tr').count()) === 2, 'the figures do not list both positions');
  await noSideScroll(page, 'notice');
  await page.screenshot({ path: join(shots, 'notice.png'), fullPage: true });
  await ctx.close();
}

const c1 = await candidate(wrong, '张𠀀明', 'bachelor', process.env.KW_POS_OK, true, true);
// REG-4: the wrong check digit is explained beside the number, nothing is created.
const err1 = c1.signup.locator('[name=id_number] ~ .err');
await err1.waitFor({ state: 'visible' });
check(/校验位/.test(await err1.textContent()), 'no check-digit message: ' + await err1.textContent());
await c1.page.screenshot({ path: join(shots, 'register-1-signup-error.png'), fullPage: true });
await c1.signup.locator('[name=id_number]').fill(good1);
await c1.signup.locator('button[type=submit]').click();

async function walk(c) {
  const { page } = c;
  // The profile.
  await page.waitForSelector('select[name=political_status]');
  await noSideScroll(page, 'profile');
  const photo = page.locator('.card', { has: page.locator('#photo-h') });
  await photo.locator('.photo-none').waitFor();
  if (c.photo) {
    // A landscape picture: refused with the server's own words, nothing shown.
    const file = photo.locator('input[type=file]');
    await file.setInputFiles(process.env.KW_PHOTO_LANDSCAPE);
    await photo.getByRole('button', { name: '上传照片', exact: true }).click();
    const refused = photo.locator('[aria-live] .alert');
    await refused.waitFor();
    check((await refused.textContent()).includes('照片须为竖版证件照（宽高比约 3:4，与一寸照相同）。'), 'no IMAGE_ASPECT message: ' + await refused.textContent());
    check((await photo.locator('.photo img').count()) === 0, 'a refused photo is shown');
    // A portrait: stored, shown.
    await file.setInputFiles(process.env.KW_PHOTO);
    await photo.getByRole('button', { name: '上传照片', exact: true }).click();
    await photo.locator('[aria-live] .alert.ok').waitFor();
    const img = photo.locator('.photo img');
    await loaded(page, img, 'the uploaded photo');
    check(/报名照片/.test(await img.getAttribute('alt')), 'the photo has no alt text');
    await noSideScroll(page, 'profile with a photo');
  }
  await page.selectOption('select[name="education[0].level"]', c.education);
  await page.selectOption('select[name="education[0].degree"]', c.education === 'master' ? 'master' : 'bachelor');
  await page.fill('input[name="education[0].major_code"]', '020201K');
  await page.fill('input[name="education[0].school"]', '安徽大学');
  await page.selectOption('select[name=political_status]', 'cyl_member');
  if (c.photo) await page.screenshot({ path: join(shots, 'register-1-profile-photo.png'), fullPage: true });
  await page.click('button[type=submit]');
  // The exam.
  await page.getByRole('button', { name: '选择此考试' }).first().click();
  await page.waitForSelector('form[role=search]');
  await noSideScroll(page, 'exam notice');
  await page.screenshot({ path: join(shots, 'register-2-exam.png'), fullPage: true });
}
await walk(c1);
// A position asking for a master's degree: every unmet condition is explained.
async function pick(c, code) {
  const li = c.page.locator('ul.list li', { hasText: code });
  await li.getByRole('button').click();
  await c.page.waitForSelector('.pledge');
}
await pick(c1, process.env.KW_POS_MASTER);
await c1.page.check('input[name=pledge_accepted]');
await c1.page.click('button[type=submit]');
const alert = c1.page.locator('#flash .alert');
await alert.waitFor();
const unmet = await alert.locator('li').allTextContents();
check(unmet.length >= 2 && unmet.some((x) => /学历/.test(x)) && unmet.some((x) => /学位/.test(x)), 'unmet conditions: ' + JSON.stringify(unmet));
check((await c1.page.locator('.notice:visible').count()) === 0, 'the photo warning is shown to a candidate with a photo');
await c1.page.screenshot({ path: join(shots, 'register-3-unmet.png'), fullPage: true });
// Back to the exam, the position that fits, the pledge, submit.
await c1.page.getByRole('button', { name: '上一步' }).click();
await c1.page.waitForSelector('form[role=search]');
await pick(c1, process.env.KW_POS_OK);
await c1.page.click('button[type=submit]');
await c1.page.locator('#flash .alert').waitFor();
const perr = c1.page.locator('div.field', { has: c1.page.locator('input[name=pledge_accepted]') }).locator('.err');
check((await perr.textContent()).length > 0, 'submitting without accepting the pledge was not refused beside the box');
await c1.page.check('input[name=pledge_accepted]');
await c1.page.click('button[type=submit]');
await c1.page.locator('.badge.submitted').waitFor();
await noSideScroll(c1.page, 'status');
await c1.page.screenshot({ path: join(shots, 'register-4-submitted.png'), fullPage: true });

// A second candidate, who will be rejected: no photo, proof materials instead of the pledge.
const c2 = await candidate(good2, '李四', 'bachelor', process.env.KW_POS_OK, true, false);
await walk(c2);
check(/本考试要求报名时已上传本人照片/.test(await c2.page.locator('.photo-needed').textContent()), 'the exam does not say it requires a photo');
await pick(c2, process.env.KW_POS_OK);
// REG-4: told before submitting that this exam requires the photo; refused with the server's words.
await c2.page.locator('.notice.must', { hasText: '本考试要求先上传本人照片才能提交报名' }).waitFor();
await c2.page.check('input[name=route][value=proof]');
await c2.page.click('button[type=submit]');
const refusal = c2.page.locator('#flash .alert', { hasText: '本考试要求报名时已上传本人照片' });
await refusal.waitFor();
await noSideScroll(c2.page, 'photo required');
await c2.page.screenshot({ path: join(shots, 'register-4-photo-required.png'), fullPage: true });
await refusal.getByRole('button', { name: '去上传照片' }).click();
const c2photo = c2.page.locator('.card', { has: c2.page.locator('#photo-h') });
await c2photo.locator('input[type=file]').setInputFiles(process.env.KW_PHOTO);
await c2photo.getByRole('button', { name: '上传照片', exact: true }).click();
await c2photo.getByRole('button', { name: '返回继续报名' }).click();
await c2.page.waitForSelector('.pledge');
check((await c2.page.locator('.notice:visible').count()) === 0, 'the photo notice stays after the upload');
await c2.page.check('input[name=route][value=proof]');
await c2.page.click('button[type=submit]');
await c2.page.locator('.badge.submitted').waitFor();
const proofs = c2.page.locator('section.proofs');
await proofs.getByText('还没有上传证明材料').waitFor();
await proofs.getByRole('button', { name: '上传材料' }).click();
check(/材料名称/.test(await proofs.locator('div.field', { has: c2.page.locator('input[name=label]') }).locator('.err').textContent()), 'a proof without a label was not refused beside the field');
await proofs.locator('input[name=label]').fill('学历证书');
await proofs.locator('input[type=file]').setInputFiles(process.env.KW_PHOTO_LANDSCAPE);
await proofs.getByRole('button', { name: '上传材料' }).click();
await proofs.locator('[aria-live] .alert.ok').waitFor();
check((await proofs.locator('ul.files li').count()) === 1 && /学历证书/.test(await proofs.locator('ul.files').textContent()), 'the proof is not listed');
const [dl] = await Promise.all([c2.page.waitForEvent('download'), proofs.getByRole('link', { name: /学历证书/ }).click()]);
check(dl.suggestedFilename() === '学历证书.jpg', 'downloaded as ' + dl.suggestedFilename());
await noSideScroll(c2.page, 'proof materials');
await c2.page.screenshot({ path: join(shots, 'register-4-proof.png'), fullPage: true });

// ---- the reviewer ----
const rctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const rp = await rctx.newPage();
watch(rp);
await rp.goto(base + '/queue.html');
await rp.fill('#u', process.env.KW_REVIEWER);
await rp.fill('#p', process.env.KW_REVIEWER_PASSWORD);
await rp.click('button[type=submit]');
await rp.waitForSelector('#exam');
await rp.selectOption('#exam', process.env.KW_EXAM_ID);
await rp.click('form.row button[type=submit]');
await rp.waitForSelector('table tbody tr');
check(/待审核 2/.test((await rp.locator('.counts').textContent()).replace(/\s+/g, ' ')), 'counts: ' + await rp.locator('.counts').textContent());
const row1 = rp.locator('tbody tr', { hasText: '张𠀀明' });
await loaded(rp, row1.locator('.thumb img'), "the first candidate's photo in the queue");
await loaded(rp, rp.locator('tbody tr', { hasText: '李四' }).locator('.thumb img'), "the second candidate's photo in the queue");
await rp.locator('tbody tr', { hasText: '李四' }).getByRole('link', { name: '学历证书' }).waitFor();
await rp.screenshot({ path: join(shots, 'queue-1.png'), fullPage: true });
await row1.getByRole('button', { name: '通过', exact: true }).click();
await rp.locator('#flash .alert.ok').waitFor();
const row2 = rp.locator('tbody tr', { hasText: '李四' });
await row2.getByRole('button', { name: '不通过', exact: true }).click();
await row2.getByRole('button', { name: '确认不通过' }).click();
check(/理由/.test(await rp.locator('#flash').textContent()), 'a rejection without a reason was not stopped');
await row2.locator('textarea').fill('学历证书与所填信息不一致。');
await row2.getByRole('button', { name: '确认不通过' }).click();
await rp.waitForFunction(() => /没有待处理/.test(document.body.textContent));
await rp.screenshot({ path: join(shots, 'queue-2-done.png'), fullPage: true });
// REG-6: the approved registration's verification — an on-site record with the originals
// returned, a targeted check opened and decided.
await rp.selectOption('#status', 'approved');
await rp.click('form.row button[type=submit]');
const ok1 = rp.locator('tbody tr', { hasText: '张𠀀明' });
await ok1.locator('details.verify-box summary').click();
await ok1.getByText('没有核查记录').waitFor();
await ok1.getByLabel('原件已当场退还').check();
await ok1.getByRole('button', { name: '记录现场审核' }).click();
await ok1.getByText('现场审核 · 已结论 · 属实').waitFor();
await ok1.getByLabel('核查理由').fill('学历信息需经学信网复核');
await ok1.getByRole('button', { name: '发起定向核查' }).click();
await ok1.getByText('定向核查 · 待核查').waitFor();
await ok1.getByRole('button', { name: '作出结论' }).click();
await rp.locator('#flash .alert', { hasText: '核查情况' }).waitFor();
await ok1.getByLabel('核查情况（考生可见）').fill('经学信网核验，学历属实。');
await ok1.getByRole('button', { name: '作出结论' }).click();
await ok1.getByText('定向核查 · 已结论 · 属实').waitFor();
// A reviewer of a recruiting agency draws no exam-wide sample: the server's refusal is shown.
await rp.getByRole('button', { name: '随机抽取核查样本' }).click();
// (The decision's confirmation is in #flash already: wait for the refusal to replace it.)
await rp.locator('#flash .alert:not(.ok)', { hasText: '权限' }).waitFor();
check(!(await rp.locator('#exam-tools-out').textContent()), 'a refused sample reported a draw');
await rp.screenshot({ path: join(shots, 'queue-3-verify.png'), fullPage: true });
// REG-6: the exam's tasks in one list — a second targeted check opened, seen there with who
// opened it and its due date; the decided one under 已结论; a task leads to its registration.
await ok1.getByLabel('核查理由').fill('工作经历需向原单位核实');
await ok1.getByRole('button', { name: '发起定向核查' }).click();
await ok1.getByText('定向核查 · 待核查').waitFor();
const tasks = rp.locator('#tasks');
await tasks.getByRole('button', { name: '筛选' }).click();
const task = tasks.locator('tbody tr', { hasText: '工作经历需向原单位核实' });
await task.waitFor();
check((await tasks.locator('tbody tr').count()) === 1, 'open tasks: ' + await tasks.locator('tbody').textContent());
const cells = (await task.textContent()).replace(/\s+/g, ' ');
check(/张𠀀明/.test(cells) && /100011/.test(cells) && /定向核查/.test(cells) && /审查员/.test(cells) && /2027-03-01/.test(cells) && /\*/.test(cells), 'the task row: ' + cells);
check(/待核查 1 项，已结论 2 项/.test(await tasks.locator('.task-counts').textContent()), 'task counts: ' + await tasks.locator('.task-counts').textContent());
await tasks.locator('#task-status').selectOption('closed');
await tasks.getByRole('button', { name: '筛选' }).click();
await tasks.locator('tbody tr', { hasText: '学历信息需经学信网复核' }).waitFor();
await tasks.locator('#task-status').selectOption('open');
await tasks.getByRole('button', { name: '筛选' }).click();
await task.waitFor();
await rp.screenshot({ path: join(shots, 'queue-4-tasks.png'), fullPage: true });
await task.getByRole('button', { name: '查看报名' }).click();
const hit = rp.locator('tr.hit');
await hit.locator('details.verify-box[open]').waitFor();
await hit.getByText('定向核查 · 待核查').waitFor();
check(/张𠀀明/.test(await hit.textContent()), 'the task did not lead to its registration');

// ---- the candidates see the outcome; the first pays ----
await c1.page.reload();
await c1.page.locator('.badge.approved').waitFor();
await c1.page.getByRole('button', { name: '缴费' }).click();
await c1.page.locator('#flash .alert.ok').waitFor();
check(/已缴费/.test(await c1.page.locator('ul.list').textContent()), 'not paid after paying');
await c1.page.screenshot({ path: join(shots, 'register-5-paid.png'), fullPage: true });
await c2.page.reload();
await c2.page.locator('.badge.rejected').waitFor();
check(/学历证书与所填信息不一致/.test(await c2.page.locator('ul.list').textContent()), 'the rejection reason is not shown');
await noSideScroll(c2.page, 'rejected status');

// English.
await c2.page.getByRole('button', { name: 'English' }).click();
await c2.page.getByRole('heading', { name: 'My registrations' }).waitFor();
await c2.page.getByRole('heading', { name: 'Proof materials' }).waitFor();

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
