package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCLimit(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name string
		live int64
		want int64
	}{
		{name: "empty heap: the floor", live: 0, want: gcFloor},
		{name: "small heap: still the floor", live: gcFloor / gcGrowth, want: gcFloor},
		{name: "small heap: growth", live: 10 * mib, want: gcGrowth * 10 * mib},
		{name: "middle heap: the soft limit", live: gcSoftLimit / gcGrowth * 2, want: gcSoftLimit},
		{name: "live heap where the soft limit ends", live: (gcSoftLimit + gcSlack) / 2, want: gcSoftLimit},
		{name: "live heap past the soft limit", live: 300 * mib, want: 600*mib - gcSlack},
		{name: "large heap: nearly twice", live: 1 << 30, want: 2<<30 - gcSlack},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gcLimit(tc.live); got != tc.want {
				t.Errorf("gcLimit(%d MiB) = %d MiB, want %d MiB", tc.live/mib, got/mib, tc.want/mib)
			}
		})
	}
}

// TestGCLimitHeadroom checks the two promises of the policy over a range
// of live heaps: the limit never goes down as the heap grows, and it
// always leaves room to allocate 3/4 of the live heap, so the collector
// cannot run without pause on a heap just under the limit.
func TestGCLimitHeadroom(t *testing.T) {
	prev := int64(0)
	for live := int64(0); live <= 4<<30; live += 1 << 20 {
		got := gcLimit(live)
		if got < prev {
			t.Fatalf("gcLimit(%d) = %d, less than %d for a smaller heap", live, got, prev)
		}
		if got-live < live/4*3 {
			t.Fatalf("gcLimit(%d) = %d, leaves less than 3/4 of the live heap to allocate", live, got)
		}
		prev = got
	}
}

func TestGCOverridden(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want bool
	}{
		{name: "neither", env: nil, want: false},
		{name: "GOGC", env: map[string]string{"GOGC": "100"}, want: true},
		{name: "GOGC off", env: map[string]string{"GOGC": "off"}, want: true},
		{name: "GOMEMLIMIT", env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: true},
		{name: "other variables", env: map[string]string{"GODEBUG": "gctrace=1"}, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := gcOverridden(func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("gcOverridden(%v) = %v, want %v", tc.env, got, tc.want)
			}
		})
	}
}

// TestTuneGC checks that tuneGC sets its policy, moves the limit after a
// collection of a heap larger than the floor, and restores the settings
// it found.
func TestTuneGC(t *testing.T) {
	beforePct, beforeLimit := knownGC(t, "")

	restore := tuneGC()
	if got := debug.SetGCPercent(gcPercent); got != gcPercent {
		t.Errorf("GC percent during the evaluation = %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got < gcFloor {
		t.Errorf("memory limit during the evaluation = %d, want at least %d", got, gcFloor)
	}

	// Keep 2*gcFloor alive across collections: the limit must move to
	// gcLimit of at least that. The finalizer runs on its own goroutine
	// after a collection, so wait for it a while.
	ballast := make([]byte, 2*gcFloor)
	want := gcLimit(int64(len(ballast)))
	deadline := time.Now().Add(10 * time.Second)
	var got int64
	for {
		runtime.GC()
		if got = debug.SetMemoryLimit(-1); got >= want || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(ballast)
	if got < want {
		t.Errorf("memory limit after a collection with %d bytes live = %d, want at least %d", len(ballast), got, want)
	}

	restore()
	if got := debug.SetGCPercent(-1); got != beforePct {
		t.Errorf("GC percent after restore = %d, want %d", got, beforePct)
	}
	debug.SetGCPercent(beforePct)
	if got := debug.SetMemoryLimit(-1); got != beforeLimit {
		t.Errorf("memory limit after restore = %d, want %d", got, beforeLimit)
	}
}

// TestTuneGCOverridden checks that tuneGC changes nothing when the user
// set GOGC.
func TestTuneGCOverridden(t *testing.T) {
	beforePct, beforeLimit := knownGC(t, "150")

	restore := tuneGC()
	gotPct := debug.SetGCPercent(beforePct)
	gotLimit := debug.SetMemoryLimit(-1)
	restore()
	if gotPct != beforePct || gotLimit != beforeLimit {
		t.Errorf("with GOGC set, tuneGC set GC percent %d and memory limit %d, want them left at %d and %d", gotPct, gotLimit, beforePct, beforeLimit)
	}
}

// knownGC sets GOGC to gogc and clears GOMEMLIMIT for the test, sets the
// collector to known settings, which it returns, and restores the ones it
// found when the test ends.
func knownGC(t *testing.T, gogc string) (pct int, limit int64) {
	t.Helper()
	t.Setenv("GOGC", gogc)
	t.Setenv("GOMEMLIMIT", "")
	pct, limit = 150, 3<<30
	oldPct := debug.SetGCPercent(pct)
	oldLimit := debug.SetMemoryLimit(limit)
	t.Cleanup(func() {
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPct)
	})
	return pct, limit
}
