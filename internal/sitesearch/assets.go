package sitesearch

import (
	"embed"
	"io/fs"
)

//go:embed assets/search.js assets/analyze.js
var assets embed.FS

// Assets are the client's files, for the site to copy into its assets
// folder next to each other: search.js, the ES module a search page loads
// (it imports ./analyze.js), and analyze.js, the analyzer.
var Assets fs.FS = mustSub(assets, "assets")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
