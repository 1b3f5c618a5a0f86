package rotation

import (
	"fmt"
	"strings"
)

// Pick selects rotations by exact name, org, or unique name prefix.
func Pick(all []*Rotation, query string) ([]*Rotation, error) {
	if query == "" {
		return all, nil
	}
	var byName, byOrg, byPrefix []*Rotation
	for _, r := range all {
		switch {
		case r.Name == query:
			byName = append(byName, r)
		case r.Org == query:
			byOrg = append(byOrg, r)
		case strings.HasPrefix(r.Name, query):
			byPrefix = append(byPrefix, r)
		}
	}
	for _, set := range [][]*Rotation{byName, byOrg} {
		if len(set) > 0 {
			return set, nil
		}
	}
	if len(byPrefix) == 1 {
		return byPrefix, nil
	}
	var names []string
	for _, r := range all {
		names = append(names, r.Name)
	}
	if len(byPrefix) > 1 {
		names = nil
		for _, r := range byPrefix {
			names = append(names, r.Name)
		}
		return nil, fmt.Errorf("%q matches several rotations: %s", query, strings.Join(names, ", "))
	}
	return nil, fmt.Errorf("no rotation or org %q; the rotations are: %s", query, strings.Join(names, ", "))
}
