package postmortem

import (
	"bytes"
	"fmt"

	"github.com/sev-dev/sev/internal/diag"
)

// Markdown that costs a parser more than linear time is refused before it
// is parsed: goldmark scans from each "](" to the end of the word for a
// link destination, and walks every open block quote for each marker, so
// 240 KB of "[](" took over a minute to render and "> > > …" on one line
// grew with the square of its length. These limits are far beyond what
// prose needs and keep parsing, rendering and link scanning linear.
const (
	// maxQuoteDepth is the deepest block quote nesting on one line.
	maxQuoteDepth = 32
	// maxLinkScan bounds, per word (a run without white space), the bytes
	// a link-destination scan may cover: the sum, over each "](" in the
	// word, of the distance to the word's end.
	maxLinkScan = 1 << 18
)

// costly reports the first place where src would cost a Markdown parser
// more than linear time, with what to do about it.
func costly(path string, src []byte, bodyLine int) (diag.Pos, string, bool) {
	line := bodyLine
	for len(src) > 0 {
		end := bytes.IndexByte(src, '\n')
		if end < 0 {
			end = len(src)
		}
		l := src[:end]
		if depth := quoteDepth(l); depth > maxQuoteDepth {
			return diag.Pos{Path: path, Line: line, Col: 1}, fmt.Sprintf("block quotes nested %d deep on one line; at most %d are allowed", depth, maxQuoteDepth), true
		}
		if col, ok := linkScanTooLong(l); ok {
			return diag.Pos{Path: path, Line: line, Col: col}, fmt.Sprintf("a word with too many \"](\" in it (over %d bytes of link scanning); put spaces in it or format it as code in a fenced block", maxLinkScan), true
		}
		line++
		if end == len(src) {
			break
		}
		src = src[end+1:]
	}
	return diag.Pos{}, "", false
}

// quoteDepth counts the block quote markers at the start of a line.
func quoteDepth(l []byte) int {
	depth, i := 0, 0
	for {
		spaces := 0
		for i < len(l) && l[i] == ' ' && spaces < 3 {
			i++
			spaces++
		}
		if i >= len(l) || l[i] != '>' {
			return depth
		}
		depth++
		i++
		if i < len(l) && (l[i] == ' ' || l[i] == '\t') {
			i++
		}
	}
}

// linkScanTooLong reports the column (in bytes, 1-based) of a word whose
// link-destination scans would exceed maxLinkScan.
func linkScanTooLong(l []byte) (int, bool) {
	start := 0
	for start < len(l) {
		for start < len(l) && isSpace(l[start]) {
			start++
		}
		end := start
		for end < len(l) && !isSpace(l[end]) {
			end++
		}
		cost := 0
		for i := start; i+1 < end; i++ {
			if l[i] == ']' && l[i+1] == '(' {
				cost += end - i
				if cost > maxLinkScan {
					return start + 1, true
				}
			}
		}
		start = end
	}
	return 0, false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }
