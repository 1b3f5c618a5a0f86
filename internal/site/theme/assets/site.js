// Progressive enhancement only: every page works without this file.
// "/" jumps to search from anywhere (as on GitHub and GitLab), unless the
// reader is typing in a field.
const root = document.querySelector('link[rel="stylesheet"]')?.getAttribute('href')?.replace(/assets\/style\.css$/, '') ?? '';

document.addEventListener('keydown', (ev) => {
  if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const box = document.querySelector('[data-sev-search] input[name="q"]');
  ev.preventDefault();
  if (box) box.focus();
  else location.href = root + 'search/';
});
