// The public exam notice (AH 10; EXAM-1, EXAM-3): no login. /notice.html lists the exams
// open for registration; /notice.html?exam=ID shows one: the registration time and places,
// the procedure, subjects and fees, the conditions, the pledge in force (with the notice
// items of PQ 15), the positions and their figures, other matters, and warnings; once the
// exam's scores are published, a link to their look-up (/scores.html?exam=ID) first, and for a
// recruitment exam one to its interview lists and recruitment notices
// (/interview-public.html?exam=CODE).
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考试公告', register: '网上报名', integrity: '诚信档案查询', exams: '正在报名的考试', none: '目前没有正在报名的考试。',
      organiser: '主办单位', window: '报名时间', places: '报名地点和方式', procedure: '报名程序', exam_date: '考试日期',
      subjects: '考试科目', fee: '考试费', minutes: '{n} 分钟', conditions: '报考条件', positions: '招考职位',
      pos_count: '共 {n} 个职位，招考 {q} 人（职位表可在报名页面按条件查询）', pledge: '诚信承诺', notice: '其他事项',
      figures: '报名人数（每 {s} 秒更新）', code: '职位代码', pname: '职位', quota: '招考人数', submitted: '报名人数',
      approved: '审核通过', ratio: '竞争比', ticket: '准考证', self_print: '考生在规定时间内自行打印', on_site: '现场领取',
      warnings: '提示', SYLLABUS_LATE: '考试大纲发布距考试不足 6 个月（EXAM-3）。', back: '全部考试', none_c: '按职位要求',
      age_min: '最低年龄', age_max: '最高年龄', education_min: '最低学历', degree_min: '最低学位', majors: '专业代码',
      work_years_min: '最少工作年限', rolling: '滚动管理周期 {n} 年', levels: '级别',
      scores: '成绩查询', scores_at: '本次考试成绩已于 {at}（北京时间）公布。', to_scores: '查询成绩',
      interviews: '面试与录用公示', interviews_p: '各职位的面试名单和拟录用人员公示在此公布。', to_interviews: '查看面试名单和拟录用人员公示',
    },
    en: {
      brand: 'Exam notices', register: 'Register online', integrity: 'Integrity archive', exams: 'Exams open for registration', none: 'No exam is open for registration.',
      organiser: 'Organiser', window: 'Registration', places: 'Where and how', procedure: 'Procedure', exam_date: 'Exam date',
      subjects: 'Subjects', fee: 'Fee', minutes: '{n} minutes', conditions: 'Conditions', positions: 'Positions',
      pos_count: '{n} positions, {q} to recruit (search them on the registration page)', pledge: 'Integrity pledge', notice: 'Other matters',
      figures: 'Applications (updated every {s} s)', code: 'Code', pname: 'Position', quota: 'To recruit', submitted: 'Applied',
      approved: 'Approved', ratio: 'Ratio', ticket: 'Admission ticket', self_print: 'printed by the candidate', on_site: 'collected on site',
      warnings: 'Notes', SYLLABUS_LATE: 'The syllabus came less than 6 months before the exam (EXAM-3).', back: 'All exams', none_c: 'As each position requires',
      age_min: 'Minimum age', age_max: 'Maximum age', education_min: 'Minimum education', degree_min: 'Minimum degree', majors: 'Major codes',
      work_years_min: 'Minimum years of work', rolling: 'Rolling period {n} years', levels: 'Levels',
      scores: 'Scores', scores_at: 'The scores of this exam were published {at} (China time).', to_scores: 'Look up your scores',
      interviews: 'Interviews and recruitment', interviews_p: 'Each position\'s interview list and recruitment notice are published here.', to_interviews: 'See the interview lists and recruitment notices',
    },
  };
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!TEXT[lang]) lang = 'zh-CN';
  const t = (k, v) => String(TEXT[lang][k] ?? k).replace(/\{(\w+)\}/g, (_, x) => (v && v[x] !== undefined ? v[x] : ''));
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, v);
    for (const kid of kids.flat(Infinity)) if (kid !== null && kid !== undefined && kid !== false) el.append(kid);
    return el;
  }
  const cst = (iso) => (iso ? new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
  const get = async (p) => { const r = await fetch(p, { headers: { 'Accept-Language': lang } }); return { status: r.status, json: await r.json() }; };
  const view = () => document.getElementById('view');
  async function list() {
    const r = await get('/api/v1/public/exams');
    view().replaceChildren(h('h1', {}, t('exams')), h('ul', { class: 'list' }, r.json.items.length
      ? r.json.items.map((e) => h('li', {}, h('h3', {}, h('a', { href: '/notice.html?exam=' + e.id }, e.name)),
        h('div', { class: 'hint' }, e.organiser + ' · ' + t('window') + ' ' + cst(e.reg_opens_at) + ' – ' + cst(e.reg_closes_at))))
      : h('li', {}, t('none'))));
  }
  async function one(id) {
    const r = await get('/api/v1/public/exams/' + id);
    if (r.status !== 200) { view().replaceChildren(h('p', { class: 'alert' }, r.json.error.message)); return; }
    const e = r.json;
    const dl = (pairs) => h('dl', { class: 'status' }, pairs.filter((p) => p[1]).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    const cond = Object.entries(e.conditions || {});
    const parts = [
      h('p', {}, h('a', { href: '/notice.html' }, '← ' + t('back'))),
      h('h1', {}, e.name),
      // GRD-8: once the scores are published, the way to the look-up first
      e.scores_published_at ? h('section', { class: 'card', id: 'scores' }, h('h2', {}, t('scores')),
        h('p', {}, t('scores_at', { at: cst(e.scores_published_at) })),
        h('p', {}, h('a', { class: 'cta', href: '/scores.html?exam=' + e.id }, t('to_scores')))) : null,
      // after the scores, a recruitment exam's interviews and notices (interview-public.html)
      e.scores_published_at && e.kind !== 'qualification' ? h('section', { class: 'card', id: 'interviews' }, h('h2', {}, t('interviews')),
        h('p', {}, t('interviews_p')),
        h('p', {}, h('a', { class: 'cta', id: 'to-interviews', href: '/interview-public.html?exam=' + encodeURIComponent(e.code || e.id) }, t('to_interviews')))) : null,
      dl([[t('window'), cst(e.reg_opens_at) + ' – ' + cst(e.reg_closes_at)], [t('places'), e.registration_places],
        [t('procedure'), e.procedure], [t('exam_date'), e.exam_date], [t('ticket'), e.ticket_delivery ? t(e.ticket_delivery) : null],
        [t('levels'), e.levels], [t('rolling', { n: e.rolling_years }), e.rolling_years ? '✓' : null]]),
      h('section', { class: 'card' }, h('h2', {}, t('subjects')), h('ul', {}, e.subjects.map((s) => h('li', {},
        `${s.code} ${s.name}${s.level ? '（' + s.level + '）' : ''} · ${t('minutes', { n: s.duration_minutes })} · ${cst(s.starts_at)}` +
        (s.fee_cents ? ` · ${t('fee')} ¥${(s.fee_cents / 100).toFixed(2)}` : ''))))),
      h('section', { class: 'card' }, h('h2', {}, t('conditions')), cond.length
        ? dl(cond.map(([k, v]) => [t(k), Array.isArray(v) ? v.join('、') : String(v)])) : h('p', {}, t('none_c'))),
    ];
    if (e.positions) parts.push(h('section', { class: 'card', id: 'figures' }, h('h2', {}, t('positions')), h('p', {}, t('pos_count', { n: e.positions, q: e.quota }))));
    if (e.pledge) parts.push(h('section', { class: 'card' }, h('h2', {}, t('pledge') + '：' + e.pledge.title + '（' + e.pledge.version + '）'),
      h('p', {}, e.pledge.body), h('dl', {}, e.pledge.items.map((it) => [h('dt', {}, it.label), h('dd', {}, it.text)]))));
    if (e.notice) parts.push(h('section', { class: 'card' }, h('h2', {}, t('notice')), h('p', {}, e.notice)));
    if ((e.warnings || []).length) parts.push(h('section', { class: 'notice' }, h('h2', {}, t('warnings')), e.warnings.map((w) => h('p', {}, t(w.code)))));
    view().replaceChildren(...parts);
    if (e.positions) {
      const s = await get('/api/v1/public/exams/' + id + '/statistics');
      if (s.status === 200) {
        const rows = s.json.positions.slice(0, 200).map((p) => h('tr', {},
          h('td', {}, p.code), h('td', {}, p.name + ' · ' + p.recruiter), h('td', {}, String(p.quota)),
          h('td', {}, String(p.submitted)), h('td', {}, String(p.approved)), h('td', {}, p.ratio + ':1')));
        const head = h('tr', {}, [t('code'), t('pname'), t('quota'), t('submitted'), t('approved'), t('ratio')].map((x) => h('th', { scope: 'col' }, x)));
        const table = h('div', { class: 'wrap' }, h('table', {}, h('caption', {}, t('figures', { s: s.json.refresh_seconds })),
          h('thead', {}, head), h('tbody', {}, rows)));
        document.getElementById('figures').append(table);
      }
    }
  }
  function render() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    const id = new URLSearchParams(location.search).get('exam');
    if (id && /^\d+$/.test(id)) one(id); else list();
  }
  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    lang = b.dataset.lang;
    document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    render();
  }));
  render();
})();
