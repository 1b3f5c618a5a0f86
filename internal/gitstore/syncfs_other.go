//go:build !linux

package gitstore

import "errors"

// syncFS is not available here: WriteFiles syncs each file instead.
func syncFS(string) error { return errors.New("syncfs is linux only") }
