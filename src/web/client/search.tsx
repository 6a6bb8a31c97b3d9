// A search island: filters the items of a server-rendered list as you type. The list stays in the
// page (and works without this script); this only hides what does not match.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';

function Search({ list }: { list: HTMLElement }) {
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(list.children.length);
  useEffect(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    let n = 0;
    for (const item of Array.from(list.children) as HTMLElement[]) {
      const text = (item.textContent ?? '').toLowerCase();
      const hit = words.every((w) => text.includes(w));
      item.hidden = !hit;
      if (hit) n++;
    }
    setShown(n);
  }, [query, list]);
  return (
    <div class="search">
      <label for={`${list.id}-q`}>Search</label>
      <input id={`${list.id}-q`} type="search" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} placeholder="words to find" />
      <span class="muted" role="status" aria-live="polite">
        {shown} of {list.children.length}
      </span>
    </div>
  );
}

function mount(): void {
  for (const host of Array.from(document.querySelectorAll<HTMLElement>('[data-search-for]'))) {
    const list = document.getElementById(host.dataset.searchFor ?? '');
    if (list) render(<Search list={list} />, host);
  }
}

mount();
document.addEventListener('cairn:updated', mount);
