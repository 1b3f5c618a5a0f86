package config

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sev-dev/sev/internal/diag"
	"github.com/sev-dev/sev/internal/term"
	"github.com/sev-dev/sev/internal/yamlfile"
)

// StatusPage is what the public status page shows besides incidents
// (sev.yaml status-page).
type StatusPage struct {
	// Components are the parts of the product customers know by name,
	// each made of one or more of the services incidents name. Their
	// names are public; the services behind them never appear on the
	// status page once components are configured.
	Components []Component `yaml:"components"`
	// Private is set when sev.yaml configures components at all, even
	// if every one of them was refused: the services behind them stay
	// off the status page whether or not a component survived the checks.
	Private bool `yaml:"-"`
}

// Component is one public part of the product on the status page.
type Component struct {
	Name string `yaml:"name,required"`
	// Group gathers components under a heading ("Shop", "Apps");
	// components without one are listed first.
	Group       string `yaml:"group"`
	Description string `yaml:"description"`
	// Services are the services (sev.yaml services, incident services)
	// whose incidents affect this component.
	Services []string `yaml:"services,required"`
}

// maxComponentName caps a component or group name: they are headings on
// a page that must fit a phone.
const maxComponentName = 60

// Slug is the component's name as it appears in a URL (its feed): its
// letters a-z and digits, dashes for the rest; a name without any (in
// another script) gets one from a hash of the name.
func (c Component) Slug() string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(c.Name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		h := fnv.New32a()
		h.Write([]byte(c.Name))
		return fmt.Sprintf("component-%08x", h.Sum32())
	}
	return b.String()
}

// Affects reports whether an incident naming these services affects the
// component.
func (c Component) Affects(services []string) bool {
	for _, s := range services {
		if slices.Contains(c.Services, s) {
			return true
		}
	}
	return false
}

// checkStatusPage checks the components: names present, short, unique
// (also as URL slugs), and their services known when sev.yaml lists
// services. A component with a problem is left out, so the status page
// never shows a half-understood component.
func (s *Settings) checkStatusPage(d *yamlfile.Decoder) diag.List {
	var diags diag.List
	known := names(s.Services, func(x Named) string { return x.Name })
	s.StatusPage.Private = d.Has("status-page") || len(s.StatusPage.Components) > 0
	seen, slugs := map[string]bool{}, map[string]string{}
	var keep []Component
	for i, c := range s.StatusPage.Components {
		at := fmt.Sprintf("status-page.components[%d]", i)
		bad := false
		for field, v := range map[string]string{"name": c.Name, "group": c.Group, "description": c.Description} {
			switch {
			case field == "description":
				if strings.ContainsFunc(v, term.Unsafe) {
					diags.Add(d.At(at+".description"), "config", "description must not contain control or bidirectional characters")
					bad = true
				}
			case field == "name" && strings.TrimSpace(v) == "":
				diags.Add(d.At(at+".name"), "config", "a component needs a name, as customers know it (\"Checkout\", \"Mobile apps\")")
				bad = true
			case utf8.RuneCountInString(v) > maxComponentName:
				diags.Add(d.At(at+"."+field), "config", "%s %q is longer than %d characters", field, v, maxComponentName)
				bad = true
			case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == '<' || r == '>' || term.Unsafe(r) }):
				diags.Add(d.At(at+"."+field), "config", "%s must not contain <, >, control or bidirectional characters", field)
				bad = true
			case strings.ContainsFunc(v, invisible):
				// two names that look the same must not be two components
				diags.Add(d.At(at+"."+field), "config", "%s must not contain invisible characters (zero-width spaces, soft hyphens)", field)
				bad = true
			}
		}
		if bad {
			continue
		}
		slug := c.Slug()
		switch {
		case seen[c.Name]:
			diags.Add(d.At(at+".name"), "config", "component %q is listed twice", c.Name)
			continue
		case slugs[slug] != "":
			diags.Add(d.At(at+".name"), "config", "components %q and %q have the same feed name %q; rename one", slugs[slug], c.Name, slug)
			continue
		}
		if len(c.Services) == 0 {
			if !d.Has(at + ".services") {
				continue // reported as a missing required field
			}
			diags.Add(d.At(at+".services"), "config", "component %q lists no services: name the services (as incidents name them) whose incidents affect it", c.Name)
			continue
		}
		for j, svc := range c.Services {
			switch {
			case !LabelRE.MatchString(svc):
				diags.Add(d.At(fmt.Sprintf("%s.services[%d]", at, j)), "config", "%q is not a valid service name: use %s", svc, labelRule.want)
				bad = true
			case len(known) > 0 && !slices.Contains(known, svc):
				diags.Add(d.At(fmt.Sprintf("%s.services[%d]", at, j)), "config", "unknown service %q; add it to services or use one of %s", svc, strings.Join(known, ", "))
				bad = true
			}
		}
		if bad {
			continue
		}
		seen[c.Name], slugs[slug] = true, c.Name
		keep = append(keep, c)
	}
	s.StatusPage.Components = keep
	return diags
}

// invisible is a format character that shows as nothing (a zero-width
// space, a soft hyphen), but not the joiner emoji sequences are made of.
func invisible(r rune) bool { return unicode.Is(unicode.Cf, r) && r != '\u200d' }
