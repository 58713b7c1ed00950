// Seating (SEAT-1, VEN-2, VEN-4) for the exam's agency staff: choose an exam, see the
// capacity plan (per exam area the subject groups with their rooms and shortfalls, the
// centres left out and why, the staffing gaps), commit a run (the inputs digest and the
// seed's commitment become public), run the draw (the seed is revealed), publish it or
// discard it with a reason; then the exam rooms with their ticket numbers. The session is
// the console's (the kw_session cookie, X-CSRF-Token on writes); the server decides who may
// do what and its refusals are shown as they come.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考场编排', title: '考场编排', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。',
      exam: '考试', show: '查看', 'no-exams': '没有已发布的考试。',
      capacity: '每个考场人数', recalc: '重新计算',
      'capacity-hint': '每个考场最多安排的考生人数；座位更少的考场按座位数安排。',
      plan: '容量测算', 'plan-lead': '按目前已缴费并通过审核的报名和可以使用的考场测算，尚未编排。',
      'plan-sum': '考生 {c} 人，可用考场 {r} 间。', 'plan-ok': '座位足够，可以承诺编排。',
      'plan-short': '座位不足：下表标出缺少座位的考区和科目组合。按现在的人数承诺编排会被拒绝。',
      'plan-no-area': '有 {n} 份已缴费的报名没有选择考区，须先处理，才能编排。',
      'plan-none': '目前没有需要编排的考生。',
      'area-sum': '使用考点 {c} 个；同一场次最多同时使用 {p} 个考场。',
      subjects: '科目组合', mode: '方式', paper: '纸笔', cbt: '机考', sittings: '场次',
      candidates: '考生', accommodation: '需特殊照顾', 'exam-rooms': '考场数', short: '座位',
      'short-n': '缺 {n} 个座位', enough: '足够',
      staffing: '考务人员', post: '岗位', needed: '需要', available: '现有', lacking: '缺少',
      'staff-ok': '考务人员足够。', 'staff-gap': '考务人员不足：',
      'p-chief_examiner': '主考', 'p-proctor': '监考员', 'p-cbt_admin': '机考系统管理员',
      'left-out': '不参加编排的考点', centre: '考点', area: '考区', reason: '原因',
      'r-BLOCKED_BY_INCIDENT': '重大事件未整改', 'r-INACTIVE': '考点已停用', 'r-LEVEL_UNKNOWN': '考点级别未登记',
      'r-BELOW_LEVEL_NO_APPROVAL': '考点级别低于要求，且没有省级批准', 'r-NO_NATIONAL_FILING': '考点级别低于要求，且未向国家备案',
      'sitting-at': '第 {n} 场：{at}', shortfalls: '座位缺口', seats: '可用座位',
      run: '本次编排', 'run-none': '尚未承诺编排。',
      'run-lead': '承诺编排时，系统固定考生名单和考场（公布“输入摘要”），抽取一个随机种子，只公布它的“承诺值”；执行编排后公布种子。任何人都可以用公示页上的数据复核编排结果。',
      commit: '承诺编排', seat: '执行编排', publish: '发布', discard: '作废',
      'commit-with': '按每个考场 {n} 人承诺编排', status: '状态',
      's-committed': '已承诺，待执行编排', 's-seated': '已编排，待发布', 's-published': '已发布', 's-discarded': '已作废',
      'run-no': '第 {n} 次编排（编号 {id}）', 'run-cands': '考生人数', 'run-rooms': '可用考场', 'run-exam-rooms': '编排考场数',
      'inputs-digest': '输入摘要', commitment: '承诺值', seed: '随机种子', 'seed-later': '执行编排后公布',
      'assignment-digest': '编排结果摘要', 'not-yet': '尚未编排', rule: '编排规则',
      'rule-text': '每个考场最多 {capacity} 人，特殊照顾考场最多 {accommodation_capacity} 人；准考证号：{tickets}',
      'committed-at': '承诺时间', 'seated-at': '编排时间', 'published-at': '发布时间', 'discard-reason': '作废理由',
      'public-link': '公示页（任何人可核验）', 'inputs-file': '下载输入文件', 'door-labels': '考场门贴（PDF）', 'paper-order': '试卷预订表（Excel）', 'desk-labels': '桌贴',
      'confirm-seat': '执行编排后，考生按承诺时固定的名单和考场随机编排，随机种子随即公开。结果不能修改，只能发布或作废（作废记录会公开）。确定执行吗？',
      'confirm-publish': '发布后编排结果即为最终结果，可以据此制作准考证；本考试不能再重新编排，以后的调整只能经复核审批。确定发布吗？',
      'confirm-discard': '作废后本次编排不再使用，随机种子公开，作废记录和理由在公示页上保留。',
      'reason-label': '作废理由（将公开）', 'need-reason': '请填写作废理由。', confirm: '确认', cancel: '取消',
      working: '正在处理…', 'working-seat': '正在编排，请稍候…（可以离开本页，稍后回来查看结果）',
      'done-commit': '已承诺编排，承诺值已公开。', 'done-seat': '编排完成：共 {n} 个考场，随机种子已公开。',
      'done-publish': '编排结果已发布。', 'done-discard': '本次编排已作废。',
      'published-note': '编排结果已发布，是最终结果。', history: '以前的编排',
      rooms: '考场安排', 'rooms-sum': '共 {n} 个考场，{s} 名考生。', filter: '查找（考点、教室或准考证号）',
      'r-room': '教室', 'r-floor': '楼层', 'r-number': '考场', 'r-seats': '人数', 'r-tickets': '准考证号',
      'number-n': '第{n}考场', 'acc-room': '特殊照顾考场', 'rooms-none': '没有符合条件的考场。',
      'rooms-cut': '只显示前 {n} 个，请用查找缩小范围。', 'error-code': '（{code}）', gap: '缺口', 'plan-ok-open': '座位足够。',
      digits: '（{n} 位）', 'tk-year': '年份', 'tk-area': '考区号', 'tk-centre': '考点号', 'tk-room': '考场号', 'tk-seat': '座号',
      'cst-note': '时间均为北京时间。',
    },
    en: {
      brand: 'Seating', title: 'Seating', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.',
      exam: 'Exam', show: 'Show', 'no-exams': 'No exam is published.',
      capacity: 'Candidates per room', recalc: 'Recalculate',
      'capacity-hint': 'The most candidates a room takes; a room with fewer seats takes as many as it seats.',
      plan: 'Capacity plan', 'plan-lead': 'From the paid registrations past review and the rooms that may be used; nothing is drawn yet.',
      'plan-sum': '{c} candidates, {r} rooms available.', 'plan-ok': 'Enough seats: the run can be committed.',
      'plan-short': 'Too few seats: the areas and subject groups short of seats are marked below. A commitment with this number per room would be refused.',
      'plan-no-area': '{n} paid registrations have no exam area; settle them before seating.',
      'plan-none': 'No candidate to seat yet.',
      'area-sum': '{c} centres used; at most {p} exam rooms in one sitting.',
      subjects: 'Subject group', mode: 'Mode', paper: 'Paper', cbt: 'Computer', sittings: 'Sittings',
      candidates: 'Candidates', accommodation: 'Accommodation', 'exam-rooms': 'Exam rooms', short: 'Seats',
      'short-n': '{n} seats short', enough: 'enough',
      staffing: 'Exam staff', post: 'Post', needed: 'Needed', available: 'Available', lacking: 'Short',
      'staff-ok': 'Enough exam staff.', 'staff-gap': 'Too few exam staff:',
      'p-chief_examiner': 'Chief examiner', 'p-proctor': 'Proctor', 'p-cbt_admin': 'CBT administrator',
      'left-out': 'Centres left out', centre: 'Centre', area: 'Exam area', reason: 'Reason',
      'r-BLOCKED_BY_INCIDENT': 'Major incident not rectified', 'r-INACTIVE': 'Centre inactive', 'r-LEVEL_UNKNOWN': 'Centre level not recorded',
      'r-BELOW_LEVEL_NO_APPROVAL': 'Below the required level, no provincial approval', 'r-NO_NATIONAL_FILING': 'Below the required level, not filed nationally',
      'sitting-at': 'Sitting {n}: {at}', shortfalls: 'Shortfalls', seats: 'Seats free',
      run: 'Seating run', 'run-none': 'No run committed yet.',
      'run-lead': 'Committing fixes the candidate list and the rooms (their "inputs digest" is published) and draws a random seed, publishing only its "commitment"; the seed is published by the draw. Anyone can check the result from the public page.',
      commit: 'Commit', seat: 'Run the draw', publish: 'Publish', discard: 'Discard',
      'commit-with': 'Commit with {n} per room', status: 'Status',
      's-committed': 'Committed, waiting for the draw', 's-seated': 'Drawn, waiting to be published', 's-published': 'Published', 's-discarded': 'Discarded',
      'run-no': 'Run {n} (no. {id})', 'run-cands': 'Candidates', 'run-rooms': 'Rooms available', 'run-exam-rooms': 'Exam rooms',
      'inputs-digest': 'Inputs digest', commitment: 'Commitment', seed: 'Seed', 'seed-later': 'revealed by the draw',
      'assignment-digest': 'Assignment digest', 'not-yet': 'not drawn yet', rule: 'Rule',
      'rule-text': 'At most {capacity} to a room, {accommodation_capacity} to an accommodation room; ticket numbers: {tickets}',
      'committed-at': 'Committed', 'seated-at': 'Drawn', 'published-at': 'Published', 'discard-reason': 'Reason discarded',
      'public-link': 'Public page (anyone can verify)', 'inputs-file': 'Download the inputs file', 'door-labels': 'Door labels (PDF)', 'paper-order': 'Paper order (Excel)', 'desk-labels': 'desk labels',
      'confirm-seat': 'The draw seats the candidates fixed at the commitment at random and reveals the seed. The result cannot be changed, only published or discarded (a discarded run stays public). Run the draw?',
      'confirm-publish': 'Once published the seating is final and tickets may be issued; this exam cannot be seated again, later changes only through maker-checker. Publish?',
      'confirm-discard': 'A discarded run is not used; its seed is revealed and the run stays on the public page with the reason.',
      'reason-label': 'Reason (published)', 'need-reason': 'Give the reason for discarding.', confirm: 'Confirm', cancel: 'Cancel',
      working: 'Working…', 'working-seat': 'Drawing… (you may leave this page and come back for the result)',
      'done-commit': 'Committed; the commitment is public.', 'done-seat': 'Drawn: {n} exam rooms. The seed is public.',
      'done-publish': 'The seating is published.', 'done-discard': 'The run is discarded.',
      'published-note': 'The seating is published and final.', history: 'Earlier runs',
      rooms: 'Exam rooms', 'rooms-sum': '{n} exam rooms, {s} candidates.', filter: 'Find (centre, room or ticket number)',
      'r-room': 'Room', 'r-floor': 'Floor', 'r-number': 'Exam room', 'r-seats': 'Seated', 'r-tickets': 'Ticket numbers',
      'number-n': 'No. {n}', 'acc-room': 'Accommodation room', 'rooms-none': 'No exam room matches.',
      'rooms-cut': 'Only the first {n} are shown; narrow the search.', 'error-code': ' ({code})', gap: 'Short', 'plan-ok-open': 'Enough seats.',
      digits: ' ({n} digits)', 'tk-year': 'year', 'tk-area': 'area', 'tk-centre': 'centre', 'tk-room': 'room', 'tk-seat': 'seat',
      'cst-note': 'Times are China time.',
    },
  };
  const ROOM_LIMIT = 500;
  const S = { me: null, exams: [], exam: null, subjects: [], cap: '', plan: null, runs: [], run: null, rooms: null, busy: false, q: '' };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, cst, api, flash, confirmBox, viewLogin, renderWho } = K;

  // ---- messages: the server's own words, with its table of shortfalls when it sends one ----
  function shortTable(list, caption) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid shortfalls' }, caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, [[t('area')], [t('subjects')], [t('candidates'), 'num'], [t('seats'), 'num'], [t('gap')]].map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, list.map((s) => h('tr', { class: 'is-short' }, h('td', {}, s.area), h('td', {}, subjectsText(s.subjects)),
        h('td', { class: 'num' }, String(s.candidates)), h('td', { class: 'num' }, String(s.seats)),
        h('td', {}, h('span', { class: 'flag bad' }, t('short-n', { n: s.short }))))))));
  }
  const showError = (r) => K.showError(r, (d) => [
    Array.isArray(d.shortfalls) && d.shortfalls.length ? shortTable(d.shortfalls, t('shortfalls')) : null, K.fieldList(d.fields)]);

  // ---- subjects and sittings, in words ----
  function subjectsText(key) {
    return String(key).split('+').map((c) => {
      const s = S.subjects.find((x) => x.code === c);
      return s ? `${c} ${s.name}` : c;
    }).join(' + ');
  }
  const LIST_SEP = () => (K.lang === 'en' ? ', ' : '、');
  const sittingsText = (list) => (Array.isArray(list) ? list : String(list || '').split(',')).join(LIST_SEP());
  // Sittings are the subjects' distinct start times in order, numbered from 1.
  function sittingLegend() {
    const times = [...new Set(S.subjects.map((s) => s.starts_at).filter((x) => x))].sort((a, b) => new Date(a) - new Date(b));
    if (!times.length) return null;
    return h('p', { class: 'hint legend' }, times.map((at, i) => t('sitting-at', { n: i + 1, at: cst(at, false) })).join(K.lang === 'en' ? '; ' : '；'));
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
    const want = new URLSearchParams(location.search).get('exam');
    const hit = S.exams.find((e) => String(e.id) === want || e.code === want);
    viewMain(hit ? hit.id : (S.exam || (S.exams[0] && S.exams[0].id)));
  }

  function viewMain(examId) {
    flash('');
    if (!S.exams.length) { $('view').replaceChildren(h('p', {}, t('no-exams'))); return; }
    const sel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: String(e.id) }, `${e.name}（${e.code}）`)));
    sel.value = String(examId);
    const bar = h('form', { class: 'row bar', onsubmit: (ev) => { ev.preventDefault(); S.cap = ''; load(Number(sel.value)); } },
      h('label', { for: 'exam' }, t('exam')), sel, h('button', { class: 'btn primary', type: 'submit' }, t('show')));
    $('view').replaceChildren(bar, h('section', { id: 'plan', class: 'card', 'aria-labelledby': 'plan-h' }),
      h('section', { id: 'run', class: 'card', 'aria-labelledby': 'run-h' }),
      h('section', { id: 'rooms', class: 'card', 'aria-labelledby': 'rooms-h', hidden: true }),
      h('section', { id: 'history', class: 'card', 'aria-labelledby': 'history-h', hidden: true }));
    load(Number(sel.value));
  }

  async function load(examId) {
    const changed = S.exam !== examId;
    S.exam = examId;
    if (changed) { S.cap = ''; S.q = ''; }
    history.replaceState(null, '', '?exam=' + examId);
    $('plan').replaceChildren(h('p', { class: 'hint' }, t('loading')));
    const [pub, ex] = await Promise.all([api('GET', '/api/v1/public/exams/' + examId + '/seating'), api('GET', '/api/v1/public/exams/' + examId)]);
    if (S.exam !== examId) return;
    S.subjects = ex.ok ? ex.json.subjects || [] : [];
    S.runs = pub.ok ? pub.json.runs : [];
    if (!pub.ok) showError(pub);
    // The exam's current run: the last one, unless it was discarded.
    const last = S.runs[S.runs.length - 1];
    S.run = null;
    S.rooms = null;
    if (last && last.status !== 'discarded') {
      const r = await api('GET', '/api/v1/seating_runs/' + last.id);
      S.run = r.ok ? r.json : last;
      if (!r.ok) showError(r);
      if (!S.cap && S.run.rule) S.cap = String(S.run.rule.capacity);
    }
    // With a run under way the run and its rooms come first; otherwise the plan leads to the commitment.
    const order = S.run ? ['run', 'rooms', 'plan', 'history'] : ['plan', 'run', 'rooms', 'history'];
    $('view').append(...order.map((id) => $(id)));
    await loadPlan();
    renderRun();
    renderHistory();
    await loadRooms();
  }

  async function loadPlan() {
    const q = S.cap ? '?capacity=' + encodeURIComponent(S.cap) : '';
    const r = await api('GET', '/api/v1/exams/' + S.exam + '/capacity' + q);
    S.plan = r.ok ? r.json : null;
    if (r.ok && !S.cap) S.cap = String(r.json.rule.capacity);
    renderPlan(r.ok ? null : r);
  }

  function renderPlan(failed) {
    const box = $('plan');
    const cap = h('input', { id: 'capacity', name: 'capacity', type: 'number', min: '1', max: '1000', value: S.cap, 'aria-describedby': 'capacity-hint' });
    const form = h('form', { class: 'row bar', onsubmit: async (ev) => {
      ev.preventDefault();
      S.cap = cap.value.trim();
      await loadPlan();
      renderRun();
      $('capacity').focus();
    } }, h('label', { for: 'capacity' }, t('capacity')), cap, h('button', { class: 'btn', type: 'submit' }, t('recalc')),
    h('span', { class: 'hint', id: 'capacity-hint' }, t('capacity-hint')));
    const kids = [h('h2', { id: 'plan-h' }, t('plan')), h('p', { class: 'hint' }, t('plan-lead')), form];
    if (failed) {
      kids.push(h('p', { class: 'alert', role: 'alert' }, failed.json.error.message));
      return box.replaceChildren(...kids);
    }
    const p = S.plan;
    const verdict = p.candidates === 0 ? h('p', { class: 'verdict' }, t('plan-none'))
      : p.feasible ? h('p', { class: 'verdict ok', id: 'plan-verdict' }, S.run ? t('plan-ok-open') : t('plan-ok'))
        : h('p', { class: 'verdict bad', id: 'plan-verdict' }, p.without_area ? t('plan-no-area', { n: p.without_area }) : t('plan-short'));
    kids.push(h('p', { class: 'sum' }, t('plan-sum', { c: p.candidates, r: p.rooms })), verdict, sittingLegend());
    for (const a of p.areas) {
      const id = 'area-' + a.area;
      const rows = a.groups.map((g) => h('tr', { class: g.short ? 'is-short' : null },
        h('td', {}, subjectsText(g.subjects)), h('td', {}, t(g.mode)), h('td', {}, sittingsText(g.sittings)),
        h('td', { class: 'num' }, String(g.candidates)), h('td', { class: 'num' }, String(g.accommodation)),
        h('td', { class: 'num' }, String(g.exam_rooms)),
        h('td', {}, g.short ? h('span', { class: 'flag bad' }, t('short-n', { n: g.short })) : h('span', { class: 'flag ok' }, t('enough')))));
      const gaps = a.staffing_gaps || [];
      kids.push(h('section', { class: 'area', 'aria-labelledby': id },
        h('h3', { id }, `${a.area} ${a.name || ''}`),
        h('p', { class: 'hint' }, t('area-sum', { c: a.centres_used, p: a.peak_exam_rooms })),
        h('div', { class: 'wrap' }, h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, [[t('subjects')], [t('mode')], [t('sittings')], [t('candidates'), 'num'], [t('accommodation'), 'num'], [t('exam-rooms'), 'num'], [t('short')]]
            .map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
          h('tbody', {}, rows))),
        gaps.length ? h('div', { class: 'gaps' }, h('p', { class: 'warn' }, t('staff-gap')), h('div', { class: 'wrap' }, h('table', { class: 'grid narrow' },
          h('thead', {}, h('tr', {}, [[t('post')], [t('needed'), 'num'], [t('available'), 'num'], [t('lacking'), 'num']].map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
          h('tbody', {}, gaps.map((g) => h('tr', {}, h('td', {}, t('p-' + g.post) !== 'p-' + g.post ? t('p-' + g.post) : g.post),
            h('td', { class: 'num' }, String(g.needed)), h('td', { class: 'num' }, String(g.available)), h('td', { class: 'num' }, String(g.short))))))))
          : h('p', { class: 'ok' }, t('staff-ok'))));
    }
    if (p.centres_left_out.length) {
      kids.push(h('section', { class: 'area', 'aria-labelledby': 'left-h' }, h('h3', { id: 'left-h' }, t('left-out')),
        h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'left-out' },
          h('thead', {}, h('tr', {}, [t('centre'), t('area'), t('reason')].map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', {}, p.centres_left_out.map((c) => h('tr', {}, h('td', {}, `${c.centre} ${c.name || ''}`), h('td', {}, c.area),
            h('td', {}, (TEXT[K.lang]['r-' + c.reason] ? t('r-' + c.reason) : c.reason) + (c.rule ? `（${c.rule}）` : '')))))))));
    }
    box.replaceChildren(...kids);
  }

  // ---- the run: its card and what can be done with it ----
  function dl(pairs) {
    return h('dl', { class: 'facts' }, pairs.filter((x) => x && x[1] !== null && x[1] !== undefined && x[1] !== '')
      .map(([k, v, long]) => [h('dt', { class: long ? 'long' : null }, k), h('dd', { class: long ? 'long' : null }, v)]));
  }
  const hex = (v) => h('code', { class: 'hex' }, v);
  // The ticket-number scheme in words: "{year:2}{area:2}…" → 年份（2 位）+ 考区号（2 位）+ …
  function schemeText(s) {
    const parts = [];
    let last = 0;
    s.replace(/\{(\w+):(\d+)\}/g, (m, k, n, off) => {
      if (off > last) parts.push('“' + s.slice(last, off) + '”');
      parts.push((TEXT[K.lang]['tk-' + k] ? t('tk-' + k) : k) + t('digits', { n }));
      last = off + m.length;
      return m;
    });
    if (last < s.length) parts.push('“' + s.slice(last) + '”');
    return parts.join(' + ');
  }
  function runFacts(run) {
    const rule = run.rule || {};
    return dl([
      [t('status'), h('span', { class: 'badge s-' + run.status }, t('s-' + run.status))],
      [t('run-cands'), String(run.candidates)], [t('run-rooms'), String(run.rooms)],
      run.exam_rooms !== null && run.exam_rooms !== undefined ? [t('run-exam-rooms'), String(run.exam_rooms)] : null,
      [t('rule'), rule.capacity ? t('rule-text', Object.assign({ tickets: schemeText(rule.ticket_scheme || '') }, rule)) : null, true],
      [t('inputs-digest'), hex(run.inputs_digest), true], [t('commitment'), hex(run.commitment), true],
      [t('seed'), run.seed ? hex(run.seed) : h('span', { class: 'hint' }, t('seed-later')), true],
      [t('assignment-digest'), run.assignment_digest ? hex(run.assignment_digest) : h('span', { class: 'hint' }, t('not-yet')), true],
      [t('committed-at'), cst(run.committed_at)], [t('seated-at'), cst(run.seated_at)], [t('published-at'), cst(run.published_at)],
      [t('discard-reason'), run.reason, true],
    ]);
  }
  function runNo(run) { return t('run-no', { n: S.runs.findIndex((x) => x.id === run.id) + 1 || S.runs.length + 1, id: run.id }); }

  function renderRun(working) {
    const box = $('run');
    const run = S.run;
    const pub = h('p', { class: 'links' }, h('a', { href: '/seating-public.html?exam=' + S.exam }, t('public-link')),
      run ? [' · ', h('a', { href: '/api/v1/public/seating_runs/' + run.id + '/inputs', download: `seating-${run.id}-inputs.txt` }, t('inputs-file'))] : null,
      run && run.status !== 'committed' && run.status !== 'discarded'
        ? [' · ', h('a', { href: '/api/v1/seating_runs/' + run.id + '/door_labels' }, t('door-labels')),
          ' · ', h('a', { href: '/api/v1/seating_runs/' + run.id + '/paper_order' }, t('paper-order'))] : null);
    const kids = [h('h2', { id: 'run-h' }, run ? t('run') + ' · ' + runNo(run) : t('run'))];
    const acts = h('div', { class: 'row actions' });
    const btn = (key, fn, kind) => h('button', { type: 'button', class: 'btn' + (kind ? ' ' + kind : ''), id: 'do-' + key, disabled: S.busy, onclick: fn }, t(key));
    if (!run) {
      kids.push(h('p', {}, t('run-none')), h('p', { class: 'hint' }, t('run-lead')));
      acts.append(btn('commit', commit, 'primary'));
      if (S.cap) acts.append(h('span', { class: 'hint' }, t('commit-with', { n: S.cap })));
    } else {
      kids.push(runFacts(run), h('p', { class: 'hint' }, t('cst-note')));
      if (run.status === 'committed') acts.append(btn('seat', seat, 'primary'), btn('discard', discard, 'danger'));
      else if (run.status === 'seated') acts.append(btn('publish', publish, 'primary'), btn('discard', discard, 'danger'));
      else if (run.status === 'published') acts.append(h('p', { class: 'ok' }, t('published-note')));
    }
    kids.push(acts);
    if (working) kids.push(h('div', { class: 'working', role: 'status' }, h('progress', { 'aria-label': working }), ' ', working));
    kids.push(pub);
    box.replaceChildren(...kids);
  }

  function renderHistory() {
    const box = $('history');
    const old = S.runs.filter((r) => !S.run || r.id !== S.run.id).slice().reverse();
    box.hidden = !old.length;
    if (!old.length) return box.replaceChildren();
    box.replaceChildren(h('h2', { id: 'history-h' }, t('history')), h('ul', { class: 'runs' }, old.map((r) => h('li', {},
      h('b', {}, runNo(r)), ' ', h('span', { class: 'badge s-' + r.status }, t('s-' + r.status)), ' ',
      h('span', { class: 'hint' }, cst(r.committed_at)), r.reason ? h('div', {}, t('discard-reason') + '：' + r.reason) : null))));
  }

  // Each step: the button's request, the server's answer shown, the page reloaded from it.
  async function step(fn, workingText) {
    if (S.busy) return;
    S.busy = true;
    renderRun(workingText || t('working'));
    let r;
    try { r = await fn(); } finally { S.busy = false; }
    if (!r) { renderRun(); return null; }
    if (!r.ok) { renderRun(); showError(r); return null; }
    await load(S.exam);
    return r;
  }
  async function commit() {
    const body = S.cap ? { rule: { capacity: Number(S.cap) } } : {};
    const r = await step(() => api('POST', '/api/v1/exams/' + S.exam + '/seating_runs', body));
    if (r) flash(t('done-commit'), true);
  }
  async function seat() {
    if (!(await confirmBox(t('confirm-seat'), t('seat')))) return;
    const r = await step(() => api('POST', '/api/v1/seating_runs/' + S.run.id + '/seat'), t('working-seat'));
    if (r) flash(t('done-seat', { n: r.json.exam_rooms }), true);
  }
  async function publish() {
    if (!(await confirmBox(t('confirm-publish'), t('publish')))) return;
    const r = await step(() => api('POST', '/api/v1/seating_runs/' + S.run.id + '/publish'));
    if (r) flash(t('done-publish'), true);
  }
  async function discard() {
    const reason = await confirmBox(t('confirm-discard'), t('discard'), { reason: true, danger: true });
    if (!reason) return;
    const r = await step(() => api('POST', '/api/v1/seating_runs/' + S.run.id + '/discard', { reason }));
    if (r) flash(t('done-discard'), true);
  }

  // ---- the exam rooms of a drawn run ----
  async function loadRooms() {
    const box = $('rooms');
    const run = S.run;
    if (!run || (run.status !== 'seated' && run.status !== 'published')) { box.hidden = true; box.replaceChildren(); return; }
    const r = await api('GET', '/api/v1/seating_runs/' + run.id + '/rooms');
    box.hidden = false;
    if (!r.ok) return box.replaceChildren(h('h2', { id: 'rooms-h' }, t('rooms')), h('p', { class: 'alert', role: 'alert' }, r.json.error.message));
    S.rooms = r.json.items;
    const seated = S.rooms.reduce((n, x) => n + x.seats_taken, 0);
    const find = h('input', { id: 'room-q', type: 'search', value: S.q, 'aria-controls': 'room-list' });
    const body = h('tbody', {});
    const note = h('p', { class: 'hint', 'aria-live': 'polite' });
    const table = h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'room-list' },
      h('thead', {}, h('tr', {}, [[t('area')], [t('centre')], [t('r-room')], [t('r-floor'), 'num'], [t('r-number')], [t('subjects')], [t('sittings')], [t('r-seats'), 'num'], [t('r-tickets')]]
        .map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))), body));
    function fill() {
      const q = find.value.trim();
      S.q = q;
      const hit = (x) => !q || [x.area, x.centre, x.centre_name, x.room, x.room_name, t('number-n', { n: x.number })].some((v) => v && String(v).includes(q)) ||
        (/^\d+$/.test(q) && q.length === x.first_ticket.length && q >= x.first_ticket && q <= x.last_ticket);
      const rows = S.rooms.filter(hit);
      body.replaceChildren(...rows.slice(0, ROOM_LIMIT).map((x) => h('tr', {},
        h('td', {}, x.area), h('td', {}, `${x.centre} ${x.centre_name || ''} `,
          h('a', { href: `/api/v1/seating_runs/${run.id}/desk_labels?centre=${encodeURIComponent(x.centre)}` }, t('desk-labels'))),
        h('td', {}, [x.room, x.room_name].filter((v) => v).join(' ')),
        h('td', { class: 'num' }, x.floor === null ? '' : String(x.floor)),
        h('td', {}, t('number-n', { n: x.number }), x.accommodation ? [' ', h('span', { class: 'badge acc' }, t('acc-room'))] : null),
        h('td', { class: 'subj' }, subjectsText(x.subjects)), h('td', {}, sittingsText(x.sittings)), h('td', { class: 'num' }, String(x.seats_taken)),
        h('td', { class: 'tickets' }, x.first_ticket === x.last_ticket ? x.first_ticket : `${x.first_ticket}–${x.last_ticket}`))));
      note.textContent = !rows.length ? t('rooms-none') : rows.length > ROOM_LIMIT ? t('rooms-cut', { n: ROOM_LIMIT }) : '';
    }
    find.addEventListener('input', fill);
    fill();
    box.replaceChildren(h('h2', { id: 'rooms-h' }, t('rooms')), h('p', { class: 'sum' }, t('rooms-sum', { n: S.rooms.length, s: seated })),
      sittingLegend(), h('div', { class: 'row bar' }, h('label', { for: 'room-q' }, t('filter')), find), table, note);
  }

  K.chrome(() => { if (S.exam) viewMain(S.exam); });
  start();
})();
