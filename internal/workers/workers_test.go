package workers

import (
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	const n = 1000
	var seen [n]atomic.Int32
	Each(n, func(i int) { seen[i].Add(1) })
	for i := range seen {
		if c := seen[i].Load(); c != 1 {
			t.Fatalf("index %d called %d times", i, c)
		}
	}
	Each(0, func(int) { t.Fatal("called for n = 0") })
}

func TestEachErrRunsAllAndReportsAnError(t *testing.T) {
	var calls atomic.Int32
	boom := errors.New("boom")
	err := EachErr(50, func(i int) error {
		calls.Add(1)
		if i%10 == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() != 50 {
		t.Errorf("err %v after %d calls, want boom after 50", err, calls.Load())
	}
	if err := EachErr(5, func(int) error { return nil }); err != nil {
		t.Errorf("no failures gave %v", err)
	}
}

func TestEachIOWidth(t *testing.T) {
	var running, most atomic.Int32
	release := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- EachIO(8, 8, func(i int) error {
			n := running.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			<-release
			running.Add(-1)
			if i == 3 {
				return errors.New("three")
			}
			return nil
		})
	}()
	// all eight wait at once, or the width was not kept (a bound, not a timing)
	for deadline := time.Now().Add(10 * time.Second); most.Load() < 8 && time.Now().Before(deadline); {
		runtime.Gosched()
	}
	close(release)
	if err := <-done; err == nil || err.Error() != "three" {
		t.Errorf("error: %v", err)
	}
	if most.Load() != 8 {
		t.Errorf("at most %d at a time, want 8", most.Load())
	}
}
