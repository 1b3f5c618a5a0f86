// sev's site search: an ES module with no dependencies, no WebAssembly
// and no eval, for a strict Content-Security-Policy (script-src 'self';
// no inline script or style: the page styles the classes below). It reads
// the static index internal/sitesearch writes (see its FORMAT.md),
// fetching only the manifest, the shards of the query's terms, the facet
// files of the filters chosen and the fragments of the results shown.
//
// Programmatic API:
//
//   search(query, {filters, limit = 10, offset = 0, base, index, fetch, prefix = true})
//     -> {results: [{id, url, title, titleParts, date, severity, sevName,
//                    status, tags, orgs, section, snippet, score}],
//         total, approx, anyWord, ms}
//
//   query: words (all must match; ranked by BM25), "a phrase" (words next
//   to each other, checked against the incident's text), -word and
//   -"a phrase" (must not match), and sev:1, severity:SEV1, status:open,
//   tag:x, org:y, year:2026 filters (-tag:x: not that tag; tag:x,y: either;
//   tag:"two words"). The last word matches as a prefix
//   while it is being typed ("rollb" finds rollback) unless prefix is
//   false or the query ends with a space; exact matches rank first. A
//   query of filters only lists the incidents newest first.
//   filters: {sev|severity, status, tag, org, year: value or [values]}
//   (values of one field: any of them; fields: all of them); a severity
//   is its level or its name.
//   base: the site's root URL, prefixed to the incidents' URLs (default:
//   the folder above this module's); index: the index folder (default:
//   base + "search/"); fetch: a fetch function (tests read files).
//   snippet: [{text, hit}] around the best match in section (a label such
//   as "Timeline 14:31"); titleParts the same for the title; total: how
//   many incidents match; approx: true when phrases were checked for only
//   the first candidates, and total counts the rest unchecked; anyWord:
//   true when no incident had every word and these have any of them (the
//   most words first), as sev search falls back; ms: the
//   time the search took.
//
// mount(root = document) wires a search page. The HTML contract:
//
//   <form data-sev-search [data-base="/"] [data-index="/search/"] [data-limit="10"]>
//     <input type="search" name="q">
//     <select name="sev|status|tag|org|year"><option value="">Any</option></select>  (each optional)
//   </form>
//   <p data-sev-status aria-live="polite"></p>   "12 results", "No results", errors
//   <ol data-sev-results></ol>                   the results, as below
//   <button type="button" data-sev-more hidden>More results</button>   (optional)
//
// The selects get an option per value of the index with its count
// ("SEV1 (12)"); the options already there are kept. Typing searches
// after a pause, changing a select at once; the query and filters are
// kept in the page's URL (?q=...&tag=...) and read from it on load.
// ArrowDown from the box moves through the results, ArrowUp back. A
// result is:
//
//   <li class="sev-result">
//     <a class="sev-result-title" href="URL">title, matches in <mark></a>
//     <p class="sev-result-meta"><span class="sev-badge sev-sev-1">SEV1</span>
//       <span class="sev-status sev-status-resolved">resolved</span>
//       <time datetime="...">2026-03-02</time> <span class="sev-tag">payments</span>...</p>
//     <p class="sev-result-snippet"><span class="sev-result-where">Timeline 14:31</span>
//       … text with <mark>matches</mark> …</p>
//   </li>
//
// The module mounts itself on a page that has a form[data-sev-search].
// Text from the index is only ever inserted as text nodes.

import { analyze, lower, WORD, IDENT, PART } from "./analyze.js";

const FORMAT = 1;
const FIELDS = { sev: "sev", severity: "sev", status: "status", tag: "tag", org: "org", year: "year" };
const MAX_EXPANSIONS = 30, MAX_PREFIX_SHARDS = 3, VERIFY_BUDGET = 100, SNIPPET = 200;

const stores = new Map();
const defaultFetch = (url, init) => fetch(url, init);

// store returns the index at url, loaded once per page.
function store(url, fetchFn) {
  let s = stores.get(url);
  if (!s || s.fetchFn !== fetchFn) stores.set(url, s = new Store(url, fetchFn));
  return s;
}

