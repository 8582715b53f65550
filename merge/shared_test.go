package merge_test

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir returns ../shared (relative to the repository root), skipping
// the test when it is absent, except under CI, where it must exist.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared"))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("../shared is required when CI is set: %v", err)
		}
		tb.Skipf("skipping: ../shared (%s) is absent", dir)
	}
	return dir
}
