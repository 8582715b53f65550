package doccheck_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/strata-build/strata/internal/doccheck"
)

// TestRepository is the check itself: it fails when an exported name
// anywhere in the module lacks a doc comment.
func TestRepository(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found from %s: %v", root, err)
	}
	problems, err := doccheck.Check(os.DirFS(root))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s", p)
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		files fstest.MapFS
		want  []string
	}{
		{
			name: "documented",
			files: fstest.MapFS{
				"a/doc.go": {Data: []byte("// Package a does things.\npackage a\n")},
				"a/a.go": {Data: []byte(`package a

// T is a thing.
type T struct{}

// M does it.
func (T) M() {}

// Group doc covers both.
const (
	X = 1
	Y = 2
)

var (
	Z = 3 // Z is documented by its line comment.
)

// F is a function.
func F() {}

func unexported() {}

type hidden struct{}

func (hidden) Exported() {}
`)},
			},
		},
		{
			name: "missing",
			files: fstest.MapFS{
				"a/doc.go": {Data: []byte("// Package a does things.\npackage a\n")},
				"a/a.go": {Data: []byte(`package a

type T struct{}

func (*T) M() {}

type G[P any] struct{}

func (g G[P]) N() {}

const X, y = 1, 2

var Z = 3

func F() {}
`)},
			},
			want: []string{
				"a/a.go:3: T: exported but has no doc comment",
				"a/a.go:5: T.M: exported but has no doc comment",
				"a/a.go:7: G: exported but has no doc comment",
				"a/a.go:9: G.N: exported but has no doc comment",
				"a/a.go:11: X: exported but has no doc comment",
				"a/a.go:13: Z: exported but has no doc comment",
				"a/a.go:15: F: exported but has no doc comment",
			},
		},
		{
			name: "comments that do not start with the name",
			files: fstest.MapFS{
				"a/doc.go": {Data: []byte("// Package a does things.\npackage a\n")},
				"a/a.go": {Data: []byte(`package a

// Makes a thing.
func New() {}

// A Thing is a thing; an article is fine.
type Thing struct{}

// Things is not Thing.
func (Thing) Thing() {}

// Group of types: the group comment may say anything.
type (
	X int
	// Y is documented on its own.
	Y int
	// This is not Y's name.
	Z int
)

// Deprecated: use New.
func Old() {}
`)},
			},
			want: []string{
				`a/a.go:4: New: doc comment should start with "New", not "Makes a thing."`,
				`a/a.go:10: Thing.Thing: doc comment should start with "Thing", not "Things is not Thing."`,
				`a/a.go:18: Z: doc comment should start with "Z", not "This is not Y's name."`,
			},
		},
		{
			name: "package comment",
			files: fstest.MapFS{
				"nodoc/a.go":   {Data: []byte("package nodoc\n")},
				"wrong/a.go":   {Data: []byte("// This package is wrong.\npackage wrong\n")},
				"cmd/x/m.go":   {Data: []byte("// Command x runs.\npackage main\n")},
				"empty/README": {Data: []byte("no Go here\n")},
			},
			want: []string{
				"nodoc/a.go:1: package nodoc: no package comment (put one in nodoc/doc.go)",
				`wrong/a.go:1: package wrong: package comment should start "Package wrong "`,
			},
		},
		{
			name: "skipped",
			files: fstest.MapFS{
				"a/doc.go":        {Data: []byte("// Package a does things.\npackage a\n")},
				"a/a_test.go":     {Data: []byte("package a\n\nfunc Helper() {}\n")},
				"a/testdata/x.go": {Data: []byte("package x\n\nfunc F() {}\n")},
				".hidden/x.go":    {Data: []byte("package x\n\nfunc F() {}\n")},
				"_skip/x.go":      {Data: []byte("package x\n\nfunc F() {}\n")},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			problems, err := doccheck.Check(tc.files)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckSyntaxError(t *testing.T) {
	_, err := doccheck.Check(fstest.MapFS{"a/a.go": {Data: []byte("package a\nfunc (\n")}})
	if err == nil {
		t.Fatal("Check of a file that does not parse: got no error")
	}
}

// Check lists each exported name that lacks a doc comment, with its place.
func ExampleCheck() {
	src := fstest.MapFS{
		"shape/doc.go": {Data: []byte("// Package shape measures shapes.\npackage shape\n")},
		"shape/shape.go": {Data: []byte(`package shape

// Square is a square.
type Square struct{ Side float64 }

func (s Square) Area() float64 { return s.Side * s.Side }
`)},
	}
	problems, err := doccheck.Check(src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	// Output:
	// shape/shape.go:6: Square.Area: exported but has no doc comment
}
