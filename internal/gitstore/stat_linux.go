package gitstore

import (
	"fmt"
	"syscall"
)

func statFile(p string) (fileStat, error) {
	var st syscall.Stat_t
	if err := syscall.Lstat(p, &st); err != nil {
		return fileStat{}, fmt.Errorf("stat %s: %w", p, err)
	}
	return fileStat{
		ctimeS: uint32(st.Ctim.Sec), ctimeN: uint32(st.Ctim.Nsec),
		mtimeS: uint32(st.Mtim.Sec), mtimeN: uint32(st.Mtim.Nsec),
		dev: uint32(st.Dev), ino: uint32(st.Ino), mode: 0o100644,
		uid: st.Uid, gid: st.Gid, size: uint32(st.Size),
	}, nil
}
