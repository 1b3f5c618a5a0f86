package report

import "math"

// quantile is the q-quantile (0 <= q <= 1) of sorted values, linearly
// interpolated between the closest ranks: rank h = (n-1)q, value
// x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]). This is
// Hyndman and Fan's type 7, the default of R, NumPy and spreadsheets'
// PERCENTILE.INC; the median of an even count is the mean of the middle
// two. NaN for no values.
func quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * math.Min(math.Max(q, 0), 1)
	lo := int(math.Floor(h))
	if lo+1 >= n {
		return sorted[n-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// summary is a distribution in five numbers and the 90th percentile.
type summary struct {
	n                               int
	min, p25, median, p75, p90, max float64
}

func summarise(sorted []float64) summary {
	if len(sorted) == 0 {
		return summary{}
	}
	return summary{
		n: len(sorted), min: sorted[0], max: sorted[len(sorted)-1],
		p25: quantile(sorted, 0.25), median: quantile(sorted, 0.5), p75: quantile(sorted, 0.75), p90: quantile(sorted, 0.9),
	}
}
