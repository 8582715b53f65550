package merge_test

import "testing"

// TestOptionNames checks expressions that name an option, directly or
// through locals that are names themselves, against expressions computed
// from options, in every position an expression takes: a default, a
// definition, a condition.
func TestOptionNames(t *testing.T) {
	const decls = `
option "a" {
  type    = int
  default = 1
}
option "n.x" {
  type    = int
  default = 5
}
option "on" {
  type    = bool
  default = true
}
option "r" {
  type    = int
  default = 0
}
option "m" {
  type    = attrsOf(int)
  default = { k = 7 }
}
option "l" {
  type    = listOf(int)
  default = [8]
}
`
	tests := []struct {
		name   string
		module string
		want   string // JSON of r
	}{
		{name: "option", module: `config {
  r = config.a
}`, want: "1"},
		{name: "computed", module: `config {
  r = config.a + 1
}`, want: "2"},
		{name: "local naming an option", module: `locals {
  same = config.a
}
config {
  r = local.same
}`, want: "1"},
		{name: "local computed from an option", module: `locals {
  plus = config.a + 1
}
config {
  r = local.plus
}`, want: "2"},
		{name: "local naming a local", module: `locals {
  same = config.a
  again = local.same
}
config {
  r = local.again
}`, want: "1"},
		{name: "local naming a namespace", module: `locals {
  ns = config.n
}
config {
  r = local.ns.x
}`, want: "5"},
		{name: "local computed from a namespace", module: `locals {
  ns = merge(config.n, { x = 9 })
}
config {
  r = local.ns.x
}`, want: "9"},
		{name: "into an attrsOf value", module: `config {
  r = config.m.k
}`, want: "7"},
		{name: "into a list value", module: `config {
  r = config.l[0]
}`, want: "8"},
		{name: "index by name", module: `config {
  r = config.n["x"]
}`, want: "5"},
		{name: "condition naming an option", module: `config {
  when = config.on
  r    = 3
}`, want: "3"},
		{name: "condition computed from an option", module: `config {
  when = !config.on
  r    = 3
}`, want: "0"},
		{name: "mkIf through a local", module: `locals {
  cfg = config
}
config {
  r = mkIf(local.cfg.on, 4)
}`, want: "4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, diags := evalFiles(map[string]string{"main.hcl": decls + tc.module}, "r")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if string(out) != tc.want {
				t.Errorf("r = %s, want %s", out, tc.want)
			}
		})
	}
}
