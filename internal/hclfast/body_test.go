package hclfast

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// TestBodyMethods checks what a Body answers itself, without building
// hclsyntax's tree, against hclsyntax's tree of the same file: the ranges
// of block headers, AsHCLBlock, AsHCLAttribute, Attribute and
// MissingItemRange; and that its hcl.Body methods give hclsyntax's
// results, diagnostics included.
func TestBodyMethods(t *testing.T) {
	schema := &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "a", Required: true}, {Name: "b"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "blk", LabelNames: []string{"x"}}},
	}
	tests := []struct {
		name, src string
	}{
		{"empty", ""},
		{"attributes", "a = 1\nb = \"x\"\n"},
		{"blocks", "blk \"l\" {\n  c = 1\n}\nblk {\n}\nother x \"y\" {\n  inner { d = 2 }\n}\n"},
		{"unknown attribute", "a = 1\nz = 2\n"},
		{"missing required", "b = 1\n"},
		{"outside the subset", "a = \"${x}\"\nblk \"l\" \"m\" {\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := ParseConfig([]byte(tt.src), tt.name+".hcl")
			if diags.HasErrors() {
				t.Fatalf("parse: %v", diags)
			}
			want, _ := hclsyntax.ParseConfig([]byte(tt.src), tt.name+".hcl", hcl.InitialPos)
			compareBodies(t, f.Body.(*Body), want.Body.(*hclsyntax.Body))

			gotContent, gotDiags := f.Body.Content(schema)
			wantContent, wantDiags := want.Body.Content(schema)
			if d := cmp.Diff(wantDiags.Error(), gotDiags.Error()); d != "" {
				t.Errorf("Content diagnostics (-hclsyntax +hclfast):\n%s", d)
			}
			if len(gotContent.Attributes) != len(wantContent.Attributes) || len(gotContent.Blocks) != len(wantContent.Blocks) {
				t.Errorf("Content: %d attributes and %d blocks, want %d and %d",
					len(gotContent.Attributes), len(gotContent.Blocks), len(wantContent.Attributes), len(wantContent.Blocks))
			}
			gotAttrs, gotDiags := f.Body.JustAttributes()
			wantAttrs, wantDiags := want.Body.JustAttributes()
			if d := cmp.Diff(wantDiags.Error(), gotDiags.Error()); d != "" {
				t.Errorf("JustAttributes diagnostics (-hclsyntax +hclfast):\n%s", d)
			}
			if len(gotAttrs) != len(wantAttrs) {
				t.Errorf("JustAttributes: %d attributes, want %d", len(gotAttrs), len(wantAttrs))
			}
			if got, want := f.Body.MissingItemRange(), want.Body.MissingItemRange(); got != want {
				t.Errorf("MissingItemRange = %v, want %v", got, want)
			}
		})
	}
}

// compareBodies walks a compact body and hclsyntax's body of the same
// source together.
func compareBodies(t *testing.T, got *Body, want *hclsyntax.Body) {
	t.Helper()
	if got.SrcRange() != want.SrcRange || got.EndRange() != want.EndRange {
		t.Errorf("body ranges %v %v, want %v %v", got.SrcRange(), got.EndRange(), want.SrcRange, want.EndRange)
	}
	if len(got.Attributes) != len(want.Attributes) {
		t.Fatalf("%d attributes, want %d", len(got.Attributes), len(want.Attributes))
	}
	for name, wa := range want.Attributes {
		ga := got.Attribute(name)
		if ga == nil {
			t.Errorf("Attribute(%q) = nil", name)
			continue
		}
		if d := cmp.Diff(wa.AsHCLAttribute(), ga.AsHCLAttribute(), sameTree); d != "" {
			t.Errorf("AsHCLAttribute of %q (-hclsyntax +hclfast):\n%s", name, d)
		}
	}
	if got.Attribute("no such attribute") != nil {
		t.Errorf("Attribute found a name the body does not have")
	}
	if len(got.Blocks) != len(want.Blocks) {
		t.Fatalf("%d blocks, want %d", len(got.Blocks), len(want.Blocks))
	}
	for i, wb := range want.Blocks {
		gb := &got.Blocks[i]
		if gb.DefRange() != wb.DefRange() || gb.TypeRange() != wb.TypeRange || gb.OpenBraceRange() != wb.OpenBraceRange {
			t.Errorf("block %d header ranges differ", i)
		}
		for j := range wb.LabelRanges {
			if gb.LabelRange(j) != wb.LabelRanges[j] {
				t.Errorf("block %d label %d range %v, want %v", i, j, gb.LabelRange(j), wb.LabelRanges[j])
			}
		}
		gh, wh := gb.AsHCLBlock(), wb.AsHCLBlock()
		if gh.Body != hcl.Body(gb.Body) {
			t.Errorf("AsHCLBlock of block %d has another body", i)
		}
		gh.Body, wh.Body = nil, nil
		if d := cmp.Diff(wh, gh); d != "" {
			t.Errorf("AsHCLBlock of block %d (-hclsyntax +hclfast):\n%s", i, d)
		}
		compareBodies(t, gb.Body, wb.Body)
	}
}

// TestSyntaxConcurrent checks that goroutines asking a body for its tree
// at once all get the same one (run with -race in CI).
func TestSyntaxConcurrent(t *testing.T) {
	f, diags := ParseConfig([]byte("a = 1\nb {\n  c = [1, 2]\n}\n"), "c.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	body := f.Body.(*Body)
	const n = 8
	got := make(chan *hclsyntax.Body, n)
	for range n {
		go func() {
			_, _ = body.JustAttributes()
			got <- body.Syntax()
		}()
	}
	first := <-got
	for range n - 1 {
		if s := <-got; s != first {
			t.Fatalf("two goroutines got different trees")
		}
	}
	if first.Blocks[0].Body != body.Blocks[0].Body.Syntax() {
		t.Errorf("a block's tree is not its body's")
	}
}

// TestTooLarge checks the error for a file over the size limit, with a
// limit small enough to test.
func TestTooLarge(t *testing.T) {
	for _, tt := range []struct {
		src  string
		fail bool
	}{{"a = 1\n", false}, {"a = 12\n", true}, {"a = \"${x}\"\n", true}} {
		f, diags := parseConfig([]byte(tt.src), "big.hcl", 6)
		if !tt.fail {
			if diags.HasErrors() || f.Body.(*Body).Attribute("a") == nil {
				t.Errorf("%q: %v, want attribute a and no error", tt.src, diags)
			}
			continue
		}
		if len(diags) != 1 || diags[0].Summary != "File too large" || diags[0].Subject == nil || diags[0].Subject.Filename != "big.hcl" {
			t.Errorf("%q: diagnostics = %v, want one located \"File too large\"", tt.src, diags)
		}
		if f == nil || len(f.Body.(*Body).Attributes) != 0 {
			t.Errorf("%q: want an empty body with the error", tt.src)
		}
	}
}
