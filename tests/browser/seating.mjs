// The seating pages in a real Chromium (issue 7, item 7): agency staff on web/seating.html
// log in, read the capacity plan (the blocked centre left out with its reason in words, the
// staffing gaps), make it short (two to a room: the short group highlighted, the commitment
// refused with the server's message and its table of shortfalls), commit, discard with a
// reason (refused without one), commit again, run the draw, publish, and see the exam rooms
// (and find one by a ticket number); the public page web/seating-public.html, with no login,
// shows both runs, the commitment and the revealed seed, and its two checks in the browser
// pass (seed against commitment, inputs file against its digest), on a desktop and on a
// 360-px phone. The inputs file the page offers and the values of the command it shows are
// saved for the shell, which runs `kaowu seat verify` with them.
// Usage: node seating.mjs BASE_URL SCREENSHOT_DIR   (KW_STAFF, KW_STAFF_PASSWORD, KW_EXAM_ID,
// KW_EXAM_CODE; KW_OUT: a directory for inputs.txt and values.sh)
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';

const [base, shots] = process.argv.slice(2);
const out = process.env.KW_OUT;
mkdirSync(out, { recursive: true });
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const HEX64 = /^[0-9a-f]{64}$/;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page) {
  // The refusals the walk provokes (422, 400) show as failed loads: only those are expected.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

// ---- staff: the plan, a refused commitment, commit, discard, commit, draw, publish ----
const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
const sp = await sctx.newPage();
watch(sp);
await sp.goto(base + '/seating.html');
await sp.locator('#username').waitFor();
await sp.screenshot({ path: join(shots, 'seating-0-login.png') });
await sp.fill('#username', process.env.KW_STAFF);
await sp.fill('#password', process.env.KW_STAFF_PASSWORD);
await sp.click('#login button[type=submit]');
await sp.waitForSelector('#exam');
await sp.selectOption('#exam', process.env.KW_EXAM_ID);
await sp.getByRole('button', { name: '查看', exact: true }).click();
const verdict = sp.locator('#plan-verdict');
await verdict.waitFor();
check(/座位足够/.test(await verdict.textContent()), 'plan verdict: ' + await verdict.textContent());
check(/考生 6 人，可用考场 3 间/.test(await text(sp.locator('#plan'))), 'plan summary: ' + await text(sp.locator('#plan .sum')));
const left = sp.locator('#left-out tbody tr');
check((await left.count()) === 1, 'one centre left out');
check(/HF-02/.test(await text(left)) && /重大事件未整改（VEN-4）/.test(await text(left)), 'left out: ' + await text(left));
check(/考务人员不足/.test(await text(sp.locator('#plan'))) && /监考员/.test(await text(sp.locator('#plan'))), 'no staffing gap shown');
check(/第 1 场：/.test(await text(sp.locator('#plan .legend'))), 'no sitting times');
check(/01 经济基础知识 \+ 02 专业知识和实务/.test(await text(sp.locator('#plan'))), 'subject groups are not named');
check((await sp.locator('#plan tr.is-short').count()) === 0, 'a shortfall with 30 to a room');
await sp.screenshot({ path: join(shots, 'seating-1-plan.png'), fullPage: true });
// Before any run the public page says so, under the exam's name.
{
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  const page = await ctx.newPage();
  watch(page);
  await page.goto(base + '/seating-public.html?exam=' + process.env.KW_EXAM_ID);
  await page.getByText('该考试尚未进行考场编排。').waitFor();
  check(/经济专业技术资格考试/.test(await text(page.locator('h1'))), 'no exam name without runs: ' + await text(page.locator('h1')));
  await ctx.close();
}

// Two to a room: short; the commitment is refused with the server's table.
await sp.fill('#capacity', '2');
await sp.getByRole('button', { name: '重新计算' }).click();
await sp.locator('#plan-verdict', { hasText: '座位不足' }).waitFor();
const shortRow = sp.locator('#plan tr.is-short');
check((await shortRow.count()) === 1 && /缺 1 个座位/.test(await text(shortRow)), 'the short group is not highlighted');
await sp.getByRole('button', { name: '承诺编排' }).click();
const refusal = sp.locator('#flash .alert:not(.ok)');
await refusal.waitFor();
check(/座位不足/.test(await text(refusal)) && /SEATS_SHORT/.test(await text(refusal)), 'refusal: ' + await text(refusal));
check((await refusal.locator('table.shortfalls tbody tr').count()) === 1, 'no table of shortfalls in the refusal');
check(/AH-HF/.test(await text(refusal.locator('table'))) && /缺 1 个座位/.test(await text(refusal.locator('table'))), 'shortfall row: ' + await text(refusal.locator('table')));
await sp.screenshot({ path: join(shots, 'seating-2-short.png'), fullPage: true });

// Thirty to a room: commit.
await sp.fill('#capacity', '30');
await sp.getByRole('button', { name: '重新计算' }).click();
await sp.locator('#plan-verdict', { hasText: '座位足够' }).waitFor();
await sp.getByRole('button', { name: '承诺编排' }).click();
await sp.locator('#flash .alert.ok', { hasText: '已承诺编排' }).waitFor();
await sp.locator('#run .badge', { hasText: '已承诺，待执行编排' }).waitFor();
check(/执行编排后公布/.test(await text(sp.locator('#run'))), 'the seed is not said to come later');

// Discard: refused without a reason, then with one.
await sp.getByRole('button', { name: '作废' }).click();
await sp.locator('dialog.confirm').waitFor();
await sp.click('#dlg-ok');
await sp.locator('#dlg-err', { hasText: '请填写作废理由' }).waitFor();
await sp.screenshot({ path: join(shots, 'seating-3-discard-dialog.png') });
await sp.fill('#dlg-reason', '演练：承诺后核对考场，重新承诺。');
await sp.click('#dlg-ok');
await sp.locator('#flash .alert.ok', { hasText: '已作废' }).waitFor();
await sp.locator('#history', { hasText: '演练：承诺后核对考场，重新承诺。' }).waitFor();
check(/尚未承诺编排/.test(await text(sp.locator('#run'))), 'a discarded run is still the current one');

// Commit again, the draw, publish.
await sp.getByRole('button', { name: '承诺编排' }).click();
await sp.locator('#run .badge', { hasText: '已承诺，待执行编排' }).waitFor();
check(/第 2 次编排/.test(await text(sp.locator('#run h2'))), 'run heading: ' + await text(sp.locator('#run h2')));
const commitment = (await sp.locator('#run dl.facts code.hex').nth(1).textContent()).trim();
check(HEX64.test(commitment), 'commitment on the staff page: ' + commitment);
await sp.screenshot({ path: join(shots, 'seating-3-committed.png'), fullPage: true });
await sp.getByRole('button', { name: '执行编排' }).click();
await sp.locator('dialog.confirm', { hasText: '随机种子随即公开' }).waitFor();
await sp.click('#dlg-ok');
await sp.locator('#flash .alert.ok', { hasText: '编排完成：共 3 个考场' }).waitFor();
await sp.locator('#run .badge', { hasText: '已编排，待发布' }).waitFor();
const seed = (await sp.locator('#run dl.facts code.hex').nth(2).textContent()).trim();
check(HEX64.test(seed), 'seed on the staff page: ' + seed);
// The exam rooms: three, numbered in their centre, the accommodation room marked.
const rooms = sp.locator('#room-list tbody tr');
await rooms.first().waitFor();
check((await rooms.count()) === 3, 'exam rooms: ' + await rooms.count());
check(/共 3 个考场，6 名考生/.test(await text(sp.locator('#rooms .sum'))), 'rooms summary: ' + await text(sp.locator('#rooms .sum')));
check(/第1考场/.test(await text(rooms.nth(0))) && /HF-01/.test(await text(rooms.nth(0))), 'first room: ' + await text(rooms.nth(0)));
check((await sp.locator('#room-list .badge.acc', { hasText: '特殊照顾考场' }).count()) === 1, 'no accommodation room marked');
const tickets = (await rooms.nth(2).locator('td.tickets').textContent()).trim();
check(/^\d{11}(–\d{11})?$/.test(tickets), 'ticket numbers: ' + tickets);
// A ticket number finds its room.
await sp.fill('#room-q', tickets.slice(-11));
check((await rooms.count()) === 1 && (await text(rooms.first())).includes(tickets), 'finding a ticket number');
await sp.fill('#room-q', '');
check((await rooms.count()) === 3, 'the search did not clear');
await sp.screenshot({ path: join(shots, 'seating-4-seated.png'), fullPage: true });
await sp.getByRole('button', { name: '发布' }).click();
await sp.locator('dialog.confirm', { hasText: '不能再重新编排' }).waitFor();
await sp.click('#dlg-ok');
await sp.locator('#flash .alert.ok', { hasText: '编排结果已发布' }).waitFor();
await sp.locator('#run .badge', { hasText: '已发布' }).waitFor();
check(/编排结果已发布，是最终结果/.test(await text(sp.locator('#run'))), 'no final note');
check((await sp.getByRole('button', { name: '作废' }).count()) === 0, 'a published run offers discarding');
await sp.screenshot({ path: join(shots, 'seating-5-published.png'), fullPage: true });
// English.
await sp.getByRole('button', { name: 'English' }).click();
await sp.locator('#run .badge', { hasText: 'Published' }).waitFor();
await sp.getByRole('heading', { name: 'Capacity plan' }).waitFor();
check(/Major incident not rectified/.test(await text(sp.locator('#left-out'))), 'left-out reason in English');
await sp.screenshot({ path: join(shots, 'seating-6-english.png'), fullPage: true });
await sp.getByRole('button', { name: '中文' }).click();
await sp.locator('#run .badge', { hasText: '已发布' }).waitFor();
// On a narrow screen the tables scroll inside their boxes, not the page.
await sp.setViewportSize({ width: 400, height: 900 });
const sw = await sp.evaluate(() => document.documentElement.scrollWidth);
check(sw <= 400, `the staff page is ${sw} px wide in a 400-px window`);
await sp.screenshot({ path: join(shots, 'seating-7-narrow.png'), fullPage: true });

// ---- the public page, no login ----
async function publicPage(ctx, name, viaList) {
  const page = await ctx.newPage();
  watch(page);
  if (viaList) {
    // From the list of exams.
    await page.goto(base + '/seating-public.html');
    await page.getByRole('link', { name: '经济专业技术资格考试' }).click();
  } else {
    await page.goto(base + '/seating-public.html?exam=' + encodeURIComponent(process.env.KW_EXAM_CODE));
  }
  const pub = page.locator('article.pub-run[data-status=published]');
  await pub.waitFor();
  check((await page.locator('article.pub-run').count()) === 2, 'both runs are listed');
  check(/已发布/.test(await text(pub.locator('.badge'))), 'published badge: ' + await text(pub.locator('.badge')));
  check(/第 2 次编排/.test(await text(pub.locator('h2'))), 'public heading: ' + await text(pub.locator('h2')));
  check((await text(pub.locator('dd[data-k=commitment]'))) === commitment, 'public commitment differs from the staff page');
  check((await text(pub.locator('dd[data-k=seed]'))) === seed, 'public seed differs from the staff page');
  const seedCheck = pub.locator('ul.checks li[id$=-seed]');
  await pub.locator('ul.checks li[id$=-seed][data-state=pass]').waitFor({ timeout: 10000 })
    .catch(async () => fail(name + ': seed check: ' + await text(seedCheck)));
  check((await seedCheck.locator('.mark').textContent()) === '✔' && /随机种子的 SHA-256 与承诺值一致/.test(await text(seedCheck)), 'seed check: ' + await text(seedCheck));
  const inputsCheck = pub.locator('ul.checks li[id$=-inputs]');
  await inputsCheck.getByRole('button', { name: '下载并核验输入文件' }).click();
  await pub.locator('ul.checks li[id$=-inputs][data-state=pass]').waitFor({ timeout: 10000 })
    .catch(async () => fail(name + ': inputs check: ' + await text(inputsCheck)));
  check((await inputsCheck.locator('.mark').textContent()) === '✔' && /输入文件的 SHA-256 与输入摘要一致/.test(await text(inputsCheck)), 'inputs check: ' + await text(inputsCheck));
  // The discarded run: its reason, its seed revealed and checked, no assignment.
  const old = page.locator('article.pub-run[data-status=discarded]');
  check(/已作废/.test(await text(old.locator('.badge'))) && /演练：承诺后核对考场，重新承诺。/.test(await text(old)), 'the discarded run: ' + await text(old));
  await old.locator('ul.checks li[id$=-seed][data-state=pass]').waitFor({ timeout: 10000 });
  check(/尚未编排/.test(await text(old.locator('dd[data-k=assignment-digest]'))), 'the discarded run has an assignment');
  return { page, pub };
}
const pctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
const { page: pp, pub } = await publicPage(pctx, 'desktop');
check((await pctx.cookies()).every((c) => c.name !== 'kw_session'), 'the public page has a session');
await pp.screenshot({ path: join(shots, 'seating-public.png'), fullPage: true });
// The file the page offers, and the command it shows, for the shell's kaowu seat verify.
const [dl] = await Promise.all([pp.waitForEvent('download'), pub.locator('a.dl-link').click()]);
check(/^seating-\d+-inputs\.txt$/.test(dl.suggestedFilename()), 'inputs file named ' + dl.suggestedFilename());
await dl.saveAs(join(out, 'inputs.txt'));
const cmd = (await pub.locator('.how pre').textContent()).replace(/\\\n/g, ' ').replace(/\s+/g, ' ').trim();
const words = cmd.split(' ');
check(words.slice(0, 3).join(' ') === 'kaowu seat verify', 'the command: ' + cmd);
const flags = {};
for (let i = 3; i < words.length; i += 2) flags[words[i]] = words[i + 1];
check(flags['--inputs'] === dl.suggestedFilename(), 'the command names ' + flags['--inputs'] + ', the link ' + dl.suggestedFilename());
check(flags['--seed'] === seed && flags['--commitment'] === commitment, 'the command\'s seed or commitment differs from the page');
for (const k of ['--inputs-digest', '--assignment-digest']) check(HEX64.test(flags[k] || ''), 'the command lacks ' + k + ': ' + cmd);
check(flags['--inputs-digest'] === await text(pub.locator('dd[data-k=inputs-digest]')), 'the command\'s inputs digest differs from the page');
check(flags['--assignment-digest'] === await text(pub.locator('dd[data-k=assignment-digest]')), 'the command\'s assignment digest differs from the page');
writeFileSync(join(out, 'values.sh'), `SEED=${flags['--seed']}\nCOMMITMENT=${flags['--commitment']}\n` +
  `INPUTS_DIGEST=${flags['--inputs-digest']}\nASSIGNMENT_DIGEST=${flags['--assignment-digest']}\n`);
// English.
await pp.getByRole('button', { name: 'English' }).click();
await pp.locator('article.pub-run[data-status=published] .badge', { hasText: 'Published' }).waitFor();
await pp.getByRole('heading', { name: 'How to verify' }).first().waitFor();
await pctx.close();

// A 360-px phone: no sideways scrolling, the checks pass.
const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
const { page: mp } = await publicPage(phone, 'phone', true);
const w = await mp.evaluate(() => document.documentElement.scrollWidth);
check(w <= 360, `the public page is ${w} px wide on a 360-px phone`);
await mp.screenshot({ path: join(shots, 'seating-public-360.png'), fullPage: true });
await phone.close();
await sctx.close();

check(problems.length === 0, 'browser errors: ' + problems.join(' | '));
await browser.close();
console.log('ok');
