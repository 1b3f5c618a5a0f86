package report

import (
	"math"
	"strconv"
)

// gridChart is a table of counts drawn as shaded cells: a heatmap.
type gridChart struct {
	id                   string
	rows                 []string
	cols, colSubs        []string
	cells                [][]int // [row][column]
	tip                  func(r, c int) string
	labelW, cellH, maxW  float64
	colTotals, rowTotals bool
	colTotalsLabel       string
	// outline marks a block of cells, [row0, row1) × [col0, col1), such as
	// working hours; nil for none.
	outline      *[4]int
	outlineLabel string
	emptyMsg     string
}

// Shades for counts, light to dark, a sequential blue that stays ordered
// for every kind of colour vision; heat-0 is an empty cell.
var heatFills = []string{"#f3f5f7", "#deebf7", "#b3d3ea", "#7fb2d9", "#3f87c2", "#1c5a99"}

// heatClass is the shade of a count: five equal steps up to the largest
// count, so the largest is always the darkest shade; 0 is empty.
func heatClass(v, most int) int {
	if v <= 0 || most <= 0 {
		return 0
	}
	return min(5, (5*v+most-1)/most)
}

// heatRanges are the counts each shade stands for, for the legend:
// ranges[k] is the lowest and highest count of shade k+1, or zeros when
// no count gets that shade.
func heatRanges(most int) [5][2]int {
	var r [5][2]int
	for v := 1; v <= most; v++ {
		k := heatClass(v, most) - 1
		if r[k][0] == 0 {
			r[k][0] = v
		}
		r[k][1] = v
	}
	return r
}

func (g gridChart) svg(title, desc string) []byte {
	c := newCanvas(g.id)
	most := 0
	colSum := make([]int, len(g.cols))
	rowSum := make([]int, len(g.rows))
	for r, row := range g.cells {
		for k, v := range row {
			most = max(most, v)
			colSum[k] += v
			rowSum[r] += v
		}
	}
	if most == 0 {
		c.empty(g.emptyMsg)
		return c.doc(title, desc)
	}
	y := g.scaleLegend(c, most)
	rightW := 0.0
	if g.rowTotals {
		rightW = 60
	}
	cw := math.Min(g.maxW, (width-g.labelW-rightW)/float64(len(g.cols)))
	if g.colTotals {
		y = g.columnBars(c, colSum, cw, y)
	}
	for r, label := range g.rows {
		ry := y + float64(r)*g.cellH
		c.text(g.labelW-8, ry+g.cellH/2+4, trunc(label, 24), txt{anchor: "end", size: 12})
		for k, v := range g.cells[r] {
			x := g.labelW + float64(k)*cw
			h := heatClass(v, most)
			c.rect(x+1, ry+1, cw-2, g.cellH-2, "heat heat-"+strconv.Itoa(h), heatFills[h], g.tip(r, k))
			g.cellLabel(c, v, h, x+cw/2, ry+g.cellH/2+4, cw)
		}
		if g.rowTotals {
			c.text(g.labelW+float64(len(g.cols))*cw+10, ry+g.cellH/2+4, strconv.Itoa(rowSum[r]), txt{size: 11, fill: mutedColour, class: "label total"})
		}
	}
	gridBottom := y + float64(len(g.rows))*g.cellH
	if o := g.outline; o != nil {
		c.el("rect", nil, "x", num(g.labelW+float64(o[2])*cw), "y", num(y+float64(o[0])*g.cellH),
			"width", num(float64(o[3]-o[2])*cw), "height", num(float64(o[1]-o[0])*g.cellH),
			"class", "outline", "fill", "none", "stroke", inkColour, "stroke-width", "1.5", "stroke-dasharray", "4 3")
	}
	if g.rowTotals {
		c.text(g.labelW+float64(len(g.cols))*cw+10, y-6, "total", txt{size: 10, fill: mutedColour, class: "label total"})
	}
	for k, label := range g.cols {
		x := g.labelW + (float64(k)+0.5)*cw
		c.text(x, gridBottom+15, label, txt{anchor: "middle", size: 11, class: "label tick"})
		if k < len(g.colSubs) && g.colSubs[k] != "" {
			c.text(x, gridBottom+29, g.colSubs[k], txt{anchor: "middle", size: 11, class: "label tick", fill: mutedColour})
		}
	}
	c.h = gridBottom + 36
	return c.doc(title, desc)
}

// cellLabel writes a count in its cell, smaller when it has many digits
// and not at all when it would not fit (the tooltip still has it).
func (g gridChart) cellLabel(c *canvas, v, shade int, x, y, cw float64) {
	label := strconv.Itoa(v)
	size := 11.0
	if len(label) > 3 {
		size = 9
	}
	if v == 0 || textWidth(label, size) > cw-3 {
		return
	}
	fill := inkColour
	if shade >= 4 {
		fill = "#ffffff"
	}
	c.text(x, y, label, txt{anchor: "middle", size: size, class: "label cell-label heat-label-" + strconv.Itoa(shade), fill: fill})
}

// scaleLegend draws the shades with the counts they stand for, and the
// outline's meaning, and returns where the grid starts.
func (g gridChart) scaleLegend(c *canvas, most int) float64 {
	x := g.labelW
	c.text(x, 14, "incidents:", txt{size: 12})
	x += textWidth("incidents:", 12) + 8
	for k, r := range heatRanges(most) {
		if r[0] == 0 {
			continue
		}
		label := strconv.Itoa(r[0])
		if r[1] > r[0] {
			label += "–" + strconv.Itoa(r[1])
		}
		w := math.Max(30, textWidth(label, 11)+10)
		c.rect(x, 3, w-2, 14, "heat heat-"+strconv.Itoa(k+1), heatFills[k+1], "")
		c.text(x+(w-2)/2, 30, label, txt{anchor: "middle", size: 11, fill: mutedColour})
		x += w
	}
	if g.outline != nil {
		x += 24
		c.el("rect", nil, "x", num(x), "y", "3", "width", "22", "height", "14", "class", "outline", "fill", "none",
			"stroke", inkColour, "stroke-width", "1.5", "stroke-dasharray", "4 3")
		c.text(x+30, 14, g.outlineLabel, txt{size: 12})
	}
	return 50
}

// columnBars draws each column's total as a small bar above it and
// returns where the grid starts.
func (g gridChart) columnBars(c *canvas, sums []int, cw, y float64) float64 {
	const h = 30.0
	most := 0
	for _, s := range sums {
		most = max(most, s)
	}
	for k, s := range sums {
		if s == 0 {
			continue
		}
		bh := h * float64(s) / float64(most)
		c.rect(g.labelW+float64(k)*cw+3, y+h-bh, cw-6, bh, "total-bar", "#b6bec7", g.cols[k]+": "+plural(s, "incident")+" in all")
	}
	c.text(g.labelW-8, y+h, g.colTotalsLabel, txt{anchor: "end", size: 10, fill: mutedColour, class: "label total"})
	return y + h + 4
}
