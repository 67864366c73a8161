import { login } from './api.js';
import { layout, message } from './layout.js';

const { main } = await layout('Log in');
const form = document.getElementById('login');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  try {
    await login(data.get('username'), data.get('password'));
    location.href = new URLSearchParams(location.search).get('next') || '/';
  } catch (error) {
    message(main, error.message);
  }
});
