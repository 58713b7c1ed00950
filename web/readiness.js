// Centre readiness and duty (SPEC VEN-6, VEN-4, DAY-1; issue 9 items 4 and 6):
// /readiness.html[?exam=ID]. For agency staff: each centre the exam uses, ready or not and what
// is missing (filtered and paged by the server: thousands of centres); the duty roster with the
// gaps of each day's duty window per centre; a centre's duty log for a day (and, for whoever is
// on shift, a new entry). Refusals are shown in the server's words. The session is the console's.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考点开考条件与值班', title: '考点开考条件与值班', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      exam: '考试', 'no-exams': '没有可查看的考试。', 'tab-ready': '开考条件', 'tab-duty': '值班安排', 'tab-log': '值班记录',
      'first-day': '首场考试日：{day}', 'no-run': '该考试尚未发布考场编排，没有使用中的考点。',
      totals: '共 {centres} 个考点：具备 {ready} 个，不具备 {not_ready} 个；符合筛选 {matching} 个。',
      'not-ready-only': '只看不具备条件的', reason: '缺失事项', 'any-reason': '全部', code: '考点代码（前缀）', apply: '筛选',
      centre: '考点', name: '名称', cbt: '机考', state: '状态', missing: '缺失事项', ready: '具备', 'not-ready': '不具备',
      yes: '是', no: '否', prev: '上一页', next: '下一页', rooms: '考场：{rooms}',
      'r-agreement_missing': '未签考点协议', 'r-agreement_late': '协议签订晚于考试日', 'r-agreement_expired': '协议已过期',
      'r-safety_letter_missing': '未签安全责任书', 'r-safety_letter_late': '责任书签订晚于考试日', 'r-safety_letter_expired': '责任书已过期',
      'r-inspection_missing': '未检查验收', 'r-inspection_failed': '检查不合格', 'r-inspection_not_corrected': '未按期整改',
      'r-room_inspection_failed': '考场检查不合格', 'r-sealed_check_missing': '未做封闭环境检查', 'r-sealed_check_failed': '封闭环境检查不合格', 'r-blocked': '重大事故未整改',
      'duty-hours': '值班时段：开考前 {b} 小时至考试结束后 {a} 小时。', 'gaps-only': '只看有空档的',
      'duty-totals': '共 {centres} 个考点，{with_gaps} 个值班有空档；符合筛选 {matching} 个。',
      windows: '值班时段', shifts: '值班人员', covered: '已覆盖', gaps: '空档：{g}', 'no-shifts': '尚未安排',
      'unit-shifts': '考试机构值班', log: '值班记录', 'see-log': '查看值班记录',
      'p-chief_examiner': '主考', 'p-deputy_chief_examiner': '副主考', 'p-duty_officer': '值班员', 'p-custodian': '保密员',
      'p-security': '安保', 'p-medical': '医务', 'p-system_admin': '系统管理员', 'p-logistics': '后勤', 'p-other': '其他',
      'log-centre': '考点 ID', day: '日期', show: '显示', 'log-none': '该日没有值班记录。',
      when: '时间', who: '值班人', kind: '类别', content: '情况', action: '处理', caller: '来电方',
      'k-event': '事件', 'k-call': '来电', 'k-action': '处置', 'k-handover': '交接班', 'k-note': '记事',
      'add-h': '填写值班记录（仅限当班人员）', add: '提交', saved: '已记录。', 'need-content': '请填写情况。',
    },
    en: {
      brand: 'Centre readiness and duty', title: 'Centre readiness and duty', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      exam: 'Exam', 'no-exams': 'No exam to show.', 'tab-ready': 'Readiness', 'tab-duty': 'Duty roster', 'tab-log': 'Duty log',
      'first-day': 'First exam day: {day}', 'no-run': 'The exam has no published seating: no centre is in use.',
      totals: '{centres} centres: {ready} ready, {not_ready} not ready; {matching} match the filters.',
      'not-ready-only': 'Not ready only', reason: 'Missing', 'any-reason': 'Any', code: 'Centre code (prefix)', apply: 'Filter',
      centre: 'Centre', name: 'Name', cbt: 'CBT', state: 'State', missing: 'Missing', ready: 'Ready', 'not-ready': 'Not ready',
      yes: 'yes', no: 'no', prev: 'Previous', next: 'Next', rooms: 'rooms: {rooms}',
      'r-agreement_missing': 'No agreement', 'r-agreement_late': 'Agreement signed late', 'r-agreement_expired': 'Agreement expired',
      'r-safety_letter_missing': 'No safety letter', 'r-safety_letter_late': 'Safety letter signed late', 'r-safety_letter_expired': 'Safety letter expired',
      'r-inspection_missing': 'Not inspected', 'r-inspection_failed': 'Inspection failed', 'r-inspection_not_corrected': 'Not corrected in time',
      'r-room_inspection_failed': 'Room inspection failed', 'r-sealed_check_missing': 'No sealed-environment check', 'r-sealed_check_failed': 'Sealed check failed', 'r-blocked': 'Blocked (incident)',
      'duty-hours': 'Duty window: {b} hours before the first sitting to {a} hours after the last.', 'gaps-only': 'With gaps only',
      'duty-totals': '{centres} centres, {with_gaps} with gaps in their duty; {matching} match the filters.',
      windows: 'Duty windows', shifts: 'On duty', covered: 'covered', gaps: 'gaps: {g}', 'no-shifts': 'nobody yet',
      'unit-shifts': 'Agency duty', log: 'Duty log', 'see-log': 'Duty log',
      'p-chief_examiner': 'Chief examiner', 'p-deputy_chief_examiner': 'Deputy chief', 'p-duty_officer': 'Duty officer', 'p-custodian': 'Custodian',
      'p-security': 'Security', 'p-medical': 'Medical', 'p-system_admin': 'System admin', 'p-logistics': 'Logistics', 'p-other': 'Other',
      'log-centre': 'Centre id', day: 'Day', show: 'Show', 'log-none': 'No duty log entries that day.',
      when: 'Time', who: 'On duty', kind: 'Kind', content: 'What happened', action: 'Action', caller: 'Caller',
      'k-event': 'Event', 'k-call': 'Call', 'k-action': 'Action', 'k-handover': 'Handover', 'k-note': 'Note',
      'add-h': 'New duty log entry (the person on shift only)', add: 'Submit', saved: 'Recorded.', 'need-content': 'Write what happened.',
    },
  };
  const REASONS = ['agreement_missing', 'agreement_late', 'agreement_expired', 'safety_letter_missing', 'safety_letter_late',
    'safety_letter_expired', 'inspection_missing', 'inspection_failed', 'inspection_not_corrected', 'room_inspection_failed',
    'sealed_check_missing', 'sealed_check_failed', 'blocked'];
  const KINDS = ['event', 'call', 'action', 'handover', 'note'];
  const PAGE = 50;
  const q0 = new URLSearchParams(location.search);
  const S = { me: null, exams: [], exam: null, tab: q0.get('tab') || 'ready', f: { notReady: true, reason: '', code: '', gaps: false },
    cursors: [0], data: null, logCentre: Number(q0.get('centre')) || 0, logDay: q0.get('day') || '' };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const ex = await api('GET', '/api/v1/exams?limit=100');
    if (!ex.ok) return K.showError(ex);
    S.exams = ex.json.items;
    const want = Number(q0.get('exam'));
    S.exam = S.exams.find((e) => e.id === want) || S.exams[0] || null;
    if (!S.exam) { $('view').replaceChildren(h('p', { class: 'hint' }, t('no-exams'))); return; }
    await load();
  }

  function url() {
    const p = new URLSearchParams({ exam: S.exam.id, tab: S.tab });
    if (S.tab === 'log' && S.logCentre) { p.set('centre', S.logCentre); if (S.logDay) p.set('day', S.logDay); }
    history.replaceState(null, '', '?' + p);
  }

  async function load() {
    url();
    const cur = S.cursors[S.cursors.length - 1];
    let path;
    if (S.tab === 'ready') {
      const p = new URLSearchParams({ limit: PAGE, cursor: cur });
      if (S.f.notReady) p.set('not_ready_only', '1');
      if (S.f.reason) p.set('reason', S.f.reason);
      if (S.f.code) p.set('code', S.f.code);
      path = `/api/v1/exams/${S.exam.id}/readiness?${p}`;
    } else if (S.tab === 'duty') {
      const p = new URLSearchParams({ limit: PAGE, cursor: cur });
      if (S.f.gaps) p.set('gaps_only', '1');
      path = `/api/v1/exams/${S.exam.id}/duty?${p}`;
    } else {
      if (!S.logCentre) { S.data = null; return draw(); }
      const p = new URLSearchParams({ centre_id: S.logCentre, limit: 200 });
      if (S.logDay) p.set('day', S.logDay);
      path = `/api/v1/exams/${S.exam.id}/duty/log?${p}`;
    }
    const r = await api('GET', path);
    S.data = r.ok ? r.json : null;
    draw();
    if (!r.ok) K.showError(r);
    else K.flash('');
  }

  function switchTo(tab) { S.tab = tab; S.cursors = [0]; load(); }

  function head() {
    const sel = h('select', { id: 'exam', onchange: () => { S.exam = S.exams.find((e) => e.id === Number(sel.value)); S.cursors = [0]; load(); } },
      S.exams.map((e) => h('option', { value: e.id, selected: e.id === S.exam.id ? true : null }, `${e.code} ${e.name}`)));
    const tabs = h('div', { class: 'tabs', role: 'tablist' }, ['ready', 'duty', 'log'].map((k) =>
      h('button', { type: 'button', class: 'btn', role: 'tab', 'aria-selected': String(S.tab === k), id: 'tab-' + k, onclick: () => switchTo(k) }, t('tab-' + k))));
    return [h('div', { class: 'filters' }, h('label', { for: 'exam' }, t('exam'), sel)), tabs];
  }

  function pager(next) {
    const prev = S.cursors.length > 1;
    if (!prev && (next === null || next === undefined)) return null;
    return h('div', { class: 'pager' },
      h('button', { type: 'button', class: 'btn', id: 'prev', disabled: !prev, onclick: () => { S.cursors.pop(); load(); } }, t('prev')),
      h('button', { type: 'button', class: 'btn', id: 'next', disabled: next === null || next === undefined, onclick: () => { S.cursors.push(next); load(); } }, t('next')));
  }

  function draw() {
    if (!S.exam) return;
    const body = S.tab === 'ready' ? drawReady() : S.tab === 'duty' ? drawDuty() : drawLog();
    $('view').replaceChildren(...head(), body);
  }

  const reasonText = (m) => (K.lang === 'en' ? m.en : m.zh) + (m.rooms ? ' — ' + t('rooms', { rooms: m.rooms.map((r) => r.code).join('、') }) : '');

  function drawReady() {
    const d = S.data;
    const nr = h('input', { type: 'checkbox', id: 'f-not-ready', checked: S.f.notReady ? true : null });
    const rs = h('select', { id: 'f-reason' }, h('option', { value: '' }, t('any-reason')),
      REASONS.map((c) => h('option', { value: c, selected: S.f.reason === c ? true : null }, t('r-' + c))));
    const code = h('input', { id: 'f-code', value: S.f.code, maxlength: '40' });
    const form = h('form', { class: 'filters', onsubmit: (ev) => {
      ev.preventDefault();
      S.f.notReady = nr.checked; S.f.reason = rs.value; S.f.code = code.value.trim(); S.cursors = [0];
      load();
    } }, h('label', { class: 'check' }, nr, t('not-ready-only')), h('label', {}, t('reason'), rs), h('label', {}, t('code'), code),
    h('button', { type: 'submit', class: 'btn primary', id: 'apply' }, t('apply')));
    if (!d) return h('section', {}, form);
    if (!d.run_id) return h('section', {}, form, h('p', { class: 'hint' }, t('no-run')));
    const rows = d.items.map((c) => h('tr', { 'data-centre': c.code },
      h('td', {}, c.code), h('td', {}, c.name), h('td', {}, c.cbt ? t('yes') : t('no')),
      h('td', {}, h('span', { class: 'badge ' + (c.ready ? 'ok' : 'bad') }, c.ready ? t('ready') : t('not-ready'))),
      h('td', {}, c.missing.length ? h('ul', { class: 'missing' }, c.missing.map((m) => h('li', { 'data-code': m.code }, reasonText(m)))) : '—')));
    return h('section', {}, form,
      h('p', { class: 'totals', id: 'totals' }, t('first-day', { day: d.first_day }), ' · ', t('totals', { ...d.totals, matching: d.matching })),
      h('table', { class: 'grid', id: 'centres' }, h('thead', {}, h('tr', {}, ['centre', 'name', 'cbt', 'state', 'missing'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows)),
      pager(d.next_cursor));
  }

  const span = (a, b) => `${K.cst(a, false)} – ${K.cst(b, false).slice(11)}`;
  function shiftLine(s) { return `${t('p-' + s.post)} ${s.staff_name} ☎ ${s.phone} · ${span(s.starts_at, s.ends_at)}`; }

  function drawDuty() {
    const d = S.data;
    const gaps = h('input', { type: 'checkbox', id: 'f-gaps', checked: S.f.gaps ? true : null, onchange: () => { S.f.gaps = gaps.checked; S.cursors = [0]; load(); } });
    const filters = h('div', { class: 'filters' }, h('label', { class: 'check' }, gaps, t('gaps-only')));
    if (!d) return h('section', {}, filters);
    const rows = d.items.map((c) => h('tr', { 'data-centre': c.code },
      h('td', {}, c.code, h('br'), c.name),
      h('td', {}, h('ul', { class: 'missing' }, c.windows.map((w) => h('li', {}, span(w.from, w.to), ' ',
        w.covered ? h('span', { class: 'badge ok' }, t('covered'))
          : h('span', { class: 'gap' }, t('gaps', { g: w.gaps.map((g) => span(g.from, g.to)).join('；') })))))),
      h('td', {}, c.shifts.length ? h('ul', { class: 'missing' }, c.shifts.map((s) => h('li', {}, shiftLine(s)))) : t('no-shifts')),
      h('td', {}, h('button', { type: 'button', class: 'btn', onclick: () => {
        S.logCentre = c.centre_id; S.logDay = c.windows.length ? c.windows[0].day : ''; switchTo('log');
      } }, t('see-log')))));
    return h('section', {}, filters,
      h('p', { class: 'totals', id: 'totals' }, t('duty-hours', { b: d.hours_before, a: d.hours_after }), ' ', t('duty-totals', d.totals)),
      h('table', { class: 'grid', id: 'roster' }, h('thead', {}, h('tr', {}, ['centre', 'windows', 'shifts', 'log'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows)),
      pager(d.next_cursor),
      d.unit_shifts.length ? h('section', {}, h('h2', {}, t('unit-shifts')), h('ul', {}, d.unit_shifts.map((s) => h('li', {}, shiftLine(s))))) : null);
  }

  function drawLog() {
    const centre = h('input', { id: 'log-centre', type: 'number', min: '1', value: S.logCentre || '' });
    const day = h('input', { id: 'log-day', type: 'date', value: S.logDay });
    const form = h('form', { class: 'filters', onsubmit: (ev) => {
      ev.preventDefault();
      S.logCentre = Number(centre.value) || 0; S.logDay = day.value; load();
    } }, h('label', {}, t('log-centre'), centre), h('label', {}, t('day'), day), h('button', { type: 'submit', class: 'btn primary', id: 'show' }, t('show')));
    const d = S.data;
    const list = !d ? null : !d.items.length ? h('p', { class: 'hint' }, t('log-none'))
      : h('table', { class: 'grid', id: 'log' }, h('thead', {}, h('tr', {}, ['when', 'who', 'kind', 'content', 'caller', 'action'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, d.items.map((e) => h('tr', {}, h('td', {}, K.cst(e.occurred_at)), h('td', {}, `${e.staff_name}（${t('p-' + e.post)}）`),
          h('td', {}, t('k-' + e.kind)), h('td', {}, e.content), h('td', {}, e.caller || ''), h('td', {}, e.action_taken || '')))));
    return h('section', {}, form, list, S.logCentre ? addForm() : null);
  }

  function addForm() {
    const kind = h('select', { id: 'e-kind' }, KINDS.map((k) => h('option', { value: k }, t('k-' + k))));
    const content = h('textarea', { id: 'e-content', rows: '2', maxlength: '2000' });
    const caller = h('input', { id: 'e-caller', maxlength: '100' });
    const action = h('textarea', { id: 'e-action', rows: '2', maxlength: '2000' });
    return h('form', { class: 'card', id: 'add', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!content.value.trim()) return K.flash(t('need-content'));
      const b = { centre_id: S.logCentre, kind: kind.value, content: content.value.trim() };
      if (caller.value.trim()) b.caller = caller.value.trim();
      if (action.value.trim()) b.action_taken = action.value.trim();
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/duty/log`, b);
      if (!r.ok) return K.showError(r);
      await load();
      K.flash(t('saved'), true);
    } }, h('h2', {}, t('add-h')),
    h('div', { class: 'filters' }, h('label', {}, t('kind'), kind), h('label', {}, t('caller'), caller)),
    h('label', { for: 'e-content' }, t('content')), content, h('label', { for: 'e-action' }, t('action')), action,
    h('button', { type: 'submit', class: 'btn primary' }, t('add')));
  }
  K.chrome(() => draw());
  start();
})();
