package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

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

// TestTuneGC checks that tuneGC turns collection off below gcFloor,
// switches to GOGC=gcPercent after the first collection, and restores
// the settings it found.
func TestTuneGC(t *testing.T) {
	beforePct, beforeLimit := knownGC(t, "")

	g := tuneGC()
	if got := debug.SetGCPercent(-1); got != -1 {
		t.Errorf("GC percent before the first collection = %d, want -1 (off)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != gcFloor {
		t.Errorf("memory limit before the first collection = %d, want %d", got, gcFloor)
	}

	// The finalizer runs on its own goroutine after a collection, so wait
	// for it a while.
	deadline := time.Now().Add(10 * time.Second)
	got := -1
	for got != gcPercent && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		got = debug.SetGCPercent(-1)
		debug.SetGCPercent(got)
	}
	if got != gcPercent {
		t.Errorf("GC percent after a collection = %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != beforeLimit {
		t.Errorf("memory limit after a collection = %d, want it back at %d", got, beforeLimit)
	}

	g.restore()
	if got := debug.SetGCPercent(beforePct); got != beforePct {
		t.Errorf("GC percent after restore = %d, want %d", got, beforePct)
	}
	if got := debug.SetMemoryLimit(-1); got != beforeLimit {
		t.Errorf("memory limit after restore = %d, want %d", got, beforeLimit)
	}
}

// TestTuneGCOverridden checks that tuneGC changes nothing when the user
// set GOGC.
func TestTuneGCOverridden(t *testing.T) {
	beforePct, beforeLimit := knownGC(t, "150")

	g := tuneGC()
	if g != nil {
		t.Errorf("with GOGC set, tuneGC returned %+v, want nil", g)
	}
	collected := g.beforeMerge(1, 1)
	gotPct := debug.SetGCPercent(beforePct)
	gotLimit := debug.SetMemoryLimit(-1)
	g.restore()
	if collected {
		t.Error("with GOGC set, beforeMerge collected")
	}
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

// TestBeforeMerge checks that beforeMerge collects exactly when the heap
// holds at least its threshold, and then paces the collector by the
// headroom.
func TestBeforeMerge(t *testing.T) {
	tests := []struct {
		name      string
		threshold uint64
		headroom  uint64
		collects  bool
		wantPct   func(live uint64) int // nil: GC percent unchanged
	}{
		{"below the heap, small headroom", 1, 1, true, func(uint64) int { return 1 }},
		{"below the heap, large headroom", 1, 1 << 50, true, func(uint64) int { return gcPercent }},
		{"above any heap", 1 << 62, 1, false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			beforePct, _ := knownGC(t, "")
			g := tuneGC()
			defer g.restore()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got := g.beforeMerge(tc.threshold, tc.headroom)
			runtime.ReadMemStats(&after)
			if got != tc.collects {
				t.Errorf("beforeMerge(%d, %d) = %t, want %t", tc.threshold, tc.headroom, got, tc.collects)
			}
			if tc.collects && after.NumGC <= before.NumGC {
				t.Errorf("collections: %d before, %d after, want more", before.NumGC, after.NumGC)
			}
			pct := debug.SetGCPercent(-1)
			debug.SetGCPercent(pct)
			if tc.wantPct != nil {
				if want := tc.wantPct(after.HeapAlloc); pct != want {
					t.Errorf("GC percent after beforeMerge = %d, want %d", pct, want)
				}
			} else if pct != -1 && pct != gcPercent {
				t.Errorf("GC percent after beforeMerge = %d, want tuneGC's (-1 or %d), found %d before", pct, gcPercent, beforePct)
			}
		})
	}
}

// TestPaceGC checks the GC percent for a heap to grow by a headroom.
func TestPaceGC(t *testing.T) {
	tests := []struct {
		live, headroom uint64
		want           int
	}{
		{0, 1 << 20, gcPercent},
		{100 << 20, 1 << 30, gcPercent},
		{100 << 20, 400 << 20, gcPercent},
		{400 << 20, 256 << 20, 64},
		{1 << 30, 1, 1},
	}
	for _, tc := range tests {
		if got := paceGC(tc.live, tc.headroom); got != tc.want {
			t.Errorf("paceGC(%d, %d) = %d, want %d", tc.live, tc.headroom, got, tc.want)
		}
	}
}
