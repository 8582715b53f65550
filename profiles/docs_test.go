package profiles_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite ../docs/options.md with strata options --markdown over the bases")

// docsModule declares every option of the three bases and defines nothing,
// so the reference shows the declared defaults. It is relative to this
// package, where the tests run.
const docsModule = "testdata/docs.hcl"

// optionsFile is the checked-in reference, relative to this package.
var optionsFile = filepath.Join("..", "docs", "options.md")

// TestOptionsDoc checks that docs/options.md is what
//
//	strata options --markdown testdata/docs.hcl
//
// prints when run in this folder, with the strata command built from this
// checkout. Run go test ./profiles -update to regenerate it.
func TestOptionsDoc(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "strata")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/strata").CombinedOutput(); err != nil {
		t.Fatalf("building the strata command: %v\n%s", err, out)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "options", "--markdown", docsModule)
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("strata options --markdown %s: %v\n%s", docsModule, err, stderr.Bytes())
	}
	if *update {
		if err := os.WriteFile(optionsFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(optionsFile)
	if err != nil {
		t.Fatalf("%v (run go test ./profiles -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is out of date: run go test ./profiles -update and review the diff", optionsFile)
	}
}
