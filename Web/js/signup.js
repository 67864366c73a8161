import { api, login } from './api.js';
import { layout, message } from './layout.js';

const { main } = await layout('Sign up');
const form = document.getElementById('signup');
// The form stays hidden unless the instance takes new accounts.
const config = await api('/api/v1/config').catch(() => null);
if (config?.signup?.allowed) {
  form.hidden = false;
} else {
  main.querySelector('h1').textContent = 'Sign-up is closed';
  message(main, config ? 'This instance does not take new accounts. Ask its administrator for one.'
    : 'The instance could not be reached; try again later.', 'info');
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
