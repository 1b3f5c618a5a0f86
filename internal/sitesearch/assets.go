package sitesearch

import (
	"bytes"
	"embed"
	"io/fs"
	"testing/fstest"
)

//go:embed assets/search.js assets/analyze.js assets/mount.js
var sources embed.FS

// Assets are the client's files, for the site to copy into one folder of
// its own (by default assets/, next to the index's search/; see the base
// option of search.js): search.js, the ES module a search page loads;
// analyze.js, the analyzer it imports; and mount.js, the search page's
// code, which search.js loads only on a page with a search form.
//
// They are the sources in assets/ without their comments and
// indentation: a static host may not compress JavaScript, and a cold
// query downloads the client as well as the index.
var Assets fs.FS = stripped(sources, "assets")

// stripped returns the files of dir without full-line comments, leading
// white space and blank lines. The client's code is written so that this
// is safe: no template literal spans lines. testing/fstest's MapFS is the
// standard library's in-memory fs.FS; it does not pull in package testing.
func stripped(fsys fs.FS, dir string) fs.FS {
	out := fstest.MapFS{}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		src, err := fs.ReadFile(fsys, dir+"/"+e.Name())
		if err != nil {
			panic(err)
		}
		out[e.Name()] = &fstest.MapFile{Data: strip(src), Mode: 0o444}
	}
	return out
}

func strip(src []byte) []byte {
	var out []byte
	for line := range bytes.Lines(src) {
		line = bytes.TrimLeft(line, " \t")
		if len(bytes.TrimSpace(line)) == 0 || bytes.HasPrefix(line, []byte("//")) {
			continue
		}
		out = append(out, line...)
	}
	return out
}
