//go:build !linux && !darwin

package filestat

import "os"

// Elsewhere only size and modification time are known; a change that keeps
// both goes unnoticed until the file's content is compared.
const supported = false

// Lstat stats p without following a symbolic link.
func Lstat(p string) (Stat, bool) {
	fi, err := os.Lstat(p)
	if err != nil {
		return Stat{}, false
	}
	return Stat{Dir: fi.IsDir(), Symlink: fi.Mode()&os.ModeSymlink != 0, Size: fi.Size(), Mtime: fi.ModTime().UnixNano()}, true
}

func at(int, string) (Stat, bool) { return Stat{}, false }

// OpenDir opens a folder for At; here never (-1), so At goes by path.
func OpenDir(string) int { return -1 }

// CloseDir closes what OpenDir opened.
func CloseDir(int) {}
