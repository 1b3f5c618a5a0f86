// Package sitesearch is the full-text search of the static site: an index
// built in Go and written as static files, and a small JavaScript client
// (Assets: search.js and analyze.js) that searches it in the browser
// without a server, WebAssembly or any dependency.
//
// The text is analysed exactly as internal/search analyses it for
// `sev search` (identifiers such as dev-cluster-105 kept whole and split
// into words, English stemming, the same short stop list); analyze.js is
// a port of that analyzer, and a test runs both over the same text.
//
// The index is sharded so that a query downloads only what it needs: a
// manifest, the shards that hold its terms (term ranges, so a prefix
// typed so far is found in one or two shards), the facet files of the
// filters chosen, and one fragment per result shown. Every file is
// gzip-compressed; the browser decompresses it with DecompressionStream.
// FORMAT.md describes the files byte by byte.
package sitesearch
