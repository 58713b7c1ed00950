// The staff console and the candidate portal in a real Chromium: the registers' tables and
// forms built from GET /api/v1/registers — a unit and a centre created by their forms, a
// room added from the centre's page (a field error first), the centre changed (and a
// concurrent change caught by If-Match), its history, a CSV import with a dry run (row
// errors first), an XLSX export, search; a maker-checker approval decided by a second admin
// and the new grant's walls (a Hefei agency user sees Hefei's centres only); an integrity
// archive entry by the form — its grounds required, then pending until the second admin
// approves it in the queue (INF-5(5), INF-4); English; the
// console and the portal on a 360-px phone without horizontal scrolling.
// Usage: node console.mjs BASE_URL SCREENSHOT_DIR   (KAOWU_ADMIN_PASSWORD, KW_ADMIN2_PASSWORD)
import { chromium, request } from 'playwright-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shots] = process.argv.slice(2);
const adminPass = process.env.KAOWU_ADMIN_PASSWORD;
const admin2Pass = process.env.KW_ADMIN2_PASSWORD;
const fail = (m) => { console.error('FAIL: ' + m); process.exitCode = 1; throw new Error(m); };
const check = (cond, m) => { if (!cond) fail(m); };
const tmp = mkdtempSync(join(tmpdir(), 'kw-console-'));

