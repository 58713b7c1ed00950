// Retention and destruction of exam materials (SPEC CUS-7, PAP-2; issue 9 item 3):
// /retention.html[?exam=ID&due_on=YYYY-MM-DD]. The exam's materials — paper packages, answer
// sheets per exam room and subject, room records (derived by kaowu) and the electronic copies,
// video and other material staff register — each with the CUS-7 rule applied, its earliest
// destruction date, whether it is held (a serious violation, a major anomaly) and why, and its
// status on the chosen date. Staff put a hold with its reason (another person lifts it), record
// a destruction of the selected due materials with at least two witnesses (the recorder one of
// them; all or nothing: a refused item refuses the batch), and keep a video's use log (PQ 29).
// The session is the console's.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考务资料保存与销毁', title: '考务资料保存与销毁', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      exam: '考试', 'pick-exam': '请选择考试', 'due-on': '核对日期', 'only-due': '只显示到期可销毁的', show: '查看',
      'to-custody': '← 试卷交接与保管',
      published: '成绩公布：{at}', 'not-published': '成绩尚未公布：公布前一律不得销毁（CUS-7）。', 'ends': '考试结束：{at}',
      'counts': '共 {n} 件：到期 {due}，保存中 {kept}，限制销毁 {held}，已销毁 {destroyed}',
      id: '编号', kind: '类别', material: '材料', rule: '保存依据', earliest: '最早销毁日期', status: '状态', why: '限制原因', actions: '操作',
      'k-paper': '试卷', 'k-answer_sheet': '答题卡', 'k-room_record': '考场记录', 'k-electronic_copy': '电子档案', 'k-video': '视频', 'k-other': '其他资料',
      's-due': '到期可销毁', 's-kept': '保存中', 's-held': '限制销毁', 's-destroyed': '已销毁', 's-not_published': '成绩未公布',
      'f-publication': '成绩公布', 'f-exam_end': '考试结束', 'f-later_of_exam_end_and_decision': '考试结束与处理决定孰晚',
      'u-months': '{n} 个月', 'u-years': '{n} 年',
      hold: '限制销毁', 'hold-q': '以重大异常为由限制销毁“{label}”（自成绩公布起至少保存 2 年，须由另一人解除）。请写明原因：',
      lift: '解除', 'lift-q': '解除对“{label}”的销毁限制（须由设置人以外的人解除）。请写明原因：',
      held: '已限制销毁。', lifted: '已解除。', 'hold-by': '（{name} 设置）',
      'destroy-h': '登记销毁', selected: '已选 {n} 件', method: '销毁方式', place: '销毁地点', witnesses: '监督人（每行一个用户名，至少 2 人，含登记人本人）', note: '备注',
      destroy: '登记销毁', 'destroy-q': '登记销毁所选 {n} 件材料？登记后不可撤销；任何一件不符合条件，整批都不登记。',
      'none-selected': '请先勾选到期可销毁的材料。', destroyed: '已登记销毁 {n} 件。',
      'reg-h': '登记其他资料', label: '名称', centre: '考点代码', room: '考场号', subject: '科目代码', from: '录制起', to: '录制止',
      'evidence': '证据所属案件编号（选填）', register: '登记', registered: '已登记。',
      'log': '使用记录', 'log-h': '视频使用记录：{label}', 'log-none': '尚无记录。', action: '事项', purpose: '用途', 'done-by': '经办人', when: '时间',
      'a-collection': '采集', 'a-extraction': '提取', 'a-use': '使用', 'done-by-hint': '经办人用户名（不填为本人）', 'add-log': '登记使用', 'logged': '已登记。',
      'dest-h': '销毁记录', 'dest-none': '尚无销毁记录。', 'dest-line': '{at} · {method} · {place} · {n} 件 · 监督人：{w}',
    },
    en: {
      brand: 'Retention and destruction', title: 'Retention and destruction of exam materials', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      exam: 'Exam', 'pick-exam': 'Choose an exam', 'due-on': 'As of', 'only-due': 'Only what is due', show: 'Show',
      'to-custody': '← Paper custody',
      published: 'Scores published: {at}', 'not-published': 'Scores not published yet: nothing may be destroyed before (CUS-7).', 'ends': 'Exam ended: {at}',
      'counts': '{n} materials: {due} due, {kept} kept, {held} held, {destroyed} destroyed',
      id: 'ID', kind: 'Kind', material: 'Material', rule: 'Rule', earliest: 'Earliest destruction', status: 'Status', why: 'Held because', actions: 'Actions',
      'k-paper': 'Paper', 'k-answer_sheet': 'Answer sheets', 'k-room_record': 'Room record', 'k-electronic_copy': 'Electronic copy', 'k-video': 'Video', 'k-other': 'Other',
      's-due': 'Due', 's-kept': 'Kept', 's-held': 'Held', 's-destroyed': 'Destroyed', 's-not_published': 'Not published',
      'f-publication': 'publication', 'f-exam_end': 'exam end', 'f-later_of_exam_end_and_decision': 'later of exam end and decision',
      'u-months': '{n} months', 'u-years': '{n} years',
      hold: 'Hold', 'hold-q': 'Hold "{label}" for a major anomaly (kept at least 2 years from publication; another person lifts it). The reason:',
      lift: 'Lift', 'lift-q': 'Lift the hold on "{label}" (someone other than who set it). The reason:',
      held: 'Held.', lifted: 'Lifted.', 'hold-by': ' (set by {name})',
      'destroy-h': 'Record a destruction', selected: '{n} selected', method: 'Method', place: 'Place', witnesses: 'Witnesses (one username a line, at least 2, you among them)', note: 'Note',
      destroy: 'Record the destruction', 'destroy-q': 'Record the destruction of the {n} selected materials? This cannot be undone; if any one is refused, none is recorded.',
      'none-selected': 'Select the due materials first.', destroyed: '{n} recorded as destroyed.',
      'reg-h': 'Register other material', label: 'Name', centre: 'Centre code', room: 'Room number', subject: 'Subject code', from: 'Recorded from', to: 'Recorded to',
      'evidence': 'Evidence of case (ID, optional)', register: 'Register', registered: 'Registered.',
      'log': 'Use log', 'log-h': 'Video use log: {label}', 'log-none': 'No entries yet.', action: 'Action', purpose: 'Purpose', 'done-by': 'By', when: 'When',
      'a-collection': 'Collection', 'a-extraction': 'Extraction', 'a-use': 'Use', 'done-by-hint': 'Done by (username; empty: you)', 'add-log': 'Add to the log', 'logged': 'Added.',
      'dest-h': 'Destructions', 'dest-none': 'No destruction recorded.', 'dest-line': '{at} · {method} · {place} · {n} materials · witnesses: {w}',
    },
  };
  const S = { me: null, exams: [], exam: null, list: null, dest: [], pick: new Set(), onlyDue: false, dueOn: '', video: null };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  function today() {
    return K.cst(new Date().toISOString(), false).slice(0, 10);
  }

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    const ex = await api('GET', '/api/v1/exams?limit=100');
    S.exams = ex.ok ? ex.json.items : [];
    const id = Number(q.get('exam'));
    if (id && !S.exams.some((e) => e.id === id)) S.exams.push({ id, code: '#' + id, name: '' });
    S.exam = S.exams.find((e) => e.id === id) || (S.exams.length === 1 ? S.exams[0] : null);
    S.dueOn = q.get('due_on') || today();
    if (S.exam) await load();
    render();
  }

  async function load() {
    const id = S.exam.id;
    const [l, d] = await Promise.all([
      api('GET', `/api/v1/exams/${id}/retention?due_on=${encodeURIComponent(S.dueOn)}` + (S.onlyDue ? '&only=due' : '')),
      api('GET', `/api/v1/exams/${id}/retention/destructions`)]);
    if (!l.ok) { S.list = null; K.showError(l); return; }
    S.list = l.json;
    // a reader without exam.read came with ?exam=ID: name the exam from the list's answer
    if (S.exam.code === '#' + id) Object.assign(S.exam, { code: l.json.exam.code, name: l.json.exam.name });
    S.dest = d.ok ? d.json.items : [];
    for (const x of [...S.pick]) if (!S.list.items.some((i) => i.id === x && i.due)) S.pick.delete(x);
  }

  function render() {
    const sel = h('select', { id: 'exam' }, h('option', { value: '' }, t('pick-exam')),
      S.exams.map((e) => h('option', { value: e.id, selected: S.exam && S.exam.id === e.id }, `${e.code} ${e.name}`)));
    const day = h('input', { id: 'due-on', type: 'date', value: S.dueOn });
    const only = h('input', { id: 'only-due', type: 'checkbox' });
    only.checked = S.onlyDue;
    const form = h('form', { class: 'card no-print', id: 'pick', onsubmit: async (ev) => {
      ev.preventDefault();
      S.exam = S.exams.find((e) => e.id === Number(sel.value)) || null;
      S.dueOn = day.value || today();
      S.onlyDue = only.checked;
      K.flash('');
      if (S.exam) {
        history.replaceState(null, '', `?exam=${S.exam.id}&due_on=${S.dueOn}`);
        await load();
      }
      render();
    } },
    h('p', {}, h('a', { href: '/custody.html' }, t('to-custody'))),
    h('div', { class: 'field' }, h('label', { for: 'exam' }, t('exam')), sel),
    h('div', { class: 'field' }, h('label', { for: 'due-on' }, t('due-on')), day),
    h('div', { class: 'field' }, h('label', {}, only, ' ', t('only-due'))),
    h('button', { type: 'submit', class: 'btn primary big', id: 'show' }, t('show')));
    const parts = [form];
    if (S.exam && S.list) parts.push(summary(), table(), destroyForm(), videoLog(), registerForm(), destructions());
    $('view').replaceChildren(...parts.filter(Boolean));
  }

  function summary() {
    const L = S.list;
    const c = L.counts || {};
    return h('section', { class: 'card', id: 'summary' },
      h('h2', {}, `${L.exam.code} ${L.exam.name}`),
      h('p', {}, L.published_at ? t('published', { at: K.cst(L.published_at, false) }) : h('b', {}, t('not-published'))),
      L.exam_ends_at ? h('p', {}, t('ends', { at: K.cst(L.exam_ends_at, false) })) : null,
      h('p', { id: 'counts' }, t('counts', { n: Object.values(c).reduce((a, b) => a + b, 0), due: c.due || 0, kept: (c.kept || 0) + (c.not_published || 0), held: c.held || 0, destroyed: c.destroyed || 0 })));
  }

  function ruleText(r) {
    return `${t('f-' + r.from)}${r.from_date ? ' ' + r.from_date : ''} + ${t('u-' + r.unit, { n: r.value })}`;
  }

  function where(i) {
    return [i.centre ? i.centre.code : null, i.exam_room ? `#${i.exam_room.number}` : null, i.subject ? i.subject.code : null,
      i.recorded_from ? `${i.recorded_from}–${i.recorded_to}` : null].filter(Boolean).join(' · ');
  }

  async function hold(i) {
    const reason = await K.confirmBox(t('hold-q', { label: i.label }), t('hold'), { reason: true });
    if (!reason) return;
    const r = await api('POST', `/api/v1/retention_materials/${i.id}/holds`, { reason });
    if (!r.ok) return K.showError(r);
    await load();
    render();
    K.flash(t('held'), true);
  }

  async function lift(i, x) {
    const reason = await K.confirmBox(t('lift-q', { label: i.label }), t('lift'), { reason: true });
    if (!reason) return;
    const r = await api('POST', `/api/v1/retention_holds/${x.hold_id}/lift`, { reason });
    if (!r.ok) return K.showError(r);
    await load();
    render();
    K.flash(t('lifted'), true);
  }

  function table() {
    const rows = S.list.items.map((i) => {
      const box = i.due ? h('input', { type: 'checkbox', id: 'pick-' + i.id, 'aria-label': `${t('destroy')} ${i.label}`,
        onchange: (ev) => { if (ev.target.checked) S.pick.add(i.id); else S.pick.delete(i.id); $('selected').textContent = t('selected', { n: S.pick.size }); } }) : null;
      if (box) box.checked = S.pick.has(i.id);
      return h('tr', { class: i.status === 'held' ? 'flagged' : null, id: 'm-' + i.id },
        h('td', { class: 'no-print' }, box), h('td', {}, i.id), h('td', {}, t('k-' + i.kind)),
        h('td', {}, i.label, h('div', { class: 'hint' }, where(i)),
          i.package ? h('div', { class: 'no-print' }, h('a', { href: '/custody.html?package=' + i.package.id }, i.package.seal_no)) : null),
        h('td', {}, i.rules.map((r) => h('div', {}, ruleText(r)))),
        h('td', {}, i.earliest || '—'),
        h('td', {}, h('span', { class: 'badge' + (i.status === 'held' ? ' bad' : '') }, t('s-' + i.status)),
          i.destruction ? h('div', { class: 'hint' }, K.cst(i.destruction.destroyed_at, false)) : null),
        h('td', {}, i.holds.map((x) => h('div', {}, x.reason, x.set_by ? t('hold-by', { name: x.set_by.name }) : '',
          x.kind === 'anomaly' && i.status !== 'destroyed' ? h('button', { type: 'button', class: 'btn no-print', onclick: () => lift(i, x) }, t('lift')) : null))),
        h('td', { class: 'no-print' },
          i.status !== 'destroyed' ? h('button', { type: 'button', class: 'btn', id: 'hold-' + i.id, onclick: () => hold(i) }, t('hold')) : null,
          i.kind === 'video' ? h('button', { type: 'button', class: 'btn', id: 'log-' + i.id, onclick: () => openLog(i) }, t('log')) : null));
    });
    return h('section', { class: 'card' },
      h('table', { class: 'data chain', id: 'materials' },
        h('thead', {}, h('tr', {}, h('th', { class: 'no-print' }, ''), ['id', 'kind', 'material', 'rule', 'earliest', 'status', 'why'].map((k) => h('th', { scope: 'col' }, t(k))),
          h('th', { class: 'no-print' }, t('actions')))),
        h('tbody', {}, rows)));
  }

  function destroyForm() {
    const method = h('input', { id: 'method', maxlength: '100' });
    const place = h('input', { id: 'place', maxlength: '200' });
    const wit = h('textarea', { id: 'witnesses', rows: '3' });
    wit.value = S.me && S.me.username ? S.me.username + '\n' : '';
    const note = h('textarea', { id: 'dnote', rows: '2', maxlength: '1000' });
    const msg = h('div', { id: 'destroy-msg', 'aria-live': 'polite' });
    return h('form', { class: 'card no-print entry-form', id: 'destroy', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!S.pick.size) return K.flash(t('none-selected'));
      if (!await K.confirmBox(t('destroy-q', { n: S.pick.size }), t('destroy'), { danger: true })) return;
      const body = { materials: [...S.pick], method: method.value.trim(), place: place.value.trim(),
        witnesses: wit.value.split('\n').map((s) => s.trim().replace(/^@/, '')).filter(Boolean) };
      if (note.value.trim()) body.note = note.value.trim();
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/retention/destructions`, body);
      if (!r.ok) {
        if (r.status === 0) return K.flash(t('offline'));
        return K.showError(r, (d) => K.fieldList(d.fields), msg);
      }
      const n = S.pick.size;
      S.pick.clear();
      await load();
      render();
      K.flash(t('destroyed', { n }), true);
    } },
    h('h2', {}, t('destroy-h')), h('p', { id: 'selected' }, t('selected', { n: S.pick.size })),
    h('div', { class: 'field' }, h('label', { for: 'method' }, t('method')), method),
    h('div', { class: 'field' }, h('label', { for: 'place' }, t('place')), place),
    h('div', { class: 'field' }, h('label', { for: 'witnesses' }, t('witnesses')), wit),
    h('div', { class: 'field' }, h('label', { for: 'dnote' }, t('note')), note),
    h('button', { type: 'submit', class: 'btn primary big danger', id: 'destroy-btn' }, t('destroy')), msg);
  }

  async function openLog(i) {
    const r = await api('GET', `/api/v1/retention_materials/${i.id}/video_log`);
    if (!r.ok) return K.showError(r);
    S.video = { item: i, log: r.json.items };
    render();
    $('video-log').scrollIntoView({ block: 'nearest' });
  }

  function videoLog() {
    if (!S.video) return null;
    const { item, log } = S.video;
    const action = h('select', { id: 'log-action' }, ['collection', 'extraction', 'use'].map((a) => h('option', { value: a }, t('a-' + a))));
    const purpose = h('input', { id: 'log-purpose', maxlength: '500' });
    const by = h('input', { id: 'log-by', maxlength: '60' });
    return h('section', { class: 'card', id: 'video-log' }, h('h2', {}, t('log-h', { label: item.label })),
      log.length ? h('table', { class: 'data chain' }, h('thead', {}, h('tr', {}, ['when', 'action', 'purpose', 'done-by'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, log.map((e) => h('tr', {}, h('td', {}, K.cst(e.occurred_at, false)), h('td', {}, t('a-' + e.action)), h('td', {}, e.purpose), h('td', {}, e.done_by.name)))))
        : h('p', {}, t('log-none')),
      h('form', { class: 'no-print entry-form', onsubmit: async (ev) => {
        ev.preventDefault();
        const body = { action: action.value, purpose: purpose.value.trim() };
        if (by.value.trim()) body.done_by = by.value.trim();
        const r = await api('POST', `/api/v1/retention_materials/${item.id}/video_log`, body);
        if (!r.ok) return K.showError(r, (d) => K.fieldList(d.fields));
        await openLog(item);
        K.flash(t('logged'), true);
      } },
      h('div', { class: 'field' }, h('label', { for: 'log-action' }, t('action')), action),
      h('div', { class: 'field' }, h('label', { for: 'log-purpose' }, t('purpose')), purpose),
      h('div', { class: 'field' }, h('label', { for: 'log-by' }, t('done-by-hint')), by),
      h('button', { type: 'submit', class: 'btn primary' }, t('add-log'))));
  }

  function registerForm() {
    const kind = h('select', { id: 'reg-kind' }, ['electronic_copy', 'video', 'other'].map((k) => h('option', { value: k }, t('k-' + k))));
    const f = {};
    const field = (k, attrs) => { f[k] = h('input', Object.assign({ id: 'reg-' + k }, attrs || {})); return h('div', { class: 'field' }, h('label', { for: 'reg-' + k }, t(k)), f[k]); };
    return h('form', { class: 'card no-print entry-form', id: 'register', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { kind: kind.value, label: f.label.value.trim() };
      for (const k of ['centre', 'subject']) if (f[k].value.trim()) body[k] = f[k].value.trim();
      if (f.room.value) body.room = Number(f.room.value);
      if (f.from.value) body.recorded_from = f.from.value;
      if (f.to.value) body.recorded_to = f.to.value;
      if (f.evidence.value) body.evidence_case_id = Number(f.evidence.value);
      if (f.note.value.trim()) body.note = f.note.value.trim();
      const r = await api('POST', `/api/v1/exams/${S.exam.id}/retention/materials`, body);
      if (!r.ok) return K.showError(r, (d) => K.fieldList(d.fields));
      await load();
      render();
      K.flash(t('registered'), true);
    } }, h('h2', {}, t('reg-h')),
    h('div', { class: 'field' }, h('label', { for: 'reg-kind' }, t('kind')), kind),
    field('label', { maxlength: '200' }), field('centre', { maxlength: '60' }), field('room', { type: 'number', min: '1' }),
    field('subject', { maxlength: '60' }), field('from', { type: 'date' }), field('to', { type: 'date' }),
    field('evidence', { type: 'number', min: '1' }), field('note', { maxlength: '1000' }),
    h('button', { type: 'submit', class: 'btn primary' }, t('register')));
  }

  function destructions() {
    return h('section', { class: 'card', id: 'destructions' }, h('h2', {}, t('dest-h')),
      S.dest.length ? h('ul', { class: 'list' }, S.dest.map((d) => h('li', {}, t('dest-line', {
        at: K.cst(d.destroyed_at, false), method: d.method, place: d.place, n: d.materials,
        w: d.witnesses.map((w) => w.name).join('、') })))) : h('p', {}, t('dest-none')));
  }

  K.chrome(() => render());
  start();
})();
