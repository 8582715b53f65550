package merge

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestTopLevelInPlace checks the loader's reading of a native module's
// top level in place against hclsyntax's Content: the same diagnostics
// for what the schema does not take, and the same blocks kept.
func TestTopLevelInPlace(t *testing.T) {
	opt := "option \"a\" {\n  type = int\n  default = 1\n}\n"
	tests := []struct {
		name, src string
		options   int // option blocks kept
	}{
		{"clean", "imports = []\n" + opt + "config {\n  a = 2\n}\n", 1},
		{"unknown attribute", "importz = []\n" + opt, 1},
		{"unknown block", "conifg {\n}\n" + opt, 1},
		{"option without label", "option {\n  type = int\n}\n" + opt, 1},
		{"option with two labels", "option \"b\" \"c\" {\n  type = int\n}\n" + opt, 1},
		{"config with a label", "config \"x\" {\n  a = 2\n}\n" + opt, 1},
		{"attribute named as a block", "config = 1\n" + opt, 1},
		{"outside the subset", "importz = \"${x}\"\n" + opt, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Config{}
			m := c.analyse(location{key: "m.hcl", name: "m.hcl", fpath: "m.hcl"}, []byte(tt.src))
			f, _ := hclsyntax.ParseConfig([]byte(tt.src), "m.hcl", hcl.InitialPos)
			_, want := f.Body.Content(moduleSchema)
			summaries := func(ds hcl.Diagnostics) []string {
				var out []string
				for _, d := range ds {
					s := d.Summary + ": " + d.Detail
					if d.Subject != nil {
						s += " @ " + d.Subject.String()
					}
					out = append(out, s)
				}
				return out
			}
			if d := cmp.Diff(summaries(sortDiags(want)), summaries(sortDiags(m.diags))); d != "" {
				t.Errorf("diagnostics (-hclsyntax +loader):\n%s", d)
			}
			if len(m.options) != tt.options {
				t.Errorf("%d option blocks kept, want %d", len(m.options), tt.options)
			}
		})
	}
}
