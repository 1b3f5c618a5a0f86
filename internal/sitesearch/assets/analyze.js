// sev's text analysis, ported from internal/search/analysis.go so that the
// browser analyses a query exactly as the index was analysed. A run of
// letters and digits joined by "-", "_" or "." is an identifier: emitted
// whole (lower case, not stemmed, kind IDENT) at the position of its first
// part, then each part at consecutive positions (kind PART). Other words
// (kind WORD) are lower-cased, lose an English possessive, are stemmed
// with Snowball English unless they hold a digit, and a short list of stop
// words is dropped (their positions are kept). Offsets are UTF-16 indexes
// into the text; lengths that the Go code measures in bytes are measured
// in UTF-8 here too. sitesearch's TestAnalyzerAgrees compares the two.

export const WORD = 0, IDENT = 1, PART = 2;

const MAX_TERM = 100; // bytes

const STOP = new Set(("a an and are as at be by for from has have in is it its of on or that the " +
  "this to was were with").split(" "));

const WORD_RE = /[\p{L}\p{Nd}\p{Mn}]/u, LETTER_RE = /\p{L}/u;

function isWordCp(c) {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return WORD_RE.test(String.fromCodePoint(c));
}
const isLetterCp = c => c < 128 ? (c >= 97 && c <= 122) || (c >= 65 && c <= 90) : LETTER_RE.test(String.fromCodePoint(c));
const isConnector = c => c === 45 || c === 95 || c === 46; // - _ .
const isApostrophe = c => c === 39 || c === 0x2019;
const width = c => c > 0xffff ? 2 : 1;

// utf8Len is the length of s in UTF-8 bytes.
export function utf8Len(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

// lower is Go's per-rune unicode.ToLower: one code point for one, unlike
// String.toLowerCase, which turns "İ" into two.
export function lower(s) {
  if (!/[^\0-@\[-\x7f]/.test(s)) return s; // ASCII without capitals
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c < 128) out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : ch;
    else if (c === 0x130) out += "i";
    else {
      const l = ch.toLowerCase();
      out += [...l].length === 1 ? l : ch;
    }
  }
  return out;
}

// word normalises an ordinary word; null for a stop word or one too long.
export function word(raw) {
  let s = lower(raw);
  if (STOP.has(s)) return null;
  if (s.length > 2 && (s.endsWith("'s") || s.endsWith("\u2019s"))) s = s.slice(0, -2);
  const n = utf8Len(s);
  if (n > MAX_TERM) return null;
  if (/[0-9]/.test(s) || n <= 2) return s;
  return stem(s);
}

// analyze returns the tokens of text: {term, start, end, pos, kind}.
export function analyze(text) {
  const out = [];
  let pos = 1, i = 0;
  const len = text.length;
  while (i < len) {
    const c = text.codePointAt(i);
    if (!isWordCp(c)) { i += width(c); continue; }
    const start = i;
    const parts = [];
    for (;;) {
      const runStart = i;
      while (i < len) {
        const r = text.codePointAt(i), n = width(r);
        if (isWordCp(r)) { i += n; continue; }
        // an apostrophe between letters stays in the word: "customer's", "don't"
        if (isApostrophe(r) && i + n < len && parts.length === 0 && isLetterCp(text.codePointAt(i + n))) { i += n; continue; }
        break;
      }
      parts.push([runStart, i]);
      if (i >= len) break;
      const r = text.codePointAt(i), n = width(r);
      if (!isConnector(r) || i + n >= len || !isWordCp(text.codePointAt(i + n))) break;
      i += n;
    }
    if (parts.length === 1) {
      const t = word(text.slice(start, i));
      if (t !== null) out.push({ term: t, start, end: i, pos, kind: WORD });
      pos++;
      continue;
    }
    const whole = text.slice(start, i);
    if (utf8Len(whole) <= MAX_TERM) out.push({ term: lower(whole), start, end: i, pos, kind: IDENT });
    for (const [a, b] of parts) {
      const raw = text.slice(a, b);
      const t = word(raw);
      out.push({ term: t === null || t === "" ? lower(raw) : t, start: a, end: b, pos, kind: PART });
      pos++;
    }
  }
  return out;
}