class Store {
  constructor(url, fetchFn) {
    this.url = url; this.fetchFn = fetchFn; this.files = new Map();
  }
  async bytes(name, fresh) {
    const res = await this.fetchFn(this.url + name, fresh ? { cache: "no-cache" } : {});
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
    let b = new Uint8Array(await res.arrayBuffer());
    if (b[0] === 0x1f && b[1] === 0x8b) { // gzip, unless the server already took it off
      const s = new Blob([b]).stream().pipeThrough(new DecompressionStream("gzip"));
      b = new Uint8Array(await new Response(s).arrayBuffer());
    }
    return b;
  }
  // file fetches, decodes and remembers a file of the index.
  file(name, decode) {
    let p = this.files.get(name);
    if (!p) {
      p = this.manifest().then(m => this.bytes(`${name}?v=${m.version}`)).then(decode);
      p.catch(() => this.files.delete(name));
      this.files.set(name, p);
    }
    return p;
  }
  manifest() {
    return this.m ??= this.bytes("manifest.bin", true).then(b => {
      const m = JSON.parse(new TextDecoder().decode(b));
      if (m.format !== FORMAT) throw new Error(`the search index has format ${m.format}, this page reads ${FORMAT}`);
      return m;
    }).catch(e => { this.m = null; throw e; });
  }
  shard(i) { return this.file(`t/${i}.bin`, decodeShard); }
  facet(field, i) { return this.file(`facet/${field}/${i}.bin`, decodeSet); }
  fragment(n, bucket) {
    return this.file(`f/${Math.floor(n / bucket)}/${n}.bin`, b => JSON.parse(new TextDecoder().decode(b)));
  }
}

// Compare strings in code point order, the byte order of their UTF-8,
// which is the order of the terms in the index.
export function cmp(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) { // surrogates sort after U+E000..U+FFFF
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

function reader(b) {
  let p = 0;
  return {
    uv() { let x = 0, s = 1, c; do { c = b[p++]; x += (c & 127) * s; s *= 128; } while (c & 128); return x; },
    get pos() { return p; }, skip(n) { p += n; },
  };
}

const utf8 = new TextDecoder();

// decodeShard reads a shard's terms, document frequencies and where each
// term's postings are; the postings are decoded when asked for.
export function decodeShard(b) {
  const r = reader(b), n = r.uv(), terms = new Array(n), df = new Uint32Array(n), off = new Uint32Array(n + 1);
  let prev = new Uint8Array(0), prevStr = "";
  for (let i = 0; i < n; i++) {
    const shared = r.uv(), len = r.uv(), at = r.pos;
    const suf = b.subarray(at, at + len);
    r.skip(len);
    const cur = new Uint8Array(shared + len);
    cur.set(prev.subarray(0, shared)); cur.set(suf, shared);
    terms[i] = cur.every(c => c < 128) && prevStr.length >= shared
      ? prevStr.slice(0, shared) + String.fromCharCode(...suf) : utf8.decode(cur);
    prev = cur; prevStr = terms[i];
  }
  let o = 0;
  for (let i = 0; i < n; i++) { df[i] = r.uv(); off[i] = o; o += r.uv(); }
  off[n] = o;
  const base = r.pos;
  return {
    terms, df,
    find(t) { const i = lowerBound(terms, t); return i < n && terms[i] === t ? i : -1; },
    postings(i) {
      const p = reader(b.subarray(base + off[i], base + off[i + 1])), docs = new Uint32Array(df[i]);
      for (let k = 0, d = 0; k < df[i]; k++) docs[k] = d += p.uv();
      return { docs, scores: b.subarray(base + off[i] + p.pos, base + off[i + 1]) };
    },
  };
}

function lowerBound(list, t) {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (cmp(list[mid], t) < 0) lo = mid + 1; else hi = mid; }
  return lo;
}

// decodeSet reads a facet file: a list of document number gaps or a bitmap.
export function decodeSet(b) {
  const out = [];
  if (b[0] === 1) {
    for (let i = 1; i < b.length; i++) for (let bit = 0; bit < 8; bit++) if (b[i] & (1 << bit)) out.push((i - 1) * 8 + bit);
    return Uint32Array.from(out);
  }
  const r = reader(b.subarray(1)), n = r.uv(), docs = new Uint32Array(n);
  for (let k = 0, d = 0; k < n; k++) docs[k] = d += r.uv();
  return docs;
}

