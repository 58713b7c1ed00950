// Interview management (SPEC INT-1..7, SEC-1, SEC-3; issue 12 item 8): /interview.html[?exam=ID].
// For interview.manage / interview.read staff: pick an exam, then in order its interview
// settings (weights, method, minimum), the shortlists per position (build, publish, record a
// decline and see who replaces), the examiner pool and panels (a panel with its members and
// duties; refusals PANEL_SIZE, PANEL_RECUSAL… in sentences; the member list secret before the
// start — SEC-1 — said in words), the interview day (rooms, panels, scoring sheet; the
// lotteries' commitments, then the revealed seeds with the `kaowu draw` commands that re-check
// them) and the results per position (the 48-hour deadline, `late` flagged). Candidates are
// shown as the shortlist shows them (masked names); examiners see none of this page.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '面试组织', title: '面试组织', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      exam: '考试', 'pick-exam': '请选择考试', 'no-exams': '没有可管理的考试。',
      'steps': '步骤：① 面试设置 → ② 入围名单 → ③ 考官与考官小组 → ④ 面试日与抽签 → ⑤ 面试成绩发布',
      'set-h': '① 面试设置', 'written-min': '笔试最低分数线（可空）', 'w-written': '笔试成绩权重（%）', 'w-interview': '面试成绩权重（%）',
      method: '计分方法', 'm-trimmed': '去掉一个最高分和一个最低分后取平均', 'm-mean': '全部考官取平均', 'panel-min': '考官小组最少人数（奇数）',
      'agency-minority': '招录机关考官须少于半数', save: '保存设置', saved: '已保存。',
      rounding: '每个成绩只在最后四舍五入一次，保留两位小数。',
      'sl-h': '② 入围名单（按职位）', build: '生成入围名单', 'sl-none': '尚未生成入围名单（须先发布笔试成绩）。',
      'sl-line': '职位 {code} {name} · 招录 {quota} 人 · 比例 {ratio} · 入围目标 {target} 人 · 已入围 {admitted} 人',
      'st-draft': '草稿', 'st-published': '已公布', publish: '公布入围名单', 'publish-q': '公布后名单对外可见（姓名已遮蔽）。确认公布？',
      rank: '名次', ticket: '准考证号', name: '姓名', written: '笔试成绩', state: '状态', action: '操作',
      's-admitted': '入围', 's-waiting': '候补', 's-declined': '放弃', 's-below_min': '低于最低分数线',
      decline: '登记放弃', 'decline-q': '登记 {name}（{ticket}）放弃面试资格？', 'replaced': '已登记放弃。按规则递补入围：{list}', 'no-replace': '已登记放弃。入围人数未低于目标，无人递补。',
      'pool-h': '③ 考官与考官小组', 'panels-none': '尚无考官小组。', code: '编号', starts: '面试开始', positions: '职位', examiners: '考官人数', agency: '其中招录机关考官',
      members: '查看成员', 'members-h': '考官小组 {code} 的成员', 'members-audit': '每次查看成员名单均记入审计日志。',
      secret: '考官名单在面试开始（{at}）前保密（秘密）：只有组织面试的考试机构和主管部门可查看，您的角色无此需要，故不显示。面试开始后可查看，且每次查看都会记录。',
      'new-panel': '新建考官小组', 'panel-code': '小组编号', 'starts-date': '面试日期', 'starts-time': '开始时间',
      'pick-positions': '面试职位', 'duties-hint': '为每位人员选择职责：主考官、副主考官各 1 人；主考官、副主考官与考官合计为不少于 {min} 人的奇数；另有监督员、计分员、计时员各 1 人。',
      staff: '人员', post: '岗位', duty: '职责', 'd-': '—', 'd-chief': '主考官', 'd-deputy': '副主考官', 'd-examiner': '考官', 'd-supervisor': '监督员', 'd-scorer': '计分员', 'd-timer': '计时员', 'd-guide': '引导员',
      create: '创建考官小组', created: '考官小组 {code} 已创建：考官 {n} 人（其中招录机关 {a} 人）。', 'selected': '已选考官（含主考官、副主考官）：{n} 人',
      'why-PANEL_SIZE': '考官小组的主考官、副主考官与考官合计须为不少于 {min} 人的奇数，现为 {examiners} 人。',
      'why-PANEL_DUTIES': '每个考官小组须有主考官、副主考官、监督员、计分员、计时员各 1 人。',
      'why-PANEL_RECUSAL': '需要回避：{who} 本人或其申报的亲属在本小组面试的入围名单上（SEC-3），请换人。',
      'why-EXAMINER_NOT_QUALIFIED': '所选考官中有人未通过面试考官培训及考核，不能担任考官。',
      'why-PANEL_AGENCY_MAJORITY': '招录机关的考官（{agency_examiners} 人）须少于考官总数的一半。',
      'why-PANEL_NO_SHORTLIST': '所选职位还没有入围名单。',
      'why-PANEL_EXISTS': '该编号的考官小组已存在。',
      'day-h': '④ 面试日与抽签', 'days-none': '尚未安排面试日。', 'new-day': '安排面试日', day: '日期', 'ends-time': '结束时间',
      rooms: '面试室（逗号分隔）', 'day-panels': '当日考官小组', dims: '评分要素（每行：名称,满分,权重%）',
      'create-day': '安排并提交抽签承诺', 'day-line': '{day} · 结束 {ends} · 面试室 {rooms}', 'dims-line': '评分要素：{dims}',
      draws: '抽签', kind: '抽签', 'k-rooms': '考官小组抽面试室', 'k-order': '考生抽面试顺序号（小组 {panel}）', purpose: '用途串', commitment: '承诺值（SHA-256）', seed: '种子', status: '状态',
      'ds-committed': '已承诺，未抽签', 'ds-drawn': '已抽签', 'room-draw': '抽面试室', 'order-draw': '抽顺序号',
      'commit-hint': '承诺值在抽签前公布；抽签后公开种子，任何人都可核对：',
      'verify-cmd': 'kaowu draw verify {seed} {commitment}', 'shuffle-cmd': 'kaowu draw shuffle {seed} {purpose} {n}',
      'room-hidden': '面试室抽签结果保密（INT-2）：只有主管部门、考试机构和面试监督员可查看，故此处只显示承诺值和状态。',
      'room-result': '小组 {panel} → 面试室 {room}', 'order-result': '顺序号 {no} → 准考证号 {ticket}',
      'res-h': '⑤ 面试成绩', 'res-line': '职位 {code}：主考官已确认 {signed} 人，待确认 {pending} 人',
      deadline: '发布期限（面试结束后 48 小时）：{at}', 'no-day': '尚未安排面试日，无发布期限。', overdue: '已超过 48 小时发布期限，发布时将标记为“逾期”。',
      'pub-res': '发布面试成绩', 'pub-res-q': '发布职位 {code} 的面试成绩？', published: '已于 {at} 发布。', late: '逾期发布（超过 48 小时）',
      'on-time': '按期发布', order: '顺序号', panel: '小组', interview: '面试成绩', composite: '综合成绩',
      'res-hidden': '成绩发布前仅面试组织者可查看。', 'composite-hint': '综合成绩 = 笔试 × {w}% + 面试 × {i}%。', refresh: '刷新',
    },
    en: {
      brand: 'Interviews', title: 'Interviews', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      exam: 'Exam', 'pick-exam': 'Choose an exam', 'no-exams': 'No exam for you to manage.',
      steps: 'Steps: ① settings → ② shortlists → ③ examiners and panels → ④ interview day and lotteries → ⑤ results',
      'set-h': '① Interview settings', 'written-min': 'Written minimum (optional)', 'w-written': 'Written weight (%)', 'w-interview': 'Interview weight (%)',
      method: 'Method', 'm-trimmed': 'Drop one highest and one lowest, average the rest', 'm-mean': 'Average all examiners', 'panel-min': 'Smallest panel (odd)',
      'agency-minority': 'Recruiting-agency examiners fewer than half', save: 'Save settings', saved: 'Saved.',
      rounding: 'Each result is rounded once, at the end, half-up to hundredths.',
      'sl-h': '② Shortlists (per position)', build: 'Build shortlists', 'sl-none': 'No shortlist yet (written scores must be published first).',
      'sl-line': 'Position {code} {name} · quota {quota} · ratio {ratio} · target {target} · admitted {admitted}',
      'st-draft': 'Draft', 'st-published': 'Published', publish: 'Publish the shortlist', 'publish-q': 'Once published the list is public (names masked). Publish?',
      rank: 'Rank', ticket: 'Ticket', name: 'Name', written: 'Written', state: 'State', action: 'Action',
      's-admitted': 'Admitted', 's-waiting': 'Waiting', 's-declined': 'Declined', 's-below_min': 'Below the minimum',
      decline: 'Record a decline', 'decline-q': 'Record that {name} ({ticket}) declines the interview?', replaced: 'Decline recorded. Admitted in replacement, in order: {list}', 'no-replace': 'Decline recorded. The list is not below its target: nobody replaces.',
      'pool-h': '③ Examiners and panels', 'panels-none': 'No panel yet.', code: 'Code', starts: 'Starts', positions: 'Positions', examiners: 'Examiners', agency: 'of the recruiting agency',
      members: 'Show members', 'members-h': 'Members of panel {code}', 'members-audit': 'Every read of the member list is recorded in the audit trail.',
      secret: 'The examiner list is secret until the interview starts ({at}): only the organising agency and the authority may read it before then, and your role has no need to. After the start it can be read, and every read is recorded.',
      'new-panel': 'New panel', 'panel-code': 'Panel code', 'starts-date': 'Interview date', 'starts-time': 'Starts at',
      'pick-positions': 'Positions', 'duties-hint': 'Give each person a duty: one chief and one deputy; chief, deputy and examiners together an odd number of at least {min}; plus one supervisor, one scorer and one timer.',
      staff: 'Person', post: 'Post', duty: 'Duty', 'd-': '—', 'd-chief': 'Chief', 'd-deputy': 'Deputy', 'd-examiner': 'Examiner', 'd-supervisor': 'Supervisor', 'd-scorer': 'Scorer', 'd-timer': 'Timer', 'd-guide': 'Guide',
      create: 'Create the panel', created: 'Panel {code} created: {n} examiners ({a} of the recruiting agency).', selected: 'Examiners chosen (with chief and deputy): {n}',
      'why-PANEL_SIZE': 'Chief, deputy and examiners together must be an odd number of at least {min}; now {examiners}.',
      'why-PANEL_DUTIES': 'A panel needs exactly one chief, deputy, supervisor, scorer and timer.',
      'why-PANEL_RECUSAL': 'Recusal: {who}, or a declared relative, is on a shortlist this panel interviews (SEC-3); choose someone else.',
      'why-EXAMINER_NOT_QUALIFIED': 'Someone chosen has not passed the examiner training and its assessment.',
      'why-PANEL_AGENCY_MAJORITY': 'The recruiting agency\u2019s examiners ({agency_examiners}) must be fewer than half.',
      'why-PANEL_NO_SHORTLIST': 'A chosen position has no shortlist yet.',
      'why-PANEL_EXISTS': 'A panel with this code exists.',
      'day-h': '④ Interview day and lotteries', 'days-none': 'No interview day yet.', 'new-day': 'Schedule a day', day: 'Date', 'ends-time': 'Ends at',
      rooms: 'Rooms (comma-separated)', 'day-panels': 'Panels of the day', dims: 'Scoring sheet (a line each: name,max,weight%)',
      'create-day': 'Schedule and commit the lotteries', 'day-line': '{day} · ends {ends} · rooms {rooms}', 'dims-line': 'Scoring sheet: {dims}',
      draws: 'Lotteries', kind: 'Lottery', 'k-rooms': 'Panels draw rooms', 'k-order': 'Candidates draw order numbers (panel {panel})', purpose: 'Purpose', commitment: 'Commitment (SHA-256)', seed: 'Seed', status: 'Status',
      'ds-committed': 'Committed, not drawn', 'ds-drawn': 'Drawn', 'room-draw': 'Draw rooms', 'order-draw': 'Draw order numbers',
      'commit-hint': 'The commitment is published before the draw; the seed after, so anyone can re-check:',
      'verify-cmd': 'kaowu draw verify {seed} {commitment}', 'shuffle-cmd': 'kaowu draw shuffle {seed} {purpose} {n}',
      'room-hidden': 'The room draw is confidential (INT-2): only the authority, the agency and the interview supervisor see it; here only its commitment and status.',
      'room-result': 'Panel {panel} → room {room}', 'order-result': 'Order {no} → ticket {ticket}',
      'res-h': '⑤ Interview results', 'res-line': 'Position {code}: {signed} confirmed by the chief, {pending} pending',
      deadline: 'Deadline (48 hours after the interview ends): {at}', 'no-day': 'No interview day yet: no deadline.', overdue: 'The 48-hour deadline has passed: the publication will be flagged late.',
      'pub-res': 'Publish the results', 'pub-res-q': 'Publish the interview results of position {code}?', published: 'Published at {at}.', late: 'Late (after 48 hours)',
      'on-time': 'On time', order: 'Order', panel: 'Panel', interview: 'Interview', composite: 'Composite',
      'res-hidden': 'Before publication only the organisers see the results.', 'composite-hint': 'Composite = written × {w}% + interview × {i}%.', refresh: 'Refresh',
    },
  };
  const DUTIES = ['', 'chief', 'deputy', 'examiner', 'supervisor', 'scorer', 'timer', 'guide'];
  const S = { me: null, exams: [], exam: null, settings: null, lists: [], panels: [], staff: [], days: [], results: {}, draft: {} };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const ex = await api('GET', '/api/v1/exams?limit=100');
    S.exams = ex.ok ? ex.json.items : [];
    const q = Number(new URLSearchParams(location.search).get('exam'));
    // a reader without exam.read (the interview supervisor) comes with ?exam=ID
    if (q && !S.exams.some((e) => e.id === q)) S.exams.push({ id: q, code: '#' + q, name: '' });
    S.exam = S.exams.find((e) => e.id === q) || (S.exams.length === 1 ? S.exams[0] : null);
    if (S.exam) await load();
    render();
  }

  async function load() {
    const id = S.exam.id;
    const [st, sl, pn, dy, sf] = await Promise.all([
      api('GET', `/api/v1/exams/${id}/interview_settings`), api('GET', `/api/v1/exams/${id}/shortlists`),
      api('GET', `/api/v1/exams/${id}/interview_panels`), api('GET', `/api/v1/exams/${id}/interview_days`),
      api('GET', '/api/v1/staff?limit=500')]);
    S.settings = st.ok ? st.json : null;
    S.panels = pn.ok ? pn.json.items : [];
    S.days = dy.ok ? dy.json.items : [];
    S.staff = sf.ok ? sf.json.items : [];
    S.lists = [];
    for (const l of sl.ok ? sl.json.items : []) {
      const one = await api('GET', '/api/v1/shortlists/' + l.id);
      if (one.ok) S.lists.push(one.json);
      const rr = await api('GET', `/api/v1/shortlists/${l.id}/interview_results`);
      S.results[l.id] = rr.ok ? rr.json : null;
    }
  }

  async function reload() {
    await load();
    render();
  }

  // ---- the page ----
  function render() {
    const pick = h('select', { id: 'exam-pick', onchange: async () => {
      S.exam = S.exams.find((e) => String(e.id) === pick.value) || null;
      history.replaceState(null, '', S.exam ? '?exam=' + S.exam.id : location.pathname);
      K.flash('');
      if (S.exam) await load();
      render();
    } }, h('option', { value: '' }, t('pick-exam')), S.exams.map((e) => h('option', { value: String(e.id), selected: S.exam && e.id === S.exam.id }, `${e.code} ${e.name}`)));
    const bar = h('div', { class: 'bar row' }, h('label', { for: 'exam-pick' }, t('exam')), pick);
    if (!S.exams.length) return $('view').replaceChildren(h('p', {}, t('no-exams')));
    if (!S.exam) return $('view').replaceChildren(bar);
    $('view').replaceChildren(bar, h('p', { class: 'hint' }, t('steps')), settingsCard(), listsCard(), panelsCard(), daysCard(), resultsCard());
  }

  const msgBox = (id) => h('div', { class: 'step-msg', id, role: 'status', 'aria-live': 'polite' });
  const ok = (box, text) => box.replaceChildren(h('div', { class: 'alert ok' }, text));
  // An error in its card: the server's words and code, then what it means here.
  function refused(r, box) {
    K.showError(r, (d) => {
      const code = r.json && r.json.error && r.json.error.code;
      if (!code || !K.has('why-' + code)) return null;
      const who = (d.staff_ids || []).map((id) => { const s = S.staff.find((x) => x.id === id); return s ? `${s.code} ${s.name}` : '#' + id; }).join('、');
      return h('p', { class: 'problem' }, t('why-' + code, Object.assign({ who }, d)));
    }, box);
  }

  function settingsCard() {
    const st = S.settings || {};
    const box = msgBox('set-msg');
    const f = (id, label, attrs) => h('div', { class: 'field' }, h('label', { for: id }, label), h('input', Object.assign({ id, name: id }, attrs)));
    const form = h('form', { class: 'step', id: 'settings', onsubmit: async (ev) => {
      ev.preventDefault();
      const v = (id) => $(id).value.trim();
      const body = { written_min: v('written-min') || null, written_weight: Number(v('w-written')), interview_weight: Number(v('w-interview')),
        method: $('method').value, panel_min: Number(v('panel-min')), agency_minority: $('agency-minority').checked };
      const r = await api('PUT', `/api/v1/exams/${S.exam.id}/interview_settings`, body);
      if (!r.ok) return refused(r, box);
      S.settings = r.json;
      ok(box, t('saved'));
    } },
    h('div', { class: 'two' },
      f('w-written', t('w-written'), { type: 'number', min: '0', max: '100', value: st.written_weight ?? 50, inputmode: 'numeric' }),
      f('w-interview', t('w-interview'), { type: 'number', min: '0', max: '100', value: st.interview_weight ?? 50, inputmode: 'numeric' }),
      f('written-min', t('written-min'), { inputmode: 'decimal', value: st.written_min ?? '' }),
      f('panel-min', t('panel-min'), { type: 'number', min: '5', step: '2', value: st.panel_min ?? 5 })),
    h('div', { class: 'field' }, h('label', { for: 'method' }, t('method')),
      h('select', { id: 'method' }, ['trimmed', 'mean'].map((m) => h('option', { value: m, selected: st.method === m }, t('m-' + m))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: 'agency-minority', checked: st.agency_minority !== false }), ' ', t('agency-minority')),
    h('p', { class: 'hint' }, t('rounding')),
    h('button', { type: 'submit', class: 'btn primary', id: 'save-settings' }, t('save')));
    return h('section', { class: 'card', id: 'settings-card' }, h('h2', {}, t('set-h')), form, box);
  }

  function listsCard() {
    const box = msgBox('sl-msg');
    const build = h('button', { type: 'button', class: 'btn primary', id: 'build', onclick: async () => {
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/shortlists`, {});
      if (!r.ok) return refused(r, box);
      await reload();
    } }, t('build'));
    const lists = S.lists.map((l) => {
      const byRank = l.entries.slice().sort((a, b) => a.rank - b.rank || (a.ticket_no < b.ticket_no ? -1 : 1));
      const rows = byRank.map((e) => h('tr', { class: 'st-' + e.state },
        h('td', { class: 'num' }, e.rank), h('td', { class: 'tickets' }, e.ticket_no), h('td', {}, e.name), h('td', { class: 'num' }, e.written),
        h('td', {}, h('span', { class: 'badge s-' + e.state }, t('s-' + e.state)), e.decline_reason ? h('div', { class: 'hint' }, e.decline_reason) : null),
        h('td', {}, e.state === 'admitted' ? h('button', { type: 'button', class: 'btn', 'data-ticket': e.ticket_no, onclick: () => decline(l, e) }, t('decline')) : null)));
      return h('div', { class: 'shortlist', id: 'sl-' + l.id },
        h('h3', {}, t('sl-line', { code: l.position_code, name: l.position_name, quota: l.quota, ratio: l.ratio, target: l.target, admitted: l.admitted }), ' ',
          h('span', { class: 'badge' + (l.status === 'published' ? ' in-use' : '') }, t('st-' + l.status))),
        l.status === 'draft' ? h('button', { type: 'button', class: 'btn primary publish-sl', onclick: async () => {
          if (!await K.confirmBox(t('publish-q'), t('publish'))) return;
          const r = await api('POST', `/api/v1/shortlists/${l.id}/publish`);
          if (!r.ok) return refused(r, box);
          await reload();
        } }, t('publish')) : null,
        h('div', { class: 'wrap' }, h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['rank', 'ticket', 'name', 'written', 'state', 'action'].map((k) => h('th', { scope: 'col', class: k === 'rank' || k === 'written' ? 'num' : null }, t(k))))), h('tbody', {}, rows))));
    });
    return h('section', { class: 'card', id: 'lists' }, h('h2', {}, t('sl-h')), S.lists.length ? null : h('p', {}, t('sl-none')), build, box, lists);
  }

  async function decline(l, e) {
    const reason = await K.confirmBox(t('decline-q', { name: e.name, ticket: e.ticket_no }), t('decline'), { reason: true });
    if (!reason) return;
    const r = await api('POST', `/api/v1/shortlists/${l.id}/declines`, { registration_id: e.registration_id, reason });
    if (!r.ok) return refused(r, $('sl-msg'));
    const now = r.json.admitted_now || [];
    await reload();
    ok($('sl-msg'), now.length ? t('replaced', { list: now.join('、') }) : t('no-replace'));
  }

  // ---- panels ----
  function panelsCard() {
    const rows = S.panels.map((p) => h('tr', {},
      h('td', {}, p.code), h('td', {}, K.cst(p.starts_at, false)),
      h('td', {}, p.positions.map((id) => (S.lists.find((l) => l.position_id === id) || {}).position_code || '#' + id).join('、')),
      h('td', { class: 'num' }, p.examiners), h('td', { class: 'num' }, p.agency_examiners),
      h('td', {}, h('button', { type: 'button', class: 'btn show-members', 'data-panel': p.code, onclick: () => showMembers(p) }, t('members')))));
    return h('section', { class: 'card', id: 'panels' }, h('h2', {}, t('pool-h')),
      S.panels.length ? h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'panel-list' },
        h('thead', {}, h('tr', {}, ['code', 'starts', 'positions', 'examiners', 'agency', 'action'].map((k) => h('th', { scope: 'col', class: k === 'examiners' || k === 'agency' ? 'num' : null }, t(k))))), h('tbody', {}, rows)))
        : h('p', {}, t('panels-none')),
      h('div', { id: 'members' }), panelForm());
  }

  async function showMembers(p) {
    const box = $('members');
    const r = await api('GET', '/api/v1/interview_panels/' + p.id);
    if (!r.ok) {
      const code = r.json.error && r.json.error.code;
      if (code === 'INTERVIEW_EXAMINERS_SECRET') {
        return box.replaceChildren(h('div', { class: 'alert secret', role: 'alert' }, h('p', {}, t('secret', { at: K.cst(p.starts_at, false) })),
          h('p', { class: 'hint' }, r.json.error.message, t('error-code', { code }))));
      }
      return K.showError(r, null, box);
    }
    box.replaceChildren(h('h3', {}, t('members-h', { code: p.code })), h('p', { class: 'hint' }, t('members-audit')),
      h('div', { class: 'wrap' }, h('table', { class: 'grid narrow' }, h('thead', {}, h('tr', {}, ['code', 'name', 'duty'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, r.json.members.map((m) => h('tr', {}, h('td', {}, m.code), h('td', {}, m.name), h('td', {}, t('d-' + m.duty))))))));
  }

  function panelForm() {
    const box = msgBox('panel-msg');
    const min = (S.settings && S.settings.panel_min) || 5;
    const d = S.draft;
    const count = h('p', { class: 'sum', id: 'chosen' });
    const recount = () => {
      const n = [...document.querySelectorAll('select.duty')].filter((s) => ['chief', 'deputy', 'examiner'].includes(s.value)).length;
      count.textContent = t('selected', { n });
    };
    const staffRows = S.staff.map((s) => h('tr', {},
      h('td', {}, s.code), h('td', {}, s.name), h('td', {}, s.post || ''),
      h('td', {}, h('select', { class: 'duty', 'data-staff': String(s.id), 'data-code': s.code, 'aria-label': `${t('duty')} ${s.code} ${s.name}`,
        onchange: (ev) => { d['duty-' + s.id] = ev.target.value; recount(); } },
      DUTIES.map((x) => h('option', { value: x, selected: (d['duty-' + s.id] || '') === x }, t('d-' + x)))))));
    const form = h('form', { class: 'step', id: 'panel-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const members = [...document.querySelectorAll('select.duty')].filter((s) => s.value).map((s) => ({ staff_id: Number(s.dataset.staff), duty: s.value }));
      const positions = [...document.querySelectorAll('input.pos:checked')].map((c) => Number(c.value));
      const starts = `${$('p-date').value}T${$('p-time').value}:00+08:00`;
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/interview_panels`, { code: $('p-code').value.trim(), starts_at: starts, positions, members });
      if (!r.ok) return refused(r, box);
      S.draft = {};
      await reload();
      ok($('panel-msg'), t('created', { code: r.json.code, n: r.json.examiners, a: r.json.agency_examiners }));
    } },
    h('div', { class: 'two' },
      h('div', { class: 'field' }, h('label', { for: 'p-code' }, t('panel-code')), h('input', { id: 'p-code', maxlength: '40', required: true, value: d.code || '', oninput: (ev) => { d.code = ev.target.value; } })),
      h('div', { class: 'field' }, h('label', { for: 'p-date' }, t('starts-date')), h('input', { id: 'p-date', type: 'date', required: true, value: d.date || '', oninput: (ev) => { d.date = ev.target.value; } })),
      h('div', { class: 'field' }, h('label', { for: 'p-time' }, t('starts-time')), h('input', { id: 'p-time', type: 'time', required: true, value: d.time || '08:30', oninput: (ev) => { d.time = ev.target.value; } }))),
    h('fieldset', {}, h('legend', {}, t('pick-positions')), S.lists.map((l) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', class: 'pos', value: String(l.position_id), checked: true }), ` ${l.position_code} ${l.position_name}`))),
    h('p', { class: 'hint' }, t('duties-hint', { min })),
    h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'pool' }, h('thead', {}, h('tr', {}, ['code', 'name', 'post', 'duty'].map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, staffRows))),
    count, h('button', { type: 'submit', class: 'btn primary', id: 'create-panel' }, t('create')));
    setTimeout(recount);
    // once a panel exists the form folds away (the pool is long)
    return h('div', {}, h('details', { class: 'fold', id: 'new-panel', open: !S.panels.length || !!d.code }, h('summary', {}, t('new-panel')), form), box);
  }

  // ---- days and lotteries ----
  function daysCard() {
    return h('section', { class: 'card', id: 'days' }, h('h2', {}, t('day-h')),
      S.days.length ? S.days.map(dayBlock) : h('p', {}, t('days-none')), dayForm());
  }

  const panelCode = (id) => (S.panels.find((p) => p.id === id) || {}).code || '#' + id;
  function dayBlock(day) {
    const box = msgBox('day-msg-' + day.id);
    const n = (dr) => dr.kind === 'rooms' ? day.rooms.length : (dr.result ? dr.result.length : null);
    const rows = day.draws.map((dr) => h('tr', { class: 'draw', 'data-kind': dr.kind, 'data-panel': dr.panel_id ? panelCode(dr.panel_id) : '' },
      h('td', {}, dr.kind === 'rooms' ? t('k-rooms') : t('k-order', { panel: panelCode(dr.panel_id) })),
      h('td', {}, h('code', { class: 'purpose' }, dr.purpose)),
      h('td', {}, h('code', { class: 'digest commitment' }, dr.commitment)),
      h('td', {}, h('span', { class: 'badge' + (dr.status === 'drawn' ? ' in-use' : '') }, t('ds-' + dr.status)),
        dr.seed ? h('div', {}, t('seed'), '：', h('code', { class: 'digest seed' }, dr.seed)) : null,
        dr.seed ? h('div', { class: 'cmds' }, h('code', {}, t('verify-cmd', { seed: dr.seed, commitment: dr.commitment })),
          n(dr) ? h('code', {}, t('shuffle-cmd', { seed: dr.seed, purpose: dr.purpose, n: n(dr) })) : null) : null,
        dr.kind === 'rooms' && dr.status === 'drawn' && !dr.result ? h('p', { class: 'hint room-hidden' }, t('room-hidden')) : null,
        dr.result ? h('ul', { class: 'result' }, dr.result.map((x) => h('li', {}, dr.kind === 'rooms'
          ? t('room-result', { panel: x.panel || x.panel_code || '', room: x.room }) : t('order-result', { no: x.order_no, ticket: x.ticket_no })))) : null),
      h('td', {}, dr.status === 'committed' ? h('button', { type: 'button', class: 'btn primary draw-btn', onclick: async () => {
        const r = await api('POST', dr.kind === 'rooms' ? `/api/v1/interview_days/${day.id}/room_draw` : `/api/v1/interview_panels/${dr.panel_id}/order_draw`);
        if (!r.ok) return refused(r, box);
        await reload();
      } }, dr.kind === 'rooms' ? t('room-draw') : t('order-draw')) : null)));
    return h('div', { class: 'day', id: 'day-' + day.id },
      h('h3', {}, t('day-line', { day: day.day, ends: K.cst(day.ends_at, false), rooms: day.rooms.join('、') })),
      h('p', { class: 'hint' }, t('dims-line', { dims: day.dimensions.map((x) => `${x.name} ${x.max}（${x.weight}%）`).join('；') })),
      h('p', { class: 'hint' }, t('commit-hint')),
      h('div', { class: 'wrap' }, h('table', { class: 'grid draws' }, h('thead', {}, h('tr', {}, ['kind', 'purpose', 'commitment', 'status', 'action'].map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, rows))),
      box);
  }

  function dayForm() {
    const box = msgBox('dayform-msg');
    const free = S.panels.filter((p) => !S.days.some((d) => d.panels.some((x) => x.id === p.id)));
    if (!free.length) return null;
    const form = h('form', { class: 'step', id: 'day-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const day = $('d-date').value;
      const dims = $('d-dims').value.split('\n').map((s) => s.trim()).filter(Boolean).map((line) => {
        const [name, max, weight] = line.split(/[,，]/).map((x) => x.trim());
        return weight ? { name, max, weight: Number(weight) } : { name, max };
      });
      const body = { day, ends_at: `${day}T${$('d-ends').value}:00+08:00`, rooms: $('d-rooms').value.split(/[,，、\s]+/).filter(Boolean),
        panels: [...document.querySelectorAll('input.dpanel:checked')].map((c) => Number(c.value)), dimensions: dims };
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/interview_days`, body);
      if (!r.ok) return refused(r, box);
      await reload();
    } },
    h('h3', {}, t('new-day')),
    h('div', { class: 'two' },
      h('div', { class: 'field' }, h('label', { for: 'd-date' }, t('day')), h('input', { id: 'd-date', type: 'date', required: true })),
      h('div', { class: 'field' }, h('label', { for: 'd-ends' }, t('ends-time')), h('input', { id: 'd-ends', type: 'time', required: true, value: '18:00' }))),
    h('div', { class: 'field' }, h('label', { for: 'd-rooms' }, t('rooms')), h('input', { id: 'd-rooms', required: true })),
    h('fieldset', {}, h('legend', {}, t('day-panels')), free.map((p) => h('label', { class: 'check' }, h('input', { type: 'checkbox', class: 'dpanel', value: String(p.id) }), ' ', p.code))),
    h('div', { class: 'field' }, h('label', { for: 'd-dims' }, t('dims')), h('textarea', { id: 'd-dims', rows: '4' })),
    h('button', { type: 'submit', class: 'btn primary', id: 'create-day' }, t('create-day')));
    return h('div', {}, form, box);
  }

  // ---- results ----
  function resultsCard() {
    const st = S.settings || { written_weight: 50, interview_weight: 50 };
    return h('section', { class: 'card', id: 'results' }, h('h2', {}, t('res-h')),
      h('p', { class: 'hint' }, t('composite-hint', { w: st.written_weight, i: st.interview_weight })),
      S.lists.map((l) => {
        const res = S.results[l.id];
        if (!res) return null;
        const box = msgBox('res-msg-' + l.id);
        const pub = res.publication;
        return h('div', { class: 'res', id: 'res-' + l.id },
          h('h3', {}, t('res-line', { code: l.position_code, signed: res.signed, pending: res.pending })),
          h('p', { class: 'deadline' }, res.deadline ? t('deadline', { at: K.cst(res.deadline, false) }) : t('no-day')),
          res.overdue ? h('p', { class: 'flag warn' }, t('overdue')) : null,
          pub ? h('p', { class: 'pub' }, t('published', { at: K.cst(pub.published_at, false) }), ' ',
            h('span', { class: 'badge ' + (pub.late ? 'bad late' : 'in-use') }, pub.late ? t('late') : t('on-time'))) : null,
          // after publication: the recruitment steps (web/recruitment.js; its words kept here)
          pub ? h('p', {}, h('a', { href: '/recruitment.html?shortlist=' + l.id, class: 'dl-link to-recruit' },
            K.lang === 'en' ? 'Recruitment steps: composite list, physical exam, vetting, notice, appointment →' : '录用环节：综合成绩排名、体检、考察、公示、录用 →')) : null,
          res.results && res.results.length ? h('div', { class: 'wrap' }, h('table', { class: 'grid res-table' },
            h('thead', {}, h('tr', {}, ['ticket', 'name', 'panel', 'order', 'written', 'interview', 'composite'].map((k, i) => h('th', { scope: 'col', class: i > 2 ? 'num' : null }, t(k))))),
            h('tbody', {}, res.results.map((x) => h('tr', { 'data-ticket': x.ticket_no }, h('td', { class: 'tickets' }, x.ticket_no), h('td', {}, x.masked_name), h('td', {}, x.panel),
              h('td', { class: 'num' }, x.order_no), h('td', { class: 'num' }, x.written), h('td', { class: 'num interview' }, x.interview), h('td', { class: 'num composite' }, x.composite))))))
            : res.results ? null : h('p', { class: 'hint' }, t('res-hidden')),
          !pub ? h('button', { type: 'button', class: 'btn primary pub-res', onclick: async () => {
            if (!await K.confirmBox(t('pub-res-q', { code: l.position_code }), t('pub-res'))) return;
            const r = await api('POST', `/api/v1/shortlists/${l.id}/interview_results`);
            if (!r.ok) return refused(r, box);
            await reload();
          } }, t('pub-res')) : null,
          h('button', { type: 'button', class: 'btn', onclick: reload }, t('refresh')), box);
      }));
  }

  K.chrome(render);
  start();
})();
