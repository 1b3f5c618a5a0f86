package workers

import (
	"errors"
	"sync/atomic"
	"testing"
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
