// Package filestat reads the stat data that caches compare to tell whether
// a file may have changed since they last saw it (size, times, inode), the
// way git's index does. Lookups relative to an open folder spare the
// kernel walking the same leading folders for every file.
package filestat

import "path/filepath"

// Stat is what a cache compares. Symlink and Dir say what the path is
// (it is never followed).
type Stat struct {
	Dir, Symlink       bool
	Size, Mtime, Ctime int64
	Ino                uint64
}

// Same reports whether two stats describe an unchanged file.
func (s Stat) Same(o Stat) bool {
	return s.Size == o.Size && s.Mtime == o.Mtime && s.Ctime == o.Ctime && s.Ino == o.Ino && s.Dir == o.Dir && s.Symlink == o.Symlink
}

// At stats name inside the folder dir, through fd (from OpenDir) when it
// is open, else by path.
func At(fd int, dir, name string) (Stat, bool) {
	if fd >= 0 {
		if st, ok := at(fd, name); ok || supported {
			return st, ok
		}
	}
	return Lstat(filepath.Join(dir, filepath.FromSlash(name)))
}
