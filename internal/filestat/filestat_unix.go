//go:build linux || darwin

package filestat

import "golang.org/x/sys/unix"

const supported = true

func fromStat(st *unix.Stat_t) Stat {
	kind := st.Mode & unix.S_IFMT
	return Stat{Dir: kind == unix.S_IFDIR, Symlink: kind == unix.S_IFLNK, Size: st.Size,
		Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino)}
}

// Lstat stats p without following a symbolic link.
func Lstat(p string) (Stat, bool) {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return Stat{}, false
	}
	return fromStat(&st), true
}

func at(fd int, name string) (Stat, bool) {
	var st unix.Stat_t
	if err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return Stat{}, false
	}
	return fromStat(&st), true
}

// OpenDir opens a folder for At; -1 when it cannot.
func OpenDir(p string) int {
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

// CloseDir closes what OpenDir opened.
func CloseDir(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}
