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
    },
    en: {
      brand: 'kaowu', title: 'Personnel examination administration',
      lead: 'Registration, qualification review, seating, admission tickets, exam day, marking and results, certificates — one system, every change on record.',
      status: 'System status', service: 'Service', database: 'Database', schema: 'Schema version',
      version: 'Software version', checking: 'Checking…', up: 'Running', down: 'Unreachable',
      api: 'API', openapi: 'OpenAPI description (JSON)', foot: 'kaowu',
      sqlite: 'SQLite (embedded)', postgresql: 'PostgreSQL',
    },
  };
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
    });
  });
  render();
  check();
})();
