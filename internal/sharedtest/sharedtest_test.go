package sharedtest

import (
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(filepath.Dir(root), "shared")
	if got := Dir(t); got != want {
		t.Errorf("Dir = %q, want %q", got, want)
	}
}
