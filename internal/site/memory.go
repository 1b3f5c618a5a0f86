package site

import "runtime/debug"

// MemoryLimit is the heap size sev serve asks Go's garbage collector to
// stay under: with the default GOGC the heap would grow to twice the live
// data before a collection. A server keeps what rebuilds reuse (the search
// fragments), so its live data is larger than a build's.
const MemoryLimit = 1792 << 20

// BuildMemoryLimit is the same for sev build (Options.Once): its live
// data at 100,000 incidents of the wide shape peaks at about 1.09 GB, and
// this limit held the process's peak at 1.46 GiB, 15 % slower than with
// MemoryLimit (1.73 GiB).
const BuildMemoryLimit = 1280 << 20

// SearchMemoryLimit is the same for building the search index
// (.git/sev/search): its live data at 100,000 incidents is a few hundred
// MB, and without a limit the heap doubles it between collections.
const SearchMemoryLimit = 768 << 20

// LimitMemory sets MemoryLimit for the process unless GOMEMLIMIT (read
// with getenv) sets a limit of its own.
func LimitMemory(getenv func(string) string) { limitMemory(getenv, MemoryLimit) }

// LimitBuildMemory sets BuildMemoryLimit, unless GOMEMLIMIT is set.
func LimitBuildMemory(getenv func(string) string) { limitMemory(getenv, BuildMemoryLimit) }

// LimitSearchMemory sets SearchMemoryLimit, unless GOMEMLIMIT is set.
func LimitSearchMemory(getenv func(string) string) { limitMemory(getenv, SearchMemoryLimit) }

func limitMemory(getenv func(string) string, limit int64) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(limit)
	}
}
