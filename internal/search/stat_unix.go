//go:build linux || darwin

package search

import "golang.org/x/sys/unix"

func fromStat(st *unix.Stat_t) fileStat {
	return fileStat{Size: st.Size, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino)}
}

func lstat(p string) (fileStat, bool) {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil || st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return fileStat{}, false
	}
	return fromStat(&st), true
}

// lstatAt stats name relative to an open folder, which spares the kernel
// walking the same leading folders for every file.
func lstatAt(dirfd int, dir, name string) (fileStat, bool) {
	if dirfd < 0 {
		return lstat(dir + "/" + name)
	}
	var st unix.Stat_t
	if err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil || st.Mode&unix.S_IFMT == unix.S_IFLNK {
		return fileStat{}, false
	}
	return fromStat(&st), true
}

func openDir(p string) int {
	fd, err := unix.Open(p, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeDir(fd int) {
	if fd >= 0 {
		unix.Close(fd)
	}
}
