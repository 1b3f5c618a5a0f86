// The search page of sev's site: the form, the results and the URL. See
// the HTML contract at the top of search.js, which loads this module.
// Everything from the index is inserted with textContent and
// createElement: incident text is written by people and may be hostile.

const FILTERS = ["sev", "status", "tag", "org", "year"];
const DEBOUNCE_MS = 120;

export async function mount(root, { search, facets }) {
  const form = root.querySelector("form[data-sev-search]");
  if (!form || form.dataset.sevMounted) return;
  form.dataset.sevMounted = "1";
  const input = form.querySelector("input[name=q]");
  const list = root.querySelector("[data-sev-results]");
  const status = root.querySelector("[data-sev-status]");
  const more = root.querySelector("[data-sev-more]");
  const selects = FILTERS.map(f => form.querySelector(`select[name=${f}]`)).filter(Boolean);
  const opts = { limit: Number(form.dataset.limit) || 10 };
  if (form.dataset.base) opts.base = form.dataset.base;
  if (form.dataset.index) opts.index = form.dataset.index;
  let run = 0, offset = 0, timer = 0;

  const say = text => { if (status) status.textContent = text; };
  const state = () => {
    const filters = {};
    for (const s of selects) if (s.value) filters[s.name] = s.value;
    return { q: input ? input.value : "", filters };
  };

  async function go(append) {
    const me = ++run, { q, filters } = state();
    saveURL(q, filters);
    offset = append ? offset + opts.limit : 0;
    if (!append) list.replaceChildren();
    if (more) more.hidden = true;
    if (!q.trim() && Object.keys(filters).length === 0) { say(""); return; }
    say("Searching…");
    try {
      const r = await search(q, { ...opts, filters, offset });
      if (me !== run) return; // a newer search started
      for (const x of r.results) list.append(item(x));
      const n = r.total;
      say(n === 0 ? "No results" : `${r.anyWord ? "No incident has all the words; these have some of them: " : ""}${r.approx ? "about " : ""}${n} result${n === 1 ? "" : "s"}`);
      if (more) more.hidden = offset + r.results.length >= n;
    } catch (e) {
      if (me === run) say(`Search is unavailable: ${e.message}`);
    }
  }

  form.addEventListener("submit", e => { e.preventDefault(); clearTimeout(timer); go(false); });
  input?.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => go(false), DEBOUNCE_MS); });
  for (const s of selects) s.addEventListener("change", () => go(false));
  more?.addEventListener("click", () => go(true));
  keyboard(input, list);

  readURL(input, selects);
  try {
    await fillSelects(selects, facets, opts);
  } catch (e) {
    say(`Search is unavailable: ${e.message}`);
    return;
  }
  readURL(input, selects); // again: the options exist now
  if (input?.value || selects.some(s => s.value)) await go(false);
}

// fillSelects adds an option per value of the index to each select.
async function fillSelects(selects, facets, opts) {
  if (selects.length === 0) return;
  const values = await facets(opts);
  for (const s of selects) {
    for (const f of values[s.name] ?? []) {
      const o = document.createElement("option");
      o.value = f.v;
      o.textContent = `${f.l || f.v} (${f.n})`;
      s.append(o);
    }
  }
}

function readURL(input, selects) {
  const p = new URLSearchParams(location.search);
  if (input && p.has("q")) input.value = p.get("q");
  for (const s of selects) if (p.has(s.name)) s.value = p.get(s.name);
}

function saveURL(q, filters) {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  for (const [k, v] of Object.entries(filters)) p.set(k, v);
  const s = p.toString();
  history.replaceState(history.state, "", s ? `?${s}` : location.pathname);
}

// item renders one result.
function item(r) {
  const li = el("li", "sev-result");
  const a = el("a", "sev-result-title");
  a.href = r.url;
  marked(a, r.titleParts);
  const meta = el("p", "sev-result-meta");
  if (r.sevName || r.severity) meta.append(el("span", `sev-badge sev-sev-${cls(r.severity)}`, r.sevName || `SEV${r.severity}`), " ");
  if (r.status) meta.append(el("span", `sev-status sev-status-${cls(r.status)}`, r.status), " ");
  if (r.date) {
    const t = el("time", "", r.date.slice(0, 10));
    t.dateTime = r.date;
    meta.append(t);
  }
  for (const tag of r.tags) meta.append(" ", el("span", "sev-tag", tag));
  li.append(a, meta);
  if (r.snippet.length > 0) {
    const p = el("p", "sev-result-snippet");
    p.append(el("span", "sev-result-where", r.section), " ");
    marked(p, r.snippet);
    li.append(p);
  }
  return li;
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function marked(parent, parts) {
  for (const x of parts) parent.append(x.hit ? el("mark", "", x.text) : document.createTextNode(x.text));
}

// cls makes a value safe as part of a class name.
function cls(v) { return String(v).toLowerCase().replace(/[^a-z0-9-]+/g, "-"); }

// keyboard: ArrowDown from the box to the first result, ArrowUp and
// ArrowDown between results, ArrowUp from the first back to the box.
function keyboard(input, list) {
  const links = () => [...list.querySelectorAll("a.sev-result-title")];
  input?.addEventListener("keydown", e => {
    if (e.key === "ArrowDown" && links().length > 0) { e.preventDefault(); links()[0].focus(); }
  });
  list.addEventListener("keydown", e => {
    const ls = links(), i = ls.indexOf(document.activeElement);
    if (i < 0 || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
    e.preventDefault();
    if (e.key === "ArrowDown") ls[Math.min(i + 1, ls.length - 1)].focus();
    else if (i === 0) input?.focus();
    else ls[i - 1].focus();
  });
}
