package merge_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/strata-build/strata/merge"
)

// TestDeterminism evaluates the same modules twice, and with independent
// modules imported in every order, and wants the same JSON each time.
func TestDeterminism(t *testing.T) {
	fsys := fstest.MapFS{
		"decl.hcl": {Data: []byte(`
option "services" {
  type    = attrsOf(submodule)
  default = {}
  option "port" { type = port }
  option "tags" {
    type    = attrsOf(str)
    default = {}
  }
}
option "env" {
  type    = attrsOf(anything)
  default = {}
}
`)},
	}
	var mods []string
	for i := range 4 {
		name := fmt.Sprintf("m%d.hcl", i)
		mods = append(mods, `"./`+name+`"`)
		fsys[name] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`
config {
  services "s%[1]d" {
    port = %[1]d
    tags = { k%[1]d = "v", shared = "same" }
  }
  env = { n%[1]d = { x = [%[1]d, 1.5, true, null] }, common = { a = "b" } }
}
`, i))}
	}
	var first []byte
	perms := [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}, {2, 0, 3, 1}}
	for _, perm := range perms {
		var order []string
		for _, i := range perm {
			order = append(order, mods[i])
		}
		fsys["main.hcl"] = &fstest.MapFile{Data: []byte(`imports = ["./decl.hcl", ` + strings.Join(order, ", ") + "]\n")}
		for run := range 2 {
			res, diags := (&merge.Config{FS: fsys}).Eval("main.hcl")
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got, err := res.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = got
				continue
			}
			if !bytes.Equal(first, got) {
				t.Errorf("order %v, run %d:\n got %s\nwant %s", perm, run, got, first)
			}
		}
	}
	if !bytes.Contains(first, []byte(`"x":[3,1.5,true,null]`)) {
		t.Errorf("whole numbers and floats: got %s", first)
	}
}

// TestCacheShared evaluates the same modules from several goroutines with
// one Cache, and wants the JSON of an evaluation without it.
func TestCacheShared(t *testing.T) {
	fsys := fstest.MapFS{
		"main.hcl": {Data: []byte(`imports = ["./b.hcl"]
option "fs" {
  type    = attrsOf(submodule)
  default = {}
  option "device" { type = str }
  option "label" {
    type    = str
    default = "L-${name}"
  }
}
config {
  fs "/" { device = "sda" }
  fs "/b" { device = config.fs["/"].device }
}
`)},
		"b.hcl": {Data: []byte("config {\n  fs = { \"/c\" = { device = \"sdc\" } }\n}\n")},
	}
	res, diags := (&merge.Config{FS: fsys}).Eval("main.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want, _ := res.MarshalJSON()
	cache := &merge.Cache{}
	errs := make(chan string, 8)
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			res, diags := (&merge.Config{FS: fsys, Cache: cache}).Eval("main.hcl")
			if diags.HasErrors() {
				errs <- diags.Error()
				return
			}
			got, _ := res.MarshalJSON()
			if !bytes.Equal(got, want) {
				errs <- fmt.Sprintf("got %s, want %s", got, want)
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
