// The proctor lottery pages in a real Chromium (issue 7, items 6 and 7; SEAT-2, SEC-3):
// agency staff on web/proctors.html log in; an exam whose area is short of proctors shows
// the gap per centre and its commitment is refused with the server's table (nothing drawn in
// part); another exam's pool explains every exclusion in words (recusal of a spouse and of a
// member of staff who registered, a volunteer, the untrained); they commit, run the draw and
// see per centre the chief examiner, the two proctors of each exam room and the roving
// proctor of each floor, the stored result checked against its digest; in English too; the
// console links to the page. The public page web/proctors-public.html, with no login, shows
// the commitment and the revealed seed equal to the staff page's, names nobody, and its two
// checks in the browser pass, on a desktop and on a 360-px phone. The inputs file it offers
// and the values of the command it shows are saved for the shell's `kaowu proctor verify`.
// Usage: node proctors.mjs BASE_URL SCREENSHOT_DIR   (KW_STAFF, KW_STAFF_PASSWORD,
// KW_EXAM_ID, KW_EXAM_CODE, KW_SHORT_EXAM_ID, KW_NAMES and KW_ID_NUMBERS one a line; KW_OUT:
// a directory for inputs.txt and values.sh)
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';

const [base, shots] = process.argv.slice(2);
const out = process.env.KW_OUT;
mkdirSync(out, { recursive: true });
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const HEX64 = /^[0-9a-f]{64}$/;
const names = (process.env.KW_NAMES || '').split('\n').filter((x) => x);
const idNumbers = (process.env.KW_ID_NUMBERS || '').split('\n').filter((x) => x);
check(names.length >= 10 && idNumbers.length >= 6, 'KW_NAMES and KW_ID_NUMBERS are needed');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  // The refusal the walk provokes (422) shows as a failed load: only those are expected.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

// ---- staff: log in from the console's link ----
const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const sp = await sctx.newPage();
watch(sp);
await sp.goto(base + '/proctors.html');
await sp.locator('#username').waitFor();
await sp.fill('#username', process.env.KW_STAFF);
await sp.fill('#password', process.env.KW_STAFF_PASSWORD);
await sp.click('#login button[type=submit]');
await sp.waitForSelector('#exam');
// The console's navigation leads here.
{
  const cp = await sctx.newPage();
  watch(cp);
  await cp.goto(base + '/console.html');
  const link = cp.getByRole('link', { name: '监考抽签' });
  await link.waitFor();
  check((await link.getAttribute('href')) === '/proctors.html', 'the console links to ' + await link.getAttribute('href'));
  await cp.close();
}

// ---- an exam short of proctors: the gap per centre, the commitment refused ----
await sp.selectOption('#exam', process.env.KW_SHORT_EXAM_ID);
await sp.getByRole('button', { name: '查看', exact: true }).click();
await sp.locator('#pool-verdict', { hasText: '可抽人员不足' }).waitFor();
const gaps = sp.locator('#pool-gaps tbody tr');
check((await gaps.count()) === 1, 'gaps: ' + await gaps.count());
check(/WH-01/.test(await text(gaps)) && /监考员/.test(await text(gaps)) && /缺 1 名/.test(await text(gaps)), 'gap row: ' + await text(gaps));
check(/需要 \/ 可抽/.test(await text(sp.locator('#pool-areas thead'))), 'no needed / eligible header');
check(/2 \/ 1 不足/.test(await text(sp.locator('#pool-areas tbody'))), 'the proctors short in the area table: ' + await text(sp.locator('#pool-areas tbody')));
await sp.getByRole('button', { name: '承诺抽签' }).click();
const refusal = sp.locator('#flash .alert:not(.ok)');
await refusal.waitFor();
check(/PROCTORS_SHORT/.test(await text(refusal)) && /监考人员不足/.test(await text(refusal)), 'refusal: ' + await text(refusal));
check(/WH-01/.test(await text(refusal.locator('table'))) && /缺 1 名/.test(await text(refusal.locator('table'))), 'refusal table: ' + await text(refusal));
check(/尚未承诺抽签/.test(await text(sp.locator('#draw'))), 'a refused commitment left a draw');
await sp.screenshot({ path: join(shots, 'proctors-1-short.png'), fullPage: true });

// ---- the other exam: the pool with every exclusion explained ----
await sp.selectOption('#exam', process.env.KW_EXAM_ID);
await sp.getByRole('button', { name: '查看', exact: true }).click();
await sp.locator('#pool-verdict', { hasText: '可抽人员足够' }).waitFor();
await sp.locator('#flash .alert').waitFor({ state: 'detached' }).catch(() => {});
check(/考试当天统一抽签一次（PQ 19）/.test(await text(sp.locator('#draw-when'))), 'when: ' + await text(sp.locator('#draw-when')));
const ex = sp.locator('#excluded tbody tr');
check((await ex.count()) === 4, 'excluded: ' + await ex.count());
const exText = await text(sp.locator('#excluded'));
for (const want of ['冯回避', '回避（SEC-3）：配偶报考本考试', '陈报考', '回避（SEC-3）：本人报考本考试', '褚志愿', '志愿者不参加监考（PQ 20(2)）', '卫未训', '未参加培训或培训未通过（ORG-4）'])
  check(exText.includes(want), 'the exclusions lack "' + want + '": ' + exText);
