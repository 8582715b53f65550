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
	defer tuneGC()()
	roots := searchRoots()
	cfg := &merge.Config{Roots: roots, Args: args}
	res, diags := cfg.Eval(fset.Args()...)
	if diags.HasErrors() {
		writeDiags(stderr, diags, roots)
		return exitConfig
	}
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
// values) while it allocates several times that in temporaries, and a
// collection costs CPU in proportion to the live heap (at 2000x10, some
// 250 ms for 200 MB). So collections should be few, and come while the
// live heap is small, under a memory ceiling that suits the size of the
// job, which is not known until the modules are loaded.
//
// tuneGC therefore turns heap-growth collection off (gcPercent) and
// collects only at a memory limit (runtime/debug.SetMemoryLimit), which
// it moves after every collection, once the live heap is known:
//
//	limit = max(gcFloor, min(gcGrowth*live, gcSoftLimit), 2*live - gcSlack)
//
// A small configuration is collected at gcFloor, then at gcGrowth times
// its live heap, so it stays small (100 modules of 10 options: about
// 35 MiB at peak). One of a few thousand modules spends most of its run
// under the fixed gcSoftLimit and is collected a handful of times, not
// each time its heap doubles (2000 modules: 9 collections instead of 15
// with GOGC=200 under the same limit, about a sixth less marking). Past
// (gcSoftLimit+gcSlack)/2 of live data (202 MiB) the limit follows the
// live heap and tends to twice it, so the collector never runs without
// pause on a heap just under a fixed limit: after a collection there is
// always room for at least 3/4 of the live heap, as with GOGC=75 at
// worst. The limit never goes down during a run.
//
// The numbers are measured on scripts/bench-eval's module sets (100,
// 2000 and 10000 modules) within the budget of issue #2, half of Nix's
// peak memory: 41, 396 and 1900 MiB. Among the policies tried (GOGC=100;
// GOGC=200 under a limit of max(360 MiB, 2*live); no collection below
// 360 MiB, which a small configuration cannot afford; growth 4, 6 or 8;
// soft limit 360 or 376 MiB; 1.75*live or 2*live past it) these keep
// every scale within the budget with room to spare and mark about the
// least at 2000 modules; among the policies that do, the CPU times differ
// by less than the noise of a shared machine. At 2000 modules the peak is
// about gcSoftLimit plus 10 MiB while the live heap stays below 202 MiB
// (it peaks near 200 MB mid-run, when the merge runs on all processors):
// without gcSlack, twice such a heap lifted the limit to the budget,
// while 1.75*live instead would mark a quarter more at 10000 modules
// (peak there: about 1.4 GiB).
const (
	// gcPercent is GOGC during an evaluation: off, so only the memory
	// limit triggers a collection.
	gcPercent = -1

	// gcFloor is the first memory limit, and the lowest.
	gcFloor = 24 << 20

	// gcGrowth is how many times its live heap a small configuration may
	// use before the next collection.
	gcGrowth = 6

	// gcSoftLimit caps gcGrowth times the live heap: the memory a
	// configuration of a few thousand modules may use.
	gcSoftLimit = 360 << 20

	// gcSlack is how far below twice the live heap the limit may stay
	// once the live heap outgrows gcSoftLimit.
	gcSlack = gcSoftLimit / 8
)

// gcLimit returns the memory limit for the next collection after one that
// left live bytes of live heap.
func gcLimit(live int64) int64 {
	return max(gcFloor, min(gcGrowth*live, gcSoftLimit), 2*live-gcSlack)
}

// gcOverridden reports whether the user set GOGC or GOMEMLIMIT in the
// environment, read by getenv; then tuneGC leaves the collector as the
// runtime set it from them.
func gcOverridden(getenv func(string) string) bool {
	return getenv("GOGC") != "" || getenv("GOMEMLIMIT") != ""
}

// tuneGC sets the garbage collector of this process for one evaluation,
// as described above gcPercent, and returns a function that restores the
// previous settings. When GOGC or GOMEMLIMIT is set in the environment it
// changes nothing.
func tuneGC() (restore func()) {
	if gcOverridden(os.Getenv) {
		return func() {}
	}
	w := &gcWatch{limit: gcFloor}
	pct := debug.SetGCPercent(gcPercent)
	lim := debug.SetMemoryLimit(w.limit)
	w.arm()
	return func() {
		w.mu.Lock()
		w.stopped = true
		w.mu.Unlock()
		debug.SetMemoryLimit(lim)
		debug.SetGCPercent(pct)
	}
}

// gcWatch moves the memory limit to gcLimit of the live heap after each
// collection, while tuneGC's settings are in force.
type gcWatch struct {
	mu      sync.Mutex
	stopped bool  // tuneGC's restore ran: leave the limit alone
	limit   int64 // the memory limit set last
}

// gcSentinel is an object whose finalizer runs once after the next
// collection.
type gcSentinel struct{ _ *int }

// arm sets a finalizer that moves the limit after the next collection and
// arms again.
func (w *gcWatch) arm() {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.stopped {
			return
		}
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			if want := gcLimit(int64(s[0].Value.Uint64())); want > w.limit {
				w.limit = want
				debug.SetMemoryLimit(want)
			}
		}
		w.arm()
	})
}
