// The proctor lottery (SEAT-2, SEC-3) for the exam's agency staff: choose an exam (and, where
// the rule set draws before each sitting, the sitting), see the pool — the places to fill per
// exam area, the eligible staff, everyone left out with the reason in words, and the
// shortfall per centre when there are too few —, commit a draw (the inputs digest and the
// seed's commitment become public), run it (the seed is revealed), and see who proctors
// where: the chief examiner of each centre, the proctors of each exam room, the roving
// proctors of each floor. The session is the console's (the kw_session cookie,
// X-CSRF-Token on writes); the server decides who may do what and its refusals are shown as
// they come.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '监考抽签', title: '监考人员抽签', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）',
      exam: '考试', show: '查看', 'no-exams': '没有已发布的考试。', sitting: '场次', 'sitting-n': '第 {n} 场', 'sitting-at': '第 {n} 场（{at}）',
      pool: '抽签人员池', 'pool-lead': '按已发布的考场编排和现有考务人员计算，尚未抽签。',
      'pool-lead-now': '按已发布的考场编排和现有考务人员计算的当前情况；已承诺的抽签使用承诺时固定的输入。',
      'when-exam_day': '本考试的规则：考试当天统一抽签一次（PQ 19）。',
      'when-before_each_sitting': '本考试的规则：每场考试前分别抽签（AH 48）。请选择场次。',
      'rule-text': '每个考场至少 {per_room} 名监考员，机考考场中至少 1 名具备机考监考能力；每个考点 1 名主考；每个考点每层 {roving} 名流动监考。只抽取经过培训的工作人员，不抽志愿者和社会招聘人员；与本考试有回避关系的人员不参加本考试的任何考务工作（SEC-3）。',
      'pool-ok': '可抽人员足够，可以承诺抽签。', 'pool-ok-open': '可抽人员足够。',
      'pool-short': '可抽人员不足：下表列出各考点的缺口。现在承诺抽签会被拒绝，不会只抽一部分。',
      area: '考区', centre: '考点', centres: '考点数', rooms: '考场数', floors: '楼层数', 'cbt-rooms': '机考考场',
      'need-have': '需要 / 可抽', chief: '主考', proctor: '监考员', 'cbt-capable': '其中具备机考能力', roving: '流动监考',
      'd-chief': '主考', 'd-proctor': '监考员', 'd-roving': '流动监考', 'd-proctor-cbt': '具备机考能力的监考员',
      'short-by-centre': '各考点缺口', duty: '岗位', gap: '缺少', 'gap-n': '缺 {n} 名', 'is-short': '不足',
      excluded: '不参加抽签的人员（{n} 人）', 'excluded-none': '没有被排除的人员。', 'excluded-lead': '每个排除都有原因；回避的人员不参加本考试的命题、审题、编排、保管、监考、巡考和评卷（SEC-3）。',
      'staff-no': '人员编号', name: '姓名', post: '岗位', reason: '原因',
      'p-chief_examiner': '主考', 'p-proctor': '监考员', 'p-roving_proctor': '流动监考',
      'r-conflict_self': '回避（SEC-3）：本人报考本考试', 'r-conflict_spouse': '回避（SEC-3）：配偶报考本考试',
      'r-conflict_lineal': '回避（SEC-3）：直系血亲报考本考试', 'r-conflict_collateral': '回避（SEC-3）：三代以内旁系血亲报考本考试',
      'r-conflict_in_law': '回避（SEC-3）：近姻亲报考本考试', 'r-conflict_other': '回避（SEC-3）：其他可能影响公正的关系',
      'r-inactive': '人员已停用', 'r-volunteer': '志愿者不参加监考（PQ 20(2)）', 'r-social_recruit': '社会招聘人员不参加监考（PQ 20(2)）',
      'r-not_trained': '未参加培训或培训未通过（ORG-4）',
      draw: '抽签', 'draw-none': '尚未承诺抽签。',
      'draw-lead': '承诺抽签时，系统固定考场和可抽人员（公布“输入摘要”，人员只以序号出现，不含姓名和证件号码），抽取一个随机种子，只公布它的“承诺值”；执行抽签后公布种子和抽签结果摘要。任何人都可以用公示页上的数据复核。',
      commit: '承诺抽签', run: '执行抽签', status: '状态',
      's-committed': '已承诺，待抽签', 's-drawn': '已抽签',
      'inputs-digest': '输入摘要', commitment: '承诺值', seed: '随机种子', 'seed-later': '执行抽签后公布',
      'result-digest': '抽签结果摘要', 'not-yet': '尚未抽签', 'committed-at': '承诺时间', 'drawn-at': '抽签时间',
      verified: '核对', 'verified-ok': '已存储的抽签结果与公布的结果摘要一致', 'verified-bad': '已存储的抽签结果与公布的结果摘要不一致，请立即核查',
      'public-link': '公示页（任何人可核验）', 'inputs-file': '下载输入文件',
      'confirm-run': '执行抽签后，按承诺时固定的考场和人员随机抽取，随机种子随即公开。结果不能修改。确定执行吗？', confirm: '确认', cancel: '取消',
      working: '正在处理…', 'done-commit': '已承诺抽签，承诺值已公开。', 'done-run': '抽签完成：共抽取 {n} 人，随机种子已公开。',
      assign: '抽签结果', 'assign-sum': '共 {n} 人：主考 {c} 名、监考员 {p} 名、流动监考 {r} 名。',
      'chief-of': '主考：', 'no-chief': '（无）', 'exam-room': '考场', 'room-code': '教室', floor: '楼层', 'floor-n': '{n} 层',
      proctors: '监考员', 'roving-of': '流动监考', 'number-n': '第{n}考场', 'no-n': '序号 {n}',
      'no-hint': '“序号”是该人员在公开输入文件中的编号，可与 kaowu proctor verify 的输出逐行对照。',
      history: '本考试的其他抽签', 'whole-day': '考试当天', open: '查看', 'cst-note': '时间均为北京时间。',
      'not-published': '本考试的考场编排尚未发布，发布后才能抽签。',
    },
    en: {
      brand: 'Proctor lottery', title: 'Proctor lottery', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'error-code': ' ({code})',
      exam: 'Exam', show: 'Show', 'no-exams': 'No exam is published.', sitting: 'Sitting', 'sitting-n': 'Sitting {n}', 'sitting-at': 'Sitting {n} ({at})',
      pool: 'The pool', 'pool-lead': 'From the published seating and the staff on record; nothing is drawn yet.',
      'pool-lead-now': 'As things stand now, from the published seating and the staff on record; a committed draw uses the inputs fixed at its commitment.',
      'when-exam_day': 'This exam\'s rule: one draw on the exam day (PQ 19).',
      'when-before_each_sitting': 'This exam\'s rule: a draw before each sitting (AH 48). Choose the sitting.',
      'rule-text': 'At least {per_room} proctors to an exam room, one of them able to proctor a computer-based room where it is one; one chief examiner per centre; {roving} roving proctor(s) per floor of each centre. Only trained staff are drawn, never volunteers or socially recruited people; staff with a conflict of interest take no part in this exam (SEC-3).',
      'pool-ok': 'Enough eligible staff: the draw can be committed.', 'pool-ok-open': 'Enough eligible staff.',
      'pool-short': 'Too few eligible staff: the gaps per centre are below. A commitment now would be refused; nothing is drawn in part.',
      area: 'Exam area', centre: 'Centre', centres: 'Centres', rooms: 'Exam rooms', floors: 'Floors', 'cbt-rooms': 'CBT rooms',
      'need-have': 'needed / eligible', chief: 'Chief examiners', proctor: 'Proctors', 'cbt-capable': 'of them CBT-capable', roving: 'Roving proctors',
      'd-chief': 'Chief examiner', 'd-proctor': 'Proctor', 'd-roving': 'Roving proctor', 'd-proctor-cbt': 'CBT-capable proctor',
      'short-by-centre': 'Gaps per centre', duty: 'Duty', gap: 'Short', 'gap-n': '{n} short', 'is-short': 'short',
      excluded: 'Staff not drawn ({n})', 'excluded-none': 'Nobody is excluded.', 'excluded-lead': 'Each exclusion has its reason; staff with a conflict take no part in this exam\'s proposition, item review, seating, custody, proctoring, inspection or marking (SEC-3).',
      'staff-no': 'Staff no.', name: 'Name', post: 'Post', reason: 'Reason',
      'p-chief_examiner': 'Chief examiner', 'p-proctor': 'Proctor', 'p-roving_proctor': 'Roving proctor',
      'r-conflict_self': 'Recusal (SEC-3): registered for this exam', 'r-conflict_spouse': 'Recusal (SEC-3): spouse registered for this exam',
      'r-conflict_lineal': 'Recusal (SEC-3): a lineal relative registered', 'r-conflict_collateral': 'Recusal (SEC-3): a collateral relative within three generations registered',
      'r-conflict_in_law': 'Recusal (SEC-3): a close in-law registered', 'r-conflict_other': 'Recusal (SEC-3): another relation that may affect impartiality',
      'r-inactive': 'Not active', 'r-volunteer': 'Volunteers do not proctor (PQ 20(2))', 'r-social_recruit': 'Socially recruited staff do not proctor (PQ 20(2))',
      'r-not_trained': 'Not trained, or training not passed (ORG-4)',
      draw: 'The draw', 'draw-none': 'No draw committed yet.',
      'draw-lead': 'Committing fixes the exam rooms and the eligible staff (their "inputs digest" is published; staff appear by number only, with no names or document numbers) and draws a random seed, publishing only its "commitment"; the draw reveals the seed and the result digest. Anyone can check them from the public page.',
      commit: 'Commit', run: 'Run the draw', status: 'Status',
      's-committed': 'Committed, waiting for the draw', 's-drawn': 'Drawn',
      'inputs-digest': 'Inputs digest', commitment: 'Commitment', seed: 'Seed', 'seed-later': 'revealed by the draw',
      'result-digest': 'Result digest', 'not-yet': 'not drawn yet', 'committed-at': 'Committed', 'drawn-at': 'Drawn',
      verified: 'Check', 'verified-ok': 'The stored assignments give the published result digest', 'verified-bad': 'The stored assignments do NOT give the published result digest: look into it now',
      'public-link': 'Public page (anyone can verify)', 'inputs-file': 'Download the inputs file',
      'confirm-run': 'The draw assigns the rooms and staff fixed at the commitment at random and reveals the seed. The result cannot be changed. Run the draw?', confirm: 'Confirm', cancel: 'Cancel',
      working: 'Working…', 'done-commit': 'Committed; the commitment is public.', 'done-run': 'Drawn: {n} staff assigned. The seed is public.',
      assign: 'Assignments', 'assign-sum': '{n} staff: {c} chief examiners, {p} proctors, {r} roving proctors.',
      'chief-of': 'Chief examiner: ', 'no-chief': '(none)', 'exam-room': 'Exam room', 'room-code': 'Room', floor: 'Floor', 'floor-n': 'floor {n}',
      proctors: 'Proctors', 'roving-of': 'Roving proctors', 'number-n': 'No. {n}', 'no-n': 'no. {n}',
      'no-hint': '"no." is the staff member\'s number in the public inputs file, to compare line by line with kaowu proctor verify.',
      history: 'Other draws of this exam', 'whole-day': 'exam day', open: 'Show', 'cst-note': 'Times are China time.',
      'not-published': 'The exam\'s seating is not published yet; the draw comes after it.',
    },
  };
  const S = { me: null, exams: [], exam: null, subjects: [], sitting: null, pool: null, poolErr: null, draws: [], run: null, draw: null, busy: false };
  const K = kwStaff(TEXT, S, start);
  const { $, t, has, h, cst, api, flash, confirmBox, viewLogin, renderWho } = K;

  const hex = (v) => h('code', { class: 'hex' }, v);
  const reasonText = (r) => (has('r-' + r) ? t('r-' + r) : r);
  const dutyText = (d, cbt) => t(cbt ? 'd-proctor-cbt' : 'd-' + d);
  // Brackets and commas of the page's language.
  const paren = (x) => (K.lang === 'en' ? ` (${x})` : `（${x}）`);
  const comma = () => (K.lang === 'en' ? ', ' : '，');

  // ---- messages: the server's own words, with its table of gaps when it sends one ----
  // The gaps per centre and duty: "缺 n 名", never the colour alone.
  function gapTable(list, caption, id) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid shortfalls', id: id || null }, caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, [t('area'), t('centre'), t('duty'), t('gap')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, list.map((s) => h('tr', { class: 'is-short' }, h('td', {}, s.area), h('td', {}, s.centre),
        h('td', {}, dutyText(s.duty, s.cbt_capable)), h('td', {}, h('span', { class: 'flag bad' }, t('gap-n', { n: s.short }))))))));
  }
  const showError = (r) => K.showError(r, (d) => [Array.isArray(d.shortfall_by_centre) && d.shortfall_by_centre.length
    ? gapTable(d.shortfall_by_centre, t('short-by-centre')) : null, K.fieldList(d.fields)]);

  // Sittings are the subjects' distinct start times in order, numbered from 1.
  function sittingName(n) {
    if (!n) return t('whole-day');
    const times = [...new Set(S.subjects.map((s) => s.starts_at).filter((x) => x))].sort((a, b) => new Date(a) - new Date(b));
    return times[n - 1] ? t('sitting-at', { n, at: cst(times[n - 1], false) }) : t('sitting-n', { n });
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
    const hit = S.exams.find((e) => String(e.id) === want || e.code === want);
    const sitting = /^\d+$/.test(q.get('sitting') || '') ? Number(q.get('sitting')) : null;
    viewMain(hit ? hit.id : (S.exam || (S.exams[0] && S.exams[0].id)), sitting);
  }

  function viewMain(examId, sitting) {
    flash('');
    if (!S.exams.length) { $('view').replaceChildren(h('p', {}, t('no-exams'))); return; }
    const sel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: String(e.id) }, `${e.name}（${e.code}）`)));
    sel.value = String(examId);
    const bar = h('form', { class: 'row bar', onsubmit: (ev) => { ev.preventDefault(); flash(''); load(Number(sel.value), null); } },
      h('label', { for: 'exam' }, t('exam')), sel, h('button', { class: 'btn primary', type: 'submit' }, t('show')));
    $('view').replaceChildren(bar, h('section', { id: 'pool', class: 'card', 'aria-labelledby': 'pool-h' }),
      h('section', { id: 'draw', class: 'card', 'aria-labelledby': 'draw-h' }),
      h('section', { id: 'assign', class: 'card', 'aria-labelledby': 'assign-h', hidden: true }),
      h('section', { id: 'history', class: 'card', 'aria-labelledby': 'history-h', hidden: true }));
    load(Number(sel.value), sitting);
  }

  async function load(examId, sitting) {
    S.exam = examId;
    $('pool').replaceChildren(h('p', { class: 'hint' }, t('loading')));
    const q = sitting !== null && sitting !== undefined ? '?sitting=' + sitting : '';
    const [ex, list, pool] = await Promise.all([api('GET', '/api/v1/public/exams/' + examId),
      api('GET', '/api/v1/exams/' + examId + '/proctor_draws'), api('GET', '/api/v1/exams/' + examId + '/proctor_pool' + q)]);
    if (S.exam !== examId) return;
    S.subjects = ex.ok ? ex.json.subjects || [] : [];
    S.draws = list.ok ? list.json.items : [];
    S.run = list.ok ? list.json.published_run : null;
    if (!list.ok) showError(list);
    S.pool = pool.ok ? pool.json : null;
    S.poolErr = pool.ok ? null : pool;
    S.sitting = pool.ok ? pool.json.sitting : sitting;
    history.replaceState(null, '', '?exam=' + examId + (S.sitting ? '&sitting=' + S.sitting : ''));
    // The sitting's draw over the published seating: the last one.
    const mine = S.draws.filter((d) => d.sitting === S.sitting && d.run_id === S.run);
    S.draw = null;
    if (mine.length) {
      const r = await api('GET', '/api/v1/proctor_draws/' + mine[mine.length - 1].id);
      S.draw = r.ok ? r.json : null;
      if (!r.ok) showError(r);
    }
    // With a draw made the result comes first; otherwise the pool leads to the commitment.
    const order = S.draw && S.draw.status === 'drawn' ? ['draw', 'assign', 'pool', 'history'] : ['pool', 'draw', 'assign', 'history'];
    $('view').append(...order.map((id) => $(id)));
    renderPool();
    renderDraw();
    renderAssign();
    renderHistory();
  }

  // ---- the pool ----
  function renderPool() {
    const box = $('pool');
    const kids = [h('h2', { id: 'pool-h' }, t('pool')), h('p', { class: 'hint' }, t(S.draw ? 'pool-lead-now' : 'pool-lead'))];
    if (S.poolErr) {
      const e = S.poolErr.json.error;
      kids.push(h('p', { class: 'alert', role: 'alert', id: 'pool-error' }, e.code === 'SEATING_NOT_PUBLISHED' ? t('not-published') : e.message));
      return box.replaceChildren(...kids);
    }
    const p = S.pool;
    kids.push(h('p', { id: 'draw-when' }, t('when-' + p.draw_when)));
    if (p.draw_when === 'before_each_sitting' && p.sittings.length) {
      const sel = h('select', { id: 'sitting', name: 'sitting' }, p.sittings.map((n) => h('option', { value: String(n) }, sittingName(n))));
      sel.value = String(p.sitting);
      kids.push(h('form', { class: 'row bar', onsubmit: (ev) => { ev.preventDefault(); flash(''); load(S.exam, Number(sel.value)); } },
        h('label', { for: 'sitting' }, t('sitting')), sel, h('button', { class: 'btn', type: 'submit' }, t('show'))));
    }
    kids.push(h('p', { class: 'hint', id: 'rule' }, t('rule-text', { per_room: p.rule.per_room, roving: p.rule.roving_per_floor })));
    const done = S.draw !== null;
    kids.push(p.feasible ? h('p', { class: 'verdict ok', id: 'pool-verdict' }, done ? t('pool-ok-open') : t('pool-ok'))
      : h('p', { class: 'verdict bad', id: 'pool-verdict' }, t('pool-short')));
    if (!p.feasible) kids.push(gapTable(p.shortfall_by_centre, t('short-by-centre'), 'pool-gaps'));
    // Per exam area: the places and the eligible staff.
    const cell = (need, haveN) => h('td', { class: 'num' + (haveN < need ? ' short' : '') }, `${need} / ${haveN}`,
      haveN < need ? [' ', h('span', { class: 'flag bad' }, t('is-short'))] : null);
    kids.push(h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'pool-areas' },
      h('thead', {}, h('tr', {}, [[t('area')], [t('centres'), 'num'], [t('rooms'), 'num'], [t('cbt-rooms'), 'num'], [t('floors'), 'num'],
        [t('chief') + paren(t('need-have')), 'num'], [t('proctor') + paren(t('need-have')), 'num'],
        [t('cbt-capable') + paren(t('need-have')), 'num'], [t('roving') + paren(t('need-have')), 'num']]
        .map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, p.areas.map((a) => h('tr', {}, h('td', {}, a.area), h('td', { class: 'num' }, String(a.centres)),
        h('td', { class: 'num' }, String(a.rooms)), h('td', { class: 'num' }, String(a.cbt_rooms)), h('td', { class: 'num' }, String(a.floors)),
        cell(a.needed.chief, a.eligible.chief), cell(a.needed.proctor, a.eligible.proctor),
        cell(a.needed.cbt_capable, a.eligible.cbt_capable), cell(a.needed.roving, a.eligible.roving)))))));
    // Everyone left out, with the reason in words.
    const ex = p.excluded || [];
    kids.push(h('h3', { id: 'excluded-h' }, t('excluded', { n: ex.length })));
    if (!ex.length) kids.push(h('p', { class: 'hint' }, t('excluded-none')));
    else {
      kids.push(h('p', { class: 'hint' }, t('excluded-lead')), h('div', { class: 'wrap' }, h('table', { class: 'grid', id: 'excluded' },
        h('thead', {}, h('tr', {}, [t('staff-no'), t('name'), t('post'), t('area'), t('reason')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, ex.map((x) => h('tr', { 'data-reason': x.reason }, h('td', {}, x.staff), h('td', {}, x.name),
          h('td', {}, x.post && has('p-' + x.post) ? t('p-' + x.post) : x.post || ''), h('td', {}, x.area),
          h('td', { class: x.reason.startsWith('conflict_') ? 'recusal' : null }, reasonText(x.reason))))))));
    }
    box.replaceChildren(...kids);
  }

  // ---- the draw: its card and what can be done with it ----
  function dl(pairs) {
    return h('dl', { class: 'facts' }, pairs.filter((x) => x && x[1] !== null && x[1] !== undefined && x[1] !== '')
      .map(([k, v, long, key]) => [h('dt', { class: long ? 'long' : null }, k), h('dd', { class: long ? 'long' : null, 'data-k': key || null }, v)]));
  }
  function renderDraw(working) {
    const box = $('draw');
    const d = S.draw;
    if (!d && S.poolErr) { box.hidden = true; return; }
    box.hidden = false;
    const kids = [h('h2', { id: 'draw-h' }, t('draw') + (S.pool && S.pool.draw_when === 'before_each_sitting' ? ' · ' + sittingName(S.sitting) : ''))];
    const acts = h('div', { class: 'row actions' });
    const btn = (key, fn, kind) => h('button', { type: 'button', class: 'btn' + (kind ? ' ' + kind : ''), id: 'do-' + key, disabled: S.busy, onclick: fn }, t(key));
    if (!d) {
      kids.push(h('p', {}, t('draw-none')), h('p', { class: 'hint' }, t('draw-lead')));
      acts.append(btn('commit', commit, 'primary'));
    } else {
      kids.push(dl([
        [t('status'), h('span', { class: 'badge s-' + (d.status === 'drawn' ? 'published' : 'committed') }, t('s-' + d.status)), false, 'status'],
        [t('inputs-digest'), hex(d.inputs_digest), true, 'inputs-digest'], [t('commitment'), hex(d.commitment), true, 'commitment'],
        [t('seed'), d.seed ? hex(d.seed) : h('span', { class: 'hint' }, t('seed-later')), true, 'seed'],
        [t('result-digest'), d.result_digest ? hex(d.result_digest) : h('span', { class: 'hint' }, t('not-yet')), true, 'result-digest'],
        [t('committed-at'), cst(d.committed_at)], [t('drawn-at'), cst(d.drawn_at)],
        d.verified === null || d.verified === undefined ? null
          : [t('verified'), h('span', { class: d.verified ? 'ok' : 'bad', id: 'verified' }, d.verified ? t('verified-ok') : t('verified-bad'))],
      ]), h('p', { class: 'hint' }, t('cst-note')));
      if (d.status === 'committed') acts.append(btn('run', run, 'primary'));
    }
    kids.push(acts);
    if (working) kids.push(h('div', { class: 'working', role: 'status' }, h('progress', { 'aria-label': working }), ' ', working));
    kids.push(h('p', { class: 'links' }, h('a', { href: '/proctors-public.html?exam=' + S.exam, id: 'public-link' }, t('public-link')),
      d ? [' · ', h('a', { href: '/api/v1/public/proctor_draws/' + d.id + '/inputs', download: `proctors-${d.id}-inputs.txt` }, t('inputs-file'))] : null));
    box.replaceChildren(...kids);
  }

  async function step(fn) {
    if (S.busy) return null;
    S.busy = true;
    renderDraw(t('working'));
    let r;
    try { r = await fn(); } finally { S.busy = false; }
    if (!r.ok) { renderDraw(); showError(r); return null; }
    await load(S.exam, S.sitting);
    return r;
  }
  async function commit() {
    const body = S.pool && S.pool.draw_when === 'before_each_sitting' ? { sitting: S.sitting } : {};
    const r = await step(() => api('POST', '/api/v1/exams/' + S.exam + '/proctor_draws', body));
    if (r) flash(t('done-commit'), true);
  }
  async function run() {
    if (!(await confirmBox(t('confirm-run'), t('run')))) return;
    const r = await step(() => api('POST', '/api/v1/proctor_draws/' + S.draw.id + '/draw'));
    if (r) flash(t('done-run', { n: r.json.assignments.length }), true);
  }

  // ---- who proctors where: per centre its chief, its exam rooms, its floors ----
  function renderAssign() {
    const box = $('assign');
    const d = S.draw;
    if (!d || d.status !== 'drawn') { box.hidden = true; box.replaceChildren(); return; }
    box.hidden = false;
    const items = d.assignments || [];
    const who = (a) => h('span', { class: 'who-is', 'data-no': a.no }, a.name, h('span', { class: 'hint' }, paren(a.staff + (a.no ? comma() + t('no-n', { n: a.no }) : ''))));
    const count = (duty) => items.filter((a) => a.duty === duty).length;
    const centres = [...new Set(items.map((a) => a.centre))];
    const kids = [h('h2', { id: 'assign-h' }, t('assign')),
      h('p', { class: 'sum', id: 'assign-sum' }, t('assign-sum', { n: items.length, c: count('chief'), p: count('proctor'), r: count('roving') })),
      h('p', { class: 'hint' }, t('no-hint'))];
    for (const c of centres) {
      const mine = items.filter((a) => a.centre === c);
      const chiefs = mine.filter((a) => a.duty === 'chief');
      const rooms = [...new Set(mine.filter((a) => a.duty === 'proctor').map((a) => a.room))].sort((x, y) => x - y);
      const floors = [...new Set(mine.filter((a) => a.duty === 'roving').map((a) => a.floor))].sort((x, y) => x - y);
      const id = 'centre-' + c;
      kids.push(h('section', { class: 'area centre-assign', id, 'aria-labelledby': id + '-h', 'data-centre': c },
        h('h3', { id: id + '-h' }, `${c} ${mine[0].centre_name || ''}`),
        h('p', { class: 'chief' }, h('b', {}, t('chief-of')), chiefs.length ? chiefs.map(who) : t('no-chief')),
        h('div', { class: 'wrap' }, h('table', { class: 'grid room-proctors' },
          h('thead', {}, h('tr', {}, [[t('exam-room')], [t('room-code')], [t('floor'), 'num'], [t('proctors')]].map(([x, k]) => h('th', { scope: 'col', class: k || null }, x)))),
          h('tbody', {}, rooms.map((n) => {
            const ps = mine.filter((a) => a.duty === 'proctor' && a.room === n);
            return h('tr', { 'data-room': n }, h('td', {}, t('number-n', { n })), h('td', {}, ps[0].room_code || ''),
              h('td', { class: 'num' }, ps[0].floor === null ? '' : String(ps[0].floor)),
              h('td', { class: 'names' }, ps.map((a, i) => [i ? (K.lang === 'en' ? ', ' : '、') : null, who(a)])));
          })))),
        floors.length ? h('p', { class: 'roving' }, h('b', {}, t('roving-of') + (K.lang === 'en' ? ': ' : '：')),
          floors.map((f, i) => [i ? (K.lang === 'en' ? '; ' : '；') : null, h('span', { 'data-floor': f }, t('floor-n', { n: f }), ' ',
            mine.filter((a) => a.duty === 'roving' && a.floor === f).map(who))])) : null));
    }
    box.replaceChildren(...kids);
  }

  // ---- the exam's other draws (other sittings, earlier seating runs) ----
  function renderHistory() {
    const box = $('history');
    const other = S.draws.filter((d) => !S.draw || d.id !== S.draw.id).slice().reverse();
    box.hidden = !other.length;
    if (!other.length) return box.replaceChildren();
    box.replaceChildren(h('h2', { id: 'history-h' }, t('history')), h('ul', { class: 'runs' }, other.map((d) => h('li', {},
      h('b', {}, sittingName(d.sitting)), ' ', h('span', { class: 'badge s-' + (d.status === 'drawn' ? 'published' : 'committed') }, t('s-' + d.status)), ' ',
      h('span', { class: 'hint' }, cst(d.committed_at)), ' ',
      d.run_id === S.run && d.sitting !== S.sitting ? h('button', { type: 'button', class: 'btn', onclick: () => load(S.exam, d.sitting) }, t('open')) : null))));
  }

  K.chrome(() => { if (S.exam) viewMain(S.exam, S.sitting); });
  start();
})();
