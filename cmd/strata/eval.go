package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// searchRoots are the roots every subcommand registers for <name/path>.
func searchRoots() map[string]fs.FS {
	return map[string]fs.FS{"profiles": profiles.FS()}
}

// argList collects --arg NAME=VALUE flags; VALUE is an HCL expression
// (a number, a quoted string, a list...), and a bare word is a string.
type argList map[string]cty.Value

func (a argList) String() string { return "" }

func (a argList) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", s)
	}
	x, diags := hclsyntax.ParseExpression([]byte(val), "--arg", hcl.Pos{Line: 1, Column: 1})
	if !diags.HasErrors() {
		if v, d := x.Value(nil); !d.HasErrors() {
			a[name] = v
			return nil
		}
	}
	a[name] = cty.StringVal(val)
	return nil
}

// newEvalFlags returns a FlagSet with the flags eval, explain and options
// share.
func newFlags(name, usage string, stderr io.Writer) (*flag.FlagSet, argList) {
	fset := flag.NewFlagSet("strata "+name, flag.ContinueOnError)
	fset.SetOutput(stderr)
	args := argList{}
	fset.Var(args, "arg", "pass `NAME=VALUE` to the modules as arg.NAME (VALUE is an HCL value; a bare word is a string); repeatable")
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), "%s\n\nFlags:\n", usage)
		fset.PrintDefaults()
	}
	return fset, args
}

// runEval is strata eval (spec section 8): it prints the JSON of the whole
// configuration or of one path.
func runEval(argv []string, stdout, stderr io.Writer) int {
	fset, args := newFlags("eval", "Usage: strata eval [--attr PATH] [--arg NAME=VALUE]... MODULE...\n\n"+
		"Evaluates the modules together and prints the JSON of option PATH (written as\n"+
		"in errors: fileSystems.\"/\".fsType), or of the whole configuration.\n"+
		"Exit status: 0 success, 1 errors in the configuration, 2 wrong usage.", stderr)
	attr := fset.String("attr", "", "print only the value at `PATH` (an option, a namespace, or a part of a value)")
	if err := fset.Parse(argv); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fset.NArg() == 0 {
		fmt.Fprintln(stderr, "strata eval: no module given")
		fset.Usage()
		return exitUsage
	}
	if _, err := merge.ParsePath(*attr); err != nil {
		fmt.Fprintf(stderr, "strata eval: --attr: %v\n", err)
		return exitUsage
	}
	gc := tuneGC()
	defer gc.restore()
	roots := searchRoots()
	cfg := &merge.Config{Roots: roots, Args: args}
	res, diags := cfg.Eval(fset.Args()...)
	if diags.HasErrors() {
		writeDiags(stderr, diags, roots)
		return exitConfig
	}
	gc.beforeMerge(mergeGCHeap, mergeHeadroom)
	out, gdiags := res.JSON(*attr)
	diags = append(diags, gdiags...)
	writeDiags(stderr, diags, roots)
	if diags.HasErrors() {
		return exitConfig
	}
	out = append(out, '\n')
	if _, err := stdout.Write(out); err != nil {
		fmt.Fprintf(stderr, "strata eval: %v\n", err)
		return exitConfig
	}
	return exitOK
}

// The garbage collection policy of strata eval. An evaluation is a short
// process whose live heap only grows (modules, their syntax, the merged
// values) while it allocates about as much again in temporaries, and a
// collection costs CPU in proportion to the live heap, and slows the
// program down while it marks (write barriers, allocation assists).
// strata eval collects nothing until the process uses gcFloor of memory
// (a small configuration never collects), then runs with GOGC=400
// (gcPercent): the heap may grow to five times what the last collection
// left live, so there are few collections and the memory stays
// proportional to the live heap. An evaluation whose heap holds 256 MiB
// or more by the end of defining collects once more before merging, and
// then lets the heap grow by at most 256 MiB more (gcTuning.beforeMerge).
//
// Measured on scripts/bench-eval's module sets (100, 2000 and 10000
// modules of 10 options) within the budget of issue #2, half of Nix's
// peak memory (41, 396 and 1945 MiB), alternating runs on a shared
// 2-core machine. GOGC=200 against the runtime's default (GOGC=100):
// 2000 modules mark 221 instead of 513 MB in 5 instead of 11
// collections. Against the policy used before (collector off,
// collections at a memory limit moved to max(24 MiB, min(6*live,
// 360 MiB), 2*live-45 MiB) after each), which suited the old parser's
// 1 GB of garbage: 1.60 against 1.75 s of CPU at 2000 modules and 9.6
// against 11.5 s at 10000 (8 collections marking 1.1 instead of 2.7 GB).
// The floor then took 100 modules from 106-111 to 78-81 ms of CPU (perf
// stat, 20 runs) and 0.07 to 0.05 s of wall time, at 26 MiB peak, and
// changed neither CPU nor wall time at 2000 and 10000 modules beyond the
// noise. With the floor, GOGC=300 against 200 (medians of 8-10
// alternated runs, three rounds): 2000 modules 1.70-1.75 against
// 2.06-2.18 s of CPU and 1.08-1.14 against 1.23-1.34 s of wall time, in
// 2 collections instead of 3, peak 347 against 325-340 MiB; 10000
// modules 8.9 against 10.7 s of CPU, 4 collections instead of 5, peak
// 1734 against 1657 MiB; 100 modules unchanged. GOGC=250 and 350 did no
// better than 300, nor floors of 32, 96 or 128 MiB. (Peaks fell since
// with compact syntax bodies, internal/hclfast: to 309 MiB at 2000
// modules and 1362-1410 MiB at 10000.) Later, GOGC=400 against 300
// (alternated runs, medians): 2000 modules 1.59 against 1.53 s of CPU
// (minimums 1.40 and 1.41), 0.98 against 0.94 s of wall time, peak 264
// against 292 MiB, as the second of their 2 collections comes later and
// leaves less to allocate after it; 10000 modules 7.6 against 9.8 s of
// CPU and 4.8 against 5.8 s of wall time in 3 collections instead of 4,
// peak 1432 against 1387 MiB; 100 modules unchanged.
const (
	// gcPercent is GOGC during an evaluation, once past gcFloor.
	gcPercent = 400

	// gcFloor is the memory below which an evaluation collects nothing.
	gcFloor = 64 << 20

	// mergeGCHeap is the heap from which strata eval collects between
	// defining and merging, and mergeHeadroom how far the heap may grow
	// past the live heap after that (gcTuning.beforeMerge).
	mergeGCHeap   = 256 << 20
	mergeHeadroom = 256 << 20
)

