// The custodian's page (SPEC CUS-1..6; issue 9 items 2 and 8): /custody.html[?package=ID].
// Scan (or type) a package's seal number: the package — subject, centre, exam room, count,
// classification, where it is now — and its whole chain of custody in order, printable (the
// print view leaves out the forms). Record the next event: its kind, from (where the package
// is) and to, the people on each side (one a line; "@username" for an account, else a name,
// a unit after "/"), the count and the seal read, the vehicle and escorts of a transport, the
// key holders and guards of a secure room. A refusal is shown in the server's words; a count
// or seal that does not match, or a late receipt, is recorded and shown flagged with its
// incident reported upward. The session is the console's.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '试卷交接与保管', title: '试卷交接与保管', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '试卷保管人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，未能提交；内容已保留，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      'scan-h': '扫描试卷袋封条', 'scan-label': '封条编号（扫描或输入）', find: '查找', 'not-found': '没有找到该封条编号的试卷袋（或您无权查看）。',
      'pkg-h': '试卷袋 {seal}', subject: '科目', centre: '考点', room: '考场', count: '份数', 'count-line': '{count} 份（考生 {seated} + 备用 {spare}）',
      classification: '密级', top_secret: '绝密', released: '已启用', place: '当前位置', signed: '付印审签', starts: '开考时间',
      'kind-room': '考场袋', 'kind-centre': '考点外包装袋', 'incidents-open': '未处理异常：{n}',
      'chain-h': '交接链', 'chain-none': '尚无交接记录。', seq: '序号', when: '时间', event: '事项', route: '从 → 到', people: '人员', checked: '清点核对', by: '登记人',
      'k-print_receipt': '印刷交接', 'k-transport': '运送', 'k-handover': '交接', 'k-secure_in': '入保密室', 'k-secure_out': '出保密室',
      'k-centre_receipt': '考点接收', 'k-proctor_receipt': '监考员领取', 'k-seal_approval': '主考批准封装', 'k-return': '考后交回',
      'p-printer': '印刷厂', 'p-province': '省级考试机构', 'p-province_secure_room': '省级保密室', 'p-area': '考区', 'p-area_secure_room': '考区保密室',
      'p-centre': '考点', 'p-centre_secure_room': '考点保密室', 'p-exam_office': '考务办公室', 'p-exam_room': '考场', 'p-grading_site': '评卷点',
      'r-giving': '交出方', 'r-receiving': '接收方', 'r-escorts': '押运人员', 'r-key_holders': '钥匙保管人', 'r-guards': '值守人员',
      'count-read': '实点 {n} 份', 'seal-read': '封条 {s}', vehicle: '车辆', departed: '出发时间', note: '备注',
      'incidents-h': '异常与上报', 'upward': '已上报 {unit}',
      'f-COUNT': '数量不符', 'f-SEAL': '封条不符', 'f-LATE': '送达迟于规定时间', 'f-DAY': '未当日到达',
      'rec-h': '登记交接', kind: '事项', from: '从', to: '到', location: '地点（选填）',
      'people-hint': '每行一人：有账号的写“@用户名”，没有账号的写姓名，可加“/单位”。交接双方每方至少 2 人，所有人不得重复。',
      'count-checked': '清点份数', 'seal-checked': '核对封条编号（扫描）', 'departed-at': '出发时间', record: '登记',
      saved: '已登记。', flagged: '已登记，但发现问题并已上报：', print: '打印交接链', 'print-title': '试卷交接链记录', via: '随外包装袋 {seal}',
      'ret-h': '保存与销毁（CUS-7）', 'ret-link': '考务资料保存与销毁 →', 'ret-status': '状态', 'ret-earliest': '最早销毁日期', 'ret-held': '限制销毁原因',
      'ret-destroyed': '销毁记录', 'ret-dest-line': '{at} 于 {place} 以“{method}”销毁，监督人：{w}',
      'rs-due': '到期可销毁', 'rs-kept': '保存中', 'rs-held': '限制销毁', 'rs-destroyed': '已销毁', 'rs-not_published': '成绩未公布，保存中', 'rs-not_registered': '尚未列入保存清单',
    },
    en: {
      brand: 'Paper custody', title: 'Paper custody', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Custodian login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down and nothing was sent; what you typed is kept — try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      'scan-h': 'Scan a package seal', 'scan-label': 'Seal number (scan or type)', find: 'Find', 'not-found': 'No package with that seal number (or not yours to see).',
      'pkg-h': 'Package {seal}', subject: 'Subject', centre: 'Centre', room: 'Exam room', count: 'Count', 'count-line': '{count} ({seated} seated + {spare} spare)',
      classification: 'Classification', top_secret: 'Top secret', released: 'Released', place: 'Now at', signed: 'Print sign-off', starts: 'Starts',
      'kind-room': 'room package', 'kind-centre': 'centre outer package', 'incidents-open': 'Open incidents: {n}',
      'chain-h': 'Chain of custody', 'chain-none': 'No events yet.', seq: '#', when: 'Time', event: 'Event', route: 'From → to', people: 'People', checked: 'Checked', by: 'Recorded by',
      'k-print_receipt': 'Print receipt', 'k-transport': 'Transport', 'k-handover': 'Handover', 'k-secure_in': 'Into secure room', 'k-secure_out': 'Out of secure room',
      'k-centre_receipt': 'Centre receipt', 'k-proctor_receipt': 'Proctors\u2019 receipt', 'k-seal_approval': 'Sealing approved', 'k-return': 'Return after the exam',
      'p-printer': 'Printer', 'p-province': 'Province', 'p-province_secure_room': 'Province secure room', 'p-area': 'Area', 'p-area_secure_room': 'Area secure room',
      'p-centre': 'Centre', 'p-centre_secure_room': 'Centre secure room', 'p-exam_office': 'Exam office', 'p-exam_room': 'Exam room', 'p-grading_site': 'Grading site',
      'r-giving': 'Giving', 'r-receiving': 'Receiving', 'r-escorts': 'Escorts', 'r-key_holders': 'Key holders', 'r-guards': 'Guards',
      'count-read': '{n} counted', 'seal-read': 'seal {s}', vehicle: 'Vehicle', departed: 'Departed', note: 'Note',
      'incidents-h': 'Incidents reported', 'upward': 'reported to {unit}',
      'f-COUNT': 'count mismatch', 'f-SEAL': 'seal mismatch', 'f-LATE': 'late', 'f-DAY': 'not the same day',
      'rec-h': 'Record an event', kind: 'Event', from: 'From', to: 'To', location: 'Location (optional)',
      'people-hint': 'One person a line: "@username" for an account, else the name, optionally "/unit". At least 2 on each side of a handover, nobody twice.',
      'count-checked': 'Count', 'seal-checked': 'Seal number read (scan)', 'departed-at': 'Departed at', record: 'Record',
      saved: 'Recorded.', flagged: 'Recorded, with problems reported upward:', print: 'Print the chain', 'print-title': 'Chain of custody record', via: 'inside outer package {seal}',
      'ret-h': 'Retention and destruction (CUS-7)', 'ret-link': 'Retention and destruction of materials →', 'ret-status': 'Status', 'ret-earliest': 'Earliest destruction', 'ret-held': 'Held because',
      'ret-destroyed': 'Destruction', 'ret-dest-line': '{at} at {place} by {method}; witnesses: {w}',
      'rs-due': 'Due for destruction', 'rs-kept': 'Kept', 'rs-held': 'Held', 'rs-destroyed': 'Destroyed', 'rs-not_published': 'Scores not published: kept', 'rs-not_registered': 'Not on the retention list yet',
    },
  };
  const KINDS = ['print_receipt', 'transport', 'handover', 'secure_in', 'secure_out', 'centre_receipt', 'proctor_receipt', 'seal_approval', 'return'];
  const PLACES = ['printer', 'province', 'province_secure_room', 'area', 'area_secure_room', 'centre', 'centre_secure_room', 'exam_office', 'exam_room', 'grading_site'];
  const SIDES = ['print_receipt', 'handover', 'centre_receipt', 'proctor_receipt', 'return'];
  const ROLES = ['giving', 'receiving', 'escorts', 'key_holders', 'guards'];
  const S = { me: null, pkg: null, chain: null, draft: {} };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;
  const FLAG = { CUSTODY_COUNT_MISMATCH: 'f-COUNT', CUSTODY_SEAL_MISMATCH: 'f-SEAL', CUSTODY_LATE: 'f-LATE', CUSTODY_NOT_SAME_DAY: 'f-DAY' };

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    render();
    if (q.get('package')) openPackage(Number(q.get('package')));
  }

  function render() {
    const seal = h('input', { id: 'seal', name: 'seal', autocomplete: 'off', maxlength: '100' });
    const form = h('form', { id: 'scan', class: 'card no-print', onsubmit: async (ev) => {
      ev.preventDefault();
      if (!seal.value.trim()) return;
      const r = await api('GET', '/api/v1/paper_packages?seal=' + encodeURIComponent(seal.value.trim()));
      if (!r.ok) return K.showError(r);
      if (!r.json.items.length) return K.flash(t('not-found'));
      K.flash('');
      history.pushState(null, '', '?package=' + r.json.items[0].id);
      openPackage(r.json.items[0].id);
    } }, h('h2', {}, t('scan-h')), h('label', { for: 'seal' }, t('scan-label')), seal,
    h('button', { type: 'submit', class: 'btn primary big', id: 'find' }, t('find')));
    $('view').replaceChildren(form, h('div', { id: 'package' }));
    if (S.pkg) drawPackage();
    else seal.focus();
  }

  async function openPackage(id) {
    const r = await api('GET', '/api/v1/paper_packages/' + id);
    if (!r.ok) return K.showError(r);
    S.pkg = r.json.package;
    S.chain = r.json;
    drawPackage();
  }

  const placeName = (p) => t('p-' + p);
  function personText(p) {
    return p.username ? `${p.name}（@${p.username}）` : p.org ? `${p.name}/${p.org}` : p.name;
  }

  function drawPackage() {
    const p = S.pkg;
    const rows = [
      [t('subject'), `${p.subject.code} ${p.subject.name}`],
      [t('centre'), `${p.centre.code} ${p.centre.name}` + (p.exam_room ? ` · ${t('room')} ${p.exam_room.number}` : '')],
      [t('starts'), K.cst(p.subject.starts_at, false)],
      [t('count'), t('count-line', p)],
      [t('classification'), p.classified ? t('top_secret') : t('released')],
      [t('signed'), p.print_signed_by.map((x) => x.name).join('、')],
      [t('place'), placeName(p.place)],
    ];
    const card = h('section', { class: 'card', id: 'pkg' },
      h('h2', {}, t('print-title'), ' · ', t('pkg-h', { seal: p.seal_no }), ' ', h('span', { class: 'badge' }, t('kind-' + p.kind))),
      h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      p.incidents_open ? h('p', { class: 'alert' }, t('incidents-open', { n: p.incidents_open })) : null,
      h('button', { type: 'button', class: 'btn no-print', id: 'print', onclick: () => window.print() }, t('print')));
    $('package').replaceChildren(...[card, chainTable(), incidents(), retention(), recordForm()].filter(Boolean));
  }

  // The chain's end: the package's retention (CUS-7) and its destruction, when there is one.
  function retention() {
    const r = S.pkg.retention;
    if (!r) return null;
    const d = r.destruction;
    return h('section', { class: 'card', id: 'retention' }, h('h2', {}, t('ret-h')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('ret-status')), h('dd', { id: 'ret-status' }, t('rs-' + r.status)),
        r.earliest ? [h('dt', {}, t('ret-earliest')), h('dd', {}, r.earliest)] : null,
        r.holds && r.holds.length ? [h('dt', {}, t('ret-held')), h('dd', {}, r.holds.map((x) => x.reason).join('；'))] : null,
        d ? [h('dt', {}, t('ret-destroyed')), h('dd', { id: 'ret-destruction' }, t('ret-dest-line', {
          at: K.cst(d.destroyed_at, false), place: d.place, method: d.method, w: d.witnesses.map((w) => w.name).join('、') }))] : null),
      h('p', { class: 'no-print' }, h('a', { href: `/retention.html?exam=${S.pkg.exam_id}` }, t('ret-link'))));
  }

  function chainTable() {
    const ev = S.chain.events;
    if (!ev.length) return h('section', { class: 'card' }, h('h2', {}, t('chain-h')), h('p', {}, t('chain-none')));
    const body = ev.map((e) => h('tr', { class: e.flags.length ? 'flagged' : null },
      h('td', {}, e.seq), h('td', {}, K.cst(e.occurred_at, false)),
      h('td', {}, t('k-' + e.kind), e.via ? h('div', { class: 'hint' }, t('via', { seal: e.via.seal_no })) : null,
        e.location ? h('div', { class: 'hint' }, e.location) : null,
        e.flags.map((f) => h('div', { class: 'badge bad' }, t(FLAG[f] || f)))),
      h('td', {}, placeName(e.from), ' → ', placeName(e.to)),
      h('td', {}, ROLES.filter((r) => e.people[r]).map((r) => h('div', {}, t('r-' + r), '：', e.people[r].map(personText).join('、'))),
        e.vehicle ? h('div', {}, t('vehicle'), '：', e.vehicle, e.departed_at ? `（${t('departed')} ${K.cst(e.departed_at, false)}）` : '') : null),
      h('td', {}, e.count_checked !== null ? h('div', {}, t('count-read', { n: e.count_checked })) : null,
        e.seal_checked ? h('div', {}, t('seal-read', { s: e.seal_checked })) : null, e.note ? h('div', { class: 'hint' }, e.note) : null),
      h('td', {}, e.recorded_by.name)));
    return h('section', { class: 'card' }, h('h2', {}, t('chain-h')),
      h('table', { class: 'data chain', id: 'chain' }, h('thead', {}, h('tr', {}, ['seq', 'when', 'event', 'route', 'people', 'checked', 'by'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, body)));
  }

  function incidents() {
    const list = S.chain.incidents;
    if (!list.length) return null;
    return h('section', { class: 'card' }, h('h2', {}, t('incidents-h')),
      h('ul', { class: 'list', id: 'incidents' }, list.map((i) => h('li', {},
        h('span', { class: 'badge bad' }, t(FLAG[i.code] || i.code)), `#${i.event_seq} `,
        K.cst(i.created_at, false), ' · ', t('upward', { unit: i.report_to.code })))));
  }

  // "@user" an account, else "name" or "name/org"
  function parsePeople(text) {
    return text.split('\n').map((s) => s.trim()).filter(Boolean).map((s) => {
      if (s.startsWith('@')) return { username: s.slice(1).trim() };
      const i = s.indexOf('/');
      return i > 0 ? { name: s.slice(0, i).trim(), org: s.slice(i + 1).trim() } : { name: s };
    });
  }

  function recordForm() {
    const d = S.draft;
    const kind = h('select', { id: 'kind', onchange: () => { d.kind = kind.value; $('package').lastChild.replaceWith(recordForm()); } },
      KINDS.map((k) => h('option', { value: k, selected: (d.kind || 'handover') === k }, t('k-' + k))));
    const k = d.kind || 'handover';
    const to = h('select', { id: 'to' }, PLACES.map((p) => h('option', { value: p, selected: (d.to || S.pkg.place) === p }, placeName(p))));
    const areas = {};
    const roles = SIDES.includes(k) ? ['giving', 'receiving'] : k === 'transport' ? ['escorts'] : k.startsWith('secure_') ? ['key_holders', 'guards'] : [];
    const fields = roles.map((r) => {
      areas[r] = h('textarea', { id: 'people-' + r, rows: '3', 'aria-describedby': 'people-hint' });
      areas[r].value = d[r] || '';
      return h('div', { class: 'field' }, h('label', { for: 'people-' + r }, t('r-' + r)), areas[r]);
    });
    const count = h('input', { id: 'count', type: 'number', min: '0', inputmode: 'numeric' });
    const seal = h('input', { id: 'seal-checked', autocomplete: 'off', maxlength: '100' });
    const vehicle = h('input', { id: 'vehicle', maxlength: '60' });
    const departed = h('input', { id: 'departed', type: 'datetime-local' });
    const location = h('input', { id: 'location', maxlength: '200' });
    const note = h('textarea', { id: 'note', rows: '2', maxlength: '1000' });
    const msg = h('div', { id: 'rec-msg', 'aria-live': 'polite' });
    return h('form', { id: 'record', class: 'card no-print entry-form', onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { kind: k, from: S.pkg.place, to: k === 'seal_approval' ? S.pkg.place : to.value };
      roles.forEach((r) => { d[r] = areas[r].value; body[r] = parsePeople(areas[r].value); });
      if (SIDES.includes(k)) { body.count_checked = Number(count.value); body.seal_checked = seal.value.trim(); }
      if (k === 'transport') { body.vehicle = vehicle.value.trim(); if (departed.value) body.departed_at = departed.value + ':00+08:00'; }
      if (location.value.trim()) body.location = location.value.trim();
      if (note.value.trim()) body.note = note.value.trim();
      const r = await api('POST', `/api/v1/paper_packages/${S.pkg.id}/events`, body);
      if (!r.ok) {
        if (r.status === 0) return K.flash(t('offline'));
        return K.showError(r, (x) => K.fieldList(x.fields), msg);
      }
      S.draft = {};
      await openPackage(S.pkg.id);
      const flags = r.json.flags;
      K.flash(flags.length ? `${t('flagged')} ${flags.map((f) => t(FLAG[f] || f)).join('、')}` : t('saved'), !flags.length);
    } },
    h('h2', {}, t('rec-h')),
    h('div', { class: 'field' }, h('label', { for: 'kind' }, t('kind')), kind),
    h('p', {}, t('from'), '：', h('b', { id: 'from' }, placeName(S.pkg.place))),
    k === 'seal_approval' ? null : h('div', { class: 'field' }, h('label', { for: 'to' }, t('to')), to),
    roles.length ? h('p', { class: 'hint', id: 'people-hint' }, t('people-hint')) : null, fields,
    SIDES.includes(k) ? [h('div', { class: 'field' }, h('label', { for: 'count' }, t('count-checked')), count),
      h('div', { class: 'field' }, h('label', { for: 'seal-checked' }, t('seal-checked')), seal)] : null,
    k === 'transport' ? [h('div', { class: 'field' }, h('label', { for: 'vehicle' }, t('vehicle')), vehicle),
      h('div', { class: 'field' }, h('label', { for: 'departed' }, t('departed-at')), departed)] : null,
    h('div', { class: 'field' }, h('label', { for: 'location' }, t('location')), location),
    h('div', { class: 'field' }, h('label', { for: 'note' }, t('note')), note),
    h('button', { type: 'submit', class: 'btn primary big', id: 'record-btn' }, t('record')), msg);
  }

  window.addEventListener('popstate', () => start());
  K.chrome(() => render());
  start();
})();
