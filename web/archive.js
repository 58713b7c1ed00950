// The integrity archive (诚信档案库; SPEC REG-2, REG-5, VIO-9, INF-5(5)) for the roles that may
// read it: look a person up by identity number (and name), see each entry's archive, effect,
// term (or lifetime), the decision it came from with a link to its case, and whether it was
// revoked; and the sharing ledger — the changes of the archive waiting to be shared with the
// credit platform within 10 working days, the overdue ones marked, the shared ones with their
// export. The session is the console's; whoever may not read the archive sees the server's
// refusal in its words. Entries are added, corrected and imported by hand in the console's
// register (web/console.js), each with its grounds and approved by a second person (INF-4,
// INF-5(5)); this page only reads.
'use strict';
(function () {
  const TEXT = {
    'zh-CN': {
      brand: '诚信档案库查询', title: '诚信档案库查询', skip: '跳到正文', loading: '加载中…', logout: '退出登录',
      'login-title': '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'need-both': '请输入用户名和密码。', 'session-ended': '登录已失效，请重新登录。',
      offline: '无法连接服务器，请检查网络后重试。', 'to-console': '返回工作台', 'to-cases': '违纪违规案件',
      'error-code': '（{code}）', confirm: '确认', cancel: '取消', 'reason-label': '理由', 'need-reason': '请写明理由。',
      lead: '公务员录用诚信档案库记录限制报考（在期限内不能报考公务员）；专业技术人员资格考试诚信档案库的记录在期限内不能以告知承诺方式报名。记录自处理决定之日起算，期满或处理决定撤销即移出档案库。',
      'search-h': '查询', 'id-number': '证件号码', 'name': '姓名（选填）', kind: '档案库', 'all-kinds': '全部',
      search: '查询', 'need-one': '请填写证件号码或姓名。',
      'k-civil_service': '公务员录用诚信档案库', 'k-qualification': '专业技术人员资格考试诚信档案库',
      'x-ban': '限制报考', 'x-record': '诚信记录',
      'res-h': '查询结果', 'res-none': '档案库中没有这个人的记录。', 'res-n': '共 {n} 条记录',
      'col-person': '姓名', 'col-id': '证件号码', 'col-kind': '档案库', 'col-effect': '效力', 'col-term': '期限', 'col-state': '状态',
      'col-decision': '处理决定', 'col-case': '案件',
      lifetime: '终身', 'term': '{from} 至 {to}', 'term-life': '{from} 起终身',
      'in-term': '在档（{today}）', 'not-yet': '尚未开始', ended: '已期满', revoked: '已撤销（{at}）', 'state-unknown': '—',
      'case-link': '案件 #{id}',
      'shares-h': '信用信息共享台账', 'shares-lead': '档案库的每项变更（记入、期满、撤销、经审核的更正）须在确认后 10 个工作日内更新共享的信用信息；逾期未共享的标为“已逾期”。',
      'sh-status': '状态', 'sh-pending': '待共享', 'sh-overdue': '已逾期', 'sh-shared': '已共享', show: '查看',
      'sh-counts': '待共享 {pending} 项，其中已逾期 {overdue} 项（今天：{today}）', 'sh-none': '没有这类变更。',
      'col-change': '变更', 'col-confirmed': '确认时间', 'col-due': '应更新日期', 'col-share': '共享',
      'ch-added': '记入档案库', 'ch-term_ended': '期满移出', 'ch-revoked': '决定撤销，移出', 'ch-corrected': '更正（经审核）',
      'due-none': '待节假日安排载入后确定', overdue: '已逾期', pending: '待共享', 'shared-at': '{at} 已共享（第 {no} 批）', withheld: '未共享即移出（不再共享）',
    },
    en: {
      brand: 'Integrity archive', title: 'Integrity archive', skip: 'Skip to content', loading: 'Loading…', logout: 'Log out',
      'login-title': 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'need-both': 'Enter your username and password.', 'session-ended': 'Your session has ended. Please log in again.',
      offline: 'Cannot reach the server. Check the connection and try again.', 'to-console': 'Back to the console', 'to-cases': 'Violation cases',
      'error-code': ' ({code})', confirm: 'Confirm', cancel: 'Cancel', 'reason-label': 'Reasons', 'need-reason': 'Give the reasons.',
      lead: 'The civil-service recruitment archive records bans (no civil-service exam while in term); an entry of the qualification-exam archive closes the pledge route of registration while in term. Terms run from the decision date; an entry leaves the archive when its term ends or its decision is revoked.',
      'search-h': 'Look up', 'id-number': 'Document number', name: 'Name (optional)', kind: 'Archive', 'all-kinds': 'Both',
      search: 'Look up', 'need-one': 'Enter a document number or a name.',
      'k-civil_service': 'Civil-service recruitment archive', 'k-qualification': 'Qualification-exam archive',
      'x-ban': 'Ban', 'x-record': 'Record',
      'res-h': 'Entries', 'res-none': 'The archive holds nothing on this person.', 'res-n': '{n} entries',
      'col-person': 'Name', 'col-id': 'Document', 'col-kind': 'Archive', 'col-effect': 'Effect', 'col-term': 'Term', 'col-state': 'State',
      'col-decision': 'Decision', 'col-case': 'Case',
      lifetime: 'for life', term: '{from} to {to}', 'term-life': 'from {from}, for life',
      'in-term': 'in the archive ({today})', 'not-yet': 'not yet in term', ended: 'term ended', revoked: 'revoked ({at})', 'state-unknown': '—',
      'case-link': 'case #{id}',
      'shares-h': 'Credit-sharing ledger', 'shares-lead': 'Every change of the archive (an entry added, its term ended, its decision revoked, an approved correction) must reach the shared credit information within 10 working days of its confirmation; those still pending after that are overdue.',
      'sh-status': 'Status', 'sh-pending': 'Pending', 'sh-overdue': 'Overdue', 'sh-shared': 'Shared', show: 'Show',
      'sh-counts': '{pending} pending, {overdue} of them overdue (today: {today})', 'sh-none': 'No such change.',
      'col-change': 'Change', 'col-confirmed': 'Confirmed', 'col-due': 'Due', 'col-share': 'Sharing',
      'ch-added': 'added', 'ch-term_ended': 'term ended', 'ch-revoked': 'decision revoked', 'ch-corrected': 'corrected (approved)',
      'due-none': 'once the holiday calendar is loaded', overdue: 'overdue', pending: 'pending', 'shared-at': 'shared {at} (export {no})', withheld: 'left before it was shared (not sent)',
    },
  };
  const S = { me: null, today: null, busy: false };
  const K = kwStaff(TEXT, S, start);
  const { $, t, h, api, showError, viewLogin, renderWho } = K;
  const cst = (iso) => K.cst(iso, false);
  let uid = 0;
  function field(label, input) {
    input.id = input.id || 'af' + (++uid);
    return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, h('span', { class: 'err', id: input.id + '-err' }));
  }

  async function start() {
    const r = await api('GET', '/api/v1/me');
    if (!r.ok) { S.me = null; viewLogin(r.status === 401 ? '' : r.json.error.message); return; }
    S.me = r.json;
    renderWho();
    render();
  }

  function render() {
    K.flash('');
    const q = new URLSearchParams(location.search);
    const idn = h('input', { name: 'id_number', maxlength: '32', autocomplete: 'off', spellcheck: 'false', value: q.get('id_number') || '' });
    const name = h('input', { name: 'q', maxlength: '50', autocomplete: 'off', value: q.get('q') || '' });
    const kind = h('select', { name: 'kind' }, h('option', { value: '' }, t('all-kinds')),
      ['civil_service', 'qualification'].map((k) => h('option', { value: k, selected: q.get('kind') === k ? true : null }, t('k-' + k))));
    const err = h('p', { class: 'field-err', id: 'search-err', role: 'alert', hidden: true });
    const form = h('form', { id: 'search', class: 'bar-form', role: 'search', 'aria-labelledby': 'search-h', novalidate: true, onsubmit: (ev) => {
      ev.preventDefault();
      err.hidden = true;
      if (!idn.value.trim() && !name.value.trim()) { err.textContent = t('need-one'); err.hidden = false; idn.focus(); return; }
      const u = new URLSearchParams();
      if (idn.value.trim()) u.set('id_number', idn.value.trim());
      if (name.value.trim()) u.set('q', name.value.trim());
      if (kind.value) u.set('kind', kind.value);
      history.replaceState(null, '', '?' + u);
      lookup(u);
    } }, field(t('id-number'), idn), field(t('name'), name), field(t('kind'), kind),
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'btn primary' }, t('search'))), err);
    const status = h('select', { id: 'sh-status', name: 'status' }, ['pending', 'overdue', 'shared'].map((s) => h('option', { value: s }, t('sh-' + s))));
    const sbar = h('form', { class: 'bar row', 'aria-label': t('shares-h'), onsubmit: (ev) => { ev.preventDefault(); shares(status.value); } },
      h('label', { for: 'sh-status' }, t('sh-status')), status, h('button', { type: 'submit', class: 'btn primary' }, t('show')));
    $('view').replaceChildren(h('p', { class: 'lead' }, t('lead')),
      h('p', { class: 'row links' }, h('a', { href: '/console.html', class: 'dl-link' }, t('to-console')), h('a', { href: '/cases.html', class: 'dl-link' }, t('to-cases'))),
      h('section', { class: 'card', 'aria-labelledby': 'search-h' }, h('h2', { id: 'search-h' }, t('search-h')), form),
      h('section', { class: 'card', id: 'results', 'aria-labelledby': 'res-h', hidden: true }),
      h('section', { class: 'card', id: 'shares', 'aria-labelledby': 'shares-h' }, h('h2', { id: 'shares-h' }, t('shares-h')),
        h('p', { class: 'hint' }, t('shares-lead')), sbar, h('div', { id: 'shares-body' })));
    shares('pending').then(() => { if (q.get('id_number') || q.get('q') || q.get('case_id')) lookup(q); });
  }

  // The entries of the person asked for (the register's list, filtered by the exact number).
  async function lookup(q) {
    const box = $('results');
    box.hidden = false;
    box.setAttribute('aria-busy', 'true');
    const u = new URLSearchParams({ limit: '200' });
    for (const k of ['id_number', 'q', 'kind', 'case_id']) if (q.get(k)) u.set(k, q.get(k));
    const r = await api('GET', '/api/v1/archive_entries?' + u);
    box.removeAttribute('aria-busy');
    const head = h('h2', { id: 'res-h' }, t('res-h'));
    if (!r.ok) {
      box.replaceChildren(head);
      return showError(r, null, box.appendChild(h('div', {})));
    }
    const items = r.json.items;
    if (!items.length) return box.replaceChildren(head, h('p', { id: 'res-sum' }, t('res-none')));
    const state = (e) => {
      if (e.revoked_at) return h('span', {}, t('revoked', { at: cst(e.revoked_at) }));
      if (!S.today) return t('state-unknown');
      if (e.term_start > S.today) return t('not-yet');
      if (!e.lifetime && e.term_end && e.term_end < S.today) return t('ended');
      return h('span', { class: 'in-term' }, t('in-term', { today: S.today }));
    };
    const rows = items.map((e) => h('tr', { class: e.revoked_at ? 'out' : null },
      h('td', {}, e.person_name), h('td', {}, e.id_number), h('td', {}, t('k-' + e.kind)), h('td', {}, h('strong', {}, t('x-' + e.effect))),
      h('td', { class: 'term' }, e.lifetime ? t('term-life', { from: e.term_start }) : t('term', { from: e.term_start, to: e.term_end || '' })),
      h('td', {}, state(e)), h('td', {}, e.source_decision),
      h('td', {}, e.case_id ? h('a', { href: '/cases.html?case=' + e.case_id, class: 'dl-link' }, t('case-link', { id: e.case_id })) : '')));
    box.replaceChildren(head, h('p', { class: 'sum', id: 'res-sum' }, t('res-n', { n: items.length })),
      h('div', { class: 'wrap' }, h('table', { class: 'grid archive-list' },
        h('thead', {}, h('tr', {}, ['col-person', 'col-id', 'col-kind', 'col-effect', 'col-term', 'col-state', 'col-decision', 'col-case'].map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, rows))));
  }

  // The sharing ledger: counts over what the user reaches, then the rows of one status.
  async function shares(status) {
    const box = $('shares-body');
    box.setAttribute('aria-busy', 'true');
    const r = await api('GET', '/api/v1/archive_shares?status=' + status + '&limit=200');
    box.removeAttribute('aria-busy');
    if (!r.ok) return showError(r, null, box);
    S.today = r.json.today;
    const c = r.json.counts || { pending: 0, overdue: 0 };
    const sum = h('p', { class: 'sum', id: 'sh-sum' }, t('sh-counts', { pending: c.pending, overdue: c.overdue, today: r.json.today }));
    if (!r.json.items.length) return box.replaceChildren(sum, h('p', {}, t('sh-none')));
    const share = (x) => (x.withheld ? t('withheld') : x.shared_at ? t('shared-at', { at: cst(x.shared_at), no: x.export_no })
      : x.overdue ? h('strong', { class: 'flag' }, '⚠ ' + t('overdue')) : t('pending'));
    const rows = r.json.items.map((x) => h('tr', { class: x.overdue ? 'overdue' : null },
      h('td', {}, t('ch-' + x.change)), h('td', {}, x.entry.person_name), h('td', {}, x.entry.id_number),
      h('td', {}, t('k-' + x.entry.kind), ' · ', t('x-' + x.entry.effect)), h('td', {}, x.entry.source_decision),
      h('td', {}, cst(x.confirmed_at)), h('td', {}, x.due_on || h('span', { class: 'hint' }, t('due-none'))), h('td', {}, share(x))));
    box.replaceChildren(sum, h('div', { class: 'wrap' }, h('table', { class: 'grid shares' },
      h('thead', {}, h('tr', {}, ['col-change', 'col-person', 'col-id', 'col-kind', 'col-decision', 'col-confirmed', 'col-due', 'col-share'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows))));
  }

  K.chrome(() => render());
  start();
})();