// gcOverridden reports whether the user set GOGC or GOMEMLIMIT in the
// environment, read by getenv; then tuneGC leaves the collector as the
// runtime set it from them.
func gcOverridden(getenv func(string) string) bool {
	return getenv("GOGC") != "" || getenv("GOMEMLIMIT") != ""
}

// gcTuning is the collector's setting for one evaluation (tuneGC).
type gcTuning struct {
	mu      sync.Mutex
	stopped bool  // restored
	paced   bool  // beforeMerge set the pace
	pct     int   // GOGC found, to restore
	lim     int64 // memory limit found, to restore
}

// tuneGC sets the garbage collector of this process for one evaluation,
// as described above gcPercent, and returns what restores the previous
// settings. When GOGC or GOMEMLIMIT is set in the environment it changes
// nothing and returns nil, whose methods do nothing.
func tuneGC() *gcTuning {
	if gcOverridden(os.Getenv) {
		return nil
	}
	g := &gcTuning{pct: debug.SetGCPercent(-1), lim: debug.SetMemoryLimit(gcFloor)}
	// The first collection, at gcFloor, finalizes the sentinel; from
	// then on the collector paces itself by gcPercent.
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		g.mu.Lock()
		defer g.mu.Unlock()
		if !g.stopped && !g.paced {
			debug.SetGCPercent(gcPercent)
			debug.SetMemoryLimit(g.lim)
		}
	})
	return g
}

// restore puts back the settings tuneGC found.
func (g *gcTuning) restore() {
	if g == nil {
		return
	}
	g.mu.Lock()
	g.stopped = true
	g.mu.Unlock()
	debug.SetMemoryLimit(g.lim)
	debug.SetGCPercent(g.pct)
}

// beforeMerge runs a collection between defining and merging when the
// heap holds at least threshold bytes of objects, and then lets the heap
// grow by at most headroom bytes past what it left live before the next;
// it reports whether it collected.
//
// By then loading has left most of what it allocated to the collector
// (compact bodies, option blocks, the parser's temporaries), and merging
// will allocate about as much again; with GOGC=400 the last collection
// came during loading, and the next would only come after the process
// ends. Measured on the 10000-module set (3 alternated runs each): the
// collection alone took the peak from 1217-1224 to 1054-1076 MiB, with
// CPU and wall time within the noise (6.7-7.9 against 6.3-7.6 s of CPU);
// returning the freed memory to the system as well (debug.FreeOSMemory)
// did no better (1058-1073 MiB). A headroom of 256 MiB then took it to
// 960-970 against 1066-1074 MiB, for 8.6-10.0 against 7.7-8.5 s of CPU
// and 4.8-5.7 against 4.4-5.7 s of wall time (4 alternated runs; one more
// collection, during merging); 384 MiB gave 1053-1061 MiB. The
// 2000-module set has about 170 MB of objects there and is unchanged.
func (g *gcTuning) beforeMerge(threshold, headroom uint64) bool {
	if g == nil {
		return false
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s[:1])
	if s[0].Value.Uint64() < threshold {
		return false
	}
	runtime.GC()
	metrics.Read(s[1:])
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.stopped {
		g.paced = true
		debug.SetMemoryLimit(g.lim)
		debug.SetGCPercent(paceGC(s[1].Value.Uint64(), headroom))
	}
	return true
}

// paceGC returns GOGC for a heap of live bytes to grow by at most
// headroom: gcPercent, or less.
func paceGC(live, headroom uint64) int {
	if live == 0 || live*gcPercent/100 <= headroom {
		return gcPercent
	}
	return max(1, int(headroom*100/live))
}

// gcSentinel is an object whose finalizer runs after the first
// collection.
type gcSentinel struct{ _ *int }
