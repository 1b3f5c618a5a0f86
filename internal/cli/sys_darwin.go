package cli

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

func lstatFile(p string) (cachedFile, bool) {
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return cachedFile{}, false
	}
	return cachedFile{dir: st.Mode&syscall.S_IFMT == syscall.S_IFDIR, size: st.Size,
		mtime: st.Mtimespec.Nano(), ctime: st.Ctimespec.Nano(), ino: st.Ino}, true
}

func flock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }

func kill9() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }

func lstatAt(dirfd int, name string) (cachedFile, bool) {
	var st unix.Stat_t
	if err := unix.Fstatat(dirfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return cachedFile{}, false
	}
	return cachedFile{dir: st.Mode&unix.S_IFMT == unix.S_IFDIR, size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: uint64(st.Ino)}, true
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
