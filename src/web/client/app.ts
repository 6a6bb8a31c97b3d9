// Every page: the theme switch, and live updates. The server names the project that changed; the
// page fetches its own view again and swaps <main>, so every number still comes from the server.
const root = document.documentElement;
const saved = localStorage.getItem('cairn-theme');
if (saved === 'light' || saved === 'dark') root.dataset.theme = saved;

function currentTheme(): 'light' | 'dark' {
  const t = root.dataset.theme;
  if (t === 'light' || t === 'dark') return t;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function setupTheme(): void {
  const button = document.getElementById('theme');
  if (!button) return;
  const label = () => button.setAttribute('aria-label', `Switch to the ${currentTheme() === 'dark' ? 'light' : 'dark'} theme`);
  label();
  button.addEventListener('click', () => {
    root.dataset.theme = currentTheme() === 'dark' ? 'light' : 'dark';
    localStorage.setItem('cairn-theme', root.dataset.theme);
    label();
    document.dispatchEvent(new CustomEvent('cairn:theme'));
  });
}

function setStatus(text: string, state: string): void {
  const el = document.getElementById('live-status');
  if (!el) return;
  el.textContent = text;
  el.dataset.state = state;
}

let refreshing: Promise<void> | null = null;
let again = false;

async function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (res.status === 401) {
        setStatus('signed out', 'off');
        return;
      }
      if (!res.ok) continue;
      const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
      const next = doc.getElementById('main');
      const main = document.getElementById('main');
      if (next && main) {
        main.replaceChildren(...Array.from(next.childNodes).map((n) => document.importNode(n, true)));
        document.title = doc.title;
        document.dispatchEvent(new CustomEvent('cairn:updated'));
      }
    } while (again);
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function setupLive(): void {
  const watching = document.body.dataset.live ?? '*';
  let lost = false;
  let run: string | null = null;
  const source = new EventSource('/events');
  source.addEventListener('hello', (e) => {
    const { run: id } = JSON.parse((e as MessageEvent<string>).data) as { run: string };
    setStatus('live', 'on');
    // Back after a restart or a dropped connection: what changed meanwhile was not announced.
    if (lost || (run !== null && run !== id)) void refresh();
    run = id;
    lost = false;
  });
  source.addEventListener('change', (e) => {
    const { project } = JSON.parse((e as MessageEvent<string>).data) as { project: string };
    if (watching === '*' || watching === project) void refresh();
  });
  source.addEventListener('error', () => {
    lost = true;
    if (source.readyState === EventSource.CLOSED) {
      // The server answered without a stream (the secret was rotated with --new-token): say so.
      setStatus('disconnected — reopen the address cairn serve printed', 'off');
    } else setStatus('reconnecting…', 'wait');
  });
}

setupTheme();
setupLive();
