package site

import "runtime/debug"

// MemoryLimit is the heap size a build asks Go's garbage collector to
// stay under: the build's live data at 100,000 incidents is about 1.3 GB,
// and with the default GOGC the heap would grow to twice that before a
// collection.
const MemoryLimit = 1792 << 20

// SearchMemoryLimit is the same for building the search index
// (.git/sev/search): its live data at 100,000 incidents is a few hundred
// MB, and without a limit the heap doubles it between collections.
const SearchMemoryLimit = 768 << 20

// LimitMemory sets MemoryLimit for the process unless GOMEMLIMIT (read
// with getenv) sets a limit of its own.
func LimitMemory(getenv func(string) string) { limitMemory(getenv, MemoryLimit) }

// LimitSearchMemory sets SearchMemoryLimit, unless GOMEMLIMIT is set.
func LimitSearchMemory(getenv func(string) string) { limitMemory(getenv, SearchMemoryLimit) }

func limitMemory(getenv func(string) string, limit int64) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
