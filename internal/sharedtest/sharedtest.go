package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the absolute path of the folder "shared" beside the
// project's root (the folder holding go.mod, found from the working
// directory up). Where it is absent, Dir skips tb, or fails it when CI is
// set.
func Dir(tb testing.TB) string {
	tb.Helper()
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(root)
		if up == root {
			tb.Fatalf("no go.mod in %s or above", wd)
		}
		root = up
	}
	dir := filepath.Join(filepath.Dir(root), "shared")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("../shared is required when CI is set: %v", err)
		}
		tb.Skipf("skipping: ../shared (%s) is absent", dir)
	}
	return dir
}
