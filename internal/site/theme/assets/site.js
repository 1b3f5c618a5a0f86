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

// The Now page keeps itself current without a reload: every build writes
// the page's data as now.json next to it, and this fetches it on load,
// every minute while the tab is visible and whenever the tab becomes
// visible again, and redraws the page when the data's fingerprint differs
// from the one drawn (the page carries it in data-sev-now). A line above
// the page says how old the data is. Data goes into the page as text
// (textContent, never markup); links are the site's own, relative to the
// root, or http(s) chat and call links.
const pollEvery = 60 * 1000;
const staleAfter = 60 * 60 * 1000;

const nowBox = document.querySelector('[data-sev-now]');
if (nowBox) watchNow(nowBox);

function watchNow(box) {
  const view = box.querySelector('[data-sev-now-view]');
  const line = box.querySelector('[data-sev-age]');
  const built = line?.querySelector('time')?.dateTime;
  if (!view || !line || !built) return;
  const state = { shown: box.dataset.sevNow, asOf: new Date(built), zone: box.dataset.timezone, failed: false, busy: false };
  const tick = () => showAge(line, state);
  const refresh = async () => {
    if (state.busy) return;
    state.busy = true;
    try {
      const res = await fetch(root + 'now.json', { cache: 'no-cache' });
      if (!res.ok) throw new Error(`now.json: ${res.status}`);
      const text = await res.text();
      const doc = JSON.parse(text);
      if (doc.schema !== 'sev.now/1' || !Array.isArray(doc.open) || !Array.isArray(doc.mitigated) || !Array.isArray(doc.recent)) {
        throw new Error('now.json: not a sev.now/1 document');
      }
      const print = fnv32(text);
      if (print !== state.shown) {
        redraw(view, doc);
        state.shown = box.dataset.sevNow = print;
      }
      state.asOf = new Date(doc.updated);
      state.zone = doc.timezone;
      state.failed = false;
    } catch {
      state.failed = true; // opened from a folder, offline, or a broken deploy: the page stays as it is
    } finally {
      state.busy = false;
      tick();
    }
  };
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') refresh(); });
  setInterval(() => { if (document.visibilityState === 'visible') refresh(); }, pollEvery);
  setInterval(tick, 15 * 1000);
  refresh();
}

// redraw replaces the page's view; a reader on one of its links stays on
// the same link when it is still there.
function redraw(view, doc) {
  const focused = view.contains(document.activeElement) ? document.activeElement.getAttribute('href') : null;
  view.replaceChildren(...drawNow(doc));
  if (focused) [...view.querySelectorAll('a[href]')].find((a) => a.getAttribute('href') === focused)?.focus();
}

// showAge writes the freshness line: how long ago the data was made, its
// clock time, and plainly when it is stale or could not be checked.
function showAge(line, state) {
  const age = Math.max(0, Date.now() - state.asOf.getTime());
  if (Number.isNaN(age)) return;
  const at = document.createElement('time');
  at.dateTime = state.asOf.toISOString();
  at.title = state.asOf.toISOString().slice(11, 16) + ' UTC';
  at.textContent = clock(state.asOf, state.zone);
  const stale = age > staleAfter;
  line.classList.toggle('stale', stale);
  if (state.failed) {
    line.replaceChildren('Could not check for newer data: showing the data as of ', at, ` (${ago(age)}).`);
  } else if (stale) {
    line.replaceChildren(`Stale: the data is ${ago(age).replace(/ ago$/, '')} old (as of `, at, '); newer changes have not been published.');
  } else {
    line.replaceChildren(`Updated ${ago(age)} · data as of `, at);
  }
}

function ago(ms) {
  const min = Math.floor(ms / 60000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

// clock is a time in the organisation's zone (the reader's, when the
// browser does not know it), with the day when it is not today there.
function clock(t, zone) {
  const fmt = (opts, when = t) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: zone }).format(when);
    } catch {
      return new Intl.DateTimeFormat('en-GB', opts).format(when);
    }
  };
  const day = { year: 'numeric', month: '2-digit', day: '2-digit' };
  const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (fmt(day) === fmt(day, new Date())) return fmt(time);
  return fmt({ ...time, day: 'numeric', month: 'short' });
}

// drawNow is the Now page for a now.json document, as the template draws it.
function drawNow(doc) {
  const out = [hero(doc)];
  if (doc.open.length) {
    const h = el('h2', { id: 'open-h', class: 'visually-hidden' }, 'Open incidents');
    out.push(el('section', { 'aria-labelledby': 'open-h' }, h, el('ol', { class: 'cards' }, ...doc.open.map(card))));
  }
  if (doc.mitigated.length) {
    out.push(el('section', { 'aria-labelledby': 'mit-h' }, el('h2', { id: 'mit-h' }, 'Mitigated, being fixed'), rows(doc.mitigated)));
  }
  if (doc.planned?.length) {
    out.push(el('section', { 'aria-labelledby': 'plan-h' }, el('h2', { id: 'plan-h' }, 'Planned maintenance'), rows(doc.planned)));
  }
  out.push(el('section', { 'aria-labelledby': 'rec-h' }, el('h2', { id: 'rec-h' }, `Resolved in the last ${Number(doc.recent_days)} days`),
    rows(doc.recent), el('p', {}, link('library/', 'The whole library →'))));
  return out;
}

