package gen

import (
	"math/rand/v2"
	"slices"
)

// plant is a phrase that appears in exactly count(n) of n incidents, once,
// in one timeline note, so a search for it has a known answer. Planted
// incidents are never restricted, because restricted incidents are left
// out of search indexes and the site.
type plant struct {
	phrase string
	count  func(n int) int
	notes  []string // templates; each contains the phrase literally
}

func perN(per, least int) func(int) int {
	return func(n int) int { return max(least, n/per) }
}

var plants = []plant{
	{"dev-cluster-105", perN(1000, 2), []string{
		"Same symptom reproduced on dev-cluster-105 with the {svc} build from {version}",
		"Drained the node pool of dev-cluster-105 to free capacity for {svc}",
		"Load test from dev-cluster-105 was pointed at production {svc} by mistake"}},
	{"ERR_CONN_RESET", perN(100, 2), []string{
		"Clients see ERR_CONN_RESET when calling {svc} through the load balancer in {region}",
		"Mobile SDK logs ERR_CONN_RESET on {pct}% of requests to {svc}",
		"ERR_CONN_RESET between {svc} and {svc2} after idle connections were closed"}},
	{"api.eu-west-1", perN(250, 2), []string{
		"Health checks against api.eu-west-1 failing from {n} of {n2} probes",
		"Partners report timeouts calling api.eu-west-1",
		"Moved api.eu-west-1 traffic to the standby load balancer"}},
	{"10.20.3.14", perN(5000, 2), []string{
		"Traffic spike from 10.20.3.14 (internal batch host) saturating {svc}",
		"Blocked 10.20.3.14 at the firewall; it was hammering {svc} with retries",
		"Connections from 10.20.3.14 hold {n}0% of the pool of {db}"}},
	// common words, together as written only here: a search for them
	// unquoted must rank these incidents first, above the thousands that
	// have the words apart
	{"error rate dropped after the cache was flushed", perN(2000, 3), []string{
		"On {svc}: error rate dropped after the cache was flushed, watching it",
		"{person} confirms the error rate dropped after the cache was flushed in {region}"}},
	{"quantum flux capacitor", func(int) int { return 3 }, []string{
		"{person} suggests recalibrating the quantum flux capacitor; real cause still unknown",
		"Ruled out the quantum flux capacitor (it was a joke in the channel, but someone asked)"}},
}

// choosePlants picks, for every phrase, which of the eligible incident
// indexes mention it, and returns the phrases (indexes into plants) per
// incident index.
func choosePlants(r *rand.Rand, n int, eligible []int) [][]int {
	out := make([][]int, n)
	for pi, p := range plants {
		k := min(p.count(n), len(eligible))
		idx := slices.Clone(eligible)
		for i := 0; i < k; i++ { // partial Fisher–Yates: the first k are a sample
			j := i + r.IntN(len(idx)-i)
			idx[i], idx[j] = idx[j], idx[i]
			out[idx[i]] = append(out[idx[i]], pi)
		}
	}
	return out
}
