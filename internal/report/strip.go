package report

import (
	"math"
	"strings"
)

// The strip chart of durations: a label column, the strips on a shared
// log axis, and a column with each strip's median and 90th percentile
// written out, so no number has to be read off the axis.
const (
	stripX0    = 124.0
	stripX1    = 596.0
	stripStats = 612.0
	stripRowH  = 32.0
	dotR       = 3.2
	// Above this many incidents a strip is a histogram: dots would hide
	// each other and make the file large.
	maxDots = 150
)

func durationsSVG(rows [][]durRow, title, desc string) []byte {
	c := newCanvas("durations")
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, ms := range rows {
		for _, r := range ms {
			if r.sum.n > 0 {
				lo, hi = math.Min(lo, r.sum.min), math.Max(hi, r.sum.max)
			}
		}
	}
	if math.IsInf(lo, 1) {
		c.empty("No incidents with recorded milestones in this period")
		return c.doc(title, desc)
	}
	ax := newLogAxis(stripX0, stripX1, lo, hi)
	hist := false
	for _, ms := range rows {
		for _, r := range ms {
			hist = hist || r.sum.n > maxDots
		}
	}
	stripLegend(c, hist)
	top := 36.0
	y := top
	var body canvas // the strips go over the grid, which needs the height first
	for m, ms := range rows {
		body.text(0, y+15, measures[m].title, txt{size: 13, weight: "600", fill: inkColour, class: "label heading"})
		y += 24
		for _, r := range ms {
			stripRow(&body, ax, r, measures[m].title, y)
			y += stripRowH
		}
		y += 10
	}
	for _, t := range ax.ticks {
		x := ax.x(t.at)
		c.line(x, top+20, x, y, "grid", gridColour, 1, "")
		c.text(x, y+15, t.label, txt{anchor: "middle", size: 11, class: "label tick", fill: mutedColour})
	}
	c.line(stripX0, y+0.5, stripX1, y+0.5, "axis", axisColour, 1, "")
	c.body.Write(body.body.Bytes())
	c.h = y + 26
	return c.doc(title, desc)
}

// stripLegend explains the marks; hist adds the histogram's bars, used
// for strips of many incidents.
func stripLegend(c *canvas, hist bool) {
	x := stripX0
	c.circle(x+6, 10, dotR, "dot", textColour, "")
	c.text(x+16, 14, "one incident", txt{size: 12})
	x += 112
	c.line(x+6, 2, x+6, 18, "median", inkColour, 2.5, "")
	c.text(x+14, 14, "median", txt{size: 12})
	x += 78
	c.line(x+6, 2, x+6, 18, "p90", inkColour, 1.5, "3 2")
	c.text(x+14, 14, "90th percentile", txt{size: 12})
	if hist {
		x += 130
		c.rect(x, 4, 4, 14, "bin", textColour, "")
		c.rect(x+5, 10, 4, 8, "bin", textColour, "")
		c.text(x+16, 14, "incidents, where there are too many for dots", txt{size: 12})
	}
}

// stripRow draws one severity's strip with its top at y.
func stripRow(c *canvas, ax logAxis, r durRow, measure string, y float64) {
	mid := y + stripRowH/2 - 1
	c.text(8, mid-1, trunc(r.sev.Name, 14), txt{size: 12, weight: "600", fill: inkColour})
	c.text(8, mid+12, plural(r.sum.n, "incident"), txt{size: 10, fill: mutedColour, class: "label count"})
	c.rect(stripX0, y+2, stripX1-stripX0, stripRowH-4, "band", bandColour, "")
	if r.sum.n == 0 {
		c.text((stripX0+stripX1)/2, mid+4, "no data", txt{anchor: "middle", size: 11, fill: mutedColour})
		return
	}
	c.line(ax.x(r.sum.min), mid, ax.x(r.sum.max), mid, "range", "#c4cad1", 1, "")
	what := r.sev.Name + ", " + strings.ToLower(measure)
	if r.sum.n > maxDots {
		histogram(c, ax, r, y)
	} else {
		swarm(c, ax, r, mid, what)
	}
	xm, xp := ax.x(r.sum.median), ax.x(r.sum.p90)
	c.el("line", tip(what+": median "+minutes(r.sum.median)), "x1", num(xm), "y1", num(y+3), "x2", num(xm), "y2", num(y+stripRowH-3),
		"class", "median", "stroke", inkColour, "stroke-width", "2.5")
	c.el("line", tip(what+": 90th percentile "+minutes(r.sum.p90)), "x1", num(xp), "y1", num(y+3), "x2", num(xp), "y2", num(y+stripRowH-3),
		"class", "p90", "stroke", inkColour, "stroke-width", "1.5", "stroke-dasharray", "3 2")
	c.text(stripStats, mid-1, "median "+minutes(r.sum.median), txt{size: 11, weight: "600", fill: inkColour, class: "label stat"})
	c.text(stripStats, mid+12, "p90 "+minutes(r.sum.p90), txt{size: 11, fill: mutedColour, class: "label stat"})
}

// swarm places the dots in lanes around the middle line so that dots
// close in time sit side by side instead of on top of each other; the
// placement depends only on the values, so it is deterministic.
func swarm(c *canvas, ax logAxis, r durRow, mid float64, what string) {
	lanes := []float64{0, -1, 1, -2, 2}
	last := make([]float64, len(lanes))
	for i := range last {
		last[i] = math.Inf(-1)
	}
	for i, v := range r.values {
		x := ax.x(v)
		pick := 0
		for k := range lanes {
			if x-last[k] >= 2*dotR+0.6 {
				pick = k
				break
			}
			if last[k] < last[pick] {
				pick = k
			}
		}
		last[pick] = x
		c.el("circle", tip(r.ids[i]+": "+what+" "+minutes(v)), "cx", num(x), "cy", num(mid+lanes[pick]*5.4), "r", num(dotR),
			"class", severityClass(r.sev.Level)+" dot", "fill", severityFill(r.sev.Level), "fill-opacity", "0.85",
			"stroke", "#57606a", "stroke-width", "0.6")
	}
}

// histogram draws the strip as columns 5 units wide, as tall as the
// number of incidents in them relative to the fullest.
func histogram(c *canvas, ax logAxis, r durRow, y float64) {
	const bin = 5.0
	counts := map[int]int{}
	most := 0
	for _, v := range r.values {
		k := int((ax.x(v) - stripX0) / bin)
		counts[k]++
		most = max(most, counts[k])
	}
	h := stripRowH - 6
	for k := 0; float64(k)*bin < stripX1-stripX0+bin; k++ {
		n := counts[k]
		if n == 0 {
			continue
		}
		bh := math.Max(h*float64(n)/float64(most), 1.5)
		c.rect(stripX0+float64(k)*bin, y+3+h-bh, bin-0.8, bh, severityClass(r.sev.Level)+" bin", severityFill(r.sev.Level),
			plural(n, "incident"))
	}
}