check(/不参加抽签的人员（4 人）/.test(await text(sp.locator('#excluded-h'))), 'excluded heading');
await sp.screenshot({ path: join(shots, 'proctors-2-pool.png'), fullPage: true });

// ---- commit, then run the draw ----
await sp.getByRole('button', { name: '承诺抽签' }).click();
await sp.locator('#flash .alert.ok', { hasText: '已承诺抽签' }).waitFor();
await sp.locator('#draw .badge', { hasText: '已承诺，待抽签' }).waitFor();
const commitment = await text(sp.locator('#draw dd[data-k=commitment]'));
check(HEX64.test(commitment), 'commitment on the staff page: ' + commitment);
check(/执行抽签后公布/.test(await text(sp.locator('#draw dd[data-k=seed]'))), 'the seed is not said to come later');
await sp.getByRole('button', { name: '执行抽签' }).click();
await sp.locator('dialog.confirm', { hasText: '随机种子随即公开' }).waitFor();
await sp.screenshot({ path: join(shots, 'proctors-3-confirm.png') });
await sp.click('#dlg-ok');
await sp.locator('#flash .alert.ok', { hasText: '抽签完成：共抽取 11 人' }).waitFor();
await sp.locator('#draw .badge', { hasText: '已抽签' }).waitFor();
const seed = await text(sp.locator('#draw dd[data-k=seed]'));
check(HEX64.test(seed), 'seed on the staff page: ' + seed);
check(/已存储的抽签结果与公布的结果摘要一致/.test(await text(sp.locator('#verified'))), 'verified: ' + await text(sp.locator('#verified')));
// Who proctors where: a chief per centre, two proctors in each exam room, a roving proctor per floor.
check(/共 11 人：主考 2 名、监考员 6 名、流动监考 3 名/.test(await text(sp.locator('#assign-sum'))), 'summary: ' + await text(sp.locator('#assign-sum')));
const blocks = sp.locator('#assign section.centre-assign');
check((await blocks.count()) === 2, 'centres: ' + await blocks.count());
const hf1 = sp.locator('#centre-HF-01');
check(/HF-01 合肥一中/.test(await text(hf1.locator('h3'))), 'centre heading: ' + await text(hf1.locator('h3')));
check((await hf1.locator('.chief .who-is').count()) === 1, 'one chief examiner in HF-01');
check(/(王主考|李主考)/.test(await text(hf1.locator('.chief'))), 'chief: ' + await text(hf1.locator('.chief')));
const rows1 = hf1.locator('table.room-proctors tbody tr');
check((await rows1.count()) === 2, 'HF-01 exam rooms: ' + await rows1.count());
for (let i = 0; i < 2; i++) check((await rows1.nth(i).locator('.who-is').count()) === 2, 'two proctors in exam room ' + (i + 1));
check(/第1考场/.test(await text(rows1.nth(0))) && /101/.test(await text(rows1.nth(0))), 'room row: ' + await text(rows1.nth(0)));
check((await hf1.locator('.roving [data-floor]').count()) === 2, 'HF-01 roving floors: ' + await text(hf1.locator('.roving')));
check(/1 层/.test(await text(hf1.locator('.roving'))) && /2 层/.test(await text(hf1.locator('.roving'))), 'floors: ' + await text(hf1.locator('.roving')));
const assigned = await text(sp.locator('#assign'));
for (const who of ['冯回避', '陈报考', '褚志愿', '卫未训', '杨主考', '朱监考'])
  check(!assigned.includes(who), who + ' was drawn');
check(/序号 \d+/.test(assigned), 'the numbers of the inputs file are not shown');
await sp.screenshot({ path: join(shots, 'proctors-4-drawn.png'), fullPage: true });
// English.
await sp.getByRole('button', { name: 'English' }).click();
await sp.getByRole('heading', { name: 'Assignments' }).waitFor();
await sp.locator('#draw .badge', { hasText: 'Drawn' }).waitFor();
check(/Recusal \(SEC-3\): spouse registered for this exam/.test(await text(sp.locator('#excluded'))), 'the exclusion in English');
check(/11 staff: 2 chief examiners, 6 proctors, 3 roving proctors/.test(await text(sp.locator('#assign-sum'))), 'English summary');
await sp.screenshot({ path: join(shots, 'proctors-5-english.png'), fullPage: true });
await sp.getByRole('button', { name: '中文' }).click();
await sp.getByRole('heading', { name: '抽签结果' }).waitFor();
// On a narrow screen the tables scroll inside their boxes, not the page.
await sp.setViewportSize({ width: 400, height: 900 });
const sw = await sp.evaluate(() => document.documentElement.scrollWidth);
check(sw <= 400, `the staff page is ${sw} px wide in a 400-px window`);
await sp.screenshot({ path: join(shots, 'proctors-6-narrow.png'), fullPage: true });

