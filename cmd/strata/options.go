package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/merge"
)

// runOptions is strata options: the documentation of every declared
// option, as text, Markdown or JSON.
func runOptions(argv []string, stdout, stderr io.Writer) int {
	fset, args := newFlags("options", "Usage: strata options [--markdown|--json] [--internal] [--arg NAME=VALUE]... MODULE...\n\n"+
		"Prints every option the modules declare, sorted by path, with its type,\n"+
		"default, description, example and declaration places.", stderr)
	md := fset.Bool("markdown", false, "print Markdown")
	js := fset.Bool("json", false, "print JSON: a list of objects with path, type, default, description, example, readOnly, internal, declarations")
	internal := fset.Bool("internal", false, "include options declared internal")
	if err := fset.Parse(argv); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if *md && *js {
		fmt.Fprintln(stderr, "strata options: --markdown and --json exclude each other")
		return exitUsage
	}
	if fset.NArg() == 0 {
		fmt.Fprintln(stderr, "strata options: no module given")
		fset.Usage()
		return exitUsage
	}
	roots := searchRoots()
	res, diags := (&merge.Config{Roots: roots, Args: args}).Eval(fset.Args()...)
	writeDiags(stderr, diags, roots)
	if diags.HasErrors() {
		return exitConfig
	}
	var opts []*merge.Option
	for _, o := range res.Options() {
		if o.Internal && !*internal {
			continue
		}
		opts = append(opts, o)
	}
	var out string
	switch {
	case *js:
		out = optionsJSON(opts)
	case *md:
		out = optionsMarkdown(opts)
	default:
		out = optionsText(opts)
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		fmt.Fprintf(stderr, "strata options: %v\n", err)
		return exitConfig
	}
	return exitOK
}

func defaultText(o *merge.Option) string {
	if o.DefaultText != "" {
		return o.DefaultText
	}
	if o.Default != cty.NilVal {
		return valueText(o.Default)
	}
	return ""
}

func optionsText(opts []*merge.Option) string {
	var b strings.Builder
	for i, o := range opts {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s\n  type: %s\n", o.Path, o.Type)
		if d := defaultText(o); d != "" {
			fmt.Fprintf(&b, "  default: %s\n", d)
		}
		if o.Example != cty.NilVal {
			fmt.Fprintf(&b, "  example: %s\n", valueText(o.Example))
		}
		if o.ReadOnly {
			b.WriteString("  read-only\n")
		}
		if o.Description != "" {
			fmt.Fprintf(&b, "  %s\n", o.Description)
		}
		for _, r := range o.Declarations {
			fmt.Fprintf(&b, "  declared at %s\n", place(r))
		}
	}
	return b.String()
}

func optionsMarkdown(opts []*merge.Option) string {
	var b strings.Builder
	b.WriteString("# Options\n")
	for _, o := range opts {
		fmt.Fprintf(&b, "\n## `%s`\n\n", o.Path)
		if o.Description != "" {
			fmt.Fprintf(&b, "%s\n\n", o.Description)
		}
		fmt.Fprintf(&b, "- Type: %s\n", o.Type)
		if d := defaultText(o); d != "" {
			fmt.Fprintf(&b, "- Default: `%s`\n", d)
		}
		if o.Example != cty.NilVal {
			fmt.Fprintf(&b, "- Example: `%s`\n", valueText(o.Example))
		}
		if o.ReadOnly {
			b.WriteString("- Read-only\n")
		}
		var places []string
		for _, r := range o.Declarations {
			places = append(places, "`"+place(r)+"`")
		}
		fmt.Fprintf(&b, "- Declared in: %s\n", strings.Join(places, ", "))
	}
	return b.String()
}

// optionJSON is one option in the --json output.
type optionJSON struct {
	Path         string          `json:"path"`
	Type         string          `json:"type"`
	Default      json.RawMessage `json:"default,omitempty"`
	DefaultText  string          `json:"defaultText,omitempty"`
	Description  string          `json:"description,omitempty"`
	Example      json.RawMessage `json:"example,omitempty"`
	ReadOnly     bool            `json:"readOnly,omitempty"`
	Internal     bool            `json:"internal,omitempty"`
	Declarations []string        `json:"declarations"`
}

func optionsJSON(opts []*merge.Option) string {
	list := []optionJSON{}
	for _, o := range opts {
		j := optionJSON{Path: o.Path.String(), Type: o.Type, DefaultText: o.DefaultText, Description: o.Description,
			ReadOnly: o.ReadOnly, Internal: o.Internal, Declarations: []string{}}
		if o.Default != cty.NilVal {
			j.Default = json.RawMessage(valueText(o.Default))
		}
		if o.Example != cty.NilVal {
			j.Example = json.RawMessage(valueText(o.Example))
		}
		for _, r := range o.Declarations {
			j.Declarations = append(j.Declarations, place(r))
		}
		list = append(list, j)
	}
	b, _ := json.MarshalIndent(list, "", "  ")
	return string(b) + "\n"
}
