// Package sitesearch is the full-text search of the static site: an index
// built in Go and written as static files, and a small JavaScript client
// (Assets: search.js, analyze.js and mount.js) that searches it in the
// browser without a server, WebAssembly or any dependency.
//
// # Analysis
//
// The text is analysed exactly as internal/search analyses it for
// `sev search` (identifiers such as dev-cluster-105 kept whole and split
// into words, Snowball English stemming, the same short stop list), so a
// query finds the same incidents on the site as on the command line.
// analyze.js is a port of that analyzer; a test runs both over tens of
// thousands of texts and compares every token.
//
// # Files
//
// Incidents are numbered oldest first. Write produces, under the site's
// search/ folder, every file gzip-compressed (FORMAT.md has the bytes):
//
//   - manifest.bin: JSON with the format version, a version hash of the
//     build, the number of incidents, BM25's parameters, the first term
//     of every shard, and the filters' values with their counts;
//   - t/N.bin: a shard, the terms of one range of the sorted dictionary,
//     front coded, each with its document frequency and its postings:
//     incident numbers as varint gaps and a one-byte score, BM25's
//     term-frequency part from the term's weighted frequency (title 3,
//     postmortem heading 2, summary and labels 1.5, impact 1.2, text 1);
//   - facet/FIELD/I.bin: the incidents with one value of a filter (sev,
//     status, tag, org, year), as gaps or a bitmap;
//   - f/B/N.bin: incident N's fragment, JSON: what a result shows, and
//     the text of its sections for snippets and phrases.
//
// A query downloads the manifest, the shards of its terms (by term range,
// so the prefix of a word being typed is in one or two shards), the facet
// files of its filters and the fragments of the results it shows: a few
// kilobytes of index at 10,000 incidents. There are no positions in the
// postings; phrases are checked against the fragments' text.
//
// # Building
//
// Add analyses an incident and compresses its fragment outside the
// index's lock, so the site's workers add incidents in parallel; each
// worker remembers the terms of the chunks of text it has seen. Postings
// are inverted only when needed (Write, Similar), with a counting sort
// into flat arrays. Write writes a file only when its content differs
// from what it last wrote under that name, so an edit rewrites the
// incident's fragment, the manifest and the shards of the terms whose
// postings changed. Similar is `sev similar` over the in-memory postings.
package sitesearch
