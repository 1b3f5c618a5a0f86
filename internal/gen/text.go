package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// facts are what one incident is about. They are drawn once, so the title,
// the notes and the postmortem of an incident talk about the same service,
// region and deploy.
type facts struct {
	svc, svc2, db, cache, broker, region, region2 string
	vendor, flag, feature, topic, job, lib, cloud string
	team, version                                 string
	deploy                                        int
	people                                        []string // the responders, commander first
	declared, mitigated, resolved                 time.Time
	severity                                      int
}

func drawFacts(r *rand.Rand) facts {
	f := facts{
		svc: pick(r, services), svc2: pick(r, services), db: pick(r, databases), cache: pick(r, caches),
		broker: pick(r, brokers), region: pick(r, regions), region2: pick(r, regions), vendor: pick(r, vendors),
		flag: pick(r, flags), feature: pick(r, features), topic: pick(r, topics), job: pick(r, jobs),
		lib: pick(r, libraries), cloud: pick(r, clouds), team: orgs[r.IntN(4)][0],
		version: fmt.Sprintf("v%d.%d.%d", 1+r.IntN(9), r.IntN(40), r.IntN(20)),
		deploy:  1000 + r.IntN(9000),
	}
	for f.svc2 == f.svc {
		f.svc2 = pick(r, services)
	}
	for f.region2 == f.region {
		f.region2 = pick(r, regions)
	}
	return f
}

// expander fills templates for one incident.
type expander struct {
	r *rand.Rand
	f *facts
}

// fill replaces each {slot} of tpl. An unknown slot panics: templates are
// code, and TestTemplatesExpand covers every one of them.
func (x expander) fill(tpl string) string {
	if !strings.Contains(tpl, "{") {
		return tpl
	}
	var b strings.Builder
	b.Grow(len(tpl) + 32)
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		j := i + strings.IndexByte(tpl[i:], '}')
		b.WriteString(tpl[:i])
		b.WriteString(x.slot(tpl[i+1 : j]))
		tpl = tpl[j+1:]
	}
}

func (x expander) slot(name string) string {
	f := x.f
	switch name {
	case "svc":
		return f.svc
	case "svc2":
		return f.svc2
	case "db":
		return f.db
	case "cache":
		return f.cache
	case "broker":
		return f.broker
	case "region":
		return f.region
	case "region2":
		return f.region2
	case "vendor":
		return f.vendor
	case "flag":
		return f.flag
	case "feature":
		return f.feature
	case "topic":
		return f.topic
	case "job":
		return f.job
	case "lib":
		return f.lib
	case "cloud":
		return f.cloud
	case "team":
		return f.team
	case "version":
		return f.version
	case "deploy":
		return strconv.Itoa(f.deploy)
	}
	return x.fresh(name)
}

// fresh returns slot values that vary within an incident.
func (x expander) fresh(name string) string {
	r, f := x.r, x.f
	switch name {
	case "n", "n2":
		return strconv.Itoa(2 + r.IntN(18))
	case "pct":
		return strconv.Itoa(1 + r.IntN(99))
	case "ms", "ms2":
		return strconv.Itoa(50 * (1 + r.IntN(120)))
	case "err":
		return pick(r, errorCodes)
	case "metric":
		return pick(r, metrics)
	case "host":
		// Always "<service>-<n>.<region>": never "<service>.<region>".
		return fmt.Sprintf("%s-%d.%s.prod.internal", f.svc, 1+r.IntN(40), f.region)
	case "ip":
		// The second octet stays at 32 or above, clear of the planted 10.20.x.x.
		return fmt.Sprintf("10.%d.%d.%d", 32+r.IntN(220), r.IntN(256), 1+r.IntN(254))
	case "ticket":
		return fmt.Sprintf("OPS-%d", 1000+r.IntN(90000))
	case "time", "time2":
		return f.declared.Add(-time.Duration(r.IntN(7200)) * time.Second).Format("15:04 UTC")
	case "date":
		return f.declared.AddDate(0, 0, 2+r.IntN(10)).Format("2006-01-02")
	case "day":
		return f.declared.Format("Monday 2 January 2006")
	case "dur":
		return duration(f.mitigated.Sub(f.declared) + time.Duration(r.IntN(1800))*time.Second)
	case "mitigated":
		return f.mitigated.Format("15:04 UTC")
	case "resolved":
		return f.resolved.Format("2006-01-02 15:04 UTC")
	case "sev":
		return "SEV" + strconv.Itoa(f.severity)
	case "person":
		return "@" + pick(r, f.people)
	case "commander":
		return "@" + f.people[0]
	}
	panic("gen: unknown template slot {" + name + "}")
}

// duration renders a span the way people write it in a postmortem.
func duration(d time.Duration) string {
	switch m := int(d.Minutes()); {
	case m < 2:
		return "about a minute"
	case m < 90:
		return strconv.Itoa(m) + " minutes"
	case m < 48*60:
		return strconv.Itoa(int(math.Round(d.Hours()))) + " hours"
	default:
		return strconv.Itoa(int(math.Round(d.Hours()/24))) + " days"
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// logUniform draws a duration between lo and hi whose logarithm is
// uniform: most spans are short, a few are very long, as time-to-mitigate
// distributions are.
func logUniform(r *rand.Rand, lo, hi time.Duration) time.Duration {
	a, b := math.Log(float64(lo)), math.Log(float64(hi))
	return time.Duration(math.Exp(a + r.Float64()*(b-a))).Truncate(time.Second)
}

// sentences appends filled templates from tpls to b, each at most once,
// until it holds about words words.
func (x expander) sentences(b *strings.Builder, tpls []string, words int) {
	order := x.r.Perm(len(tpls))
	for i, n := 0, 0; n < words && i < len(tpls); i++ {
		s := x.fill(tpls[order[i]])
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		n += strings.Count(s, " ") + 1
	}
}
