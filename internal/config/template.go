package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Template returns the sev.yaml that `sev init` writes: every default
// spelled out with a comment, so an organisation edits rather than writes.
func Template(name, tz string) ([]byte, error) {
	if tz == "" {
		tz = "UTC"
	}
	if _, err := LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("unknown time zone %q; use an IANA name such as Europe/Berlin", tz)
	}
	if name == "" {
		name = "Our company"
	}
	d := Default()
	var b strings.Builder
	b.WriteString("# yaml-language-server: $schema=schema/sev.schema.json\n")
	b.WriteString("# The organisation's incident settings. Every field is optional; see docs/format.md.\n")
	fmt.Fprintf(&b, "name: %s\n", strconv.Quote(name))
	fmt.Fprintf(&b, "# Times on the site and in `sev show` are shown in this IANA time zone.\n")
	fmt.Fprintf(&b, "timezone: %s\n", tz)
	b.WriteString("# manual: `sev push` (or --push) sends commits; auto: every change is pushed at once.\n")
	b.WriteString("push: manual\n")
	b.WriteString("remote: origin\n\n")
	b.WriteString("# Level 1 is the most severe. A new incident without --sev gets the least severe.\n")
	b.WriteString("severities:\n")
	for _, s := range d.Severities {
		fmt.Fprintf(&b, "  - level: %d\n    name: %s\n    description: %s\n", s.Level, s.Name, strconv.Quote(s.Description))
	}
	b.WriteString("\n# The lifecycle in order. phase: active (on fire), done, or declined (not an\n# incident after all; left out of metrics). A new incident starts in the first active status.\n")
	b.WriteString("statuses:\n")
	for _, s := range d.Statuses {
		fmt.Fprintf(&b, "  - name: %s\n    phase: %s\n    description: %s\n", s.Name, s.Phase, strconv.Quote(s.Description))
	}
	b.WriteString("\nroles:\n")
	for _, r := range d.Roles {
		fmt.Fprintf(&b, "  - name: %s\n    description: %s\n", r.Name, strconv.Quote(r.Description))
	}
	b.WriteString(`
# Organisations, tags, services and people are checked by "sev validate"
# once listed here; unknown names are warnings, never a reason to stop
# someone from declaring an incident.
orgs: []
#  - name: engineering
#    description: "Product engineering and SRE"
tags: []
#  - name: security
services: []
#  - name: checkout-api
people: []
#  - handle: alice
#    name: "Alice Example"
#    email: alice@example.com
#    github: alice
#    timezone: Europe/Berlin
#    orgs: [engineering]

# Per-check levels: error, warning or off (check ids are printed in brackets
# by "sev validate").
checks: {}
#  unknown-tag: error

# File size caps in bytes.
`)
	fmt.Fprintf(&b, "limits:\n  incident: %d\n  timeline: %d\n  postmortem: %d\n  attachment: %d\n  other: %d\n",
		d.Limits.Incident, d.Limits.Timeline, d.Limits.Postmortem, d.Limits.Attachment, d.Limits.Other)
	b.WriteString(`
# The postmortem practice "sev validate" enforces (postmortem-overdue and
# followup-overdue are warnings unless checks: makes them errors).
postmortems:
  # Incidents resolved before this date are not held to the policy.
  # since: 2026-01-01
  # A postmortem must be published this many days after resolution;
  # severities not listed need none.
  due:
`)
	for _, x := range d.Postmortems.Due {
		fmt.Fprintf(&b, "    - severity: %d\n      days: %d\n", x.Severity, x.Days)
	}
	b.WriteString("  # Follow-ups of these types must be done this many weeks after resolution.\n  follow-ups:\n")
	for _, x := range d.Postmortems.FollowUps {
		fmt.Fprintf(&b, "    - type: %s\n      weeks: %d\n", x.Type, x.Weeks)
	}
	b.WriteString(`
# The period the site's trend reports cover: days (YYYY-MM-DD) in timezone,
# both included; "sev build --since/--until" override them. Left out, the
# reports show the last 24 months (26 weeks for the weekly one).
# reports:
#   since: 2019-01-01
#   until: 2025-12-31
`)
	b.WriteString("\n# Words and phrases that mean the same in a search: any of a group finds the\n" +
		"# others. Edit, add your own (service nicknames, team jargon), or write\n# synonyms: {} for none.\nsearch:\n  synonyms:\n")
	for _, k := range slices.Sorted(maps.Keys(d.Search.Synonyms)) {
		var vs []string
		for _, v := range d.Search.Synonyms[k] {
			vs = append(vs, strconv.Quote(v))
		}
		fmt.Fprintf(&b, "    %s: [%s]\n", strconv.Quote(k), strings.Join(vs, ", "))
	}
	return []byte(b.String()), nil
}
