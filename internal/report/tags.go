package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// maxTags is how many tags the chart shows; the table has all of them.
const maxTags = 12

// tagsData is the JSON of the tags over time; Counts go with Quarters,
// or with Years when a long range is counted in years.
type tagsData struct {
	Window   windowData `json:"window"`
	Quarters []string   `json:"quarters,omitempty"`
	Years    []string   `json:"years,omitempty"`
	Tags     []tagRow   `json:"tags"`
	Untagged int        `json:"untagged"`
}

type tagRow struct {
	Tag    string `json:"tag"`
	Counts []int  `json:"counts"`
	Total  int    `json:"total"`
}

// tagsReport counts the incidents of each tag per quarter over the last
// eight quarters (or the range, in years when it is long): what keeps
// coming back, and what is new.
func (e *env) tagsReport() Report {
	s := e.buckets(quarterly, 8, maxTagColumns, e.earliest())
	data := tagsData{Window: s.window(), Tags: []tagRow{}}
	var keys []string
	for i := range s.starts {
		keys = append(keys, s.key(i))
	}
	_, data.Quarters, data.Years = byUnit(s.unit, keys)
	byTag := map[string]*tagRow{}
	for _, inc := range e.incs {
		q := s.index(inc.Date)
		if q < 0 || !inc.Date.Before(e.now) {
			continue
		}
		seen := map[string]bool{}
		for _, t := range inc.Record.Tags {
			t = strings.TrimSpace(t)
			if t == "" || seen[t] {
				continue
			}
			seen[t] = true
			r := byTag[t]
			if r == nil {
				r = &tagRow{Tag: t, Counts: make([]int, len(s.starts))}
				byTag[t] = r
			}
			r.Counts[q]++
			r.Total++
		}
		if len(seen) == 0 {
			data.Untagged++
		}
	}
	for _, t := range slices.Sorted(maps.Keys(byTag)) {
		data.Tags = append(data.Tags, *byTag[t])
	}
	sort.SliceStable(data.Tags, func(i, j int) bool { return data.Tags[i].Total > data.Tags[j].Total })
	tbl := Table{Columns: []string{"Tag"}}
	for i := range s.starts {
		tbl.Columns = append(tbl.Columns, s.label(i))
	}
	tbl.Columns = append(tbl.Columns, "Total")
	for _, t := range data.Tags {
		row := []string{t.Tag}
		for _, n := range t.Counts {
			row = append(row, strconv.Itoa(n))
		}
		tbl.Rows = append(tbl.Rows, append(row, strconv.Itoa(t.Total)))
	}
	title := "Tags over time"
	caption := fmt.Sprintf("How many incidents carried each tag per %s over %s (%s): the %d most frequent tags, "+
		"most frequent first; the table lists every tag. An incident with several tags counts once under each. "+
		"A tag that keeps coming back points at a weakness worth a deeper look; one that fades shows a fix holding. "+
		"%s Declined incidents, drills and maintenance are left out.",
		s.unit, s.describe(), e.loc, min(maxTags, len(data.Tags)), untagged(data.Untagged))
	return Report{ID: "tags", Title: title, Caption: caption, SVG: tagsChart(data, s, title, caption), Table: tbl, Data: data}
}

func tagsChart(data tagsData, s series, title, caption string) []byte {
	shown := data.Tags[:min(maxTags, len(data.Tags))]
	labelW := 80.0
	g := gridChart{id: "tags", cellH: 26, maxW: 72, rowTotals: true, emptyMsg: "No tagged incidents in this period"}
	for _, t := range shown {
		g.rows = append(g.rows, t.Tag)
		g.cells = append(g.cells, t.Counts)
		labelW = math.Max(labelW, textWidth(trunc(t.Tag, 24), 12)+20)
	}
	g.labelW = math.Min(labelW, 200)
	g.cols, g.colSubs = s.axisLabels()
	g.tip = func(r, c int) string {
		return fmt.Sprintf("%s, %s: %s", shown[r].Tag, s.label(c), plural(shown[r].Counts[c], "incident"))
	}
	return g.svg(title, caption)
}

func untagged(n int) string {
	switch n {
	case 0:
		return "Every incident had a tag."
	case 1:
		return "1 incident had no tag."
	}
	return strconv.Itoa(n) + " incidents had no tag."
}
