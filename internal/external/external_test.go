package external_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// goTool returns the go command, skipping the test where there is none
// (except under CI, where the toolchain is always installed).
func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("go command not found, and CI is set: %v", err)
		}
		t.Skipf("skipping: go command not found: %v", err)
	}
	return p
}

// repoRoot returns the absolute path of the checkout this test runs in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found: %v", err)
	}
	return root
}

// runModule writes files into a new module outside the repository that
// requires strata through a replace directive, runs "go run ." in it and
// returns standard output. The dependencies resolve to the versions the
// repository uses, from the module cache, so the test needs no network
// when the repository builds.
func runModule(t *testing.T, files map[string]string) string {
	t.Helper()
	return goIn(t, writeModule(t, files), "run", ".")
}

// writeModule writes files into a new module outside the repository (see
// runModule) and returns its directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	gomod := "module example.com/embedder\n\ngo 1.26\n\n" +
		"require github.com/strata-build/strata v0.0.0\n\n" +
		"replace github.com/strata-build/strata => " + filepath.ToSlash(root) + "\n"
	files["go.mod"] = gomod
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sum)
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// goIn runs the go command with args in the module at dir and returns its
// standard output; a failure stops the test with both outputs.
func goIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	goCmd := goTool(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	// -mod=mod lets the go command complete the new module's requirements
	// from strata's go.mod; GOPROXY and GOMODCACHE come from the
	// environment, so a warm module cache is enough. GOWORK=off keeps a
	// go.work around the temporary directory out of it.
	flags := strings.TrimSpace(os.Getenv("GOFLAGS") + " -mod=mod")
	cmd.Env = append(os.Environ(), "GOFLAGS="+flags, "GOWORK=off")
	var stdout, stderr strings.Builder
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %s in the outside module: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestEmbedder is the acceptance test of the embedding API: the program in
// testdata/embedder evaluates the installer base plus a host held in an
// fstest.MapFS, with a Go argument and a Go function (and once with a
// cancelled context), decodes fileSystems into its own struct, compares it
// with go-cmp, and writes an ISO image into a bytes.Buffer that it reads
// back.
func TestEmbedder(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "embedder", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	got := runModule(t, map[string]string{"main.go": string(src)})
	want := "cancel: ok\neval: ok\nfileSystems: ok\narguments and functions: ok\nimage: ok\nread back: ok\n"
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestPriorityFromOutside checks the mechanics with the smallest package.
func TestPriorityFromOutside(t *testing.T) {
	got := runModule(t, map[string]string{
		"main.go": `package main

import (
	"fmt"

	"github.com/strata-build/strata/priority"
)

func main() {
	fmt.Println(priority.ImageMedia, priority.Force < priority.ImageMedia)
}
`,
	})
	if want := "60 (mkImageMediaOverride) true\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

// TestMergetestFromOutside runs the tests of an outside module that uses
// mergetest: Eval, Value with go-cmp, Warnings, and Golden, whose file is
// written by "go test -update" and then checked by a plain "go test".
func TestMergetestFromOutside(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "hosttest", "host_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	dir := writeModule(t, map[string]string{
		"host.go":      "// Package host holds a host configuration and its tests.\npackage host\n",
		"host_test.go": string(src),
	})
	goIn(t, dir, "test", "-count=1", ".", "-update")
	golden, err := os.ReadFile(filepath.Join(dir, "testdata", "filesystems.json"))
	if err != nil {
		t.Fatalf("go test -update wrote no golden file: %v", err)
	}
	if !strings.Contains(string(golden), `"/nix/.ro-store"`) {
		t.Errorf("golden file lacks the installer's file systems:\n%s", golden)
	}
	out := goIn(t, dir, "test", "-count=1", "-v", ".")
	for _, want := range []string{"--- PASS: TestHost", "--- PASS: TestGolden"} {
		if !strings.Contains(out, want) {
			t.Errorf("go test output lacks %q:\n%s", want, out)
		}
	}
}
