// Similar-answer screening (雷同答卷; SPEC GRD-6, GRD-1, VIO-5; issue 11 items 4, 5, 7):
// /screening.html?exam=CODE&subject=CODE[&screen=ID][&flag=ID]. Staff who may (agency staff,
// the marking lead group) start a screen of a subject — its scope, a seed, the level (the
// default: at most one false flag expected in the subject; or α per pair; or a false-discovery
// rate, whose different meaning is said) — and see the subject's screens; the marking expert
// group browses a screen's flags by p-value (ticket numbers only: they decide anonymously),
// opens a flag's evidence and its dossier PDF, and records the group's collective decision
// (its members, the reasoning, the marking lead group's proposal). A confirmation opens a
// violations case, linked from here (/cases.html?case=ID): no zero without due process. The
// session is the console's; the server decides who may do what and its refusals are shown in
// its words.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '雷同答卷筛查', title: '雷同答卷筛查', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '理由', 'need-reason': '请写明理由。',
      lead: '科目评分（及主观题评卷确认）完成后，按考场比对每一对答卷（ω 指数，名义反应模型），并在全部考场中查找错误作答几近相同的答卷组（疑似传递答案）。标记只是统计证据：由阅卷专家组集体确认或排除；确认后立案，按违纪违规处理程序告知、听取陈述申辩后才能作出决定，不自动给予零分。',
      subject: '考试与科目', show: '查看', 'not-scored': '（尚未评分）', 'no-subjects': '没有您可以筛查或查看的科目（须已有答卷）。', 'to-console': '返回工作台', 'to-cases': '违纪违规案件',
      'start-h': '开始筛查', scope: '比对范围', 'scope-room': '同一考场（默认）', 'scope-adjacent': '同一考场及相邻考场', 'scope-centre': '同一考点',
      seed: '随机种子（选填）', 'seed-hint': '标定样本和答案传递检索的种子；不填则随机生成并记录，同一种子得到同一结果。',
      level: '判定水平', 'level-bonf': '默认：逐对水平 = 1 / 比对对数（全科目误报期望不超过 1 对）',
      'level-alpha': '指定逐对显著性水平 α', 'level-fdr': '错误发现率 q（Benjamini–Hochberg）',
      'fdr-note': '错误发现率控制的是标记中误报所占比例，而不是误报个数：真实雷同多时会标记更多、证据更弱的答卷对。专家组须知道名单由哪种方法得出。',
      value: '数值', 'start-send': '开始筛查', running: '正在筛查，请稍候…',
      started: '第 {id} 次筛查完成：答卷 {sheets} 份，有序对 {pairs} 个，标记 {flagged} 对、聚集 {clusters} 组。',
      'screens-h': '本科目的筛查', 'screens-none': '本科目还没有筛查。',
      'c-id': '次序', 'c-at': '时间', 'c-by': '执行人', 'c-mode': '方法', 'c-alpha': '逐对水平', 'c-pairs': '有序对', 'c-flagged': '标记', 'c-open': '待确认', 'c-view': '查看',
      'mode-bonferroni': 'Bonferroni', 'mode-alpha': '指定 α', 'mode-fdr': '错误发现率',
      'screen-h': '第 {id} 次筛查', 'screen-meta': '答卷 {sheets} 份 · 比对 {items} 题 · 有序对 {pairs} 个 · 逐对水平 {alpha} · 种子 {seed} · 标定样本 {n} 份',
      'flags-h': '标记（按精确 p 值排序；只列准考证号）', 'flags-none': '本次筛查没有标记。',
      'f-seq': '序号', 'f-kind': '类型', 'f-copier': '被检验答卷（甲）', 'f-source': '比对来源（乙）', 'f-p': '精确 p 值', 'f-match': '相同/期望',
      'f-wrong': '相同错误', 'f-adj': '相邻', 'f-status': '状态', pair: '答卷对', cluster: '聚集 {n} 份', yes: '是', no: '否', unknown: '不明',
      'st-open': '待确认', 'st-deciding': '处理中', 'st-confirmed': '已确认', 'st-dismissed': '已排除', prev: '上一页', next: '下一页', view: '查看',
      'flag-h': '标记第 {id} 号', dossier: '证据材料（PDF）', 'ev-h': '统计指标',
      'e-match': '实际相同作答', 'e-expected': '期望相同作答', 'e-ic': '相同正确', 'e-iw': '相同错误', 'e-run': '最长连续相同', 'e-z': 'ω z 值',
      'e-pn': 'ω p（正态）', 'e-pe': 'ω p（精确）', 'e-gbt': 'GBT p', 'e-m4': 'M4 p', 'e-theta': '能力 θ', 'e-room': '考场', 'e-seat': '座位',
      'e-members': '成员', 'e-rooms': '分布考场数', 'e-jaccard': '最小 Jaccard', 'e-shared': '共同错误作答',
      'decide-h': '专家组结论', decision: '结论', confirmD: '确认雷同（立案）', dismissD: '排除', members: '参与确认的专家组成员（用户名，逗号分隔，至少 3 人，含您本人）',
      reasoning: '理由', proposal: '阅卷领导小组的处理建议（选填）', 'decide-send': '记录结论',
      'confirm-confirm': '记录专家组确认雷同的结论，并为当事考生立案？立案后按违纪违规处理程序办理，不会自动给予零分。',
      'confirm-dismiss': '记录专家组排除该标记的结论？',
      decided: '已记录结论。', 'decided-h': '已作出结论：{d}（{by}，{at}）', 'd-members': '成员：{m}', 'd-cases': '已立案：', 'case-n': '案件 #{id}',
      'need-members': '请填写至少 3 名专家组成员的用户名。', 'need-text': '请写明理由。',
      back: '返回标记列表',
    },
    en: {
      brand: 'Similar-answer screening', title: 'Similar-answer screening', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended; log in again.',
      offline: 'Cannot reach the server; check the network and try again.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Give a reason.',
      lead: 'Once a subject is scored (and its marking confirmed), every pair of sheets in a room is compared (ω on the nominal response model), and sheets across all rooms whose wrong answers are near-identical are grouped (a key passed round). A flag is statistical evidence only: the marking expert group confirms or dismisses it together; a confirmation opens a case, and only the due process of a violations case — notice, statement and defence — leads to a decision. Never an automatic zero.',
      subject: 'Exam and subject', show: 'Show', 'not-scored': ' (not scored yet)', 'no-subjects': 'No subject you may screen or read (it needs answer sheets).', 'to-console': 'Back to the console', 'to-cases': 'Violation cases',
      'start-h': 'Start a screen', scope: 'Scope', 'scope-room': 'Within each exam room (default)', 'scope-adjacent': 'Rooms and their neighbours', 'scope-centre': 'The whole centre',
      seed: 'Seed (optional)', 'seed-hint': 'The calibration sample\'s and the key search\'s seed; random and recorded when empty. The same seed gives the same result.',
      level: 'Level', 'level-bonf': 'Default: α per pair = 1 / pairs screened (at most one false flag expected per subject)',
      'level-alpha': 'A given α per pair', 'level-fdr': 'False-discovery rate q (Benjamini–Hochberg)',
      'fdr-note': 'A false-discovery rate bounds the share of false flags among the flags, not their number: with many true copiers it flags more pairs, each on weaker evidence. The expert group must know which method made the list.',
      value: 'Value', 'start-send': 'Start the screen', running: 'Screening, please wait…',
      started: 'Screen {id} done: {sheets} sheets, {pairs} ordered pairs, {flagged} pairs and {clusters} clusters flagged.',
      'screens-h': 'Screens of this subject', 'screens-none': 'No screen of this subject yet.',
      'c-id': 'No.', 'c-at': 'Time', 'c-by': 'Run by', 'c-mode': 'Method', 'c-alpha': 'α per pair', 'c-pairs': 'Pairs', 'c-flagged': 'Flagged', 'c-open': 'Undecided', 'c-view': 'View',
      'mode-bonferroni': 'Bonferroni', 'mode-alpha': 'Given α', 'mode-fdr': 'False-discovery rate',
      'screen-h': 'Screen {id}', 'screen-meta': '{sheets} sheets · {items} items · {pairs} ordered pairs · α per pair {alpha} · seed {seed} · calibration sample {n}',
      'flags-h': 'Flags (by exact p-value; ticket numbers only)', 'flags-none': 'This screen flagged nothing.',
      'f-seq': 'No.', 'f-kind': 'Kind', 'f-copier': 'Sheet tested', 'f-source': 'Compared with', 'f-p': 'Exact p', 'f-match': 'Matches / expected',
      'f-wrong': 'Identical wrong', 'f-adj': 'Adjacent', 'f-status': 'Status', pair: 'Pair', cluster: 'Cluster of {n}', yes: 'yes', no: 'no', unknown: 'unknown',
      'st-open': 'Undecided', 'st-deciding': 'Being decided', 'st-confirmed': 'Confirmed', 'st-dismissed': 'Dismissed', prev: 'Previous', next: 'Next', view: 'View',
      'flag-h': 'Flag {id}', dossier: 'Evidence dossier (PDF)', 'ev-h': 'Figures',
      'e-match': 'Matches', 'e-expected': 'Expected matches', 'e-ic': 'Identical correct', 'e-iw': 'Identical wrong', 'e-run': 'Longest run', 'e-z': 'ω z',
      'e-pn': 'ω p (normal)', 'e-pe': 'ω p (exact)', 'e-gbt': 'GBT p', 'e-m4': 'M4 p', 'e-theta': 'Ability θ', 'e-room': 'Room', 'e-seat': 'Seat',
      'e-members': 'Members', 'e-rooms': 'Rooms', 'e-jaccard': 'Smallest Jaccard', 'e-shared': 'Shared wrong answers',
      'decide-h': 'The expert group\'s decision', decision: 'Decision', confirmD: 'Confirm (open a case)', dismissD: 'Dismiss', members: 'Expert group members deciding (usernames, comma-separated, at least 3, you among them)',
      reasoning: 'Reasoning', proposal: 'The marking lead group\'s proposal (optional)', 'decide-send': 'Record the decision',
      'confirm-confirm': 'Record that the expert group confirms similar answers, and open a case for the candidate? The case follows the violations procedure; no zero is given by this.',
      'confirm-dismiss': 'Record that the expert group dismisses this flag?',
      decided: 'The decision is recorded.', 'decided-h': 'Decided: {d} ({by}, {at})', 'd-members': 'Members: {m}', 'd-cases': 'Cases opened: ', 'case-n': 'Case #{id}',
      'need-members': 'Name at least 3 members of the expert group.', 'need-text': 'Give the reasoning.',
      back: 'Back to the flags',
    },
  };
  const S = { me: null, exam: null, subject: '', screen: 0, flag: 0, cursors: [0], page: 0 };
  const K = window.kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;
  const fmtP = (p) => (typeof p === 'number' ? p.toExponential(3) : '—');
  const fmt = (x, d) => (typeof x === 'number' ? x.toFixed(d) : '—');

  function setUrl() {
    const u = new URLSearchParams();
    if (S.exam) u.set('exam', S.exam.code);
    if (S.subject) u.set('subject', S.subject);
    if (S.screen) u.set('screen', String(S.screen));
    if (S.flag) u.set('flag', String(S.flag));
    history.replaceState(null, '', '?' + u.toString());
  }
  function table(cls, cols, rows) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid stack ' + cls },
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((v, i) => h('td', { 'data-label': cols[i] }, v)))))));
  }
  function dl(pairs) {
    return h('dl', { class: 'facts' }, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === undefined ? '—' : String(v))]));
  }

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; K.viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    S.subject = q.get('subject') || S.subject || '';
    S.screen = Number(q.get('screen') || S.screen || 0);
    S.flag = Number(q.get('flag') || S.flag || 0);
    const code = q.get('exam') || (S.exam && S.exam.code) || '';
    const l = await api('GET', '/api/v1/screening/subjects');
    S.list = l.ok ? l.json.items : [];
    S.exam = null;
    const hit = S.list.find((x) => x.exam_code === code && x.subject === S.subject);
    if (hit) S.exam = { id: hit.exam_id, code: hit.exam_code, can_run: hit.can_run };
    view(l.ok ? null : l);
  }

  function view(refused) {
    K.flash('');
    const sel = h('select', { id: 'subject-pick', name: 'subject' }, (S.list || []).map((x, i) =>
      h('option', { value: String(i) }, `${x.exam_name}（${x.exam_code}）· ${x.subject} ${x.subject_name}` + (x.scored ? '' : t('not-scored')))));
    const cur = (S.list || []).findIndex((x) => S.exam && x.exam_id === S.exam.id && x.subject === S.subject);
    if (cur >= 0) sel.value = String(cur);
    const pick = h('form', { class: 'row bar', onsubmit: (ev) => {
      ev.preventDefault();
      const x = S.list[Number(sel.value)];
      if (!x) return;
      S.exam = { id: x.exam_id, code: x.exam_code, can_run: x.can_run };
      S.subject = x.subject;
      S.screen = 0; S.flag = 0; S.cursors = [0]; S.page = 0;
      view();
    } }, h('label', { for: 'subject-pick' }, t('subject')), sel, h('button', { type: 'submit', class: 'btn primary', id: 'pick' }, t('show')));
    const body = h('div', { id: 'screen-body' });
    $('view').replaceChildren(h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')),
        h('a', { href: '/cases.html', class: 'dl-link' }, t('to-cases'))), (S.list || []).length ? pick : h('p', {}, t('no-subjects')), body);
    setUrl();
    if (refused) return K.showError(refused, null, body);
    if (!S.exam || !S.subject) return;
    if (S.flag) return viewFlag(body);
    if (S.screen) return viewScreen(body);
    viewSubject(body);
  }

  // ---- a subject: start a screen, its screens ----
  async function viewSubject(body) {
    const base = `/api/v1/exams/${S.exam.id}/subjects/${encodeURIComponent(S.subject)}/screens`;
    const scope = h('select', { id: 'scope' }, ['room', 'adjacent', 'centre'].map((s) => h('option', { value: s }, t('scope-' + s))));
    const seed = h('input', { id: 'seed', inputmode: 'numeric', maxlength: '20', 'aria-describedby': 'seed-hint' });
    const level = h('select', { id: 'level' }, ['bonf', 'alpha', 'fdr'].map((s) => h('option', { value: s }, t('level-' + s))));
    const val = h('input', { id: 'level-value', inputmode: 'decimal', maxlength: '20', disabled: true });
    const note = h('p', { class: 'hint', id: 'fdr-note', hidden: true }, t('fdr-note'));
    level.addEventListener('change', () => { val.disabled = level.value === 'bonf'; note.hidden = level.value !== 'fdr'; });
    const form = h('form', { id: 'start', class: 'card', onsubmit: async (ev) => {
      ev.preventDefault();
      const b = { scope: scope.value };
      if (seed.value.trim()) b.seed = seed.value.trim();
      if (level.value !== 'bonf') b[level.value === 'alpha' ? 'alpha' : 'fdr_q'] = Number(val.value);
      K.flash(t('running'), true);
      const r = await api('POST', base, b);
      if (!r.ok) return K.showError(r, (d) => K.fieldList(d.fields));
      K.flash(t('started', r.json), true);
      S.screen = r.json.id;
      view();
    } }, h('h2', {}, t('start-h')),
    h('div', { class: 'field' }, h('label', { for: 'scope' }, t('scope')), scope),
    h('div', { class: 'field' }, h('label', { for: 'seed' }, t('seed')), seed, h('span', { class: 'hint', id: 'seed-hint' }, t('seed-hint'))),
    h('div', { class: 'field' }, h('label', { for: 'level' }, t('level')), level, h('label', { for: 'level-value' }, t('value')), val, note),
    h('button', { type: 'submit', class: 'btn primary', id: 'start-send' }, t('start-send')));
    const list = h('section', { class: 'card', id: 'screens' }, h('h2', {}, t('screens-h')), h('p', { class: 'hint' }, t('loading')));
    body.replaceChildren(S.exam.can_run ? form : '', list);
    const r = await api('GET', base);
    if (!r.ok) return K.showError(r, null, list);
    if (!r.json.items.length) return list.replaceChildren(h('h2', {}, t('screens-h')), h('p', {}, t('screens-none')));
    list.replaceChildren(h('h2', {}, t('screens-h')), table('screens-list',
      [t('c-id'), t('c-at'), t('c-by'), t('c-mode'), t('c-alpha'), t('c-pairs'), t('c-flagged'), t('c-open'), t('c-view')],
      r.json.items.map((x) => [String(x.id), K.cst(x.created_at), x.run_by, t('mode-' + x.mode), fmtP(x.alpha), String(x.pairs),
        String(x.flagged + x.clusters), String(x.undecided),
        h('button', { type: 'button', class: 'btn', onclick: () => { S.screen = x.id; S.cursors = [0]; S.page = 0; view(); } }, t('view'))])));
  }

  // ---- a screen: its flags ----
  async function viewScreen(body) {
    body.replaceChildren(h('p', { class: 'hint' }, t('loading')));
    const [sr, fr] = await Promise.all([api('GET', '/api/v1/screens/' + S.screen),
      api('GET', `/api/v1/screens/${S.screen}/flags?after=${S.cursors[S.page] || 0}&limit=50`)]);
    if (!sr.ok) return K.showError(sr, null, body);
    if (!fr.ok) return K.showError(fr, null, body);
    const x = sr.json;
    if (fr.json.next_cursor) S.cursors[S.page + 1] = Number(fr.json.next_cursor);
    const rows = fr.json.items.map((f) => [String(f.seq), f.kind === 'pair' ? t('pair') : t('cluster', { n: f.members }),
      f.copier_ticket || '—', f.source_ticket || '—', fmtP(f.p_exact),
      f.kind === 'pair' ? `${f.match} / ${fmt(f.expected, 1)}` : '—', f.ident_wrong === undefined ? '—' : String(f.ident_wrong),
      f.adjacent === true ? t('yes') : f.adjacent === false ? t('no') : t('unknown'), t('st-' + f.status),
      h('button', { type: 'button', class: 'btn', onclick: () => { S.flag = f.id; view(); } }, t('view'))]);
    body.replaceChildren(h('section', { class: 'card', id: 'screen' }, h('h2', {}, t('screen-h', { id: x.id })),
      h('p', {}, t('screen-meta', { sheets: x.sheets, items: x.items, pairs: x.pairs, alpha: fmtP(x.alpha), seed: x.seed, n: x.model.sample_n })),
      h('p', { class: 'hint' }, t('mode-' + x.mode)), x.mode === 'fdr' ? h('p', { class: 'hint' }, t('fdr-note')) : null,
      h('h3', {}, t('flags-h')), rows.length ? table('flags-list', [t('f-seq'), t('f-kind'), t('f-copier'), t('f-source'), t('f-p'), t('f-match'),
        t('f-wrong'), t('f-adj'), t('f-status'), t('view')], rows) : h('p', {}, t('flags-none')),
      h('div', { class: 'row pager' },
        h('button', { type: 'button', class: 'btn', disabled: S.page === 0, onclick: () => { S.page--; view(); } }, t('prev')),
        h('button', { type: 'button', class: 'btn', disabled: !fr.json.next_cursor, onclick: () => { S.page++; view(); } }, t('next')))));
  }

  // ---- a flag: the evidence, the dossier, the decision ----
  async function viewFlag(body) {
    body.replaceChildren(h('p', { class: 'hint' }, t('loading')));
    const r = await api('GET', '/api/v1/screen_flags/' + S.flag);
    if (!r.ok) return K.showError(r, null, body);
    const f = r.json, e = f.evidence || {};
    S.screen = f.screen_id;
    let facts;
    if (f.kind === 'pair') {
      const c = e.copier || {}, s = e.source || {};
      facts = dl([[t('f-copier'), `${c.ticket} · ${t('e-room')} ${c.room ? c.room.centre + '-' + c.room.number : ''} · ${t('e-seat')} ${c.seat} · ${t('e-theta')} ${fmt(c.theta, 3)}`],
        [t('f-source'), `${s.ticket} · ${t('e-room')} ${s.room ? s.room.centre + '-' + s.room.number : ''} · ${t('e-seat')} ${s.seat} · ${t('e-theta')} ${fmt(s.theta, 3)}`],
        [t('f-adj'), e.adjacent === true ? t('yes') : e.adjacent === false ? t('no') : t('unknown')],
        [t('e-match'), e.match], [t('e-expected'), fmt(e.expected, 2)], [t('e-ic'), e.ident_correct], [t('e-iw'), e.ident_wrong],
        [t('e-run'), e.run], [t('e-z'), fmt(e.z, 3)], [t('e-pn'), fmtP(e.p_normal)], [t('e-pe'), fmtP(e.p_exact)],
        [t('e-gbt'), fmtP(e.gbt)], [t('e-m4'), fmtP(e.m4)]]);
    } else {
      facts = dl([[t('e-members'), (e.members || []).map((m) => m.ticket).join('，')], [t('e-rooms'), e.rooms],
        [t('e-jaccard'), fmt(e.min_jaccard, 3)], [t('e-shared'), (e.shared || []).map((x) => `${x.item}${x.option}(${x.members})`).join(' ')]]);
    }
    const kids = [h('h2', {}, t('flag-h', { id: f.id }) + ' · ' + t('st-' + f.status)),
      h('p', { class: 'row links' }, h('a', { href: `/api/v1/screen_flags/${f.id}/dossier.pdf`, target: '_blank', rel: 'noopener', class: 'dl-link', id: 'dossier' }, t('dossier')),
        h('button', { type: 'button', class: 'btn', onclick: () => { S.flag = 0; view(); } }, t('back'))),
      h('h3', {}, t('ev-h')), facts];
    const d = f.decision;
    if (d) {
      kids.push(h('section', { id: 'decision' }, h('h3', {}, t('decided-h', { d: d.decision === 'confirm' ? t('confirmD') : t('dismissD'), by: d.recorded_by, at: K.cst(d.created_at) })),
        h('p', {}, t('d-members', { m: d.members.join('，') })), h('p', {}, d.reasoning), d.lead_proposal ? h('p', { class: 'hint' }, d.lead_proposal) : null,
        d.cases.length ? h('p', {}, t('d-cases'), d.cases.map((id) => h('a', { href: '/cases.html?case=' + id, class: 'case-link' }, t('case-n', { id }), ' '))) : null));
    } else if (f.status === 'open') {
      const dec = h('select', { id: 'decision-kind' }, h('option', { value: 'confirm' }, t('confirmD')), h('option', { value: 'dismiss' }, t('dismissD')));
      const mem = h('input', { id: 'members', value: S.me ? S.me.username : '', maxlength: '400' });
      const rea = h('textarea', { id: 'reasoning', rows: '4', maxlength: '2000' });
      const pro = h('textarea', { id: 'proposal', rows: '2', maxlength: '2000' });
      const err = h('div', { id: 'decide-err' });
      kids.push(h('form', { id: 'decide', class: 'card', onsubmit: async (ev) => {
        ev.preventDefault();
        const members = mem.value.split(/[,，\s]+/).map((x) => x.trim()).filter(Boolean);
        if (members.length < 3) return err.replaceChildren(h('p', { class: 'alert', role: 'alert' }, t('need-members')));
        if (!rea.value.trim()) return err.replaceChildren(h('p', { class: 'alert', role: 'alert' }, t('need-text')));
        if (!(await K.confirmBox(t(dec.value === 'confirm' ? 'confirm-confirm' : 'confirm-dismiss')))) return;
        const b = { decision: dec.value, members, reasoning: rea.value.trim() };
        if (pro.value.trim()) b.lead_proposal = pro.value.trim();
        const rr = await api('POST', `/api/v1/screen_flags/${f.id}/decision`, b);
        if (!rr.ok) return K.showError(rr, (x) => K.fieldList(x.fields), err);
        K.flash(t('decided'), true);
        view();
      } }, h('h3', {}, t('decide-h')),
      h('div', { class: 'field' }, h('label', { for: 'decision-kind' }, t('decision')), dec),
      h('div', { class: 'field' }, h('label', { for: 'members' }, t('members')), mem),
      h('div', { class: 'field' }, h('label', { for: 'reasoning' }, t('reasoning')), rea),
      h('div', { class: 'field' }, h('label', { for: 'proposal' }, t('proposal')), pro),
      h('button', { type: 'submit', class: 'btn primary', id: 'decide-send' }, t('decide-send')), err));
    }
    body.replaceChildren(h('section', { class: 'card', id: 'flag' }, kids));
  }

  K.chrome(() => view());
  start();
})();
