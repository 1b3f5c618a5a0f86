package search

import (
	"path/filepath"

	"github.com/sev-dev/sev/internal/filestat"
)

func fromStat(st filestat.Stat, ok bool) (fileStat, bool) {
	if !ok || st.Symlink {
		return fileStat{}, false // never followed: a symlink is not an incident file
	}
	return fileStat{Size: st.Size, Mtime: st.Mtime, Ctime: st.Ctime, Ino: st.Ino}, true
}

func lstat(p string) (fileStat, bool) { return fromStat(filestat.Lstat(p)) }

// lstatAt stats name inside dir, through dirfd when it is open.
func lstatAt(dirfd int, dir, name string) (fileStat, bool) {
	return fromStat(filestat.At(dirfd, dir, filepath.ToSlash(name)))
}
