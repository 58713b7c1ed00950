// The candidate portal's landing page: the journey as numbered steps, zh-CN / en (cookie `lang`).
'use strict';
(function () {
  const text = {
    'zh-CN': {
      brand: '考生服务', title: '报名参加人事考试',
      lead: '从注册到领取证书，一共 11 步。每一步都会告诉您接下来做什么、截止到什么时候（北京时间）。',
      'notice-h': '报名尚未开放',
      notice: '报名随考试公告开放。请关注人事考试机构发布的考试公告：报名时间、报考条件和考试安排以公告为准。公告发布后，即可在本页注册并报名。',
      'steps-h': '报名和考试的步骤', 'to-register': '进入网上报名', 'to-notice': '考试公告', 'help-h': '遇到问题？',
      help: '每一次不能通过，系统都会用中文说明原因和您可以怎么做。需要人工帮助时，请拨打考试公告上的咨询电话。',
      home: '返回首页', step: '第 {n} 步', next: '接下来：', go: '成绩查询',
      steps: [
        ['注册账号', '用手机号注册并设置密码，一个人只注册一个账号。', '完善个人信息。'],
        ['填写个人信息', '姓名、身份证件、学历、照片等。证件号码显示时会遮住中间部分，例如 110105********002X。', '选择考试和职位。'],
        ['选择考试和职位', '逐项显示您是否符合报考条件（年龄、学历、专业、工作经历等）：符合的打勾，不符合的说明原因。', '签署承诺书或上传证明材料。'],
        ['承诺或提供证明', '实行告知承诺的考试，阅读并签署诚信承诺书；其他情况按公告上传证明材料。', '提交报名。'],
        ['提交报名', '确认信息无误后提交。页面显示报名截止时间（北京时间）和剩余时间，截止后不能再提交。', '等待资格审查，并按时缴费。'],
        ['缴费', '在公告规定的时间内网上缴费；逾期未缴费视为放弃报名。', '查看审核结果。'],
        ['查看审核结果', '资格审查通过或不通过都会写明理由；允许修改时，可在期限内修改后重新提交。', '按时打印准考证。'],
        ['打印准考证', '在规定的时间内一键下载准考证（PDF），按上面的时间和地点参加考试。', '参加考试，等待成绩公布。'],
        ['查询成绩', '成绩公布后查询各科成绩和是否合格。', '如对成绩有疑问，可申请复查。', '/scores.html'],
        ['申请成绩复查', '在公告规定的期限内提出，复查结果会在这里告诉您。', '合格的考生领取证书。'],
        ['领取证书', '资格类考试合格后，在规定时间内下载或领取证书。', '完成。'],
      ],
    },
    en: {
      brand: 'Candidates', title: 'Apply for a personnel examination',
      lead: 'Eleven steps from signing up to your certificate. Each step tells you what comes next and the deadline (China time).',
      'notice-h': 'Registration is not open yet',
      notice: 'Registration opens with the exam notice. Watch for the notice of the examination agency: its dates, conditions and arrangements apply. Once it is published you can sign up and register here.',
      'steps-h': 'The steps', 'to-register': 'Register online', 'to-notice': 'Exam notices', 'help-h': 'Need help?',
      help: 'Whenever something cannot go through, you are told why and what you can do. For a person to talk to, call the number in the exam notice.',
      home: 'Back to the start page', step: 'Step {n}', next: 'Next: ', go: 'Look up scores',
      steps: [
        ['Sign up', 'Register with your mobile number and set a password; one account per person.', 'complete your profile.'],
        ['Your profile', 'Name, identity document, education, photo. Identity numbers are shown masked, e.g. 110105********002X.', 'choose the exam and position.'],
        ['Choose exam and position', 'Each condition (age, education, major, experience…) is shown as met or not met, with the reason.', 'sign the pledge or upload proof.'],
        ['Pledge or proof', 'Where the exam uses pledges, read and sign the integrity pledge; otherwise upload the proof the notice asks for.', 'submit.'],
        ['Submit', 'Check and submit. The deadline (China time) and the time left are shown; after it nothing can be submitted.', 'wait for the review and pay in time.'],
        ['Pay', 'Pay online within the period of the notice; no payment in time means the registration lapses.', 'see the review result.'],
        ['Review result', 'Passed or not, the reason is given; where allowed, correct and resubmit before the deadline.', 'print your admission ticket.'],
        ['Admission ticket', 'Download the ticket (PDF) with one tap inside its window; it shows when and where to sit.', 'sit the exam and wait for the scores.'],
        ['Scores', 'See each subject\'s score and whether you passed.', 'ask for a score review if in doubt.', '/scores.html'],
        ['Score review', 'Ask within the period of the notice; the outcome is shown here.', 'successful candidates receive a certificate.'],
        ['Certificate', 'For qualification exams: download or collect the certificate within its window.', 'done.'],
      ],
    },
  };
  let lang = (document.cookie.match(/(?:^|;\s*)lang=([^;]+)/) || [])[1];
  if (!text[lang]) lang = 'zh-CN';
  const t = (k) => text[lang][k] || text['zh-CN'][k] || k;

  function render() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' · kaowu';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('.lang button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    const ol = document.getElementById('journey');
    ol.replaceChildren(...text[lang].steps.map(([title, what, next, href], i) => {
      const li = document.createElement('li');
      const n = document.createElement('span');
      n.className = 'n';
      n.setAttribute('aria-hidden', 'true');
      n.textContent = String(i + 1);
      const body = document.createElement('div');
      const h = document.createElement('h3');
      const sr = document.createElement('span');
      sr.className = 'vh';
      sr.textContent = t('step').replace('{n}', i + 1) + ' ';
      h.append(sr, title);
      const p = document.createElement('p');
      p.textContent = what;
      const q = document.createElement('p');
      q.className = 'next';
      q.textContent = t('next') + next;
      body.append(h, p, q);
      if (href) {
        // a step open to everyone (the score look-up): its page one tap away
        const a = document.createElement('a');
        a.className = 'cta';
        a.href = href;
        a.textContent = t('go');
        body.append(a);
      }
      li.append(n, body);
      return li;
    }));
  }
  document.querySelectorAll('.lang button').forEach((b) => b.addEventListener('click', () => {
    lang = b.dataset.lang;
    document.cookie = 'lang=' + lang + '; Path=/; Max-Age=31536000; SameSite=Lax';
    render();
  }));
  render();
})();
