package report

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The drawing is done in user units on a canvas 800 wide; the SVG has a
// viewBox and no width or height, so it scales to its container.
const (
	width      = 800.0
	fontFamily = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"

	// Colours that read well on white. The site's stylesheet restyles the
	// elements by their class for dark mode (the site's Content-Security-
	// Policy allows no style inside the SVG), so every element that draws
	// in one of these, or on a light fill, has a class saying what it is.
	inkColour   = "#1f2328"
	textColour  = "#3d4148"
	mutedColour = "#6e7781"
	gridColour  = "#e6e8eb"
	axisColour  = "#8c959f"
	bandColour  = "#f6f8fa"
)

// canvas collects the body of one SVG document. Every attribute value and
// every piece of text goes through xml escaping, so text from users'
// files (tag names, handles, severity names) can never become markup.
type canvas struct {
	id   string
	h    float64
	body bytes.Buffer
}

func newCanvas(id string) *canvas { return &canvas{id: id} }

// el writes an element with attributes given as name, value pairs; a pair
// with an empty value is left out. With content == nil the element closes
// itself.
func (c *canvas) el(name string, content *string, kv ...string) {
	b := &c.body
	b.WriteByte('<')
	b.WriteString(name)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		b.WriteByte(' ')
		b.WriteString(kv[i])
		b.WriteString(`="`)
		b.WriteString(esc(kv[i+1]))
		b.WriteByte('"')
	}
	if content == nil {
		b.WriteString("/>\n")
		return
	}
	b.WriteByte('>')
	b.WriteString(*content)
	b.WriteString("</" + name + ">\n")
}

// tip is a <title> child: the tooltip browsers show on hover, without
// JavaScript.
func tip(s string) *string {
	t := "<title>" + esc(s) + "</title>"
	return &t
}

func (c *canvas) rect(x, y, w, h float64, class, fill, tooltip string) {
	var content *string
	if tooltip != "" {
		content = tip(tooltip)
	}
	c.el("rect", content, "x", num(x), "y", num(y), "width", num(math.Max(w, 0)), "height", num(math.Max(h, 0)),
		"class", class, "fill", fill)
}

func (c *canvas) line(x1, y1, x2, y2 float64, class, stroke string, w float64, dash string) {
	c.el("line", nil, "x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2), "class", class,
		"stroke", stroke, "stroke-width", num(w), "stroke-dasharray", dash)
}

func (c *canvas) circle(cx, cy, r float64, class, fill, tooltip string) {
	var content *string
	if tooltip != "" {
		content = tip(tooltip)
	}
	c.el("circle", content, "cx", num(cx), "cy", num(cy), "r", num(r), "class", class, "fill", fill)
}

func (c *canvas) polyline(xs, ys []float64, class, stroke string, w float64) {
	var pts []string
	for i := range xs {
		pts = append(pts, num(xs[i])+","+num(ys[i]))
	}
	c.el("polyline", nil, "points", strings.Join(pts, " "), "class", class, "fill", "none",
		"stroke", stroke, "stroke-width", num(w), "stroke-linejoin", "round")
}

// txt is how a piece of text is set.
type txt struct {
	anchor string // start (default), middle, end
	size   float64
	class  string // label by default
	fill   string // textColour by default
	weight string
}

func (c *canvas) text(x, y float64, s string, o txt) {
	if o.class == "" {
		o.class = "label"
	}
	if o.fill == "" {
		o.fill = textColour
	}
	size := ""
	if o.size != 0 {
		size = num(o.size)
	}
	anchor := o.anchor
	if anchor == "start" {
		anchor = ""
	}
	content := esc(s)
	c.el("text", &content, "x", num(x), "y", num(y), "class", o.class, "fill", o.fill,
		"text-anchor", anchor, "font-size", size, "font-weight", o.weight)
}

// empty draws the no-data state: a framed area with a sentence in it.
func (c *canvas) empty(msg string) {
	c.h = 160
	c.rect(0.5, 0.5, width-1, c.h-1, "empty", bandColour, "")
	c.text(width/2, c.h/2+5, msg, txt{anchor: "middle", size: 15, class: "label empty-label", fill: mutedColour})
}

// legendItem is one entry of a legend: a swatch or a line.
type legendItem struct {
	name, class, fill string
	line              bool // draw a line instead of a swatch
	dash              string
}

// legend lays out items left to right from (x, y), wrapping at the
// canvas's width, and returns the height it took.
func (c *canvas) legend(x, y float64, items []legendItem) float64 {
	const rowH = 20
	cx, cy := x, y
	for _, it := range items {
		name := trunc(it.name, 28)
		w := 18 + textWidth(name, 12) + 20
		if cx > x && cx+w > width {
			cx, cy = x, cy+rowH
		}
		if it.line {
			c.line(cx, cy+6, cx+14, cy+6, it.class, it.fill, 2.5, it.dash)
		} else {
			c.rect(cx, cy, 12, 12, it.class, it.fill, "")
		}
		c.text(cx+18, cy+10.5, name, txt{size: 12})
		cx += w
	}
	return cy - y + rowH
}

// doc wraps the body in the svg element, with its title and description
// for assistive technology.
func (c *canvas) doc(title, desc string) []byte {
	var b bytes.Buffer
	tid, did := "report-"+c.id+"-title", "report-"+c.id+"-desc"
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + num(width) + " " + num(math.Ceil(c.h)) + `"`)
	b.WriteString(` class="report-chart report-` + esc(c.id) + `" role="img" aria-labelledby="` + esc(tid+" "+did) + `"`)
	b.WriteString(` font-family="` + fontFamily + `" font-size="12">` + "\n")
	b.WriteString(`<title id="` + esc(tid) + `">` + esc(title) + "</title>\n")
	b.WriteString(`<desc id="` + esc(did) + `">` + esc(desc) + "</desc>\n")
	b.Write(c.body.Bytes())
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// esc escapes text for XML content and attribute values; characters XML
// cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// num formats a coordinate: at most one decimal, no trailing ".0".
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		x = 0
	}
	s := strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

// textWidth estimates how wide a text set in the sans-serif font is.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.58
}

// trunc shortens s to n characters, marking the cut with an ellipsis.
func trunc(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// niceTicks returns evenly spaced ticks from 0 to at least max, about n of
// them, at steps of 1, 2 or 5 times a power of ten, or 2.5 from 25 up
// (never below minStep).
func niceTicks(max float64, n int, minStep float64) []float64 {
	if max <= 0 {
		max = 1
	}
	raw := max / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag * 10
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m == 2.5 && mag < 10 {
			continue
		}
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	step = math.Max(step, minStep)
	var out []float64
	for k := 0; ; k++ {
		v := float64(k) * step
		out = append(out, v)
		if v >= max {
			break
		}
	}
	return out
}

// Severity colours: level 1 a strong red, then orange and amber, then
// cooler blues and greys. Neighbours differ in lightness as well as hue,
// so they stay apart for red-green colour blindness.
var severityFills = []string{"#b2182b", "#e66101", "#fdb863", "#92c5de", "#4393c3", "#8c959f"}

func severityFill(level int) string {
	if level < 1 {
		level = len(severityFills)
	}
	return severityFills[min(level, len(severityFills))-1]
}

func severityClass(level int) string { return "sev sev-" + strconv.Itoa(level) }
