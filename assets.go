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

// GitHub is what sev init writes into .github: the incident workflows
// (run here too, from this repository's own action) and the incident issue
// form. ci.yml and release.yml are sev's own and are not shipped.
//
//go:embed .github/workflows/automate.yml .github/workflows/chatops.yml .github/workflows/intake.yml
//go:embed .github/workflows/site.yml .github/workflows/validate.yml
//go:embed .github/ISSUE_TEMPLATE/*.yml
var GitHub embed.FS
