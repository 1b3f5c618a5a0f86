package gitstore

import "errors"

// errNoStat means this platform's file metadata is not mapped to the
// index's stat fields; staging then goes through `git update-index`.
var errNoStat = errors.New("no index stat data on this platform")
