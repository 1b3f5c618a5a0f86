package present

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/search"
	"github.com/sev-dev/sev/internal/term"
)

// Hits prints search results: each incident's ID, severity, status, date
// and title, and where it matched, with the matched words marked «so» (or
// in bold, with color, for a terminal: then w must be the raw terminal,
// and every piece of text is escaped here).
func Hits(w io.Writer, loc *time.Location, res *search.Result, color bool) error {
	if len(res.Hits) == 0 {
		fmt.Fprintln(w, "no incidents match")
		return nil
	}
	if res.AnyWord {
		fmt.Fprintln(w, "no incident has all the words; these have some of them, the most first")
		fmt.Fprintln(w)
	}
	mark := markPlain
	if color {
		mark = markANSI
	}
	for i, h := range res.Hits {
		if i > 0 {
			fmt.Fprintln(w)
		}
		date := ""
		if !h.Date.IsZero() {
			date = " · " + h.Date.In(loc).Format("2006-01-02")
		}
		restricted := ""
		if h.Restricted {
			restricted = " · restricted"
		}
		title := term.Line(h.Title)
		for _, s := range h.Snippets {
			if s.Field == "title" {
				title = highlight(s.Text, s.Highlights, mark)
			}
		}
		fmt.Fprintf(w, "%s  %s · %s%s%s\n  %s\n", term.Line(h.ID), term.Line(h.SevName), term.Line(h.Status), date, restricted, title)
		for _, s := range h.Snippets {
			if s.Field != "title" { // highlighted in the title line
				fmt.Fprintf(w, "  %s: %s\n", term.Line(s.Where), highlight(s.Text, s.Highlights, mark))
			}
		}
	}
	if res.Total > len(res.Hits) {
		fmt.Fprintf(w, "\n%d of %d incidents shown; --limit %d shows all\n", len(res.Hits), res.Total, res.Total)
	}
	return nil
}

var (
	markPlain = [2]string{"«", "»"}
	markANSI  = [2]string{"\x1b[1m", "\x1b[0m"}
)

// highlight marks the spans of text.
func highlight(text string, spans [][2]int, mark [2]string) string {
	var b strings.Builder
	last := 0
	for _, s := range spans {
		if s[0] < last || s[1] > len(text) {
			continue
		}
		b.WriteString(term.Line(text[last:s[0]]))
		b.WriteString(mark[0] + term.Line(text[s[0]:s[1]]) + mark[1])
		last = s[1]
	}
	b.WriteString(term.Line(text[last:]))
	return b.String()
}