// parse splits a query into units that must match (or must not), and
// filters to keep or exclude. A unit is {terms: [{term, pos}], ident, neg,
// prefix, raw}: a word, a phrase (several terms, at their positions), or
// an identifier (ident, with its parts as the terms); prefix marks the
// word being typed, raw is its text in lower case.
export function parse(query, prefix = true, synonyms = []) {
  const units = [], filters = {}, exclude = {}, run = [], runs = [], words = [];
  let seq = 0;
  const re = /(-?)(?:([A-Za-z]+):)?(?:"([^"]*)"?|([^\s"]+))/g;
  let m;
  while ((m = re.exec(query)) !== null) {
    const [, minus, key, quoted, bare] = m;
    const neg = minus === "-", text = quoted ?? bare;
    const field = key && FIELDS[key.toLowerCase()];
    if (field && text) { ((neg ? exclude : filters)[field] ??= []).push(...text.split(",")); continue; }
    // the unquoted words in the order typed, as sev search reads them:
    // a phrase or a -word ends a run
    if (quoted !== undefined || neg) { runs.push(run.splice(0)); seq++; } else run.push(key && !field ? `${key}:${text}` : text);
    const full = key && !field ? `${key}:${text}` : text;
    const word = quoted === undefined && !neg ? { norm: normal(full), raw: full, seq, from: units.length } : null;
    if (word) words.push(word);
    const toks = analyze(full);
    if (quoted !== undefined && !(toks.length > 1 && toks[0].kind === IDENT && toks.every((t, i) => i === 0 || t.kind === PART))) {
      const ts = toks.filter(t => t.kind !== IDENT);
      if (ts.length > 0) units.push({ terms: ts.map(t => ({ term: t.term, pos: t.pos })), neg });
      continue;
    }
    const last = prefix && quoted === undefined && !neg && re.lastIndex === query.length;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i], raw = lower(full.slice(t.start, t.end));
      if (t.kind === IDENT) {
        const parts = [];
        while (i + 1 < toks.length && toks[i + 1].kind === PART && toks[i + 1].start < t.end) parts.push(toks[++i]);
        units.push({ ident: t.term, terms: parts.map(p => ({ term: p.term, pos: p.pos })), neg, prefix: last && i === toks.length - 1, raw });
      } else {
        units.push({ terms: [{ term: t.term, pos: t.pos }], neg, prefix: last && i === toks.length - 1, raw });
      }
    }
  }
  runs.push(run.splice(0));
  for (let i = 0; i < words.length; i++) words[i].to = i + 1 < words.length ? words[i + 1].from : units.length;
  expandSynonyms(units, words, synonyms);
  return { units, filters, exclude, runs: runs.filter(r => r.length > 1) };
}

// normal is a word as synonyms compare it: its stem when it is one
// ordinary word, else in lower case (sev search's searchtext.normal).
function normal(w) {
  const t = analyze(w);
  return t.length === 1 && t[0].kind === WORD ? t[0].term : lower(w);
}

// expandSynonyms replaces each run of unquoted words that is a synonym
// group's word or phrase (the longest first) by a unit that any of the
// group satisfies: the words as typed (a phrase if several) or another
// member (a phrase if it has spaces) — as sev search's Synonyms.Expand.
function expandSynonyms(units, words, synonyms) {
  const groups = (synonyms ?? []).map(g => g.map(text => ({ text: text.trim(), words: text.trim().split(/\s+/).filter(Boolean).map(normal) }))
    .filter(x => x.words.length > 0)).filter(g => g.length > 1);
  const repl = [];
  for (let i = 0; i < words.length;) {
    let best = null;
    for (const g of groups) {
      g.forEach((x, k) => {
        const n = x.words.length;
        if ((best && n <= best.n) || i + n > words.length) return;
        for (let j = 0; j < n; j++) if (words[i + j].seq !== words[i].seq || words[i + j].norm !== x.words[j]) return;
        best = { g, k, n };
      });
    }
    if (!best) { i++; continue; }
    const typed = words.slice(i, i + best.n).map(w => w.raw).join(" ");
    const alts = [typed, ...best.g.filter((_, j) => j !== best.k).map(x => x.text)]
      .map((t, j) => parse(j === 0 ? (best.n > 1 ? `"${t}"` : t) : (t.includes(" ") ? `"${t}"` : t), false).units)
      .filter(us => us.length === 1).map(us => us[0]);
    repl.push({ from: words[i].from, to: words[i + best.n - 1].to, unit: { group: alts, neg: false } });
    i += best.n;
  }
  for (const r of repl.reverse()) units.splice(r.from, r.to - r.from, r.unit);
}

