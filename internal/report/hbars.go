package report

import (
	"math"
	"strconv"
)

// hbarChart is a bar chart with one row per person (or tag...), each bar
// stacked from series.
type hbarChart struct {
	id       string
	series   []seriesDef
	rows     []hrow
	unit     string // what the axis counts: "timeline entries"
	more     int    // rows left out of the chart (they are in the table)
	emptyMsg string
}

type hrow struct {
	label  string
	values []float64
	note   string // written after the bar
	tips   []string
}

const (
	hbarLabelW = 130.0
	hbarX1     = 560.0
	hbarRowH   = 24.0
)

func (ch hbarChart) svg(title, desc string) []byte {
	c := newCanvas(ch.id)
	top := 0.0
	for _, r := range ch.rows {
		top = math.Max(top, sum(r.values))
	}
	if top == 0 {
		c.empty(ch.emptyMsg)
		return c.doc(title, desc)
	}
	items := make([]legendItem, 0, len(ch.series))
	for _, s := range ch.series {
		items = append(items, legendItem{name: s.name, class: s.class, fill: s.fill})
	}
	y := 2 + c.legend(hbarLabelW, 2, items) + 14
	ticks := niceTicks(top, 5, 1)
	scale := (hbarX1 - hbarLabelW) / ticks[len(ticks)-1]
	c.text(hbarLabelW-8, y, ch.unit, txt{anchor: "end", size: 11, fill: mutedColour, class: "label unit"})
	rowsTop := y + 8
	bottom := rowsTop + float64(len(ch.rows))*hbarRowH
	for _, t := range ticks {
		x := hbarLabelW + t*scale
		c.text(x, y, num(t), txt{anchor: "middle", size: 11, class: "label tick", fill: mutedColour})
		class, colour := "grid", gridColour
		if t == 0 {
			class, colour = "axis", axisColour
		}
		c.line(x, rowsTop, x, bottom, class, colour, 1, "")
	}
	for i, r := range ch.rows {
		ry := rowsTop + float64(i)*hbarRowH
		c.text(hbarLabelW-8, ry+hbarRowH/2+4, trunc(r.label, 18), txt{anchor: "end", size: 12})
		x := hbarLabelW
		for k, v := range r.values { // x moves along the stack
			if v <= 0 {
				continue
			}
			w := v * scale
			s := ch.series[k]
			c.el("rect", tip(r.tips[k]), "x", num(x), "y", num(ry+5), "width", num(w), "height", num(hbarRowH-10),
				"class", s.class+" seg", "fill", s.fill, "stroke", "#ffffff", "stroke-width", "0.75")
			x += w
		}
		c.text(x+8, ry+hbarRowH/2+4, r.note, txt{size: 11, fill: mutedColour, class: "label note"})
	}
	c.h = bottom + 8
	if ch.more > 0 {
		c.text(hbarLabelW, bottom+18, "and "+strconv.Itoa(ch.more)+" more in the table", txt{size: 11, fill: mutedColour})
		c.h = bottom + 28
	}
	return c.doc(title, desc)
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}

// Colours of working time, off-hours and night in the load charts: a
// light blue, a middle purple and a dark indigo, ordered by lightness.
var loadSeries = []seriesDef{
	{"working hours", "load load-working", "#a6cee3"},
	{"off-hours", "load load-off", "#8073ac"},
	{"night (22:00–07:00)", "load load-night", "#2d004b"},
}
