package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/strata-build/strata/merge"
)

const diffUsage = `Usage: strata diff [--attr PATH] [--json] [--arg NAME=VALUE]... --old MODULE... --new MODULE...

Evaluates two module lists, the old and the new configuration, and prints
the options whose values differ: "~" changed, "+" declared only in the new
configuration, "-" only in the old. Each entry shows both values and, under
"old:" and "new:", every definition behind each side with its place
(FILE:LINE), its priority and whether it was merged, shadowed or dropped.
For an attrsOf or submodule option, the changed keys and attributes are
listed one by one. With --json the same changes are printed as a JSON
array, for tools.

Flags come first. --old starts the old module list and --new the new one;
each list runs to the other flag or the end. --arg values are given to both
configurations. Prints nothing when the configurations agree.

Exit status: 0 success (whether or not they differ), 1 errors in either
configuration, 2 wrong usage.`

// runDiff is strata diff: the option-level difference of two configurations.
func runDiff(argv []string, stdout, stderr io.Writer) int {
	fset, args := newFlags("diff", diffUsage, stderr)
	attr := fset.String("attr", "", "show only the options at or under `PATH`, or the parts of an option's value under it")
	asJSON := fset.Bool("json", false, "print the changes as a JSON array (see merge.Changes.MarshalJSON); [] when there are none")
	flagArgs, oldMods, newMods, err := splitDiffArgs(argv)
	if perr := fset.Parse(flagArgs); perr != nil {
		if perr == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if err == nil && fset.NArg() > 0 {
		err = fmt.Errorf("modules go after --old and --new, not before: %s", strings.Join(fset.Args(), " "))
	}
	if err != nil {
		fmt.Fprintf(stderr, "strata diff: %v\n", err)
		fset.Usage()
		return exitUsage
	}
	filter, err := merge.ParsePath(*attr)
	if err != nil {
		fmt.Fprintf(stderr, "strata diff: --attr: %v\n", err)
		return exitUsage
	}
	roots := searchRoots()
	cfg := &merge.Config{Roots: roots, Args: args}
	// The two sides are independent: evaluate them at once.
	var (
		a, b          *merge.Result
		diags, bdiags hcl.Diagnostics
		wg            sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		a, diags = cfg.Eval(oldMods...)
	}()
	b, bdiags = cfg.Eval(newMods...)
	wg.Wait()
	writeDiags(stderr, append(diags, bdiags...), roots)
	if diags.HasErrors() || bdiags.HasErrors() {
		return exitConfig
	}
	changes := filterChanges(merge.Diff(a, b), filter)
	if *asJSON {
		out, err := changes.MarshalJSON()
		if err == nil {
			_, err = stdout.Write(append(out, '\n'))
		}
		if err != nil {
			fmt.Fprintf(stderr, "strata diff: %v\n", err)
			return exitConfig
		}
		return exitOK
	}
	if len(changes) == 0 {
		return exitOK
	}
	if _, err := changes.WriteTo(stdout); err != nil {
		fmt.Fprintf(stderr, "strata diff: %v\n", err)
		return exitConfig
	}
	return exitOK
}

// splitDiffArgs splits the command line at --old and --new: what comes
// before the first of them are flags, the words after each are its modules.
func splitDiffArgs(argv []string) (flags, oldMods, newMods []string, err error) {
	var cur *[]string
	seenOld, seenNew := false, false
	for _, a := range argv {
		switch a {
		case "--old", "-old":
			if seenOld {
				return flags, nil, nil, fmt.Errorf("--old given twice")
			}
			seenOld, cur = true, &oldMods
			continue
		case "--new", "-new":
			if seenNew {
				return flags, nil, nil, fmt.Errorf("--new given twice")
			}
			seenNew, cur = true, &newMods
			continue
		}
		if cur == nil {
			flags = append(flags, a)
			continue
		}
		if strings.HasPrefix(a, "-") {
			return flags, nil, nil, fmt.Errorf("flag %s after the module lists; flags go before --old and --new", a)
		}
		*cur = append(*cur, a)
	}
	if isHelp(flags) {
		return flags, nil, nil, nil
	}
	switch {
	case len(oldMods) == 0:
		return flags, nil, nil, fmt.Errorf("no old modules: give them after --old")
	case len(newMods) == 0:
		return flags, nil, nil, fmt.Errorf("no new modules: give them after --new")
	}
	return flags, oldMods, newMods, nil
}

func isHelp(flags []string) bool {
	for _, f := range flags {
		switch f {
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

// filterChanges keeps the changes at or under p; a change of an option
// above p keeps only its parts under p. The empty path keeps everything.
func filterChanges(cs merge.Changes, p merge.Path) merge.Changes {
	if len(p) == 0 {
		return cs
	}
	var out merge.Changes
	for _, c := range cs {
		switch {
		case hasPrefix(c.Path, p):
			out = append(out, c)
		case hasPrefix(p, c.Path):
			var parts []*merge.Change
			for _, part := range c.Parts {
				if hasPrefix(part.Path, p) || hasPrefix(p, part.Path) {
					parts = append(parts, part)
				}
			}
			if len(parts) > 0 || len(c.Parts) == 0 {
				cc := *c
				cc.Parts = parts
				out = append(out, &cc)
			}
		}
	}
	return out
}

// hasPrefix reports whether path p starts with the segments of prefix.
func hasPrefix(p, prefix merge.Path) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}