function hero(doc) {
  const n = doc.open.length;
  if (n) {
    const counts = (doc.counts?.open_by_severity ?? []).map((c) => `${c.name}: ${plural(c.open, 'open', 'open')}`).join(' · ');
    return el('section', { class: 'hero on-fire' }, el('h1', {}, `${plural(n, 'incident', 'incidents')} open`), el('p', { class: 'lede' }, counts));
  }
  const m = doc.mitigated.length;
  const lede = 'No open incidents' + (m ? `; ${plural(m, 'incident is', 'incidents are')} mitigated and being fixed` : '') + '.';
  return el('section', { class: 'hero' }, el('h1', {}, 'Nothing is on fire'), el('p', { class: 'lede' }, lede));
}

function card(o) {
  const head = el('div', { class: 'card-head' }, sevBadge(o), ' ', statusBadge(o.status), ' ',
    el('span', { class: 'age', title: 'open since' }, `open ${o.open_for}`));
  const where = [];
  for (const l of o.where ?? []) {
    if (!/^https?:\/\//i.test(l.url)) continue;
    if (where.length) where.push(' · ');
    where.push(el('a', { href: l.url, rel: 'noopener noreferrer' }, l.title || l.kind));
  }
  const facts = el('dl', { class: 'facts' },
    fact('Commander', o.commander ? link(o.commander.href, o.commander.handle) : el('em', {}, 'nobody yet')),
    fact('Where', ...(where.length ? where : ['—'])));
  if (o.services?.length) facts.append(fact('Services', o.services.join(', ')));
  const li = el('li', { class: `card sev-edge-${Number(o.severity)}` }, head, el('h3', {}, link(o.href, o.title)), facts);
  if (o.latest) {
    const at = el('time', { datetime: o.latest.at, title: o.latest.time_title }, o.latest.time);
    li.append(el('p', { class: 'last' }, el('span', { class: 'last-label' }, 'Latest'), ' ', at, ' ', el('strong', {}, o.latest.by), `: ${o.latest.text}`));
  }
  return li;
}

function fact(name, ...value) {
  return el('div', {}, el('dt', {}, name), el('dd', {}, ...value));
}

function rows(list) {
  if (!list.length) return el('ol', { class: 'rows' }, el('li', { class: 'empty' }, 'No incidents.'));
  return el('ol', { class: 'rows' }, ...list.map((r) => {
    const meta = el('p', { class: 'meta' }, `${r.date_text} · `, statusBadge(r.status));
    if (r.services?.length) meta.append(` · ${r.services.join(', ')}`);
    if (r.postmortem) meta.append(` · postmortem ${r.postmortem}`);
    const title = link(r.href, r.title);
    title.classList.add('row-title');
    const li = el('li', { class: 'row' }, sevBadge(r), el('div', { class: 'row-main' }, title, meta));
    if (r.tags?.length) li.append(el('ul', { class: 'chips' }, ...r.tags.map((t) => el('li', {}, t))));
    return li;
  }));
}

function sevBadge(inc) {
  return el('span', { class: `sev sev-${Number(inc.severity)}` }, inc.severity_name);
}

function statusBadge(status) {
  return el('span', { class: `status status-${slug(status)}` }, status);
}

// link is a link to a page of the site, given relative to its root; any
// other address is shown as text.
function link(href, text) {
  if (typeof href !== 'string' || !/^[a-z0-9][a-z0-9._~%\/-]*$/i.test(href)) return el('span', {}, text);
  return el('a', { href: root + href }, text);
}

// el makes an element; its children are elements or text (strings become
// text nodes, never markup).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  e.append(...children.map((c) => (c instanceof Node ? c : String(c ?? ''))));
  return e;
}

function plural(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// slug is the Go side's slug (internal/site), for status class names.
function slug(name) {
  const lower = String(name).toLowerCase();
  let out = '';
  let dash = false;
  for (const ch of lower) {
    if (/^[a-z0-9]$/.test(ch)) {
      out += ch;
      dash = false;
    } else if (!dash && out) {
      out += '-';
      dash = true;
    }
  }
  out = out.replace(/-$/, '');
  if (out === '' || out !== lower) out = `${out}-${fnv32(name)}`.replace(/-$/, '').replace(/^-/, '');
  return out;
}

// fnv32 is FNV-1a of a string's UTF-8 bytes, as 8 hex digits (the Go side
// fingerprints now.json with it).
function fnv32(s) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}
