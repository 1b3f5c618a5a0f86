// Package ghaction is sev's adapter for the GitHub Actions runner: what a
// step finds in its environment and what it may write back. It makes no
// API calls (internal/ghapi does those); it only reads and writes the
// files and streams the runner hands to a step.
//
// Reading. FromEnv reads the runner's variables (GITHUB_EVENT_NAME,
// GITHUB_REPOSITORY, GITHUB_OUTPUT, …) into a Run, naming every missing or
// malformed one at once. Run.Event decodes the webhook payload the runner
// saved at GITHUB_EVENT_PATH into one of a few small typed events — push,
// pull_request, issues, issue_comment, workflow_dispatch and schedule —
// holding only the fields sev acts on, as plain values rather than
// go-github's pointer-per-field structs: the CLI can use them without nil
// checks, and Decode has already refused a payload that lacks a field
// GitHub always sends. A payload that does not parse is reported as a
// diag.List with the file's line and column.
//
// Writing. Everything a step writes back is parsed by the runner, so each
// writer is built so that user text (an issue title, a comment) can never
// be read as more than the one value it is:
//
//   - SetOutput appends name<<DELIM / value / DELIM to GITHUB_OUTPUT with a
//     random delimiter that is checked not to occur in the value, so a title
//     with newlines cannot add outputs of its own.
//   - Summary builds Markdown for GITHUB_STEP_SUMMARY from Markdown values;
//     user text only becomes Markdown through Text, Code and Link, which
//     escape it (HTML, table pipes, backticks, @-mentions, line breaks).
//   - Commands prints workflow commands (::error file=…::, ::add-mask::,
//     ::group::, ::stop-commands::) with the runner's escaping of data and
//     properties, the same as diag.List.WriteGitHub.
//
// UsePinned rewrites the workflows under .github/workflows, which run
// the action from the checked-out repository (uses: ./) in sev's own
// repository, for any other repository, where they use sev's published
// action instead. docs/workflows.md describes the workflows themselves.
package ghaction
