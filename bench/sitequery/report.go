package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

// hits is how many of the top results are answers, and how many could be.
func hits(r *result) (got, best int) {
	best = min(5, len(r.Query.Answers))
	for _, id := range r.Top[:min(5, len(r.Top))] {
		if _, ok := slices.BinarySearch(r.Query.Answers, id); ok {
			got++
		}
	}
	return got, best
}

// summary is one engine's figures over every query that has answers.
type summary struct {
	queries        int
	recall         float64            // mean of hits / min(5, answers)
	byKind         map[string]float64 // the same per kind of query
	bytes, maxB    int64              // median and largest cold bytes
	coldMs, warmMs float64            // medians
	engineWarmMs   float64            // median of the engine's own, -1 if none
	errors         int
}

func summarise(rs []*result) summary {
	s := summary{byKind: map[string]float64{}, engineWarmMs: -1}
	var bytes []int64
	var cold, warm, eng []float64
	n := map[string]int{}
	for _, r := range rs {
		if r.Err != "" {
			s.errors++
			continue
		}
		if got, best := hits(r); best > 0 {
			f := float64(got) / float64(best)
			s.recall += f
			s.byKind[r.Query.Kind] += f
			n[r.Query.Kind]++
			s.queries++
		}
		bytes = append(bytes, r.Bytes)
		cold, warm = append(cold, r.ColdMs), append(warm, r.WarmMs)
		if r.EngineWarmMs >= 0 {
			eng = append(eng, r.EngineWarmMs)
		}
	}
	if s.queries > 0 {
		s.recall /= float64(s.queries)
	}
	for k := range s.byKind {
		s.byKind[k] /= float64(n[k])
	}
	if len(bytes) > 0 {
		slices.Sort(bytes)
		s.bytes, s.maxB = bytes[(len(bytes)-1)/2], bytes[len(bytes)-1]
		s.coldMs, s.warmMs = median(cold), median(warm)
	}
	if len(eng) > 0 {
		s.engineWarmMs = median(eng)
	}
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	ys := slices.Clone(xs)
	sort.Float64s(ys)
	if len(ys)%2 == 1 {
		return ys[len(ys)/2]
	}
	return (ys[len(ys)/2-1] + ys[len(ys)/2]) / 2
}

func printTable(w io.Writer, e *engine, rs []*result, verbose bool) {
	fmt.Fprintf(w, "\n%s (site %s)\n", e.name, e.dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tquery\tfilter\tanswers\ttop 5\tresults\tcold KB\trequests\tcold ms\twarm ms\tengine ms\t")
	for _, r := range rs {
		q := r.Query
		filter := ""
		for k, v := range q.Filters {
			filter = k + "=" + v
		}
		if r.Err != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\terror: %s\t\t\t\t\t\t\t\n", q.Kind, q.Text, filter, len(q.Answers), firstLine(r.Err))
			continue
		}
		got, best := hits(r)
		top := fmt.Sprintf("%d/%d", got, best)
		if best == 0 {
			top = "no answers"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%.1f\t%d\t%.1f\t%.1f\t%s\t\n", q.Kind, q.Text, filter, len(q.Answers), top,
			r.Total, float64(r.Bytes)/1024, r.Requests, r.ColdMs, r.WarmMs, engineMs(r))
	}
	tw.Flush()
	s := summarise(rs)
	fmt.Fprintf(w, "%s: recall@5 %.3f over %d queries (%s); cold first query: median %.1f KB, largest %.1f KB; median %.1f ms cold, %.1f ms warm",
		e.name, s.recall, s.queries, kinds(s), float64(s.bytes)/1024, float64(s.maxB)/1024, s.coldMs, s.warmMs)
	if s.engineWarmMs >= 0 {
		fmt.Fprintf(w, " (engine's own: %.1f ms)", s.engineWarmMs)
	}
	fmt.Fprintln(w)
	if s.errors > 0 {
		fmt.Fprintf(w, "%s: %d queries failed\n", e.name, s.errors)
	}
	if verbose {
		printResources(w, rs)
	}
}

func engineMs(r *result) string {
	if r.EngineColdMs < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f/%.1f", r.EngineColdMs, r.EngineWarmMs)
}

func kinds(s summary) string {
	var parts []string
	for _, k := range []string{"planted", "stem", "filter"} {
		if v, ok := s.byKind[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %.3f", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

func printResources(w io.Writer, rs []*result) {
	for _, r := range rs {
		fmt.Fprintf(w, "  %q: %d requests\n", r.Query.Text, len(r.Resources))
		for _, res := range r.Resources {
			fmt.Fprintf(w, "    %8d  %s\n", res.Bytes, res.URL)
		}
	}
}

// printRatios compares sev with Pagefind on the targets: quality at least
// Pagefind's, cold bytes no more, and results in under 100 ms.
func printRatios(w io.Writer, pf, sev []*result) {
	a, b := summarise(pf), summarise(sev)
	fmt.Fprintln(w, "\nsev / pagefind:")
	fmt.Fprintf(w, "  recall@5:          %.3f vs %.3f (target: sev at least pagefind's)\n", b.recall, a.recall)
	fmt.Fprintf(w, "  cold bytes median: %.3f (target: at most 1)\n", ratio(float64(b.bytes), float64(a.bytes)))
	fmt.Fprintf(w, "  cold bytes largest: %.3f\n", ratio(float64(b.maxB), float64(a.maxB)))
	fmt.Fprintf(w, "  cold ms median:    %.3f\n", ratio(b.coldMs, a.coldMs))
	fmt.Fprintf(w, "  warm ms median:    %.3f (sev %.1f ms; target: under 100 ms)\n", ratio(b.warmMs, a.warmMs), b.warmMs)
}

func ratio(x, y float64) float64 {
	if y == 0 {
		return 0
	}
	return x / y
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
