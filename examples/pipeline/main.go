// Command pipeline embeds strata in a Go program: it evaluates the live-iso
// example's host configuration, adjusts the result in Go, and streams the
// image into a file and a sha256 at once, with no staging copy.
//
//	go run ./examples/pipeline -inputs .cache/boot-inputs -o out/pipeline.iso
//
// The boot inputs are the folder scripts/boot-inputs prepares (any files of
// those names will do for an image that is not booted). It prints the image's
// size and sha256, which equals `sha256sum` of the file.
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
	"github.com/strata-build/strata/profiles"
)

func main() {
	inputs := flag.String("inputs", ".cache/boot-inputs", "the folder of boot inputs (scripts/boot-inputs `DIR`)")
	host := flag.String("host", "examples/live-iso/host.hcl", "the host `MODULE`")
	out := flag.String("o", "pipeline.iso", "write the image to `FILE`")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := build(ctx, *host, *inputs, *out, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		os.Exit(1)
	}
}

func build(ctx context.Context, host, inputs, out string, stdout, stderr io.Writer) error {
	abs, err := filepath.Abs(inputs)
	if err != nil {
		return err
	}

	// 1. Evaluate, as `strata iso` does: the profiles root, and the
	// folder of boot inputs as arg.bootInputs.
	cfg := &merge.Config{
		Roots: map[string]fs.FS{profiles.Root: profiles.FS()},
		Args:  map[string]cty.Value{"bootInputs": cty.StringVal(abs)},
	}
	r, diags := cfg.EvalContext(ctx, host)
	if err := report(stderr, diags); err != nil {
		return err
	}
	spec, diags := media.FromResult(r)
	if err := report(stderr, diags); err != nil {
		return err
	}

	// 2. Adjust in Go what the modules said: name this build in the boot
	// menu and tell the booted system where it came from. (The JSON at
	// /strata/config.json stays the evaluated configuration.)
	spec.ConfigurationName = "pipeline"
	spec.KernelParams = append(spec.KernelParams, "lab.built-by=pipeline")

	// 3. Plan: every file with its size, from metadata only.
	layout, diags := media.Plan(ctx, spec)
	if err := report(stderr, diags); err != nil {
		return err
	}

	// 4. Stream once into the file (written atomically by iso.WriteFile)
	// and the hash.
	h := sha256.New()
	if err := iso.WriteFile(ctx, out, &teeImage{layout: layout, hash: h}); err != nil {
		return err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%x  %s\n", h.Sum(nil), out)
	fmt.Fprintf(stdout, "%d bytes, volume ID %s, menu entry %q\n", fi.Size(), spec.VolumeID, spec.Label())
	return nil
}

// teeImage writes the image to its destination and to a hash in the same
// pass.
type teeImage struct {
	layout *media.Layout
	hash   hash.Hash
}

// WriteTo writes the image to w and to the hash.
func (t *teeImage) WriteTo(w io.Writer) (int64, error) {
	t.hash.Reset()
	return t.layout.WriteTo(io.MultiWriter(w, t.hash))
}

// report prints the diagnostics, with the source lines they point at, and
// returns an error when one is an error.
func report(w io.Writer, diags hcl.Diagnostics) error {
	if len(diags) == 0 {
		return nil
	}
	files := map[string]*hcl.File{}
	for _, d := range diags {
		if d.Subject == nil {
			continue
		}
		name := d.Subject.Filename
		var src []byte
		var err error
		if rest, ok := strings.CutPrefix(name, "<"+profiles.Root+"/"); ok {
			src, err = fs.ReadFile(profiles.FS(), strings.TrimSuffix(rest, ">"))
		} else {
			src, err = os.ReadFile(name)
		}
		if err == nil {
			files[name] = &hcl.File{Bytes: src}
		}
	}
	tw := hcl.NewDiagnosticTextWriter(w, files, 80, false)
	tw.WriteDiagnostics(diags)
	if diags.HasErrors() {
		return fmt.Errorf("%d errors", len(diags.Errs()))
	}
	return nil
}
