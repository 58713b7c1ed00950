// The staff scoring page in a real Chromium (issue 10, item 10; SPEC GRD-4, GRD-5, CUS-8,
// INF-5(6), SEC-2) on web/scoring.html?exam=KW_EXAM. Run twice by tests/e2e/t0044-scoring-web.sh,
// which checks the database between the runs and restarts the server after the exam:
//   keys  — (before the exam) agency staff log in on the page; the key form is refused by the
//           page when empty or not JSON; subject 01's master key is read from a .json file and
//           loaded; a key with field problems is refused with each problem next to the JSON box
//           (item and field in words); form B with one answer changed is refused in the
//           server's words with the item it names (CUS-8: KEY_NOT_PERMUTED_MASTER, 第 3 题);
//           the true form B is loaded; the keys listed (母卷, 母卷 A 卷按题序、选项换位, 6 题,
//           the digest shortened), no answer shown.
//   score — (after the exam; candidate 3's subject 01 voided by a decided case) the import form
//           is refused by the page without a file or a witness; a file with four problems is
//           refused with its rows in a table (行号, 栏目, 问题 in words, the note) and the words
//           that nothing was imported; the importer as their own witness is refused beside the
//           witness field (GRD-4); each import asks first, naming the file, the witness and
//           that sheets stay as imported (cancelled once: nothing sent); the good file is
//           imported and the count per subject shown;
//           subject 01 is scored from the keyboard: 1 and 2 已评分 (8.5; 4.5 on form B), 3
//           成绩无效（处理决定） with the link to its case, 4 缺考 with no score (never zero);
//           the scores paged two at a time; scored again: 与第 1 次评分结果一致; run 2 cross-
//           checked and kept on record (GRD-7: listed under the run and in the overview; run 1
//           said not to be the one a publication uses); the case link
//           opens the case; desktop and 390-px phone, zh-CN and en; a proctor sees the
//           server's refusal, not a blank page.
// Screenshots: scoring-N-*.png in SCREENSHOT_DIR.
// Usage: node scoring.mjs keys|score BASE_URL SCREENSHOT_DIR
// (KW_EXAM, KW_FILES — master-01.json, form-b.json, scan-bad.csv, scan-01.csv —; for score
// KW_CASE, KW_TK1 … KW_TK4)
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
const desktop = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
async function noSideScroll(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  check(w <= 390, `${what}: the page is ${w} px wide on a 390-px phone`);
}
const shot = (page, name) => page.screenshot({ path: join(shots, name), fullPage: true });
const page0 = (extra) => '/scoring.html?exam=' + encodeURIComponent(env.KW_EXAM) + (extra || '');

// ---- staff: log in on the scoring page itself ----
async function staff(user, device, extra) {
  const ctx = await browser.newContext(device);
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + page0(extra));
  await page.locator('#username').waitFor();
  await page.fill('#username', user);
  await page.fill('#password', user + '-password-1');
  await page.click('#login button[type=submit]');
  return { ctx, page };
}
async function agency(device, extra) {
  const s = await staff('agency', device, extra);
  await s.page.locator('#subjects-h').waitFor();
  await s.page.locator('#subject-h').waitFor();
  return s;
}
async function english(page) {
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Objective scoring', level: 1 }).waitFor();
  await page.locator('#subject-h', { hasText: 'Subject 01' }).waitFor();
}
async function chinese(page) {
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '客观题评分', level: 1 }).waitFor();
  await page.locator('#subject-h', { hasText: '科目 01' }).waitFor();
}
// The import's confirmation: it names the file, the witness and that sheets stay as imported.
async function confirmImport(page, file, witness) {
  const dlg = page.locator('dialog.confirm');
  await dlg.waitFor();
  const said = await text(dlg);
  check(said.includes(`导入“${file}”，见证人 ${witness}`) && /答卷入库后不能修改或删除/.test(said), 'the import\'s confirmation: ' + said);
  await page.click('#dlg-ok');
}
const flashOk = (page, pattern) => page.locator('#flash .alert.ok', { hasText: pattern }).waitFor();
const fieldErr = async (form, name) => text(form.locator(`div.field:has([name=${name}]) .err`));
// The rows of a table (its cells' text joined by |).
const rows = (page, sel) => page.locator(sel + ' tbody tr').evaluateAll((trs) =>
  trs.map((tr) => [...tr.cells].map((td) => td.innerText.replace(/\s+/g, ' ').trim()).join('|')));