// AS_WRITTEN is how many of the best candidates are read to find those
// with the words together as typed.
const AS_WRITTEN = 30;

// asWrittenFirst moves the candidates whose text has the words of each
// run together as typed (stop words as gaps) to the front, keeping the
// order otherwise: sev search lists those first too. Only the best
// AS_WRITTEN candidates are read.
async function asWrittenFirst(st, m, cands, runs) {
  const phrases = runs.map(r => analyze(r.join(" ")).filter(t => t.kind !== PART).map(t => ({ term: t.term, pos: t.pos })))
    .filter(ts => ts.length > 1);
  if (phrases.length === 0) return cands;
  const head = cands.slice(0, AS_WRITTEN);
  const frags = await Promise.all(head.map(c => st.fragment(c.d, m.bucket)));
  const yes = [], no = [];
  head.forEach((c, k) => (phrases.every(p => hasPhrase(fragmentTexts(frags[k]), p)) ? yes : no).push(c));
  return [...yes, ...no, ...cands.slice(AS_WRITTEN)];
}

// shardOf is the shard whose term range holds t.
function shardOf(m, t) { return Math.max(0, lowerBound(m.shards, t + "\0") - 1); }

// lookup finds a term's postings: {df, docs, scores} or null.
async function lookup(st, m, t) {
  if (m.shards.length === 0) return null;
  const s = await st.shard(shardOf(m, t)), i = s.find(t);
  return i < 0 ? null : { term: t, df: s.df[i], ...s.postings(i) };
}

// expand finds up to MAX_EXPANSIONS terms starting with one of prefixes,
// the most frequent first, leaving out the exact term.
async function expand(st, m, prefixes, exact) {
  const found = new Map();
  for (const p of prefixes) {
    if (p.length < 2 || m.shards.length === 0) continue;
    const first = shardOf(m, p), last = Math.min(shardOf(m, p + "\u{10ffff}"), first + MAX_PREFIX_SHARDS - 1);
    const shards = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => st.shard(first + i)));
    for (const s of shards) {
      for (let k = lowerBound(s.terms, p); k < s.terms.length && s.terms[k].startsWith(p); k++) {
        if (s.terms[k] !== exact) found.set(s.terms[k], [s, k]);
      }
    }
  }
  return [...found].sort((a, b) => b[1][0].df[b[1][1]] - a[1][0].df[a[1][1]]).slice(0, MAX_EXPANSIONS)
    .map(([term, [s, k]]) => ({ term, df: s.df[k], ...s.postings(k) }));
}

// resolve turns a unit into its postings: {lists: [{...postings, w}],
// all: whether every list must match (a phrase) or any (a word and its
// expansions), verify: the phrase to check in the text, or null}.
async function resolve(st, m, u) {
  if (u.group) return { group: await Promise.all(u.group.map(a => resolve(st, m, a))), checks: new Map() };
  if (u.ident !== undefined) {
    const exact = await lookup(st, m, u.ident);
    const more = u.prefix ? await expand(st, m, [u.raw], u.ident) : [];
    const lists = [exact && { ...exact, w: 1 }, ...more.map(p => ({ ...p, w: 0.5 }))].filter(Boolean);
    if (lists.length > 0) return { lists, all: false, verify: null };
  }
  if (u.terms.length > 1 || u.ident !== undefined) {
    const lists = await Promise.all(u.terms.map(t => lookup(st, m, t.term)));
    if (lists.some(l => l === null)) return { lists: [], all: true, verify: null };
    return { lists: lists.map(l => ({ ...l, w: 1 })), all: true, verify: u.terms };
  }
  const t = u.terms[0].term, exact = await lookup(st, m, t);
  const more = u.prefix ? await expand(st, m, [...new Set([t, u.raw])], t) : [];
  return { lists: [exact && { ...exact, w: 1 }, ...more.map(p => ({ ...p, w: 0.5 }))].filter(Boolean), all: false, verify: null };
}

