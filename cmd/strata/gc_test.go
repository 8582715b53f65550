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

	restore := tuneGC()
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

	restore()
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

// TestCollectBeforeMerge checks that collectBeforeMerge collects exactly
// when the heap holds at least its threshold.
func TestCollectBeforeMerge(t *testing.T) {
	tests := []struct {
		name      string
		threshold uint64
		want      bool
	}{
		{"below the heap", 1, true},
		{"above any heap", 1 << 62, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			got := collectBeforeMerge(tc.threshold)
			runtime.ReadMemStats(&after)
			if got != tc.want {
				t.Errorf("collectBeforeMerge(%d) = %t, want %t", tc.threshold, got, tc.want)
			}
			if tc.want && after.NumGC <= before.NumGC {
				t.Errorf("collections: %d before, %d after, want more", before.NumGC, after.NumGC)
			}
		})
	}
}
