// Analyses the texts of a JSON array file with analyze.js and writes, for
// each text, its tokens as [term, pos, kind, source text] to a JSON file:
// node analyze.mjs ANALYZE_JS IN OUT
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [analyzeJS, input, output] = process.argv.slice(2);
const { analyze } = await import(pathToFileURL(analyzeJS).href);
const texts = JSON.parse(readFileSync(input, "utf8"));
const out = texts.map(t => analyze(t).map(k => [k.term, k.pos, k.kind, t.slice(k.start, k.end)]));
writeFileSync(output, JSON.stringify(out));