// match scores the documents of a resolved unit: a Map doc → [score, exact].
function match(r, n, k1) {
  if (r.group) {
    // any member: its best score; checks says, by document, which phrases
    // could justify it (null: a member that needs no check matched)
    const out = new Map();
    for (const a of r.group) {
      for (const [d, [s, exact]] of match(a, n, k1)) {
        const o = out.get(d);
        if (!o || o[0] < s) out.set(d, [s, exact]);
        const c = r.checks.get(d);
        if (!a.verify) r.checks.set(d, null);
        else if (c !== null) r.checks.set(d, [...(c ?? []), a.verify]);
      }
    }
    return out;
  }
  const idf = df => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  let out = null;
  for (const l of r.lists) {
    const w = idf(l.df) * l.w * (k1 + 1) / 255, cur = new Map();
    for (let i = 0; i < l.docs.length; i++) {
      const d = l.docs[i], s = w * l.scores[i], exact = l.w === 1;
      if (!r.all) {
        const o = out?.get(d);
        if (!o || o[1] < exact || (o[1] === exact && o[0] < s)) (out ??= new Map()).set(d, [s, exact]);
      } else if (out === null || out.has(d)) cur.set(d, [(out?.get(d)?.[0] ?? 0) + s, true]);
    }
    if (r.all) out = cur;
  }
  return out ?? new Map();
}

async function filterSet(st, m, filters) {
  let set = null;
  for (const [key, v] of Object.entries(filters ?? {})) {
    const field = FIELDS[key.toLowerCase()];
    const values = (Array.isArray(v) ? v : [v]).map(x => String(x).toLowerCase()).filter(x => x !== "");
    if (!field) throw new Error(`unknown filter ${key}; filters are ${Object.keys(FIELDS).join(", ")}`);
    if (values.length === 0) continue;
    const idx = (m.facets[field] ?? []).flatMap((f, i) =>
      values.includes(f.v.toLowerCase()) || values.includes((f.l ?? "").toLowerCase()) ? [i] : []);
    const union = new Set();
    for (const docs of await Promise.all(idx.map(i => st.facet(field, i)))) for (const d of docs) union.add(d);
    set = set === null ? union : new Set([...set].filter(d => union.has(d)));
  }
  return set;
}

