package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

// runExplain is strata explain: how one option got its value, like
// nixos-option, but with what was shadowed and why.
func runExplain(argv []string, stdout, stderr io.Writer) int {
	fset, args := newFlags("explain", "Usage: strata explain [--arg NAME=VALUE]... PATH MODULE...\n\n"+
		"Explains the option at PATH (written as in errors: fileSystems.\"/\".fsType):\n"+
		"its type, where it is declared, every definition with its place, priority and\n"+
		"order and whether it was merged, shadowed (and by which definition) or dropped\n"+
		"by a false mkIf, and the final value. The text is for people; do not parse it.", stderr)
	if err := fset.Parse(argv); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if fset.NArg() < 2 {
		fmt.Fprintln(stderr, "strata explain: want an option path and at least one module")
		fset.Usage()
		return exitUsage
	}
	path := fset.Arg(0)
	if _, err := merge.ParsePath(path); err != nil {
		fmt.Fprintf(stderr, "strata explain: %v\n", err)
		return exitUsage
	}
	roots := searchRoots()
	res, diags := (&merge.Config{Roots: roots, Args: args}).Eval(fset.Args()[1:]...)
	if diags.HasErrors() {
		writeDiags(stderr, diags, roots)
		return exitConfig
	}
	ex, ediags := res.Explain(path)
	diags = append(diags, ediags...)
	if ex != nil {
		writeExplanation(stdout, ex)
	}
	writeDiags(stderr, diags, roots)
	if diags.HasErrors() {
		return exitConfig
	}
	return exitOK
}

// writeExplanation renders an explanation for people.
func writeExplanation(w io.Writer, ex *merge.Explanation) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", ex.Path)
	fmt.Fprintf(&b, "  type:        %s\n", ex.Type)
	if ex.Description != "" {
		fmt.Fprintf(&b, "  description: %s\n", ex.Description)
	}
	for i, r := range ex.Declarations {
		label := "declared at:"
		if i > 0 {
			label = "and at:"
		}
		fmt.Fprintf(&b, "  %-12s %s\n", label, place(r))
	}
	if len(ex.Definitions) == 0 {
		b.WriteString("  definitions: none\n")
	} else {
		b.WriteString("  definitions, in definition order:\n")
	}
	for _, d := range ex.Definitions {
		what := "definition"
		if d.Default {
			what = "option default"
		}
		fmt.Fprintf(&b, "    %s (%s)\n", place(d.Range), what)
		fmt.Fprintf(&b, "      priority %s, order %s\n", d.Priority, d.Order)
		if d.Value != cty.NilVal {
			fmt.Fprintf(&b, "      value    %s\n", valueText(d.Value))
		}
		switch s := d.Status.(type) {
		case merge.Shadowed:
			fmt.Fprintf(&b, "      SHADOWED by priority %s at %s\n", s.Priority, place(s.By))
		case merge.Dropped:
			fmt.Fprintf(&b, "      DROPPED: its condition at %s is false (the value was not evaluated)\n", place(s.Condition))
		default:
			b.WriteString("      merged\n")
		}
	}
	if ex.Value != cty.NilVal {
		fmt.Fprintf(&b, "  value:       %s\n", valueText(ex.Value))
	} else {
		b.WriteString("  value:       (none; see the errors)\n")
	}
	io.WriteString(w, b.String())
}

// place renders a range as FILE:LINE.
func place(r hcl.Range) string { return fmt.Sprintf("%s:%d", r.Filename, r.Start.Line) }

// valueText renders a value as compact JSON.
func valueText(v cty.Value) string {
	b, err := merge.ValueJSON(v)
	if err != nil {
		return v.GoString()
	}
	return string(b)
}
