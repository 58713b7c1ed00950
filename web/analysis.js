// Item analysis for experts (issue 10 item 6): /analysis.html?exam=CODE[&subject=CODE][&run=ID].
// Pick an exam, a subject and one of its score runs (the latest by default); the page shows
// the run's analysis (GET /api/v1/score_runs/{id}/analysis): the sheets analysed and any
// warning (answers imported since the run, totals that differ from the run's), reliability
// (Cronbach's alpha, KR-20, the SEM), the distribution of totals with its histogram (the
// server's SVG; the whole subject, one exam area or centre, or all centres side by side), a
// table per centre, and the items — difficulty, discrimination, blank and multiple-mark
// rates, each option's rate and point-biserial — with the flagged ones highlighted
// (difficulty below .2 or above .9, discrimination below .2: the server's thresholds). The
// correct options are hidden (keys are 机密); "show the correct options" asks the server with
// key=1, which only score.key.read may, after the exam, and which is recorded in the audit
// log. The XLSX report is a link. The session is the console's; the server decides.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '试题分析', title: '试题分析', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '理由', 'need-reason': '请写明理由。', 'to-console': '返回工作台', 'to-scoring': '客观题评分',
      lead: '按一次评分的已评分答卷（缺考、零分和成绩无效的考生不计入）分析每道题（按母卷题号）：难度、区分度、各选项的选择率，以及整卷信度和分数分布。',
      exam: '考试', subject: '科目', run: '评分', show: '查看', 'no-exams': '没有您可以查看的考试。',
      'exam-missing': '没有找到考试“{code}”，或您无权查看。', 'no-subjects': '本考试还没有科目。', 'no-runs': '这个科目还没有评分。',
      'run-label': '第 {n} 次评分（{at}）', latest: '最新',
      'sum-h': '概况', sheets: '分析答卷', candidates: '应考', absent: '缺考', zeroed: '零分', cancelled: '成绩无效', 'max-points': '满分',
      'not-current': '评分之后答卷库又导入了答卷：本分析只含这次评分的答卷。', differ: '有 {n} 份答卷重新计算的总分与评分结果不一致，请做复核。',
      'objective-only': '本科目还有主观题：下面的分数分布只含客观题部分。',
      'rel-h': '信度', alpha: 'Cronbach α 系数', kr20: 'KR-20 系数', sem: '测量标准误', 'kr20-na': '不适用（有部分得分的题）', none: '—',
      'dist-h': '分数分布', mean: '平均分', sd: '标准差', min: '最低分', max: '最高分', median: '中位数',
      'pic-h': '直方图', 'pic-of': '显示', 'pic-all': '全体考生', 'pic-areas': '各考区', 'pic-centres': '各考点', 'pic-area': '考区：{name}', 'pic-centre': '考点：{name}',
      'pic-alt': '{what}的分数直方图', 'pic-caption': '横轴为分数段，纵轴为人数。', 'png-link': '下载 PNG 图片',
      'centres-h': '各考点', 'c-code': '代码', 'c-name': '名称', 'c-n': '人数',
      'items-h': '题目分析', 'items-lead': '难度为平均得分与分值之比；区分度为该题得分与其余各题总分的相关系数（校正的点二列相关）。难度低于 {hard} 或高于 {easy}、区分度低于 {low} 的题目标出。选项格中为选择率（括号内为点二列相关）。',
      'i-no': '题号', 'i-kind': '题型', 'i-points': '分值', 'i-p': '难度', 'i-disc': '区分度', 'i-blank': '未作答', 'i-multi': '多涂', 'i-invalid': '无法识别',
      'i-options': '各选项选择率（点二列相关）', 'i-flags': '标记', 'i-key': '答案',
      'k-single': '单选', 'k-multiple': '多选', 'k-indeterminate': '不定项', 'k-true_false': '判断',
      'f-hard': '偏难', 'f-easy': '偏易', 'f-low_discrimination': '区分度低', flagged: '共 {n} 道题被标出。',
      'sort-by': '排序', 'sort-item': '按题号', 'sort-p': '按难度（从难到易）', 'sort-disc': '按区分度（从低到高）', 'sort-flags': '标出的题目在前',
      'key-show': '显示正确选项', 'key-hide': '隐藏正确选项',
      'key-confirm': '答案属机密：只有有权查看答案的人员在考试结束后可以查看，查看会记入审计日志。确定显示正确选项吗？',
      'key-shown': '正确选项已显示（已记入审计日志）。',
      'xlsx-link': '下载分析报告（XLSX）', 'xlsx-key-link': '下载含答案的分析报告（XLSX，记入审计日志）',
    },
    en: {
      brand: 'Item analysis', title: 'Item analysis', skip: 'Skip to content', loading: 'Loading…', logout: 'Sign out',
      'login-title': 'Staff sign-in', username: 'Username', password: 'Password', login: 'Sign in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended; sign in again.',
      offline: 'Cannot reach the server; check the network and try again.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Give the reason.', 'to-console': 'Back to the console', 'to-scoring': 'Objective scoring',
      lead: 'Each item (by master-form number) analysed over the sheets a score run scored (absent, zeroed and cancelled candidates are left out): difficulty, discrimination, the rate of each option; and the reliability and score distribution of the whole.',
      exam: 'Exam', subject: 'Subject', run: 'Score run', show: 'Show', 'no-exams': 'There is no exam you may view.',
      'exam-missing': 'No exam "{code}", or it is out of your reach.', 'no-subjects': 'The exam has no subjects yet.', 'no-runs': 'The subject has not been scored yet.',
      'run-label': 'Run {n} ({at})', latest: 'latest',
      'sum-h': 'Overview', sheets: 'Sheets analysed', candidates: 'Candidates', absent: 'Absent', zeroed: 'Zeroed', cancelled: 'Cancelled', 'max-points': 'Full marks',
      'not-current': 'Sheets were imported after this run: the analysis has only the run\'s sheets.', differ: '{n} sheets\' totals recomputed differ from the run\'s: check them.',
      'objective-only': 'The subject also has hand-marked questions: the distribution below is of the objective part only.',
      'rel-h': 'Reliability', alpha: 'Cronbach\'s alpha', kr20: 'KR-20', sem: 'Standard error of measurement', 'kr20-na': 'not applicable (partial credit)', none: '—',
      'dist-h': 'Score distribution', mean: 'Mean', sd: 'SD', min: 'Min', max: 'Max', median: 'Median',
      'pic-h': 'Histogram', 'pic-of': 'Show', 'pic-all': 'All candidates', 'pic-areas': 'Each exam area', 'pic-centres': 'Each centre', 'pic-area': 'Area: {name}', 'pic-centre': 'Centre: {name}',
      'pic-alt': 'Histogram of the scores of {what}', 'pic-caption': 'Score bands across, candidates up.', 'png-link': 'Download as PNG',
      'centres-h': 'Centres', 'c-code': 'Code', 'c-name': 'Name', 'c-n': 'N',
      'items-h': 'Items', 'items-lead': 'Difficulty is the mean credit over the points; discrimination the correlation of the item with the total of the other items (corrected point-biserial). Items with difficulty below {hard} or above {easy}, or discrimination below {low}, are flagged. Option cells give the choice rate (point-biserial in brackets).',
      'i-no': 'Item', 'i-kind': 'Kind', 'i-points': 'Points', 'i-p': 'Difficulty', 'i-disc': 'Discrimination', 'i-blank': 'Blank', 'i-multi': 'Multiple', 'i-invalid': 'Unreadable',
      'i-options': 'Option rates (point-biserial)', 'i-flags': 'Flags', 'i-key': 'Key',
      'k-single': 'single', 'k-multiple': 'multiple', 'k-indeterminate': 'indeterminate', 'k-true_false': 'true/false',
      'f-hard': 'hard', 'f-easy': 'easy', 'f-low_discrimination': 'weak discrimination', flagged: 'Items flagged: {n}.',
      'sort-by': 'Order', 'sort-item': 'By item', 'sort-p': 'By difficulty (hardest first)', 'sort-disc': 'By discrimination (lowest first)', 'sort-flags': 'Flagged first',
      'key-show': 'Show the correct options', 'key-hide': 'Hide the correct options',
      'key-confirm': 'Keys are confidential: only those allowed to read keys may see them, after the exam, and the read is recorded in the audit log. Show the correct options?',
      'key-shown': 'The correct options are shown (recorded in the audit log).',
      'xlsx-link': 'Download the report (XLSX)', 'xlsx-key-link': 'Download the report with the key (XLSX, audited)',
    },
  };
  const q0 = new URLSearchParams(location.search);
  const S = { me: null, exams: [], exam: null, subjects: [], subject: q0.get('subject') || '', runs: [], run: Number(q0.get('run')) || 0,
    a: null, key: false, pic: 'all', sort: 'item' };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, flash, viewLogin, renderWho } = K;
  const pct = (v) => (v === null || v === undefined ? t('none') : (v * 100).toFixed(1) + '%');
  const fix = (v, d) => (v === null || v === undefined ? t('none') : Number(v).toFixed(d));

  function table(cls, caption, cols, rows) {
    return h('div', { class: 'wrap' }, h('table', { class: 'grid stack ' + cls }, caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, cols.map(([x, c]) => h('th', { scope: 'col', class: c || null }, x)))),
      h('tbody', {}, rows.map((cells) => h('tr', cells.cls ? { class: cells.cls } : {}, cells.map((v, i) =>
        h('td', { class: cols[i][1] || null, 'data-label': cols[i][0] }, v === '' || v === null ? null : h('span', { class: 'v' }, v))))))));
  }
  function setUrl() {
    const u = new URLSearchParams();
    if (S.exam) u.set('exam', S.exam.code);
    if (S.subject) u.set('subject', S.subject);
    if (S.run) u.set('run', String(S.run));
    history.replaceState(null, '', '?' + u.toString());
  }

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    const want = q0.get('exam') || (S.exam && S.exam.code) || '';
    const [all, one] = await Promise.all([api('GET', '/api/v1/exams?limit=100'),
      want ? api('GET', '/api/v1/exams?code=' + encodeURIComponent(want)) : null]);
    S.exams = all.ok ? all.json.items : [];
    const hit = one && one.ok && one.json.items[0];
    if (hit && !S.exams.some((e) => e.id === hit.id)) S.exams.unshift(hit);
    if (!all.ok) return K.showError(all);
    if (want && !hit) { $('view').replaceChildren(); return flash(t('exam-missing', { code: want })); }
    await pickExam(hit || S.exams[0] || null);
  }

  async function pickExam(exam) {
    S.exam = exam;
    S.subjects = [];
    if (exam) {
      const r = await api('GET', '/api/v1/subjects?exam_id=' + exam.id + '&limit=100');
      if (!r.ok) return K.showError(r);
      S.subjects = r.json.items;
    }
    if (!S.subjects.some((s) => s.code === S.subject)) { S.subject = S.subjects.length ? S.subjects[0].code : ''; S.run = 0; }
    await pickSubject();
  }

  async function pickSubject() {
    S.runs = [];
    if (S.exam && S.subject) {
      const r = await api('GET', `/api/v1/exams/${S.exam.id}/subjects/${encodeURIComponent(S.subject)}/score_runs`);
      if (!r.ok) { render(); return K.showError(r, null, $('result')); }
      S.runs = r.json.items;
    }
    if (!S.runs.some((x) => x.id === S.run)) S.run = S.runs.length ? S.runs[S.runs.length - 1].id : 0;
    S.key = false;
    S.pic = 'all';
    render();
    await loadAnalysis();
  }

  // The picker: exam, subject, run (newest first).
  function render() {
    flash('');
    setUrl();
    const examSel = h('select', { id: 'exam', name: 'exam' }, S.exams.map((e) => h('option', { value: e.code }, `${e.name}（${e.code}）`)));
    if (S.exam) examSel.value = S.exam.code;
    examSel.addEventListener('change', () => { S.subject = ''; S.run = 0; pickExam(S.exams.find((e) => e.code === examSel.value) || null); });
    const subjSel = h('select', { id: 'subject', name: 'subject' }, S.subjects.map((s) => h('option', { value: s.code }, `${s.code} ${s.name}`)));
    subjSel.value = S.subject;
    subjSel.addEventListener('change', () => { S.subject = subjSel.value; S.run = 0; pickSubject(); });
    const runSel = h('select', { id: 'run', name: 'run' }, S.runs.map((x, i) => h('option', { value: String(x.id) },
      t('run-label', { n: i + 1, at: K.cst(x.created_at, false) }) + (i === S.runs.length - 1 ? ' · ' + t('latest') : ''))).reverse());
    if (S.run) runSel.value = String(S.run);
    runSel.addEventListener('change', () => { S.run = Number(runSel.value); S.key = false; S.pic = 'all'; setUrl(); loadAnalysis(); });
    const field = (id, label, el) => h('div', { class: 'field' }, h('label', { for: id }, label), el);
    const kids = [h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')),
        h('a', { href: '/scoring.html' + (S.exam ? '?exam=' + encodeURIComponent(S.exam.code) + (S.subject ? '&subject=' + encodeURIComponent(S.subject) : '') : ''), class: 'dl-link', id: 'to-scoring' }, t('to-scoring')))];
    if (!S.exams.length) kids.push(h('p', {}, t('no-exams')));
    else kids.push(h('form', { class: 'pick bar', role: 'search', 'aria-label': t('run'), onsubmit: (ev) => { ev.preventDefault(); loadAnalysis(); } },
      field('exam', t('exam'), examSel), S.subjects.length ? field('subject', t('subject'), subjSel) : null,
      S.runs.length ? field('run', t('run'), runSel) : null));
    kids.push(h('div', { id: 'result' }));
    $('view').replaceChildren(...kids);
    if (S.exam && !S.subjects.length) $('result').replaceChildren(h('p', {}, t('no-subjects')));
    else if (S.subject && !S.runs.length) $('result').replaceChildren(h('p', {}, t('no-runs')));
  }

  async function loadAnalysis() {
    const box = $('result');
    if (!S.run || !box) return;
    box.replaceChildren(h('div', { class: 'working', role: 'status' }, h('progress', { 'aria-label': t('loading') }), ' ', t('loading')));
    const r = await api('GET', `/api/v1/score_runs/${S.run}/analysis` + (S.key ? '?key=1' : ''));
    if (!r.ok) {
      if (S.key) { S.key = false; K.showError(r); return loadAnalysis(); }
      return K.showError(r, null, box);
    }
    S.a = r.json;
    if (S.key) flash(t('key-shown'), true);
    showAnalysis();
  }

  function fact(label, value, id) {
    return [h('dt', {}, label), h('dd', id ? { id } : {}, value)];
  }

  function showAnalysis() {
    const a = S.a;
    const d = a.distribution;
    const warn = [];
    if (!a.answers_current) warn.push(h('p', { class: 'flag warn' }, t('not-current')));
    if (a.totals_differ) warn.push(h('p', { class: 'alert', role: 'alert' }, t('differ', { n: a.totals_differ })));
    if (a.objective_only) warn.push(h('p', { class: 'flag warn' }, t('objective-only')));
    const rel = a.reliability;
    const summary = h('section', { class: 'card', id: 'summary', 'aria-labelledby': 'sum-h' }, h('h2', { id: 'sum-h' }, t('sum-h') + ' · ' + a.subject.code + ' ' + a.subject.name),
      warn,
      h('dl', { class: 'facts' }, fact(t('sheets'), String(a.sheets), 'n-sheets'), fact(t('candidates'), String(a.candidates)), fact(t('absent'), String(a.absent)),
        fact(t('zeroed'), String(a.zeroed)), fact(t('cancelled'), String(a.cancelled)), fact(t('max-points'), a.max_points)),
      h('h3', { id: 'rel-h' }, t('rel-h')),
      h('dl', { class: 'facts' }, fact(t('alpha'), fix(rel.alpha, 3), 'alpha'), fact(t('kr20'), rel.kr20 === null ? (rel.dichotomous ? t('none') : t('kr20-na')) : fix(rel.kr20, 3), 'kr20'),
        fact(t('sem'), fix(rel.sem, 2))),
      h('h3', {}, t('dist-h')),
      h('dl', { class: 'facts' }, fact(t('mean'), fix(d.mean, 2), 'mean'), fact(t('sd'), fix(d.sd, 2)), fact(t('min'), fix(d.min, 2)), fact(t('max'), fix(d.max, 2)),
        fact(t('median'), fix(d.quantiles.p50, 2)), fact('P25 / P75', fix(d.quantiles.p25, 2) + ' / ' + fix(d.quantiles.p75, 2))),
      h('p', { class: 'row links' }, h('a', { href: `/api/v1/score_runs/${a.run_id}/report.xlsx?lang=${K.lang}`, class: 'dl-link', id: 'xlsx', download: '' }, t('xlsx-link')),
        S.key ? h('a', { href: `/api/v1/score_runs/${a.run_id}/report.xlsx?key=1&lang=${K.lang}`, class: 'dl-link', id: 'xlsx-key', download: '' }, t('xlsx-key-link')) : null));
    $('result').replaceChildren(summary, pictureCard(), centresCard(), itemsCard());
  }

  // The histogram: the server's SVG, for the whole subject, per area or centre, or one of them.
  function pictureCard() {
    const a = S.a;
    const sel = h('select', { id: 'pic', name: 'pic' }, h('option', { value: 'all' }, t('pic-all')),
      a.areas.length > 1 ? h('option', { value: 'areas' }, t('pic-areas')) : null,
      a.centres.length > 1 && a.centres.length <= 48 ? h('option', { value: 'centres' }, t('pic-centres')) : null,
      a.areas.map((x) => h('option', { value: 'area:' + x.id }, t('pic-area', { name: `${x.code} ${x.name}` }))),
      a.centres.map((x) => h('option', { value: 'centre:' + x.id }, t('pic-centre', { name: `${x.code} ${x.name}` }))));
    sel.value = S.pic;
    const fig = h('figure', { id: 'histogram' });
    const draw = () => {
      const v = sel.value;
      S.pic = v;
      const qs = (v === 'areas' ? 'by=area&' : v === 'centres' ? 'by=centre&' : v.startsWith('area:') ? 'area=' + v.slice(5) + '&'
        : v.startsWith('centre:') ? 'centre=' + v.slice(7) + '&' : '') + 'lang=' + K.lang;
      const base = `/api/v1/score_runs/${a.run_id}/histogram`;
      const what = sel.options[sel.selectedIndex].textContent;
      fig.replaceChildren(h('img', { src: `${base}.svg?${qs}`, alt: t('pic-alt', { what }), width: '800' }),
        h('figcaption', {}, t('pic-caption'), ' ', h('a', { href: `${base}.png?${qs}`, download: '', id: 'png' }, t('png-link'))));
    };
    sel.addEventListener('change', draw);
    draw();
    return h('section', { class: 'card', id: 'picture', 'aria-labelledby': 'pic-h' }, h('h2', { id: 'pic-h' }, t('pic-h')),
      h('div', { class: 'field' }, h('label', { for: 'pic' }, t('pic-of')), sel), fig);
  }

  function centresCard() {
    const a = S.a;
    if (!a.centres.length) return null;
    const rows = a.centres.map((c) => [c.code, c.name, String(c.distribution.n), fix(c.distribution.mean, 2), fix(c.distribution.sd, 2),
      fix(c.distribution.quantiles.p50, 2), fix(c.distribution.min, 2), fix(c.distribution.max, 2)]);
    return h('section', { class: 'card', id: 'centres', 'aria-labelledby': 'centres-h' }, h('h2', { id: 'centres-h' }, t('centres-h')),
      table('centres-list', null, [[t('c-code')], [t('c-name')], [t('c-n'), 'num'], [t('mean'), 'num'], [t('sd'), 'num'], [t('median'), 'num'],
        [t('min'), 'num'], [t('max'), 'num']], rows));
  }

  function itemsCard() {
    const a = S.a;
    const th = a.thresholds;
    const flagged = a.items.filter((it) => it.flags.length).length;
    const num = (v, none) => (v === null || v === undefined ? none : v);
    const order = {
      item: (x, y) => x.item - y.item,
      p: (x, y) => x.p - y.p || x.item - y.item,
      disc: (x, y) => num(x.discrimination, -2) - num(y.discrimination, -2) || x.item - y.item,
      flags: (x, y) => y.flags.length - x.flags.length || x.item - y.item,
    };
    const rows = [...a.items].sort(order[S.sort] || order.item).map((it) => {
      const ch = (o) => it.choices.find((c) => c.option === o);
      const opts = it.choices.filter((c) => c.option.length === 1).map((c) =>
        h('span', { class: 'opt' + (c.correct ? ' correct' : ''), title: `${c.option}: ${c.count}` }, `${c.option} ${pct(c.rate)}`,
          c.pb === null ? '' : ` (${fix(c.pb, 2)})`));
      const flags = it.flags.map((f) => h('span', { class: f === 'hard' ? 'flag-hard' : f === 'easy' ? 'flag-easy' : 'flag-low' }, t('f-' + f)));
      const p = h('span', { class: it.flags.includes('hard') || it.flags.includes('easy') ? 'bad' : null }, fix(it.p, 3));
      const disc = h('span', { class: it.flags.includes('low_discrimination') ? 'bad' : null }, fix(it.discrimination, 3));
      const row = [String(it.item), t('k-' + it.kind), it.points, p, disc, pct(ch('blank').rate), ch('multiple') ? pct(ch('multiple').rate) : t('none'),
        pct(ch('invalid').rate), opts, flags.length ? flags : ''];
      if (S.key) row.push(it.key);
      row.cls = 'item' + (it.flags.length ? ' flagged' : '');
      return row;
    });
    const cols = [[t('i-no'), 'num'], [t('i-kind')], [t('i-points'), 'num'], [t('i-p'), 'num'], [t('i-disc'), 'num'], [t('i-blank'), 'num'],
      [t('i-multi'), 'num'], [t('i-invalid'), 'num'], [t('i-options')], [t('i-flags')]];
    if (S.key) cols.push([t('i-key')]);
    const keyBtn = h('button', { type: 'button', class: 'btn', id: 'key-toggle', onclick: async () => {
      if (S.key) { S.key = false; flash(''); return showAnalysis(); }
      if (!(await K.confirmBox(t('key-confirm'), t('key-show')))) return;
      S.key = true;
      loadAnalysis();
    } }, S.key ? t('key-hide') : t('key-show'));
    const sortSel = h('select', { id: 'sort', name: 'sort' }, ['item', 'p', 'disc', 'flags'].map((k) => h('option', { value: k }, t('sort-' + k))));
    sortSel.value = S.sort;
    sortSel.addEventListener('change', () => {
      S.sort = sortSel.value;
      $('items').replaceWith(itemsCard());
      $('sort').focus();
    });
    return h('section', { class: 'card', id: 'items', 'aria-labelledby': 'items-h' }, h('h2', { id: 'items-h' }, t('items-h')),
      h('p', { class: 'hint' }, t('items-lead', { hard: th.hard, easy: th.easy, low: th.low_discrimination })),
      h('p', { id: 'flagged' }, t('flagged', { n: flagged })),
      h('div', { class: 'row actions pick' }, h('div', { class: 'field' }, h('label', { for: 'sort' }, t('sort-by')), sortSel), keyBtn),
      table('items-list', null, cols, rows));
  }

  K.chrome(() => { if (S.a) { render(); showAnalysis(); } else start(); });
  start();
})();