// search runs a query; see the comment at the top.
export async function search(query, opts = {}) {
  const t0 = performance.now();
  const { base, st } = open(opts);
  const limit = opts.limit ?? 10, offset = opts.offset ?? 0;
  const m = await st.manifest();
  const q = parse(query ?? "", opts.prefix ?? true, m.synonyms);
  const filters = { ...(opts.filters ?? {}) };
  for (const [f, vs] of Object.entries(q.filters)) filters[f] = [...[filters[f] ?? []].flat(), ...vs];
  const [allowed, pos, neg] = await Promise.all([filterSet(st, m, filters),
    Promise.all(q.units.filter(u => !u.neg).map(u => resolve(st, m, u))),
    Promise.all(q.units.filter(u => u.neg).map(u => resolve(st, m, u)))]);
  let cands;
  if (pos.length === 0) { // newest first: documents are numbered oldest first
    cands = [];
    for (let d = m.docs - 1; d >= 0; d--) if (!allowed || allowed.has(d)) cands.push({ d, s: 0, exact: true });
  } else {
    let acc = null;
    for (const r of pos) {
      const got = match(r, m.docs, m.k1), next = new Map();
      for (const [d, [s, exact]] of got) {
        const o = acc === null ? [0, true] : acc.get(d);
        if (o && (!allowed || allowed.has(d))) next.set(d, [o[0] + s, o[1] && exact]);
      }
      acc = next;
    }
    cands = [...acc].map(([d, [s, exact]]) => ({ d, s, exact }));
  }
  // nothing has every word: those with any of them, the most words first
  // (sev search does the same, and says so)
  let anyWord = false;
  if (cands.length === 0 && pos.length > 1) {
    const acc = new Map();
    for (const r of pos) {
      for (const [d, [s]] of match(r, m.docs, m.k1)) {
        if (allowed && !allowed.has(d)) continue;
        const o = acc.get(d) ?? [0, 0];
        acc.set(d, [o[0] + s, o[1] + 1]);
      }
    }
    cands = [...acc].map(([d, [s, n]]) => ({ d, s: s * n, exact: true }));
    anyWord = true;
  }
  for (const [f, vs] of Object.entries(q.exclude)) {
    const out = await filterSet(st, m, { [f]: vs });
    cands = cands.filter(c => !out.has(c.d));
  }
  const phrases = anyWord ? [] : pos.filter(r => r.verify), negPhrases = [];
  for (const r of neg) {
    const got = match(r, m.docs, m.k1);
    if (r.verify) negPhrases.push({ r, docs: got });
    else cands = cands.filter(c => !got.has(c.d));
  }
  if (pos.length > 0) cands.sort((a, b) => (b.exact - a.exact) || (b.s - a.s) || (b.d - a.d));
  if (q.runs.length > 0 && !anyWord) cands = await asWrittenFirst(st, m, cands, q.runs);
  const groups = anyWord ? [] : pos.filter(r => r.group);
  const page = await verified(st, m, cands, offset + limit, phrases.map(r => r.verify),
    c => negPhrases.filter(p => p.docs.has(c.d)).map(p => p.r.verify), c => groups.map(g => g.checks.get(c.d)).filter(Boolean));
  const shown = page.found.slice(offset, offset + limit);
  const hits = highlightTerms(pos, m.docs);
  const results = await Promise.all(shown.map(async c => result(await st.fragment(c.d, m.bucket), c, hits, base)));
  return { results, total: page.total, approx: page.approx, anyWord, ms: performance.now() - t0 };
}

function open(opts) {
  const base = withSlash(opts.base ?? new URL("..", import.meta.url).href);
  return { base, st: store(withSlash(opts.index ?? base + "search/"), opts.fetch ?? defaultFetch) };
}

function withSlash(u) { return u.endsWith("/") ? u : u + "/"; }

// facets returns the filters' values with their labels and counts, by
// field: {sev: [{v: "1", l: "SEV1", n: 12}], status: [...], ...}.
export async function facets(opts = {}) {
  return (await open(opts).st.manifest()).facets;
}

// verified walks the candidates in order, checking phrases against the
// fragments' text, until want results are found or VERIFY_BUDGET
// fragments have been read.
async function verified(st, m, cands, want, phrases, negOf, anyOf = () => []) {
  const needs = c => phrases.length > 0 || negOf(c).length > 0 || anyOf(c).length > 0;
  if (!cands.some(needs)) return { found: cands.slice(0, want), total: cands.length, approx: false };
  const found = [];
  let i = 0, fetched = 0;
  while (i < cands.length && found.length < want && fetched < VERIFY_BUDGET) {
    const batch = cands.slice(i, i + want - found.length);
    i += batch.length;
    const frags = await Promise.all(batch.map(c => needs(c) ? (fetched++, st.fragment(c.d, m.bucket)) : null));
    batch.forEach((c, k) => {
      if (!frags[k]) { found.push(c); return; }
      const text = fragmentTexts(frags[k]);
      if (phrases.every(p => hasPhrase(text, p)) && !negOf(c).some(p => hasPhrase(text, p)) &&
        anyOf(c).every(ps => ps.some(p => hasPhrase(text, p)))) found.push(c);
    });
  }
  const unchecked = cands.length - i;
  return { found, total: found.length + unchecked, approx: unchecked > 0 };
}