// The Snowball English stemmer (Porter2) as blevesearch/snowballstem
// generates it, on an array of code points. Only ASCII letters take part
// in its rules; other letters are consonants to it.

const V = new Set("aeiouy"), V_WXY = new Set("aeiouywxY"), VALID_LI = new Set("cdeghkmnrt");

const EXCEPTION1 = new Map(Object.entries({
  skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
  ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: "sky", news: "news", howe: "howe",
  atlas: "atlas", cosmos: "cosmos", bias: "bias", andes: "andes",
}));
const among = words => Object.fromEntries(words.split(" ").map(w => [w, 1]));
const EXCEPTION2 = among("inning outing canning herring earring proceed exceed succeed");

// Among lists: suffix → action number (0: matches, nothing to do).
const STEP1A_APOS = { "'": 1, "'s'": 1, "'s": 1 };
const STEP1A = { sses: 1, ied: 2, ies: 2, s: 3, ss: 0, us: 0 };
const STEP1B = { eed: 1, eedly: 1, ed: 2, edly: 2, ing: 2, ingly: 2 };
const STEP1B_END = { at: 1, bl: 1, iz: 1, bb: 2, dd: 2, ff: 2, gg: 2, mm: 2, nn: 2, pp: 2, rr: 2, tt: 2, "": 3 };
const STEP2 = {
  tional: "tion", enci: "ence", anci: "ance", abli: "able", entli: "ent", izer: "ize", ization: "ize",
  ational: "ate", ation: "ate", ator: "ate", alism: "al", aliti: "al", alli: "al", fulness: "ful",
  ousli: "ous", ousness: "ous", iveness: "ive", iviti: "ive", biliti: "ble", bli: "ble", ogi: "og",
  fulli: "ful", lessli: "less", li: "",
};
const STEP3 = { tional: "tion", ational: "ate", alize: "al", icate: "ic", iciti: "ic", ical: "ic", ful: "", ness: "", ative: "" };
const STEP4 = among("al ance ence er ic able ible ant ement ment ent ism ate iti ous ive ize ion");

const stems = new Map();

// stem is the Snowball English stem of a lower-case word.
export function stem(word) {
  let s = stems.get(word);
  if (s === undefined) {
    s = stem1(word);
    if (stems.size < 50000) stems.set(word, s);
  }
  return s;
}

function stem1(word) {
  const e = EXCEPTION1.get(word);
  if (e !== undefined) return e;
  const p = Array.from(word);
  if (p.length < 3) return word;
  // prelude
  let yFound = false;
  if (p[0] === "'") p.shift();
  if (p[0] === "y") { p[0] = "Y"; yFound = true; }
  for (let i = 1; i < p.length; i++) if (p[i] === "y" && V.has(p[i - 1])) { p[i] = "Y"; yFound = true; }
  // mark_regions
  let p1 = p.length, p2 = p.length;
  const pre = p.slice(0, 6).join("");
  const special = ["gener", "commun", "arsen"].find(x => pre.startsWith(x));
  const gopastVowelThenCons = from => {
    let c = from;
    while (c < p.length && !V.has(p[c])) c++;
    if (c >= p.length) return -1;
    c++;
    while (c < p.length && V.has(p[c])) c++;
    if (c >= p.length) return -1;
    return c + 1;
  };
  let r = special ? special.length : gopastVowelThenCons(0);
  if (r >= 0) {
    p1 = r;
    r = gopastVowelThenCons(p1);
    if (r >= 0) p2 = r;
  }
  const st = new Stemmer(p, p1, p2);
  st.step1a();
  if (!st.exception2()) {
    st.step1b(); st.step1c(); st.step2(); st.step3(); st.step4(); st.step5();
  }
  let out = st.p.join("");
  if (yFound) out = out.replace(/Y/g, "y");
  return out;
}

