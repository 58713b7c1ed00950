// The command view (SPEC DAY-1's command platform; issue 9 item 7): /command.html?exam=ID&subject=CODE.
// For the agency and the national centre: each centre of a sitting with its papers received,
// rooms open and closed, attendance and incidents open, kept up to date by the server's
// events (an EventSource on …/command/stream: a "snapshot" of the whole view, then "centres"
// with the rows that changed). Totals on top; the list filtered by state or text and drawn a
// page at a time, so a national sitting of 10,000 centres stays usable. No map. The session
// is the console's (the kw_session cookie goes with the stream).
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '考务指挥', title: '考务指挥', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '考务指挥登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '网络中断，请稍后重试。', 'error-code': '（{code}）', confirm: '确认', cancel: '取消',
      'reason-label': '原因', 'need-reason': '请写明原因。',
      exam: '考试', subject: '科目（场次）', show: '查看', 'no-exams': '没有已发布的考试。',
      live: '实时更新中', reconnecting: '连接中断，正在重连…', starts: '开考 {at}，{min} 分钟',
      't-centres': '考点', 't-rooms': '考场已开 / 总数', 't-present': '实到 / 应到', 't-papers': '试卷已接收 / 总袋数',
      't-closed': '考场记录已封', 't-incidents': '未处理异常',
      state: '状态', all: '全部', search: '搜索考点代码、名称或考区', matched: '共 {n} 个考点',
      'st-incident': '有异常', 'st-closed': '已结束', 'st-open': '考试中', 'st-papers': '试卷已到', 'st-waiting': '待开考',
      code: '考点代码', name: '考点名称', area: '考区', rooms: '考场（开/总）', present: '实到/应到', rate: '到考率',
      papers: '试卷（到/总）', 'in-rooms': '已进考场', closed: '记录已封', incidents: '异常',
      prev: '上一页', next: '下一页', page: '第 {p} / {n} 页', none: '没有符合条件的考点。',
    },
    en: {
      brand: 'Command view', title: 'Command view', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Command view login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session ended; log in again.',
      offline: 'The network is down; try again shortly.', 'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel',
      'reason-label': 'Reason', 'need-reason': 'Write the reason.',
      exam: 'Exam', subject: 'Subject (sitting)', show: 'Show', 'no-exams': 'No published exams.',
      live: 'Live', reconnecting: 'Connection lost, reconnecting…', starts: 'Starts {at}, {min} minutes',
      't-centres': 'Centres', 't-rooms': 'Rooms open / all', 't-present': 'Present / seated', 't-papers': 'Packages received / all',
      't-closed': 'Room records closed', 't-incidents': 'Incidents open',
      state: 'State', all: 'All', search: 'Search centre code, name or area', matched: '{n} centres',
      'st-incident': 'Incident', 'st-closed': 'Finished', 'st-open': 'In progress', 'st-papers': 'Papers in', 'st-waiting': 'Waiting',
      code: 'Centre', name: 'Name', area: 'Area', rooms: 'Rooms (open/all)', present: 'Present/seated', rate: 'Attendance',
      papers: 'Papers (in/all)', 'in-rooms': 'In rooms', closed: 'Records closed', incidents: 'Incidents',
      prev: 'Previous', next: 'Next', page: 'Page {p} of {n}', none: 'No centre matches.',
    },
  };
  const STATES = ['incident', 'waiting', 'papers', 'open', 'closed'];
  const PAGE = 100;
  const S = { me: null, exams: [], exam: null, subject: null, rows: new Map(), totals: null, head: null,
    state: '', q: '', page: 0, fresh: new Set(), es: null, drawPending: false };
  const K = kwStaff(TEXT, S, start);
  const { $, h, t, api } = K;

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) return K.viewLogin();
    S.me = r.json;
    K.renderWho();
    const q = new URLSearchParams(location.search);
    S.exam = q.get('exam');
    S.subject = q.get('subject');
    const ex = await api('GET', '/api/v1/public/exams');
    S.exams = ex.ok ? ex.json.items : [];
    await chooser();
    if (S.exam && S.subject) watch();
  }

  // The exam and sitting to watch.
  async function chooser() {
    if (!S.exams.length) { $('view').replaceChildren(h('p', {}, t('no-exams'))); return; }
    const hit = S.exams.find((e) => String(e.id) === S.exam || e.code === S.exam);
    S.exam = String(hit ? hit.id : S.exams[0].id);
    const exam = h('select', { id: 'exam', name: 'exam', onchange: () => subjects(exam.value) },
      S.exams.map((e) => h('option', { value: String(e.id) }, `${e.name}（${e.code}）`)));
    exam.value = S.exam;
    const subj = h('select', { id: 'subject', name: 'subject' });
    async function subjects(id) {
      const r = await api('GET', '/api/v1/public/exams/' + id);
      const list = r.ok && Array.isArray(r.json.subjects) ? r.json.subjects : [];
      subj.replaceChildren(...list.map((s) => h('option', { value: s.code }, `${s.code} ${s.name}`)));
      if (S.subject && list.some((s) => s.code === S.subject)) subj.value = S.subject;
    }
    await subjects(S.exam);
    const bar = h('form', { class: 'bar card', onsubmit: (ev) => {
      ev.preventDefault();
      if (!subj.value) return;
      S.exam = exam.value;
      S.subject = subj.value;
      history.replaceState(null, '', `?exam=${S.exam}&subject=${encodeURIComponent(S.subject)}`);
      watch();
    } }, h('div', { class: 'field' }, h('label', { for: 'exam' }, t('exam')), exam),
    h('div', { class: 'field' }, h('label', { for: 'subject' }, t('subject')), subj),
    h('button', { type: 'submit', class: 'btn primary', id: 'show' }, t('show')));
    $('view').replaceChildren(bar, h('section', { id: 'board', 'aria-live': 'off' }));
  }

  // ---- the stream ----
  function watch() {
    if (S.es) S.es.close();
    S.rows = new Map();
    S.totals = null;
    S.page = 0;
    const es = new EventSource(`/api/v1/exams/${S.exam}/sittings/${encodeURIComponent(S.subject)}/command/stream`);
    S.es = es;
    es.addEventListener('snapshot', (ev) => {
      const d = JSON.parse(ev.data);
      S.head = d;
      S.rows = new Map(d.centres.map((c) => [c.id, c]));
      S.totals = d.totals;
      S.live = true;
      draw();
    });
    es.addEventListener('centres', (ev) => {
      const d = JSON.parse(ev.data);
      for (const c of d.centres) { S.rows.set(c.id, c); S.fresh.add(c.id); }
      S.totals = d.totals;
      S.live = true;
      schedule();
    });
    es.onerror = async () => {
      S.live = false;
      schedule();
      if (es.readyState === EventSource.CLOSED) {
        // refused (not found, not allowed, logged out): say why from the same URL as JSON
        const r = await api('GET', `/api/v1/exams/${S.exam}/sittings/${encodeURIComponent(S.subject)}/command?limit=1`);
        if (!r.ok) K.showError(r);
      }
    };
  }

  function schedule() {
    if (S.drawPending) return;
    S.drawPending = true;
    requestAnimationFrame(() => { S.drawPending = false; draw(); });
  }

  // ---- drawing ----
  const pct = (a, b) => (b ? (100 * a / b).toFixed(1) + '%' : '—');
  function tile(label, value, bad) {
    return h('div', { class: 'tile' + (bad ? ' bad' : '') }, h('span', {}, label), h('b', {}, value));
  }

  function matches(c) {
    if (S.state && c.state !== S.state) return false;
    if (S.q && !(c.code.includes(S.q) || c.name.includes(S.q) || c.area.includes(S.q))) return false;
    return true;
  }

  function draw() {
    const board = $('board');
    if (!board || !S.totals) return;
    const T = S.totals;
    const sub = S.head && S.head.subject;
    const status = h('p', {}, h('span', { class: 'live' + (S.live ? ' on' : ''), id: 'live' }, S.live ? t('live') : t('reconnecting')),
      sub ? ' · ' + `${S.head.exam.name} · ${sub.code} ${sub.name} · ` + t('starts', { at: K.cst(sub.starts_at, false), min: sub.duration_minutes }) : '');
    const tiles = h('div', { class: 'tiles', id: 'totals' },
      tile(t('t-centres'), T.centres),
      tile(t('t-papers'), `${T.received} / ${T.packages}`),
      tile(t('t-rooms'), `${T.rooms_open} / ${T.rooms}`),
      tile(t('t-present'), `${T.present} / ${T.seated}` + (K.lang === 'en' ? ` (${pct(T.present, T.seated)})` : `（${pct(T.present, T.seated)}）`)),
      tile(t('t-closed'), `${T.rooms_closed} / ${T.rooms}`),
      tile(t('t-incidents'), T.incidents, T.incidents > 0));
    const stateSel = h('select', { id: 'state', onchange: () => { S.state = stateSel.value; S.page = 0; draw(); } },
      h('option', { value: '' }, `${t('all')}（${T.centres}）`),
      STATES.map((s) => h('option', { value: s }, `${t('st-' + s)}（${T.by_state[s] || 0}）`)));
    stateSel.value = S.state;
    const search = h('input', { id: 'q', type: 'search', value: S.q, placeholder: t('search'), 'aria-label': t('search'),
      oninput: () => { S.q = search.value.trim(); S.page = 0; drawList(); } });
    const filters = h('div', { class: 'bar' }, h('label', { for: 'state' }, t('state')), stateSel, search);
    const list = h('div', { id: 'list' });
    const hadFocus = document.activeElement && document.activeElement.id === 'q';
    board.replaceChildren(status, tiles, filters, list);
    if (hadFocus) { search.focus(); search.setSelectionRange(search.value.length, search.value.length); }
    drawList();
  }

  function drawList() {
    const list = $('list');
    if (!list) return;
    const rows = [...S.rows.values()].filter(matches).sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (S.page >= pages) S.page = pages - 1;
    const shown = rows.slice(S.page * PAGE, (S.page + 1) * PAGE);
    if (!rows.length) { list.replaceChildren(h('p', { class: 'hint' }, t('none'))); S.fresh.clear(); return; }
    const num = (v) => h('td', { class: 'num' }, v);
    const table = h('table', { class: 'centres', id: 'centres' },
      h('thead', {}, h('tr', {}, h('th', {}, t('code')), h('th', {}, t('name')), h('th', {}, t('area')), h('th', {}, t('state')),
        h('th', { class: 'num' }, t('papers')), h('th', { class: 'num' }, t('in-rooms')), h('th', { class: 'num' }, t('rooms')),
        h('th', { class: 'num' }, t('present')), h('th', { class: 'num' }, t('rate')), h('th', { class: 'num' }, t('closed')),
        h('th', { class: 'num' }, t('incidents')))),
      h('tbody', {}, shown.map((c) => h('tr', { 'data-code': c.code, class: S.fresh.has(c.id) ? 'flash' : null },
        h('td', {}, c.code), h('td', {}, c.name), h('td', {}, c.area),
        h('td', {}, h('span', { class: 'st st-' + c.state }, t('st-' + c.state))),
        num(`${c.received}/${c.packages}`), num(c.in_rooms), num(`${c.rooms_open}/${c.rooms}`),
        num(`${c.present}/${c.seated}`), num(pct(c.present, c.seated)), num(`${c.rooms_closed}/${c.rooms}`),
        num(c.incidents)))));
    S.fresh.clear();
    const pager = h('div', { class: 'pager' }, h('span', {}, t('matched', { n: rows.length })),
      pages > 1 ? [
        h('button', { type: 'button', class: 'btn', disabled: S.page === 0, onclick: () => { S.page--; drawList(); } }, t('prev')),
        h('span', {}, t('page', { p: S.page + 1, n: pages })),
        h('button', { type: 'button', class: 'btn', disabled: S.page >= pages - 1, onclick: () => { S.page++; drawList(); } }, t('next'))] : null);
    list.replaceChildren(pager, table);
  }

  K.chrome(async () => { await chooser(); draw(); }); // the chooser's words too; the stream goes on
  start();
})();