if (phase === 'keys') {
  const { ctx, page } = await agency(desktop);
  const subj = await rows(page, 'table.subjects-list');
  check(subj.length === 2 && /^01 经济基础知识/.test(subj[0]) && /未载入/.test(subj[0]) && /^02 专业知识和实务/.test(subj[1]), 'the subjects: ' + subj.join(' / '));
  check(/科目 01 经济基础知识/.test(await text(page.locator('#subject-h'))), 'subject 01 is not opened first');
  check(/尚未载入答案标准/.test(await text(page.locator('#keys'))), 'no word that no key is loaded');
  const form = page.locator('form.key-form');
  const box = form.getByLabel('答案标准（JSON）');
  check(await box.isVisible(), 'the key form is not open while there is no key');
  // the page's own refusals: nothing, then not JSON
  await form.getByRole('button', { name: '载入答案标准' }).click();
  check(/请粘贴答案标准/.test(await fieldErr(form, 'key')), 'an empty key was not refused');
  await box.fill('{"form":"A",');
  await form.getByRole('button', { name: '载入答案标准' }).click();
  check(/不是有效的 JSON/.test(await fieldErr(form, 'key')), 'a key that is not JSON was not refused');
  check(await box.getAttribute('aria-invalid') === 'true', 'the JSON box is not marked');
  // the master from a file
  await form.getByLabel('从文件读入（.json，选填）').setInputFiles(join(env.KW_FILES, 'master-01.json'));
  await form.locator('p.hint', { hasText: '已读入文件：master-01.json' }).waitFor();
  check(/"master":true/.test(await box.inputValue()), 'the file was not read into the box');
  await form.getByRole('button', { name: '载入答案标准' }).click();
  await flashOk(page, '已载入 A 卷第 1 版答案标准（6 题，母卷）');
  let keys = await rows(page, 'table.keys-list');
  check(keys.length === 1 && /^A 卷\|第 1 版 在用\|母卷\|6 题\|[0-9a-f]{12}…\|2026-11-24 10:\d\d$/.test(keys[0]), 'the master listed: ' + keys.join(' / '));
  // field problems next to the JSON box (KEY_INVALID)
  const master = JSON.parse(readFileSync(join(env.KW_FILES, 'master-01.json'), 'utf8'));
  const bad = structuredClone(master);
  bad.items[0].key = 'Z';
  bad.items[2].partial_points = 'x';
  await page.locator('details.key-fold summary').click();
  const f2 = page.locator('form.key-form');
  await f2.getByLabel('答案标准（JSON）').fill(JSON.stringify(bad, null, 1));
  await f2.getByRole('button', { name: '载入答案标准' }).click();
  const probs = f2.locator('.key-problems');
  await probs.locator('li').first().waitFor();
  const pw = await text(probs);
  check(/第 1 题 答案 items\[1\]\.key：/.test(pw) && /第 3 题 部分得分 items\[3\]\.partial_points：/.test(pw), 'the field problems: ' + pw);
  check(/答案标准有误/.test(await text(f2.locator('.step-msg [role=alert]'))), 'the server\'s words: ' + await text(f2.locator('.step-msg')));
  // CUS-8: form B with its third answer changed
  const formB = JSON.parse(readFileSync(join(env.KW_FILES, 'form-b.json'), 'utf8'));
  const wrong = structuredClone(formB);
  wrong.items[2].key = 'B';
  await f2.getByLabel('答案标准（JSON）').fill(JSON.stringify(wrong));
  await f2.getByRole('button', { name: '载入答案标准' }).click();
  await f2.locator('.step-msg [role=alert]', { hasText: 'KEY_NOT_PERMUTED_MASTER' }).waitFor();
  const no = await text(f2.locator('.step-msg [role=alert]'));
  check(/该卷型的答案标准与母卷按题序、选项顺序换位后的答案不一致，不予采用/.test(no) && /问题：第 3 题（母卷第 2 题）：答案不一致/.test(no), 'the CUS-8 refusal: ' + no);
  check(await f2.locator('.key-problems li').count() === 0, 'the earlier field problems stayed');
  await shot(page, 'scoring-1-key-refused.png');
  // the true form B
  await f2.getByLabel('答案标准（JSON）').fill(JSON.stringify(formB));
  await f2.getByRole('button', { name: '载入答案标准' }).click();
  await flashOk(page, '已载入 B 卷第 1 版答案标准（6 题，按母卷换位）');
  keys = await rows(page, 'table.keys-list');
  check(keys.length === 2 && /^B 卷\|第 1 版 在用\|母卷 A 卷按题序、选项换位\|6 题\|[0-9a-f]{12}…/.test(keys[1]), 'form B listed: ' + keys.join(' / '));
  const all = await text(page.locator('#view'));
  check(!/ACD|BCD|EABCD|partial_points/.test(all), 'the page shows a key\'s content');
  check(/A 卷 第 1 版（母卷）、B 卷 第 1 版/.test((await rows(page, 'table.subjects-list'))[0]), 'the subjects\' keys: ' + (await rows(page, 'table.subjects-list'))[0]);
  await shot(page, 'scoring-2-keys.png');
  await ctx.close();
} else if (phase === 'score') {
  const { ctx, page } = await agency(desktop);
  const ans = page.locator('#answers');
  check(/还没有导入答卷/.test(await text(ans)), 'the answer database is not empty');
  const up = page.locator('form.upload-form');
  await up.getByRole('button', { name: '导入答卷' }).click();
  check(/请选择读卡结果文件/.test(await fieldErr(up, 'file')), 'no file was not refused');
  await up.getByLabel('读卡结果文件（CSV）').setInputFiles(join(env.KW_FILES, 'scan-bad.csv'));
  await up.getByRole('button', { name: '导入答卷' }).click();
  check(/请填写在场见证人的用户名/.test(await fieldErr(up, 'witness')), 'no witness was not refused');
  // GRD-5: every problem by line, nothing imported
  await up.getByLabel('见证人用户名').fill('witness');
  await up.getByRole('button', { name: '导入答卷' }).click();
  await confirmImport(page, 'scan-bad.csv', 'witness');
  const alert = up.locator('.step-msg [role=alert]');
  await alert.locator('table.problems').waitFor();
  const aw = await text(alert);
  check(/文件中有 4 处问题，未导入任何数据/.test(aw) && /未导入任何答卷/.test(aw), 'the refusal does not say nothing was imported: ' + aw);
  const pr = await rows(page, 'table.problems');
  const want = [
    /^3\|准考证号\|准考证号不存在，或不在本考试已发布的考场编排中\|99999999$/,
    new RegExp('^4\\|科目\\|该考生没有报考这个科目\\|01$'),
    /^5\|答案串\|答案串有误\|答案串有 5 个符号，应为 6 个/,
    /^6\|卷型\|这个卷型没有答案标准\|C$/,
  ];
  check(pr.length === 4 && want.every((re, i) => re.test(pr[i])), 'the problem rows: ' + pr.join(' / '));
  check(await up.locator('table.problems th', { hasText: '行号' }).count() === 1, 'no 行号 column');
  await shot(page, 'scoring-3-import-refused.png');
  // GRD-4: not one's own witness — the server's words beside the field
  await up.getByLabel('读卡结果文件（CSV）').setInputFiles(join(env.KW_FILES, 'scan-01.csv'));
  await up.getByLabel('见证人用户名').fill('agency');
  await up.getByRole('button', { name: '导入答卷' }).click();
  await confirmImport(page, 'scan-01.csv', 'agency');
  await up.locator('.step-msg [role=alert]', { hasText: 'ANSWERS_WITNESS' }).waitFor();
  check(/须有另一名工作人员在场/.test(await fieldErr(up, 'witness')), 'the witness refusal is not beside the field');
  check(/还没有导入答卷/.test(await text(page.locator('#imports'))), 'a refused file shows as imported');
  // the good file
  // cancelled at the confirmation: nothing sent
  await up.getByLabel('见证人用户名').fill('witness');
  await up.getByRole('button', { name: '导入答卷' }).click();
  await page.locator('dialog.confirm').waitFor();
  await page.click('#dlg-cancel');
  check(await up.locator('.step-msg').innerText() === '' && /还没有导入答卷/.test(await text(page.locator('#imports'))), 'a cancelled import was sent');
  await up.getByRole('button', { name: '导入答卷' }).click();
  await confirmImport(page, 'scan-01.csv', 'witness');
  await flashOk(page, '已导入 4 份答卷（scan-01.csv）：01 经济基础知识 3 份、02 专业知识和实务 1 份。');
  const imp = await rows(page, 'table.imports-list');
  check(imp.length === 1 && /^scan-01\.csv [0-9a-f]{12}…\|4\|agency\|witness\|2026-12-10 18:/.test(imp[0]), 'the import listed: ' + imp.join(' / '));
  check(/01 经济基础知识 3 份、02 专业知识和实务 1 份/.test(await text(page.locator('#imports .per-subject'))), 'the sheets per subject');
  // a score run, from the keyboard
  await page.locator('#do-run').focus();
  await page.keyboard.press('Enter');
  await flashOk(page, '第 1 次评分完成：应考 4 人，已评分 2 人，缺考 1 人，零分 0 人，成绩无效 1 人。');
  await page.locator('#scores-h', { hasText: '第 1 次评分的成绩' }).waitFor();
  // the heading comes first, the scores when their page is read (slow under load)
  await page.locator('table.scores-list tbody tr').first().waitFor();
  const sc = await rows(page, 'table.scores-list');
  const caseLink = `案件 #${env.KW_CASE}`;
  const expect = [`${env.KW_TK1}|A|已评分|8.5|8.5|`, `${env.KW_TK2}|B|已评分|4.5|4.5|`,
    `${env.KW_TK3}|A|成绩无效（处理决定）|8.5|—|${caseLink}`, `${env.KW_TK4}|—|缺考|—|—|`];
  check(sc.join('\n') === expect.join('\n'), 'the scores:\n' + sc.join('\n'));
  check(await page.locator('table.scores-list a.case-link').getAttribute('href') === '/cases.html?case=' + env.KW_CASE, 'the case link');
  // paged two at a time
  const url = new URL(page.url());
  const runId = url.searchParams.get('run');
  check(runId && url.searchParams.get('subject') === '01', 'the address does not name the run: ' + page.url());
  await page.goto(base + page0(`&subject=01&run=${runId}&per=2`));
  await page.locator('#page-note', { hasText: '第 1 页：第 1–2 人' }).waitFor();
  check((await rows(page, 'table.scores-list')).length === 2 && await page.locator('#prev').isDisabled(), 'page 1');
  await page.locator('#next').click();
  await page.locator('#page-note', { hasText: '第 2 页：第 3–4 人' }).waitFor();
  const p2 = await rows(page, 'table.scores-list');
  check(p2.length === 2 && p2[1].startsWith(env.KW_TK4 + '|'), 'page 2: ' + p2.join(' / '));
  check(await page.locator('#next').isDisabled(), 'a third page is offered');
  await page.locator('#prev').click();
  await page.locator('#page-note', { hasText: '第 1 页' }).waitFor();
  await page.goto(base + page0('&subject=01'));
  await page.locator('#do-run').waitFor();
  // the same inputs again: the same result
  await page.getByRole('button', { name: '评分', exact: true }).click();
  await flashOk(page, '第 2 次评分完成');
  check(/与第 1 次评分结果一致/.test(await text(page.locator('#flash'))), 'the flash does not say the result is the same');
  const runs = await rows(page, 'table.runs-list');
  check(runs.length === 2 && /^第 2 次（正在查看）\|2026-12-10 18:\d\d\|agency\|4\|2\|1\|0\|1\|[0-9a-f]{12}…\|与第 1 次评分结果一致\|查看成绩$/.test(runs[0]) &&
    /^第 1 次\|.*\|agency\|4\|2\|1\|0\|1\|[0-9a-f]{12}…\|\|查看成绩$/.test(runs[1]), 'the runs: ' + runs.join(' / '));
  check(/第 2 次 · /.test((await rows(page, 'table.subjects-list'))[0]), 'the subjects\' last run');
  await page.locator('#scores-h', { hasText: '第 2 次评分的成绩' }).waitFor();
  // GRD-7: the run recomputed candidate by candidate agrees with what was stored, and is kept
  // on record: listed under the run, and in the subjects' overview
  // the kept list arrives after the scores: wait for it (a timeout fails the walk)
  await page.locator('#cc-kept', { hasText: '这次评分还没有存档的复核' }).waitFor();
  await page.getByRole('button', { name: '复核并存档（逐人重新计算）' }).click();
  await page.locator('#cc-out', { hasText: '复核一致' }).waitFor();
  check(/复核一致：4 人逐人重新计算.*已存档为第 \d+ 号复核记录。/.test(await text(page.locator('#cc-out'))), 'the cross-check: ' + await text(page.locator('#cc-out')));
  await page.locator('table.xc-list tbody tr').first().waitFor();
  const kept = await rows(page, 'table.xc-list');
  check(kept.length === 1 && /^\d+\|2026-12-10 18:\d\d\|agency\|一致\|4\|[0-9a-f]{12}…$/.test(kept[0]), 'the kept cross-checks: ' + kept.join(' / '));
  check(/一致（agency，2026-12-10 18:\d\d）$/.test((await rows(page, 'table.subjects-list'))[0]), 'the subjects\' cross-check: ' + (await rows(page, 'table.subjects-list'))[0]);
  // an earlier run is not what a publication uses: the page says so
  const run2 = new URL(page.url()).searchParams.get('run');
  check(run2 && run2 !== runId, 'the address does not name run 2: ' + page.url());
  await page.goto(base + page0(`&subject=01&run=${runId}`));
  await page.locator('#cc-kept').waitFor();
  check(/这不是本科目最近一次评分/.test(await text(page.locator('#scores .crosscheck'))), 'no word that run 1 is not the latest');
  await page.goto(base + page0(`&subject=01&run=${run2}`));
  await page.locator('#scores-h', { hasText: '第 2 次评分的成绩' }).waitFor();
  await page.locator('table.xc-list').waitFor();
  await shot(page, 'scoring-4-runs.png');
  await page.locator('#scores').scrollIntoViewIfNeeded();
  await shot(page, 'scoring-5-scores-desktop-zh.png');
  await english(page);
  await page.locator('#scores-h', { hasText: 'Scores of run 2' }).waitFor();
  check(/Same result as run 1/.test(await text(page.locator('table.runs-list'))), 'English runs');
  const scEn = await text(page.locator('table.scores-list'));
  check(/Cancelled \(decision\)/.test(scEn) && /Absent/.test(scEn) && /Case #/.test(scEn), 'English scores: ' + scEn);
  await shot(page, 'scoring-6-scores-desktop-en.png');
  await chinese(page);
  // the case opens from its link, on its own page
  await page.locator('table.scores-list a.case-link').click();
  await page.locator('#case-h').waitFor();
  check(new URL(page.url()).searchParams.get('case') === env.KW_CASE, 'the case link opened ' + page.url());
  await ctx.close();

  // a phone: the runs and the scores as cards, in Chinese then English
  const ph = await agency(phone, `&subject=01&run=${runId}`);
  await ph.page.locator('table.scores-list tbody tr').first().waitFor();
  await noSideScroll(ph.page, 'the scoring page');
  // each row a card: its cells named by their column (the table's head hidden)
  const card = ph.page.locator('table.scores-list tbody tr').nth(2);
  check(/成绩无效（处理决定）/.test(await text(card)), 'the phone\'s third score card: ' + await text(card));
  const labels = await card.locator('td').evaluateAll((tds) => tds.filter((td) => getComputedStyle(td).display !== 'none')
    .map((td) => getComputedStyle(td, '::before').content));
  check(labels.join() === '"准考证号","卷型","状态","原始分","最终分","处理决定"', 'the phone\'s card labels: ' + labels.join());
  check(await ph.page.locator('table.scores-list thead').evaluate((el) => el.getBoundingClientRect().height <= 1), 'the table head shows on a phone');
  await shot(ph.page, 'scoring-7-scores-phone-zh.png');
  await english(ph.page);
  await ph.page.locator('table.scores-list tbody tr').first().waitFor();
  await noSideScroll(ph.page, 'the scoring page, en');
  await shot(ph.page, 'scoring-8-scores-phone-en.png');
  await ph.ctx.close();

  // someone without the role: the server's refusal, not a blank page
  const pr2 = await staff('proc', desktop);
  const refused = pr2.page.locator('#exam-body [role=alert]');
  await refused.waitFor();
  check(/您没有执行此操作的权限/.test(await text(refused)), 'the proctor\'s refusal: ' + await text(refused));
  await shot(pr2.page, 'scoring-9-refused.png');
  await pr2.ctx.close();
} else {
  fail('the phase must be keys or score, not ' + phase);
}

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
