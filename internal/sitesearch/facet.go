package sitesearch

import (
	"slices"
	"strconv"
	"strings"
)

// Filters are facets: for every value of a field, the set of incidents
// that have it, in its own file (facet/<field>/<i>.bin, i the value's
// place in the manifest), so a filter costs only the files of the values
// chosen. A set is stored as whichever is smaller: a list of document
// number gaps or a bitmap.

// facetFields are the fields the client filters by, in the manifest's order.
var facetFields = []string{"sev", "status", "tag", "org", "year"}

// facetOf returns a document's values of a field.
func facetOf(d *doc, field string) []string {
	switch field {
	case "sev":
		if d.sev == 0 && d.sevName == "" {
			return nil
		}
		return []string{strconv.Itoa(d.sev)}
	case "status":
		if d.status == "" {
			return nil
		}
		return []string{d.status}
	case "tag":
		return d.tags
	case "org":
		return d.orgs
	case "year":
		if d.year == 0 {
			return nil
		}
		return []string{strconv.Itoa(d.year)}
	}
	return nil
}

// facet is one field's values in the manifest's order with their
// documents.
type facet struct {
	values []facetValue
	docs   [][]uint32
}

func facets(inv *inverted) map[string]*facet {
	out := map[string]*facet{}
	for _, field := range facetFields {
		byValue := map[string][]uint32{}
		labels := map[string]map[string]int{} // sev: the names used for each level
		for n, d := range inv.docs {
			for _, v := range facetOf(d, field) {
				byValue[v] = append(byValue[v], uint32(n))
				if field == "sev" && d.sevName != "" {
					if labels[v] == nil {
						labels[v] = map[string]int{}
					}
					labels[v][d.sevName]++
				}
			}
		}
		f := &facet{}
		for v, docs := range byValue {
			f.values = append(f.values, facetValue{Value: v, Label: commonest(labels[v]), Count: len(docs)})
		}
		slices.SortFunc(f.values, func(a, b facetValue) int { return compareValues(field, a.Value, b.Value) })
		for _, v := range f.values {
			f.docs = append(f.docs, byValue[v.Value])
		}
		out[field] = f
	}
	return out
}

// compareValues orders severities by level, years newest first and the
// rest by name.
func compareValues(field, a, b string) int {
	switch field {
	case "sev", "year":
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		if field == "year" {
			x, y = y, x
		}
		if x != y {
			return x - y
		}
	}
	return strings.Compare(a, b)
}

func commonest(names map[string]int) string {
	best, n := "", 0
	for name, c := range names {
		if c > n || c == n && name < best {
			best, n = name, c
		}
	}
	return best
}

func facetValues(fs map[string]*facet) map[string][]facetValue {
	out := map[string][]facetValue{}
	for field, f := range fs {
		out[field] = f.values
		if out[field] == nil {
			out[field] = []facetValue{}
		}
	}
	return out
}

func facetFiles(fs map[string]*facet, n int) []file {
	var out []file
	for _, field := range facetFields {
		for i, docs := range fs[field].docs {
			raw := encodeSet(docs, n)
			out = append(out, file{name: "facet/" + field + "/" + strconv.Itoa(i) + ".bin", raw: raw, sum: crc(raw)})
		}
	}
	return out
}

// encodeSet writes ascending document numbers as 0, uvarint count and
// uvarint gaps (the first from 0), or as 1 and a bitmap of n bits, the
// lowest bit of each byte first, whichever is shorter.
func encodeSet(docs []uint32, n int) []byte {
	list := putUvarint([]byte{0}, uint64(len(docs)))
	prev := uint32(0)
	for _, d := range docs {
		list = putUvarint(list, uint64(d-prev))
		prev = d
	}
	if len(list) <= 1+(n+7)/8 {
		return list
	}
	bitmap := make([]byte, 1+(n+7)/8)
	bitmap[0] = 1
	for _, d := range docs {
		bitmap[1+d/8] |= 1 << (d % 8)
	}
	return bitmap
}
