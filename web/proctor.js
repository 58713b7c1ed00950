// The proctor's page (SPEC DAY-2..4; issue 9 item 4): /proctor.html[?exam=ID&subject=CODE&room=ID].
// First the exam rooms the lottery assigned to me with their sittings; then, for one room and
// sitting: the clock and the rules in force (entry from … until …, no leaving before …), a
// check-in box (a scanner types the QR text and Enter, or the ticket number is typed): a
// preview shows the seat and the photo large, the proctor confirms the identity document and
// the photo, then checks in; a refusal is shown large in the server's words. The live counts,
// the absentees, the candidates in the room with hand-in and early-leave buttons, the room
// record's entries (with evidence), the signatures, sign and close. A write that fails on the
// network keeps what was typed and says so, to try again. The session is the console's.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考场入场与考场记录', title: '考场入场与考场记录', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '监考人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      'my-rooms': '我的考场', 'no-rooms': '您没有被分配到任何考场（以监考抽签结果为准）。',
      'room-line': '{centre} 第 {n} 考场（{code} 教室）', 'sitting-line': '{code} {name}：{start}–{end}',
      back: '返回我的考场', now: '当前时间', 'rule-entry': '入场：{opens} 起，{cutoff} 截止（开考后 {late} 分钟禁止入场）',
      'rule-lock': '{until} 前不得交卷离场', 'scan-h': '入场核验', 'scan-label': '扫描准考证二维码，或输入准考证号',
      'id-checked': '已核对身份证件与报名信息一致', verify: '核验', 'admit': '照片相符，准予入场', 'need-scan': '请扫描二维码或输入准考证号。',
      'need-id': '请先核对身份证件，并勾选确认。', seat: '座位号', ticket: '准考证号', admitted: '已入场', 'again': '已于 {at} 入场（重复扫描）',
      'no-photo': '无照片', counts: '人数', seated: '应到', present: '实到', absent: '缺考',
      'absentees-h': '未入场考生', 'none-absent': '无', 'inroom-h': '已入场考生', 'hand-in': '交卷', 'early': '提前离场',
      'left': '已离场（{kind}）', 'k-hand_in': '交卷', 'k-early_leave': '提前离场，休息室候考',
      'early-ask': '提前离场须记录特殊原因，考生到休息室等候。原因：',
      'record-h': '考场记录', 'entry-kind': '类别', 'e-incident': '异常情况', 'e-suspected_violation': '疑似违纪违规',
      'e-security': '安全措施', 'e-note': '其他记录', 'entry-cand': '涉及考生（疑似违纪违规必选）', 'entry-none': '（不涉及考生）',
      'entry-desc': '情况说明', 'entry-file': '证据文件（照片或 PDF，选填）', 'entry-add': '记入考场记录', 'need-desc': '请填写情况说明。',
      'entries-none': '暂无记录。', 'case-link': '已立案 #{id}', 'sign-h': '签名与封存',
      'sig-need': '考试结束后，本考场至少 {n} 名监考人员对记录当前内容签名，方可封存；封存时确定缺考名单。',
      sign: '签名确认', close: '封存考场记录', 'confirm-close': '封存后考场记录不能再修改，缺考名单随之确定。确定封存吗？',
      'sigs-none': '尚无签名。', 'sig-old': '（记录已变更，须重新签名）', closed: '考场记录已于 {at} 封存。', saved: '已保存。',
      'inc-h': '报告突发事件', 'inc-cat': '事件类别', 'inc-desc': '事件经过', 'inc-raise': '立即上报',
      'inc-hint': '泄题、有组织作弊、内外勾结、舆情、大面积中断或群体性事件等，将同时报至国家考试中心。', 'inc-done': '已上报（事件 #{id}）。',
      'c-paper_or_key_leak': '试卷或答案泄露', 'c-organised_cheating': '有组织作弊', 'c-insider_collusion': '内外勾结作弊',
      'c-public_opinion': '造成不良舆论影响', 'c-mass_disruption': '大面积中断、作答数据丢失或群体性事件', 'c-other_major_risk': '其他重大风险',
      'c-candidate_illness': '考生突发疾病', 'c-equipment_failure': '设备故障', 'c-power_or_network': '停电或网络故障', 'c-weather': '恶劣天气', 'c-other': '其他',
    },
    en: {
      brand: 'Check-in and room record', title: 'Check-in and room record', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Proctor login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      'my-rooms': 'My exam rooms', 'no-rooms': 'You are not assigned to any exam room (per the proctor lottery).',
      'room-line': '{centre}, exam room {n} (room {code})', 'sitting-line': '{code} {name}: {start}–{end}',
      back: 'Back to my rooms', now: 'Now', 'rule-entry': 'Entry from {opens} until {cutoff} ({late} minutes after the start)',
      'rule-lock': 'No hand-in or leaving before {until}', 'scan-h': 'Check-in', 'scan-label': 'Scan the ticket QR code, or type the ticket number',
      'id-checked': 'Identity document checked against the registration', verify: 'Check', 'admit': 'Photo matches: admit', 'need-scan': 'Scan the QR code or type the ticket number.',
      'need-id': 'Check the identity document first and tick the box.', seat: 'Seat', ticket: 'Ticket', admitted: 'Admitted', 'again': 'Admitted at {at} (scanned again)',
      'no-photo': 'No photo', counts: 'Counts', seated: 'Seated', present: 'Present', absent: 'Absent',
      'absentees-h': 'Not checked in', 'none-absent': 'None', 'inroom-h': 'Checked in', 'hand-in': 'Hand in', 'early': 'Early leave',
      'left': 'Left ({kind})', 'k-hand_in': 'handed in', 'k-early_leave': 'early leave, rest room',
      'early-ask': 'An early leave needs a recorded special reason; the candidate waits in the rest room. Reason:',
      'record-h': 'Room record', 'entry-kind': 'Kind', 'e-incident': 'Incident', 'e-suspected_violation': 'Suspected violation',
      'e-security': 'Security measure', 'e-note': 'Note', 'entry-cand': 'Candidate (required for a suspected violation)', 'entry-none': '(no candidate)',
      'entry-desc': 'What happened', 'entry-file': 'Evidence (photo or PDF, optional)', 'entry-add': 'Add to the record', 'need-desc': 'Describe what happened.',
      'entries-none': 'No entries yet.', 'case-link': 'Case #{id} opened', 'sign-h': 'Signatures and close',
      'sig-need': 'After the sitting, at least {n} proctors of this room sign the record as it reads; then it is closed and the absentees are fixed.',
      sign: 'Sign', close: 'Close the record', 'confirm-close': 'A closed record cannot change and fixes the absentees. Close it?',
      'sigs-none': 'No signatures yet.', 'sig-old': ' (the record changed: sign again)', closed: 'The record was closed at {at}.', saved: 'Saved.',
      'inc-h': 'Report an incident', 'inc-cat': 'Category', 'inc-desc': 'What happened', 'inc-raise': 'Report now',
      'inc-hint': 'A leak, organised cheating, insider collusion, public opinion, a mass interruption or group dispute goes to the national centre at once.', 'inc-done': 'Reported (incident #{id}).',
      'c-paper_or_key_leak': 'Paper or key leak', 'c-organised_cheating': 'Organised cheating', 'c-insider_collusion': 'Collusion with insiders',
      'c-public_opinion': 'Damaging public opinion', 'c-mass_disruption': 'Mass interruption, lost responses or group dispute', 'c-other_major_risk': 'Other major risk',
      'c-candidate_illness': 'Candidate taken ill', 'c-equipment_failure': 'Equipment failure', 'c-power_or_network': 'Power or network failure', 'c-weather': 'Severe weather', 'c-other': 'Other',
    },
  };
  const S = { me: null, rooms: [], sel: null, rec: null, timer: null, skew: 0 };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;
  const hm = (iso) => K.cst(iso, false).slice(11);

  function refusal(r, box) {
    if (r.status === 0) return K.flash(t('offline'));
    K.showError(r, null, box);
  }

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    if (q.get('room')) return openRoom(Number(q.get('exam')), q.get('subject'), Number(q.get('room')));
    listRooms();
  }

  async function listRooms() {
    clearInterval(S.timer);
    S.sel = null;
    const r = await api('GET', '/api/v1/me/exam_rooms');
    if (!r.ok) return refusal(r);
    S.rooms = r.json.items;
    K.flash('');
    const items = S.rooms.flatMap((x) => x.subjects.map((s) => h('li', {},
      h('a', { class: 'pick', href: `?exam=${x.exam_id}&subject=${encodeURIComponent(s.code)}&room=${x.room_id}`,
        onclick: (ev) => { ev.preventDefault(); history.pushState(null, '', ev.currentTarget.href); openRoom(x.exam_id, s.code, x.room_id); } },
      h('span', {}, x.exam_name, h('br'), t('room-line', { centre: x.centre_name, n: x.room_number, code: x.room_code })),
      h('span', {}, t('sitting-line', { code: s.code, name: s.name, start: K.cst(s.starts_at, false), end: hm(s.ends_at) }))))));
    $('view').replaceChildren(h('section', { class: 'card' }, h('h2', {}, t('my-rooms')),
      items.length ? h('ul', { class: 'rooms' }, items) : h('p', {}, t('no-rooms'))));
  }

  function base() {
    return `/api/v1/exams/${S.sel.exam}/sittings/${encodeURIComponent(S.sel.subject)}`;
  }

  async function openRoom(exam, subject, room) {
    S.sel = { exam, subject, room };
    clearInterval(S.timer);
    const rec = await api('GET', `${base()}/rooms/${room}/record`);
    if (!rec.ok) return refusal(rec);
    S.rec = rec.json;
    S.skew = Date.parse(S.rec.now) - Date.now(); // the server's clock, which the rules follow
    const tm = S.rec.times;
    const late = Math.round((new Date(tm.cutoff_at) - new Date(tm.starts_at)) / 60000);
    const scan = h('input', { id: 'scan', name: 'scan', autocomplete: 'off', maxlength: '1024', 'aria-describedby': 'scan-rule' });
    const idc = h('input', { type: 'checkbox', id: 'id-checked' });
    const result = h('div', { id: 'result', 'aria-live': 'assertive' });
    const form = h('form', { id: 'checkin', onsubmit: (ev) => { ev.preventDefault(); preview(scan, idc, result); } },
      h('label', { for: 'scan' }, t('scan-label')), scan,
      h('label', { class: 'check-row' }, idc, t('id-checked')),
      h('button', { type: 'submit', class: 'btn primary big', id: 'verify' }, t('verify')));
    $('view').replaceChildren(
      h('p', {}, h('a', { href: '/proctor.html', onclick: (ev) => { ev.preventDefault(); history.pushState(null, '', '/proctor.html'); listRooms(); } }, t('back'))),
      h('section', { class: 'card' },
        h('h2', {}, `${t('room-line', { centre: S.rec.centre_name, n: S.rec.room_number, code: S.rec.room_code })} · ${S.rec.subject} ${S.rec.subject_name}`),
        h('p', {}, t('now'), ' ', h('span', { class: 'clock', id: 'clock' })),
        h('p', { class: 'rule', id: 'scan-rule' }, t('rule-entry', { opens: hm(tm.opens_at), cutoff: hm(tm.cutoff_at), late })),
        h('p', { class: 'rule' }, t('rule-lock', { until: hm(tm.lock_until) }))),
      h('section', { class: 'card' }, h('h2', {}, t('scan-h')), form, result),
      h('section', { class: 'card' }, h('h2', {}, t('counts')), h('div', { class: 'counts', id: 'counts' }),
        h('h3', {}, t('absentees-h')), h('ul', { class: 'list', id: 'absentees' }),
        h('h3', {}, t('inroom-h')), h('ul', { class: 'list', id: 'inroom' })),
      h('section', { class: 'card' }, h('h2', {}, t('record-h')), h('ul', { class: 'list', id: 'entries' }), entryForm()),
      h('section', { class: 'card', id: 'incident' }, h('h2', {}, t('inc-h')), incidentForm()),
      h('section', { class: 'card' }, h('h2', {}, t('sign-h')), h('p', {}, t('sig-need', { n: S.rec.signatures_required })),
        h('ul', { class: 'list', id: 'sigs' }),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'btn primary big', id: 'sign', onclick: () => write('POST', `${base()}/rooms/${room}/record/sign`) }, t('sign')),
          h('button', { type: 'button', class: 'btn big', id: 'close', onclick: async () => {
            if (await K.confirmBox(t('confirm-close'), t('close'))) write('POST', `${base()}/rooms/${room}/record/close`);
          } }, t('close')))));
    tick();
    S.timer = setInterval(() => { tick(); if (document.visibilityState === 'visible') refresh(); }, 15000);
    await refresh();
    scan.focus();
  }

  function tick() {
    const c = $('clock');
    if (c) c.textContent = K.cst(new Date(Date.now() + S.skew).toISOString());
  }

  async function refresh() {
    if (!S.sel) return;
    const [rec, ins] = await Promise.all([api('GET', `${base()}/rooms/${S.sel.room}/record`),
      api('GET', `${base()}/checkins?room_id=${S.sel.room}`)]);
    if (!rec.ok) return refusal(rec);
    S.rec = rec.json;
    const c = S.rec.counts;
    $('counts').replaceChildren(...[['seated', c.seated], ['present', c.present], ['absent', c.absent]].map(([k, v]) =>
      h('div', { id: 'count-' + k }, t(k), h('b', {}, String(v)))));
    $('absentees').replaceChildren(...(S.rec.absentees.length ? S.rec.absentees.map((a) =>
      h('li', {}, h('span', { class: 'grow' }, `${a.seat_no ? a.seat_no + ' · ' : ''}${a.name} · ${a.ticket_no}`))) : [h('li', {}, t('none-absent'))]));
    if (ins.ok) {
      $('inroom').replaceChildren(...ins.json.items.map((k) => h('li', {},
        h('span', { class: 'grow' }, `${k.seat_no} · ${k.name} · ${k.ticket_no}`),
        k.left_at ? h('span', { class: 'badge' }, t('left', { kind: t('k-' + k.left_kind) }))
          : [h('button', { type: 'button', class: 'btn', onclick: () => leave(k, 'hand_in') }, t('hand-in')),
            h('button', { type: 'button', class: 'btn', onclick: () => leave(k, 'early_leave') }, t('early'))])));
    }
    $('entries').replaceChildren(...(S.rec.entries.length ? S.rec.entries.map((e) => h('li', {},
      h('span', { class: 'grow' }, `${hm(e.occurred_at)} · ${t('e-' + e.kind)}${e.ticket_no ? ' · ' + e.ticket_no : ''} · ${e.description}`),
      e.files.map((f) => h('a', { href: f.url, target: '_blank' }, f.label)),
      e.case_id ? h('a', { href: '/cases.html?case=' + e.case_id }, t('case-link', { id: e.case_id })) : null)) : [h('li', {}, t('entries-none'))]));
    $('sigs').replaceChildren(...(S.rec.signatures.length ? S.rec.signatures.map((g) => h('li', { class: 'sig' + (g.current ? ' current' : '') },
      `${g.staff_name} (${g.username}) · ${K.cst(g.signed_at)}${g.current ? '' : t('sig-old')}`)) : [h('li', {}, t('sigs-none'))]));
    const closed = S.rec.status === 'closed';
    ['sign', 'close', 'entry-add', 'verify'].forEach((id) => { if ($(id)) $(id).disabled = closed; });
    if (closed) K.flash(t('closed', { at: K.cst(S.rec.closed_at) }), true);
    const sel = $('entry-cand');
    if (sel && sel.options.length <= 1) {
      const all = [...(ins.ok ? ins.json.items : []).map((k) => ({ id: k.registration_id, label: `${k.seat_no} · ${k.name}` })),
        ...S.rec.absentees.map((a) => ({ id: a.registration_id, label: `${a.seat_no || ''} · ${a.name}` }))];
      all.forEach((x) => sel.append(h('option', { value: String(x.id) }, x.label)));
    }
  }

  function scanBody(scan) {
    const v = scan.value.trim();
    return v.startsWith('KW1.') ? { payload: v } : { ticket_no: v };
  }

  async function preview(scan, idc, box) {
    if (!scan.value.trim()) return box.replaceChildren(h('p', { class: 'result refused' }, h('span', { class: 'why' }, t('need-scan'))));
    const r = await api('POST', `${base()}/checkins`, { ...scanBody(scan), room_id: S.sel.room, preview: true });
    show(r, box, () => admit(scan, idc, box));
  }

  async function admit(scan, idc, box) {
    if (!idc.checked) return box.replaceChildren(h('div', { class: 'result refused' }, h('p', { class: 'why' }, t('need-id'))));
    const r = await api('POST', `${base()}/checkins`, { ...scanBody(scan), room_id: S.sel.room, id_checked: true, photo_match: true });
    show(r, box, null);
    if (r.ok) { scan.value = ''; idc.checked = false; refresh(); scan.focus(); }
  }

  // The answer large: the seat, the name, the photo — or the refusal in the server's words.
  function show(r, box, onAdmit) {
    if (!r.ok) {
      const e = (r.json && r.json.error) || {};
      return box.replaceChildren(h('div', { class: 'result refused', role: 'alert' },
        h('div', {}, h('p', { class: 'why' }, r.status === 0 ? t('offline') : e.message), e.code ? h('p', { class: 'hint' }, e.code) : null)));
    }
    const c = r.json.candidate;
    const k = r.json.checkin;
    box.replaceChildren(h('div', { class: 'result' + (k ? ' good' : '') },
      c.photo_url ? h('img', { src: c.photo_url, alt: c.name }) : h('p', { class: 'hint' }, t('no-photo')),
      h('div', {}, h('div', { class: 'seat' }, `${t('seat')} ${c.seat_no}`), h('div', { class: 'name' }, c.name),
        h('p', {}, `${t('ticket')} ${c.ticket_no} · ${c.id_number}`),
        k ? h('p', { class: 'ok' }, r.json.repeated ? t('again', { at: K.cst(k.checked_in_at) }) : t('admitted')) : null,
        !k && onAdmit ? h('button', { type: 'button', class: 'btn primary big', id: 'admit', onclick: onAdmit }, t('admit')) : null)));
  }

  async function leave(k, kind) {
    let body = { kind };
    if (kind === 'early_leave') {
      const reason = await K.confirmBox(t('early-ask'), t('early'), { reason: true });
      if (!reason) return;
      body = { kind, reason };
    }
    const r = await api('POST', `${base()}/checkins/${k.id}/leave`, body);
    if (!r.ok) return refusal(r);
    K.flash(t('saved'), true);
    refresh();
  }

  function entryForm() {
    const kind = h('select', { id: 'entry-kind' }, ['incident', 'suspected_violation', 'security', 'note'].map((k) => h('option', { value: k }, t('e-' + k))));
    const cand = h('select', { id: 'entry-cand' }, h('option', { value: '' }, t('entry-none')));
    const desc = h('textarea', { id: 'entry-desc', rows: '3', maxlength: '2000' });
    const file = h('input', { type: 'file', id: 'entry-file', accept: 'image/jpeg,image/png,application/pdf' });
    const msg = h('div', { id: 'entry-msg' });
    return h('form', { class: 'entry-form', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!desc.value.trim()) return msg.replaceChildren(h('p', { class: 'alert' }, t('need-desc')));
      const body = { kind: kind.value, description: desc.value.trim() };
      if (cand.value) body.registration_id = Number(cand.value);
      const r = await api('POST', `${base()}/rooms/${S.sel.room}/record/entries`, body);
      if (!r.ok) return refusal(r, msg);
      if (file.files[0]) {
        const f = await api('POST', `${base()}/rooms/${S.sel.room}/record/entries/${r.json.id}/files?label=${encodeURIComponent(file.files[0].name.slice(0, 60))}`, file.files[0]);
        if (!f.ok) return refusal(f, msg);
      }
      desc.value = '';
      file.value = '';
      msg.replaceChildren(h('p', { class: 'ok' }, t('saved')));
      refresh();
    } },
    h('label', { for: 'entry-kind' }, t('entry-kind')), kind,
    h('label', { for: 'entry-cand' }, t('entry-cand')), cand,
    h('label', { for: 'entry-desc' }, t('entry-desc')), desc,
    h('label', { for: 'entry-file' }, t('entry-file')), file,
    h('button', { type: 'submit', class: 'btn primary big', id: 'entry-add' }, t('entry-add')), msg);
  }

  // An exam-day incident for this room (DAY-5): it goes up the chain (/incidents.html follows it).
  function incidentForm() {
    const cats = ['candidate_illness', 'equipment_failure', 'power_or_network', 'weather', 'other', 'paper_or_key_leak',
      'organised_cheating', 'insider_collusion', 'public_opinion', 'mass_disruption', 'other_major_risk'];
    const cat = h('select', { id: 'inc-cat' }, cats.map((c) => h('option', { value: c }, t('c-' + c))));
    const desc = h('textarea', { id: 'inc-desc', rows: '3', maxlength: '2000' });
    const msg = h('div', { id: 'inc-msg' });
    return h('form', { class: 'entry-form', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!desc.value.trim()) return msg.replaceChildren(h('p', { class: 'alert' }, t('need-desc')));
      const r = await api('POST', `/api/v1/exams/${S.sel.exam}/exam_incidents`, { subject: S.sel.subject, room_id: Number(S.sel.room),
        category: cat.value, description: desc.value.trim(), occurred_at: new Date(Date.now() + (S.skew || 0)).toISOString() });
      if (!r.ok) return refusal(r, msg);
      desc.value = '';
      msg.replaceChildren(h('p', { class: 'ok' }, t('inc-done', { id: r.json.id })));
    } },
    h('p', { class: 'hint' }, t('inc-hint')),
    h('label', { for: 'inc-cat' }, t('inc-cat')), cat,
    h('label', { for: 'inc-desc' }, t('inc-desc')), desc,
    h('button', { type: 'submit', class: 'btn primary big', id: 'inc-raise' }, t('inc-raise')), msg);
  }

  async function write(method, path) {
    const r = await api(method, path);
    if (!r.ok) return refusal(r);
    K.flash(t('saved'), true);
    refresh();
  }

  window.addEventListener('popstate', () => start());
  K.chrome(() => { if (S.sel) openRoom(S.sel.exam, S.sel.subject, S.sel.room); else listRooms(); });
  start();
})();
