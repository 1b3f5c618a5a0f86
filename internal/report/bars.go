package report

import (
	"math"
	"strconv"
)

// seriesDef is one stacked series of a chart.
type seriesDef struct{ name, class, fill string }

// barChart is a column chart of stacked series over time.
type barChart struct {
	id     string
	series []seriesDef
	bars   []bar
	// overlay is a line drawn over the columns (NaN: no point there);
	// nil for none.
	overlay     []float64
	overlayName string
	// now is where the reference time falls, in columns from the left
	// (2.5 is the middle of the third column); negative for no marker.
	now      float64
	emptyMsg string
}

// bar is one column.
type bar struct {
	label, sub string // under the axis; empty for none
	name       string // in tooltips: "week of 1 Jun 2026"
	values     []int  // per series, stacked from the bottom
	running    bool   // the bucket is not over: drawn lighter
	gapBefore  bool   // set apart from the column before
}

func (b bar) total() int {
	n := 0
	for _, v := range b.values {
		n += v
	}
	return n
}

const (
	barLeft   = 44.0
	barRight  = 14.0
	barPlotH  = 210.0
	runningOp = "0.45"
)

func (ch barChart) svg(title, desc string) []byte {
	c := newCanvas(ch.id)
	top := 0
	for _, b := range ch.bars {
		top = max(top, b.total())
	}
	if top == 0 {
		c.empty(ch.emptyMsg)
		return c.doc(title, desc)
	}
	items := make([]legendItem, 0, len(ch.series)+1)
	for _, s := range ch.series {
		items = append(items, legendItem{name: s.name, class: s.class, fill: s.fill})
	}
	if ch.overlay != nil {
		items = append(items, legendItem{name: ch.overlayName, class: "trend", fill: inkColour, line: true})
	}
	plotTop := 2 + c.legend(barLeft, 2, items) + 18
	base := plotTop + barPlotH
	ticks := niceTicks(float64(top), 4, 1)
	scale := barPlotH / ticks[len(ticks)-1]
	ch.grid(c, ticks, base, scale)
	xs := ch.columns()
	slot := xs.slot
	bw := math.Min(slot*0.72, 44)
	for i, b := range ch.bars {
		cx := xs.center[i]
		ch.column(c, b, cx-bw/2, bw, base, scale)
		if t := b.total(); t > 0 && slot >= 13 {
			c.text(cx, base-float64(t)*scale-5, strconv.Itoa(t), txt{anchor: "middle", size: 10, class: "label value", fill: mutedColour})
		}
		if b.label != "" {
			c.text(cx, base+16, b.label, txt{anchor: "middle", size: 11, class: "label tick"})
		}
		if b.sub != "" {
			c.text(cx, base+30, b.sub, txt{anchor: "middle", size: 11, class: "label tick", fill: mutedColour})
		}
	}
	if ch.overlay != nil {
		ch.trend(c, xs.center, base, scale)
	}
	if ch.now >= 0 {
		x := barLeft + ch.now*slot + xs.gapShift(ch.now)
		c.line(x, plotTop-6, x, base, "now", inkColour, 1, "3 3")
		c.text(x+4, plotTop-8, "today", txt{size: 10, class: "label now-label", fill: mutedColour})
	}
	c.h = base + 40
	return c.doc(title, desc)
}

func (ch barChart) grid(c *canvas, ticks []float64, base, scale float64) {
	for _, t := range ticks {
		y := base - t*scale
		if t > 0 {
			c.line(barLeft, y, width-barRight, y, "grid", gridColour, 1, "")
		}
		c.text(barLeft-8, y+4, num(t), txt{anchor: "end", size: 11, class: "label tick", fill: mutedColour})
	}
	c.line(barLeft, base+0.5, width-barRight, base+0.5, "axis", axisColour, 1, "")
}

// column draws one stacked column with a tooltip on each segment.
func (ch barChart) column(c *canvas, b bar, x, w, base, scale float64) {
	y := base
	for k, v := range b.values {
		if v == 0 {
			continue
		}
		h := float64(v) * scale
		y -= h
		s := ch.series[k]
		name := b.name
		op, class := "", s.class+" seg" // seg: its white edge parts it from the next
		if b.running {
			op, class, name = runningOp, class+" running", name+" (so far)"
		}
		c.el("rect", tip(name+": "+strconv.Itoa(v)+" "+s.name),
			"x", num(x), "y", num(y), "width", num(w), "height", num(h), "class", class, "fill", s.fill,
			"fill-opacity", op, "stroke", "#ffffff", "stroke-width", "0.75")
	}
}

func (ch barChart) trend(c *canvas, centers []float64, base, scale float64) {
	var xs, ys []float64
	flush := func() {
		if len(xs) > 1 {
			c.polyline(xs, ys, "trend", inkColour, 2)
		}
		xs, ys = nil, nil
	}
	for i, v := range ch.overlay {
		if math.IsNaN(v) {
			flush()
			continue
		}
		xs, ys = append(xs, centers[i]), append(ys, base-v*scale)
	}
	flush()
	for i, v := range ch.overlay {
		if !math.IsNaN(v) {
			c.circle(centers[i], base-v*scale, 2.5, "trend", inkColour, ch.bars[i].name+": "+ch.overlayName+" "+strconv.FormatFloat(v, 'f', 1, 64))
		}
	}
}

// placement is where the columns go.
type placement struct {
	slot   float64
	center []float64
	gaps   []float64 // column index before which a gap opens
}

const gapSlots = 0.8

func (ch barChart) columns() placement {
	n := float64(len(ch.bars))
	var gaps []float64
	for i, b := range ch.bars {
		if b.gapBefore && i > 0 {
			gaps = append(gaps, float64(i))
		}
	}
	l := placement{slot: (width - barLeft - barRight) / (n + gapSlots*float64(len(gaps))), gaps: gaps}
	for i := range ch.bars {
		l.center = append(l.center, barLeft+(float64(i)+0.5)*l.slot+l.gapShift(float64(i)+0.5))
	}
	return l
}

// gapShift is how far the gaps before column position p push it right.
func (l placement) gapShift(p float64) float64 {
	shift := 0.0
	for _, g := range l.gaps {
		if p >= g {
			shift += gapSlots * l.slot
		}
	}
	return shift
}
