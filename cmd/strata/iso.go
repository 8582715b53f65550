package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/strata-build/strata/iso"
	"github.com/strata-build/strata/media"
	"github.com/strata-build/strata/merge"
)

const isoUsage = `Usage: strata iso -o OUT.iso [--arg NAME=VALUE]... MODULE...

Evaluates the modules together (with the profiles search root registered,
so a module may import <profiles/installer.hcl>) and writes the bootable
ISO 9660 image the merged configuration describes: the kernel, initrd and
boot loader files of boot.files, boot menus generated from the
configuration, isoImage.contents, and the merged configuration itself as
JSON at /strata/config.json.

The image is written to a temporary file next to OUT.iso and renamed into
place when complete: on any error OUT.iso is left as it was. With -o -, the
image streams to standard output instead (and the report to standard
error). File dates are SOURCE_DATE_EPOCH when set, else 1980-01-01, so the
same inputs give the same bytes. On a terminal, a progress bar goes to
standard error. On success it prints the image's size and the sha256 of
/strata/config.json.

Exit status: 0 success, 1 errors in the configuration or its inputs, 2 wrong
usage.`

// runISO is strata iso: evaluate, plan the image with package media, write
// it with package iso.
func runISO(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	spec, out, code := startMedia(ctx, "iso", isoUsage, "write the image to `OUT.iso`", "OUT.iso", args, stderr)
	if spec == nil {
		return code
	}
	layout, diags := media.Plan(ctx, spec)
	writeDiags(stderr, diags, searchRoots())
	if diags.HasErrors() {
		return exitConfig
	}
	var bar *progressBar
	var progress func(done, total int64)
	if isTerminal(stderr) {
		bar = &progressBar{w: stderr, name: filepath.Base(*out)}
		progress = bar.update
	}
	report := stdout
	w, err := layout.NewWriter(progress)
	switch {
	case err != nil:
	case *out == "-":
		report = stderr
		_, err = w.WriteContext(ctx, stdout)
	default:
		if err = os.MkdirAll(filepath.Dir(*out), 0o755); err == nil {
			err = iso.WriteFile(ctx, *out, w)
		}
	}
	bar.finish()
	if err != nil {
		fmt.Fprintf(stderr, "strata iso: %v\n", err)
		return exitConfig
	}
	size, _ := w.Size()
	fmt.Fprintf(report, "wrote %s (%d bytes, volume ID %s)\n", *out, size, spec.VolumeID)
	if spec.Config != nil {
		fmt.Fprintf(report, "%s sha256 %x\n", media.ConfigPath, sha256.Sum256(spec.Config))
	}
	return exitOK
}

// parseMediaFlags parses args; done says the command is over (after
// --help, or a usage error), with exit status code.
// startMedia is the start that strata iso and strata netboot share: it
// parses the flags (-o, described by outUsage, and --arg), checks that -o
// and at least one module were given, and evaluates the modules into a
// media.Spec. A nil spec means the command is over, with exit status code.
func startMedia(ctx context.Context, name, usage, outUsage, outWord string, args []string, stderr io.Writer) (spec *media.Spec, out *string, code int) {
	fl, margs := newFlags(name, usage, stderr)
	out = fl.String("o", "", outUsage)
	if code, done := parseMediaFlags(fl, args); done {
		return nil, nil, code
	}
	if *out == "" || fl.NArg() == 0 {
		fmt.Fprintf(stderr, "strata %s: need -o %s and at least one MODULE\n", name, outWord)
		fl.Usage()
		return nil, nil, exitUsage
	}
	spec, code = mediaSpec(ctx, fl.Args(), margs, stderr)
	return spec, out, code
}

func parseMediaFlags(fl *flag.FlagSet, args []string) (code int, done bool) {
	err := fl.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitOK, true
	case err != nil:
		return exitUsage, true
	}
	return 0, false
}

// mediaSpec evaluates the modules and decodes the media options, printing
// every diagnostic. It returns nil and the exit status on errors.
func mediaSpec(ctx context.Context, modules []string, args argList, stderr io.Writer) (*media.Spec, int) {
	roots := searchRoots()
	cfg := &merge.Config{Roots: roots, Args: args}
	r, diags := cfg.EvalContext(ctx, modules...)
	writeDiags(stderr, diags, roots)
	if diags.HasErrors() {
		return nil, exitConfig
	}
	writeDiags(stderr, r.Warnings(), roots)
	spec, diags := media.FromResult(r)
	writeDiags(stderr, diags, roots)
	if diags.HasErrors() {
		return nil, exitConfig
	}
	t, err := iso.SourceDateEpoch(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "strata: %v\n", err)
		return nil, exitUsage
	}
	spec.ModTime = t
	return spec, exitOK
}