// ---- the public page, no login ----
async function publicPage(ctx, name, viaList) {
  const page = await ctx.newPage();
  watch(page);
  if (viaList) {
    await page.goto(base + '/proctors-public.html');
    await page.getByRole('link', { name: '经济专业技术资格考试' }).click();
  } else {
    await page.goto(base + '/proctors-public.html?exam=' + encodeURIComponent(process.env.KW_EXAM_CODE));
  }
  const card = page.locator('article.pub-draw[data-status=drawn]');
  await card.waitFor();
  check((await page.locator('article.pub-draw').count()) === 1, 'one draw is listed');
  check(/考试当天抽签/.test(await text(card.locator('h2'))), 'public heading: ' + await text(card.locator('h2')));
  check((await text(card.locator('dd[data-k=commitment]'))) === commitment, 'public commitment differs from the staff page');
  check((await text(card.locator('dd[data-k=seed]'))) === seed, 'public seed differs from the staff page');
  check(/回避 2 名/.test(await text(card.locator('dd[data-k=excluded]'))) && /志愿者 1 名/.test(await text(card.locator('dd[data-k=excluded]'))),
    'exclusions counted: ' + await text(card.locator('dd[data-k=excluded]')));
  check(/主考 2 名，监考员 6 名/.test(await text(card.locator('dd[data-k=pool]'))), 'pool: ' + await text(card.locator('dd[data-k=pool]')));
  const seedCheck = card.locator('ul.checks li[id$=-seed]');
  await card.locator('ul.checks li[id$=-seed][data-state=pass]').waitFor({ timeout: 10000 })
    .catch(async () => fail(name + ': seed check: ' + await text(seedCheck)));
  check(/随机种子的 SHA-256 与承诺值一致/.test(await text(seedCheck)), 'seed check: ' + await text(seedCheck));
  const inputsCheck = card.locator('ul.checks li[id$=-inputs]');
  await inputsCheck.getByRole('button', { name: '下载并核验输入文件' }).click();
  await card.locator('ul.checks li[id$=-inputs][data-state=pass]').waitFor({ timeout: 10000 })
    .catch(async () => fail(name + ': inputs check: ' + await text(inputsCheck)));
  // SEC-1/SEC-2: nobody is named on the public page.
  const all = await page.evaluate(() => document.documentElement.outerHTML);
  for (const x of [...names, ...idNumbers, 'WQK', 'WQP', 'WQS', 'WQR'])
    check(!all.includes(x), name + ': the public page shows "' + x + '"');
  return { page, card };
}
const pctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
const { page: pp, card } = await publicPage(pctx, 'desktop');
check((await pctx.cookies()).every((c) => c.name !== 'kw_session'), 'the public page has a session');
await pp.screenshot({ path: join(shots, 'proctors-public.png'), fullPage: true });
const [dl] = await Promise.all([pp.waitForEvent('download'), card.locator('a.dl-link').click()]);
check(/^proctors-\d+-inputs\.txt$/.test(dl.suggestedFilename()), 'inputs file named ' + dl.suggestedFilename());
await dl.saveAs(join(out, 'inputs.txt'));
const cmd = (await card.locator('.how pre').textContent()).replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
const words = cmd.split(' ');
check(words.slice(0, 3).join(' ') === 'kaowu proctor verify', 'the command: ' + cmd);
const flags = {};
for (let i = 3; i < words.length; i += 2) flags[words[i]] = words[i + 1];
check(flags['--inputs'] === dl.suggestedFilename(), 'the command names ' + flags['--inputs'] + ', the link ' + dl.suggestedFilename());
check(flags['--seed'] === seed && flags['--commitment'] === commitment, 'the command\'s seed or commitment differs from the page');
check(flags['--inputs-digest'] === await text(card.locator('dd[data-k=inputs-digest]')), 'the command\'s inputs digest differs from the page');
check(flags['--result-digest'] === await text(card.locator('dd[data-k=result-digest]')), 'the command\'s result digest differs from the page');
writeFileSync(join(out, 'values.sh'), `SEED=${flags['--seed']}\nCOMMITMENT=${flags['--commitment']}\n` +
  `INPUTS_DIGEST=${flags['--inputs-digest']}\nRESULT_DIGEST=${flags['--result-digest']}\n`);
await pp.getByRole('button', { name: 'English' }).click();
await pp.locator('article.pub-draw .badge', { hasText: 'Drawn' }).waitFor();
await pp.getByRole('heading', { name: 'How to verify' }).first().waitFor();
check(/2 by recusal/.test(await text(pp.locator('article.pub-draw dd[data-k=excluded]'))), 'English exclusions');
await pctx.close();

// A 360-px phone: no sideways scrolling, the checks pass.
const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
const { page: mp } = await publicPage(phone, 'phone', true);
const w = await mp.evaluate(() => document.documentElement.scrollWidth);
check(w <= 360, `the public page is ${w} px wide on a 360-px phone`);
await mp.screenshot({ path: join(shots, 'proctors-public-360.png'), fullPage: true });
await phone.close();
await sctx.close();

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
