package cli

import (
	"os"
	"syscall"
)

func lstatFile(p string) (cachedFile, bool) {
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return cachedFile{}, false
	}
	return cachedFile{dir: st.Mode&syscall.S_IFMT == syscall.S_IFDIR, size: st.Size,
		mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: st.Ino}, true
}

func flock(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }

func kill9() { syscall.Kill(os.Getpid(), syscall.SIGKILL) }
