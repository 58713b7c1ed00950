// Exam-day incidents for agency and centre staff (SPEC DAY-5, VEN-4, DAY-1; issue 9 item 5):
// /incidents.html?exam=ID[&incident=ID]. The exam's incidents the account reaches, filtered
// (open or closed, category, centre, awaiting my level's acknowledgement), with the open count
// per centre; raise one; open one: its levels (notified, acknowledged, sent up with a note),
// findings, measures and notes, evidence, the police report, outcomes; acknowledge, escalate,
// record, fix evidence, report to the police, mark major (the centre is blocked until the
// VEN-4 register records its rectification), ask for a postponement, re-sitting or
// cancellation (an approval the national centre or the ministry decides), close. Refusals in
// the server's words. The session is the console's.
'use strict';
(function () {
  const CATS = ['paper_or_key_leak', 'organised_cheating', 'insider_collusion', 'public_opinion', 'mass_disruption', 'other_major_risk',
    'candidate_illness', 'equipment_failure', 'power_or_network', 'weather', 'other'];
  const TEXT = {
    'zh-CN': {
      brand: '考场突发事件', title: '考场突发事件', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '考务人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      exam: '考试', open: '打开', status: '状态', 'st-any': '全部', 'st-open': '处理中', 'st-closed': '已办结',
      category: '类别', 'cat-any': '全部类别', centre: '考点', 'centre-id': '考点编号（ID）', 'awaiting-mine': '仅看待本级确认', filter: '筛选',
      'list-h': '事件列表', 'none': '没有符合条件的事件。', 'open-h': '各考点未办结事件', 'open-line': '{code}：{n} 起',
      id: '编号', when: '发生时间', subject: '科目', awaiting: '待确认层级', major: '重大', urgent: '须立即报告', more: '更多',
      'raise-h': '报告事件', 'subject-code': '科目', 'room-id': '考场编号（ID，选填）', occurred: '发生时间（北京时间）',
      description: '事件经过', 'mark-major': '重大事故（考点须整改后方可再次使用）', raise: '上报', raised: '已上报（事件 #{id}）。',
      'inc-h': '事件 #{id}', back: '返回列表', room: '考场', reporter: '报告人', 'police': '报案情况', 'police-line': '{at} 向 {to} 报案，编号 {ref}',
      conclusion: '处理结论', closed: '已于 {at} 由 {by} 办结', venue: 'VEN-4 登记', 'venue-line': '已记入考点安全事故登记 #{id}（整改后解除）',
      'steps-h': '逐级报告', notified: '通报', acked: '{by} 于 {at} 确认', 'not-acked': '待确认', sent: '由 {by} 上报：{note}',
      'updates-h': '调查情况与处置措施', 'u-finding': '调查情况', 'u-measure': '处置措施', 'u-note': '备注', 'no-updates': '尚无记录。',
      'files-h': '证据材料', 'no-files': '尚无证据材料。', 'outcomes-h': '延期、重考与取消',
      'o-postpone': '延期考试（须国家考试中心同意）', 'o-resit': '重新考试（须人力资源社会保障部同意）', 'o-cancel': '取消考试（须人力资源社会保障部同意）',
      'os-pending': '待审批', 'os-approved': '已批准', 'os-rejected': '未批准',
      'ack-h': '本级确认', note: '说明（选填）', ack: '确认收悉', 'esc-h': '向上级报告', 'esc-note': '上报说明', escalate: '上报上一级',
      'upd-h': '记录调查或措施', kind: '类别', text: '内容', add: '记录', 'file-h': '固定证据', label: '名称', file: '文件（照片或 PDF）', upload: '上传',
      'police-h': '向公安机关报案', 'police-at': '报案时间（北京时间）', 'police-to': '报案机关', 'police-ref': '受案编号', 'police-save': '记录报案',
      'major-h': '重大事故', 'major-btn': '标记为重大事故', 'confirm-major': '标记后考点将在整改完成前不能再作为考点使用。确定吗？',
      'close-h': '办结', close: '办结', 'outcome-h': '申请延期、重考或取消', details: '具体安排', announcement: '公告文本（批准后向社会公布）',
      request: '提交审批', requested: '已提交审批（审批 #{id}）。', saved: '已保存。', 'need-text': '请填写内容。',
      'c-paper_or_key_leak': '试卷或答案泄露', 'c-organised_cheating': '有组织作弊', 'c-insider_collusion': '内外勾结作弊',
      'c-public_opinion': '造成不良舆论影响', 'c-mass_disruption': '大面积中断、作答数据丢失或群体性事件', 'c-other_major_risk': '其他重大风险',
      'c-candidate_illness': '考生突发疾病', 'c-equipment_failure': '设备故障', 'c-power_or_network': '停电或网络故障', 'c-weather': '恶劣天气', 'c-other': '其他',
    },
    en: {
      brand: 'Exam-day incidents', title: 'Exam-day incidents', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      exam: 'Exam', open: 'Open', status: 'Status', 'st-any': 'All', 'st-open': 'Open', 'st-closed': 'Closed',
      category: 'Category', 'cat-any': 'All categories', centre: 'Centre', 'centre-id': 'Centre ID', 'awaiting-mine': 'Awaiting my level only', filter: 'Filter',
      'list-h': 'Incidents', 'none': 'No incidents match.', 'open-h': 'Open incidents per centre', 'open-line': '{code}: {n}',
      id: 'ID', when: 'Occurred', subject: 'Subject', awaiting: 'Awaiting', major: 'Major', urgent: 'Report at once', more: 'More',
      'raise-h': 'Report an incident', 'subject-code': 'Subject', 'room-id': 'Exam room ID (optional)', occurred: 'Occurred at (China time)',
      description: 'What happened', 'mark-major': 'Major incident (the centre needs rectification before serving again)', raise: 'Report', raised: 'Reported (incident #{id}).',
      'inc-h': 'Incident #{id}', back: 'Back to the list', room: 'Exam room', reporter: 'Reported by', 'police': 'Police report', 'police-line': '{at} to {to}, reference {ref}',
      conclusion: 'Conclusion', closed: 'Closed at {at} by {by}', venue: 'VEN-4 register', 'venue-line': 'Entered in the centre\u2019s incident register #{id} (lifted on rectification)',
      'steps-h': 'Chain of levels', notified: 'notified', acked: 'acknowledged by {by} at {at}', 'not-acked': 'awaiting acknowledgement', sent: 'sent up by {by}: {note}',
      'updates-h': 'Findings and measures', 'u-finding': 'Finding', 'u-measure': 'Measure', 'u-note': 'Note', 'no-updates': 'Nothing recorded yet.',
      'files-h': 'Evidence', 'no-files': 'No evidence yet.', 'outcomes-h': 'Postponement, re-sitting, cancellation',
      'o-postpone': 'Postponement (the national centre\u2019s consent)', 'o-resit': 'Re-sitting (the ministry\u2019s consent)', 'o-cancel': 'Cancellation (the ministry\u2019s consent)',
      'os-pending': 'pending', 'os-approved': 'approved', 'os-rejected': 'rejected',
      'ack-h': 'Acknowledge', note: 'Note (optional)', ack: 'Acknowledge', 'esc-h': 'Send up', 'esc-note': 'Why it goes up', escalate: 'Send to the next level',
      'upd-h': 'Record a finding or measure', kind: 'Kind', text: 'Text', add: 'Record', 'file-h': 'Fix evidence', label: 'Label', file: 'File (photo or PDF)', upload: 'Upload',
      'police-h': 'Report to the police', 'police-at': 'Reported at (China time)', 'police-to': 'Police office', 'police-ref': 'Case reference', 'police-save': 'Record the report',
      'major-h': 'Major incident', 'major-btn': 'Mark as major', 'confirm-major': 'The centre will not serve again until rectification is recorded. Mark it major?',
      'close-h': 'Close', close: 'Close', 'outcome-h': 'Ask for postponement, re-sitting or cancellation', details: 'Arrangements', announcement: 'Announcement (published once approved)',
      request: 'Submit for approval', requested: 'Submitted (approval #{id}).', saved: 'Saved.', 'need-text': 'Fill in the text.',
      'c-paper_or_key_leak': 'Paper or key leak', 'c-organised_cheating': 'Organised cheating', 'c-insider_collusion': 'Collusion with insiders',
      'c-public_opinion': 'Damaging public opinion', 'c-mass_disruption': 'Mass interruption, lost responses or group dispute', 'c-other_major_risk': 'Other major risk',
      'c-candidate_illness': 'Candidate taken ill', 'c-equipment_failure': 'Equipment failure', 'c-power_or_network': 'Power or network failure', 'c-weather': 'Severe weather', 'c-other': 'Other',
    },
  };
  const S = { me: null, exam: null, filters: {}, inc: null };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  // "2027-06-01T09:40" typed as China time → RFC 3339
  const cstInput = (v) => (v ? v + ':00+08:00' : '');
  const field = (id, label, el) => h('div', { class: 'field' }, h('label', { for: id }, label), el);

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    S.exam = q.get('exam') ? Number(q.get('exam')) : S.exam;
    if (q.get('incident')) return openIncident(Number(q.get('incident')));
    render();
  }

  function go(params) {
    history.pushState(null, '', '?' + new URLSearchParams(params).toString());
  }

  // The pickers' choices: the published exams, then the chosen exam's subjects and the centres
  // it uses (its readiness list, when the account may read it; else the centre is typed as an id).
  async function choices() {
    if (!S.exams) {
      const r = await api('GET', '/api/v1/public/exams');
      S.exams = r.ok ? r.json.items : [];
    }
    if (S.exam && S.choicesFor !== S.exam) {
      const [e, rd] = await Promise.all([api('GET', '/api/v1/public/exams/' + S.exam),
        api('GET', `/api/v1/exams/${S.exam}/readiness?limit=1000`)]);
      S.subjects = e.ok && Array.isArray(e.json.subjects) ? e.json.subjects : [];
      S.centres = rd.ok ? rd.json.items : null;
      S.choicesFor = S.exam;
    }
  }
  // A select of the centres when known, else a number input (the id).
  function centrePicker(id, value, any) {
    if (!S.centres) return h('input', { id, type: 'number', min: '1', value: value || '' });
    return h('select', { id }, any ? h('option', { value: '' }, t('st-any')) : null,
      S.centres.map((c) => h('option', { value: String(c.centre_id), selected: String(value || '') === String(c.centre_id) }, `${c.code} ${c.name}`)));
  }

  async function render() {
    await choices();
    const exam = S.exams.length
      ? h('select', { id: 'exam' }, h('option', { value: '' }, '—'), S.exams.map((e) => h('option', { value: String(e.id), selected: e.id === S.exam }, `${e.name}（${e.code}）`)))
      : h('input', { id: 'exam', type: 'number', min: '1', value: S.exam || '' });
    const head = h('form', { class: 'card filters', id: 'exam-form', onsubmit: (ev) => {
      ev.preventDefault();
      S.exam = Number(exam.value) || null;
      if (S.exam) go({ exam: S.exam });
      render();
    } }, field('exam', t('exam'), exam), h('button', { type: 'submit', class: 'btn primary' }, t('open')));
    if (!S.exam) return $('view').replaceChildren(head);
    await choices();
    const f = S.filters;
    const status = h('select', { id: 'f-status' }, ['', 'open', 'closed'].map((v) => h('option', { value: v, selected: (f.status || '') === v }, t('st-' + (v || 'any')))));
    const cat = h('select', { id: 'f-category' }, h('option', { value: '' }, t('cat-any')), CATS.map((c) => h('option', { value: c, selected: f.category === c }, t('c-' + c))));
    const centre = centrePicker('f-centre', f.centre, true);
    const mine = h('input', { id: 'f-mine', type: 'checkbox' });
    mine.checked = !!f.mine;
    const filters = h('form', { class: 'card filters', id: 'filters', onsubmit: (ev) => {
      ev.preventDefault();
      S.filters = { status: status.value, category: cat.value, centre: centre.value, mine: mine.checked };
      render();
    } }, field('f-status', t('status'), status), field('f-category', t('category'), cat), field('f-centre', t(S.centres ? 'centre' : 'centre-id'), centre),
    h('label', { class: 'check-row' }, mine, t('awaiting-mine')), h('button', { type: 'submit', class: 'btn' }, t('filter')));
    $('view').replaceChildren(head, filters, h('div', { id: 'list' }), raiseForm());
    // "awaiting my level": one query per unit where I hold a grant
    const units = f.mine ? [...new Set((S.me.grants || []).map((g) => g.unit))] : [null];
    let items = [], counts = [];
    for (const u of units) {
      const q = new URLSearchParams();
      if (f.status) q.set('status', f.status);
      if (f.category) q.set('category', f.category);
      if (f.centre) q.set('centre_id', f.centre);
      if (u) q.set('awaiting_unit_id', u);
      q.set('limit', '500');
      const r = await api('GET', `/api/v1/exams/${S.exam}/exam_incidents?${q}`);
      if (!r.ok) return K.showError(r);
      items = items.concat(r.json.items);
      if (!f.mine) counts = r.json.open_by_centre;
    }
    $('list').replaceChildren(listView(items, counts));
  }

  function listView(items, counts) {
    const rows = items.map((i) => h('tr', { class: i.urgent ? 'urgent' : null },
      h('td', {}, h('a', { href: `?exam=${S.exam}&incident=${i.id}`, onclick: (ev) => { ev.preventDefault(); go({ exam: S.exam, incident: i.id }); openIncident(i.id); } }, '#' + i.id)),
      h('td', {}, K.cst(i.occurred_at, false)), h('td', {}, `${i.centre.code} ${i.centre.name}`), h('td', {}, i.subject.code),
      h('td', {}, t('c-' + i.category), i.urgent ? [' ', h('span', { class: 'badge bad' }, t('urgent'))] : null,
        i.major ? [' ', h('span', { class: 'badge warn' }, t('major'))] : null),
      h('td', {}, t('st-' + i.status)), h('td', {}, i.awaiting ? i.awaiting.name : '—')));
    return h('section', { class: 'card' }, h('h2', {}, t('list-h')),
      counts.length ? h('p', { id: 'open-by-centre' }, t('open-h'), '：', counts.map((c) => t('open-line', { code: c.code, n: c.open })).join('；')) : null,
      items.length ? h('table', { class: 'data', id: 'incident-list' },
        h('thead', {}, h('tr', {}, ['id', 'when', 'centre', 'subject', 'category', 'status', 'awaiting'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows)) : h('p', {}, t('none')));
  }

  function raiseForm() {
    const subject = S.subjects && S.subjects.length
      ? h('select', { id: 'r-subject' }, S.subjects.map((x) => h('option', { value: x.code }, `${x.code} ${x.name}`)))
      : h('input', { id: 'r-subject', maxlength: '60' });
    const centre = centrePicker('r-centre', '', false);
    const room = h('input', { id: 'r-room', type: 'number', min: '1' });
    const when = h('input', { id: 'r-when', type: 'datetime-local' });
    const cat = h('select', { id: 'r-category' }, CATS.map((c) => h('option', { value: c }, t('c-' + c))));
    const desc = h('textarea', { id: 'r-desc', rows: '3', maxlength: '2000' });
    const major = h('input', { id: 'r-major', type: 'checkbox' });
    const msg = h('div', { id: 'r-msg' });
    return h('form', { class: 'card entry-form', id: 'raise', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { subject: subject.value.trim(), occurred_at: cstInput(when.value), category: cat.value, description: desc.value.trim() };
      if (centre.value) body.centre_id = Number(centre.value);
      if (room.value) body.room_id = Number(room.value);
      if (major.checked) body.major = true;
      const r = await api('POST', `/api/v1/exams/${S.exam}/exam_incidents`, body);
      if (!r.ok) return K.showError(r, (d) => K.fieldList(d.fields), msg);
      msg.replaceChildren(h('p', { class: 'ok' }, t('raised', { id: r.json.id })));
      desc.value = '';
      render();
    } }, h('h2', {}, t('raise-h')),
    field('r-subject', t('subject-code'), subject), field('r-centre', t(S.centres ? 'centre' : 'centre-id'), centre), field('r-room', t('room-id'), room),
    field('r-when', t('occurred'), when), field('r-category', t('category'), cat), field('r-desc', t('description'), desc),
    h('label', { class: 'check-row' }, major, t('mark-major')),
    h('button', { type: 'submit', class: 'btn primary', id: 'raise-btn' }, t('raise')), msg);
  }

  async function openIncident(id) {
    const r = await api('GET', '/api/v1/exam_incidents/' + id);
    if (!r.ok) return K.showError(r);
    S.inc = r.json;
    S.exam = r.json.exam_id;
    drawIncident();
  }

  // A write on the incident: the answer (the incident) redrawn, or the refusal in box.
  async function act(path, body, box, done) {
    const r = await api('POST', `/api/v1/exam_incidents/${S.inc.id}/${path}`, body);
    if (!r.ok) return K.showError(r, (d) => K.fieldList(d.fields), box);
    if (done) return done(r);
    S.inc = r.json;
    drawIncident();
    K.flash(t('saved'), true);
  }

  function drawIncident() {
    const i = S.inc;
    const facts = [
      [t('category'), [t('c-' + i.category), i.urgent ? [' ', h('span', { class: 'badge bad' }, t('urgent'))] : null]],
      [t('status'), t('st-' + i.status)],
      [t('when'), K.cst(i.occurred_at, false)],
      [t('centre'), `${i.centre.code} ${i.centre.name}` + (i.room_id ? ` · ${t('room')} #${i.room_id}` : '')],
      [t('subject'), `${i.subject.code} ${i.subject.name}`],
      [t('reporter'), i.reported_by],
      [t('description'), i.description],
      [t('awaiting'), i.awaiting ? i.awaiting.name : '—'],
      i.major ? [t('venue'), h('span', { class: 'badge warn' }, t('venue-line', { id: i.venue_incident_id }))] : null,
      i.police_report ? [t('police'), t('police-line', { at: K.cst(i.police_report.reported_at, false), to: i.police_report.to, ref: i.police_report.reference })] : null,
      i.conclusion ? [t('conclusion'), [i.conclusion, ' — ', t('closed', { at: K.cst(i.closed_at, false), by: i.closed_by })]] : null,
    ].filter(Boolean);
    const steps = h('ol', { class: 'list', id: 'steps' }, i.steps.map((s) => h('li', {},
      h('strong', {}, s.unit.name), ' · ', t('notified'), ' ', K.cst(s.notified_at, false), ' · ',
      s.acknowledged_at ? t('acked', { by: s.acknowledged_by, at: K.cst(s.acknowledged_at, false) }) : h('span', { class: 'badge bad' }, t('not-acked')),
      s.escalated_by ? h('div', { class: 'hint' }, t('sent', { by: s.escalated_by, note: s.note || '' })) : null)));
    const updates = i.updates.length ? h('ul', { class: 'list', id: 'updates' }, i.updates.map((u) => h('li', {},
      h('span', { class: 'badge' }, t('u-' + u.kind)), ' ', u.text, h('div', { class: 'hint' }, `${u.created_by} · ${K.cst(u.created_at, false)}`)))) : h('p', {}, t('no-updates'));
    const files = i.files.length ? h('ul', { class: 'list', id: 'files' }, i.files.map((f) => h('li', {},
      h('a', { href: f.url, target: '_blank', rel: 'noopener' }, f.label), ` (${f.media_type}, ${f.size} B)`))) : h('p', {}, t('no-files'));
    const outcomes = i.outcomes.length ? h('ul', { class: 'list', id: 'outcomes' }, i.outcomes.map((o) => h('li', {},
      t('o-' + o.kind), ' · ', h('span', { class: 'badge' }, t('os-' + o.status)), h('div', {}, o.details), h('div', { class: 'hint' }, o.announcement)))) : null;
    $('view').replaceChildren(
      h('p', {}, h('a', { href: `?exam=${S.exam}`, onclick: (ev) => { ev.preventDefault(); go({ exam: S.exam }); S.inc = null; render(); } }, t('back'))),
      h('section', { class: 'card', id: 'incident' }, h('h2', {}, t('inc-h', { id: i.id })),
        h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
      h('section', { class: 'card' }, h('h2', {}, t('steps-h')), steps),
      h('section', { class: 'card' }, h('h2', {}, t('updates-h')), updates, h('h3', {}, t('files-h')), files,
        outcomes ? [h('h3', {}, t('outcomes-h')), outcomes] : null),
      i.status === 'open' ? h('div', { class: 'acts' }, actions()) : null);
  }

  function actions() {
    const forms = [];
    const form = (id, title, kids, submit, onsubmit) => {
      const msg = h('div', { class: 'msg' });
      return h('form', { class: 'card entry-form', id, onsubmit: (ev) => { ev.preventDefault(); onsubmit(msg); } },
        h('h3', {}, title), kids, h('button', { type: 'submit', class: 'btn primary', id: id + '-btn' }, submit), msg);
    };
    const ackNote = h('textarea', { id: 'ack-note', rows: '2', maxlength: '2000' });
    forms.push(form('ack', t('ack-h'), field('ack-note', t('note'), ackNote), t('ack'),
      (m) => act('acknowledge', ackNote.value.trim() ? { note: ackNote.value.trim() } : {}, m)));
    const escNote = h('textarea', { id: 'esc-note', rows: '2', maxlength: '2000' });
    forms.push(form('esc', t('esc-h'), field('esc-note', t('esc-note'), escNote), t('escalate'), (m) => {
      if (!escNote.value.trim()) return m.replaceChildren(h('p', { class: 'alert' }, t('need-text')));
      act('escalate', { note: escNote.value.trim() }, m);
    }));
    const ukind = h('select', { id: 'upd-kind' }, ['finding', 'measure', 'note'].map((k) => h('option', { value: k }, t('u-' + k))));
    const utext = h('textarea', { id: 'upd-text', rows: '3', maxlength: '2000' });
    forms.push(form('upd', t('upd-h'), [field('upd-kind', t('kind'), ukind), field('upd-text', t('text'), utext)], t('add'), (m) => {
      if (!utext.value.trim()) return m.replaceChildren(h('p', { class: 'alert' }, t('need-text')));
      act('updates', { kind: ukind.value, text: utext.value.trim() }, m);
    }));
    const file = h('input', { id: 'ev-file', type: 'file', accept: 'image/jpeg,image/png,application/pdf' });
    const label = h('input', { id: 'ev-label', maxlength: '60' });
    forms.push(form('ev', t('file-h'), [field('ev-file', t('file'), file), field('ev-label', t('label'), label)], t('upload'), async (m) => {
      const f = file.files[0];
      if (!f) return;
      const r = await api('POST', `/api/v1/exam_incidents/${S.inc.id}/files?label=${encodeURIComponent((label.value.trim() || f.name).slice(0, 60))}`, f);
      if (!r.ok) return K.showError(r, null, m);
      openIncident(S.inc.id);
    }));
    if (!S.inc.police_report) {
      const at = h('input', { id: 'pol-at', type: 'datetime-local' });
      const to = h('input', { id: 'pol-to', maxlength: '200' });
      const ref = h('input', { id: 'pol-ref', maxlength: '100' });
      forms.push(form('pol', t('police-h'), [field('pol-at', t('police-at'), at), field('pol-to', t('police-to'), to), field('pol-ref', t('police-ref'), ref)],
        t('police-save'), (m) => act('police_report', { reported_at: cstInput(at.value), to: to.value.trim(), reference: ref.value.trim() }, m)));
    }
    if (!S.inc.major) {
      forms.push(form('maj', t('major-h'), null, t('major-btn'), async (m) => {
        if (await K.confirmBox(t('confirm-major'), t('major-btn'), { danger: true })) act('major', undefined, m);
      }));
    }
    const okind = h('select', { id: 'out-kind' }, ['postpone', 'resit', 'cancel'].map((k) => h('option', { value: k }, t('o-' + k))));
    const odet = h('textarea', { id: 'out-details', rows: '2', maxlength: '2000' });
    const oann = h('textarea', { id: 'out-ann', rows: '3', maxlength: '2000' });
    forms.push(form('out', t('outcome-h'), [field('out-kind', t('kind'), okind), field('out-details', t('details'), odet), field('out-ann', t('announcement'), oann)],
      t('request'), (m) => act('outcomes', { kind: okind.value, details: odet.value.trim(), announcement: oann.value.trim() }, m, (r) => {
        m.replaceChildren(h('p', { class: 'ok' }, t('requested', { id: r.json.approval_id })));
        openIncident(S.inc.id);
      })));
    const concl = h('textarea', { id: 'close-text', rows: '3', maxlength: '2000' });
    forms.push(form('cls', t('close-h'), field('close-text', t('conclusion'), concl), t('close'), (m) => {
      if (!concl.value.trim()) return m.replaceChildren(h('p', { class: 'alert' }, t('need-text')));
      act('close', { conclusion: concl.value.trim() }, m);
    }));
    return forms;
  }

  window.addEventListener('popstate', () => start());
  K.chrome(() => (S.inc ? drawIncident() : render()));
  start();
})();