// Stemmer runs the backward steps. The cursor c is where the word ends
// (the steps only ever look at its end); a step that replaces a suffix
// leaves the cursor at the start of what it wrote.
class Stemmer {
  constructor(p, p1, p2) { this.p = p; this.p1 = p1; this.p2 = p2; }
  // suffix returns the longest key of among that the word ends with.
  suffix(among, end = this.p.length) {
    let best = null;
    for (const k of Object.keys(among)) {
      if (k.length <= end && (best === null || k.length > best.length) && this.endsAt(k, end)) best = k;
    }
    return best;
  }
  endsAt(s, end) {
    const a = Array.from(s);
    if (a.length > end) return false;
    for (let i = 0; i < a.length; i++) if (this.p[end - a.length + i] !== a[i]) return false;
    return true;
  }
  replace(n, s) { this.p.splice(this.p.length - n, n, ...Array.from(s)); }
  isV(i, set = V) { return i >= 0 && i < this.p.length && set.has(this.p[i]); }
  // shortv: (non-v_WXY v non-v) or (non-v v atlimit) ending at end
  shortv(end) {
    const p = this.p;
    if (end >= 3 && !V_WXY.has(p[end - 1]) && V.has(p[end - 2]) && !V.has(p[end - 3])) return true;
    return end === 2 && !V.has(p[1]) && V.has(p[0]);
  }
  step1a() {
    const a = this.suffix(STEP1A_APOS);
    if (a !== null) this.replace(a.length, "");
    const s = this.suffix(STEP1A);
    if (s === null) return;
    const start = this.p.length - s.length;
    switch (STEP1A[s]) {
      case 1: this.replace(s.length, "ss"); break;
      case 2: this.replace(s.length, start >= 2 ? "i" : "ie"); break;
      case 3: // delete if a vowel comes before the letter before the s
        for (let i = start - 2; i >= 0; i--) if (V.has(this.p[i])) { this.replace(1, ""); break; }
        break;
    }
  }
  exception2() {
    const s = this.suffix(EXCEPTION2);
    return s !== null && s.length === this.p.length;
  }
  step1b() {
    const s = this.suffix(STEP1B);
    if (s === null) return;
    const start = this.p.length - s.length;
    if (STEP1B[s] === 1) {
      if (start >= this.p1) this.replace(s.length, "ee");
      return;
    }
    let vowel = false;
    for (let i = 0; i < start; i++) vowel ||= V.has(this.p[i]);
    if (!vowel) return;
    this.replace(s.length, "");
    const end = this.suffix(STEP1B_END);
    switch (STEP1B_END[end]) {
      case 1: this.p.push("e"); break;
      case 2: this.p.pop(); break;
      case 3: if (this.p.length === this.p1 && this.shortv(this.p.length)) this.p.push("e"); break;
    }
  }
  step1c() {
    const p = this.p, n = p.length;
    if (n >= 3 && (p[n - 1] === "y" || p[n - 1] === "Y") && !V.has(p[n - 2])) p[n - 1] = "i";
  }
  step2() {
    const s = this.suffix(STEP2);
    if (s === null || this.p.length - s.length < this.p1) return;
    const start = this.p.length - s.length;
    if (s === "ogi") { if (this.p[start - 1] === "l") this.replace(3, "og"); return; }
    if (s === "li") { if (start > 0 && VALID_LI.has(this.p[start - 1])) this.replace(2, ""); return; }
    this.replace(s.length, STEP2[s]);
  }
  step3() {
    const s = this.suffix(STEP3);
    if (s === null || this.p.length - s.length < this.p1) return;
    if (s === "ative" && this.p.length - s.length < this.p2) return;
    this.replace(s.length, STEP3[s]);
  }
  step4() {
    const s = this.suffix(STEP4);
    if (s === null) return;
    const start = this.p.length - s.length;
    if (start < this.p2) return;
    if (s === "ion") { if (start > 0 && (this.p[start - 1] === "s" || this.p[start - 1] === "t")) this.replace(3, ""); return; }
    this.replace(s.length, "");
  }
  step5() {
    const p = this.p, n = p.length;
    if (p[n - 1] === "e") {
      if (n - 1 >= this.p2 || (n - 1 >= this.p1 && !this.shortv(n - 1))) p.pop();
    } else if (p[n - 1] === "l") {
      if (n - 1 >= this.p2 && p[n - 2] === "l") p.pop();
    }
  }
}
