// Package workers runs the same function over many items on all cores:
// loading incidents, checking folders, writing pages.
package workers

import (
	"runtime"
	"sync"
)

// Each calls f(0) … f(n-1), GOMAXPROCS at a time, and returns when all
// have returned.
func Each(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
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
func EachErr(n int, f func(i int) error) error {
	var once sync.Once
	var first error
	Each(n, func(i int) {
		if err := f(i); err != nil {
			once.Do(func() { first = err })
		}
	})
	return first
}
