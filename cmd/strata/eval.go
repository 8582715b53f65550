package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
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

// gcSoftLimit is the memory the garbage collector may let the process use
// before it must collect: evaluating a few thousand modules fits, so a
// one-shot command collects rarely instead of every time the heap doubles.
const gcSoftLimit = 360 << 20

// gcPercent is GOGC while the heap is far below the limit: small
// configurations still stay small.
const gcPercent = 200

// tuneGC sets the garbage collector of this process for one evaluation
// and returns a function that restores the previous settings. The heap may
// triple between collections, up to a memory limit of gcSoftLimit; after
// each collection the limit is raised to twice the live heap if that is
// more, so a configuration whose live data outgrows gcSoftLimit is
// collected like GOGC=100 instead of continuously.
func tuneGC() (restore func()) {
	w := &gcWatch{limit: gcSoftLimit}
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

// gcWatch raises the memory limit after a collection when the live heap
// has grown near it.
type gcWatch struct {
	mu      sync.Mutex
	stopped bool
	limit   int64
}

// gcSentinel is an object whose finalizer runs once after the next
// collection.
type gcSentinel struct{ _ *int }

// arm sets a finalizer that checks the live heap after the next
// collection and arms again.
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
			if want := int64(2 * s[0].Value.Uint64()); want > w.limit {
				w.limit = want
				debug.SetMemoryLimit(want)
			}
		}
		w.arm()
	})
}
