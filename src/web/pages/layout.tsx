/** The page frame: landmarks, skip link, project navigation, theme switch, the JSON twin link. */
import type { Child } from 'hono/jsx';

export interface Tab {
  key: string;
  label: string;
  href: string;
}

export interface PageProps {
  title: string;
  /** Project name for the header, null on the portfolio. */
  project: { id: string; name: string } | null;
  /** Which tab is current (`portfolio`, `overview`, `roadmap`…). */
  current: string;
  /** The view's JSON twin and the CLI command it equals. */
  twin: { href: string; command: string };
  /** The project id the live updates concern (null: any project, the portfolio). */
  live: string | null;
  /** Extra client modules this page needs (charts, search). */
  scripts?: string[];
  write: boolean;
  children: Child;
}

export function projectTabs(id: string): Tab[] {
  const base = `/p/${id}`;
  return [
    { key: 'overview', label: 'Overview', href: base },
    { key: 'roadmap', label: 'Roadmap', href: `${base}/roadmap` },
    { key: 'velocity', label: 'Velocity', href: `${base}/velocity` },
    { key: 'burnup', label: 'Burn-up', href: `${base}/burnup` },
    { key: 'history', label: 'History', href: `${base}/history` },
    { key: 'checks', label: 'Checks', href: `${base}/checks` },
  ];
}

export function Page(props: PageProps) {
  const tabs = props.project ? projectTabs(props.project.id) : [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{props.title} · Cairn</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/style.css" />
        <script type="module" src="/assets/app.js"></script>
        {(props.scripts ?? []).map((s) => (
          <script type="module" src={`/assets/${s}`}></script>
        ))}
      </head>
      <body data-live={props.live ?? '*'} data-write={props.write ? '1' : '0'}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/" aria-label="Cairn — all projects">
            <img src="/assets/icon.svg" alt="" width="22" height="22" />
            <span>Cairn</span>
          </a>
          {props.project ? (
            <span class="crumb">
              <span aria-hidden="true">/</span> {props.project.name}
            </span>
          ) : null}
          <span class="spacer"></span>
          <span id="live-status" class="live" role="status" aria-live="polite">
            live
          </span>
          <button type="button" id="theme" class="theme" aria-label="Switch light or dark theme">
            ◐
          </button>
        </header>
        {tabs.length ? (
          <nav class="tabs" aria-label="Project views">
            <ul>
              {tabs.map((t) => (
                <li>
                  <a href={t.href} aria-current={t.key === props.current ? 'page' : undefined}>
                    {t.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer class="foot">
          <span>
            Same data as <code>{props.twin.command}</code>: <a href={props.twin.href}>{props.twin.href}</a>
          </span>
          <span>{props.write ? 'writes enabled (--write)' : 'read-only'}</span>
        </footer>
      </body>
    </html>
  );
}

/** A stand-alone message page (sign-in, not found) in the same frame, without navigation. */
export function MessagePage({ title, children }: { title: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title} · Cairn</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/style.css" />
        <script type="module" src="/assets/auth.js"></script>
      </head>
      <body>
        <header class="top">
          <span class="brand">
            <img src="/assets/icon.svg" alt="" width="22" height="22" />
            <span>Cairn</span>
          </span>
        </header>
        <main id="main" class="message">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}
