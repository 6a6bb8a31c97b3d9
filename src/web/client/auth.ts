// Exchanges the one-time token in the URL fragment for the session cookie, then drops the
// fragment from the address bar and history before reloading.
const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
const message = document.getElementById('auth-message');
if (match) {
  history.replaceState(null, '', location.pathname + location.search);
  fetch('/auth', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Cairn-Request': '1' },
    body: JSON.stringify({ token: match[1] }),
    credentials: 'same-origin',
  })
    .then((r) => {
      if (r.ok) location.reload();
      else if (message) message.textContent = 'This token is not the one of the running server. Open the address `cairn serve` printed last.';
    })
    .catch(() => {
      if (message) message.textContent = 'The server did not answer. Is `cairn serve` still running?';
    });
}
