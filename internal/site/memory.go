package site

import "runtime/debug"

// MemoryLimit is the heap size a build asks Go's garbage collector to
// stay under: the build's live data at 100,000 incidents is about 1.3 GB,
// and with the default GOGC the heap would grow to twice that before a
// collection.
const MemoryLimit = 1792 << 20

// LimitMemory sets MemoryLimit for the process unless GOMEMLIMIT (read
// with getenv) sets a limit of its own.
func LimitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
