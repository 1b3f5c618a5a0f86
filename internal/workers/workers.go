// Package workers runs the same function over many items on all cores:
// loading incidents, checking folders, writing pages.
package workers

import (
	"runtime"
	"sync"
)

// Each calls f(0) … f(n-1), GOMAXPROCS at a time, and returns when all
// have returned.
func Each(n int, f func(i int)) { each(runtime.GOMAXPROCS(0), n, f) }

func each(width, n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < width; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// EachErr is Each for a function that can fail: every item still runs,
// and the first error (in time) is returned.
func EachErr(n int, f func(i int) error) error { return eachErr(runtime.GOMAXPROCS(0), n, f) }

// EachIO is EachErr for work that mostly waits for the disk (writing and
// syncing files): width calls at a time, however many cores there are, so
// that the waits overlap.
func EachIO(width, n int, f func(i int) error) error { return eachErr(max(width, 1), n, f) }

func eachErr(width, n int, f func(i int) error) error {
	var once sync.Once
	var first error
	each(width, n, func(i int) {
		if err := f(i); err != nil {
			once.Do(func() { first = err })
		}
	})
	return first
}
