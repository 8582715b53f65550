package doccheck_test

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/priority"
)

// The tests below keep docs/module-format.md in step with the code and with
// the contract in ../shared/spec/module-format.md: the tables of
// priorities, orders, property functions and types.

// readDoc returns a file of the repository, or of ../shared.
func readDoc(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// section returns the text of the section of a markdown document whose
// heading starts with prefix (such as "## 2."), up to the next heading of
// the same or a higher level.
func section(t *testing.T, doc, prefix string) string {
	t.Helper()
	level := strings.Index(prefix, " ")
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			continue
		}
		var out []string
		for _, m := range lines[i+1:] {
			if strings.HasPrefix(m, "#") {
				if n := len(m) - len(strings.TrimLeft(m, "#")); n <= level {
					break
				}
			}
			out = append(out, m)
		}
		return strings.Join(out, "\n")
	}
	t.Fatalf("no section %q", prefix)
	return ""
}

// rows returns the cells of the table rows in text, header and rule left
// out.
func rows(text string) [][]string {
	var out [][]string
	seenRule := false
	for _, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(l, "|") {
			seenRule = false
			continue
		}
		if strings.HasPrefix(l, "|---") {
			seenRule = true
			continue
		}
		if !seenRule {
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		out = append(out, cells)
	}
	return out
}

var backticked = regexp.MustCompile("`([^`]*)`")

// names returns the words in backticks of a cell, each cut at its first
// parenthesis: "`mkForce(v)`, `mkDefault(v)`" gives mkForce, mkDefault.
func names(cell string) []string {
	var out []string
	for _, m := range backticked.FindAllStringSubmatch(cell, -1) {
		n, _, _ := strings.Cut(m[1], "(")
		out = append(out, n)
	}
	return out
}

func TestModuleFormatPriorities(t *testing.T) {
	doc := readDoc(t, "docs/module-format.md")
	consts := map[string]int{
		"VMOverride": int(priority.VMOverride), "Force": int(priority.Force),
		"ImageMedia": int(priority.ImageMedia), "Plain": int(priority.Plain),
		"Default": int(priority.Default), "OptionDefault": int(priority.OptionDefault),
		"Before": int(priority.Before), "DefaultOrder": int(priority.DefaultOrder),
		"After": int(priority.After),
	}
	// Every named priority and order of the package, with its HCL name.
	want := map[string]int{}
	hcl := map[string]string{}
	for _, f := range priority.Functions() {
		n := int(f.Priority) + int(f.Order)
		hcl[f.Name] = strconv.Itoa(n)
	}
	for c, n := range consts {
		want[c] = n
	}
	got := map[string]int{}
	for _, sec := range []string{"### 2.1", "### 2.3"} {
		for _, r := range rows(section(t, doc, sec)) {
			cs := names(r[0])
			if len(cs) == 0 {
				continue // mkOrder(n, v): no constant
			}
			n, err := strconv.Atoi(r[2])
			if err != nil {
				t.Errorf("section %s: row %q: number %q: %v", sec, r, r[2], err)
				continue
			}
			got[cs[0]] = n
			for _, fn := range names(r[1]) {
				if num, ok := hcl[fn]; ok && num != r[2] {
					t.Errorf("section %s: %s is %s in the priority package, %s in the table", sec, fn, num, r[2])
				}
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("priority and order tables of docs/module-format.md against package priority (-code +doc):\n%s", diff)
	}
}

func TestModuleFormatFunctions(t *testing.T) {
	doc := readDoc(t, "docs/module-format.md")
	got := map[string]string{}
	for _, r := range rows(section(t, doc, "## 5.")) {
		ns := names(r[0])
		if len(ns) != 1 {
			t.Errorf("section 5: row %q should name one function", r)
			continue
		}
		got[ns[0]] = r[1]
	}
	for _, f := range priority.Functions() {
		n := int(f.Priority) + int(f.Order)
		effect, ok := got[f.Name]
		if !ok {
			t.Errorf("section 5 lacks %s", f.Name)
			continue
		}
		if !regexp.MustCompile(`\b` + strconv.Itoa(n) + `\b`).MatchString(effect) {
			t.Errorf("section 5: %s: %q does not say %d", f.Name, effect, n)
		}
	}
	for _, fn := range []string{"mkIf", "mkMerge", "mkOverride", "mkOrder"} {
		if _, ok := got[fn]; !ok {
			t.Errorf("section 5 lacks %s", fn)
		}
	}
}

// TestModuleFormatTypes checks that the type table of docs/module-format.md
// names exactly the types of the contract's table.
func TestModuleFormatTypes(t *testing.T) {
	contractPath := filepath.Join("..", "..", "..", "shared", "spec", "module-format.md")
	if _, err := os.Stat(contractPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("the contract is missing and CI is set: %v", err)
		}
		t.Skipf("skipping: ../shared is absent (%v)", err)
	}
	contract := readDoc(t, "../shared/spec/module-format.md")
	doc := readDoc(t, "docs/module-format.md")
	typeNames := func(text string) []string {
		var out []string
		for _, r := range rows(text) {
			out = append(out, names(r[0])...)
		}
		sort.Strings(out)
		return out
	}
	want := typeNames(section(t, contract, "## 3."))
	got := typeNames(section(t, doc, "### 3.2"))
	if len(want) == 0 {
		t.Fatal("found no types in the contract's section 3")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("types of docs/module-format.md section 3.2 against the contract's section 3 (-contract +doc):\n%s", diff)
	}
}
