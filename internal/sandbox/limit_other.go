//go:build !linux

package sandbox

// limitMemory does nothing where the address space cannot be limited
// portably; the parent's time limit still ends a child that runs away.
func limitMemory() {}
