package profiles

import (
	"io/fs"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// TestModulesParse checks that every embedded module is well-formed HCL,
// independently of the evaluator.
func TestModulesParse(t *testing.T) {
	names, err := fs.Glob(FS(), "*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	more, err := fs.Glob(FS(), "options/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, more...)
	if len(names) < 3 {
		t.Fatalf("FS holds %d modules, want at least the three bases: %v", len(names), names)
	}
	p := hclparse.NewParser()
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			src, err := fs.ReadFile(FS(), name)
			if err != nil {
				t.Fatal(err)
			}
			if _, diags := p.ParseHCL(src, name); diags.HasErrors() {
				t.Errorf("%s does not parse: %s", name, diags.Error())
			}
		})
	}
}
