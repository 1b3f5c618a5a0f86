package sitesearch

import (
	"embed"
	"io/fs"
)

//go:embed assets/search.js assets/analyze.js assets/mount.js
var assets embed.FS

// Assets are the client's files, for the site to copy into one folder of
// its own (by default assets/, next to the index's search/; see the base
// option of search.js): search.js, the ES module a search page loads;
// analyze.js, the analyzer it imports; and mount.js, the search page's
// code, which search.js loads only on a page with a search form.
var Assets fs.FS = mustSub(assets, "assets")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
