package merge

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
)

// TestQuickSameAsHCL checks that expressions quickValue evaluates give
// hcl's values, that those it leaves to hcl get hcl's diagnostics, and that
// it takes the expressions it is meant for.
func TestQuickSameAsHCL(t *testing.T) {
	const decls = `
option "a" {
  type    = int
  default = 1
}
option "s" {
  type    = str
  default = "x"
}
option "on" {
  type    = bool
  default = true
}
option "n.x" {
  type    = int
  default = 5
}
option "l" {
  type    = listOf(int)
  default = [8]
}
option "u" {
  type    = attrsOf(submodule)
  default = {}
  option "home" {
    type    = str
    default = format("/home/%s", name)
  }
}
option "r" {
  type    = anything
  default = null
}
locals {
  cfg  = config.n
  same = config.a
  plus = config.a + 1
}
`
	tests := []struct {
		name  string
		expr  string
		quick bool // quickValue takes it
		fails bool
	}{
		{name: "function of an option", expr: `format("%d-%s", config.a, config.s)`, quick: true},
		{name: "variadic arguments", expr: `format("%s %s %s", "a", config.s, "b")`, quick: true},
		{name: "tuple", expr: `[config.a, config.n.x, "lit", 2]`, quick: true},
		{name: "empty tuple", expr: `[]`, quick: false}, // no variables: not evalVars
		{name: "sum", expr: `config.a + local.cfg.x * 2`, quick: true},
		{name: "negation", expr: `-config.a`, quick: true},
		{name: "not", expr: `!config.on`, quick: true},
		{name: "parentheses", expr: `(config.a + 1) * 3`, quick: true},
		{name: "comparison", expr: `config.a == local.same`, quick: true},
		{name: "conversion", expr: `config.a + "2"`, quick: true},
		{name: "nested calls", expr: `upper(format("%s-%d", config.s, length(config.l)))`, quick: true},
		{name: "and", expr: `config.on && config.a > 0`, quick: true},
		{name: "or", expr: `!config.on || config.a < 0`, quick: true},
		{name: "and, false first", expr: `!config.on && config.a > 0`, quick: true},
		{name: "conditional", expr: `config.on ? config.a : 0`},
		{name: "into a list", expr: `config.l[0] + config.a`},
		{name: "computed local", expr: `local.plus + config.a`},
		{name: "namespace", expr: `config.n`},
		{name: "object", expr: `{ k = config.a }`, quick: true}, // pushed down: k alone
		{name: "bad conversion", expr: `config.a + config.s`, fails: true},
		{name: "failing call", expr: `format("%d", config.s)`, fails: true},
		{name: "too many arguments", expr: `upper(config.s, config.s)`, fails: true},
		{name: "too few arguments", expr: `format()`, fails: true},
		{name: "unknown function", expr: `nosuch(config.a)`, fails: true},
		{name: "missing option", expr: `config.nosuch + 1`, fails: true},
		{name: "missing local", expr: `local.nosuch + config.a`, fails: true},
		{name: "name outside a submodule", expr: `format("%s", name, config.s)`, fails: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"main.hcl": {Data: []byte(decls + "config {\n  r = " + tc.expr + "\n  u \"alice\" {}\n}\n")}}
			var outs [2]string
			var quicks [2]int
			for i, hclOnly := range []bool{true, false} {
				res, diags := (&Config{FS: fsys, serial: true, hclOnly: hclOnly}).Eval("main.hcl")
				if diags.HasErrors() {
					outs[i] = describeDiags(diags)
					continue
				}
				b, jdiags := res.JSON("")
				outs[i] = string(b) + describeDiags(jdiags)
				quicks[i] = res.e.quicks
			}
			if outs[0] != outs[1] {
				t.Errorf("results differ:\nhcl:   %s\nquick: %s", outs[0], outs[1])
			}
			if quicks[0] != 0 {
				t.Errorf("%d quick evaluations with hclOnly", quicks[0])
			}
			// Without the expression, the configuration evaluates the
			// submodule default and the locals it names: count those.
			base, diags := (&Config{FS: fstest.MapFS{"main.hcl": {Data: []byte(decls + "config {\n  u \"alice\" {}\n}\n")}}, serial: true}).Eval("main.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if _, d := base.JSON(""); d.HasErrors() {
				t.Fatal(d)
			}
			if got := quicks[1] > base.e.quicks; got != tc.quick && !tc.fails {
				t.Errorf("quick evaluation of r: got %t, want %t (%d against %d without it)", got, tc.quick, quicks[1], base.e.quicks)
			}
			if failed := strings.Contains(outs[1], "error:"); failed != tc.fails {
				t.Errorf("failed: got %t, want %t: %s", failed, tc.fails, outs[1])
			}
		})
	}
}

// describeDiags writes diagnostics with their places, to compare them.
func describeDiags(diags hcl.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		sev := "warning"
		if d.Severity == hcl.DiagError {
			sev = "error"
		}
		fmt.Fprintf(&b, "\n%s: %s; %s", sev, d.Summary, d.Detail)
		if d.Subject != nil {
			fmt.Fprintf(&b, " at %s", d.Subject)
		}
		if d.Context != nil {
			fmt.Fprintf(&b, " in %s", d.Context)
		}
	}
	return b.String()
}
