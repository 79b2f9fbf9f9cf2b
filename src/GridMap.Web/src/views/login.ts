// #/login 登录: a page of its own. After signing in, back to the view that sent the user here (signInRoute.ts).
import { ApiError, humanMessage } from '../api/problem';
import { message } from '../api/messages';
import { session } from '../api/session';
import { routeAfterSignIn } from '../api/signInRoute';
import { h } from '../ui/dom';
import type { View } from './view';

export const login: View = {
  title: '登录',
  async mount(root) {
    session.forget();
    const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true, 'data-testid': 'login-username' });
    const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
    const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'login-submit' }, '登录');
    const error = h('p', { class: 'login-error', role: 'alert', 'data-testid': 'login-error', hidden: true });
    const form = h(
      'form',
      { class: 'login-form', 'data-testid': 'login-form', novalidate: true },
      h('h2', {}, '登录 GridMap'),
      h('label', { for: 'login-username' }, '用户名'),
      username,
      h('label', { for: 'login-password' }, '密码'),
      password,
      error,
      submit,
      h('p', { class: 'login-hint', 'data-testid': 'login-hint' }, '演示账号与密码见服务器日志中提到的文件（scripts/run 生成的 .run/demo-users.txt）'),
    );
    const say = (text: string | null) => {
      error.textContent = text ?? '';
      error.hidden = text === null;
    };
    let alive = true;
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const name = username.value.trim();
      if (name === '' || password.value === '') return say(message('form-login'));
      say(null);
      submit.disabled = true;
      submit.textContent = '正在登录…';
      void session
        .signIn(name, password.value)
        .then((me) => {
          // Grid staff land on their phone view (#/staff) unless the sign-in page was given somewhere else to return to.
          const next = routeAfterSignIn();
          if (alive) location.hash = `#${next === '/' && me.role === 'staff' ? '/staff' : next}`;
        })
        .catch((e) => {
          if (!alive) return;
          say(humanMessage(e));
          if (e instanceof ApiError && e.rule === 'invalid-credentials') password.select();
        })
        .finally(() => {
          submit.disabled = false;
          submit.textContent = '登录';
        });
    });
    root.replaceChildren(h('div', { class: 'login-page' }, form));
    username.focus();
    return () => {
      alive = false;
    };
  },
};