// ---- the API, for what the test arranges behind the browser's back ----
const http = await request.newContext({ baseURL: base });
async function token(username, password) {
  const r = await http.post('/api/v1/session', { data: { username, password } });
  check(r.status() === 201, `login ${username}: ${r.status()}`);
  return (await r.json()).token;
}
async function call(tok, method, path, data, headers) {
  const r = await http.fetch(path, { method, data, headers: Object.assign({ Authorization: 'Bearer ' + tok }, headers || {}) });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  return { status: r.status(), body, headers: r.headers() };
}
const A = await token('admin', adminPass);
const units = (await call(A, 'GET', '/api/v1/units')).body.items;
const root = units.find((u) => u.parent === null);
const ah = await call(A, 'POST', '/api/v1/units', { code: 'AH', name: '安徽省人事考试院', kind: 'provincial_agency', level: 'provincial', parent: root.id });
check(ah.status === 201, 'unit AH: ' + JSON.stringify(ah.body));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const problems = [];
function watch(page, expected) {
  // Refused requests the test provokes are logged by Chromium as console errors: only those.
  page.on('console', (m) => { if (m.type() === 'error' && !(expected && expected.test(m.text()))) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
}
async function login(page, username, password) {
  await page.goto(base + '/console.html');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#nav-groups a');
}
const rowsOf = (page, sel) => page.locator(sel + ' tbody tr');
// A screenshot without the passing "saved" message over the content.
async function shot(page, name) {
  await page.evaluate(() => { const el = document.getElementById('toast'); if (el) el.hidden = true; });
  await page.screenshot({ path: join(shots, name), fullPage: true });
}

try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await ctx.newPage();
  watch(page, /status of (400|412|422)/);

  // ---- the start page links the portal, and the console once logged in ----
  await page.goto(base + '/');
  check(await page.isVisible('#to-portal'), 'no portal link on the start page');
  await page.fill('#username', 'admin');
  await page.fill('#password', adminPass);
  await page.click('#login button[type=submit]');
  await page.waitForSelector('#to-console', { state: 'visible' });
  await page.click('#to-console');
  await page.waitForSelector('#nav-groups a');
  check((await page.textContent('#me-name')).includes('admin'), 'the console does not show who is logged in');
  const navText = await page.textContent('#nav');
  for (const w of ['组织机构', '考点考场', '考务人员', '待审批', '考点', '考场', '培训考核']) check(navText.includes(w), 'navigation lacks ' + w);

  // ---- a unit by the units form (its own API under the same register description) ----
  await page.click('#nav a[href="#/r/units"]');
  await page.waitForSelector('h1:text("组织机构")');
  await page.click('#new');
  await page.waitForSelector('#record-form');
  await page.fill('#in-code', 'AH-HF');
  await page.fill('#in-name', '合肥市人事考试中心');
  await page.selectOption('#in-kind', 'area_agency');
  await page.selectOption('#in-level', 'prefecture');
  await page.selectOption('#in-parent_id', String(ah.body.id));
  await page.click('#save');
  await page.waitForSelector('#history table');
  const hfId = Number(page.url().match(/#\/r\/units\/(\d+)/)[1]);
  check((await page.textContent('h1')).includes('合肥市人事考试中心'), 'unit page title');

  // ---- a centre by the form ----
  await page.click('#nav a[href="#/r/centres"]');
  await page.waitForSelector('#list-status:text("没有符合条件的记录。")');
  await page.click('#new');
  await page.waitForSelector('#record-form');
  // Labels from the registers endpoint, required marks, enum values by their Chinese labels.
  check((await page.textContent('label[for="in-name"]')).startsWith('考点名称'), 'label of name');
  check(await page.isVisible('label[for="in-code"] .req'), 'no required mark on the code');
  check((await page.textContent('#in-kind')).includes('标准化考点'), 'enum values are not labelled');
  check(await page.getAttribute('#in-cbt_seats', 'type') === 'number', 'cbt_seats is not a number input');
  await page.selectOption('#in-unit_id', String(hfId));
  await page.fill('#in-code', 'C1');
  await page.fill('#in-name', '合肥一中');
  await page.fill('#in-address', '合肥市蜀山区潜山路1号');
  await page.selectOption('#in-admin_level', 'prefecture');
  await page.selectOption('#in-kind', { label: '高考/中考考点学校' });
  await page.click('#save');
  await page.waitForSelector('#history table');
  const c1 = Number(page.url().match(/#\/r\/centres\/(\d+)/)[1]);
  check((await page.textContent('h1')).includes('C1 合肥一中'), 'centre page title: ' + await page.textContent('h1'));
  // A centre of the province (not Hefei), for the walls below; and one more for the list.
  const cAH = await call(A, 'POST', '/api/v1/centres', { unit_id: ah.body.id, code: 'C-AH', name: '安徽省直考点', address: '合肥市包河区', admin_level: 'provincial', kind: 'standard' });
  check(cAH.status === 201, 'centre C-AH: ' + JSON.stringify(cAH.body));
  const c2 = await call(A, 'POST', '/api/v1/centres', { unit_id: hfId, code: 'C2', name: '安徽大学', address: '合肥市经开区九龙路111号', admin_level: 'prefecture', kind: 'college', cbt_seats: 120 });
  check(c2.status === 201, 'centre C2');
  // VEN-4: a major incident not rectified blocks C2 (a red badge with words).
  check((await call(A, 'POST', '/api/v1/incidents', { centre_id: c2.body.id, occurred_on: '2026-07-05', description: '保密室监控中断', major: true })).status === 201, 'incident');

  // ---- the list: rows, search, filter ----
  await page.click('#nav a[href="#/r/centres"]');
  await page.waitForSelector('a.open:text("C1")');
  check(await rowsOf(page, '.table-wrap').count() === 3, 'the list does not show 3 centres');
  const blockedRow = page.locator('tr', { has: page.locator('a.open:text("C2")') });
  check((await blockedRow.locator('.badge.bad').textContent()).includes('整改未完成'), 'C2 is not marked blocked');
  await shot(page, 'console-list.png');
  // Keyboard: the first Tab stop skips to the content, which takes the focus without a new route.
  await page.reload();
  await page.waitForSelector('a.open:text("C1")');
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab stop is not the skip link');
  await page.keyboard.press('Enter');
  check(await page.evaluate(() => document.activeElement.id) === 'view', 'the skip link does not reach the content');
  check(page.url().endsWith('#/r/centres'), 'the skip link changed the route');
  await page.fill('#f-q', '一中');
  await page.press('#f-q', 'Enter');
  await page.waitForFunction(() => document.querySelectorAll('.table-wrap tbody tr').length === 1);
  check(page.url().includes('q=%E4%B8%80%E4%B8%AD') || page.url().includes('q=一中'), 'search is not in the address');
  await page.click('a:text("清除条件")');
  await page.waitForFunction(() => document.querySelectorAll('.table-wrap tbody tr').length === 3);
  await page.selectOption('#f-kind', 'college');
  await page.waitForFunction(() => document.querySelectorAll('.table-wrap tbody tr').length === 1);
  check(await page.isVisible('a.open:text("C2")'), 'the kind filter did not keep C2');
  await page.click('a:text("清除条件")');
  await page.waitForFunction(() => document.querySelectorAll('.table-wrap tbody tr').length === 3);
  // Sorting by a header, client-side.
  await page.click('th button:text("考点代码")');
  await page.click('th button:text("考点代码")');
  check(await page.getAttribute('th:has(button:text("考点代码"))', 'aria-sort') === 'descending', 'sorting is not announced');
  check((await page.locator('.table-wrap tbody tr a.open').first().textContent()) === 'C2', 'descending sort by code');

  // ---- a room from the centre's page: 0 seats is refused next to the field ----
  await page.click('a.open:text("C1")');
  await page.waitForSelector('#child-rooms');
  await page.click('#add-rooms');
  await page.waitForSelector('#record-form');
  check(await page.inputValue('#in-centre_id') === String(c1), 'the room form is not prefilled with the centre');
  await page.fill('#in-code', '101');
  await page.fill('#in-seats', '0');
  await page.selectOption('#in-mode', 'paper');
  await page.check('#in-video');
  await page.click('#save');
  await page.waitForSelector('#in-seats-err', { state: 'visible' });
  check((await page.textContent('#in-seats-err')).includes('应在 1 到 1000 之间'), 'seats error: ' + await page.textContent('#in-seats-err'));
  check(await page.getAttribute('#in-seats', 'aria-invalid') === 'true', 'the seats field is not marked invalid');
  check((await page.textContent('#form-errors')).includes('座位数'), 'the error summary does not name the field');
  await shot(page, 'console-form-error.png');
  await page.fill('#in-seats', '30');
  await page.click('#save');
  await page.waitForSelector('#child-rooms a.open:text("101")');
  check(page.url().endsWith('#/r/centres/' + c1), 'after adding a room the centre page is not shown again');

  // ---- history: the creation by admin; a change from → to ----
  await page.waitForSelector('#history tr[data-action="centre.create"]');
  check((await page.textContent('#history tr[data-action="centre.create"]')).includes('admin'), 'creation not by admin');
  check(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(await page.textContent('#history tbody td')), 'history time format');
  await page.click('#edit');
  await page.waitForSelector('#record-form');
  check(await page.isDisabled('#in-code'), 'a fixed field is editable');
  await page.fill('#in-name', '合肥市第一中学');
  await page.click('#save');
  await page.waitForSelector('#history tr[data-action="centre.update"]');
  const upd = await page.textContent('#history tr[data-action="centre.update"]');
  check(upd.includes('考点名称') && upd.includes('合肥一中') && upd.includes('合肥市第一中学') && upd.includes('admin'), 'update in history: ' + upd);
  check((await page.textContent('h1')).includes('合肥市第一中学'), 'the new name is not shown');

  // ---- a concurrent change: If-Match catches it, the form reloads the current record ----
  await page.click('#edit');
  await page.waitForSelector('#record-form');
  const cur = await call(A, 'GET', '/api/v1/centres/' + c1);
  const other = await call(A, 'PATCH', '/api/v1/centres/' + c1, { address: '合肥市蜀山区潜山路1号（东门）' }, { 'If-Match': cur.headers.etag });
  check(other.status === 200, 'the concurrent change: ' + other.status);
  await page.fill('#in-name', '另一个名称');
  await page.click('#save');
  await page.waitForSelector('#form-errors .alert');
  check((await page.textContent('#form-errors')).includes('刚刚被其他人修改过'), 'stale record not explained');
  check((await page.inputValue('#in-address')).includes('东门'), 'the form did not reload the current record');
  await page.click('a:text("取消")');

  // ---- CSV import of rooms: a dry run shows the bad rows, then a clean file is imported ----
  await page.goto(base + '/console.html#/r/rooms/import');
  await page.waitForSelector('#csv-file');
  const bad = join(tmp, 'rooms-bad.csv');
  writeFileSync(bad, '\ufeff考点,考场号,座位数,考试方式\r\nC1,102,30,纸笔考试\r\nC1,103,0,纸笔考试\r\nC9,104,30,paper\r\n');
  await page.setInputFiles('#csv-file', bad);
  await page.click('#csv-check');
  await page.waitForSelector('#import-problems');
  const probs = await page.textContent('#import-problems');
  check(probs.includes('座位数') && probs.includes('应在 1 到 1000 之间') && probs.includes('找不到对应的记录'), 'import problems: ' + probs);
  check(await rowsOf(page, '#import-problems').count() === 2, 'two problems expected');
  check(await page.isDisabled('#csv-import'), 'a file with problems can be imported');
  await shot(page, 'console-import.png');
  const good = join(tmp, 'rooms.csv');
  // Two rooms for C1, and 110 for C2: more than one page of the rooms list.
  const many = Array.from({ length: 110 }, (_, i) => `C2,${1001 + i},30,cbt,1`).join('\n');
  writeFileSync(good, 'centre_code,code,seats,mode,video\nC1,102,30,paper,是\nC1,103,25,cbt,否\n' + many + '\n');
  await page.setInputFiles('#csv-file', good);
  await page.click('#csv-check');
  await page.waitForSelector('#import-result .alert.ok');
  check((await page.textContent('#import-result')).includes('检查通过'), 'dry run not passed');
  await page.click('#csv-import');
  await page.waitForSelector('dialog[open]');
  check((await page.textContent('dialog[open]')).includes('不能整体撤销'), 'the confirmation does not name the consequence');
  await page.click('#dlg-ok');
  await page.waitForSelector('#import-done');
  check((await page.textContent('#import-done')).includes('已导入 112 条记录'), 'import result: ' + await page.textContent('#import-done'));
  // The rooms list pages with the cursor.
  await page.click('#import-done a');
  await page.waitForSelector('#more', { state: 'visible' });
  check(await rowsOf(page, '.table-wrap').count() === 100, 'the first page is not 100 rooms');
  await page.click('#more');
  await page.waitForFunction(() => document.querySelectorAll('.table-wrap tbody tr').length === 113);
  check(await page.isHidden('#more'), '"load more" is still offered at the end');
  check((await page.textContent('#list-status')).includes('113'), 'the count is not shown');
  await page.goto(base + '/console.html#/r/centres/' + c1);
  await page.waitForSelector('#child-rooms a.open:text("103")');
  check(await rowsOf(page, '#child-rooms').count() === 3, 'the centre does not list 3 rooms');
  check((await page.textContent('dl.fields')).includes('85'), 'the centre\'s seats are not 30 + 30 + 25');
  await page.waitForSelector('#history tr[data-action="centre.update"]');
  await shot(page, 'console-centre.png');

  // ---- XLSX export of what is shown ----
  await page.goto(base + '/console.html#/r/rooms?centre_id=' + c1);
  await page.waitForSelector('#export');
  check((await page.getAttribute('#export', 'href')).includes('centre_id=' + c1), 'the export ignores the filter');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const xlsx = readFileSync(await download.path());
  check(xlsx.subarray(0, 2).toString() === 'PK', 'the export is not an XLSX (zip) file');
  check(download.suggestedFilename().endsWith('.xlsx'), 'export file name: ' + download.suggestedFilename());

  // ---- a staff record names its account from a list (GET /api/v1/users), not by number ----
  await page.goto(base + '/console.html#/r/staff/new');
  await page.waitForSelector('select[name="user_id"]');
  const accounts = await page.$$eval('select[name="user_id"] option', (os) => os.map((o) => o.textContent));
  check(accounts.some((x) => x.includes('（admin）')), 'the account list does not offer admin: ' + accounts.join(' | '));

  // ---- maker-checker: admin asks, admin2 decides in the approvals queue ----
  const u = await call(A, 'POST', '/api/v1/users', { username: 'hf_staff', display_name: '合肥考务', password: 'hf-staff-pass-1' });
  check(u.status === 201, 'user: ' + JSON.stringify(u.body));
  const ask = await call(A, 'POST', `/api/v1/users/${u.body.id}/roles`, { roles: [{ role: 'agency_staff', unit: hfId }] });
  check(ask.status === 202, 'role request: ' + JSON.stringify(ask.body));
  await page.goto(base + '/console.html#/approvals');
  await page.waitForSelector('.table-wrap tbody tr');
  check((await page.textContent('.table-wrap tbody tr')).includes('须由另一位有审批权限的人员批准'), 'the maker may decide their own request');
  const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const p2 = await ctx2.newPage();
  watch(p2);
  await login(p2, 'admin2', admin2Pass);
  await p2.waitForSelector('#pending-count:text("1")');
  await p2.click('#nav a[href="#/approvals"]');
  await p2.waitForSelector('button:text("批准")');
  check((await p2.textContent('main')).includes('合肥市人事考试中心'), 'the approval does not name the unit');
  await shot(p2, 'console-approvals.png');
  await p2.click('button:text("批准")');
  await p2.waitForSelector('dialog[open]');
  const dlg = await p2.textContent('dialog[open]');
  // In words: the role's name, not its code, and the person by name.
  check(dlg.includes('考试机构工作人员') && !dlg.includes('agency_staff'), 'the confirmation does not say in words what is granted');
  check(/（[^）]+）/.test(dlg), 'the confirmation does not name the person');
  await p2.click('#dlg-ok');
  await p2.waitForSelector('#pending-count:text("0")');
  await p2.waitForSelector('p.lead:text("没有待审批的事项。")');
  await ctx2.close();

  // ---- the integrity archive by hand: grounds, then a second person (INF-5(5), INF-4) ----
  await page.goto(base + '/console.html#/r/archive_entries/new');
  await page.waitForSelector('#record-form #in-grounds');
  await page.selectOption('#in-unit_id', String(ah.body.id));
  await page.selectOption('#in-id_type', 'resident_id');
  await page.fill('#in-id_number', '110105194912310021');
  await page.fill('#in-person_name', '钱七');
  await page.selectOption('#in-kind', 'civil_service');
  await page.selectOption('#in-effect', 'ban');
  await page.fill('#in-term_start', '2026-03-01');
  await page.fill('#in-term_end', '2031-02-28');
  await page.fill('#in-source_decision', '皖公考〔2026〕3号');
  await page.click('#save');
  // Without grounds: said next to the field, nothing asked for.
  await page.waitForSelector('#in-grounds-err:not([hidden])');
  check((await page.getAttribute('#in-grounds', 'aria-invalid')) === 'true', 'the grounds are not marked');
  await page.fill('#in-grounds', '皖公考〔2026〕3号处理决定书及送达回证');
  await page.click('#save');
  await page.waitForSelector('#toast:text("已提交，待另一名工作人员审核")');
  check((await call(A, 'GET', '/api/v1/archive_entries')).body.items.length === 0, 'a pending entry is in the archive');
  await page.waitForSelector('#pending-count:text("1")');
  const ctxA = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const pA = await ctxA.newPage();
  watch(pA);
  await login(pA, 'admin2', admin2Pass);
  await pA.click('#nav a[href="#/approvals"]');
  await pA.waitForSelector('button:text("批准")');
  const arow = await pA.textContent('.table-wrap tbody tr');
  check(arow.includes('诚信档案') && arow.includes('钱七') && arow.includes('皖公考〔2026〕3号处理决定书及送达回证'), 'the approval does not say what and why: ' + arow);
  check(!arow.includes('110105194912310021') && arow.includes('110105********0021'), 'the approval shows the identity number whole: ' + arow);
  await shot(pA, 'console-archive-approval.png');
  await pA.click('button:text("批准")');
  await pA.waitForSelector('dialog[open]');
  check((await pA.textContent('dialog[open]')).includes('诚信档案'), 'the confirmation does not name the register');
  await pA.click('#dlg-ok');
  await pA.waitForSelector('p.lead:text("没有待审批的事项。")');
  await ctxA.close();
  const entries = (await call(A, 'GET', '/api/v1/archive_entries')).body.items;
  check(entries.length === 1 && entries[0].person_name === '钱七', 'the approved entry is not in the archive');
  // Its history names the grounds and both people.
  await page.goto(base + '/console.html#/r/archive_entries/' + entries[0].id);
  await page.waitForSelector('#history table');
  check((await page.textContent('#history')).includes('皖公考〔2026〕3号处理决定书及送达回证（admin 提出，admin2 审核批准）'), 'the history does not show the grounds');

  // ---- the walls: a Hefei agency user sees Hefei's centres only ----
  const ctx3 = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const p3 = await ctx3.newPage();
  watch(p3, /status of (403|404)/); // not an approver (403), C-AH not theirs (404)
  await login(p3, 'hf_staff', 'hf-staff-pass-1');
  await p3.click('#nav a[href="#/r/centres"]');
  await p3.waitForSelector('a.open:text("C1")');
  check(await rowsOf(p3, '.table-wrap').count() === 2, 'hf_staff does not see exactly Hefei\'s 2 centres');
  check(!(await p3.isVisible('a.open:text("C-AH")')), 'hf_staff sees a provincial centre');
  check(!(await p3.isVisible('#nav a[href="#/approvals"]')), 'hf_staff is offered the approvals queue');
  await p3.goto(base + '/console.html#/r/centres/' + cAH.body.id);
  await p3.waitForSelector('.alert.bad');
  check((await p3.textContent('.alert.bad')).includes('找不到该记录'), 'another unit\'s centre is not hidden');
  await ctx3.close();

  // ---- English: labels from the registers endpoint, <html lang="en"> ----
  await page.goto(base + '/console.html#/r/centres/' + c1);
  await page.waitForSelector('#history table');
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('#history th:text("Time (China)")');
  // The rooms below the centre are re-read in English on their own: wait for them too.
  await page.waitForSelector('main :text("Room number")', { timeout: 10000 }).catch(() => {});
  check(await page.getAttribute('html', 'lang') === 'en', 'html lang is not en');
  const en = await page.textContent('main');
  for (const w of ['Centre name', 'Administrative level', 'Rooms', 'History', 'Room number', 'Paper', 'Changed']) check(en.includes(w), 'English view lacks ' + w);
  check((await page.textContent('#nav')).includes('Centres and rooms'), 'navigation not in English');
  await shot(page, 'console-en.png');
  await page.click('#nav a[href="#/r/centres"]');
  await page.waitForSelector('h1:text("Centres")');
  check((await page.textContent('thead')).includes('Centre code'), 'English table headers');
  check((await page.textContent('.badge.bad')).includes('Rectification pending'), 'English badge');

  // ---- a phone: the console's list scrolls inside its box, not the page ----
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(200);
  const consoleWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(consoleWidth <= 360, 'the console scrolls sideways on a 360-px screen: ' + consoleWidth);
  await page.click('button[data-lang="zh-CN"]');
  await page.waitForSelector('h1:text("考点")');
  // The navigation folds into a menu button.
  check(!(await page.isVisible('#nav a[href="#/r/rooms"]')), 'the navigation is not folded on a phone');
  await page.click('#nav-toggle');
  check(await page.getAttribute('#nav-toggle', 'aria-expanded') === 'true', 'menu button state');
  check(await page.isVisible('#nav a[href="#/r/rooms"]'), 'the menu does not open');
  await page.click('#nav-toggle');
  await shot(page, 'console-mobile.png');

  // Logging out ends the session.
  await page.click('#logout');
  await page.waitForSelector('#login');
  check((await ctx.request.get(base + '/api/v1/me')).status() === 401, 'still logged in after logout');

  // ---- the candidate portal on a 360-px phone ----
  const ctx4 = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  const p4 = await ctx4.newPage();
  watch(p4);
  await p4.goto(base + '/portal.html');
  await p4.waitForSelector('#journey li');
  check(await p4.getAttribute('html', 'lang') === 'zh-CN', 'portal not zh-CN');
  check(await p4.locator('#journey li').count() === 11, 'the journey does not have 11 steps');
  const steps = await p4.textContent('#journey');
  for (const w of ['注册', '个人信息', '职位', '承诺', '提交', '缴费', '审核结果', '准考证', '成绩', '复查', '证书']) check(steps.includes(w), 'the journey lacks ' + w);
  check((await p4.textContent('.notice')).includes('报名随考试公告开放'), 'no note that registration opens with the notices');
  const portalWidth = await p4.evaluate(() => document.documentElement.scrollWidth);
  check(portalWidth <= 360, 'the portal scrolls sideways on a 360-px screen: ' + portalWidth);
  await p4.screenshot({ path: join(shots, 'portal-mobile.png'), fullPage: true });
  await p4.click('button[data-lang="en"]');
  check(await p4.getAttribute('html', 'lang') === 'en', 'portal lang not switched');
  check((await p4.textContent('h1')) === 'Apply for a personnel examination', 'portal title in English');
  check(await p4.evaluate(() => document.documentElement.scrollWidth) <= 360, 'the English portal scrolls sideways');
  await ctx4.close();

  if (problems.length) fail('console errors: ' + problems.join(' | '));
  console.log('ok: console and portal in Chromium');
} finally {
  await browser.close();
  await http.dispose();
}
