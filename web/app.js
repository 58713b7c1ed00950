// kaowu start page: system status and the language switch (cookie `lang`, read by the server too).
'use strict';
(function () {
  const text = {
    'zh-CN': {
      brand: '考务系统', title: '人事考试考务管理系统',
      lead: '报名、资格审查、考场编排、准考证、考务实施、评卷与成绩、证书——一个系统，全程留痕。',
      status: '系统状态', service: '服务', database: '数据库', schema: '数据结构版本',
      version: '软件版本', checking: '检查中…', up: '正常运行', down: '无法访问',
      api: '接口', openapi: 'OpenAPI 接口说明（JSON）', foot: '考务系统 kaowu',
      sqlite: 'SQLite（内嵌）', postgresql: 'PostgreSQL',
      staff: '工作人员登录', username: '用户名', password: '密码', login: '登录',
      'signed-in': '已登录：', until: '登录有效期至', logout: '退出登录', 'no-role': '（暂无角色）',
      'need-both': '请输入用户名和密码。', 'to-console': '进入工作台', candidates: '考生',
      'portal-lead': '报名、缴费、准考证、成绩和证书：在考生服务页按步骤办理（报名随考试公告开放）。',
      'to-portal': '进入考生服务', 'to-register': '网上报名', 'to-queue': '资格审查队列',
    },
    en: {
      brand: 'kaowu', title: 'Personnel examination administration',
      lead: 'Registration, qualification review, seating, admission tickets, exam day, marking and results, certificates — one system, every change on record.',
      status: 'System status', service: 'Service', database: 'Database', schema: 'Schema version',
      version: 'Software version', checking: 'Checking…', up: 'Running', down: 'Unreachable',
      api: 'API', openapi: 'OpenAPI description (JSON)', foot: 'kaowu',
      sqlite: 'SQLite (embedded)', postgresql: 'PostgreSQL',
      staff: 'Staff login', username: 'Username', password: 'Password', login: 'Log in',
      'signed-in': 'Logged in: ', until: 'Session valid until', logout: 'Log out', 'no-role': '(no role yet)',
      'need-both': 'Enter your username and password.', 'to-console': 'Open the console', candidates: 'Candidates',
      'portal-lead': 'Registration, payment, admission ticket, scores and certificate, step by step (registration opens with the exam notice).',
      'to-portal': 'Candidate services', 'to-register': 'Register online', 'to-queue': 'Review queue',
    },
  };
  let me = null;
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!text[lang]) lang = 'zh-CN';
  let health = null;

  function t(key) { return text[lang][key] || text['zh-CN'][key] || key; }

  function render() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' · kaowu';
    document.querySelectorAll('[data-i18n]').forEach((el) => {
      if (el.id === 'st-service') return;
      el.textContent = t(el.dataset.i18n);
    });
    document.querySelectorAll('.lang button').forEach((b) => {
      b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    });
    const svc = document.getElementById('st-service');
    if (health === null) {
      svc.textContent = t('checking');
      svc.className = '';
    } else if (health.status === 'ok') {
      svc.textContent = t('up');
      svc.className = 'ok';
      document.getElementById('st-db').textContent = t(health.database);
      document.getElementById('st-schema').textContent = String(health.schema_version);
      document.getElementById('st-version').textContent = health.version;
      document.getElementById('foot-version').textContent = 'v' + health.version;
    } else {
      svc.textContent = t('down') + (health.message ? '：' + health.message : '');
      svc.className = 'bad';
    }
  }

  function cookie(name) {
    const m = document.cookie.match(new RegExp('(?:^|;\\s*)' + name + '=([^;]+)'));
    return m ? m[1] : null;
  }

  function renderMe() {
    const form = document.getElementById('login');
    const who = document.getElementById('whoami');
    form.hidden = !!me;
    who.hidden = !me;
    if (!me) return;
    document.getElementById('me-name').textContent = me.display_name + ' (' + me.username + ')';
    document.getElementById('me-roles').textContent = me.role_names.length ? me.role_names.join('、') : t('no-role');
    const until = new Date(me.session_expires_at || me.expires_at);
    // Deadlines and times are shown in China Standard Time.
    document.getElementById('me-until').textContent =
      until.toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false }) + ' (UTC+8)';
  }

  async function loadMe() {
    const r = await fetch('/api/v1/me');
    me = r.ok ? await r.json() : null;
    renderMe();
  }

  document.getElementById('login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const err = document.getElementById('login-error');
    const username = document.getElementById('username').value.trim();
    const password = document.getElementById('password').value;
    err.hidden = true;
    if (!username || !password) {
      err.textContent = t('need-both');
      err.hidden = false;
      return;
    }
    const r = await fetch('/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const j = await r.json();
    if (!r.ok) {
      err.textContent = j.error.message;
      err.hidden = false;
      return;
    }
    // Kept for this tab's cookie-authenticated writes (the console reads it too).
    sessionStorage.setItem('kw_csrf', j.csrf_token);
    document.getElementById('password').value = '';
    await loadMe();
  });

  document.getElementById('logout').addEventListener('click', async () => {
    // A cookie-authenticated write carries the CSRF token (kept at login; the kw_csrf cookie otherwise).
    const token = sessionStorage.getItem('kw_csrf') || cookie('kw_csrf') || '';
    await fetch('/api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': token } });
    sessionStorage.removeItem('kw_csrf');
    me = null;
    renderMe();
  });

  async function check() {
    try {
      const r = await fetch('/api/v1/health', { headers: { Accept: 'application/json' } });
      const j = await r.json();
      health = r.ok ? j : { status: 'down', message: j.error && j.error.message };
    } catch (e) {
      health = { status: 'down' };
    }
    render();
  }

  document.querySelectorAll('.lang button').forEach((b) => {
    b.addEventListener('click', () => {
      lang = b.dataset.lang;
      document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
      render();
      check();
      if (me) loadMe(); // role names come in the new language
    });
  });
  render();
  check();
  // Only a browser that logged in has the kw_csrf cookie: others need not ask.
  if (cookie('kw_csrf')) loadMe();
})();
