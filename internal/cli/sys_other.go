//go:build !linux && !darwin

package cli

import "os"

// Elsewhere the validation cache is off (every folder is checked) and
// writers in one clone are not serialised by sev itself.
func lstatFile(string) (cachedFile, bool) { return cachedFile{}, false }

func flock(*os.File) error { return nil }

func kill9() { os.Exit(137) }

func lstatAt(int, string) (cachedFile, bool) { return cachedFile{}, false }

func openDir(string) int { return -1 }

func closeDir(int) {}