function fragmentTexts(f) {
  return [f.title, (f.tags ?? []).concat(f.services ?? [], f.orgs ?? []).join(" "), ...f.s.map(s => s[1])];
}

// hasPhrase reports whether a text has the terms at the same distances.
export function hasPhrase(texts, terms) {
  for (const text of texts) {
    const at = new Map();
    for (const t of analyze(text)) (at.get(t.pos) ?? at.set(t.pos, new Set()).get(t.pos)).add(t.term);
    const first = terms[0];
    for (const [p, set] of at) {
      if (set.has(first.term) && terms.every(t => at.get(p + t.pos - first.pos)?.has(t.term))) return true;
    }
  }
  return false;
}

// highlightTerms maps the terms that matched to their idf.
function highlightTerms(pos, n) {
  const out = new Map();
  const add = r => r.group ? r.group.forEach(add) : r.lists.forEach(l => out.set(l.term, Math.log(1 + (n - l.df + 0.5) / (l.df + 0.5))));
  pos.forEach(add);
  return out;
}

function result(f, c, hits, base) {
  const best = bestSection(f.s, hits);
  return {
    id: f.id, url: base + f.url, title: f.title, titleParts: parts(f.title, marks(f.title, hits), 0, f.title.length),
    date: f.date ?? null, severity: f.sev, sevName: f.sevName ?? "", status: f.status ?? "", tags: f.tags ?? [],
    orgs: f.orgs ?? [], section: best?.label ?? "", snippet: best?.snippet ?? [], score: c.s,
  };
}

// marks are the spans of text whose terms are among hits, without overlaps.
function marks(text, hits) {
  const out = [];
  for (const t of analyze(text)) {
    if (!hits.has(t.term)) continue;
    const prev = out[out.length - 1];
    if (prev && t.start < prev.end) continue; // a part of an identifier already marked
    out.push({ start: t.start, end: t.end, term: t.term });
  }
  return out;
}

// bestSection picks the section whose matches weigh most and cuts a
// snippet around its densest stretch of matches.
function bestSection(sections, hits) {
  let best = null;
  for (const [label, text, weight] of sections) {
    const ms = marks(text, hits);
    const score = ms.length === 0 ? 0 : [...new Set(ms.map(x => x.term))].reduce((a, t) => a + hits.get(t), 0) * (1 + weight) + ms.length * 0.01;
    if (best === null || score > best.score) best = { label, text, ms, score };
  }
  if (best === null) return null;
  const { text, ms } = best;
  let from = 0;
  if (ms.length > 0) {
    let top = -1;
    for (const x of ms) {
      const n = new Set(ms.filter(y => y.start >= x.start && y.end <= x.start + SNIPPET * 0.6).map(y => y.term)).size;
      if (n > top) { top = n; from = x.start; }
    }
    from = Math.max(0, from - SNIPPET / 4);
  }
  if (from > 0) { const sp = text.indexOf(" ", from); from = sp >= 0 && sp < from + 20 ? sp + 1 : from; }
  let to = Math.min(text.length, from + SNIPPET);
  if (to < text.length) { const sp = text.lastIndexOf(" ", to); to = sp > from + SNIPPET / 2 ? sp : to; }
  const snippet = parts(text, ms, from, to);
  if (from > 0) snippet.unshift({ text: "… ", hit: false });
  if (to < text.length) snippet.push({ text: " …", hit: false });
  return { label: best.label, snippet };
}

// parts cuts text[from:to] into [{text, hit}] at the marks.
function parts(text, ms, from, to) {
  const out = [];
  let at = from;
  for (const x of ms) {
    if (x.start < from || x.end > to) continue;
    if (x.start > at) out.push({ text: text.slice(at, x.start), hit: false });
    out.push({ text: text.slice(x.start, x.end), hit: true });
    at = x.end;
  }
  if (at < to) out.push({ text: text.slice(at, to), hit: false });
  return out;
}

// mount wires a search page (see the top); the page's code is in
// mount.js, loaded only by pages that have a search form.
export async function mount(root = document) {
  const ui = await import("./mount.js");
  return ui.mount(root, { search, facets });
}

if (typeof document !== "undefined" && document.querySelector("form[data-sev-search]")) mount(document);
