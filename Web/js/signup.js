import { api, login } from './api.js';
import { layout, message } from './layout.js';

const { main } = await layout('Sign up');
const form = document.getElementById('signup');
const config = await api('/api/v1/config').catch(() => null);
if (config && !config.signup?.allowed) {
  form.hidden = true;
  message(main, 'This instance does not take new accounts.', 'info');
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  try {
    await api('/api/v1/users/register', { method: 'POST', body: {
      username: data.get('username'), email: data.get('email'), password: data.get('password') } });
    await login(data.get('username'), data.get('password'));
    location.href = '/';
  } catch (error) {
    message(main, error.message);
  }
});
