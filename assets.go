// Package sev holds the files the sev binary carries with it: the JSON
// Schemas that `sev init` writes and editors use to check incident files.
// The tool's code is under cmd/ and internal/; see docs/architecture.md.
package sev

import "embed"

// Schemas are schema/*.json.
//
//go:embed schema/*.json
var Schemas embed.FS
