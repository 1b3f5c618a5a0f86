package sandbox

import "syscall"

// limitMemory caps the child's address space (never raising a lower
// limit): a reader that allocates without end fails its allocation and
// ends the child instead of exhausting the machine.
func limitMemory() {
	var cur syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &cur) == nil && cur.Cur <= maxMemory {
		return
	}
	syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: maxMemory, Max: maxMemory})
}
