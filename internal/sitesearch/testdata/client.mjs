// Runs queries through search.js against an index folder, each from a
// cold start (a new fetch function, so nothing is cached) and then again
// warm, and writes the answers with the files the cold query fetched and
// the milliseconds of the warm one:
// node client.mjs SEARCH_JS INDEX_DIR QUERIES_JSON OUT_JSON
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [searchJS, dir, input, output] = process.argv.slice(2);
const { search } = await import(pathToFileURL(searchJS).href);
const queries = JSON.parse(readFileSync(input, "utf8"));
const out = [];
for (const q of queries) {
  const fetched = [];
  // fetch reads the index's files; the URL is "idx:/NAME?v=VERSION".
  const fetch = async url => {
    const name = url.replace(/^idx:\//, "").replace(/\?.*$/, "");
    try {
      const b = readFileSync(join(dir, name));
      fetched.push([name, b.length]);
      return { ok: true, status: 200, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.length) };
    } catch {
      return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
    }
  };
  try {
    const opts = { index: "idx:/", base: "/site/", fetch, ...q.opts };
    const r = await search(q.q, opts);
    const n = fetched.length;
    const warm = await search(q.q, opts);
    out.push({ ...r, fetched: fetched.slice(0, n), warmMs: warm.ms });
  } catch (e) {
    out.push({ error: String(e && e.stack || e), fetched });
  }
}
writeFileSync(output, JSON.stringify(out));
