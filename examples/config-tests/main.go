// Command config-tests evaluates the live-iso example's host configuration
// and prints what its boot media will be made of. Its tests (config_test.go)
// are the point of the example: unit tests against a merged configuration,
// with go-cmp, the way a team would guard its own hosts.
//
//	go run ./examples/config-tests
//	go test ./examples/config-tests
package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

// hostModule is the configuration under test, relative to the repository.
const hostModule = "examples/live-iso/host.hcl"

func main() {
	host := hostModule
	if len(os.Args) > 1 {
		host = os.Args[1]
	}
	if err := show(os.Stdout, host); err != nil {
		fmt.Fprintln(os.Stderr, "config-tests:", err)
		os.Exit(1)
	}
}

// evaluate evaluates the host with the profiles root and a placeholder
// folder of boot inputs (nothing is read from it), plus any extra modules.
func evaluate(modules ...string) (*merge.Result, hcl.Diagnostics) {
	cfg := &merge.Config{
		Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
		Args:  map[string]cty.Value{"bootInputs": cty.StringVal("/boot-inputs")},
	}
	return cfg.Eval(modules...)
}

func show(w io.Writer, host string) error {
	r, diags := evaluate(host)
	if diags.HasErrors() {
		return diags
	}
	spec, diags := media.FromResult(r)
	if diags.HasErrors() {
		return diags
	}
	fmt.Fprintf(w, "volume ID:    %s\n", spec.VolumeID)
	fmt.Fprintf(w, "menu entry:   %s\n", spec.Label())
	fmt.Fprintf(w, "kernel:       %s\n", strings.Join(spec.KernelParams, " "))
	fmt.Fprintf(w, "boots from:   BIOS %v, UEFI %v, USB %v\n", spec.BIOS, spec.EFI, spec.USB)
	return nil
}
