package sitesearch

import (
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sev-dev/sev/internal/searchtext"
)

// The benchmarks build the index of a generated repository (generated
// once into the temporary folder, see corpus_test.go):
//
//	go test -run XXX -bench Build10k -benchtime 3x ./internal/sitesearch/
//
// They report incidents per second, the heap the build needed above the
// documents themselves at its peak and once done, the bytes written and
// the number of shards. BenchmarkBuild100k needs a few minutes to
// generate its repository the first time.

func BenchmarkBuild1k(b *testing.B)   { benchBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B)  { benchBuild(b, 10000) }
func BenchmarkBuild100k(b *testing.B) { benchBuild(b, 100000) }

func benchBuild(b *testing.B, n int) {
	c := loadCorpus(b, n)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		base := heapBytes()
		peak := watchHeap()
		start := time.Now()
		x := build(c.docs)
		var written atomic.Int64
		st, err := x.Write(func(name string, data []byte) error {
			written.Add(int64(len(data)))
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		top := peak()
		runtime.GC()
		b.ReportMetric(float64(len(c.docs))/took.Seconds(), "docs/s")
		b.ReportMetric(float64(top-base)/(1<<20), "peak-MiB")
		b.ReportMetric(float64(heapBytes()-base)/(1<<20), "kept-MiB")
		b.ReportMetric(float64(written.Load())/(1<<20), "disk-MiB")
		b.ReportMetric(float64(st.Shards), "shards")
		b.ReportMetric(float64(st.Files), "files")
		runtime.KeepAlive(x)
	}
}

// build adds docs on all cores, as the site does.
func build(docs []Doc) *Index {
	x := New()
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) {
					return
				}
				x.Add(docs[i])
			}
		})
	}
	wg.Wait()
	return x
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples the heap every millisecond until the returned
// function is called, which returns the largest sample.
func watchHeap() func() uint64 {
	var top atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > top.Load() {
				top.Store(h)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return top.Load()
	}
}

// BenchmarkSimilar10k asks for the similar incidents of every incident,
// as the site does for every incident page.
func BenchmarkSimilar10k(b *testing.B) {
	c := loadCorpus(b, 10000)
	x := build(c.docs)
	x.Similar(c.docs[0].ID, 5) // the inversion, shared with Write
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for _, d := range c.docs {
			x.Similar(d.ID, 5)
		}
		b.ReportMetric(float64(time.Since(start).Microseconds())/float64(len(c.docs)), "µs/call")
	}
}

// BenchmarkIncremental10k changes one incident of a written index and
// writes again, as sev serve does after an edit.
func BenchmarkIncremental10k(b *testing.B) {
	c := loadCorpus(b, 10000)
	x := build(c.docs)
	discard := func(string, []byte) error { return nil }
	if _, err := x.Write(discard); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := c.docs[i%len(c.docs)]
		d.Sections = append(d.Sections[:len(d.Sections):len(d.Sections)],
			Section{Label: "Timeline 23:59", Text: "Edit number " + strconv.Itoa(i) + " of the benchmark", Weight: searchtext.WeightText})
		start := time.Now()
		x.Add(d)
		st, err := x.Write(discard)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/change")
		b.ReportMetric(float64(st.Written), "files-written")
	}
}
