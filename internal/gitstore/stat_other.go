//go:build !linux && !darwin

package gitstore

// On other systems the index's stat fields are left to git itself.
func statFile(string) (fileStat, error) { return fileStat{}, errNoStat }
