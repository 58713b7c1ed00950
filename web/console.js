// kaowu staff console: the registers (tables, forms, import, export, history) built from
// GET /api/v1/registers, and the maker-checker approvals. Hash-routed, no framework:
//   #/                      overview
//   #/r/<table>?q=&<field>= a register's list
//   #/r/<table>/new?<field>=&return=   a new record (fields prefilled)
//   #/r/<table>/import      CSV import (dry run first)
//   #/r/<table>/<id>        a record: its fields, its dependants, its history
//   #/r/<table>/<id>/edit   change it (PATCH with If-Match)
//   #/approvals             pending approvals
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考务系统', console: '工作台', skip: '跳到正文', nav: '功能导航', menu: '菜单', loading: '加载中…',
      logout: '退出登录', home: '工作台首页', seating: '考场编排', proctors: '监考抽签', corrections: '准考证信息更正', scoring: '客观题评分', interview: '面试组织', examiner: '面试考官评分', reviews: '成绩复核与证书', cases: '违纪违规案件', archive: '诚信档案库',
      'g-org': '组织机构', 'g-venue': '考点考场', 'g-staff': '考务人员', 'g-integrity': '违纪与诚信', 'g-other': '其他', 'g-approvals': '待审批',
      approvals: '待审批事项', welcome: '欢迎，{name}', 'your-roles': '您的角色：', 'no-role': '（暂无角色）',
      'home-lead': '从左侧选择一个登记簿：可以搜索、筛选、排序、导出 Excel、新增、导入 CSV，每条记录都能查看修改记录。',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      search: '搜索', 'search-btn': '搜索', 'search-in': '可按{fields}搜索', clear: '清除条件', all: '全部',
      filters: '筛选', new: '新增', import: '导入 CSV', export: '导出 Excel', 'load-more': '加载更多',
      shown: '已显示 {n} 条', 'shown-more': '已显示 {n} 条，还有更多（点“加载更多”）', none: '没有符合条件的记录。',
      open: '查看详情：{label}', edit: '修改', save: '保存', cancel: '取消', back: '返回列表', close: '关闭',
      details: '详细信息', history: '修改记录', 'history-note': '谁、何时、改了什么（审计记录，最新的在前）。',
      'h-time': '时间（北京时间）', 'h-actor': '操作人', 'h-action': '操作', 'h-detail': '内容',
      'a-create': '新建', 'a-update': '修改', 'a-import': '批量导入', 'k-user': '用户', 'k-operator': '命令行',
      'k-system': '系统', 'import-rows': '随一批 {n} 行导入（编码 {enc}）', 'created-with': '新建时的内容',
      'no-history': '暂无记录。', yes: '是', no: '否', 'created-at': '创建时间', 'updated-at': '最后修改',
      saved: '已保存。', 'no-change': '没有修改任何内容。',
      stale: '保存失败：这条记录刚刚被其他人修改过。已载入最新内容，请核对后重新修改。',
      'fix-errors': '请修改下面标出的 {n} 处问题：', required: '必填', 'fixed-hint': '创建后不能修改',
      'range-hint': '{min}–{max}', 'max-hint': '最多 {max} 字', 'date-hint': '年-月-日', choose: '请选择',
      'new-title': '新增{reg}', 'edit-title': '修改{reg}：{label}', 'import-title': '导入{reg}（CSV）',
      'import-help': '第一行是列名：可用下表中的“列名”、中文名或英文名，顺序不限，非必填的列可以省略。引用其他记录时填它的代码（考场填考点内的考场号）。文件可以是 Excel 工作簿（.xlsx，读取第一个工作表，出错时按 Excel 行号提示），也可以是 UTF-8 或 GB18030 编码的 CSV。先检查，没有问题再导入；有一处问题则一条也不导入。',
      'col-key': '列名', 'col-zh': '中文名', 'col-en': '英文名', 'col-req': '必填', 'col-about': '说明',
      file: 'CSV 文件', check: '检查文件', 'do-import': '导入', template: '下载模板（CSV）',
      'check-ok': '检查通过：文件没有发现问题（编码 {enc}）。可以导入。', imported: '已导入 {n} 条记录。',
      'import-bad': '文件有 {n} 处问题，未导入任何记录。请改正后重新检查：',
      'col-line': '行号', 'col-column': '列', 'col-field': '字段', 'col-problem': '问题',
      'cols-bad': '列名与登记簿不符，未导入任何记录。', 'cols-unknown': '不认识的列：', 'cols-missing': '缺少必需的列：',
      'confirm-import': '确认导入这个文件？文件中的全部记录将写入“{reg}”并立即生效；导入后只能逐条修改，不能整体撤销。',
      'choose-file': '请先选择文件。', 'checking': '正在检查…', 'importing': '正在导入…', confirm: '确认',
      'ap-none': '没有待审批的事项。', 'ap-count': '共 {n} 项待审批，最早一项提交于 {at}（已等待 {age}）。',
      'ap-id': '编号', 'ap-kind': '事项', 'ap-what': '内容', 'ap-maker': '提出人', 'ap-at': '提交时间（北京时间）',
      'ap-actions': '处理', approve: '批准', reject: '驳回', reason: '驳回理由（将告知提出人）',
      'ap-own': '由您提出：须由另一位有审批权限的人员批准', 'ap-grant': '授予角色', 'ap-user': '用户 #{id}',
      'ap-at-unit': '{role}（单位：{unit}）',
      'confirm-approve': '批准后，{what}，立即生效。确定批准吗？', approved: '已批准。', rejected: '已驳回。',
      'need-reason': '请填写驳回理由。', 'not-found': '找不到该记录，或它不在您的管辖范围内。',
      'photo_required-hint': '勾选后，考生须先上传本人照片才能提交报名（现场报名也一样）；准考证要用照片。',
      'photo_required-null': '否（本设置出现之前创建的考试）',
      offline: '无法连接服务器，请检查网络后重试。', 'no-list': '该登记簿没有列表接口。',
      'add-child': '新增{reg}', 'hours': '{n} 小时', 'minutes': '{n} 分钟', 'days': '{n} 天',
      'c-blocked': '整改未完成，不得作为考点', 'c-qualified-true': '已培训合格', 'c-qualified-false': '未培训合格',
      'table-of': '{reg}列表（可左右滚动）', 'sort-by': '按“{col}”排序', 'id-of': '记录 #{id}',
      'id-hint': '填写记录的编号（ID）', 'code-of': '{reg}的代码', 'p-required': '必须填写', 'p-too_short': '至少 {min} 个字', 'p-too_long': '不能超过 {max} 个字', 'p-range': '应在 {min} 到 {max} 之间',
      'p-date_format': '日期应为“年-月-日”格式', 'p-not_allowed': '不是可选的值', 'p-type': '值的格式不对',
      'p-control_char': '含有不可见的控制字符', 'p-ref_not_found': '所选记录不存在，或不在您的管辖范围内', 'p-not_an_exam_area': '不是本考试所在省份的考区',
      'p-ref_mismatch': '与本记录的其他关联不一致（例如考场不属于所选考点）', 'p-fixed': '创建后不能修改',
      'p-fixed_by_template': '由全国考前规则模板确定', 'p-not_a_template': '所选考试不是规则模板', 'p-template_nested': '规则模板不能再引用模板',
      'p-template_stays_template': '规则模板只能保持为模板或撤销', 'p-subjects_from_template': '科目来自规则模板，只能设置收费标准',
      'p-unknown': '不认识的字段', 'p-before_start': '不能早于开始日期', 'p-cbt_only': '只有计算机考试的考场才设置',
      'p-only_when_corrected': '只有结论为“已整改”时才填写', 'p-self': '不能指向本人',
      'p-orphan': '找不到对应的记录（或不在您的管辖范围内）', 'p-duplicate': '系统中已有相同编号的记录',
      'p-duplicate_in_file': '与文件中前面的行重复', 'p-encoding': '文字编码无法识别',
      duplicate: '已有相同编号的记录：{key}。',
      grounds: '变更依据', 'grounds-hint': '写明新的确凿证据或法律依据（文书名称、文号等）；提交后须经另一名工作人员审核才生效。',
      pending: '已提交，待另一名工作人员审核。', 'pending-import': '已提交 {n} 条记录，待另一名工作人员审核；审核通过后一并写入。',
      'confirm-import-checked': '确认提交这个文件？文件中的全部记录将作为一项变更，经另一名工作人员审核通过后一并写入“{reg}”；审核前不生效。',
      'ap-create': '新增', 'ap-update': '修改', 'ap-import': '批量导入', 'ap-grounds': '依据：', 'ap-rows': '共 {n} 条', 'ap-more': '……另有 {n} 条',
      'ap-record': '{reg} #{id}', 'confirm-approve-change': '批准后，这项变更（{what}）立即写入并生效。确定批准吗？',
      'k-score_publication.publish': '成绩发布', 'k-score_review.correct': '成绩复核更正', 'k-qualified_list.confirm': '合格人员名单确认', 'k-certificate.revoke': '证书撤销',
      'sx-pub': '{exam}：第 {id} 号成绩发布，{n} 名考生', 'sx-pub-what': '发布“{exam}”的成绩（{n} 名考生），考生即可查询',
      'sx-review': '{exam}：第 {id} 号复核申请，准考证号 {t}，科目 {s}：{from} 分 → {to} 分', 'sx-review-what': '第 {id} 号复核申请的成绩更正为 {to} 分（最终成绩）',
      'sx-cause': '原因：{c}；说明：{r}',
      'sx-list': '{exam}：第 {id} 号合格人员名单，合格 {q} 人，暂缓 {w} 人', 'sx-list-what': '确认“{exam}”的合格人员名单（{q} 人）并颁发证书',
      'sx-revoke': '{exam}：证书 {n}', 'sx-revoke-what': '撤销证书 {n}', 'sx-reason': '理由：{r}', 'sx-digest': '摘要 {d}',
      'sx-open': '到成绩复核与证书页', 'sx-open-pub': '到成绩发布页',
      'h-grounds': '依据：{grounds}（{maker} 提出，{checker} 审核批准）',
    },
    en: {
      brand: 'kaowu', console: 'Console', skip: 'Skip to content', nav: 'Navigation', menu: 'Menu', loading: 'Loading…',
      logout: 'Log out', home: 'Console home', seating: 'Seating', proctors: 'Proctor lottery', corrections: 'Ticket corrections', scoring: 'Objective scoring', interview: 'Interviews', examiner: 'Examiner scoring', reviews: 'Score review & certificates', cases: 'Violation cases', archive: 'Integrity archive',
      'g-org': 'Organisation', 'g-venue': 'Centres and rooms', 'g-staff': 'Exam staff', 'g-integrity': 'Violations and integrity', 'g-other': 'Other', 'g-approvals': 'Approvals',
      approvals: 'Pending approvals', welcome: 'Welcome, {name}', 'your-roles': 'Your roles: ', 'no-role': '(no role yet)',
      'home-lead': 'Choose a register on the left: search, filter, sort, export to Excel, add, import CSV; every record shows its history.',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      search: 'Search', 'search-btn': 'Search', 'search-in': 'Searches {fields}', clear: 'Clear', all: 'All',
      filters: 'Filters', new: 'Add', import: 'Import CSV', export: 'Export Excel', 'load-more': 'Load more',
      shown: '{n} shown', 'shown-more': '{n} shown; there are more ("Load more")', none: 'No matching records.',
      open: 'Open: {label}', edit: 'Edit', save: 'Save', cancel: 'Cancel', back: 'Back to the list', close: 'Close',
      details: 'Details', history: 'History', 'history-note': 'Who changed what, and when (the audit trail, newest first).',
      'h-time': 'Time (China)', 'h-actor': 'By', 'h-action': 'Action', 'h-detail': 'What',
      'a-create': 'Created', 'a-update': 'Changed', 'a-import': 'Imported', 'k-user': 'user', 'k-operator': 'command line',
      'k-system': 'system', 'import-rows': 'imported in a batch of {n} rows ({enc})', 'created-with': 'Values at creation',
      'no-history': 'No entries.', yes: 'Yes', no: 'No', 'created-at': 'Created', 'updated-at': 'Last changed',
      saved: 'Saved.', 'no-change': 'Nothing was changed.',
      stale: 'Not saved: someone changed this record a moment ago. The current version is loaded; check it and make your change again.',
      'fix-errors': 'Please correct the {n} problem(s) marked below:', required: 'required', 'fixed-hint': 'cannot be changed after creation',
      'range-hint': '{min}–{max}', 'max-hint': 'up to {max} characters', 'date-hint': 'YYYY-MM-DD', choose: 'Choose…',
      'new-title': 'New: {reg}', 'edit-title': 'Edit {reg}: {label}', 'import-title': 'Import {reg} (CSV)',
      'import-help': 'The first row names the columns: by the column name, the Chinese or the English label below, in any order; optional columns may be left out. Refer to another record by its code (a room by its number in its centre). An Excel workbook (.xlsx: its first sheet; problems are named by Excel row), or CSV in UTF-8 or GB18030. Check first; one problem and nothing is imported.',
      'col-key': 'Column', 'col-zh': 'Chinese', 'col-en': 'English', 'col-req': 'Required', 'col-about': 'Values',
      file: 'CSV file', check: 'Check file', 'do-import': 'Import', template: 'Download a template (CSV)',
      'check-ok': 'Check passed: no problems found (encoding {enc}). You can import it.', imported: '{n} records imported.',
      'import-bad': 'The file has {n} problem(s); nothing was imported. Correct them and check again:',
      'col-line': 'Line', 'col-column': 'Column', 'col-field': 'Field', 'col-problem': 'Problem',
      'cols-bad': 'The columns do not match the register; nothing was imported.', 'cols-unknown': 'Unknown columns: ', 'cols-missing': 'Missing required columns: ',
      'confirm-import': 'Import this file? All its records go into "{reg}" and take effect at once; afterwards they can only be changed one by one.',
      'choose-file': 'Choose a file first.', 'checking': 'Checking…', 'importing': 'Importing…', confirm: 'Confirm',
      'ap-none': 'Nothing is waiting for approval.', 'ap-count': '{n} waiting; the oldest was submitted {at} ({age} ago).',
      'ap-id': 'No.', 'ap-kind': 'Request', 'ap-what': 'Details', 'ap-maker': 'Requested by', 'ap-at': 'Submitted (China time)',
      'ap-actions': 'Decision', approve: 'Approve', reject: 'Reject', reason: 'Reason for rejecting (the requester sees it)',
      'ap-own': 'Yours: another person with approval rights must decide', 'ap-grant': 'Grant roles', 'ap-user': 'user #{id}',
      'ap-at-unit': '{role} (unit: {unit})',
      'confirm-approve': 'Once approved, {what}, with immediate effect. Approve?', approved: 'Approved.', rejected: 'Rejected.',
      'need-reason': 'Give a reason for rejecting.', 'not-found': 'Not found, or not within your units.',
      'photo_required-hint': 'When ticked, a candidate must upload their photo before submitting (on site too); the admission ticket shows it.',
      'photo_required-null': 'No (an exam created before this setting existed)',
      offline: 'Cannot reach the server. Check the connection and try again.', 'no-list': 'This register has no list.',
      'add-child': 'Add to {reg}', 'hours': '{n} h', 'minutes': '{n} min', 'days': '{n} days',
      'c-blocked': 'Rectification pending: not to be used', 'c-qualified-true': 'Trained', 'c-qualified-false': 'Not trained',
      'table-of': '{reg} (scrolls sideways)', 'sort-by': 'Sort by "{col}"', 'id-of': 'record #{id}',
      'id-hint': 'the record\'s number (ID)', 'code-of': 'the code of a record of {reg}', 'p-required': 'Required', 'p-too_short': 'At least {min} characters', 'p-too_long': 'At most {max} characters', 'p-range': 'Must be between {min} and {max}',
      'p-date_format': 'Use the date format YYYY-MM-DD', 'p-not_allowed': 'Not one of the allowed values', 'p-type': 'Wrong kind of value',
      'p-control_char': 'Contains invisible control characters', 'p-ref_not_found': 'The chosen record does not exist or is not within your units', 'p-not_an_exam_area': 'Not an exam area of the exam\'s province',
      'p-ref_mismatch': 'Does not agree with the record\'s other links (e.g. the room is not in the chosen centre)', 'p-fixed': 'Cannot be changed after creation',
      'p-fixed_by_template': 'Set by the national rule template', 'p-not_a_template': 'Not a rule template', 'p-template_nested': 'A template cannot name a template',
      'p-template_stays_template': 'A template stays a template (or is cancelled)', 'p-subjects_from_template': 'Subjects come from the template: set only the fees',
      'p-unknown': 'Unknown field', 'p-before_start': 'Cannot be before the start date', 'p-cbt_only': 'Only for computer-based rooms',
      'p-only_when_corrected': 'Only when the result is "corrected"', 'p-self': 'Cannot refer to itself',
      'p-orphan': 'No such record (or not within your units)', 'p-duplicate': 'A record with this key exists already',
      'p-duplicate_in_file': 'Repeats an earlier row of the file', 'p-encoding': 'The text encoding is not recognised',
      duplicate: 'A record with this key exists already: {key}.',
      grounds: 'Grounds', 'grounds-hint': 'New firm evidence or legal grounds (the document, its number); the change takes effect only when a second member of staff approves it.',
      pending: 'Submitted; waiting for a second member of staff to approve it.', 'pending-import': '{n} records submitted; they are written together once a second member of staff approves them.',
      'confirm-import-checked': 'Submit this file? All its records are one change, written into "{reg}" together once a second member of staff approves it; nothing takes effect before.',
      'ap-create': 'add', 'ap-update': 'change', 'ap-import': 'import', 'ap-grounds': 'Grounds: ', 'ap-rows': '{n} records', 'ap-more': '… and {n} more',
      'ap-record': '{reg} #{id}', 'confirm-approve-change': 'Approving writes this change ({what}) and it takes effect at once. Approve it?',
      'k-score_publication.publish': 'Publication of scores', 'k-score_review.correct': 'Score review correction', 'k-qualified_list.confirm': 'Qualified list', 'k-certificate.revoke': 'Certificate revocation',
      'sx-pub': '{exam}: publication {id}, {n} candidates', 'sx-pub-what': 'the scores of "{exam}" ({n} candidates) are published for look-up',
      'sx-review': '{exam}: review {id}, ticket {t}, subject {s}: {from} → {to}', 'sx-review-what': 'the score of review {id} becomes {to} (final)',
      'sx-cause': 'Cause: {c}; reason: {r}',
      'sx-list': '{exam}: qualified list {id}, {q} qualified, {w} withheld', 'sx-list-what': 'the qualified list of "{exam}" ({q}) is confirmed and certificates issued',
      'sx-revoke': '{exam}: certificate {n}', 'sx-revoke-what': 'certificate {n} is revoked', 'sx-reason': 'Reason: {r}', 'sx-digest': 'digest {d}',
      'sx-open': 'Open the review and certificates page', 'sx-open-pub': 'Open the publication page',
      'h-grounds': 'Grounds: {grounds} (asked for by {maker}, approved by {checker})',
    },
  };
  // The registers' groups in the navigation; a register not named here goes under "other".
  const GROUPS = [
    ['g-org', ['units', 'unit_responsibles', 'plans']],
    ['g-venue', ['centres', 'rooms', 'centre_agreements', 'inspections', 'layout_items', 'incidents']],
    ['g-staff', ['staff', 'trainings']],
    ['g-integrity', ['archive_entries', 'reports', 'staff_cases']],
  ];
  // Computed booleans whose value is a warning (true = bad) or a qualification (true = good).
  const TONE = { blocked: { true: 'bad' }, qualified: { true: 'ok', false: 'warn' } };

  const S = { me: null, regs: [], byTable: {}, refs: {}, pending: null, seq: 0, focus: null };
  let lang = cookie('lang');
  if (!TEXT[lang]) lang = 'zh-CN';
  const main = document.getElementById('view');

  // ---- small helpers ----
  function cookie(name) {
    const m = document.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]+)'));
    return m ? decodeURIComponent(m[1]) : null;
  }
  function t(key, vars) {
    let s = TEXT[lang][key];
    if (s === undefined) s = TEXT['zh-CN'][key];
    if (s === undefined) s = key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m)) : s;
  }
  const L = (o) => (o ? (lang === 'en' ? o.en : o.zh) || o.zh || o.name : '');
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'disabled') el[k] = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    add(el, kids);
    return el;
  }
  function add(el, kids) {
    for (const k of [kids].flat(Infinity)) {
      if (k === null || k === undefined || k === false) continue;
      el.append(k instanceof Node ? k : document.createTextNode(String(k)));
    }
    return el;
  }
  const href = (...parts) => '#/' + parts.map((p) => encodeURIComponent(p)).join('/');
  function csrf() { return sessionStorage.getItem('kw_csrf') || cookie('kw_csrf') || ''; }

  // Times are shown in China Standard Time, whatever the browser's zone.
  const CST = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  function cst(iso) {
    if (!iso) return '';
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    const p = {};
    CST.formatToParts(d).forEach((x) => { p[x.type] = x.value; });
    return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second}`;
  }
  function age(iso) {
    const min = Math.max(0, Math.round((Date.now() - new Date(iso)) / 60000));
    if (min < 60) return t('minutes', { n: min });
    if (min < 48 * 60) return t('hours', { n: Math.round(min / 60) });
    return t('days', { n: Math.round(min / 1440) });
  }

  // ---- the API ----
  async function api(method, path, opts = {}) {
    const headers = Object.assign({ Accept: 'application/json' }, opts.headers || {});
    let body = opts.body;
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf();
    if (body !== undefined && !opts.raw) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(body);
    }
    let r;
    try {
      r = await fetch(path, { method, headers, body, credentials: 'same-origin' });
    } catch (e) {
      return { ok: false, status: 0, json: { error: { code: 'OFFLINE', message: t('offline') } } };
    }
    let json = null;
    if (r.status !== 204) {
      try { json = await r.json(); } catch (e) { json = null; }
    }
    if (!r.ok && (!json || !json.error)) json = { error: { code: 'HTTP_' + r.status, message: 'HTTP ' + r.status } };
    if (r.status === 401 && path !== '/api/v1/session' && S.me) {
      S.me = null;
      showLogin(t('session-ended'));
    }
    return { ok: r.ok, status: r.status, json, etag: r.headers.get('ETag') };
  }
  const errText = (r) => (r.json && r.json.error ? r.json.error.message : 'HTTP ' + r.status);

  // ---- records referred to by ref fields: loaded once, shown by their code and name ----
  function refStore(table) {
    if (!S.refs[table]) S.refs[table] = { list: [], map: new Map(), loading: null };
    return S.refs[table];
  }
  function loadRef(table) {
    const st = refStore(table);
    if (!st.loading) {
      st.loading = (async () => {
        let items = [];
        if (table === 'units') {
          const r = await api('GET', '/api/v1/units');
          if (r.ok) items = r.json.items.map((u) => Object.assign({ parent_id: u.parent }, u));
        } else if (table === 'users') {
          // The accounts a staff record may be linked to (403 for roles that do not link them).
          const r = await api('GET', '/api/v1/users');
          if (r.ok) items = r.json.items;
        } else if (S.byTable[table] && S.byTable[table].can_read) {
          let cursor = null;
          for (let page = 0; page < 5; page++) {
            const r = await api('GET', `/api/v1/${table}?limit=1000` + (cursor ? '&cursor=' + cursor : ''));
            if (!r.ok) break;
            items = items.concat(r.json.items);
            cursor = r.json.next_cursor;
            if (!cursor) break;
          }
        }
        st.list = items;
        st.map = new Map(items.map((x) => [x.id, x]));
      })();
    }
    return st.loading;
  }
  function forgetRef(table) { delete S.refs[table]; }
  function recLabel(table, rec) {
    if (!rec) return '';
    if (table === 'units') return rec.name;
    if (table === 'users') return rec.display_name ? `${rec.display_name}（${rec.username}）` : rec.username;
    const parts = [rec.code, rec.name || rec.person_name || rec.title || rec.course].filter((x) => x);
    return parts.length ? parts.join(' ') : t('id-of', { id: rec.id });
  }
  function refText(table, id) {
    if (id === null || id === undefined) return '';
    const st = S.refs[table];
    const rec = st && st.map.get(id);
    if (rec) return recLabel(table, rec);
    if (table === 'users' && S.me && S.me.id === id) return S.me.username;
    return '#' + id;
  }
  function refsOf(reg) {
    return Promise.all([...new Set(reg.fields.filter((f) => f.type === 'ref').map((f) => f.ref))].map(loadRef));
  }

  // ---- values ----
  // The exam's photo setting (REG-4) is null on exams made before it existed: not required.
  function examNull(reg, f) { return reg.table === 'exams' && f.name === 'photo_required' ? t('photo_required-null') : ''; }
  function valueText(f, v) {
    if (v === null || v === undefined || v === '') return '';
    switch (f.type) {
      case 'enum': { const o = (f.values || []).find((x) => x.value === v); return o ? L(o) : v; }
      case 'bool': return v ? t('yes') : t('no');
      case 'ref': return refText(f.ref, v);
      default: return String(v);
    }
  }
  function computedCell(c, v) {
    if (c.type !== 'bool') return document.createTextNode(v === null || v === undefined ? '' : String(v));
    const tone = (TONE[c.name] || {})[String(v)];
    if (!tone) return document.createTextNode(v ? t('yes') : t('no'));
    const key = TEXT[lang]['c-' + c.name + '-' + v] ? 'c-' + c.name + '-' + v : (v ? 'c-' + c.name : null);
    const text = key && TEXT[lang][key] ? t(key) : L(c);
    return h('span', { class: 'badge ' + tone }, text);
  }
  // A field's problem in words; the problem's own limits (min, max) win over the field's.
  function problemText(f, p, extra) {
    const vars = { min: f ? f.min : undefined, max: f ? f.max : undefined };
    for (const k of ['min', 'max']) if (extra && extra[k] !== undefined) vars[k] = extra[k];
    const k = 'p-' + p;
    // A problem this page does not know yet: the server's own words (details[].message).
    return TEXT[lang][k] ? t(k, vars) : (extra && extra.message) || p;
  }
  function regOfField(reg, name) {
    return reg.fields.find((f) => f.name === name) || (reg.checked && name === 'grounds' ? GROUNDS : undefined);
  }
  // A change by hand of a checked register (the integrity archive) carries its grounds and
  // waits for a second person (maker-checker; INF-4, INF-5(5)).
  const GROUNDS = { name: 'grounds', type: 'text', zh: '变更依据', en: 'Grounds', max: 1000, required: true };

  // ---- page frame ----
  function toast(msg) {
    const el = document.getElementById('toast');
    el.textContent = msg;
    el.hidden = false;
    toast.at = Date.now();
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.hidden = true; }, 5000);
  }
  function mount(seq, ...kids) {
    if (seq !== S.seq) return false;
    main.replaceChildren(...kids.flat());
    const want = S.focus && document.getElementById(S.focus);
    S.focus = null;
    if (want) want.focus();
    else if (S.routed) {
      // A new view in the same page: reading (and Tab) continue from its heading.
      window.scrollTo(0, 0);
      const h1 = main.querySelector('h1');
      if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
    }
    S.routed = true;
    return true;
  }
  function alertBox(msg, kind) { return h('p', { class: 'alert ' + (kind || 'bad'), role: 'alert' }, msg); }
  function crumbs(...items) {
    return h('nav', { class: 'crumbs', 'aria-label': t('nav') },
      items.map((it, i) => [i ? h('span', { 'aria-hidden': 'true' }, ' › ') : null,
        it[1] ? h('a', { href: it[1] }, it[0]) : h('span', { 'aria-current': 'page' }, it[0])]));
  }

  function renderChrome() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    const who = document.getElementById('who');
    who.hidden = !S.me;
    if (S.me) {
      const roles = S.me.role_names && S.me.role_names.length ? S.me.role_names.join('、') : t('no-role');
      document.getElementById('me-name').textContent = `${S.me.display_name} (${S.me.username}) · ${roles}`;
    }
    renderNav();
  }

  function renderNav() {
    const nav = document.getElementById('nav');
    const box = document.getElementById('nav-groups');
    nav.hidden = !S.me;
    if (!S.me) return;
    const readable = S.regs.filter((r) => r.can_read);
    const named = new Set(GROUPS.flatMap((g) => g[1]));
    const groups = GROUPS.map(([k, tables]) => [k, tables.map((x) => S.byTable[x]).filter((r) => r && r.can_read)]);
    groups.push(['g-other', readable.filter((r) => !named.has(r.table))]);
    const cur = location.hash || '#/';
    const link = (text, to, extra) => h('li', null, h('a', {
      href: to, 'aria-current': cur === to || cur.startsWith(to + '/') || cur.startsWith(to + '?') ? 'page' : null,
    }, text, extra || null));
    const kids = [h('ul', { class: 'home-link' }, link(t('home'), '#/'), link(t('seating'), '/seating.html'), link(t('proctors'), '/proctors.html'), link(t('corrections'), '/corrections.html'), link(t('scoring'), '/scoring.html'), link(t('interview'), '/interview.html'), link(t('examiner'), '/examiner.html'), link(t('reviews'), '/reviews.html'), link(t('cases'), '/cases.html'), link(t('archive'), '/archive.html'))];
    for (const [k, regs] of groups) {
      if (!regs.length) continue;
      const id = 'nav-' + k;
      kids.push(h('section', { 'aria-labelledby': id }, h('h3', { id }, t(k)),
        h('ul', null, regs.map((r) => link(L(r), href('r', r.table))))));
    }
    if (S.pending) {
      const n = S.pending.length;
      kids.push(h('section', { 'aria-labelledby': 'nav-ap' }, h('h3', { id: 'nav-ap' }, t('g-approvals')),
        h('ul', null, link(t('approvals'), '#/approvals', h('span', { class: 'count' + (n ? ' has' : ''), id: 'pending-count' }, String(n))))));
    }
    box.replaceChildren(...kids);
  }

  async function loadPending() {
    const r = await api('GET', '/api/v1/approvals?status=pending');
    S.pending = r.ok ? r.json.items : null; // 403: this user does not decide approvals
    renderNav();
  }

  // ---- login ----
  function showLogin(msg) {
    S.seq++;
    renderChrome();
    const err = h('p', { class: 'alert bad', role: 'alert', id: 'login-error', hidden: !msg }, msg || '');
    const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, maxlength: '64' });
    const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: '256' });
    const form = h('form', { id: 'login', class: 'stack narrow', novalidate: true, onsubmit: async (ev) => {
      ev.preventDefault();
      err.hidden = true;
      if (!user.value.trim() || !pass.value) { err.textContent = t('need-both'); err.hidden = false; return; }
      const r = await api('POST', '/api/v1/session', { body: { username: user.value.trim(), password: pass.value } });
      if (!r.ok) { err.textContent = errText(r); err.hidden = false; return; }
      sessionStorage.setItem('kw_csrf', r.json.csrf_token);
      pass.value = '';
      S.routed = true; // the form is gone: the focus goes to the new view's heading
      await start();
    } },
    h('label', { for: 'username' }, t('username')), user,
    h('label', { for: 'password' }, t('password')), pass,
    h('button', { type: 'submit', class: 'primary' }, t('login')), err);
    main.replaceChildren(h('h1', null, t('login-title')), h('section', { class: 'card' }, form));
    user.focus();
  }

  // ---- routing ----
  function parseHash() {
    const raw = location.hash.replace(/^#\/?/, '');
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    return { parts: path.split('/').filter((x) => x).map(decodeURIComponent), params: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
  }
  async function route() {
    if (!S.me) return;
    const seq = ++S.seq;
    // A message outlives the page it was said on only briefly (a save, then its record).
    if (Date.now() - (toast.at || 0) > 1500) document.getElementById('toast').hidden = true;
    setMenu(false);
    renderNav();
    const { parts, params } = parseHash();
    try {
      if (!parts.length) return viewHome(seq);
      if (parts[0] === 'approvals') return await viewApprovals(seq);
      if (parts[0] === 'r') {
        const reg = S.byTable[parts[1]];
        if (!reg || !reg.can_read) return mount(seq, h('h1', null, t('not-found')));
        if (parts.length === 2) return await viewList(seq, reg, params);
        if (parts[2] === 'new') return await viewForm(seq, reg, null, params);
        if (parts[2] === 'import') return viewImport(seq, reg);
        const id = Number(parts[2]);
        if (parts[3] === 'edit') return await viewForm(seq, reg, id, params);
        return await viewDetail(seq, reg, id);
      }
      mount(seq, h('h1', null, t('not-found')));
    } catch (e) {
      mount(seq, h('h1', null, t('console')), alertBox(String(e)));
      throw e;
    }
  }
  window.addEventListener('hashchange', route);

  // ---- overview ----
  function viewHome(seq) {
    const roles = S.me.role_names && S.me.role_names.length ? S.me.role_names.join('、') : t('no-role');
    const named = new Set(GROUPS.flatMap((g) => g[1]));
    const groups = GROUPS.map(([k, tables]) => [k, tables.map((x) => S.byTable[x]).filter((r) => r && r.can_read)]);
    groups.push(['g-other', S.regs.filter((r) => r.can_read && !named.has(r.table))]);
    const cards = groups.filter((g) => g[1].length).map(([k, regs]) => h('section', { class: 'card' },
      h('h2', null, t(k)), h('ul', { class: 'links' }, regs.map((r) => h('li', null, h('a', { href: href('r', r.table) }, L(r)))))));
    if (S.pending) {
      const oldest = S.pending.length ? S.pending[S.pending.length - 1] : null;
      cards.push(h('section', { class: 'card' }, h('h2', null, t('g-approvals')),
        h('p', null, oldest ? t('ap-count', { n: S.pending.length, at: cst(oldest.created_at), age: age(oldest.created_at) }) : t('ap-none')),
        h('p', null, h('a', { href: '#/approvals' }, t('approvals')))));
    }
    mount(seq, h('h1', null, t('welcome', { name: S.me.display_name })),
      h('p', { class: 'muted' }, t('your-roles'), roles), h('p', { class: 'lead' }, t('home-lead')),
      h('div', { class: 'cards' }, cards));
  }

  // ---- a register's list ----
  function listUrl(reg, params, extra) {
    const q = new URLSearchParams();
    for (const [k, v] of params) if (v !== '' && k !== 'format') q.set(k, v);
    for (const [k, v] of Object.entries(extra || {})) q.set(k, v);
    return `/api/v1/${reg.table}?` + q.toString();
  }
  // Units have their own list (all the caller reaches, no cursor): filtered here.
  function unitsFilter(items, params) {
    const q = (params.get('q') || '').toLowerCase();
    return items.filter((u) => {
      for (const [k, v] of params) {
        if (k === 'q') continue;
        if (String(u[k]) !== v) return false;
      }
      return !q || String(u.code).toLowerCase().includes(q) || String(u.name).toLowerCase().includes(q);
    });
  }
  async function fetchPage(reg, params, cursor) {
    if (reg.table === 'units') {
      forgetRef('units');
      await loadRef('units');
      return { ok: true, json: { items: unitsFilter(S.refs.units.list, params), next_cursor: null } };
    }
    const extra = { limit: '100' };
    if (cursor) extra.cursor = cursor;
    return api('GET', listUrl(reg, params, extra));
  }

  const filterable = (f) => f.type === 'enum' || f.type === 'bool' || (f.type === 'ref' && f.ref !== 'users');
  function linkField(reg) {
    return reg.fields.find((f) => f.name === 'code') || reg.fields.find((f) => f.name === 'name') ||
      reg.fields.find((f) => f.type === 'text' && f.search) || null;
  }

  // The table of records of reg (rows appended later with addRows); hide: fields not shown.
  function recordTable(reg, opts = {}) {
    const hide = new Set(opts.hide || []);
    // What identifies a record first (its code and name), then the computed states (a
    // blocked centre is seen without scrolling), then the other fields in their order.
    const lf = linkField(reg);
    const idCol = !lf || hide.has(lf.name);
    const lead = reg.fields.filter((f) => !hide.has(f.name) && (f === lf || (f.name === 'name' && lf && lf.name === 'code')));
    const cols = lead.map((f) => ({ f, label: L(f), get: (r) => r[f.name] }));
    if (idCol) cols.unshift({ id: true, label: 'ID', get: (r) => r.id });
    for (const c of reg.computed || []) cols.push({ c, label: L(c), get: (r) => r[c.name] });
    for (const f of reg.fields) if (!hide.has(f.name) && !lead.includes(f)) cols.push({ f, label: L(f), get: (r) => r[f.name] });
    let rows = [];
    let sortBy = null;
    let dir = 1;
    const tbody = h('tbody');
    const ths = cols.map((col, i) => {
      const th = h('th', { scope: 'col', 'aria-sort': 'none' },
        h('button', { type: 'button', class: 'sort', title: t('sort-by', { col: col.label }), onclick: () => {
          dir = sortBy === i ? -dir : 1;
          sortBy = i;
          ths.forEach((x, j) => x.setAttribute('aria-sort', j === i ? (dir > 0 ? 'ascending' : 'descending') : 'none'));
          draw();
        } }, col.label));
      return th;
    });
    const table = h('table', { class: 'grid' + (opts.small ? ' small' : '') }, h('thead', null, h('tr', null, ths)), tbody);
    const collator = new Intl.Collator(lang === 'en' ? 'en' : 'zh-CN', { numeric: true });
    function sortKey(col, r) {
      const v = col.get(r);
      if (col.f && (col.f.type === 'enum' || col.f.type === 'ref')) return valueText(col.f, v);
      return v;
    }
    function cell(col, r) {
      const v = col.get(r);
      if (col.id || (lf && col.f === lf)) {
        const text = col.id ? '#' + r.id : valueText(col.f, v) || '#' + r.id;
        return h('td', { class: 'key' }, h('a', { href: href('r', reg.table, r.id), class: 'open',
          'aria-label': t('open', { label: text }), title: text }, text));
      }
      if (col.c) return h('td', { class: col.c.type === 'int' ? 'num' : null }, computedCell(col.c, v));
      const text = valueText(col.f, v);
      const cls = col.f.type === 'int' ? 'num' : (null);
      return h('td', { class: cls, title: text.length > 10 ? text : null }, text);
    }
    function draw() {
      let list = rows;
      if (sortBy !== null) {
        const col = cols[sortBy];
        list = rows.slice().sort((a, b) => {
          const x = sortKey(col, a), y = sortKey(col, b);
          if (x === y) return 0;
          if (x === null || x === undefined || x === '') return 1;
          if (y === null || y === undefined || y === '') return -1;
          return (typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y))) * dir;
        });
      }
      tbody.replaceChildren(...list.map((r) => h('tr', { 'data-id': String(r.id) }, cols.map((col) => cell(col, r)))));
    }
    const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table-of', { reg: L(reg) }) }, table);
    return { el: wrap, addRows(items) { rows = rows.concat(items); draw(); }, count: () => rows.length };
  }

  async function viewList(seq, reg, params) {
    await refsOf(reg);
    const first = await fetchPage(reg, params, null);
    const heading = h('h1', null, L(reg));
    if (!first.ok) return mount(seq, heading, alertBox(errText(first)));
    const go = (p) => { location.hash = href('r', reg.table) + (p.toString() ? '?' + p.toString() : ''); };

    // Search and filters: each change is a new address (bookmarkable, back button works).
    const searchFields = reg.fields.filter((f) => f.search).map(L);
    const q = h('input', { type: 'search', id: 'f-q', name: 'q', value: params.get('q') || '', 'aria-describedby': 'f-q-hint' });
    const filters = [];
    for (const f of reg.fields.filter(filterable)) {
      let opts = [];
      if (f.type === 'enum') opts = f.values.map((v) => [v.value, L(v)]);
      else if (f.type === 'bool') opts = [['true', t('yes')], ['false', t('no')]];
      else opts = (S.refs[f.ref] ? S.refs[f.ref].list : []).map((r) => [String(r.id), recLabel(f.ref, r)]);
      if (f.type === 'ref' && opts.length < 2 && !params.get(f.name)) continue;
      const id = 'f-' + f.name;
      const sel = h('select', { id, name: f.name, onchange: () => {
        const p = new URLSearchParams(params);
        if (sel.value) p.set(f.name, sel.value); else p.delete(f.name);
        S.focus = id;
        go(p);
      } }, h('option', { value: '' }, t('all')), opts.map(([v, text]) => h('option', { value: v }, text)));
      sel.value = params.get(f.name) || '';
      filters.push(h('div', { class: 'field' }, h('label', { for: id }, L(f)), sel));
    }
    const searchForm = h('form', { class: 'filters', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      const p = new URLSearchParams(params);
      if (q.value.trim()) p.set('q', q.value.trim()); else p.delete('q');
      S.focus = 'f-q';
      go(p);
    } },
    h('div', { class: 'field grow' }, h('label', { for: 'f-q' }, t('search')),
      h('div', { class: 'inline' }, q, h('button', { type: 'submit' }, t('search-btn'))),
      searchFields.length ? h('small', { id: 'f-q-hint', class: 'muted' }, t('search-in', { fields: searchFields.join(lang === 'en' ? ', ' : '、') })) : null),
    filters,
    [...params.keys()].length ? h('div', { class: 'field end' }, h('a', { href: href('r', reg.table), class: 'button ghost' }, t('clear'))) : null);

    const actions = h('div', { class: 'actions' });
    if (reg.can_write) {
      actions.append(h('a', { class: 'button primary', href: href('r', reg.table, 'new') + (params.toString() ? '?' + params.toString() : ''), id: 'new' }, t('new')));
      actions.append(h('a', { class: 'button', href: href('r', reg.table, 'import'), id: 'import' }, t('import')));
    }
    if (reg.table !== 'units') {
      actions.append(h('a', { class: 'button', id: 'export', href: listUrl(reg, params, { format: 'xlsx' }), download: reg.table + '.xlsx' }, t('export')));
    }

    const tbl = recordTable(reg);
    const status = h('p', { class: 'muted', 'aria-live': 'polite', id: 'list-status' });
    let cursor = first.json.next_cursor;
    const more = h('button', { type: 'button', id: 'more', hidden: !cursor, onclick: async () => {
      more.disabled = true;
      const r = await fetchPage(reg, params, cursor);
      more.disabled = false;
      if (!r.ok) { toast(errText(r)); return; }
      tbl.addRows(r.json.items);
      cursor = r.json.next_cursor;
      more.hidden = !cursor;
      showCount();
    } }, t('load-more'));
    function showCount() {
      status.textContent = tbl.count() ? t(cursor ? 'shown-more' : 'shown', { n: tbl.count() }) : t('none');
    }
    tbl.addRows(first.json.items);
    showCount();
    mount(seq, h('div', { class: 'titlebar' }, heading, actions), searchForm, status, tbl.el, h('p', null, more));
  }

  // ---- a record ----
  async function getRecord(reg, id) {
    if (reg.table === 'units') {
      forgetRef('units');
      await loadRef('units');
      const u = S.refs.units.map.get(id);
      return u ? { ok: true, json: u, etag: null } : { ok: false, status: 404, json: { error: { message: t('not-found') } } };
    }
    return api('GET', `/api/v1/${reg.table}/${id}`);
  }
  function recTitle(reg, rec) {
    const l = recLabel(reg.table, rec);
    return rec.code || rec.name || rec.person_name || rec.title || rec.course ? l : L(reg) + ' #' + rec.id;
  }

  async function viewDetail(seq, reg, id) {
    const [r] = await Promise.all([getRecord(reg, id), refsOf(reg)]);
    const back = crumbs([L(reg), href('r', reg.table)], [r.ok ? recTitle(reg, r.json) : '#' + id]);
    if (!r.ok) return mount(seq, back, h('h1', null, '#' + id), alertBox(r.status === 404 ? t('not-found') : errText(r)));
    const rec = r.json;
    const badges = (reg.computed || []).filter((c) => c.type === 'bool' && (TONE[c.name] || {})[String(rec[c.name])])
      .map((c) => computedCell(c, rec[c.name]));
    const actions = h('div', { class: 'actions' });
    if (reg.can_write && reg.updatable) actions.append(h('a', { class: 'button primary', id: 'edit', href: href('r', reg.table, id, 'edit') }, t('edit')));
    const dl = h('dl', { class: 'fields' });
    for (const f of reg.fields) add(dl, [h('dt', null, L(f)), h('dd', null, valueText(f, rec[f.name]) || examNull(reg, f) || '—')]);
    for (const c of reg.computed || []) add(dl, [h('dt', null, L(c)), h('dd', null, computedCell(c, rec[c.name]))]);
    if (rec.created_at) add(dl, [h('dt', null, t('created-at')), h('dd', null, cst(rec.created_at))]);
    if (rec.updated_at) add(dl, [h('dt', null, t('updated-at')), h('dd', null, cst(rec.updated_at))]);

    // The registers whose records belong to this one (a centre's rooms, agreements…).
    const children = S.regs.filter((c) => c.can_read && c.table !== reg.table && c.table !== 'units' &&
      (regOfField(c, c.scope) || {}).ref === reg.table);
    const sections = children.map((c, i) => childSection(c, reg, rec, i === 0));
    const hist = h('section', { class: 'card', 'aria-labelledby': 'hist-h', id: 'history' },
      h('h2', { id: 'hist-h' }, t('history')), h('p', { class: 'muted' }, t('history-note')), h('p', null, t('loading')));
    mount(seq, back, h('div', { class: 'titlebar' }, h('h1', null, recTitle(reg, rec), ' ', badges), actions),
      h('section', { class: 'card', 'aria-label': t('details') }, dl), sections, hist);
    loadHistory(reg, id, hist);
  }

  function childSection(c, parent, rec, open) {
    const scope = c.scope;
    const hid = 'child-' + c.table;
    const body = h('div', null, h('p', null, t('loading')));
    const addLink = c.can_write ? h('a', { class: 'button', id: 'add-' + c.table,
      href: href('r', c.table, 'new') + '?' + new URLSearchParams({ [scope]: rec.id, return: href('r', parent.table, rec.id) }) },
    t('add-child', { reg: L(c) })) : null;
    let loaded = false;
    async function load() {
      if (loaded) return;
      loaded = true;
      await refsOf(c);
      const r = await api('GET', `/api/v1/${c.table}?${scope}=${rec.id}&limit=1000`);
      if (!r.ok) { body.replaceChildren(alertBox(errText(r))); return; }
      if (!r.json.items.length) { body.replaceChildren(h('p', { class: 'muted' }, t('none'))); return; }
      const tbl = recordTable(c, { hide: [scope], small: true });
      tbl.addRows(r.json.items);
      body.replaceChildren(h('p', { class: 'muted' }, t(r.json.next_cursor ? 'shown-more' : 'shown', { n: r.json.items.length })), tbl.el);
    }
    const det = h('details', { class: 'card child', id: hid, open: open || null, ontoggle: () => { if (det.open) load(); } },
      h('summary', null, h('h2', null, L(c))), h('div', { class: 'actions' }, addLink), body);
    if (open) load();
    return det;
  }

  async function loadHistory(reg, id, box) {
    const r = await api('GET', `/api/v1/${reg.table}/${id}/history`);
    const note = box.querySelector('p.muted');
    if (!r.ok) { box.replaceChildren(box.firstChild, note, alertBox(errText(r))); return; }
    const items = r.json.items;
    if (!items.length) { box.replaceChildren(box.firstChild, note, h('p', null, t('no-history'))); return; }
    const rows = items.map((e) => {
      const verb = e.action.slice(e.action.lastIndexOf('.') + 1);
      const action = TEXT[lang]['a-' + verb] ? t('a-' + verb) : e.action;
      const kind = TEXT[lang]['k-' + e.actor_kind] ? t('k-' + e.actor_kind) : e.actor_kind;
      return h('tr', { 'data-action': e.action },
        h('td', { class: 'nowrap' }, cst(e.at)),
        h('td', null, e.actor || '—', ' ', h('small', { class: 'muted' }, '(' + kind + ')')),
        h('td', null, action), h('td', null, historyDetail(reg, verb, e.detail || {})));
    });
    box.replaceChildren(box.firstChild, note, h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('history') },
      h('table', { class: 'grid history' }, h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('h-time')), h('th', { scope: 'col' }, t('h-actor')),
        h('th', { scope: 'col' }, t('h-action')), h('th', { scope: 'col' }, t('h-detail')))),
      h('tbody', null, rows))));
  }

  function historyDetail(reg, verb, d) {
    const body = historyBody(reg, verb, d);
    if (!d.grounds) return body;
    return h('div', null, body, h('p', { class: 'muted grounds' }, t('h-grounds', { grounds: d.grounds, maker: d.maker || '', checker: d.checker || '' })));
  }
  function historyBody(reg, verb, d) {
    const fieldOf = (name) => regOfField(reg, name) || { name, type: 'text', zh: name, en: name };
    if (d.changes) {
      return h('ul', { class: 'changes' }, Object.entries(d.changes).map(([name, ch]) => {
        const f = fieldOf(name);
        return h('li', null, h('strong', null, L(f)), '：', h('del', null, valueText(f, ch.from) || '—'),
          h('span', { 'aria-hidden': 'true' }, ' → '), h('ins', null, valueText(f, ch.to) || '—'));
      }));
    }
    if (verb === 'import' || d.rows !== undefined) return t('import-rows', { n: d.rows, enc: d.encoding || '' });
    const keys = Object.keys(d).filter((k) => !['grounds', 'maker', 'checker', 'approval_id'].includes(k));
    if (!keys.length) return '';
    if (verb === 'create') {
      const dl = h('dl', { class: 'fields compact' });
      for (const f of reg.fields) if (d[f.name] !== undefined && d[f.name] !== null) add(dl, [h('dt', null, L(f)), h('dd', null, valueText(f, d[f.name]))]);
      return h('details', null, h('summary', null, t('created-with')), dl);
    }
    return h('code', null, JSON.stringify(d));
  }

  // ---- the form (new or edit) ----
  function control(f, id, value, disabled) {
    const common = { id, name: f.name, disabled, 'aria-describedby': id + '-hint ' + id + '-err', required: f.required && !disabled ? true : null };
    switch (f.type) {
      case 'enum': {
        const sel = h('select', common, h('option', { value: '' }, t('choose')), f.values.map((v) => h('option', { value: v.value }, L(v))));
        sel.value = value === null || value === undefined ? '' : String(value);
        return sel;
      }
      case 'bool': return h('input', Object.assign({}, common, { type: 'checkbox', checked: !!value, required: null }));
      case 'date': return h('input', Object.assign({}, common, { type: 'date', value: value || '' }));
      case 'int': return h('input', Object.assign({}, common, { type: 'number', step: '1', inputmode: 'numeric', min: f.min, max: f.max, value: value === null || value === undefined ? '' : String(value) }));
      case 'ref':
        if ((f.ref === 'users' && !(S.refs.users && S.refs.users.list.length)) ||
            (f.ref !== 'units' && f.ref !== 'users' && !(S.byTable[f.ref] && S.byTable[f.ref].can_read))) {
          // No list to choose from (accounts have none here): the record's number.
          return h('input', Object.assign({}, common, { type: 'number', step: '1', min: '1', value: value === null || value === undefined ? '' : String(value) }));
        }
        return h('select', common); // options filled by fillRef
      default:
        if (f.max && f.max > 200) return h('textarea', Object.assign({}, common, { rows: '3', maxlength: f.max, value: value || '' }));
        return h('input', Object.assign({}, common, { type: 'text', maxlength: f.max, value: value || '' }));
    }
  }

  // A ref select's options; a ref to a record that shares a ref field with this form (an
  // inspection's room and its centre) lists only the records that agree with the form.
  function fillRef(reg, f, sel, form, value) {
    if (sel.tagName !== 'SELECT') return;
    const target = S.byTable[f.ref];
    let list = S.refs[f.ref].list;
    for (const g of (target ? target.fields : [])) {
      if (g.type !== 'ref' || g.name === f.name || !regOfField(reg, g.name)) continue;
      const other = form.elements[g.name];
      if (other && other.value) list = list.filter((x) => String(x[g.name]) === other.value);
    }
    const cur = value !== undefined ? value : sel.value;
    sel.replaceChildren(h('option', { value: '' }, t('choose')), ...list.map((x) => h('option', { value: String(x.id) }, recLabel(f.ref, x))));
    if (cur !== null && cur !== undefined && cur !== '' && !list.some((x) => String(x.id) === String(cur))) {
      sel.append(h('option', { value: String(cur) }, refText(f.ref, Number(cur))));
    }
    sel.value = cur === null || cur === undefined ? '' : String(cur);
  }

  function readControl(f, el) {
    if (f.type === 'bool') return el.checked;
    const v = el.value.trim();
    if (v === '') return null;
    if (f.type === 'int' || f.type === 'ref') return /^-?\d+$/.test(v) ? Number(v) : v;
    return el.value;
  }

  async function viewForm(seq, reg, id, params) {
    await refsOf(reg);
    let rec = null, etag = null;
    if (id) {
      const r = await getRecord(reg, id);
      if (!r.ok) return mount(seq, h('h1', null, '#' + id), alertBox(r.status === 404 ? t('not-found') : errText(r)));
      rec = r.json;
      etag = r.etag;
    }
    const ret = params.get('return') || (id ? href('r', reg.table, id) : href('r', reg.table));
    const title = id ? t('edit-title', { reg: L(reg), label: recTitle(reg, rec) }) : t('new-title', { reg: L(reg) });
    const summary = h('div', { id: 'form-errors', tabindex: '-1' });
    const form = h('form', { class: 'record', novalidate: true, id: 'record-form' });
    const ctl = {};
    for (const f of reg.fields) {
      const cid = 'in-' + f.name;
      let value = rec ? rec[f.name] : (params.has(f.name) ? params.get(f.name) : (f.default !== undefined ? f.default : null));
      if (!rec && value !== null && (f.type === 'int' || f.type === 'ref') && /^-?\d+$/.test(String(value))) value = Number(value);
      if (!rec && f.type === 'bool') value = value === true || value === '1' || value === 'true';
      const fixed = !!(rec && f.fixed);
      const el = control(f, cid, value, fixed);
      ctl[f.name] = el;
      const hints = [];
      if (fixed) hints.push(t('fixed-hint'));
      if (f.type === 'ref' && el.tagName === 'INPUT') hints.push(t('id-hint'));
      if (f.type === 'int' && f.min !== undefined) hints.push(t('range-hint', { min: f.min, max: f.max }));
      if (f.type === 'text' && f.max) hints.push(t('max-hint', { max: f.max }));
      if (examNull(reg, f)) hints.push(t('photo_required-hint'));
      const label = h('label', { for: cid }, L(f), f.required ? h('span', { class: 'req' }, ' *', h('span', { class: 'vh' }, t('required'))) : null);
      add(form, h('div', { class: 'field' + (f.type === 'bool' ? ' check' : '') + (el.tagName === 'TEXTAREA' ? ' wide' : ''), 'data-field': f.name },
        f.type === 'bool' ? [el, label] : [label, el],
        h('small', { id: cid + '-hint', class: 'muted' }, hints.join('；')),
        h('p', { id: cid + '-err', class: 'field-error', hidden: true })));
    }
    // Ref selects, and those that depend on another field of the form.
    const refFields = reg.fields.filter((f) => f.type === 'ref');
    for (const f of refFields) fillRef(reg, f, ctl[f.name], form, rec ? rec[f.name] : (params.get(f.name) || ''));
    for (const f of refFields) {
      ctl[f.name].addEventListener('change', () => {
        for (const g of refFields) if (g !== f) fillRef(reg, g, ctl[g.name], form);
      });
    }
    if (reg.checked) {
      const el = h('textarea', { id: 'in-grounds', name: 'grounds', rows: '3', maxlength: String(GROUNDS.max), required: true, 'aria-describedby': 'in-grounds-hint in-grounds-err' });
      ctl.grounds = el;
      add(form, h('div', { class: 'field wide', 'data-field': 'grounds' },
        h('label', { for: 'in-grounds' }, t('grounds'), h('span', { class: 'req' }, ' *', h('span', { class: 'vh' }, t('required')))), el,
        h('small', { id: 'in-grounds-hint', class: 'muted' }, t('grounds-hint')),
        h('p', { id: 'in-grounds-err', class: 'field-error', hidden: true })));
    }
    const submit = h('button', { type: 'submit', class: 'primary', id: 'save' }, t('save'));
    add(form, h('div', { class: 'actions wide' }, submit, h('a', { class: 'button ghost', href: ret }, t('cancel'))));

    function clearErrors() {
      summary.replaceChildren();
      form.querySelectorAll('.field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
      form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    }
    function showErrors(r) {
      const e = (r.json && r.json.error) || {};
      const items = [];
      const fields = (e.details && e.details.fields) || [];
      for (const p of fields) {
        const f = regOfField(reg, p.field);
        const msg = problemText(f, p.problem, p);
        const el = ctl[p.field];
        if (el) {
          const box = document.getElementById(el.id + '-err');
          box.textContent = box.textContent ? box.textContent + '；' + msg : msg;
          box.hidden = false;
          el.setAttribute('aria-invalid', 'true');
          items.push(h('li', null, h('a', { href: '#' + el.id, onclick: (ev) => { ev.preventDefault(); el.focus(); } }, L(f) + '：' + msg)));
        } else {
          items.push(h('li', null, (f ? L(f) : p.field) + '：' + msg));
        }
      }
      if (e.code === 'RECORD_DUPLICATE' && e.details && e.details.key) {
        const keyText = Object.entries(e.details.key).map(([k, v]) => {
          const f = regOfField(reg, k);
          if (ctl[k]) {
            ctl[k].setAttribute('aria-invalid', 'true');
          }
          return (f ? L(f) : k) + ' ' + (f ? valueText(f, v) : v);
        }).join('，');
        summary.replaceChildren(alertBox(t('duplicate', { key: keyText }) + ' ' + (e.message || '')));
      } else if (items.length) {
        summary.replaceChildren(h('div', { class: 'alert bad', role: 'alert' }, h('p', null, t('fix-errors', { n: items.length })), h('ul', null, items)));
      } else {
        summary.replaceChildren(alertBox(r.status === 404 ? t('not-found') : errText(r)));
      }
      summary.focus();
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors();
      const body = {};
      for (const f of reg.fields) {
        const el = ctl[f.name];
        if (el.disabled) continue;
        const v = readControl(f, el);
        if (rec) {
          const old = rec[f.name] === undefined ? null : rec[f.name];
          // an unticked box over a null (a setting added later, e.g. the exam's photo_required) is no change
          if (f.type === 'bool' && old === null && v === false) continue;
          if (JSON.stringify(old) !== JSON.stringify(v)) body[f.name] = v;
        } else if (v !== null && !(f.type === 'bool' && v === false && !f.required && f.default === '0')) {
          body[f.name] = v;
        }
      }
      if (rec && !Object.keys(body).length) { summary.replaceChildren(alertBox(t('no-change'), 'info')); summary.focus(); return; }
      if (reg.checked) body.grounds = ctl.grounds.value;
      submit.disabled = true;
      let r;
      if (reg.table === 'units') {
        const u = Object.assign({}, body, { parent: body.parent_id });
        delete u.parent_id;
        r = await api('POST', '/api/v1/units', { body: u });
        if (!r.ok && r.json && r.json.error && r.json.error.details && r.json.error.details.fields) {
          r.json.error.details.fields.forEach((p) => { if (p.field === 'parent') p.field = 'parent_id'; });
        }
      } else if (rec) {
        r = await api('PATCH', `/api/v1/${reg.table}/${id}`, { body, headers: { 'If-Match': etag || '' } });
      } else {
        r = await api('POST', `/api/v1/${reg.table}`, { body });
      }
      submit.disabled = false;
      if (r.status === 412) {
        // Someone else changed it: show theirs, keep the message.
        const fresh = await getRecord(reg, id);
        if (fresh.ok) {
          rec = fresh.json;
          etag = fresh.etag;
          for (const f of reg.fields) {
            const el = ctl[f.name];
            if (f.type === 'bool') el.checked = !!rec[f.name];
            else if (el.tagName === 'SELECT' && f.type === 'ref') fillRef(reg, f, el, form, rec[f.name]);
            else el.value = rec[f.name] === null || rec[f.name] === undefined ? '' : String(rec[f.name]);
          }
        }
        summary.replaceChildren(alertBox(t('stale')));
        summary.focus();
        return;
      }
      if (!r.ok) { showErrors(r); return; }
      if (r.status === 202) {
        // Nothing is written yet: the change waits for a second person.
        toast(t('pending'));
        location.hash = params.get('return') || (id ? href('r', reg.table, id) : href('r', reg.table));
        loadPending();
        return;
      }
      forgetRef(reg.table);
      toast(t('saved'));
      location.hash = params.get('return') || href('r', reg.table, r.json.id);
    });
    mount(seq, crumbs([L(reg), href('r', reg.table)], [title]), h('h1', null, title), summary, form);
  }

  // ---- CSV import ----
  function viewImport(seq, reg) {
    const title = t('import-title', { reg: L(reg) });
    const colName = (f) => (f.type === 'ref' ? f.name.replace(/_id$/, '') + '_code' : f.name);
    const about = (f) => {
      if (f.type === 'enum') return f.values.map((v) => `${v.value}（${L(v)}）`).join(lang === 'en' ? ', ' : '、');
      if (f.type === 'int') return t('range-hint', { min: f.min, max: f.max });
      if (f.type === 'text') return t('max-hint', { max: f.max });
      if (f.type === 'date') return t('date-hint');
      if (f.type === 'bool') return '1 / 0, 是 / 否';
      if (f.type === 'ref') return f.ref === 'users' ? t('username') : t('code-of', { reg: S.byTable[f.ref] ? L(S.byTable[f.ref]) : f.ref });
      return '';
    };
    const cols = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('col-key') },
      h('table', { class: 'grid small' }, h('thead', null, h('tr', null, ['col-key', 'col-zh', 'col-en', 'col-req', 'col-about'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, reg.fields.map((f) => h('tr', null, h('td', null, h('code', null, colName(f))), h('td', null, f.zh), h('td', null, f.en),
          h('td', null, f.required && f.default === undefined ? t('yes') : ''), h('td', null, about(f)))))));
    // A template: the header row in Chinese, with a BOM so that Excel reads it as UTF-8.
    const tpl = new Blob(['\ufeff' + reg.fields.map((f) => f.zh).join(',') + '\r\n'], { type: 'text/csv' });
    const tplLink = h('a', { href: URL.createObjectURL(tpl), download: reg.table + '-template.csv' }, t('template'));

    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const file = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'aria-describedby': 'import-help' });
    const result = h('div', { id: 'import-result', 'aria-live': 'polite' });
    const checkBtn = h('button', { type: 'button', id: 'csv-check', class: 'primary' }, t('check'));
    const importBtn = h('button', { type: 'button', id: 'csv-import', disabled: true }, t('do-import'));
    const grounds = reg.checked ? h('textarea', { id: 'csv-grounds', rows: '3', maxlength: String(GROUNDS.max), required: true, 'aria-describedby': 'csv-grounds-hint' }) : null;
    let checked = null;
    file.addEventListener('change', () => { checked = null; importBtn.disabled = true; result.replaceChildren(); });

    function problems(r) {
      const e = r.json.error;
      if (e.code === 'IMPORT_INVALID') {
        const rows = e.details.rows || [];
        return [alertBox(t('import-bad', { n: e.details.count || rows.length })),
          h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('col-problem') },
            h('table', { class: 'grid small', id: 'import-problems' }, h('thead', null, h('tr', null,
              ['col-line', 'col-column', 'col-field', 'col-problem'].map((k) => h('th', { scope: 'col' }, t(k))))),
            h('tbody', null, rows.map((p) => {
              const f = regOfField(reg, p.field);
              return h('tr', null, h('td', { class: 'num' }, String(p.line)), h('td', null, p.column || ''),
                h('td', null, f ? L(f) : p.field), h('td', null, problemText(f, p.problem, p)));
            }))))];
      }
      if (e.code === 'IMPORT_COLUMNS') {
        const d = e.details || {};
        const names = (xs) => xs.map((n) => { const f = regOfField(reg, n); return f ? `${colName(f)}（${L(f)}）` : n; }).join('、');
        return [h('div', { class: 'alert bad', role: 'alert' }, h('p', null, t('cols-bad')),
          d.unknown && d.unknown.length ? h('p', null, t('cols-unknown'), d.unknown.join('、')) : null,
          d.missing && d.missing.length ? h('p', null, t('cols-missing'), names(d.missing)) : null)];
      }
      return [alertBox(errText(r))];
    }
    async function send(dry) {
      const f = file.files[0];
      if (!f) { result.replaceChildren(alertBox(t('choose-file'))); return null; }
      result.replaceChildren(h('p', { class: 'muted' }, t(dry ? 'checking' : 'importing')));
      const q = dry ? '?dry_run=1' : grounds ? '?grounds=' + encodeURIComponent(grounds.value) : '';
      return api('POST', `/api/v1/${reg.table}/import` + q, { body: f, raw: true, headers: { 'Content-Type': /\.xlsx$/i.test(f.name) ? XLSX : 'text/csv' } });
    }
    checkBtn.addEventListener('click', async () => {
      checkBtn.disabled = true;
      const r = await send(true);
      checkBtn.disabled = false;
      if (!r) return;
      if (!r.ok) { result.replaceChildren(...problems(r)); importBtn.disabled = true; return; }
      checked = file.files[0];
      importBtn.disabled = false;
      result.replaceChildren(h('p', { class: 'alert ok', role: 'status' }, t('check-ok', { enc: r.json.encoding })));
      importBtn.focus();
    });
    importBtn.addEventListener('click', async () => {
      if (!checked || checked !== file.files[0]) { importBtn.disabled = true; return; }
      if (grounds && !grounds.value.trim()) { result.replaceChildren(alertBox(t('grounds') + '：' + t('p-required'))); grounds.focus(); return; }
      if (!(await confirmBox(t(grounds ? 'confirm-import-checked' : 'confirm-import', { reg: L(reg) }), t('do-import')))) return;
      importBtn.disabled = true;
      const r = await send(false);
      if (!r) return;
      if (!r.ok) { result.replaceChildren(...problems(r)); return; }
      checked = null;
      if (r.status === 202) {
        result.replaceChildren(h('p', { class: 'alert ok', role: 'status', id: 'import-done' }, t('pending-import', { n: r.json.rows }), ' ',
          h('a', { href: '#/approvals' }, t('approvals'))));
        loadPending();
        return;
      }
      forgetRef(reg.table);
      result.replaceChildren(h('p', { class: 'alert ok', role: 'status', id: 'import-done' }, t('imported', { n: r.json.imported }), ' ',
        h('a', { href: href('r', reg.table) }, L(reg))));
    });
    mount(seq, crumbs([L(reg), href('r', reg.table)], [t('import')]), h('h1', null, title),
      h('p', { id: 'import-help' }, t('import-help')), cols, h('p', null, tplLink),
      h('section', { class: 'card' }, h('div', { class: 'field' }, h('label', { for: 'csv-file' }, t('file')), file),
        grounds ? h('div', { class: 'field' }, h('label', { for: 'csv-grounds' }, t('grounds'), h('span', { class: 'req' }, ' *')), grounds,
          h('small', { id: 'csv-grounds-hint', class: 'muted' }, t('grounds-hint'))) : null,
        h('div', { class: 'actions' }, checkBtn, importBtn), result));
  }

  // A modal confirmation that names the consequence; resolves true or false.
  function confirmBox(message, okText, withReason) {
    return new Promise((resolve) => {
      const reason = withReason ? h('textarea', { id: 'dlg-reason', rows: '3', maxlength: '500', required: true }) : null;
      const err = h('p', { class: 'field-error', hidden: true, id: 'dlg-err' });
      const dlg = h('dialog', { class: 'confirm', 'aria-labelledby': 'dlg-msg' },
        h('form', { method: 'dialog' }, h('p', { id: 'dlg-msg' }, message),
          reason ? [h('label', { for: 'dlg-reason' }, t('reason')), reason, err] : null,
          h('div', { class: 'actions' },
            h('button', { type: 'submit', value: 'ok', class: 'primary', id: 'dlg-ok' }, okText || t('confirm')),
            h('button', { type: 'submit', value: 'cancel', id: 'dlg-cancel' }, t('cancel')))));
      dlg.addEventListener('close', () => {
        dlg.remove();
        resolve(dlg.returnValue === 'ok' ? (reason ? reason.value.trim() : true) : false);
      });
      dlg.querySelector('form').addEventListener('submit', (ev) => {
        if (ev.submitter && ev.submitter.value === 'ok' && reason && !reason.value.trim()) {
          ev.preventDefault();
          err.textContent = t('need-reason');
          err.hidden = false;
          reason.focus();
        }
      });
      document.body.append(dlg);
      dlg.showModal();
      (reason || dlg.querySelector('#dlg-cancel')).focus();
    });
  }

  // ---- approvals ----
  async function viewApprovals(seq) {
    await loadRef('units');
    const r = await api('GET', '/api/v1/approvals?status=pending');
    const heading = h('h1', null, t('approvals'));
    if (!r.ok) return mount(seq, heading, alertBox(errText(r)));
    S.pending = r.json.items;
    renderNav();
    const items = r.json.items;
    // the exams named by the payloads of score reviews and revocations (theirs hold only the id)
    if (items.some((a) => ['score_review.correct', 'certificate.revoke'].includes(a.kind) && a.payload && !a.payload.exam_name)) {
      const ex = await api('GET', '/api/v1/exams?limit=100');
      S.examsById = ex.ok ? Object.fromEntries(ex.json.items.map((e) => [e.id, e])) : {};
    }
    // The server names the subject (user, role names, units); ids only as a fallback.
    const who = (a) => {
      const u = a.subject && a.subject.user;
      return u ? `${u.display_name}（${u.username}）` : t('ap-user', { id: a.payload && a.payload.user_id });
    };
    const grants = (a) => ((a.subject && a.subject.roles) || ((a.payload && a.payload.roles) || []).map((x) => ({ role: x.role, unit: { id: x.unit } })))
      .map((x) => t('ap-at-unit', {
        role: (x.role_name && (lang === 'en' ? x.role_name.en : x.role_name.zh)) || x.role,
        unit: (x.unit && x.unit.name) || refText('units', x.unit && x.unit.id),
      }));
    // A change of a register (the integrity archive): which, what, on what grounds.
    const regOf = (a) => a.subject && a.subject.register && S.byTable[a.subject.register.table];
    const recText = (reg, r) => reg ? reg.fields.filter((f) => r[f.name] !== null && r[f.name] !== undefined)
      .map((f) => L(f) + ' ' + valueText(f, r[f.name])).join('，') : JSON.stringify(r);
    const changeLines = (a) => {
      const reg = regOf(a), p = a.payload || {};
      if (a.subject.verb === 'update') {
        return Object.entries(p.changes || {}).map(([n, ch]) => {
          const f = reg && regOfField(reg, n);
          return (f ? L(f) : n) + '：' + ((f ? valueText(f, ch.from) : ch.from) || '—') + ' → ' + ((f ? valueText(f, ch.to) : ch.to) || '—');
        });
      }
      const rows = a.subject.verb === 'import' ? (p.rows || []) : [p.record || {}];
      const lines = rows.map((r) => recText(reg, r));
      if (a.subject.verb === 'import' && p.count > rows.length) lines.push(t('ap-more', { n: p.count - rows.length }));
      return lines;
    };
    const changeTitle = (a) => {
      const reg = regOf(a);
      const name = reg ? L(reg) : L(a.subject.register);
      const p = a.payload || {};
      return name + ' · ' + t('ap-' + a.subject.verb) + (a.subject.verb === 'update' ? ' ' + t('ap-record', { reg: '', id: p.id }).trim()
        : a.subject.verb === 'import' ? ' ' + t('ap-rows', { n: p.count }) : '');
    };
    const isChange = (a) => a.subject && a.subject.register;
    // Scores and certificates (GRD-8..10): the exam and the payload's key facts, not a user.
    const SCORE_KINDS = ['score_publication.publish', 'score_review.correct', 'qualified_list.confirm', 'certificate.revoke'];
    const isScore = (a) => SCORE_KINDS.includes(a.kind);
    const examOf = (p) => {
      const e = S.examsById && S.examsById[p.exam_id];
      return p.exam_name ? `${p.exam_name}（${p.exam_code}）` : e ? `${e.name}（${e.code}）` : '#' + p.exam_id;
    };
    const examCode = (p) => p.exam_code || (S.examsById && S.examsById[p.exam_id] && S.examsById[p.exam_id].code) || '';
    const scoreLines = (a) => {
      const p = a.payload || {}, exam = examOf(p);
      const short = (d) => (d ? String(d).slice(0, 12) + '…' : '');
      if (a.kind === 'score_publication.publish') return [t('sx-pub', { exam, id: p.publication_id, n: p.candidates }), t('sx-digest', { d: short(p.digest) })];
      if (a.kind === 'score_review.correct') return [t('sx-review', { exam, id: p.review_id, t: p.ticket_no, s: p.subject, from: p.published_score, to: p.rechecked_score }), t('sx-cause', { c: p.cause, r: p.reason })];
      if (a.kind === 'qualified_list.confirm') return [t('sx-list', { exam, id: p.list_id, q: p.qualified, w: p.withheld }), t('sx-digest', { d: short(p.digest) })];
      return [t('sx-revoke', { exam, n: p.number }), t('sx-reason', { r: p.reason })];
    };
    const scoreWhat = (a) => {
      const p = a.payload || {}, exam = examOf(p);
      if (a.kind === 'score_publication.publish') return t('sx-pub-what', { exam, n: p.candidates });
      if (a.kind === 'score_review.correct') return t('sx-review-what', { id: p.review_id, to: p.rechecked_score });
      if (a.kind === 'qualified_list.confirm') return t('sx-list-what', { exam, q: p.qualified });
      return t('sx-revoke-what', { n: p.number });
    };
    const scoreLink = (a) => {
      const code = examCode(a.payload || {});
      const q = code ? '?exam=' + encodeURIComponent(code) : '';
      return a.kind === 'score_publication.publish' ? h('a', { href: '/scoring.html' + q }, t('sx-open-pub')) : h('a', { href: '/reviews.html' + q }, t('sx-open'));
    };
    const what = (a) => (isScore(a) ? scoreWhat(a) : isChange(a) ? changeTitle(a) : who(a) + ' ← ' + grants(a).join('；'));
    const oldest = items.length ? items[items.length - 1] : null;
    const rows = items.map((a) => {
      const own = a.maker && a.maker.id === S.me.id;
      const cell = own ? h('td', { class: 'wrap' }, h('span', { class: 'muted' }, t('ap-own'))) : h('td', { class: 'nowrap' },
        h('button', { type: 'button', class: 'primary', onclick: async () => {
          if (!(await confirmBox(t(isChange(a) ? 'confirm-approve-change' : 'confirm-approve', { what: what(a) }), t('approve')))) return;
          const d = await api('POST', `/api/v1/approvals/${a.id}/approve`);
          if (!d.ok) { toast(errText(d)); return; }
          toast(t('approved'));
          route();
        } }, t('approve')), ' ',
        h('button', { type: 'button', onclick: async () => {
          const reason = await confirmBox(t('reject') + '：' + what(a), t('reject'), true);
          if (!reason) return;
          const d = await api('POST', `/api/v1/approvals/${a.id}/reject`, { body: { reason } });
          if (!d.ok) { toast(errText(d)); return; }
          toast(t('rejected'));
          route();
        } }, t('reject')));
      return h('tr', null, h('td', { class: 'num' }, String(a.id)),
        h('td', null, a.kind === 'grant.add' ? t('ap-grant') : isScore(a) ? t('k-' + a.kind) : isChange(a) ? changeTitle(a) : a.kind),
        isScore(a) ? h('td', { class: 'wrap' }, h('ul', { class: 'changes' }, scoreLines(a).map((g) => h('li', null, g))), h('p', null, scoreLink(a)))
        : isChange(a) ? h('td', { class: 'wrap' }, h('ul', { class: 'changes' }, changeLines(a).map((g) => h('li', null, g))),
          h('p', { class: 'grounds' }, h('strong', null, t('ap-grounds')), (a.payload && a.payload.grounds) || ''))
          : h('td', { class: 'wrap' }, who(a), h('ul', { class: 'changes' }, grants(a).map((g) => h('li', null, g)))),
        h('td', null, a.maker ? a.maker.username : ''), h('td', { class: 'nowrap' }, cst(a.created_at)), cell);
    });
    mount(seq, heading,
      h('p', { class: 'lead' }, oldest ? t('ap-count', { n: items.length, at: cst(oldest.created_at), age: age(oldest.created_at) }) : t('ap-none')),
      items.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('approvals') },
        h('table', { class: 'grid' }, h('thead', null, h('tr', null,
          ['ap-id', 'ap-kind', 'ap-what', 'ap-maker', 'ap-at', 'ap-actions'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', null, rows))) : null);
  }

  // ---- start ----
  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; showLogin(r.status === 401 ? '' : errText(r)); return; }
    S.me = r.json;
    const g = await api('GET', '/api/v1/registers');
    S.regs = g.ok ? g.json.items : [];
    S.byTable = Object.fromEntries(S.regs.map((x) => [x.table, x]));
    S.refs = {};
    renderChrome();
    await route();
    loadPending();
  }

  document.querySelectorAll('.lang button').forEach((b) => {
    b.addEventListener('click', () => {
      lang = b.dataset.lang;
      document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
      renderChrome();
      if (S.me) {
        api('GET', '/api/v1/me').then((r) => { if (r.ok) { S.me = r.json; renderChrome(); } }); // role names
        S.focus = null;
        route().then(() => b.focus());
      } else {
        showLogin();
      }
    });
  });
  // The skip link moves the focus, not the route.
  document.querySelector('.skip').addEventListener('click', (ev) => {
    ev.preventDefault();
    main.focus();
  });
  // On a narrow screen the navigation folds into a menu button.
  function setMenu(open) {
    document.getElementById('nav').classList.toggle('open', open);
    document.getElementById('nav-toggle').setAttribute('aria-expanded', String(open));
  }
  document.getElementById('nav-toggle').addEventListener('click', () => {
    setMenu(!document.getElementById('nav').classList.contains('open'));
  });
  document.getElementById('logout').addEventListener('click', async () => {
    await api('DELETE', '/api/v1/session');
    sessionStorage.removeItem('kw_csrf');
    S.me = null;
    location.hash = '';
    showLogin();
  });

  renderChrome();
  // Only a browser that logged in has the kw_csrf cookie: others need not ask who they are.
  if (cookie('kw_csrf')) start(); else showLogin();
})();
