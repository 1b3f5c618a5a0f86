// Package sev holds the files the sev binary carries with it and `sev init`
// writes: the JSON Schemas editors use to check incident files, and the
// GitHub workflows and issue form.
// The tool's code is under cmd/ and internal/; see docs/architecture.md.
package sev

import "embed"

// Schemas are schema/*.json.
//
//go:embed schema/*.json
var Schemas embed.FS

// GitHub is the .github folder: the workflows (run here from this
// repository's own action) and the incident issue form.
//
//go:embed .github/workflows/*.yml .github/ISSUE_TEMPLATE/*.yml
var GitHub embed.FS
