//go:build linux || darwin

package cli

import (
	"os"

	"golang.org/x/sys/unix"
)

// fromStat maps stat data to what the validation cache compares.
// golang.org/x/sys/unix names the fields alike on Linux and macOS.
func fromStat(st *unix.Stat_t) cachedFile {
	return cachedFile{dir: st.Mode&unix.S_IFMT == unix.S_IFDIR, size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: uint64(st.Ino)}
}

func lstatFile(p string) (cachedFile, bool) {
	var st unix.Stat_t
	if err := unix.Lstat(p, &st); err != nil {
		return cachedFile{}, false
	}
	return fromStat(&st), true
}

func lstatAt(dirfd int, name string) (cachedFile, bool) {
	var st unix.Stat_t
	if err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return cachedFile{}, false
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

func flock(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_EX) }

func kill9() { unix.Kill(os.Getpid(), unix.SIGKILL) }
