package gen

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sev-dev/sev/internal/layout"
	"github.com/sev-dev/sev/internal/timeline"
)

// attachments adds what responders attach with `sev attach` to about 45%
// of incidents: log excerpts, metric exports, chat excerpts and config
// diffs. They are small text files, so the repository has the file count
// of a real one (about three files per incident) without its screenshots'
// bulk.
func (b *builder) attachments() {
	r, p := b.r, &b.p
	if r.IntN(100) >= int(math.Round(b.shape.Attachments*100)) {
		return
	}
	n := 1
	if u := r.IntN(100); u >= 95 {
		n = 3
	} else if u >= 70 {
		n = 2
	}
	start := p.declared
	if !p.ack.IsZero() {
		start = p.ack
	}
	for range n {
		name, caption, data := attachmentKinds[r.IntN(len(attachmentKinds))](b)
		path := layout.Attachment(b.id, name)
		if _, dup := b.files[path]; dup {
			continue
		}
		b.files[path] = data
		b.add(b.author(), timeline.Attach, b.between(start, p.window), func(e *timeline.Entry) { e.File, e.Text = name, caption })
	}
}

var attachmentKinds = []func(b *builder) (name, caption string, data []byte){
	(*builder).logExcerpt, (*builder).metricExport, (*builder).chatExcerpt, (*builder).configDiff,
}

func (b *builder) logExcerpt() (string, string, []byte) {
	r, f, x := b.r, &b.f, b.x
	var s strings.Builder
	at := b.p.declared.Add(-time.Duration(r.IntN(600)) * time.Second)
	for range 8 + r.IntN(33) {
		at = at.Add(time.Duration(r.IntN(20000)) * time.Millisecond)
		level := []string{"ERROR", "ERROR", "WARN", "INFO"}[r.IntN(4)]
		fmt.Fprintf(&s, "%s %-5s [%s] %s method=%s path=/api/v%d/%s status=%d duration_ms=%d trace=%016x\n",
			at.UTC().Format("2006-01-02T15:04:05.000Z"), level, x.fill("{host}"), x.fill("{err}"),
			[]string{"GET", "POST", "PUT"}[r.IntN(3)], 1+r.IntN(3), strings.ReplaceAll(f.feature, " ", "-"),
			[]int{500, 502, 503, 504, 429, 200}[r.IntN(6)], 5+r.IntN(9000), r.Uint64())
	}
	return f.svc + "-errors.log", x.fill("Log excerpt from {host}"), []byte(s.String())
}

func (b *builder) metricExport() (string, string, []byte) {
	r, f := b.r, &b.f
	var s strings.Builder
	s.WriteString("time,requests_per_s,error_rate,p99_ms\n")
	at := b.p.declared.Add(-30 * time.Minute).Truncate(time.Minute)
	base, errRate := 200+r.IntN(5000), r.Float64()*0.4
	for i := range 20 + r.IntN(60) {
		at = at.Add(time.Minute)
		peak := 1.0
		if i > 25 && i < 55 {
			peak = 1 + r.Float64()*3
		}
		fmt.Fprintf(&s, "%s,%d,%.4f,%d\n", at.UTC().Format(time.RFC3339), base+r.IntN(base/4+1), errRate*peak*r.Float64(), int(float64(80+r.IntN(200))*peak))
	}
	return "error-rate.csv", "Error rate and latency of " + f.svc + " around the incident", []byte(s.String())
}

func (b *builder) chatExcerpt() (string, string, []byte) {
	r, x := b.r, b.x
	var s strings.Builder
	at := b.p.declared
	for range 6 + r.IntN(20) {
		at = at.Add(time.Duration(10+r.IntN(240)) * time.Second)
		fmt.Fprintf(&s, "[%s] %s: %s\n", at.UTC().Format("15:04:05"), pick(r, b.f.people), x.fill(pick(r, investigateNotes)))
	}
	return "chat-excerpt.txt", "Excerpt of the incident channel", []byte(s.String())
}

func (b *builder) configDiff() (string, string, []byte) {
	r, f := b.r, &b.f
	key := pick(r, []string{"timeout_ms", "max_connections", "replicas", "retry_attempts", "cache_ttl_s", "rate_limit_per_s"})
	old, cur := 10*(1+r.IntN(500)), 10*(1+r.IntN(500))
	diff := fmt.Sprintf(`--- a/deploy/%[1]s/values.yaml
+++ b/deploy/%[1]s/values.yaml
@@ -%[2]d,7 +%[2]d,7 @@ %[1]s:
   image: registry.example.com/%[1]s:%[3]s
   region: %[4]s
   upstream: %[5]s
-  %[6]s: %[7]d
+  %[6]s: %[8]d
   feature_flags:
     - %[9]s
   log_level: info
`, f.svc, 5+r.IntN(80), f.version, f.region, f.svc2, key, old, cur, f.flag)
	return "config-change.diff", "The config change of " + f.svc, []byte(diff)
}
