// Corrections of admission tickets (TKT-3, AH 19) for the staff of the exam-area agency:
// choose an exam, read the queue of pending requests in the areas they reach (oldest first;
// what the ticket says now beside what it should say, the current photo beside the new one,
// the proofs), approve with an optional note or refuse with the reasons the applicant will
// read; the decided ones under a filter. A unit's request (or a candidate's paper one) is
// entered here too; whoever entered a request does not decide it (INF-4). The session is
// the console's (the kw_session cookie, X-CSRF-Token on writes); the server decides who may
// do what, and its refusals are shown in its own words.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '准考证信息更正', title: '准考证信息更正', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'to-console': '返回工作台',
      lead: '考生或其所在单位在考前申请更正准考证上的姓名、证件号码或照片，由考区考试机构核查后决定；不予更正的必须说明理由，申请人在考生服务页看到结果。同意后考生信息即更正，之前下载的准考证作废。',
      exam: '考试', show: '查看', 'no-exams': '没有已发布的考试。', status: '状态',
      's-pending': '待处理', 's-approved': '已同意更正', 's-refused': '不予更正', 's-all': '全部',
      'queue-h': '更正申请', 'queue-pending': '待处理 {n} 件', 'queue-oldest': '最早一件 {at} 提交',
      'queue-none': '没有待处理的更正申请。', 'list-none': '没有符合条件的更正申请。',
      'exam-date': '考试日期 {date}：更正须在考试开始前申请并办理。', 'shown-n': '显示 {n} 件',
      'c-h': '{name} · 报名号 {reg}', 'c-no': '申请 #{id}', 'asked-at': '{at} 提交',
      'by-candidate': '考生本人申请', 'by-unit': '单位申请：{unit}', 'entered-by': '由 {id} 录入',
      'by-you': '由您录入：须由另一位工作人员处理（AB角）。',
      item: '项目', 'now': '准考证现在', 'wanted': '申请更正为', 'f-name': '姓名', 'f-id': '证件号码', 'f-photo': '照片',
      'photo-now': '现在的照片', 'photo-new': '新照片', 'photo-none': '没有照片或无权查看', 'photo-before': '更正前的照片未保留在此页',
      unchanged: '不变', statement: '情况说明', proofs: '证明材料', 'proof-n': '证明材料 {n}',
      'decide-label': '处理申请 #{id}', 'note-label': '处理意见', 'note-hint': '同意时可以不填；不予更正时必须写明理由，理由将告知申请人。',
      approve: '同意更正', refuse: '不予更正', 'need-reason': '不予更正须写明理由，理由将告知申请人。',
      'confirm-approve': '同意后，考生的{what}即按申请更正，之前下载的准考证作废，考生须重新下载打印。此决定不能撤回。确定同意吗？',
      'confirm-refuse': '不予更正后，申请人将看到您写的理由；此决定不能撤回（申请人可以补齐材料后重新申请）。确定不予更正吗？',
      'what-name': '姓名', 'what-id': '证件号码', 'what-photo': '照片', 'what-sep': '、',
      confirm: '确认', cancel: '取消', working: '正在处理…',
      'done-approve': '已同意更正申请 #{id}，考生信息已更正。', 'done-refuse': '已不予更正申请 #{id}，理由已告知申请人。',
      'decided': '{at} 由 {by} 处理', 'decision-note': '处理意见：', 'decision-reasons': '理由：',
      'enter-h': '录入单位的更正申请', 'enter-lead': '考生所在单位提出的更正申请（或考生在窗口递交的书面申请）由工作人员在这里录入，连同证明材料。录入人不能处理自己录入的申请。',
      'reg-id': '报名号', 'reg-lookup': '{name} · {id} · {exam}', 'reg-unknown': '无法显示这个报名的考生信息：{msg}提交时系统会核对报名号。',
      applicant: '申请人', 'ap-unit': '考生所在单位', 'ap-candidate': '考生本人（书面申请）', 'applicant-unit': '单位名称',
      changes: '要更正的内容（至少填一项）', 'new-name': '正确的姓名', 'new-id': '正确的证件号码', 'new-photo': '新照片（JPEG 或 PNG）',
      'proof-files': '证明材料（可以一次选多份；PDF、JPEG 或 PNG）', 'proof-label': '材料名称（选填，如“单位证明”）',
      'statement-label': '情况说明', 'enter-send': '录入申请',
      'need-reg': '请填写报名号。', 'need-unit': '请填写单位名称。', 'need-change': '请至少填写一项要更正的内容：姓名、证件号码或新照片。',
      'need-proof': '请选择证明材料文件。', 'need-statement': '请填写情况说明。', uploading: '正在上传文件（{i}/{n}）…', sending: '正在提交…',
      'entered': '已录入更正申请 #{id}（报名号 {reg}），等待另一位工作人员处理。',
      'error-code': '（{code}）',
    },
    en: {
      brand: 'Ticket corrections', title: 'Ticket corrections', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'to-console': 'Back to the console',
      lead: 'Before the exam a candidate, or their unit, may ask to correct the name, the document number or the photo on the admission ticket; the exam-area agency looks into it and decides. A refusal must give its reasons, which the applicant reads on the candidate pages. An approval corrects the record at once and voids a ticket downloaded before.',
      exam: 'Exam', show: 'Show', 'no-exams': 'No exam is published.', status: 'Status',
      's-pending': 'Pending', 's-approved': 'Corrected', 's-refused': 'Refused', 's-all': 'All',
      'queue-h': 'Correction requests', 'queue-pending': '{n} pending', 'queue-oldest': 'the oldest asked {at}',
      'queue-none': 'No request is pending.', 'list-none': 'No request matches.',
      'exam-date': 'Exam date {date}: corrections are asked and decided before the exam begins.', 'shown-n': '{n} shown',
      'c-h': '{name} · registration {reg}', 'c-no': 'request #{id}', 'asked-at': 'asked {at}',
      'by-candidate': 'asked by the candidate', 'by-unit': 'asked by the unit: {unit}', 'entered-by': 'entered by {id}',
      'by-you': 'You entered it: another member of staff decides it (four eyes).',
      item: 'Item', 'now': 'The ticket says', 'wanted': 'Asked for', 'f-name': 'Name', 'f-id': 'Document number', 'f-photo': 'Photo',
      'photo-now': 'Current photo', 'photo-new': 'New photo', 'photo-none': 'No photo, or not yours to see', 'photo-before': 'The photo before is not shown here',
      unchanged: 'unchanged', statement: 'Statement', proofs: 'Proof', 'proof-n': 'Proof {n}',
      'decide-label': 'Decide request #{id}', 'note-label': 'Decision note', 'note-hint': 'Optional for an approval; a refusal must give its reasons, which the applicant will read.',
      approve: 'Approve', refuse: 'Refuse', 'need-reason': 'A refusal must give its reasons; the applicant will read them.',
      'confirm-approve': 'Approving corrects the candidate\'s {what} as asked and voids a ticket downloaded before; the candidate downloads and prints it again. This cannot be undone. Approve?',
      'confirm-refuse': 'The applicant will read your reasons. This cannot be undone (the applicant may ask again with more proof). Refuse?',
      'what-name': 'name', 'what-id': 'document number', 'what-photo': 'photo', 'what-sep': ', ',
      confirm: 'Confirm', cancel: 'Cancel', working: 'Working…',
      'done-approve': 'Request #{id} approved: the record is corrected.', 'done-refuse': 'Request #{id} refused; the applicant is told the reasons.',
      'decided': 'decided {at} by {by}', 'decision-note': 'Note: ', 'decision-reasons': 'Reasons: ',
      'enter-h': 'Enter a unit\'s request', 'enter-lead': 'A request from the candidate\'s unit (or a candidate\'s request on paper) is entered here by staff, with its proof. Whoever enters a request does not decide it.',
      'reg-id': 'Registration number', 'reg-lookup': '{name} · {id} · {exam}', 'reg-unknown': 'The candidate of this registration cannot be shown: {msg} The number is checked when the request is sent.',
      applicant: 'Applicant', 'ap-unit': 'The candidate\'s unit', 'ap-candidate': 'The candidate (on paper)', 'applicant-unit': 'Unit name',
      changes: 'What to correct (at least one)', 'new-name': 'Correct name', 'new-id': 'Correct document number', 'new-photo': 'New photo (JPEG or PNG)',
      'proof-files': 'Proof (several files at once; PDF, JPEG or PNG)', 'proof-label': 'What the proof is (optional, e.g. "Letter from the unit")',
      'statement-label': 'Statement', 'enter-send': 'Enter the request',
      'need-reg': 'Enter the registration number.', 'need-unit': 'Enter the unit\'s name.', 'need-change': 'Fill in at least one thing to correct: the name, the document number or a new photo.',
      'need-proof': 'Choose the proof files.', 'need-statement': 'Write the statement.', uploading: 'Uploading files ({i}/{n})…', sending: 'Sending…',
      'entered': 'Request #{id} entered (registration {reg}); another member of staff decides it.',
      'error-code': ' ({code})',
    },
  };
  const S = { me: null, exams: [], exam: null, status: 'pending', items: [], pending: [], regs: {}, busy: false };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, confirmBox, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false); // to the minute

  // ---- messages: the server's own words; field problems beside their fields ----
  // An error body in `where` (a live region; the page's flash by default); each field problem
  // beside the field of that name in `form`, or listed when the form has none.
  function showError(r, form, where) {
    K.showError(r, (d) => {
      const rest = [];
      for (const f of Array.isArray(d.fields) ? d.fields : []) {
        const el = form && form.querySelector('[name="' + CSS.escape(f.field) + '"]');
        if (el) markField(el, f.message || f.problem);
        else rest.push(f);
      }
      return K.fieldList(rest);
    }, where);
  }
  function markField(el, text) {
    el.setAttribute('aria-invalid', 'true');
    const f = el.closest('.field');
    const err = f && f.querySelector('.err');
    if (err) err.textContent = text;
  }
  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid]').forEach((x) => x.removeAttribute('aria-invalid'));
    form.querySelectorAll('.err').forEach((x) => { x.textContent = ''; });
  }
  let uid = 0;
  // A labelled field: its hint and its error read out with it.
  function field(label, input, hint) {
    const id = input.id || 'f' + (++uid);
    input.id = id;
    const described = [hint ? id + '-hint' : null, id + '-err'].filter((x) => x).join(' ');
    input.setAttribute('aria-describedby', described);
    return h('div', { class: 'field' }, h('label', { for: id }, label), input,
      hint ? h('span', { class: 'hint', id: id + '-hint' }, hint) : null, h('span', { class: 'err', id: id + '-err' }));
  }

  // ---- the page ----
  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    const ex = await api('GET', '/api/v1/public/exams');
    S.exams = ex.ok ? ex.json.items : [];
    if (!ex.ok) showError(ex);
    const q = new URLSearchParams(location.search);
    const want = q.get('exam');
    if (['pending', 'approved', 'refused', 'all'].includes(q.get('status'))) S.status = q.get('status');
    const hit = S.exams.find((e) => String(e.id) === want || e.code === want);
    viewMain(hit ? hit.id : (S.exam || (S.exams[0] && S.exams[0].id)));
  }

  function viewMain(examId) {
    flash('');
    if (!S.exams.length) { $('view').replaceChildren(h('p', {}, t('no-exams'))); return; }
    const sel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: String(e.id) }, `${e.name}（${e.code}）`)));
    sel.value = String(examId);
    const st = h('select', { id: 'status', name: 'status' }, ['pending', 'approved', 'refused', 'all'].map((s) => h('option', { value: s }, t('s-' + s))));
    st.value = S.status;
    const bar = h('form', { class: 'row bar', role: 'search', onsubmit: (ev) => { ev.preventDefault(); S.status = st.value; load(Number(sel.value)); } },
      h('label', { for: 'exam' }, t('exam')), sel, h('label', { for: 'status' }, t('status')), st,
      h('button', { class: 'btn primary', type: 'submit' }, t('show')));
    $('view').replaceChildren(h('p', { class: 'hint lead' }, t('lead'), ' ', h('a', { href: '/console.html' }, t('to-console'))), bar,
      h('section', { id: 'queue', class: 'card', 'aria-labelledby': 'queue-h' }),
      h('section', { id: 'enter', class: 'card', 'aria-labelledby': 'enter-h' }));
    renderEntry();
    load(Number(sel.value));
  }

  async function load(examId) {
    S.exam = examId;
    history.replaceState(null, '', '?exam=' + examId + (S.status !== 'pending' ? '&status=' + S.status : ''));
    const box = $('queue');
    box.setAttribute('aria-busy', 'true');
    const path = '/api/v1/exams/' + examId + '/ticket_corrections';
    const [list, pend, pub] = await Promise.all([api('GET', path + (S.status === 'all' ? '' : '?status=' + S.status)),
      S.status === 'pending' ? null : api('GET', path + '?status=pending'), api('GET', '/api/v1/public/exams/' + examId)]);
    if (S.exam !== examId) return;
    if (!list.ok) {
      box.removeAttribute('aria-busy');
      box.replaceChildren(h('h2', { id: 'queue-h' }, t('queue-h')));
      return showError(list, null, box.appendChild(h('div', {})));
    }
    S.items = list.json.items;
    S.pending = S.status === 'pending' ? S.items : pend && pend.ok ? pend.json.items : [];
    S.examDate = pub && pub.ok ? pub.json.exam_date : '';
    // The queue: oldest first. Decided ones: the latest decision first.
    if (S.status === 'pending') S.items.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    else S.items.sort((a, b) => String(b.decided_at || b.created_at).localeCompare(String(a.decided_at || a.created_at)) || b.id - a.id);
    await Promise.all(S.items.map((c) => regInfo(c.registration_id)));
    if (S.exam !== examId) return;
    renderQueue();
    box.removeAttribute('aria-busy');
  }

  // The candidate of a registration (name, masked document, exam), when this user may read it.
  function regInfo(id) {
    if (!(id in S.regs)) {
      S.regs[id] = api('GET', '/api/v1/registrations/' + id).then((r) => {
        S.regs[id] = r;
        return r;
      });
    }
    return S.regs[id];
  }

  function renderQueue() {
    const box = $('queue');
    const oldest = S.pending.reduce((o, c) => (!o || c.created_at < o ? c.created_at : o), '');
    const sum = S.pending.length
      ? h('p', { class: 'sum', id: 'queue-sum' }, t('queue-pending', { n: S.pending.length }), K.lang === 'en' ? '; ' : '，', t('queue-oldest', { at: cst(oldest) }))
      : h('p', { class: 'sum', id: 'queue-sum' }, t('queue-none'));
    const kids = [h('h2', { id: 'queue-h' }, t('queue-h') + ' · ' + t('s-' + S.status)), sum,
      S.examDate ? h('p', { class: 'hint' }, t('exam-date', { date: S.examDate })) : null];
    if (!S.items.length) kids.push(S.status === 'pending' ? null : h('p', {}, t('list-none')));
    else {
      if (S.status !== 'pending') kids.push(h('p', { class: 'hint' }, t('shown-n', { n: S.items.length })));
      kids.push(h('ol', { class: 'corr-list', 'aria-labelledby': 'queue-h' }, S.items.map((c) => h('li', {}, item(c)))));
    }
    box.replaceChildren(...kids);
  }

  // One request: who, the comparison, the statement and proofs, the decision (or its form).
  function item(c) {
    const reg = S.regs[c.registration_id];
    const r = reg && reg.ok ? reg.json : null;
    const was = c.previous || {};
    const to = c.changes || {};
    const name = (r && r.candidate_name) || was.name || '';
    const hid = 'c-' + c.id + '-h';
    const head = h('h3', { id: hid }, name ? t('c-h', { name, reg: c.registration_id }) : t('c-no', { id: c.id }) + ' · ' + c.registration_id,
      ' ', h('span', { class: 'badge c-' + c.status }, t('s-' + c.status)));
    const meta = h('p', { class: 'hint meta' }, [t('c-no', { id: c.id }), t('asked-at', { at: cst(c.created_at) }),
      c.applicant === 'unit' ? t('by-unit', { unit: c.applicant_unit || '' }) : t('by-candidate'),
      c.entered_by ? t('entered-by', { id: c.entered_by_name || c.entered_by }) : null].filter((x) => x).join(' · '),
    r ? [' · ', r.id_number, ' · ', r.exam_name] : null);
    // Previous → corrected, side by side; the photo as pictures.
    const rows = [];
    const cell = (v, cls) => h('td', { class: cls || null }, v === undefined || v === null || v === '' ? h('span', { class: 'hint' }, t('unchanged')) : v);
    if (to.name) rows.push(h('tr', {}, h('th', { scope: 'row' }, t('f-name')), cell(was.name, 'was'), cell(h('strong', {}, to.name), 'new')));
    if (to.id_number) rows.push(h('tr', {}, h('th', { scope: 'row' }, t('f-id')), cell(h('code', {}, was.id_number), 'was'), cell(h('strong', {}, h('code', {}, to.id_number)), 'new')));
    if (to.photo_file) {
      // the photo it replaces, as it was when asked (readable by the exam-area agency)
      const now = c.previous_photo_url ? figure(c.previous_photo_url, t('photo-now'), name)
        : h('span', { class: 'hint' }, t('photo-before'));
      rows.push(h('tr', {}, h('th', { scope: 'row' }, t('f-photo')), h('td', { class: 'was' }, now),
        h('td', { class: 'new' }, figure(c.photo_url, t('photo-new'), name))));
    }
    const table = h('div', { class: 'wrap' }, h('table', { class: 'grid compare' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('item')), h('th', { scope: 'col' }, t('now')), h('th', { scope: 'col' }, t('wanted')))),
      h('tbody', {}, rows)));
    const proofs = (c.proofs || []).map((p, i) => h('li', {}, h('a', { href: p.url, class: 'dl-link' }, p.label || t('proof-n', { n: i + 1 }),
      p.media_type === 'application/pdf' ? ' (PDF)' : '')));
    const body = h('div', { class: 'facts-box' },
      h('h4', {}, t('statement')), h('p', { class: 'statement' }, c.statement),
      h('h4', {}, t('proofs')), h('ul', { class: 'proof-list' }, proofs));
    return h('article', { class: 'corr c-' + c.status, 'aria-labelledby': hid }, head, meta, table, body,
      c.status === 'pending' ? decideForm(c, to) : decided(c));
  }
  function figure(src, caption, name) {
    const fig = h('figure', { class: 'pic' });
    const img = h('img', { src, alt: caption + (name ? '：' + name : ''), onerror: () => {
      img.replaceWith(h('span', { class: 'pic-none' }, t('photo-none')));
    } });
    fig.append(img, h('figcaption', {}, caption));
    return fig;
  }
  function decided(c) {
    const ok = c.status === 'approved';
    return h('div', { class: 'decision ' + (ok ? 'alert ok' : 'alert refused') },
      h('p', {}, h('strong', {}, t('s-' + c.status)), ' · ', t('decided', { at: cst(c.decided_at), by: c.decided_by_name || c.decided_by })),
      c.decision_reason ? h('p', {}, h('strong', {}, ok ? t('decision-note') : t('decision-reasons')), c.decision_reason) : null);
  }

  function decideForm(c, to) {
    const id = 'note-' + c.id;
    const note = h('textarea', { id, name: 'reason', rows: '3', maxlength: '1000' });
    const live = h('div', { class: 'decide-msg', role: 'status', 'aria-live': 'polite' });
    // Whoever entered a request does not decide it (INF-4): the note, no controls.
    if (S.me && c.entered_by === S.me.id) return h('p', { class: 'notice decide-mine' }, t('by-you'));
    const ok = h('button', { type: 'button', class: 'btn primary' }, t('approve'));
    const no = h('button', { type: 'button', class: 'btn danger' }, t('refuse'));
    const form = h('form', { class: 'decide', novalidate: true, 'aria-label': t('decide-label', { id: c.id }), onsubmit: (ev) => ev.preventDefault() },
      field(t('note-label'), note, t('note-hint')), h('div', { class: 'row' }, ok, no), live);
    const what = [to.name ? t('what-name') : null, to.id_number ? t('what-id') : null, to.photo_file ? t('what-photo') : null].filter((x) => x).join(t('what-sep'));
    const decide = async (approve) => {
      if (S.busy) return;
      clearErrors(form);
      live.replaceChildren();
      const reason = note.value.trim();
      if (!approve && !reason) {
        markField(note, t('need-reason'));
        note.focus();
        return;
      }
      if (!(await confirmBox(approve ? t('confirm-approve', { what }) : t('confirm-refuse'), approve ? t('approve') : t('refuse'), { danger: !approve }))) return;
      S.busy = true;
      ok.disabled = no.disabled = true;
      live.replaceChildren(h('p', { class: 'hint' }, t('working')));
      let r;
      try {
        r = await api('POST', '/api/v1/ticket_corrections/' + c.id + (approve ? '/approve' : '/refuse'), reason ? { reason } : {});
      } finally {
        S.busy = false;
        ok.disabled = no.disabled = false;
      }
      if (!r.ok) {
        showError(r, form, live);
        return;
      }
      await load(S.exam);
      flash(t(approve ? 'done-approve' : 'done-refuse', { id: c.id }), true);
    };
    ok.addEventListener('click', () => decide(true));
    no.addEventListener('click', () => decide(false));
    return form;
  }

  // ---- entering a unit's request (or a candidate's on paper) ----
  function renderEntry() {
    const box = $('enter');
    const reg = h('input', { name: 'registration_id', type: 'text', inputmode: 'numeric', maxlength: '12', autocomplete: 'off' });
    const who = h('div', { class: 'hint reg-who', 'aria-live': 'polite' });
    const unit = h('input', { name: 'applicant_unit', maxlength: '100', autocomplete: 'organization' });
    const radio = (v, checked) => h('label', { class: 'opt' }, h('input', { type: 'radio', name: 'applicant', value: v, checked: checked || null }), ' ', t('ap-' + v));
    const apply = h('fieldset', { class: 'field' }, h('legend', {}, t('applicant')), radio('unit', true), radio('candidate'));
    const unitField = field(t('applicant-unit'), unit);
    const name = h('input', { name: 'changes.name', maxlength: '50', autocomplete: 'off' });
    const idno = h('input', { name: 'changes.id_number', maxlength: '18', autocomplete: 'off', spellcheck: 'false' });
    const photo = h('input', { type: 'file', name: 'changes.photo_file', accept: 'image/jpeg,image/png' });
    const proofs = h('input', { type: 'file', name: 'proof_files', accept: '.pdf,application/pdf,image/jpeg,image/png', multiple: true });
    const label = h('input', { name: 'label', maxlength: '60', autocomplete: 'off' });
    const statement = h('textarea', { name: 'statement', rows: '3', maxlength: '1000' });
    const changes = h('fieldset', { class: 'field', name: 'changes' }, h('legend', {}, t('changes')), h('span', { class: 'err' }),
      field(t('new-name'), name), field(t('new-id'), idno), field(t('new-photo'), photo));
    const send = h('button', { class: 'btn primary', type: 'submit' }, t('enter-send'));
    const live = h('div', { class: 'enter-msg', role: 'status', 'aria-live': 'polite' });
    const regField = field(t('reg-id'), reg);
    regField.append(who);
    const form = h('form', { id: 'enter-form', novalidate: true }, regField, apply, unitField, changes,
      field(t('proof-files'), proofs), field(t('proof-label'), label), field(t('statement-label'), statement), send, live);
    const syncUnit = () => { unitField.hidden = form.querySelector('[name=applicant]:checked').value !== 'unit'; };
    apply.addEventListener('change', syncUnit);
    reg.addEventListener('change', async () => {
      const v = reg.value.trim();
      who.replaceChildren();
      if (!/^\d+$/.test(v)) return;
      const r = await regInfo(Number(v));
      if (reg.value.trim() !== v) return;
      who.textContent = r.ok ? t('reg-lookup', { name: r.json.candidate_name || '', id: r.json.id_number || '', exam: r.json.exam_name || '' })
        : t('reg-unknown', { msg: r.json.error.message });
    });
    // A file sent once is not sent again when the request is corrected and resent.
    const uploaded = new Map();
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (S.busy) return;
      clearErrors(form);
      live.replaceChildren();
      const rid = reg.value.trim();
      const byUnit = form.querySelector('[name=applicant]:checked').value === 'unit';
      const ph = photo.files[0];
      const files = [...proofs.files];
      const bad = [];
      if (!/^\d+$/.test(rid)) bad.push([reg, t('need-reg')]);
      if (byUnit && !unit.value.trim()) bad.push([unit, t('need-unit')]);
      if (!name.value.trim() && !idno.value.trim() && !ph) bad.push([changes, t('need-change'), name]);
      if (!files.length) bad.push([proofs, t('need-proof')]);
      if (!statement.value.trim()) bad.push([statement, t('need-statement')]);
      if (bad.length) {
        bad.forEach(([el, text]) => markField(el, text));
        return (bad[0][2] || bad[0][0]).focus();
      }
      const base = '/api/v1/registrations/' + rid;
      const sent = (f) => uploaded.has(f) && uploaded.get(f).reg === rid;
      const todo = (ph && !sent(ph) ? 1 : 0) + files.filter((f) => !sent(f)).length;
      let n = 0;
      const up = async (f, kind, what, el) => {
        if (sent(f)) return uploaded.get(f).id;
        live.replaceChildren(h('p', { class: 'hint' }, t('uploading', { i: ++n, n: todo })));
        const r = await api('POST', base + '/correction_files?kind=' + kind + (what ? '&label=' + encodeURIComponent(what) : ''), f);
        if (!r.ok) {
          markField(el, r.json.error.message);
          showError(r, form, live);
          return null;
        }
        uploaded.set(f, { reg: rid, id: r.json.id });
        return r.json.id;
      };
      S.busy = true;
      send.disabled = true;
      try {
        const body = { changes: {}, statement: statement.value.trim(), proof_files: [], applicant: byUnit ? 'unit' : 'candidate' };
        if (byUnit) body.applicant_unit = unit.value.trim();
        if (name.value.trim()) body.changes.name = name.value.trim();
        if (idno.value.trim()) body.changes.id_number = idno.value.trim();
        if (ph) {
          body.changes.photo_file = await up(ph, 'photo', null, photo);
          if (!body.changes.photo_file) return;
        }
        const what = label.value.trim();
        for (const [i, f] of files.entries()) {
          const l = what ? (files.length > 1 ? what + '（' + (i + 1) + '）' : what) : f.name.replace(/\.[^.]*$/, '').slice(0, 60) || 'proof';
          const id = await up(f, 'proof', l, proofs);
          if (!id) return;
          body.proof_files.push(id);
        }
        live.replaceChildren(h('p', { class: 'hint' }, t('sending')));
        const r = await api('POST', base + '/ticket_corrections', body);
        if (!r.ok) return showError(r, form, live);
        form.reset();
        syncUnit();
        who.replaceChildren();
        uploaded.clear();
        live.replaceChildren(h('div', { class: 'alert ok' }, t('entered', { id: r.json.id, reg: rid })));
        if (r.json.exam_id === S.exam) load(S.exam);
      } finally {
        S.busy = false;
        send.disabled = false;
      }
    });
    box.replaceChildren(h('h2', { id: 'enter-h' }, t('enter-h')), h('p', { class: 'hint' }, t('enter-lead')), form);
  }

  K.chrome(() => {
    S.regs = {}; // exam names and the like come in the new language
    if (S.exam) viewMain(S.exam);
  });
  start();
})();
